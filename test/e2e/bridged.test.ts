// Past one broker: two stock Mosquittos bridged to each other, the board on broker A (the first of
// its mqtt.hosts) and the PC on broker B. Echoes cross the bridge; when A is killed the board
// fails over to B and echoes go on; when A is back the board returns to it at its failback.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { IN, OUT, STATUS, topic } from "../../firmware/src/contract.ts";
import { type Message, MqttClient } from "../../host/mqtt/index.ts";
import { type Broker, freePort, startMosquitto } from "../helpers/broker.ts";
import { type FlashedBoard, flashedBoard } from "../helpers/firmware.ts";
import { waitFor } from "../helpers/wait.ts";

let a: Broker;
let b: Broker;
let board: FlashedBoard;
let pc: MqttClient;
const got: Message[] = [];
const FAILBACK_S = 10;

before(async () => {
  a = await startMosquitto({ persistence: true });
  b = await startMosquitto({ bridgeTo: { port: a.port, topics: ["nodemcu/#"] } });
  board = await flashedBoard("br", a, {
    mqtt: { host: undefined, hosts: [`127.0.0.1:${a.port}`, `127.0.0.1:${b.port}`], failback: FAILBACK_S },
  });
  pc = new MqttClient({ host: b.host, port: b.port, clientId: `pc-${await freePort()}` });
  await pc.connect();
  pc.on("message", (m: Message) => got.push(m));
  await pc.subscribe([
    { topic: topic("nodemcu", "br", OUT), qos: 1 },
    { topic: topic("nodemcu", "br", STATUS), qos: 1 },
  ]);
});
after(async () => {
  await pc.end();
  board.board.powerOff();
  await Promise.all([a.stop(), b.stop()]);
});

/** The board's latest status as the PC sees it on broker B. */
const status = () => {
  const s = got.filter((m) => m.topic.endsWith("/status")).pop();
  return s ? (JSON.parse(s.payload.toString()) as { state: string; broker?: string }) : undefined;
};
const echoes = () => new Set(got.filter((m) => m.topic.endsWith("/out")).map((m) => m.payload.toString()));

/** Sends `n` numbered messages from the PC, one every 50 ms; returns their payloads. */
async function send(tag: string, n: number): Promise<string[]> {
  const sent: string[] = [];
  for (let i = 0; i < n; i++) {
    sent.push(`${tag}-${i}`);
    await pc.publish(topic("nodemcu", "br", IN), `${tag}-${i}`, { qos: 1 });
    await new Promise((r) => setTimeout(r, 50));
  }
  return sent;
}

test("echoes cross the bridge; A killed: the board fails over to B and echoes go on; A back: the board returns to A", {
  timeout: 120_000,
}, async () => {
  const onA = `127.0.0.1:${a.port}`;
  const onB = `127.0.0.1:${b.port}`;
  assert.ok(
    await waitFor(() => status()?.broker === onA, 30000),
    `the board never came online on A: ${board.out().slice(-500)}`,
  );
  const first = await send("bridged", 10);
  assert.ok(await waitFor(() => first.every((p) => echoes().has(p)), 15000), "echoes did not cross the bridge");

  // The PC keeps sending while A dies and the board moves: what it sends before the board has
  // subscribed on B finds no subscriber there (the board's session, and its queue, live on A).
  await a.kill();
  const sentAt = new Map<string, number>();
  let onBAt: number | undefined;
  for (let i = 0; onBAt === undefined || performance.now() - onBAt < 1000; i++) {
    assert.ok(i < 600, `the board did not fail over to B: ${board.out().slice(-800)}`);
    sentAt.set(`failover-${i}`, performance.now());
    await pc.publish(topic("nodemcu", "br", IN), `failover-${i}`, { qos: 1 });
    if (onBAt === undefined && status()?.broker === onB) onBAt = performance.now();
    await new Promise((r) => setTimeout(r, 50));
  }
  const after = [...sentAt].filter(([, t]) => t > onBAt! + 100).map(([p]) => p);
  assert.ok(await waitFor(() => after.every((p) => echoes().has(p)), 15000), "echoes did not go on through B");
  const lost = [...sentAt.keys()].filter((p) => !echoes().has(p));
  assert.ok(
    lost.every((p) => sentAt.get(p)! <= onBAt! + 100),
    `lost after the board was on B: ${lost.join(" ")}`,
  );
  console.log(
    `# failover: ${lost.length} of ${sentAt.size} messages lost, all sent in the ${Math.round(onBAt! - [...sentAt.values()][0]!)} ms before the board was on B`,
  );

  await a.restart();
  assert.ok(
    await waitFor(() => status()?.broker === onA, (FAILBACK_S + 20) * 1000),
    `the board did not return to A: ${board.out().slice(-800)}`,
  );
  const back = await send("back", 10);
  assert.ok(await waitFor(() => back.every((p) => echoes().has(p)), 15000), "echoes did not cross the bridge again");
  assert.match(board.out(), /mqtt: next broker 127\.0\.0\.1:\d+/);
});
