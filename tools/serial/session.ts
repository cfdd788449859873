// Talking to NodeMCU's Lua REPL over serial: get the prompt, run short lines, and move files with
// a small receiver installed on the board. The receiver takes raw blocks through
// uart.on("data", BLOCK, cb, 0) — no encoding, no echo, no `encoder` module — into RAM, a window
// of WINDOW blocks at a time. Only when a window is whole does it write it to flash, and only
// after that does it grant the next one: nothing is on the wire while the flash is busy. That
// matters on a real board: its UART interrupt cannot run during a flash write or erase, and the
// 128-byte hardware FIFO alone would overflow in the tens of milliseconds an erase takes.
//
// File bytes must never reach the Lua interpreter, however the host is paused (Ctrl-Z, SIGSTOP,
// a loaded machine). So a receiver that hears nothing for 3 s does not hand the console back: it
// closes the file and locks the console (every line swallowed, run_input 0) until it hears the
// upload's own random key, "#U<key>". A stalled host that wakes up sends its remaining blocks
// into the lock; the next prompt() (or a person at the monitor, who is shown the key) unlocks it.
import { randomInt } from "node:crypto";
// Names go as Lua literals in plain ASCII, so their UTF-8 bytes arrive exactly whatever the port does.
import { luaLiteral } from "../lua/literal.ts";
import { adler32 } from "./adler32.ts";
import { SerialError } from "./errors.ts";
import { Link, pulseReset } from "./link.ts";

/** Bytes per raw block; uart.on takes fewer than 256. */
export const BLOCK = 240;
/**
 * Blocks the board holds in RAM before writing them out: 16 x 240 bytes. A bigger window spends
 * less time on round trips but more heap; the flash time per byte is the same either way.
 */
export const WINDOW = 16;
/** Prefix of the name a file is written to before it is verified and renamed into place. */
export const TEMP_PREFIX = "_";
/** SPIFFS names on NodeMCU hold at most 31 bytes (SPIFFS_OBJ_NAME_LEN 32, with the NUL). */
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
  // The lock: swallows every line until one holds "#U"..k; tells whoever listens how to lift it.
  `function __k(k)local m="\\n#K "..k.." upload cut; console locked: send #U"..k.." or reset\\n"uart.on("data","\\n",` +
    `function(d)if d:find("#U"..k,1,true)then uart.on("data")else uart.write(0,m)end end,0)uart.write(0,m)end`,
  // The receiver gives up after 3 s without data and locks the console with the upload's key.
  `function __w(f,k)local w=tmr.create()w:register(3000,0,function()f:close()__k(k)end)w:start()return w end`,
  // The receiver: blocks gather in q until the window is whole (or the file is), then go to
  // flash while the host waits for "#A<bytes so far>", its grant of the next window. The timer,
  // stopped at the last block, goes with the callback that holds it.
  `function __b(f,s,W,w)local g,q=0,{}return function(d)w:stop()d=d:sub(1,s-g)g=g+#d q[#q+1]=d if g<s and #q<W then return w:start()end ` +
    `for i=1,#q do f:write(q[i])end q={}if g<s then w:start()else f:close()uart.on("data")end print("#A"..g)end end`,
  `function __up(t,s,B,W,k)local f=file.open(t,"w")uart.on("data",B,__b(f,s,W,__w(f,k)),0)print("#R")end`,
];

/** Streams a file as "#L size\n" and its bytes; only `mcu cat` needs it, so it is sent when asked for. */
const CAT_HELPER =
  `function __c(n)local f=file.open(n,"r")if not f then return print("#L -1")end local s=f:seek("end")f:seek("set")` +
  `uart.write(0,"#L "..s.."\\n")while 1 do local d=f:read(256)if not d then break end uart.write(0,d)end f:close()end`;

/** This version of the helpers, as the board keeps it in __hv once they are installed. */
const HELPERS_ID = adler32(Buffer.from(HELPERS.join("\n"))).toString(36);

export type Progress = (sent: number, total: number) => void;

/** The board's receiver gave up on a stalled transfer and locked its console (see __k). */
class UploadCut extends Error {
  override name = "UploadCut";
}

/** The lock's notice, "#K <key> upload cut…", for one key or (by default) any, captured. */
const locked = (key = "(\\d+)") => `#K ${key} upload cut`;

export interface BoardFile {
  name: string;
  size: number;
}

/**
 * Checks a name the way it must be to reach SPIFFS exactly: 1 to 30 bytes of UTF-8 (31 with the
 * upload's temp prefix), no control characters (they would corrupt listings and terminals), no
 * "/" (NodeMCU reads a leading one as a drive, "/FLASH/…") and not "." or "..", which look like
 * folders that SPIFFS does not have. Everything else is sent byte for byte.
 */
export function boardNameError(name: string): string | undefined {
  const shown = JSON.stringify(name);
  if (name === "") return "a board file name cannot be empty";
  if (name.includes("\ufffd")) return `${shown} is not valid UTF-8; give the name in UTF-8`;
  if (/[\x00-\x1f\x7f-\x9f]/.test(name))
    return `${shown} holds a control character; board file names take printable characters only`;
  if (name.includes("/"))
    return `${shown} holds a "/": the board's flash has no folders; give a plain name (e.g. --as ${JSON.stringify(name.split("/").pop() || "name.lua")})`;
  if (name === "." || name === "..") return `${shown} is not a file name: the board's flash has no folders`;
  const bytes = Buffer.byteLength(name);
  if (TEMP_PREFIX.length + bytes > NAME_MAX)
    return `${shown} is too long (${bytes} bytes): names on the board hold ${NAME_MAX - TEMP_PREFIX.length} bytes here (${NAME_MAX} with the upload's temp prefix)`;
  return undefined;
}

/** A name the board printed (bytes, held as latin1) as the UTF-8 text it was given as. */
const fromBoard = (raw: string) => Buffer.from(raw, "latin1").toString("utf8");
const toStderr = (line: string) => void process.stderr.write(`\n${line}\n`);

export class BoardSession {
  /** Lines run so far: numbers each run()'s end marker. */
  private runs = 0;
  /** CAT_HELPER has been sent in this session. */
  private catReady = false;

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
        const m = await this.link.expect(
          new RegExp(`#P${n}\r\n> |${locked()}`),
          Math.min(1000, Math.max(1, end - Date.now())),
          "the Lua prompt",
        );
        if (m[1] === undefined) return;
        // A cut upload locked the console: lift the lock with its key, then ask again.
        await this.link.write(`\r\n#U${m[1]}\r\n`);
      } catch (err) {
        if (this.link.closed) throw err;
        // Silent for 3 s: an app may be hogging the CPU. Reset the board (where RTS reaches EN)
        // and stop its app in our init.lua's boot pause.
        if (n === 3) await pulseReset(this.link.port).catch(() => {});
        if (Date.now() >= end) {
          throw new SerialError(
            "NO_PROMPT",
            `no Lua prompt after ${timeoutMs / 1000} s: check that the board runs NodeMCU firmware, the baud rate is right (--baud), and no other program has the port; the board last said: ${this.link.tail()}`,
          );
        }
      }
    }
  }

  /**
   * Runs REPL lines (one, or several sent in one go) and returns what they printed. A marker line
   * follows them, and the marker's output ends the answer: the answer does not hang on matching
   * the lines' echo, which an app printing at the same time can split (at 9600 baud a long line
   * echoes for a quarter second). Such an app's lines can be in the answer; callers look for
   * their own "#X" lines in it.
   */
  async run(lines: string | string[], timeoutMs = 10000): Promise<string> {
    const all = typeof lines === "string" ? [lines] : lines;
    const long = all.find((l) => l.length > 254);
    if (long !== undefined)
      throw new SerialError("TOO_LONG", `REPL line too long (${long.length} characters; the board takes 255)`);
    const n = ++this.runs;
    // Split in the source, so the echo of the marker line cannot pass for its output.
    const marker = `print("#Q".."${n}")`;
    this.link.clear();
    await this.link.write([...all, marker, ""].join("\r\n"));
    const m = await this.link.expect(
      new RegExp(`([\\s\\S]*?)#Q${n}\r\n`),
      timeoutMs,
      `the answer to ${JSON.stringify(all[0]!.slice(0, 40))}`,
    );
    const echoes = [...all, marker].reduce((out, l) => out.split(`${l}\r\n`).join(""), m[1]!);
    return echoes.replace(/^(?:>>? )+/gm, "").replace(/\r\n/g, "\n");
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

  /** Installs the helpers in one go, unless the board already has this version of them (since its last restart). */
  private async installHelpers(): Promise<void> {
    // The answer is split in the source so that the line's echo, should an app's output break it
    // up and keep it in the answer, cannot pass for it.
    if ((await this.run(`print(__hv=="${HELPERS_ID}" and "#H".."1" or "")`)).includes("#H1")) return;
    const out = await this.run([...HELPERS, `__hv="${HELPERS_ID}"`]);
    const error = /stdin:\d+:.*/.exec(out);
    if (error) throw new SerialError("REJECTED", `the board rejected the upload helper: ${error[0]}`);
  }

  /** Size and Adler-32 of a file on the board, or undefined when it is missing. */
  async checksum(name: string): Promise<{ size: number; adler: number } | undefined> {
    const out = await this.run(`__ck(${luaLiteral(name)})`, 60000);
    const m = /#C (-?\d+) (\d+) (\d+)/.exec(out);
    if (!m) throw new SerialError("UNEXPECTED", `unexpected answer to a checksum request for ${name}: ${out.trim()}`);
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
      const why = await this.sendVerified(tmp, data, progress);
      if (why === undefined) return;
      if (attempt === 3) throw new SerialError("NOT_VERIFIED", `${name}: ${why} 3 times; check the cable and --baud`);
      this.log(`${name}: ${why}; sending it again (try ${attempt + 1} of 3)`);
    }
  }

  /** One transfer and its check: undefined when the board holds the bytes, else what went wrong. */
  private async sendVerified(tmp: string, data: Buffer, progress?: Progress): Promise<string | undefined> {
    try {
      await this.send(tmp, data, progress);
    } catch (err) {
      if (!(err instanceof UploadCut)) throw err;
      // This process stalled past the receiver's patience; the board locked its console and
      // swallowed what came after. Unlock it and start the file over.
      await this.prompt();
      return "the transfer stalled and the board stopped listening";
    }
    return (await this.has(tmp, data)) ? undefined : "the board's copy did not verify (size or checksum differ)";
  }

  /**
   * Renames staged files over their live names in one REPL line, so a cut link leaves either
   * all old or all new files: a line runs whole or not at all.
   */
  async commit(names: string[]): Promise<void> {
    // A stale .lc would shadow its new .lua (require tries .lc first), so it goes too.
    const rename = (list: string) =>
      `local k=0 for _,n in ipairs(${list}) do file.remove(n) if n:find("%.lua$") then file.remove(n:sub(1,-4).."lc") end ` +
      `if file.rename("${TEMP_PREFIX}"..n,n) then k=k+1 end end __m=nil print("#M "..k)`;
    const literals = names.map((n) => luaLiteral(n));
    const inline = rename(`{${literals.join(",")}}`);
    // A short list goes in the renaming line itself; a long one is gathered into a table over
    // several lines first, then renamed by one.
    if (inline.length > 254) await this.gather(literals);
    const out = await this.run(inline.length > 254 ? rename("__m") : inline);
    if (!out.includes(`#M ${names.length}`))
      throw new SerialError("REJECTED", `renaming the verified uploads into place failed: ${out.trim()}`);
  }

  /** Builds the table __m of these Lua string literals on the board, a line at a time. */
  private async gather(literals: string[]): Promise<void> {
    const chunks: string[][] = [[]];
    for (const n of literals) {
      const cur = chunks[chunks.length - 1]!;
      if (cur.join().length + n.length > 150) chunks.push([n]);
      else cur.push(n);
    }
    await this.run("__m={}");
    for (const c of chunks) await this.run(`for _,n in ipairs({${c.join(",")}}) do __m[#__m+1]=n end`);
  }

  /** Stage, then commit one file. */
  async upload(name: string, data: Buffer, progress?: Progress): Promise<void> {
    await this.stage(name, data, progress);
    await this.commit([name]);
  }

  async list(): Promise<{ files: BoardFile[]; remaining: number; used: number; total: number }> {
    const out = await this.run(
      `for n,s in pairs(file.list()) do print("#F "..s.." "..n) end print("#S "..table.concat({file.fsinfo()}," "))`,
      30000,
    );
    const files = [...out.matchAll(/#F (\d+) ([^\r\n]+)/g)]
      .map((m) => ({ name: fromBoard(m[2]!), size: Number(m[1]) }))
      .sort((a, b) => a.name.localeCompare(b.name));
    const s = /#S (\d+) (\d+) (\d+)/.exec(out);
    if (!s) throw new SerialError("UNEXPECTED", `unexpected answer to a file listing: ${out.trim()}`);
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
    throw new SerialError(
      "NO_ROOM",
      `not enough room on the board's flash: ${what} need${files.length === 1 ? "s" : ""} ${needed} bytes, ` +
        `${remaining + reusable} are free of ${total}; see what is there with mcu ls and remove files with mcu rm`,
    );
  }

  /** The bytes of a file on the board, or undefined when it is missing. */
  async read(name: string): Promise<Buffer | undefined> {
    if (!this.catReady) await this.run(CAT_HELPER);
    this.catReady = true;
    this.link.clear();
    await this.link.write(`__c(${luaLiteral(name)})\r\n`);
    const m = await this.link.expect(/#L (-?\d+)\r?\n/, 10000, `the size of ${name}`);
    const size = Number(m[1]);
    if (size < 0) return undefined;
    return this.link.take(size, 10000 + size, `the ${size} bytes of ${name}`);
  }

  async remove(name: string): Promise<boolean> {
    // The name once: a 30-byte UTF-8 name is 122 characters as a literal, twice too long a line.
    const out = await this.run(`local n=${luaLiteral(name)} print(file.exists(n))file.remove(n)`);
    return /^true$/m.test(out);
  }

  private async send(tmp: string, data: Buffer, progress?: Progress): Promise<void> {
    if (data.length === 0) {
      await this.run(`file.open(${luaLiteral(tmp)},"w"):close()`);
      return;
    }
    this.link.clear();
    const key = String(randomInt(1e8, 1e9));
    // "\n" alone ends this line: a "\r\n" could leave its "\n" for the receiver, which a board
    // may already be running when that byte arrives.
    await this.link.write(`__up(${luaLiteral(tmp)},${data.length},${BLOCK},${WINDOW},"${key}")\n`);
    await this.expectFromBoard(/#R\r?\n/, "the board's receiver", key);
    const span = BLOCK * WINDOW;
    const windows = Math.ceil(data.length / span);
    for (let i = 0; i < windows; i++) {
      // Whole blocks: the last one is padded, and the board keeps `size` bytes.
      const bytes = Math.min(span, Math.ceil((data.length - i * span) / BLOCK) * BLOCK);
      const window = Buffer.alloc(bytes);
      data.copy(window, 0, i * span, Math.min(data.length, i * span + bytes));
      await this.link.write(window);
      await this.expectFromBoard(/#A(\d+)\r?\n/, `the board's grant after window ${i + 1}/${windows}`, key);
      progress?.(Math.min((i + 1) * span, data.length), data.length);
    }
  }

  /**
   * Like link.expect, but a boot banner in between means the board reset under us, and this
   * upload's lock notice means its receiver gave up on us.
   */
  private async expectFromBoard(re: RegExp, what: string, key: string): Promise<void> {
    const m = await this.link.expect(
      new RegExp(`${re.source}|(${BANNER.source})|(${locked(key)})`),
      ACK_TIMEOUT_MS,
      what,
    );
    if (m[m.length - 2] !== undefined)
      throw new SerialError("BOARD_RESET", `the board restarted while waiting for ${what}`);
    if (m[m.length - 1] !== undefined) throw new UploadCut(`the board's receiver gave up while waiting for ${what}`);
  }

  close(): Promise<void> {
    return this.link.close();
  }
}
