// An emulated board in the test process with its console on a real pseudo-terminal, and a tap
// on the wire from the serial program to the board: it counts bytes and can corrupt, cut or
// trigger a reset at a chosen byte, as a flaky cable or a reset button would.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Board, type BoardOptions } from "../../tools/emulator/board.ts";
import { Line } from "../../tools/emulator/front/line.ts";
import { openSerialPty, type SerialPty } from "../../tools/emulator/front/pty.ts";

/** Called before a chunk reaches the board, with the count of bytes that came before it; returns what the board gets. */
export type Tap = (chunk: Buffer, before: number) => Buffer;

export interface PtyBoard {
  board: Board;
  /** The symlink a serial program opens. */
  link: string;
  flashDir: string;
  /** Everything the board wrote to its console since the last clearText(). */
  text(): string;
  clearText(): void;
  /** Bytes the serial program has sent to the board so far. */
  received(): number;
  tap: Tap | undefined;
  close(): void;
}

/**
 * A board on a pty. Its input always runs at its UART's speed (BoardOptions.baud, default 115200);
 * with `baud` its output does too. Its NodeMCU build is the Board's default (the README's
 * recommended modules, no SSL, float) unless `modules`, `ssl` or `numberType` say otherwise.
 */
export function ptyBoard(opts: Partial<BoardOptions> & { baud?: number } = {}): PtyBoard {
  const dir = mkdtempSync(join(tmpdir(), "mcu-pty-"));
  const link = join(dir, "ttyBOARD");
  const flashDir = opts.flashDir ?? join(dir, "flash");
  const board = new Board({ ...opts, flashDir });
  const pty: SerialPty = openSerialPty(link);
  const tx = new Line(opts.baud, (d) => pty.write(d));
  let text = "";
  let count = 0;
  const self: PtyBoard = {
    board,
    link,
    flashDir,
    text: () => text,
    clearText: () => {
      text = "";
    },
    received: () => count,
    tap: undefined,
    close() {
      tx.close();
      board.powerOff();
      pty.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  pty.onData((d) => {
    const before = count;
    count += d.length;
    const out = self.tap ? self.tap(d, before) : d;
    if (out.length > 0) board.input(out);
  });
  board.on("output", (d: Buffer) => {
    text += d.toString("latin1");
    tx.send(d);
  });
  board.boot();
  return self;
}
