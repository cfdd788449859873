// A fleet of 200 emulated boards running the real echo firmware against one Mosquitto.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { defaultId, IN, OUT, STATUS, topic } from "../../firmware/src/contract.ts";
import { type Message, MqttClient } from "../../host/mqtt/index.ts";
import { buildFirmware } from "../../tools/compiler/build.ts";
import { createFleet, fleetChipId } from "../../tools/emulator/front/fleet.ts";
import { startMosquitto } from "../helpers/broker.ts";
import { writeConfig } from "../helpers/firmware.ts";
import { waitFor } from "../helpers/wait.ts";

const N = 200;

test(`${N} boards come online and each echoes its message, none lost`, { timeout: 120_000 }, async () => {
  const broker = await startMosquitto();
  const flashDir = mkdtempSync(join(tmpdir(), "mcu-fleet-"));
  // No id in the config: each board takes its own from its chip id.
  await buildFirmware({
    configFile: writeConfig({
      wifi: { ssid: "emulated", password: "nodemcu-emulator" },
      mqtt: { host: broker.host, port: broker.port },
    }),
    outDir: flashDir,
    log: () => {},
  });
  const ids = Array.from({ length: N }, (_, i) => defaultId(fleetChipId(i).toString(16).padStart(6, "0")));
  const watcher = new MqttClient({
    host: broker.host,
    port: broker.port,
    clientId: "fleet-watcher",
    maxInflight: 100,
    maxQueued: 1000,
  });
  await watcher.connect();
  const online = new Set<string>();
  const echoes = new Map<string, Buffer>();
  watcher.on("message", (m: Message) => {
    const [, id, leaf] = m.topic.split("/");
    if (leaf === STATUS && m.payload.includes('"online"')) online.add(id!);
    if (leaf === OUT) echoes.set(id!, m.payload);
  });
  await watcher.subscribe([
    { topic: "nodemcu/+/status", qos: 1 },
    { topic: "nodemcu/+/out", qos: 1 },
  ]);

  const before = process.memoryUsage().rss;
  const boards = createFleet(N, { flashDir });
  try {
    for (const b of boards) b.boot();
    await waitFor(() => online.size === N, 60_000);
    assert.equal(online.size, N, `${N - online.size} boards never came online`);
    const perBoard = (process.memoryUsage().rss - before) / N;
    console.log(`# fleet: ${N} boards online, about ${Math.round(perBoard / 1024)} KiB of host memory per board`);

    await Promise.all(ids.map((id) => watcher.publish(topic("nodemcu", id, IN), `hello ${id}`, { qos: 1 })));
    await waitFor(() => echoes.size === N, 30_000);
    const missing = ids.filter((id) => echoes.get(id)?.toString() !== `hello ${id}`);
    assert.deepEqual(missing, []);
  } finally {
    for (const b of boards) b.powerOff();
    await watcher.end();
    await broker.stop();
    rmSync(flashDir, { recursive: true, force: true });
  }
});
