// The real echo firmware, built by the real build, booted on the emulated board against a real
// Mosquitto: online status, byte-exact echoes, the will when the board loses power, and the
// Wi-Fi paths.

import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { MESSAGE_QOS } from "../../firmware/src/contract.ts";
import { type Message, MqttClient } from "../../host/mqtt/index.ts";
import { boardPayloadLimit } from "../../host/payload-limits.ts";
import { buildFirmware } from "../../tools/compiler/build.ts";
import { type Broker, startMosquitto } from "../helpers/broker.ts";
import { mcuBin } from "../helpers/cli.ts";
import { flashedBoard, writeConfig } from "../helpers/firmware.ts";
import { testBoard } from "../helpers/test-board.ts";
import { waitUntil } from "../helpers/wait.ts";

let broker: Broker;
let watcher: MqttClient;
const seen: Message[] = [];

before(async () => {
  broker = await startMosquitto();
  watcher = new MqttClient({ host: broker.host, port: broker.port, clientId: "watcher" });
  await watcher.connect();
  watcher.on("message", (m: Message) => seen.push(m));
  await watcher.subscribe("nodemcu/#", 1);
});
after(async () => {
  await watcher.end();
  await broker.stop();
});

const flashed = (id: string, opts: { psk?: string; keepalive?: number } = {}) =>
  flashedBoard(id, broker, {
    psk: opts.psk,
    mqtt: { maxMessageLength: 200, ...(opts.keepalive ? { keepalive: opts.keepalive } : {}) },
  });

const on =
  (t: string, from = 0) =>
  () =>
    seen.slice(from).find((m) => m.topic === t);

/** Publishes to a board's in topic and returns its echo. */
async function roundTrip(inTopic: string, payload: Buffer): Promise<Message> {
  const from = seen.length;
  await watcher.publish(inTopic, payload, { qos: 1 });
  return waitUntil(`echo of ${payload.length} bytes`, on(inTopic.replace(/in$/, "out"), from));
}

test("boots, comes online with a retained status, echoes byte for byte, and leaves a will", async () => {
  const { board, out } = await flashed("emu1");
  const status = await waitUntil("online status", on("nodemcu/emu1/status"));
  const s = JSON.parse(status.payload.toString()) as { state: string; ip: string; heap: number; version: string };
  assert.equal(s.state, "online");
  assert.equal(s.ip, "192.168.4.2");
  assert.ok(s.heap > 0 && s.heap < 44000, `heap ${s.heap}`);
  console.log(`# free heap after boot with the echo firmware: ${s.heap} of 44000 bytes`);
  assert.match(
    out(),
    /boot: starting app in 1500 ms[\s\S]*app: emu1 joining emulated, broker 127\.0\.0\.1:\d+, messages up to 200 bytes\r\nwifi: connected to emulated on channel 6\r\nwifi: got ip 192\.168\.4\.2\r\nmqtt: connected\r\n/,
  );
  assert.equal(board.rtcmem(64), 0, "coming online clears the boot guard");

  const payloads = [
    Buffer.from([0, 1, 2, 0, 255]),
    Buffer.from([0xc3, 0x28, 0xfe]),
    Buffer.alloc(0),
    Buffer.from("hello board"),
  ];
  for (const p of payloads) assert.deepEqual((await roundTrip("nodemcu/emu1/in", p)).payload, p);

  // maxMessageLength 200 bounds the whole PUBLISH, headers included.
  const limit = boardPayloadLimit(200, "nodemcu/emu1/in", MESSAGE_QOS);
  const fits = await roundTrip("nodemcu/emu1/in", Buffer.alloc(limit, 0x41));
  assert.equal(fits.payload.length, limit, "a payload of exactly the limit is echoed");
  for (const [n, size] of [
    [1, limit + 1],
    [2, 64 * 1024],
  ] as const) {
    const from = seen.length;
    await watcher.publish("nodemcu/emu1/in", Buffer.alloc(size, 0x42), { qos: 1 });
    const after = await waitUntil(`status after the ${size}-byte overflow`, on("nodemcu/emu1/status", from));
    assert.equal((JSON.parse(after.payload.toString()) as { overflows: number }).overflows, n);
    assert.equal(
      seen.slice(from).filter((m) => m.topic === "nodemcu/emu1/out").length,
      0,
      `no echo of the ${size}-byte message`,
    );
  }
  assert.equal(out().match(/mqtt: message on nodemcu\/emu1\/in too long, dropped/g)?.length, 2);
  assert.equal((await roundTrip("nodemcu/emu1/in", Buffer.from("still running"))).payload.toString(), "still running");

  const willFrom = seen.length;
  board.powerOff();
  const will = await waitUntil("offline will", on("nodemcu/emu1/status", willFrom));
  assert.deepEqual(JSON.parse(will.payload.toString()), { state: "offline" });
});

test("a wrong Wi-Fi password gives STA_DISCONNECTED with reason 15 and no MQTT", async () => {
  const { board, out } = await flashed("emu2", { psk: "another-password" });
  await waitUntil("disconnect reason", () => /wifi: disconnected from emulated, reason 15/.test(out()));
  assert.doesNotMatch(out(), /mqtt: connected/);
  board.powerOff();
});

test("Wi-Fi lost past the keepalive: offline by the will, online again and echoing what follows; what was sent meanwhile is lost (QoS 0)", async () => {
  // keepalive 2 s: Mosquitto gives up on the silent link after 1.5 × 2 s (checked about once a
  // few seconds) and publishes the will; the radio stays off until then.
  const { board, out } = await flashed("emu3", { keepalive: 2 });
  try {
    await waitUntil("online", on("nodemcu/emu3/status"));
    const from = seen.length;
    board.wifiDrop();
    const offline = await waitUntil("offline will", on("nodemcu/emu3/status", from), 20000);
    assert.deepEqual(JSON.parse(offline.payload.toString()), { state: "offline" });
    assert.match(out(), /wifi: disconnected from emulated, reason 200/);
    // Subscribed at QoS 0, the board is sent nothing while away (Mosquitto keeps QoS 0 messages
    // only for connected clients); docs/reliability.md, "Floods".
    const queued = ["while away 1", "while away 2", "while away 3"];
    for (const q of queued) await watcher.publish("nodemcu/emu3/in", q, { qos: 1 });
    const from2 = seen.length;
    board.wifiReturn();
    const online = await waitUntil("online again", on("nodemcu/emu3/status", from2), 15000);
    assert.equal((JSON.parse(online.payload.toString()) as { state: string }).state, "online", out());
    const from3 = seen.length;
    await watcher.publish("nodemcu/emu3/in", "after the drop", { qos: 1 });
    assert.equal((await waitUntil("echo", on("nodemcu/emu3/out", from3))).payload.toString(), "after the drop");
    const echoed = seen
      .slice(from)
      .filter((m) => m.topic === "nodemcu/emu3/out")
      .map((m) => m.payload.toString());
    assert.deepEqual(
      echoed.filter((e) => e !== "after the drop" && !queued.includes(e)),
      [],
      "only what was sent is echoed",
    );
  } finally {
    board.powerOff();
  }
});

for (const [what, app, crash] of [
  ["throws", 'error("app crashed")\n', /app\.lua:1: app crashed/g],
  ["runs out of heap", 'local t = {} for i = 1, 1e7 do t[i] = ("x"):rep(64) .. i end\n', /not enough memory/g],
] as const) {
  test(`an app that ${what} at start is stopped by the boot guard after 3 boots, and the REPL answers`, async () => {
    const { board, out } = await flashed(`emu4${what.length}`);
    board.powerOff();
    writeFileSync(join(board.flash.dir, "app.lua"), app);
    board.boot();
    await waitUntil(
      "autostart stopped",
      () => /boot: autostart stopped: the app crashed 3 times before coming online\./.test(out()),
      25000,
    );
    assert.equal(out().match(crash)?.length, 3);
    assert.match(out(), /retry with: rtcmem\.write32\(64, 0\) node\.restart\(\)/);
    board.input("=1+1\r\n");
    await waitUntil("REPL", () => /=1\+1\r\n2\r\n> $/.test(out()));
    board.powerOff();
  });
}

test("third-party clients: mosquitto_pub in, mosquitto_sub sees the same bytes out", async () => {
  const { board } = await flashed("emu5");
  await waitUntil("online", on("nodemcu/emu5/status"));
  const payloads = [Buffer.from([0, 0xff, 0x00, 0xc3, 0x28]), Buffer.alloc(0), Buffer.from("plain")];
  // -d reports the SUBACK, so we publish only once mosquitto_sub is subscribed; stdbuf makes
  // it print each line as it happens rather than when its pipe buffer fills.
  const sub = spawn("stdbuf", [
    "-oL",
    "mosquitto_sub",
    "-d",
    "-h",
    broker.host,
    "-p",
    String(broker.port),
    "-t",
    "nodemcu/emu5/out",
    "-q",
    "1",
    "-C",
    String(payloads.length),
    "-F",
    "%x",
    "-W",
    "20",
  ]);
  let out = "";
  sub.stdout.on("data", (d) => (out += d));
  const done = new Promise<number | null>((resolve) => sub.on("close", resolve));
  await waitUntil("mosquitto_sub's SUBACK", () => /^Subscribed \(mid/m.test(out));
  const dir = mkdtempSync(join(tmpdir(), "mcu-pub-"));
  for (const [i, p] of payloads.entries()) {
    const args = ["-h", broker.host, "-p", String(broker.port), "-t", "nodemcu/emu5/in", "-q", "1"];
    if (p.length === 0) args.push("-n");
    else {
      writeFileSync(join(dir, `p${i}`), p);
      args.push("-f", join(dir, `p${i}`));
    }
    const from = seen.length;
    const pub = spawnSync("mosquitto_pub", args);
    assert.equal(pub.status, 0, pub.stderr.toString());
    // One message at a time, so the echoes come in the order sent.
    await waitUntil(`echo ${i}`, on("nodemcu/emu5/out", from));
  }
  assert.equal(await done, 0);
  const received = out.split("\n").filter((l) => !/^(Client|Subscribed) /.test(l));
  assert.deepEqual(
    received.slice(0, -1),
    payloads.map((p) => p.toString("hex")),
  );
  board.powerOff();
  rmSync(dir, { recursive: true, force: true });
});

test("killing the emulator process makes the broker publish the offline will", async () => {
  const flashDir = mkdtempSync(join(tmpdir(), "mcu-flash-"));
  const configFile = writeConfig({
    id: "emu6",
    wifi: { ssid: "emulated", password: "nodemcu-emulator" },
    mqtt: { host: broker.host, port: broker.port },
  });
  await buildFirmware({ configFile, outDir: flashDir, log: () => {} });
  mcuBin(); // never rebuild dist/ while other test files run the CLI from it
  const emulator = spawn(process.execPath, ["dist/mcu.js", "emulate", "--flash", flashDir], {
    stdio: ["pipe", "ignore", "ignore"],
  });
  const from = seen.length;
  await waitUntil("online", on("nodemcu/emu6/status", from));
  const willFrom = seen.length;
  emulator.kill("SIGKILL");
  const will = await waitUntil("offline will", on("nodemcu/emu6/status", willFrom));
  assert.deepEqual(JSON.parse(will.payload.toString()), { state: "offline" });
  rmSync(flashDir, { recursive: true, force: true });
});

test("an error in an MQTT callback is unprotected: PANIC and a reboot, as on the device", async () => {
  const board = testBoard({
    onIp: `local m = mqtt.Client("panicky", 30) m:connect("${broker.host}", ${broker.port}, false, function(c) error("bad callback") end)`,
  });
  let panics = 0;
  board.board.on("panic", () => panics++);
  await waitUntil("panic", () => panics > 0);
  assert.match(board.text(), /PANIC: unprotected error in call to Lua API \(init\.lua:2: bad callback\)\r\n/);
  await waitUntil("reboot", () => (board.text().match(/NodeMCU 3\.0\.0\.0/g)?.length ?? 0) >= 2);
});
