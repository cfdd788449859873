// A burst at the broker's whole in-flight window (Mosquitto's max_inflight_messages, 20) of
// messages at the board's limits: the real firmware on the strict emulated board never panics,
// counts the echoes it cannot send in the status's "dropped", and keeps echoing.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { IN, MESSAGE_QOS, OUT, STATUS, topic } from "../../firmware/src/contract.ts";
import { type Message, MqttClient } from "../../host/mqtt/index.ts";
import { boardEchoLimit, boardPayloadLimit } from "../../host/payload-limits.ts";
import { type Broker, startMosquitto } from "../helpers/broker.ts";
import { flashedBoard } from "../helpers/firmware.ts";
import { waitUntil } from "../helpers/wait.ts";

let broker: Broker;
before(async () => {
  broker = await startMosquitto();
});
after(() => broker.stop());

interface Outcome {
  echoed: number;
  status: { overflows: number; dropped: number; heap: number };
  panics: number;
}

/** 20 messages of `size` bytes at once to board `id`, then a marker; the status an overflow then publishes. */
async function burst(id: string, maxMessageLength: number, size: number): Promise<Outcome> {
  const { board } = await flashedBoard(id, broker, { mqtt: { maxMessageLength } });
  let panics = 0;
  board.on("panic", () => panics++);
  const host = new MqttClient({ host: broker.host, port: broker.port, clientId: `${id}-host` });
  const seen: Message[] = [];
  host.on("message", (m: Message) => seen.push(m));
  try {
    await host.connect();
    await host.subscribe([
      { topic: topic("nodemcu", id, OUT), qos: 1 },
      { topic: topic("nodemcu", id, STATUS), qos: 1 },
    ]);
    const online = () => seen.find((m) => m.topic.endsWith("/status") && m.payload.includes('"online"'));
    await waitUntil("online", online, 20000);
    const inTopic = topic("nodemcu", id, IN);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => host.publish(inTopic, Buffer.alloc(size, 65 + i), { qos: 1 })),
    );
    await host.publish(inTopic, "marker", { qos: 1 });
    await waitUntil(
      "the marker's echo",
      () => seen.find((m) => m.topic.endsWith("/out") && m.payload.toString() === "marker"),
      20000,
    );
    const from = seen.length;
    await host.publish(inTopic, Buffer.alloc(maxMessageLength, "o"), { qos: 1 });
    const status = await waitUntil(
      "the status after an overflow",
      () => seen.slice(from).find((m) => m.topic.endsWith("/status")),
      20000,
    );
    const echoed = seen.filter((m) => m.topic.endsWith("/out") && m.payload.length === size).length;
    return { echoed, status: JSON.parse(status.payload.toString()), panics };
  } finally {
    await host.end();
    board.powerOff();
  }
}

test("20 messages the board takes in but cannot echo (over the 1460-byte build buffer): all counted as dropped, no panic", async () => {
  const size = boardPayloadLimit(2048, topic("nodemcu", "burst1", IN), MESSAGE_QOS);
  assert.ok(size > boardEchoLimit(topic("nodemcu", "burst1", OUT), MESSAGE_QOS));
  const r = await burst("burst1", 2048, size);
  assert.equal(r.panics, 0);
  assert.equal(r.echoed, 0);
  assert.deepEqual([r.status.dropped, r.status.overflows], [20, 1]);
});

test("20 messages at the payload limit of the default maxMessageLength (1024): each echoed or counted as dropped, no panic, and echo goes on", async () => {
  const size = boardPayloadLimit(1024, topic("nodemcu", "burst2", IN), MESSAGE_QOS);
  assert.ok(size <= boardEchoLimit(topic("nodemcu", "burst2", OUT), MESSAGE_QOS));
  const r = await burst("burst2", 1024, size);
  assert.equal(r.panics, 0);
  assert.equal(r.echoed + r.status.dropped, 20, `echoed ${r.echoed}, dropped ${r.status.dropped}`);
  assert.equal(r.status.overflows, 1);
});
