// The sensor example (firmware/examples/sensor) end to end: built as an app folder, flashed with
// ./flash.sh over a pty onto an emulated board that has a DS18B20 on its 1-Wire bus and a relay
// on a pin; its readings seen with mcu serve, the relay switched with mcu send, on a stock Mosquitto.
// It runs on the session library (firmware/src/session.ts): readings the thermometer did not give
// are the status's own `failedReads`, not `overflows`.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { IN, STATUS, topic } from "../../firmware/src/contract.ts";
import { type Message, MqttClient } from "../../host/mqtt/index.ts";
import { RECOMMENDED_BUILD } from "../../tools/nodemcu/builds.ts";
import { type Broker, startMosquitto } from "../helpers/broker.ts";
import { flashSh, mcu, mcuBin } from "../helpers/cli.ts";
import { writeConfig } from "../helpers/firmware.ts";
import { type PtyBoard, ptyBoard } from "../helpers/pty-board.ts";
import { waitFor, waitUntil } from "../helpers/wait.ts";

const THERMOMETER = 3;
const RELAY = 1;
let broker: Broker;
let pb: PtyBoard;
const out = mkdtempSync(join(tmpdir(), "mcu-sensor-"));

before(async () => {
  mcuBin();
  broker = await startMosquitto();
  // No thermometer on the bus yet: its first readings fail.
  pb = ptyBoard({ modules: [...RECOMMENDED_BUILD, "ow"] });
  assert.ok(await waitFor(() => /> $/.test(pb.text())), "the board never prompted");
});
after(async () => {
  pb.close();
  await broker.stop();
  rmSync(out, { recursive: true, force: true });
});

test("the sensor example: flashed over serial, its readings reach mcu serve and mcu send switches its relay", {
  timeout: 120_000,
}, async () => {
  const cfg = writeConfig({
    id: "sensor1",
    wifi: { ssid: "emulated", password: "nodemcu-emulator" },
    mqtt: { host: "127.0.0.1", port: broker.port },
  });
  const flashed = await flashSh([
    "--app",
    "firmware/examples/sensor",
    "--config",
    cfg,
    "--out",
    out,
    "--port",
    pb.link,
    "--no-monitor",
  ]);
  assert.equal(flashed.code, 0, flashed.stderr);
  assert.match(flashed.stdout, /app\.lua\s+\d+\s+\d+/, "the build's RAM table");

  // Readings fail while no thermometer answers: counted as failedReads. A message over the limit
  // (an overflow) makes the board publish its status, so each probe sends one.
  const watcher = new MqttClient({ host: "127.0.0.1", port: broker.port, clientId: "sensor-test" });
  await watcher.connect();
  let last: { overflows: number; dropped: number; failedReads: number } | undefined;
  watcher.on("message", (m: Message) => (last = JSON.parse(m.payload.toString())));
  await watcher.subscribe(topic("nodemcu", "sensor1", STATUS), 1);
  await waitUntil("the board's online status", () => last);
  let oversized = 0;
  const counted = await waitUntil(
    "a status counting failed readings",
    async () => {
      const before = last;
      oversized++;
      await watcher.publish(topic("nodemcu", "sensor1", IN), "x".repeat(1100), { qos: 0 });
      await waitFor(() => last !== before, 5000);
      return last !== before && last!.overflows === oversized && last!.failedReads > 0 && last;
    },
    30000,
  );
  assert.equal(counted.overflows, oversized, "overflows counts only the messages over the limit");
  assert.equal(counted.dropped, 0);
  await watcher.end({ force: true });
  pb.board.io.setDs18b20(THERMOMETER, 21.5);

  const readings = await mcu([
    "serve",
    "--broker",
    broker.url,
    "--device",
    "sensor1",
    "--json",
    "--count",
    "3",
    "--timeout",
    "60",
  ]);
  assert.equal(readings.code, 0, readings.stderr);
  const payloads = readings.stdout
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { topic: string; payload: string });
  const temps = payloads.filter((p) => p.topic.endsWith("/out")).map((p) => JSON.parse(p.payload) as { t: number });
  assert.ok(temps.length > 0 && temps.every((r) => r.t === 21.5), JSON.stringify(payloads));

  pb.board.io.setDs18b20(THERMOMETER, -3.25);
  const colder = await mcu([
    "serve",
    "--broker",
    broker.url,
    "--topic",
    "nodemcu/sensor1/out",
    "--json",
    "--count",
    "2",
    "--timeout",
    "60",
  ]);
  assert.ok(colder.stdout.includes('{\\"t\\":-3.25}'), colder.stdout);

  assert.equal(pb.board.io.pin(RELAY).level, 0);
  const on = await mcu(["send", "--broker", broker.url, "--device", "sensor1", "relay on"]);
  assert.equal(on.code, 0, on.stderr);
  assert.ok(await waitFor(() => pb.board.io.pin(RELAY).level === 1, 10000), "the relay did not switch on");
  const off = await mcu(["send", "--broker", broker.url, "--device", "sensor1", "relay off"]);
  assert.equal(off.code, 0, off.stderr);
  assert.ok(await waitFor(() => pb.board.io.pin(RELAY).level === 0, 10000), "the relay did not switch off");
});
