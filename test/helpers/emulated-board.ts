// A fresh emulated board on a temporary flash folder, with its console output collected, for tests
// that drive tools/emulator's Board directly. Boards made here are powered off after each test.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "node:test";
import { Board, type BoardOptions } from "../../tools/emulator/board.ts";
import { waitForMatch } from "./wait.ts";

export interface TestBoard {
  b: Board;
  /** Everything the board has written to its console. */
  out: () => string;
  /** The flash folder. */
  dir: string;
  /** Types a line and waits until the console matches `re` (after what was already there). */
  run: (line: string, re: RegExp, ms?: number) => Promise<string>;
}

const boards: Board[] = [];
afterEach(() => {
  for (const b of boards.splice(0)) b.powerOff();
});

export async function bootBoard(files: Record<string, string> = {}, opts: Partial<BoardOptions> = {}): Promise<TestBoard> {
  const dir = mkdtempSync(join(tmpdir(), "mcu-flash-"));
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const b = new Board({ flashDir: dir, ...opts });
  boards.push(b);
  let out = "";
  b.on("output", (d: Buffer) => (out += d.toString("latin1")));
  b.boot();
  await waitForMatch(() => out, /> $/);
  const run = async (line: string, re: RegExp, ms = 5000) => {
    const mark = out.length;
    b.input(line + "\r\n");
    await waitForMatch(() => out.slice(mark), re, ms);
    return out.slice(mark);
  };
  return { b, out: () => out, dir, run };
}
