// The link `mcu emulate --serial PATH` makes: one emulator per link, a link left by a killed
// emulator is taken over, and "port is busy" names the program holding the port, not the
// emulator behind it.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readlinkSync, rmSync, symlinkSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { openSerialPty } from "../../tools/emulator/front/pty.ts";
import { openPort } from "../../tools/serial/link.ts";
import { openError } from "../../tools/serial/ports.ts";
import { mcuBin } from "../helpers/cli.ts";
import { waitFor } from "../helpers/wait.ts";

const dir = mkdtempSync(join(tmpdir(), "mcu-link-"));
const children: ChildProcess[] = [];
after(() => {
  for (const c of children) c.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

function readLink(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}

interface Emulator {
  child: ChildProcess;
  stderr(): string;
  /** Whether it is serving its console (true) or has exited (false). */
  started: Promise<boolean>;
}

/** Starts `mcu emulate --serial link`; `started` settles once it serves its link or has exited. */
function start(link: string, flash: string): Emulator {
  const child = spawn(process.execPath, [mcuBin(), "emulate", "--flash", flash, "--serial", link], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  children.push(child);
  let stderr = "";
  const started = new Promise<boolean>((resolve) => {
    child.stderr!.on("data", (d: Buffer) => {
      stderr += d;
      if (/serial console on/.test(stderr)) resolve(true);
    });
    child.once("close", () => resolve(false));
  });
  return { child, stderr: () => stderr, started };
}

async function emulator(link: string, flash: string): Promise<ChildProcess> {
  const e = start(link, flash);
  assert.ok(await e.started, `the emulator did not start: ${e.stderr()}`);
  return e.child;
}

function exit(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  child.kill(signal);
  return new Promise((r) =>
    child.exitCode !== null || child.signalCode !== null ? r() : child.once("close", () => r()),
  );
}

test("a second emulate --serial on a link in use is refused with exit 2, and the first keeps its link", async () => {
  const link = join(dir, "ttyTWICE");
  const first = await emulator(link, join(dir, "flash1"));
  const before = readLink(link);
  const second = start(link, join(dir, "flash2"));
  assert.equal(await second.started, false, "a second emulator took over the link");
  assert.equal(second.child.exitCode, 2, second.stderr());
  assert.match(
    second.stderr(),
    new RegExp(
      `^mcu emulate: --serial .*ttyTWICE is in use: the emulator running as process ${first.pid} serves it; stop that one, or choose another path`,
    ),
  );
  assert.doesNotMatch(second.stderr(), /unexpected error/);
  assert.equal(readLink(link), before);
  assert.ok(existsSync(link), "the first emulator's link no longer leads to its pty");
  await exit(first, "SIGTERM");
  assert.equal(readLink(link), undefined, "the link outlived its emulator");
});

test("a link left behind by a killed emulator is taken over by the next one", async () => {
  const link = join(dir, "ttySTALE");
  await exit(await emulator(link, join(dir, "flash3")), "SIGKILL");
  assert.ok(readLink(link) !== undefined && !existsSync(link), "a killed emulator should leave a dangling link");
  const next = await emulator(link, join(dir, "flash3"));
  assert.equal(readLink(link)?.startsWith(`/proc/${next.pid}/`), true);
  await exit(next, "SIGTERM");
  assert.equal(readLink(link), undefined);
});

test("an emulator that exits leaves alone a link that is no longer its own", () => {
  const link = join(dir, "ttyMOVED");
  const pty = openSerialPty(link);
  unlinkSync(link);
  symlinkSync("/dev/null", link); // someone else's link by now
  pty.close();
  assert.equal(readLink(link), "/dev/null");
});

test("port is busy names the program holding the port, not the emulator's own handle on it", async () => {
  const link = join(dir, "ttyBUSY");
  const board = await emulator(link, join(dir, "flash4"));
  const holder = spawn(
    process.execPath,
    // Holds the port open (and locked, as serialport does) until killed.
    [
      "-e",
      `const { SerialPort } = require("serialport"); new SerialPort({ path: ${JSON.stringify(link)}, baudRate: 115200 }).on("open", () => console.log("open")); setInterval(() => {}, 1e9);`,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  children.push(holder);
  let said = "";
  holder.stdout!.on("data", (d: Buffer) => (said += d));
  assert.ok(await waitFor(() => said.includes("open")), "the holder did not open the port");
  const err = await openPort(link, 115200).then(
    () => assert.fail("a second open of a held port succeeded"),
    (e: Error) => e,
  );
  const message = openError(link, err).message;
  assert.match(message, new RegExp(`is busy: it is held by ${holder.pid} \\(node\\);`));
  await exit(holder, "SIGKILL");
  await exit(board, "SIGTERM");
});
