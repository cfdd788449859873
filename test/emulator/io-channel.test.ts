// `mcu emulate --io SOCKET` end to end (dist/mcu.js): a firmware on the emulated board reacts to
// inputs the host drives over the socket, and the host sees its outputs as events and answers.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, test } from "node:test";
import { command, MAX_IO_LINE } from "../../tools/emulator/hardware/io.ts";
import { mcu, mcuBin } from "../helpers/cli.ts";
import { IO_MODULES, replBoard } from "../helpers/test-board.ts";
import { waitFor, waitUntil } from "../helpers/wait.ts";

// A small sensor node: a button on pin 2 switches the relay on pin 1; the ADC sets pin 5's PWM duty.
const APP = `gpio.mode(1, gpio.OUTPUT)
gpio.mode(2, gpio.INT)
gpio.trig(2, 'up', function(level) gpio.write(1, gpio.HIGH) end)
pwm.setup(5, 1000, 0) pwm.start(5)
tmr.create():alarm(20, tmr.ALARM_AUTO, function() pwm.setduty(5, adc.read(0)) end)
`;

const dir = mkdtempSync(join(tmpdir(), "mcu-io-"));
const children: ChildProcess[] = [];
after(() => {
  for (const c of children) c.kill("SIGINT");
  rmSync(dir, { recursive: true, force: true });
});

/** A client on the socket: the lines it received so far, and a way to send one. */
function client(path: string): { lines: string[]; send: (l: string) => void; socket: Socket } {
  const socket = connect(path);
  const lines: string[] = [];
  let rest = "";
  socket.on("data", (d: Buffer) => {
    const parts = (rest + d.toString()).split("\n");
    rest = parts.pop()!;
    lines.push(...parts);
  });
  return { lines, send: (l) => socket.write(`${l}\n`), socket };
}

test("the host drives a button and the ADC over --io and sees the relay and the PWM duty change", async () => {
  const flash = join(dir, "flash");
  mkdirSync(flash);
  writeFileSync(join(flash, "init.lua"), APP);
  const sock = join(dir, "io.sock");
  const child = spawn(
    process.execPath,
    [resolve(mcuBin()), "emulate", "--flash", flash, "--modules", "adc,file,gpio,node,pwm,tmr,uart", "--io", sock],
    {
      stdio: ["pipe", "pipe", "pipe"],
    },
  );
  children.push(child);
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  await waitUntil("the --io socket", () => /hardware on /.test(stderr));
  const c = client(sock);
  await new Promise((r) => c.socket.once("connect", r));

  after(() => c.socket.destroy());
  // Answers come in order; events (the PWM starting, say) may come between them.
  const answers = () => c.lines.filter((l) => !l.startsWith("event "));
  c.send("get gpio 1");
  await waitUntil("an answer", () => answers().length === 1);
  assert.deepEqual(answers(), ["ok 0 output"]);

  c.send("set gpio 2 1");
  await waitUntil("the relay event", () => c.lines.includes("event gpio 1 1"));
  assert.ok(c.lines.includes("event gpio 2 1"));

  c.send("set adc 300");
  await waitUntil("the PWM event", () => c.lines.includes("event pwm 5 1000 300"));
  c.send("get pwm 5");
  c.send("set adc 2000");
  await waitUntil("the answers", () => answers().length === 5);
  assert.deepEqual(answers(), ["ok 0 output", "ok", "ok", "ok 1000 300", "error the ADC reads 0..1024, not 2000"]);
});

test("a second emulator on the same --io socket is refused with exit 2", async () => {
  const sock = join(dir, "io.sock");
  await waitFor(() => children.length > 0);
  const second = await mcu(["emulate", "--flash", join(dir, "flash2"), "--io", sock]);
  assert.equal(second.code, 2, second.stderr);
  assert.match(
    second.stderr,
    /--io .*io\.sock: .* is in use by another running emulator; stop it or choose another path/,
  );
});

test("--io in a folder that does not exist, or with --fleet, is exit 2 with the reason", async () => {
  const missing = await mcu(["emulate", "--flash", join(dir, "flash3"), "--io", "/nonexistent/dir/io.sock"]);
  assert.equal(missing.code, 2, missing.stderr);
  assert.match(
    missing.stderr,
    /^mcu emulate: --io \/nonexistent\/dir\/io\.sock: the folder \/nonexistent\/dir does not exist; choose another path/,
  );
  const fleet = await mcu(["emulate", "--flash", join(dir, "flash3"), "--fleet", "2", "--io", join(dir, "f.sock")]);
  assert.equal(fleet.code, 2, fleet.stderr);
  assert.match(fleet.stderr, /--io serves one board; leave it out with --fleet/);
  assert.doesNotMatch(missing.stderr + fleet.stderr, /\n\s+at /);
});

test("commands: each answers ok or an error that says what was expected", async () => {
  const board = await replBoard({ modules: IO_MODULES });
  const io = board.io;
  assert.equal(command(io, "set ds18b20 3 21.5 7"), `ok ${io.setDs18b20(3, 21.5, 7)}`);
  assert.equal(command(io, "set dht 4 dht22 20.5 40"), "ok");
  await board.run("print('dht', dht.read(4))", /dht\t0\t20\.5\t40\t500\t0\r\n/);
  assert.equal(command(io, "set dht 4 dht99 1 2"), 'error the DHT model is dht11 or dht22 (or "absent"), not "dht99"');
  assert.equal(command(io, "set gpio 13 1"), "error NodeMCU pins are 0..12, not 13");
  assert.equal(command(io, "set gpio 3 x"), 'error LEVEL must be a number, not "x"');
  assert.equal(command(io, "get pwm 4"), "ok off");
  assert.equal(command(io, "set bme280 19.5 40 1000"), "ok");
  assert.match(command(io, "fly away"), /^error unknown command "fly away"; send "help"/);
  assert.match(command(io, "help"), /^ok set gpio PIN/);
});

test("a line over MAX_IO_LINE bytes is answered with an error and its connection closed; the channel serves on", async () => {
  const flash = join(dir, "flash-long");
  mkdirSync(flash);
  const sock = join(dir, "long.sock");
  const child = spawn(
    process.execPath,
    [resolve(mcuBin()), "emulate", "--flash", flash, "--modules", "file,gpio,node,tmr,uart", "--io", sock],
    {
      stdio: ["pipe", "pipe", "pipe"],
    },
  );
  children.push(child);
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  await waitUntil("the --io socket", () => /hardware on /.test(stderr));

  // A line just at the limit is a command (an unknown one); one byte more is refused.
  const fits = client(sock);
  fits.send(`x${" ".repeat(MAX_IO_LINE - 1)}`);
  await waitUntil("the answer", () => fits.lines.length === 1);
  assert.match(fits.lines[0]!, /^error unknown command "x"/);
  fits.socket.destroy();

  // 1 MB with no newline, in chunks: one error line, then the emulator hangs up.
  const long = client(sock);
  let hungUp = false;
  long.socket.once("end", () => (hungUp = true));
  const chunk = "y".repeat(64 * 1024);
  for (let i = 0; i < 16 && !long.socket.destroyed; i++) long.socket.write(chunk);
  await waitUntil("the emulator to answer and hang up", () => hungUp, 20_000);
  assert.deepEqual(long.lines, [`error line over ${MAX_IO_LINE} bytes; closing the connection`]);
  long.socket.destroy();

  const next = client(sock);
  next.send("get gpio 1");
  await waitUntil("an answer on a new connection", () => next.lines.length === 1);
  assert.match(next.lines[0]!, /^ok [01] /);
  next.socket.destroy();
});
