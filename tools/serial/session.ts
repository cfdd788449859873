// Talking to NodeMCU's Lua REPL over serial: get the prompt, run short lines, and move files with
// a small receiver installed on the board. The receiver takes raw blocks through
// uart.on("data", BLOCK, cb, 0) — no encoding, no echo, no `encoder` module — and acks each one,
// while the host keeps one block ahead, so the line never idles waiting for a prompt.
import { adler32 } from "./adler32.ts";
import { Link, pulseReset } from "./link.ts";

/** Bytes per raw block; uart.on takes fewer than 256. */
export const BLOCK = 240;
/** Prefix of the name a file is written to before it is verified and renamed into place. */
export const TEMP_PREFIX = "_";
/** SPIFFS names on NodeMCU hold at most 31 characters. */
const NAME_MAX = 31;
const PROMPT_TIMEOUT_MS = 8000;
/** NodeMCU's boot banner: the board has just started over. */
const BANNER = /\nNodeMCU \d[^\n]*\n/;
const ACK_TIMEOUT_MS = 5000;

// Each line stays well under the REPL's 255-character buffer. Adler-32 is sent as its two 16-bit
// halves so integer builds (32-bit signed) print it right; __c streams a file as "#L size\n" + bytes.
const HELPERS = [
  `function __a(d,a,b)for i=1,#d do a=(a+d:byte(i))%65521 b=(b+a)%65521 end return a,b end`,
  `function __ck(n)local f=file.open(n,"r")if not f then return print("#C -1 0 0")end local a,b,s=1,0,0 ` +
    `while 1 do local d=f:read(256)if not d then break end s=s+#d a,b=__a(d,a,b)end f:close()print("#C "..s.." "..a.." "..b)end`,
  // The receiver gives up after 3 s without data, so a cut upload hands the console back.
  `function __w(f)local w=tmr.create()w:register(3000,0,function()f:close()uart.on("data")end)w:start()return w end`,
  `function __up(t,s,B)local f,g=file.open(t,"w"),0 local w=__w(f)uart.on("data",B,function(d)d=d:sub(1,s-g)f:write(d)g=g+#d ` +
    `w:stop()if g<s then w:start()else w:unregister()f:close()uart.on("data")end uart.write(0,"#A"..g.."\\n")end,0)uart.write(0,"#R\\n")end`,
  `function __c(n)local f=file.open(n,"r")if not f then return print("#L -1")end local s=f:seek("end")f:seek("set")` +
    `uart.write(0,"#L "..s.."\\n")while 1 do local d=f:read(256)if not d then break end uart.write(0,d)end f:close()end`,
];

export interface Progress {
  (sent: number, total: number): void;
}

/** The board started over (a reset or a crash) while we talked to it. */
export class BoardReset extends Error {
  override name = "BoardReset";
}

export interface BoardFile {
  name: string;
  size: number;
}

/** Checks a name the way SPIFFS on the board will take it. */
export function boardNameError(name: string): string | undefined {
  if (name === "" || /[\s"\\]/.test(name) || name.includes("/")) return `"${name}" is not a board file name (no spaces, quotes, backslashes or folders)`;
  if (TEMP_PREFIX.length + name.length > NAME_MAX) return `"${name}" is too long: names on the board hold ${NAME_MAX - TEMP_PREFIX.length} characters here (${NAME_MAX} with the upload's temp prefix)`;
  return undefined;
}

const lit = (s: string) => JSON.stringify(s);
const toStderr = (line: string) => void process.stderr.write(`\n${line}\n`);

export class BoardSession {
  private constructor(
    readonly link: Link,
    private readonly log: (line: string) => void,
  ) {}

  /** Opens the port; `log` hears about retries (default: standard error). */
  static async open(path: string, baud: number, log = toStderr): Promise<BoardSession> {
    return BoardSession.over(await Link.open(path, baud), log);
  }

  static over(link: Link, log = toStderr): BoardSession {
    return new BoardSession(link, log);
  }

  /**
   * Waits until the REPL answers a marker line, nudging the board once a second. Each nudge first
   * ends any half-typed line and any unfinished chunk ("=" alone is a syntax error inside one,
   * and "return" at a fresh prompt), so leftovers of a cut session cannot swallow it; boot noise
   * and older output before the marker's answer are skipped.
   */
  async prompt(timeoutMs = PROMPT_TIMEOUT_MS): Promise<void> {
    const end = Date.now() + timeoutMs;
    for (let n = 1; ; n++) {
      // Our init.lua's boot pause: keep the app from starting, so it cannot get in the way.
      const abort = this.link.saw("type abort() to stay in the REPL") ? "abort()\r\n" : "";
      await this.link.write(`${abort}\r\n=\r\n=\r\nprint("#P".."${n}")\r\n`);
      try {
        await this.link.expect(new RegExp(`#P${n}\r\n> `), Math.min(1000, Math.max(1, end - Date.now())), "the Lua prompt");
        return;
      } catch (err) {
        if (this.link.closed) throw err;
        // Silent for 3 s: an app may be hogging the CPU. Reset the board (where RTS reaches EN)
        // and stop its app in our init.lua's boot pause.
        if (n === 3) await pulseReset(this.link.port).catch(() => {});
        if (Date.now() >= end) {
          throw new Error(`no Lua prompt after ${timeoutMs / 1000} s: check that the board runs NodeMCU firmware, the baud rate is right (--baud), and no other program has the port; the board last said: ${this.link.tail()}`);
        }
      }
    }
  }

  /** Runs one REPL line and returns what it printed (between its echo and the next prompt). */
  async run(line: string, timeoutMs = 10000): Promise<string> {
    if (line.length > 254) throw new Error(`REPL line too long (${line.length} characters; the board takes 255)`);
    this.link.clear();
    await this.link.write(line + "\r\n");
    // The answer follows the line's own echo, so output from before it cannot pass for it.
    const echo = line.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const m = await this.link.expect(new RegExp(`${echo}\r\n((?:[^\n]*\n)*?)> `), timeoutMs, `the answer to ${JSON.stringify(line.slice(0, 40))}`);
    return m[1]!.replace(/\r\n/g, "\n");
  }

  /** Gets the REPL and installs the file helpers: where every file operation starts from. */
  async ready(): Promise<void> {
    await this.prompt();
    await this.installHelpers();
  }

  /** Waits up to `timeoutMs` for the boot banner. */
  async banner(timeoutMs: number, what: string): Promise<void> {
    await this.link.expect(BANNER, timeoutMs, what);
  }

  /** node.restart() at the REPL; resolves once the banner shows the board started over. */
  async restart(): Promise<void> {
    await this.link.write("node.restart()\r\n");
    await this.banner(10000, "the board's restart banner");
  }

  private async installHelpers(): Promise<void> {
    for (const h of HELPERS) {
      const out = await this.run(h);
      if (out.trim() !== "") throw new Error(`the board rejected the upload helper: ${out.trim()}`);
    }
  }

  /** Size and Adler-32 of a file on the board, or undefined when it is missing. */
  async checksum(name: string): Promise<{ size: number; adler: number } | undefined> {
    const out = await this.run(`__ck(${lit(name)})`, 60000);
    const m = /#C (-?\d+) (\d+) (\d+)/.exec(out);
    if (!m) throw new Error(`unexpected answer to a checksum request for ${name}: ${out.trim()}`);
    return Number(m[1]) < 0 ? undefined : { size: Number(m[1]), adler: Number(m[3]) * 65536 + Number(m[2]) };
  }

  /** True when the board holds exactly these bytes under `name`. */
  async has(name: string, data: Buffer): Promise<boolean> {
    const sum = await this.checksum(name);
    return sum !== undefined && sum.size === data.length && sum.adler === adler32(data);
  }

  /**
   * Writes data to the temp name of `name` and verifies it on the board (size and Adler-32),
   * retrying a mismatch. The live name is untouched until commit().
   */
  async stage(name: string, data: Buffer, progress?: Progress): Promise<void> {
    const tmp = TEMP_PREFIX + name;
    for (let attempt = 1; ; attempt++) {
      await this.send(tmp, data, progress);
      if (await this.has(tmp, data)) return;
      if (attempt === 3) throw new Error(`${name}: the board's copy does not match the file after 3 tries; check the cable and --baud`);
      this.log(`${name}: the board's copy did not verify (size or checksum differ); sending it again (try ${attempt + 1} of 3)`);
    }
  }

  /**
   * Renames staged files over their live names in one REPL line, so a cut link leaves either
   * all old or all new files: a line runs whole or not at all.
   */
  async commit(names: string[]): Promise<void> {
    const chunks: string[][] = [[]];
    for (const n of names) {
      const cur = chunks[chunks.length - 1]!;
      if (cur.join().length + n.length > 150) chunks.push([n]);
      else cur.push(n);
    }
    // A stale .lc would shadow its new .lua (require tries .lc first), so it goes too.
    // Long lists are gathered into a table over several lines, then renamed by one.
    await this.run("__m={}");
    for (const c of chunks) await this.run(`for _,n in ipairs({${c.map(lit).join(",")}}) do __m[#__m+1]=n end`);
    const out = await this.run(`local k=0 for _,n in ipairs(__m) do file.remove(n) if n:find("%.lua$") then file.remove(n:sub(1,-4).."lc") end ` +
        `if file.rename("${TEMP_PREFIX}"..n,n) then k=k+1 end end __m=nil print("#M "..k)`);
    if (!out.includes(`#M ${names.length}`)) throw new Error(`renaming the verified uploads into place failed: ${out.trim()}`);
  }

  /** Stage, then commit one file. */
  async upload(name: string, data: Buffer, progress?: Progress): Promise<void> {
    await this.stage(name, data, progress);
    await this.commit([name]);
  }

  async list(): Promise<{ files: BoardFile[]; remaining: number; used: number; total: number }> {
    const out = await this.run(`for n,s in pairs(file.list()) do print("#F "..s.." "..n) end print("#S "..table.concat({file.fsinfo()}," "))`, 30000);
    const files = [...out.matchAll(/#F (\d+) (\S+)/g)].map((m) => ({ name: m[2]!, size: Number(m[1]) })).sort((a, b) => a.name.localeCompare(b.name));
    const s = /#S (\d+) (\d+) (\d+)/.exec(out);
    if (!s) throw new Error(`unexpected answer to a file listing: ${out.trim()}`);
    return { files, remaining: Number(s[1]), used: Number(s[2]), total: Number(s[3]) };
  }

  /**
   * Throws, before a byte is sent, when the board's flash cannot hold these files next to the
   * live ones (each is staged under a temp name first; an old temp copy is overwritten).
   */
  async checkRoom(files: { name: string; data: Buffer }[]): Promise<void> {
    const { files: present, remaining, total } = await this.list();
    const temps = new Set(files.map((f) => TEMP_PREFIX + f.name));
    const reusable = present.filter((f) => temps.has(f.name)).reduce((n, f) => n + f.size, 0);
    const needed = files.reduce((n, f) => n + f.data.length, 0);
    if (needed <= remaining + reusable) return;
    const what = files.length === 1 ? files[0]!.name : `${files.length} files`;
    throw new Error(
      `not enough room on the board's flash: ${what} need${files.length === 1 ? "s" : ""} ${needed} bytes, ` +
        `${remaining + reusable} are free of ${total}; see what is there with mcu ls and remove files with mcu rm`,
    );
  }

  /** The bytes of a file on the board, or undefined when it is missing. */
  async read(name: string): Promise<Buffer | undefined> {
    this.link.clear();
    await this.link.write(`__c(${lit(name)})\r\n`);
    const m = await this.link.expect(/#L (-?\d+)\r?\n/, 10000, `the size of ${name}`);
    const size = Number(m[1]);
    if (size < 0) return undefined;
    return this.link.take(size, 10000 + size, `the ${size} bytes of ${name}`);
  }

  async remove(name: string): Promise<boolean> {
    const out = await this.run(`print(file.exists(${lit(name)}))file.remove(${lit(name)})`);
    return out.trim() === "true";
  }

  private async send(tmp: string, data: Buffer, progress?: Progress): Promise<void> {
    if (data.length === 0) {
      await this.run(`file.open(${lit(tmp)},"w"):close()`);
      return;
    }
    this.link.clear();
    await this.link.write(`__up(${lit(tmp)},${data.length},${BLOCK})\r\n`);
    await this.expectFromBoard(/#R\r?\n/, "the board's receiver");
    const blocks = Math.ceil(data.length / BLOCK);
    let acked = 0;
    let next = 0;
    const sendBlock = async (i: number) => {
      const block = Buffer.alloc(BLOCK); // the last block is padded; the board keeps `size` bytes
      data.copy(block, 0, i * BLOCK, Math.min(data.length, (i + 1) * BLOCK));
      await this.link.write(block);
    };
    while (next < Math.min(2, blocks)) await sendBlock(next++);
    while (acked < blocks) {
      await this.expectFromBoard(/#A(\d+)\r?\n/, `the board's ack of block ${acked + 1}/${blocks}`);
      acked++;
      progress?.(Math.min(acked * BLOCK, data.length), data.length);
      if (next < blocks) await sendBlock(next++);
    }
  }

  /** Like link.expect, but a boot banner in between means the board reset under us. */
  private async expectFromBoard(re: RegExp, what: string): Promise<void> {
    const m = await this.link.expect(new RegExp(`${re.source}|(${BANNER.source})`), ACK_TIMEOUT_MS, what);
    if (m[m.length - 1] !== undefined) throw new BoardReset(`the board restarted while waiting for ${what}`);
  }

  close(): Promise<void> {
    return this.link.close();
  }
}
