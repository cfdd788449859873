// The kit's core: an emulated board on a flash folder of its own, loaded with a build or with
// files, its NodeMCU build's modules and its hardware, its console kept as lines. boot.ts adds
// the broker and the app's build; a test that needs no MQTT can use this alone.
import { EventEmitter } from "node:events";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Firmware } from "../compiler/manifest.ts";
import { Board, type BoardOptions } from "../emulator/board.ts";
import type { Peripherals } from "../emulator/hardware/peripherals.ts";
import { consoleLines } from "./console.ts";
import { type Hardware, wire } from "./hardware.ts";
import { described, firstMatch, type Match, until } from "./wait.ts";

export interface EmulatedBoardOptions {
  /** A build to put on the flash (its manifest's files). */
  build?: Pick<Firmware, "outDir" | "files">;
  /** Files to put on the flash, by name (init.lua runs at boot). */
  files?: Record<string, string | Buffer>;
  /** The NodeMCU build's modules (default: the README's recommended build). */
  modules?: readonly string[];
  /** The hardware on the board when it powers on. */
  io?: Hardware;
  /** A flash folder to use, kept when the board stops (default: a fresh one, removed then). */
  flashDir?: string;
  /** Leave the board off: powerCycle() turns it on. */
  off?: boolean;
  /** Any other of the emulated board's settings (heap, chipId, ssid and psk, …). */
  board?: Omit<BoardOptions, "flashDir" | "modules">;
}

export interface EmulatedBoard {
  /** The emulated board itself, for what the kit does not wrap. */
  readonly board: Board;
  /** Its hardware: drive inputs (setAdc, setPin, setDht, setDs18b20, …) and read outputs (pin, pwm). */
  readonly io: Peripherals;
  /** Its flash folder. */
  readonly flashDir: string;
  /** Every line the console has shown since power-on (through consoleLines). */
  console(): string[];
  /** The console as the board wrote it: its bytes as latin1, with NodeMCU's "\r\n" line ends. */
  text(): string;
  /** Waits for a console line after the one the last expectConsole matched; resolves with it. */
  expectConsole(match: Match, timeoutMs?: number): Promise<string>;
  /** Free heap now, as node.heap() would say. */
  heap(): number;
  /** Power off and on again: RAM and timers are gone; flash and the hardware around it stay. */
  powerCycle(): void;
  /** Powers off and removes the flash folder if it made it. */
  stop(): void;
}

const CONSOLE_WAIT_MS = 10_000;

/** Boots a board; `stop()` it when done. */
export function emulatedBoard(opts: EmulatedBoardOptions = {}): EmulatedBoard {
  const flashDir = opts.flashDir ?? mkdtempSync(join(tmpdir(), "mcu-test-flash-"));
  mkdirSync(flashDir, { recursive: true });
  for (const [name, contents] of Object.entries(opts.files ?? {})) writeFileSync(join(flashDir, name), contents);
  const board = new Board({ ...opts.board, flashDir, modules: opts.modules });
  for (const f of opts.build?.files ?? [])
    board.flash.load(Buffer.from(f.name, "utf8").toString("latin1"), join(opts.build!.outDir, f.name));
  if (opts.io) wire(board.io, opts.io);
  let raw = "";
  let cursor = 0;
  const changed = new EventEmitter();
  board.on("output", (d: Buffer) => {
    raw += d.toString("latin1");
    changed.emit("output");
  });
  const lines = () => consoleLines(raw, opts.build?.outDir);
  if (!opts.off) board.boot();
  return {
    board,
    io: board.io,
    flashDir,
    console: lines,
    text: () => raw,
    expectConsole: async (match, ms = CONSOLE_WAIT_MS) => {
      const found = await until(
        changed,
        "output",
        () => firstMatch(lines(), cursor, match),
        ms,
        `a console line ${described(match)}`,
        () => {
          return `the console since then:\n${lines().slice(cursor).join("\n")}`;
        },
      );
      cursor = found.index + 1;
      return found.text;
    },
    heap: () => board.heap(),
    powerCycle: () => {
      board.powerOff();
      board.boot();
    },
    stop: () => {
      board.powerOff();
      if (!opts.flashDir) rmSync(flashDir, { recursive: true, force: true });
    },
  };
}
