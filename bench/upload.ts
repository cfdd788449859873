// Row 2: upload rate on an emulated 115200-baud line (10 bits a byte: 11,520 bytes/s at most) to a
// strict board (UART FIFO and ring, flash work holding off the UART interrupt) whose filesystem
// is aged, so SPIFFS erases as it writes; and the same upload by nodemcu-tool (base64 with the
// board's encoder module, hex without it) against the same board, when nodemcu-tool installs.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Board, DEFAULT_MODULES } from "../tools/emulator/board.ts";
import { Line } from "../tools/emulator/front/line.ts";
import { openSerialPty } from "../tools/emulator/front/pty.ts";
import type { FlashProfile } from "../tools/emulator/machine/flash-timing.ts";

export const LINE_BYTES_PER_S = 11520;

export interface PacedBoard {
  link: string;
  board: Board;
  close(): void;
}

/** A strict emulated board with an aged filesystem, its console a pty at 115200 baud both ways. */
export function pacedBoard(modules = DEFAULT_MODULES, flashTiming: FlashProfile = "typical"): PacedBoard {
  const dir = mkdtempSync(join(tmpdir(), "mcu-bench-up-"));
  const link = join(dir, "tty");
  const board = new Board({ flashDir: join(dir, "flash"), modules, flashAged: true, flashTiming });
  const pty = openSerialPty(link);
  const tx = new Line(115200, (d) => pty.write(d));
  pty.onData((d) => board.input(d));
  board.on("output", (d: Buffer) => tx.send(d));
  board.boot();
  return {
    link,
    board,
    close() {
      board.powerOff();
      pty.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function payload(dir: string, bytes: number): string {
  const file = join(dir, "payload.bin");
  // Lua source is what gets uploaded in practice, but random bytes are the worst case for us
  // (no compression either way) and exercise every byte value.
  writeFileSync(file, randomBytes(bytes));
  return file;
}

/**
 * nodemcu-tool from the npm registry into bench/.tools (git-ignored), with its serialport binding
 * built from source (npm 11 does not run install scripts unasked). Returns its entry script, or
 * why it is not available.
 */
export function nodemcuTool(root: string): { bin?: string; why?: string } {
  const prefix = join(root, "bench", ".tools");
  const bin = join(prefix, "node_modules", "nodemcu-tool", "bin", "nodemcu-tool.js");
  const binding = join(prefix, "node_modules", "@serialport", "bindings", "build", "Release", "bindings.node");
  try {
    if (!existsSync(bin))
      execFileSync(
        "npm",
        ["install", "--prefix", prefix, "--no-audit", "--no-fund", "--no-save", "nodemcu-tool@3.2.1"],
        { stdio: "pipe" },
      );
    if (!existsSync(binding))
      execFileSync("npx", ["--yes", "node-gyp", "rebuild"], {
        cwd: join(prefix, "node_modules", "@serialport", "bindings"),
        stdio: "pipe",
      });
    return { bin };
  } catch (err) {
    return { why: `nodemcu-tool did not install here: ${String((err as Error).message).split("\n")[0]}` };
  }
}
