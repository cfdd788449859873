// ./flash.sh against an emulated board on a real pseudo-terminal, through the real serialport
// library: the board restarts into the build and echoes through a real Mosquitto; a second run
// uploads nothing; and the faults a cable and a reset button make.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { type Message, MqttClient } from "../../host/mqtt/index.ts";
import { type Broker, freePort, startMosquitto } from "../helpers/broker.ts";
import { flashSh, mcuBin, type Run } from "../helpers/cli.ts";
import { writeConfig } from "../helpers/firmware.ts";
import { type PtyBoard, ptyBoard } from "../helpers/pty-board.ts";
import { waitFor } from "../helpers/wait.ts";

let broker: Broker;
const outDir = mkdtempSync(join(tmpdir(), "mcu-flash-out-"));

before(async () => {
  mcuBin();
  broker = await startMosquitto();
});
after(async () => {
  await broker.stop();
  rmSync(outDir, { recursive: true, force: true });
});

function configFor(id: string, port = broker.port): string {
  return writeConfig({
    id,
    wifi: { ssid: "emulated", password: "nodemcu-emulator" },
    mqtt: { host: "127.0.0.1", port },
  });
}

/** ./flash.sh into this file's build folder, without the monitor; `onSpawn` may kill it mid-upload. */
function flash(args: string[], onSpawn?: (kill: () => void) => void): Promise<Run> {
  return flashSh(["--out", outDir, "--no-monitor", ...args], { onSpawn });
}

/** The firmware files under live names (not the upload's "_" temp names, not the build's manifest or error maps) and their bytes. */
function liveFiles(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of readdirSync(dir)
    .filter((n) => !n.startsWith("_") && n !== "manifest.json" && !n.endsWith(".map"))
    .sort())
    out[n] = readFileSync(join(dir, n), "latin1");
  return out;
}

async function promptOf(pb: PtyBoard): Promise<void> {
  assert.ok(
    await waitFor(() => /> $/.test(pb.text())),
    `no prompt from the board; it said ${JSON.stringify(pb.text().slice(-200))}`,
  );
}

/** A board on a pty, at its prompt, for the length of `fn`. */
async function onPromptingBoard(fn: (pb: PtyBoard) => Promise<void>): Promise<void> {
  const pb = ptyBoard();
  try {
    await promptOf(pb);
    await fn(pb);
  } finally {
    pb.close();
  }
}

test("./flash.sh: the board restarts into the build and echoes through Mosquitto; a second run uploads nothing", async () => {
  await onPromptingBoard(async (pb) => {
    const cfg = configFor("flashed");
    const first = await flash(["--port", pb.link, "--config", cfg]);
    assert.equal(first.code, 0, first.stderr);
    const built = liveFiles(outDir);
    const n = Object.keys(built).length;
    assert.match(first.stdout, new RegExp(`uploaded ${n} file\\(s\\), \\d+ bytes`));
    assert.match(first.stdout, /the board restarted into firmware 0\.1\.0/);
    assert.deepEqual(liveFiles(pb.flashDir), built, "the board's files differ from the build's");

    const watcher = new MqttClient({ host: broker.host, port: broker.port, clientId: "flash-watcher" });
    await watcher.connect();
    const seen: Message[] = [];
    watcher.on("message", (m: Message) => seen.push(m));
    await watcher.subscribe([
      { topic: "nodemcu/flashed/out", qos: 1 },
      { topic: "nodemcu/flashed/status", qos: 1 },
    ]);
    assert.ok(
      await waitFor(() => seen.some((m) => m.payload.toString().includes('"online"'))),
      `the board never came online: ${pb.text().slice(-300)}`,
    );
    const payload = Buffer.from([0, 1, 0xff, 0xfe, 0x80, 10, 13, 0]);
    await watcher.publish("nodemcu/flashed/in", payload, { qos: 1 });
    assert.ok(await waitFor(() => seen.some((m) => m.topic.endsWith("/out"))), "no echo");
    assert.deepEqual(seen.find((m) => m.topic.endsWith("/out"))!.payload, payload);
    await watcher.end();

    const second = await flash(["--port", pb.link, "--config", cfg]);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, new RegExp(`nothing to upload: the board already has all ${n} files`));
    assert.doesNotMatch(second.stdout, /verified/);
  });
});

/** Arms `fn` to run on the first chunk after the board's receiver says it is ready ("#R"). */
function onRawData(pb: PtyBoard, nth: number, fn: (chunk: Buffer) => Buffer): void {
  let ready = 0;
  let done = false;
  pb.board.on("output", (d: Buffer) => {
    if (d.includes("#R")) ready++;
  });
  pb.tap = (chunk) => {
    if (done || ready < nth) return chunk;
    done = true;
    return fn(chunk);
  };
}

test("a byte corrupted on the wire is caught by the board's checksum and the file is sent again", async () => {
  await onPromptingBoard(async (pb) => {
    onRawData(pb, 2, (chunk) => {
      const bad = Buffer.from(chunk);
      bad[0] ^= 0x5a;
      return bad;
    });
    const r = await flash(["--port", pb.link, "--config", configFor("corrupt")]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /did not verify \(size or checksum differ\); sending it again \(try 2 of 3\)/);
    assert.deepEqual(liveFiles(pb.flashDir), liveFiles(outDir));
  });
});

test("the board resetting mid-upload is detected and the file is sent again", async () => {
  await onPromptingBoard(async (pb) => {
    onRawData(pb, 3, (chunk) => {
      setImmediate(() => pb.board.boot());
      return chunk;
    });
    const r = await flash(["--port", pb.link, "--config", configFor("resetting")]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /the board restarted during \S+; getting the REPL again and resending it/);
    assert.deepEqual(liveFiles(pb.flashDir), liveFiles(outDir));
  });
});

const OLD: Record<string, string> = {
  "init.lua": 'print("old firmware") dofile("app.lua")',
  "app.lua": 'print("old app running")',
  "config.lua": "return {}",
};

function installOld(dir: string): void {
  for (const n of readdirSync(dir)) rmSync(join(dir, n));
  for (const [n, text] of Object.entries(OLD)) writeFileSync(join(dir, n), text);
}

/** Deterministic spread of cut points over (0, total): one in each n-th, at a seeded offset. */
function cutPoints(total: number, n: number): number[] {
  let seed = 12345;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  return Array.from({ length: n }, (_, i) => Math.max(1, Math.floor((total * (i + rnd())) / n)));
}

/**
 * Flashes the build already in outDir (--no-build: the cut points measure the transfer, and a
 * rebuild per cut would only cost time) with the link cut (nothing more reaches the board, the
 * uploader killed) after `at` bytes.
 */
async function cutFlash(pb: PtyBoard, at: number): Promise<void> {
  let kill: () => void = () => {};
  pb.tap = (chunk, before) => {
    if (before + chunk.length < at) return chunk;
    kill();
    return chunk.subarray(0, Math.max(0, at - before));
  };
  await flash(["--port", pb.link, "--no-build"], (k) => {
    kill = k;
  });
  pb.tap = undefined;
}

/** Cut points per run: 20 in npm test, 100 under SOAK=1 (npm run test:soak). */
const CUTS = process.env.SOAK === "1" ? 100 : 20;
/** A cut flash and its reboot take about 3.5 s, so a few times that per cut, or half an hour for a soak. */
const CUT_TIMEOUT_MS = process.env.SOAK === "1" ? 1_800_000 : (CUTS + 2) * 15_000;

test(`the link cut at ${CUTS} points during ./flash.sh: the board always boots the whole old or the whole new firmware, and the next flash completes`, {
  timeout: CUT_TIMEOUT_MS,
}, async () => {
  // A strict board whose filesystem is written over: SPIFFS erases as the upload writes.
  const pb = ptyBoard({ flashAged: true });
  const cfg = configFor("cut", await freePort());
  try {
    // How many bytes a full flash sends from the old firmware to the new.
    installOld(pb.flashDir);
    pb.board.boot();
    await promptOf(pb);
    const start = pb.received();
    const full = await flash(["--port", pb.link, "--config", cfg]);
    assert.equal(full.code, 0, full.stderr);
    const total = pb.received() - start;
    const fresh = liveFiles(outDir);

    const outcomes = { old: 0, new: 0 };
    for (const at of cutPoints(total, CUTS)) {
      installOld(pb.flashDir);
      pb.board.boot();
      await promptOf(pb);
      await cutFlash(pb, pb.received() + at);
      // Power cycle: whatever is on flash now is what the board runs.
      pb.board.powerOff();
      pb.clearText();
      pb.board.boot();
      const files = liveFiles(pb.flashDir);
      if (files["init.lua"] === OLD["init.lua"]) {
        assert.deepEqual(files, OLD, `cut at byte ${at}: a mix of old and new files`);
        assert.ok(
          await waitFor(() => pb.text().includes("old app running")),
          `cut at byte ${at}: the old firmware did not boot: ${JSON.stringify(pb.text().slice(-600))}`,
        );
        outcomes.old++;
      } else {
        assert.deepEqual(files, fresh, `cut at byte ${at}: a mix of old and new files`);
        assert.ok(
          await waitFor(() => pb.text().includes("app: cut joining")),
          `cut at byte ${at}: the new firmware did not boot`,
        );
        outcomes.new++;
      }
      assert.doesNotMatch(pb.text(), /PANIC|lua: /, `cut at byte ${at}: the firmware crashed`);
    }
    assert.ok(outcomes.old > 0, "no cut point fell before the switch to the new firmware");
    console.log(
      `# cut uploads: ${CUTS} cut points, ${outcomes.old} booted the old firmware, ${outcomes.new} the new, none broken`,
    );

    // A cut mid-transfer without a power cycle: the board's receiver locks the console, and the next flash unlocks it and completes.
    installOld(pb.flashDir);
    pb.board.boot();
    await promptOf(pb);
    await cutFlash(pb, pb.received() + Math.floor(total / 2));
    const next = await flash(["--port", pb.link, "--no-build"]);
    assert.equal(next.code, 0, next.stderr);
    assert.deepEqual(liveFiles(pb.flashDir), fresh);
  } finally {
    pb.close();
  }
});

test("--compile leaves .lc modules the board boots from; a later plain flash removes the stale .lc of a changed module", async () => {
  await onPromptingBoard(async (pb) => {
    const compiled = await flash(["--port", pb.link, "--config", configFor("compiled", await freePort()), "--compile"]);
    assert.equal(compiled.code, 0, compiled.stderr);
    const lcs = readdirSync(pb.flashDir)
      .filter((n) => n.endsWith(".lc"))
      .sort();
    // Every module but init.lua, which the boot loader runs as source.
    const modules = Object.keys(liveFiles(outDir))
      .filter((f) => f !== "init.lua")
      .map((f) => f.replace(/\.lua$/, ".lc"));
    assert.deepEqual(lcs, modules.sort());
    assert.ok(await waitFor(() => pb.text().includes("app: compiled joining")), pb.text().slice(-300));

    // A new id changes config.lua only: its .lc must go, or require() would keep loading the old one.
    const plain = await flash(["--port", pb.link, "--config", configFor("recompiled", await freePort())]);
    assert.equal(plain.code, 0, plain.stderr);
    assert.match(plain.stdout, /uploaded 1 file\(s\)/);
    assert.deepEqual(
      readdirSync(pb.flashDir)
        .filter((n) => n.endsWith(".lc"))
        .sort(),
      modules.filter((m) => m !== "config.lc"),
    );
    assert.ok(await waitFor(() => pb.text().includes("app: recompiled joining")), pb.text().slice(-300));
  });
});
