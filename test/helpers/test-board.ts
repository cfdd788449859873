// The one way this repository's tests boot an emulated board: the test kit's core
// (tools/testing/board.ts: a build or files, modules, hardware) plus what only these tests need:
// Lua that runs once the board has an address, a REPL to type at, the console on a real
// pseudo-terminal with a tap on the wire, and cleanup by itself. Its console is text() as the
// board wrote it (bytes as latin1, NodeMCU's "\r\n" line ends), or console() as lines without "\r".
import { AsyncResource } from "node:async_hooks";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after } from "node:test";
import { Line } from "../../tools/emulator/front/line.ts";
import { openSerialPty } from "../../tools/emulator/front/pty.ts";
import { type EmulatedBoard, type EmulatedBoardOptions, emulatedBoard } from "../../tools/testing/board.ts";
import { waitForMatch } from "./wait.ts";

/** Called before a chunk reaches the board, with the count of bytes that came before it; returns what the board gets. */
export type Tap = (chunk: Buffer, before: number) => Buffer;

export interface TestBoardOptions extends EmulatedBoardOptions {
  /** Lua that runs once the board has joined the emulated Wi-Fi: it becomes the board's init.lua. */
  onIp?: string;
  /** The console on a real pseudo-terminal as well; `baud` paces the board's output as its UART would. */
  pty?: { baud?: number };
  /** Stop after the test file's tests, not after the test that booted it (a board booted in `before`). */
  forFile?: boolean;
}

export interface TestBoard extends Omit<EmulatedBoard, "stop"> {
  /** Everything the console has shown since the last clearText(), as the board wrote it. */
  text(): string;
  clearText(): void;
  /** Waits for the REPL's prompt. */
  prompt(ms?: number): Promise<void>;
  /** Types `line` ("\r\n" after it) and waits until what the console shows since then matches `re`; resolves with that. */
  run(line: string, re: RegExp, ms?: number): Promise<string>;
  /** Powers off, closes the pty and removes what it made; again is harmless. */
  stop(): void;
  /** The pty's symlink, which a serial program opens (with `pty`). */
  readonly link: string;
  /** Bytes the serial program has sent to the board so far (with `pty`). */
  received(): number;
  tap: Tap | undefined;
}

/** The test file's context: node:test attaches `after` to the test or hook that calls it. */
const fileScope = new AsyncResource("mcu-test-board");

/** NodeMCU's default build (adc, dht, gpio, i2c, ow, …) plus pwm: for the peripheral tests. */
export const IO_MODULES = ["adc", "bit", "dht", "file", "gpio", "i2c", "node", "ow", "pwm", "tmr", "uart"];

const WIFI = { ssid: "emulated", pwd: "nodemcu-emulator" };
const RUN_WAIT_MS = 5000;

/** Boots a board; it stops by itself after the test that booted it (or the file, with `forFile`). */
export function testBoard(opts: TestBoardOptions = {}): TestBoard {
  const own = mkdtempSync(join(tmpdir(), "mcu-test-board-"));
  const files = opts.onIp === undefined ? opts.files : { ...opts.files, "init.lua": onIpInit(opts.onIp) };
  const core = emulatedBoard({ ...opts, files, flashDir: opts.flashDir ?? join(own, "flash"), off: true });
  let from = 0;
  let stopped = false;
  const self: TestBoard = {
    ...core,
    text: () => core.text().slice(from),
    clearText: () => {
      from = core.text().length;
    },
    prompt: (ms = RUN_WAIT_MS) => waitForMatch(self.text, /> $/, ms),
    run: async (line, re, ms = RUN_WAIT_MS) => {
      const mark = self.text().length;
      core.board.input(`${line}\r\n`);
      await waitForMatch(() => self.text().slice(mark), re, ms);
      return self.text().slice(mark);
    },
    stop: () => {
      if (stopped) return;
      stopped = true;
      closePty();
      core.stop();
      rmSync(own, { recursive: true, force: true });
    },
    link: join(own, "ttyBOARD"),
    received: () => 0,
    tap: undefined,
  };
  const closePty = opts.pty ? onPty(self, opts.pty.baud) : () => {};
  if (opts.forFile) fileScope.runInAsyncScope(() => after(self.stop));
  else after(self.stop);
  if (!opts.off) core.board.boot();
  return self;
}

/** Puts the board's console on a pty at `self.link`; returns what closes it. */
function onPty(self: TestBoard, baud: number | undefined): () => void {
  const pty = openSerialPty(self.link);
  const tx = new Line(baud, (d) => pty.write(d));
  let count = 0;
  self.received = () => count;
  pty.onData((d) => {
    const before = count;
    count += d.length;
    const out = self.tap ? self.tap(d, before) : d;
    if (out.length > 0) self.board.input(out);
  });
  self.board.on("output", (d: Buffer) => tx.send(d));
  return () => {
    tx.close();
    self.board.powerOff();
    pty.close();
  };
}

function onIpInit(lua: string): string {
  return `wifi.setmode(wifi.STATION) wifi.sta.config({ ssid = "${WIFI.ssid}", pwd = "${WIFI.pwd}", got_ip_cb = function()\n${lua}\nend })\n`;
}

/** A board at its REPL's prompt (after init.lua, if it has one). */
export async function replBoard(opts: TestBoardOptions = {}): Promise<TestBoard> {
  const board = testBoard(opts);
  await board.prompt();
  return board;
}
