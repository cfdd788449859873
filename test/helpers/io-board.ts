// A booted emulated board with the hardware modules, for the peripheral tests: run Lua on its
// REPL and wait for what it prints.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Board } from "../../tools/emulator/board.ts";
import { waitForMatch } from "./wait.ts";

/** NodeMCU's default build (adc, dht, gpio, i2c, ow, …) plus pwm. */
export const IO_MODULES = ["adc", "bit", "dht", "file", "gpio", "i2c", "node", "ow", "pwm", "tmr", "uart"];

export interface IoBoard {
  b: Board;
  out: () => string;
  /** Types `lua` at the prompt and waits until the output since then matches `re`; returns that output. */
  run: (lua: string, re: RegExp, ms?: number) => Promise<string>;
  stop: () => void;
}

export async function ioBoard(files: Record<string, string> = {}, modules = IO_MODULES): Promise<IoBoard> {
  const dir = mkdtempSync(join(tmpdir(), "mcu-io-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const b = new Board({ flashDir: dir, modules });
  let out = "";
  b.on("output", (d: Buffer) => (out += d.toString("latin1")));
  b.boot();
  await waitForMatch(() => out, /> $/);
  const run = async (lua: string, re: RegExp, ms?: number): Promise<string> => {
    const from = out.length;
    b.input(`${lua}\n`);
    await waitForMatch(() => out.slice(from), re, ms);
    return out.slice(from);
  };
  const stop = () => {
    b.powerOff();
    rmSync(dir, { recursive: true, force: true });
  };
  return { b, out: () => out, run, stop };
}
