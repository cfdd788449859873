// A typed REPL session over a real pseudo-terminal with the real serialport library, against
// `mcu emulate --serial`: a file written with file.open/write/close survives node.restart().
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { SerialPort } from "serialport";
import { mcuBin } from "../helpers/cli.ts";
import { waitFor, waitForMatch } from "../helpers/wait.ts";

const dir = mkdtempSync(join(tmpdir(), "mcu-serial-"));
const link = join(dir, "ttyNODEMCU");
const flash = join(dir, "flash");
let emulator: ReturnType<typeof spawn>;

before(async () => {
  // Never rebuild dist/ here: other test files run the CLI from it at the same time.
  mcuBin();
  emulator = spawn(process.execPath, ["dist/mcu.js", "emulate", "--flash", flash, "--serial", link], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  assert.ok(await waitFor(() => existsSync(link), 5000), "the emulator did not create its serial link");
});
after(async () => {
  emulator.kill("SIGTERM");
  await new Promise((r) => emulator.once("close", r));
  assert.equal(existsSync(link), false, "the serial link outlived the emulator");
  rmSync(dir, { recursive: true, force: true });
});

function session(): { port: SerialPort; text: () => string; until(re: RegExp, ms?: number): Promise<void> } {
  const port = new SerialPort({ path: link, baudRate: 115200 });
  let text = "";
  port.on("data", (d: Buffer) => (text += d.toString("latin1")));
  return {
    port,
    text: () => text,
    until: (re, ms) => waitForMatch(() => text, re, ms),
  };
}

test("write a file at the REPL, restart the board, read it back", async () => {
  const s = session();
  await new Promise((r) => s.port.once("open", r));
  s.port.write("\r\n");
  await s.until(/> $/);
  s.port.write('f = file.open("hello.txt", "w") f:write("written over serial") f:close()\r\n');
  await s.until(/f:close\(\)\r\n> $/);
  s.port.write("node.restart()\r\n");
  await s.until(/node\.restart\(\)\r\n[\s\S]*NodeMCU 3\.0\.0\.0[\s\S]*cannot open init\.lua: \r\n> $/);
  s.port.write('print(file.getcontents("hello.txt"))\r\n');
  await s.until(/\r\nwritten over serial\r\n> $/);
  await new Promise((r) => s.port.close(r));
  assert.equal(readFileSync(join(flash, "hello.txt"), "utf8"), "written over serial");
});

test("the port can be closed and opened again", async () => {
  const s = session();
  await new Promise((r) => s.port.once("open", r));
  s.port.write("=7*6\r\n");
  await s.until(/42\r\n> $/);
  await new Promise((r) => s.port.close(r));
});
