// `mcu emulate`: a NodeMCU board on this PC, on the terminal or on a pseudo-terminal.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { StringDecoder } from "node:string_decoder";
import { loadConfig } from "../../../host/config.ts";
import { errorMapper } from "../../../host/errmap/mapper.ts";
import { CliError, EXIT, interrupted, parseOrUsage, usageError, wholeNumber } from "../../../host/kit/index.ts";
import { buildFirmware } from "../../compiler/build.ts";
import { emulatedBuild, type NumberType, parseModules } from "../../nodemcu/builds.ts";
import { Board, type BoardOptions, DEFAULT_HEAP, DEFAULT_MODULES } from "../board.ts";
import { serveIo } from "../hardware/io.ts";
import { type Flash, NAME_MAX } from "../machine/flash.ts";
import { FLASH_TIMINGS, type FlashProfile } from "../machine/flash-timing.ts";
import { createFleet } from "./fleet.ts";
import { Line } from "./line.ts";
import { openSerialPty } from "./pty.ts";

export const usage = `usage: mcu emulate [--app DIR] [--flash DIR] [--load DIR] [--serial PATH] [--chip-id N] [--ssid S --psk P] [--heap BYTES]
                    [--modules LIST|default|recommended] [--ssl] [--number float|integer] [--io SOCKET] [--raw]

Boots an emulated NodeMCU 3.x board (Lua 5.1) from its flash folder. Its serial console is this
terminal, or with --serial a pseudo-terminal linked at PATH that any serial program opens like
/dev/ttyUSB0. Its Wi-Fi sees one access point (--ssid, --psk); its MQTT goes over real TCP.

  --app DIR        build an app folder of your own (mcu new) and load it; the access point
                   is its device.json's Wi-Fi unless --ssid/--psk say otherwise, and the
                   NodeMCU build the README's plus the modules the app uses unless --modules
  --flash DIR      the board's flash (default .emulator/flash)
  --load DIR       copy a build's .lua/.lc files into the flash first (e.g. build/lua)
  --serial PATH    expose the console on a pty with a symlink at PATH
  --chip-id N      chip id (default 12648430)
  --ssid S --psk P the simulated access point (default "emulated" / "nodemcu-emulator")
  --heap BYTES     free heap at boot (default ${DEFAULT_HEAP})
  --modules LIST   the NodeMCU build's modules: a comma list, "default" (NodeMCU's default
                   build: no rtcmem, no sjson) or "recommended" (the README's, the default:
                   ${DEFAULT_MODULES.join(",")})
  --ssl            an SSL build (without it, secure MQTT raises "ssl not available")
  --number TYPE    "float" (default) or "integer" build (banner, node.info, node.random)
  --baud N         UART0's speed at boot (default 115200): input reaches the board at that
                   rate through a 128-byte FIFO and a 256-byte ring, as on a real board
  --flash-timing P flash write and erase times: typical (default) or worst (datasheet maxima)
  --flash-aged     start with a written-over filesystem, so SPIFFS erases as it writes
  --io SOCKET      the board's hardware on a Unix socket at SOCKET: drive inputs (pins, ADC,
                   DHT, DS18B20, BME280) and read outputs (pins, PWM) with line commands;
                   send "help" for them (docs/emulator.md)
  --fleet N        boot N boards (distinct chip ids, shared flash) with no console, for load tests
  --raw            on this terminal, show Lua errors as the board prints them (app.lua:LINE);
                   by default they show at their TypeScript line, from the build's error maps

example:
  mcu build && mcu emulate --load build/lua --serial /tmp/ttyNODEMCU`;

const options = {
  app: { type: "string" },
  flash: { type: "string" },
  load: { type: "string" },
  serial: { type: "string" },
  "chip-id": { type: "string" },
  ssid: { type: "string" },
  psk: { type: "string" },
  heap: { type: "string" },
  modules: { type: "string" },
  ssl: { type: "boolean" },
  number: { type: "string" },
  fleet: { type: "string" },
  baud: { type: "string" },
  "flash-timing": { type: "string" },
  "flash-aged": { type: "boolean" },
  io: { type: "string" },
  raw: { type: "boolean" },
} as const;

/** What was wrong with a folder given on the command line. */
function why(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code ?? "";
  return (
    { ENOENT: "no such folder", ENOTDIR: "not a folder", EEXIST: "not a folder", EACCES: "no permission" }[code] ??
    (err as Error).message
  );
}

/** Copies a build's .lua/.lc files into the flash, each under the SPIFFS name of its bytes. */
function load(flash: Flash, dir: string): void {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => /\.(lua|lc)$/.test(f));
  } catch (err) {
    throw new CliError(
      `--load ${dir}: ${why(err)}; give the folder mcu build writes its files to (e.g. build/lua)`,
      EXIT.usage,
    );
  }
  if (files.length === 0)
    throw new CliError(`--load ${dir}: no .lua or .lc files there (run mcu build first)`, EXIT.usage);
  for (const f of files) {
    // A host name is UTF-8; on the board a name is bytes, as a latin1 string.
    if (!flash.load(Buffer.from(f, "utf8").toString("latin1"), join(dir, f))) {
      throw new CliError(
        `--load ${dir}: "${f}" is longer than the ${NAME_MAX} bytes of a SPIFFS file name; rename it`,
        EXIT.usage,
      );
    }
  }
}

function flashTiming(value: string | undefined): FlashProfile | undefined {
  if (value === undefined || Object.hasOwn(FLASH_TIMINGS, value)) return value as FlashProfile | undefined;
  throw new CliError(`--flash-timing ${value}: give one of ${Object.keys(FLASH_TIMINGS).join(", ")}`, EXIT.usage);
}

/** Says on standard error, at most once a second, when serial input was lost as a real board would lose it. */
function reportLoss(board: Board): () => void {
  let said = "0 0";
  const say = () => {
    const { overflowed, lost } = board.rx;
    const now = `${overflowed} ${lost}`;
    if (now === said) return;
    said = now;
    process.stderr.write(
      `mcu emulate: serial input lost so far: ${overflowed} bytes overflowed the UART's FIFO during flash work, ${lost} lost from the full ring buffer\n`,
    );
  };
  const timer = setInterval(say, 1000);
  return () => {
    clearInterval(timer);
    say();
  };
}

function modulesOf(spec: string): string[] {
  try {
    return parseModules(spec);
  } catch (err) {
    return usageError(`--modules ${spec}: ${(err as Error).message}`);
  }
}

function numberTypeOf(v: string | undefined): NumberType | undefined {
  if (v === undefined || v === "float" || v === "integer") return v;
  return usageError(`--number ${v}: give "float" or "integer" (the build type a NodeMCU banner shows)`);
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseOrUsage(argv, options, usage);
  const flashDir = values.flash ?? join(".emulator", "flash");
  const baud = wholeNumber("baud", values.baud, { min: 300 });
  // The app's build, and its Wi-Fi as the access point the board finds.
  const app =
    values.app === undefined
      ? undefined
      : await buildFirmware({ appDir: values.app, log: (l) => process.stderr.write(`${l}\n`) });
  const wifi = app ? loadConfig(app.configFile).wifi : undefined;
  // The README's build plus what the app uses; an explicit --modules wins.
  const nodemcu = app && values.modules === undefined ? emulatedBuild(app.needs.modules) : undefined;
  const opts: BoardOptions = {
    flashDir,
    chipId: wholeNumber("chip-id", values["chip-id"], { min: 0 }),
    heap: wholeNumber("heap", values.heap, { min: 4096 }),
    modules: values.modules === undefined ? nodemcu?.modules : modulesOf(values.modules),
    ssl: values.ssl,
    numberType: numberTypeOf(values.number),
    ssid: values.ssid ?? wifi?.ssid,
    psk: values.psk ?? wifi?.password,
    baud,
    flashTiming: flashTiming(values["flash-timing"]),
    flashAged: values["flash-aged"],
  };
  const fleet = wholeNumber("fleet", values.fleet, { min: 1 });
  let board: Board;
  try {
    board = new Board(opts);
  } catch (err) {
    throw new CliError(
      `--flash ${flashDir}: ${why(err)}; give a folder for the board's flash (it is created if missing)`,
      EXIT.usage,
    );
  }
  if (values.load) load(board.flash, values.load);
  if (app) load(board.flash, app.outDir);
  if (nodemcu) process.stderr.write(`mcu emulate: its NodeMCU build: ${nodemcu.line}\n`);
  if (fleet !== undefined && values.io !== undefined) usageError("--io serves one board; leave it out with --fleet");
  if (fleet !== undefined) return runFleet(createFleet(fleet, opts));
  const io =
    values.io === undefined
      ? undefined
      : await serveIo(board.io, values.io).catch((err: Error) => usageError(`--io ${values.io}: ${err.message}`));
  if (io) process.stderr.write(`mcu emulate: hardware on ${values.io} (send "help")\n`);
  // Listening before the link exists: a signal as soon as it shows still removes it.
  const powerOff = interruptedUnlessStuck(board);
  const pty = values.serial ? openSerialPty(values.serial) : undefined;
  if (pty) {
    const tx = new Line(baud, (d) => pty.write(d));
    pty.onData((d) => board.input(d));
    board.on("output", (d: Buffer) => tx.send(d));
    process.stderr.write(`mcu emulate: serial console on ${values.serial} -> ${pty.device}; Ctrl-C powers off\n`);
  } else {
    showOutput(board, values.raw ? undefined : (app?.outDir ?? values.load));
    if (process.stdin.isTTY) process.stdin.setRawMode(true);
    process.stdin.on("data", (d: Buffer) => (d.includes(3) ? process.emit("SIGINT") : board.input(d)));
  }
  const lossReport = reportLoss(board);
  board.boot();
  await powerOff;
  lossReport();
  // Power off: sockets dropped without DISCONNECT, so the broker publishes the will.
  board.powerOff();
  pty?.close();
  io?.close();
  process.stdin.pause();
  return EXIT.ok;
}

/** The board's console on this terminal, its Lua errors mapped to TypeScript with the build folder's error maps when `maps` names one. */
function showOutput(board: Board, maps: string | undefined): void {
  if (maps === undefined) {
    board.on("output", (d: Buffer) => process.stdout.write(d));
    return;
  }
  const decoder = new StringDecoder("utf8");
  const mapper = errorMapper(maps, (t) => process.stdout.write(t));
  board.on("output", (d: Buffer) => mapper.write(decoder.write(d)));
}

/**
 * Ctrl-C or SIGTERM, as a promise. While a job of the board's holds the CPU (a Lua loop on its way
 * to the watchdog) this process can run no handler, so the handlers step aside and the signal ends
 * it at once, as it would any program; they are back when the job ends.
 */
function interruptedUnlessStuck(board: Board): Promise<void> {
  return new Promise((resolve) => {
    const listen = () => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    };
    listen();
    board.on("stuck", () => {
      process.off("SIGINT", resolve);
      process.off("SIGTERM", resolve);
      process.stderr.write(
        "mcu emulate: a job has held the board's CPU for a second (a loop?); the watchdog resets it, and Ctrl-C ends this process now\n",
      );
    });
    board.on("unstuck", listen);
  });
}

async function runFleet(boards: Board[]): Promise<number> {
  for (const b of boards) b.boot();
  process.stderr.write(`mcu emulate: ${boards.length} boards booted; Ctrl-C powers them off\n`);
  await interrupted();
  for (const b of boards) b.powerOff();
  return EXIT.ok;
}
