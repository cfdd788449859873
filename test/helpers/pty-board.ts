// A board on a real pseudo-terminal, as the serial tests open it: the test-board helper with its
// pty, its UART's settings passed through as the Board takes them.
import type { BoardOptions } from "../../tools/emulator/board.ts";
import { type TestBoard, testBoard } from "./test-board.ts";

export type { Tap } from "./test-board.ts";

export type PtyBoard = TestBoard & { close(): void };

/**
 * A board on a pty. Its input always runs at its UART's speed (BoardOptions.baud, default 115200);
 * with `baud` its output does too. Its NodeMCU build is the Board's default (the README's
 * recommended modules, no SSL, float) unless `modules`, `ssl` or `numberType` say otherwise. It
 * stops after the test file's tests, or at close().
 */
export function ptyBoard(opts: Partial<BoardOptions> & { baud?: number } = {}): PtyBoard {
  const { flashDir, modules, baud, ...board } = opts;
  const self = testBoard({ flashDir, modules, board: { ...board, baud }, pty: { baud }, forFile: true });
  return Object.assign(self, { close: self.stop });
}
