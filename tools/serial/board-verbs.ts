// The board's file verbs over its serial REPL: upload, ls, rm, cat, run, reset.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { CliError, EXIT, table, type VerbModule } from "../../host/kit/index.ts";
import { luaLiteral } from "../lua/literal.ts";
import { pulseReset } from "./link.ts";
import { parseSerialVerb, SERIAL_USAGE, withBoard } from "./options.ts";
import { fileProgress } from "./progress.ts";
import { boardNameError } from "./session.ts";

function files(positionals: string[], verb: string, usage: string): string[] {
  if (positionals.length === 0)
    throw new CliError(`mcu ${verb} needs at least one file\n${usage.split("\n")[0]}`, EXIT.usage);
  return positionals;
}

function checkName(name: string): string {
  const bad = boardNameError(name);
  if (bad) throw new CliError(bad, EXIT.usage);
  return name;
}

export const upload: VerbModule = {
  usage: `usage: mcu upload [--port PATH] [--baud N] [--as NAME] FILE...

Writes files to the board's flash under their base names (--as renames a single file). Each
goes to a temporary name, is verified on the board (size and Adler-32) and only then renamed
over the live name.
${SERIAL_USAGE}

example:
  mcu upload --port /dev/ttyUSB0 build/lua/app.lua`,
  async run(argv) {
    const { values, positionals } = parseSerialVerb(argv, { as: { type: "string" } }, upload.usage);
    const paths = files(positionals, "upload", upload.usage);
    if (values.as !== undefined && paths.length !== 1)
      throw new CliError("--as names one file; give exactly one FILE with it", EXIT.usage);
    const items = paths.map((p) => {
      const name = checkName(values.as ?? basename(p));
      try {
        return { name, data: readFileSync(p) };
      } catch (err) {
        throw new CliError(`cannot read ${p}: ${(err as Error).message}`, EXIT.usage);
      }
    });
    await withBoard(values, async (s) => {
      await s.checkRoom(items);
      for (const { name, data } of items) {
        const bar = fileProgress(name);
        await s.upload(name, data, (sent, total) => bar.update(sent, total));
        bar.done(data.length);
      }
    });
    return EXIT.ok;
  },
};

export const ls: VerbModule = {
  usage: `usage: mcu ls [--port PATH] [--baud N] [--json]

Lists the files on the board's flash with their sizes, and the space used and free.
${SERIAL_USAGE}

example:
  mcu ls --port /dev/ttyUSB0`,
  async run(argv) {
    const { values } = parseSerialVerb(argv, { json: { type: "boolean" } }, ls.usage);
    const list = await withBoard(values, (s) => s.list());
    if (values.json) {
      process.stdout.write(JSON.stringify(list) + "\n");
      return EXIT.ok;
    }
    const rows = table(
      list.files.map((f) => [f.name, String(f.size)]),
      [{ minWidth: 4 }, { align: "right", minWidth: 7 }],
    );
    for (const row of rows) process.stdout.write(`${row}\n`);
    process.stdout.write(
      `${list.files.length} file(s); ${list.used} bytes used, ${list.remaining} free of ${list.total}\n`,
    );
    return EXIT.ok;
  },
};

export const rm: VerbModule = {
  usage: `usage: mcu rm [--port PATH] [--baud N] FILE...

Removes files from the board's flash. A name that is not there is an error (exit 1); the others
are still removed.
${SERIAL_USAGE}

example:
  mcu rm --port /dev/ttyUSB0 old.lua`,
  async run(argv) {
    const { values, positionals } = parseSerialVerb(argv, {}, rm.usage);
    const names = files(positionals, "rm", rm.usage).map(checkName);
    const missing = await withBoard(values, async (s) => {
      const gone: string[] = [];
      for (const n of names) if (!(await s.remove(n))) gone.push(n);
      return gone;
    });
    if (missing.length > 0)
      throw new CliError(`not on the board: ${missing.join(", ")} (mcu ls lists what is there)`, EXIT.failure);
    return EXIT.ok;
  },
};

export const cat: VerbModule = {
  usage: `usage: mcu cat [--port PATH] [--baud N] FILE

Writes a file from the board's flash to standard output, byte for byte.
${SERIAL_USAGE}

example:
  mcu cat --port /dev/ttyUSB0 config.lua`,
  async run(argv) {
    const { values, positionals } = parseSerialVerb(argv, {}, cat.usage);
    const [name] = files(positionals, "cat", cat.usage).map(checkName);
    const data = await withBoard(values, (s) => s.read(name!));
    if (!data) throw new CliError(`${name} is not on the board (mcu ls lists what is there)`, EXIT.failure);
    process.stdout.write(data);
    return EXIT.ok;
  },
};

export const runFile: VerbModule = {
  usage: `usage: mcu run [--port PATH] [--baud N] FILE

Runs a file that is on the board (dofile) and shows what it prints. A Lua error is exit 1.
${SERIAL_USAGE}

example:
  mcu run --port /dev/ttyUSB0 hello.lua`,
  async run(argv) {
    const { values, positionals } = parseSerialVerb(argv, {}, runFile.usage);
    const [name] = files(positionals, "run", runFile.usage).map(checkName);
    const out = await withBoard(values, (s) =>
      s.run(`local ok,e=pcall(dofile,${luaLiteral(name!)}) if not ok then print("#E "..tostring(e)) end`, 60000),
    );
    const err = /#E (.*)\n?$/.exec(out);
    process.stdout.write(err ? out.slice(0, err.index) : out);
    if (err) throw new CliError(`${name} failed on the board: ${err[1]}`, EXIT.failure);
    return EXIT.ok;
  },
};

export const reset: VerbModule = {
  usage: `usage: mcu reset [--port PATH] [--baud N] [--soft]

Restarts the board: pulses RTS/DTR as NodeMCU dev boards expect (a hard reset), or with --soft
(or when the port has no modem lines, like an emulated board's pty) runs node.restart() at the REPL.
${SERIAL_USAGE}

example:
  mcu reset --port /dev/ttyUSB0`,
  async run(argv) {
    const { values } = parseSerialVerb(argv, { soft: { type: "boolean" } }, reset.usage);
    await withBoard(values, async (s) => {
      if (!values.soft) {
        try {
          s.link.clear();
          await pulseReset(s.link.port);
          await s.banner(3000, "the banner after a hard reset");
          process.stdout.write("reset: the board restarted (RTS/DTR pulse)\n");
          return;
        } catch {
          // no modem lines here, or they are not wired to EN: fall back to the REPL
        }
      }
      await s.restart();
      process.stdout.write("reset: the board restarted (node.restart)\n");
    });
    return EXIT.ok;
  },
};
