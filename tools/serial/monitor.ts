// `mcu monitor`: the board's serial console on this terminal. It starts at a line boundary, boot
// noise (the ROM talks at 74880 baud) is marked, typed input goes to the REPL, Ctrl-] quits, and
// an unplugged or reset board is waited for and reconnected.
import { appendFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { StringDecoder } from "node:string_decoder";
import type { SerialPort } from "serialport";
import { errorMapper } from "../../host/errmap/mapper.ts";
import { EXIT } from "../../host/kit/index.ts";
import { buildDir } from "../compiler/build.ts";
import { openPort, pulseReset } from "./link.ts";
import { baudOf, parseSerialVerb, portOf, SERIAL_USAGE } from "./options.ts";

export const usage = `usage: mcu monitor [--port PATH] [--baud N] [--timestamps] [--log FILE] [--reset] [--app DIR | --out DIR] [--raw]

Shows the board's serial output and sends what you type to its Lua REPL. Ctrl-] quits.
Bytes that are not text (the ROM's 74880-baud boot message) are shown as «noise».
When the port goes away (board unplugged or reset) it waits and reconnects.
Lua errors are shown at their TypeScript file, line and column, from the build's error maps.

  --timestamps  start each line with the time it arrived
  --log FILE    also append the output to FILE
  --reset       reset the board first (pulses RTS/DTR as NodeMCU dev boards expect)
  --app DIR     the app folder whose build the board runs (its build/lua's error maps)
  --out DIR     the build folder the board runs (default ./build/lua if it holds a build, else
                the project's build/lua)
  --raw         show Lua errors as the board prints them (app.lua:LINE)
${SERIAL_USAGE}

example:
  mcu monitor --port /dev/ttyUSB0 --timestamps`;

const QUIT = 0x1d; // Ctrl-]
const RETRY_MS = 500;

/** Replaces runs of non-text characters (boot noise) with a marker; keeps line ends and tabs. */
export function markNoise(text: string): string {
  // Noise read at the wrong baud rate has stray printable bytes in it; they belong to the run.
  return text.replace(
    /(?:[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]+[^\n\r\t]{0,3})*[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]+/g,
    "«noise»",
  );
}

/** How long the line must have been quiet after the port opens for its first byte to start a line. */
const QUIET_MS = 100;
/** A "line" longer than this is shown anyway: the board is sending something that has no line ends. */
const SKIP_MAX = 1024;

/**
 * Where the console starts showing: a port opened while the board was mid-line (the rest of a
 * banner, a print) first delivers that line's tail, so text that comes at once after opening is
 * dropped up to its first line end. Text that comes after the line was quiet for QUIET_MS starts
 * a line; once the user types, what comes is the echo and shown whole.
 */
export function lineStart(now: () => number = () => performance.now()): { take(text: string): string; sync(): void } {
  const opened = now();
  let state: "new" | "skipping" | "synced" = "new";
  let skipped = 0;
  return {
    sync() {
      state = "synced";
    },
    take(text) {
      if (state === "new") state = now() - opened >= QUIET_MS ? "synced" : "skipping";
      if (state === "synced") return text;
      const end = text.indexOf("\n");
      skipped += end < 0 ? text.length : end + 1;
      if (end < 0 && skipped <= SKIP_MAX) return "";
      state = "synced";
      return end < 0 ? text : text.slice(end + 1);
    },
  };
}

interface Sink {
  write(text: string): void;
}

/** Output with optional timestamps at line starts and an optional log file. */
function sink(timestamps: boolean, log: string | undefined): Sink {
  let atLineStart = true;
  return {
    write(text) {
      let out = text;
      if (timestamps) {
        out = text.replace(/[^\n]+/g, (seg, offset: number) => {
          const start = offset === 0 ? atLineStart : text[offset - 1] === "\n";
          return start ? `[${new Date().toISOString().slice(11, 23)}] ${seg}` : seg;
        });
        atLineStart = text.endsWith("\n");
      }
      process.stdout.write(out);
      if (log) appendFileSync(log, out);
    },
  };
}

export interface MonitorOptions {
  timestamps?: boolean;
  log?: string;
  reset?: boolean;
  /** Lets go of the port when this settles (./flash.sh --watch, to flash again). */
  until?: Promise<unknown>;
  /** The build folder whose error maps turn Lua locations into TypeScript ones; absent: shown raw. */
  maps?: string;
}

/** Shows the console until Ctrl-] (or Ctrl-C, or SIGTERM), or `until`; reconnects when the port returns. */
export async function monitor(path: string, baud: number, opts: MonitorOptions = {}): Promise<number> {
  const shown = sink(opts.timestamps === true, opts.log);
  const out =
    opts.maps === undefined ? { write: shown.write, flush: () => {} } : errorMapper(opts.maps, (t) => shown.write(t));
  let port: SerialPort | undefined;
  let start = lineStart();
  let quit = false;
  let resetPending = opts.reset === true;
  let wake: () => void = () => {};
  const stop = () => {
    quit = true;
    wake();
  };
  const raw = process.stdin.isTTY === true;
  if (raw) process.stdin.setRawMode(true);
  const onInput = (d: Buffer) => {
    if (d.includes(QUIT) || (raw && d.includes(3))) return stop();
    start.sync();
    port?.write(raw ? Buffer.from(d.toString("latin1").replace(/\r/g, "\r\n"), "latin1") : d);
  };
  process.stdin.on("data", onInput);
  // Standard input at its end (</dev/null, a script) means nothing more to type, not quit: the
  // console keeps being shown and logged until Ctrl-], Ctrl-C or SIGTERM.
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  void opts.until?.then(stop, stop);
  let waiting = false;
  while (!quit) {
    try {
      port = await openPort(path, baud);
    } catch (err) {
      if (!waiting)
        process.stderr.write(`monitor: ${path}: ${(err as Error).message}; waiting for it (Ctrl-] quits)\n`);
      waiting = true;
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, RETRY_MS);
      });
      continue;
    }
    process.stderr.write(
      `monitor: ${waiting ? "reconnected to" : "connected to"} ${path} at ${baud} baud; Ctrl-] quits\n`,
    );
    waiting = false;
    const decoder = new StringDecoder("utf8");
    start = lineStart();
    port.on("data", (d: Buffer) => {
      const text = start.take(decoder.write(d));
      if (text) out.write(markNoise(text));
    });
    const closed = new Promise<void>((r) => port!.once("close", () => r()));
    port.on("error", () => {});
    if (resetPending) {
      resetPending = false;
      await pulseReset(port).catch((err: Error) =>
        process.stderr.write(`monitor: cannot pulse RTS/DTR on ${path} (${err.message}); reset the board by hand\n`),
      );
    }
    await Promise.race([
      closed,
      new Promise<void>((r) => {
        wake = r;
      }),
    ]);
    if (quit) break;
    process.stderr.write(`monitor: ${path} went away; waiting for it to return (Ctrl-] quits)\n`);
    waiting = true;
    port = undefined;
  }
  out.flush();
  process.stdin.off("data", onInput);
  process.off("SIGINT", stop);
  process.off("SIGTERM", stop);
  process.stdin.pause();
  if (raw) process.stdin.setRawMode(false);
  if (port?.isOpen) await new Promise((r) => port!.close(r));
  return EXIT.ok;
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseSerialVerb(
    argv,
    {
      timestamps: { type: "boolean" },
      log: { type: "string" },
      reset: { type: "boolean" },
      app: { type: "string" },
      out: { type: "string" },
      raw: { type: "boolean" },
    },
    usage,
  );
  // Run in an app folder with neither option, its own build is the one the board runs.
  const here = existsSync(join("build", "lua", "manifest.json")) ? join("build", "lua") : undefined;
  const maps = values.raw ? undefined : buildDir(values.app, values.out ?? (values.app ? undefined : here));
  return monitor(await portOf(values.port), baudOf(values.baud), {
    timestamps: values.timestamps,
    log: values.log,
    reset: values.reset,
    maps,
  });
}
