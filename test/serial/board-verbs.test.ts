// mcu upload / ls / cat / rm / run / reset / monitor against an emulated board on a real pty,
// and the port errors a user meets: missing, busy, no board found.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { SerialPort } from "serialport";
import { openSerialPty } from "../../tools/emulator/front/pty.ts";
import { findPort } from "../../tools/serial/ports.ts";
import { mcu, mcuBin } from "../helpers/cli.ts";
import { type PtyBoard, ptyBoard } from "../helpers/pty-board.ts";
import { waitFor } from "../helpers/wait.ts";

let pb: PtyBoard;
const dir = mkdtempSync(join(tmpdir(), "mcu-verbs-"));

before(async () => {
  mcuBin();
  pb = ptyBoard();
  assert.ok(await waitFor(() => /> $/.test(pb.text())), "the board never prompted");
});
after(() => {
  pb.close();
  rmSync(dir, { recursive: true, force: true });
});

test("mcu upload then mcu cat: every byte value 0-255 arrives and comes back intact", async () => {
  const data = Buffer.concat([
    Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
    randomBytes(3000),
    Buffer.from("\r\n\n\r> >> \x1d\x03"),
  ]);
  const local = join(dir, "bytes.bin");
  writeFileSync(local, data);
  const up = await mcu(["upload", "--port", pb.link, local]);
  assert.equal(up.code, 0, up.stderr);
  assert.match(up.stdout, /bytes\.bin .* verified/);
  assert.deepEqual(readFileSync(join(pb.flashDir, "bytes.bin")), data);
  const cat = await mcu(["cat", "--port", pb.link, "bytes.bin"]);
  assert.equal(cat.code, 0, cat.stderr);
  assert.deepEqual(Buffer.from(cat.stdout, "latin1"), data);
});

test("mcu upload of an empty file and --as", async () => {
  const local = join(dir, "empty.txt");
  writeFileSync(local, "");
  const r = await mcu(["upload", "--port", pb.link, "--as", "nothing.txt", local]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(readFileSync(join(pb.flashDir, "nothing.txt")), Buffer.alloc(0));
});

test("mcu ls lists files with sizes and the free space; --json too", async () => {
  writeFileSync(join(pb.flashDir, "listed.lua"), "x".repeat(123));
  const r = await mcu(["ls", "--port", pb.link]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^listed\.lua\s+123$/m);
  assert.match(r.stdout, /\d+ file\(s\); \d+ bytes used, \d+ free of \d+/);
  const j = await mcu(["ls", "--port", pb.link, "--json"]);
  const list = JSON.parse(j.stdout) as { files: { name: string; size: number }[]; total: number };
  assert.deepEqual(
    list.files.find((f) => f.name === "listed.lua"),
    { name: "listed.lua", size: 123 },
  );
  assert.ok(list.total > 0);
});

test("mcu run shows what a file prints, and a Lua error is exit 1 with the message", async () => {
  writeFileSync(join(pb.flashDir, "hello.lua"), 'print("hello from " .. "the board")');
  const ok = await mcu(["run", "--port", pb.link, "hello.lua"]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stdout, "hello from the board\n");
  writeFileSync(join(pb.flashDir, "bad.lua"), 'error("broken on purpose")');
  const bad = await mcu(["run", "--port", pb.link, "bad.lua"]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /mcu run: bad\.lua failed on the board: bad\.lua:1: broken on purpose/);
});

test("mcu rm removes a file; a missing one is exit 1 and named", async () => {
  writeFileSync(join(pb.flashDir, "gone.lua"), "x");
  const r = await mcu(["rm", "--port", pb.link, "gone.lua", "never.lua"]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /not on the board: never\.lua/);
  assert.throws(() => readFileSync(join(pb.flashDir, "gone.lua")), /ENOENT/);
});

test("mcu cat of a missing file and bad names are clear errors", async () => {
  const missing = await mcu(["cat", "--port", pb.link, "nope.lua"]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /nope\.lua is not on the board/);
  const control = await mcu(["cat", "--port", pb.link, "two\twords"]);
  assert.equal(control.code, 2);
  assert.match(control.stderr, /"two\\twords" holds a control character/);
});

test("mcu reset restarts the board (node.restart on a pty, which has no modem lines)", async () => {
  pb.clearText();
  const r = await mcu(["reset", "--port", pb.link]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /the board restarted/);
  assert.match(pb.text(), /NodeMCU 3\.0\.0\.0/);
});

test("mcu monitor with standard input at its end (</dev/null) keeps the console and notices the port going away", async () => {
  const link = join(dir, "ttyNOSTDIN");
  const board = spawn(process.execPath, [mcuBin(), "emulate", "--flash", join(dir, "flash3"), "--serial", link], {
    stdio: "ignore",
  });
  const child = spawn(process.execPath, [mcuBin(), "monitor", "--port", link], { stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  child.stdout.resume();
  const closed = new Promise((r) => child.once("close", r));
  try {
    assert.ok(await waitFor(() => err.includes("connected to")), err);
    board.kill("SIGTERM");
    assert.ok(
      await waitFor(() => err.includes("went away; waiting for it to return")),
      `the monitor did not keep watching: ${err}`,
    );
    child.kill("SIGTERM");
    assert.equal(await closed, 0);
  } finally {
    child.kill();
    board.kill();
  }
});

test("a port another program holds: exit 1 naming the holder", async () => {
  const holder = new SerialPort({ path: pb.link, baudRate: 115200 });
  await new Promise((r) => holder.once("open", r));
  try {
    const r = await mcu(["ls", "--port", pb.link]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`is busy: it is held by ${process.pid} \\(`));
  } finally {
    await new Promise((r) => holder.close(r));
  }
});

test("a file larger than the board's free flash is refused before a byte is sent", async () => {
  const list = JSON.parse((await mcu(["ls", "--port", pb.link, "--json"])).stdout) as {
    remaining: number;
    total: number;
  };
  const big = join(dir, "big.bin");
  writeFileSync(big, Buffer.alloc(list.remaining + 1, 0x55));
  const before = pb.received();
  const r = await mcu(["upload", "--port", pb.link, big]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(
    r.stderr,
    new RegExp(
      `not enough room on the board's flash: big\\.bin needs ${list.remaining + 1} bytes, ${list.remaining} are free of ${list.total}; see what is there with mcu ls and remove files with mcu rm`,
    ),
  );
  assert.ok(pb.received() - before < 4096, "only REPL lines went to the board, not the file");
  assert.equal(existsSync(join(pb.flashDir, "big.bin")), false);
});

test("a serial port that sends garbage, or nothing, never gets a prompt: exit 1 saying what it heard", async () => {
  const garbage = openSerialPty(join(dir, "ttyGARBAGE"));
  const silent = openSerialPty(join(dir, "ttySILENT"));
  // Line noise at a wrong baud rate: random bytes, never a prompt.
  const noise = setInterval(() => garbage.write(Buffer.from(randomBytes(64).map((b) => (b === 0x3e ? 0x3f : b)))), 50);
  try {
    const [g, s] = await Promise.all([
      mcu(["ls", "--port", join(dir, "ttyGARBAGE")]),
      mcu(["ls", "--port", join(dir, "ttySILENT")]),
    ]);
    for (const r of [g, s]) {
      assert.equal(r.code, 1, r.stderr);
      assert.match(
        r.stderr,
        /no Lua prompt after 8 s: check that the board runs NodeMCU firmware, the baud rate is right \(--baud\), and no other program has the port; the board last said: /,
      );
    }
    assert.match(g.stderr, /the board last said: "[^\n]+"/);
    assert.match(s.stderr, /the board last said: nothing/);
  } finally {
    clearInterval(noise);
    garbage.close();
    silent.close();
  }
});

test("a port that does not exist: exit 1 with what to check", async () => {
  const r = await mcu(["ls", "--port", join(dir, "ttyNOTHERE")]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /ttyNOTHERE does not exist: is the board plugged in/);
});

test("finding the board: one bridge is chosen, several or none are listed", async () => {
  const ch340 = { path: "/dev/ttyUSB0", vendorId: "1a86", productId: "7523" };
  const cp210x = { path: "/dev/ttyUSB1", vendorId: "10c4", productId: "EA60" };
  const other = { path: "/dev/ttyS0" };
  assert.equal(await findPort(async () => [other, ch340]), "/dev/ttyUSB0");
  await assert.rejects(
    findPort(async () => [ch340, cp210x]),
    {
      name: "SerialError",
      code: "AMBIGUOUS",
      message:
        /several USB-serial bridges found; pick the board with --port:\n {2}\/dev\/ttyUSB0 .*CH340\n {2}\/dev\/ttyUSB1 .*CP210x/,
    },
  );
  await assert.rejects(
    findPort(async () => [other]),
    {
      name: "SerialError",
      code: "NOT_FOUND",
      message: /no USB-serial bridge \(CH340, CP210x, FTDI\) found[\s\S]*serial ports present:\n {2}\/dev\/ttyS0/,
    },
  );
});

test("mcu monitor: shows the console, sends typed lines, marks boot noise, quits on Ctrl-]", async () => {
  const child = spawn(process.execPath, [mcuBin(), "monitor", "--port", pb.link], { stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  let err = "";
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  try {
    assert.ok(await waitFor(() => err.includes("connected to")), err);
    child.stdin.write("=6*7\n");
    assert.ok(await waitFor(() => /\n42\r\n> /.test(out)), `no answer: ${JSON.stringify(out)}`);
    child.stdin.write("node.restart()\n");
    assert.ok(
      await waitFor(() => /«noise»[\s\S]*NodeMCU 3\.0\.0\.0/.test(out)),
      `no marked boot noise: ${JSON.stringify(out)}`,
    );
    child.stdin.write("\x1d");
    const code = await new Promise((r) => child.once("close", r));
    assert.equal(code, 0);
  } finally {
    child.kill();
  }
});

test("mcu monitor waits for a port that goes away and reconnects when it returns", async () => {
  const link = join(dir, "ttyCOMEBACK");
  const emulate = () =>
    spawn(process.execPath, [mcuBin(), "emulate", "--flash", join(dir, "flash2"), "--serial", link], {
      stdio: "ignore",
    });
  let board = emulate();
  const child = spawn(process.execPath, [mcuBin(), "monitor", "--port", link], { stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  try {
    assert.ok(await waitFor(() => err.includes("connected to")), err);
    board.kill("SIGTERM");
    assert.ok(await waitFor(() => err.includes("went away; waiting for it to return")), err);
    board = emulate();
    assert.ok(await waitFor(() => err.includes("reconnected to")), err);
    // The new board may still be booting (input before boot is lost, as on a real one): ask until it answers.
    const ask = setInterval(() => child.stdin.write("=1+1\n"), 500);
    const answered = await waitFor(() => /\n2\r\n> /.test(out));
    clearInterval(ask);
    assert.ok(answered, `no answer after reconnecting: ${JSON.stringify(out)}`);
    child.stdin.write("\x1d");
    assert.equal(await new Promise((r) => child.once("close", r)), 0);
  } finally {
    child.kill();
    board.kill();
  }
});
