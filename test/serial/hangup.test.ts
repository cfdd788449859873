// A tty that hangs up (its pty master closed, its USB device gone) answers reads with 0 bytes
// once the kernel has finished the hang-up. The port must close then, not read again forever:
// this is what made `mcu monitor` miss a board that went away on a loaded machine.
import assert from "node:assert/strict";
import { closeSync, constants, openSync, readSync } from "node:fs";
import { createRequire } from "node:module";
import { test } from "node:test";
import { openPort } from "../../tools/serial/link.ts";
import { waitFor } from "../helpers/wait.ts";

const require = createRequire(import.meta.url);
const { requireBinary } = require("@lydell/node-pty/requireBinary.js") as {
  requireBinary(f: string): { open(c: number, r: number): { master: number; slave: number; pty: string } };
};

test("a serial port closes when its tty hangs up, even if the hang-up finished before the first read", async () => {
  const { master, slave, pty } = requireBinary("pty.node").open(80, 24);
  closeSync(slave);
  const port = await openPort(pty, 115200);
  const probe = openSync(pty, constants.O_RDONLY | constants.O_NOCTTY);
  let closed = false;
  port.once("close", () => (closed = true));
  closeSync(master);
  // A read that returns 0 bytes shows the hang-up is complete, before the port reads at all.
  assert.equal(readSync(probe, Buffer.alloc(16)), 0);
  closeSync(probe);
  port.on("data", () => {});
  port.on("error", () => {});
  assert.ok(await waitFor(() => closed, 5000), "the port kept reading a hung-up tty and never closed");
});
