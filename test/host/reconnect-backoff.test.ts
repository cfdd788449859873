// The host client backs off as the board does: its reconnect delays come from the contract's
// backoffMs, scaled by minMs. A fake server accepts each session and hangs up at once, so the
// client reconnects again and again; Math.random is pinned so each delay is one known value.
import assert from "node:assert/strict";
import { createServer, type Socket } from "node:net";
import { mock, test } from "node:test";
import mqttPacket from "mqtt-packet";
import { backoffMs } from "../../firmware/src/contract.ts";
import { MqttClient } from "../../host/mqtt/index.ts";

test("reconnect delays are the contract's backoffMs, scaled to minMs and capped at maxMs", async (t) => {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on("error", () => {});
    s.once("data", () => s.end(mqttPacket.generate({ cmd: "connack", returnCode: 0, sessionPresent: false })));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  t.after(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  mock.method(Math, "random", () => 0.5);
  t.after(() => mock.restoreAll());
  const port = (server.address() as { port: number }).port;
  const client = new MqttClient({ host: "127.0.0.1", port, clientId: "backoff", reconnect: { minMs: 20, maxMs: 100 } });
  const delays: number[] = [];
  const enough = new Promise<void>((resolve) =>
    client.on("reconnect", ({ delayMs }: { delayMs: number }) => {
      delays.push(delayMs);
      if (delays.length === 5) resolve();
    }),
  );
  client.on("error", () => {});
  await client.connect();
  await enough;
  client.destroy();
  // backoffMs(a, 0.5) is 750, 1500, 3000, 6000, 12000 ms; at minMs 20 that is 15, 30, 60, 120 -> 100, 240 -> 100.
  assert.deepEqual(
    delays,
    [0, 1, 2, 3, 4].map((a) => Math.min(100, Math.round((backoffMs(a, 0.5) * 20) / 1000))),
  );
  assert.deepEqual(delays, [15, 30, 60, 100, 100]);
});
