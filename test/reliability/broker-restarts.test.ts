// Mosquitto killed (SIGKILL and SIGTERM in turn) and started again while QoS 1 messages go
// host → board → host over persistent sessions (the board's clean session 0, a host with clean
// false and reconnect). Nothing may be lost; duplicates are allowed by QoS 1 and are counted.
// SOAK=1 (npm run test:soak) runs 20 restarts and 10,000 messages.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { IN, OUT, topic } from "../../firmware/src/contract.ts";
import { type Message, MqttClient } from "../../host/mqtt/index.ts";
import { type Broker, startMosquitto } from "../helpers/broker.ts";
import { flashedBoard } from "../helpers/firmware.ts";
import { waitUntil } from "../helpers/wait.ts";

const SOAK = process.env.SOAK === "1";
const RESTARTS = SOAK ? 20 : 5;
const MESSAGES = SOAK ? 10000 : 1000;
/** Messages out and not yet echoed at once: a steady stream, so every restart cuts through it. */
const WINDOW = 20;
/**
 * An echo not back this long after it was (re)sent is sent again. MQTT cannot close two gaps:
 * the board has acknowledged a message and its echo is still on the wire when the broker goes
 * down (the device drops its send queue with the link, as NodeMCU's mqtt module does), and a
 * broker killed with SIGKILL forgets what it acknowledged since its last save (every second
 * here). Only the sender can notice. Resends are counted and reported; they show up as
 * duplicates when both copies arrive.
 */
const RESEND_MS = 8000;

let broker: Broker;
before(async () => {
  broker = await startMosquitto({ persistence: true });
});
after(() => broker.stop());

test(`${RESTARTS} Mosquitto restarts during ${MESSAGES} QoS 1 round trips through a board: none lost`, {
  timeout: SOAK ? 1_800_000 : 300_000,
}, async () => {
  const { board, out } = await flashedBoard("restarts", broker, { mqtt: { keepalive: 5 } });
  const host = new MqttClient({
    host: broker.host,
    port: broker.port,
    clientId: "restarts-host",
    clean: false,
    reconnect: { minMs: 100, maxMs: 1000 },
    maxQueued: MESSAGES + 100,
  });
  host.on("error", () => {}); // refused connects while the broker is down are expected
  const echoes = new Map<number, number>();
  const sentAt = new Map<number, number>();
  let resent = 0;
  let received = 0;
  host.on("message", (m: Message) => {
    const n = Number(m.payload.toString().slice(4));
    echoes.set(n, (echoes.get(n) ?? 0) + 1);
    received++;
  });
  try {
    await host.connect();
    await host.subscribe(topic("nodemcu", "restarts", OUT), 1);
    await waitUntil("the board online", () => (out().includes("mqtt: connected") ? true : undefined), 20000);

    const send = (n: number) => {
      sentAt.set(n, Date.now());
      host.publish(topic("nodemcu", "restarts", IN), `msg ${n}`, { qos: 1 }).catch(() => {});
    };
    let next = 0;
    let restarts = 0;
    let lastRestartAt = 0;
    const everyRestart = Math.floor(MESSAGES / (RESTARTS + 1));
    const deadline = Date.now() + (SOAK ? 1_500_000 : 240_000);
    while (echoes.size < MESSAGES) {
      if (Date.now() > deadline) break;
      // Only sent ids come back, so echoes.size of the first `next` are done.
      while (next < MESSAGES && next - echoes.size < WINDOW) send(next++);
      for (const [n, at] of sentAt) {
        if (!echoes.has(n) && Date.now() - at > RESEND_MS && host.connected) {
          resent++;
          send(n);
        }
      }
      // Restart once per slice of the stream, while messages are in flight.
      if (restarts < RESTARTS && echoes.size >= (restarts + 1) * everyRestart && echoes.size > lastRestartAt) {
        restarts++;
        lastRestartAt = echoes.size;
        // Every other restart is a crash: SIGKILL, so only what Mosquitto saved survives.
        await broker.restart(restarts % 2 === 1 ? "SIGKILL" : "SIGTERM");
      }
      await new Promise((r) => setTimeout(r, 5)); // the driver's tick, not a wait: each pass resends what is overdue
    }
    const lost = [...Array(MESSAGES).keys()].filter((n) => !echoes.has(n));
    const duplicates = received - echoes.size;
    console.log(
      `# broker restarts: ${restarts}; messages: ${MESSAGES}; echoed: ${echoes.size}; lost: ${lost.length}; duplicates: ${duplicates}; resent by the host: ${resent}`,
    );
    assert.equal(restarts, RESTARTS, "every planned restart happened mid-stream");
    assert.deepEqual(lost.slice(0, 20), [], `${lost.length} message(s) never echoed`);
    assert.equal(
      (out().match(/mqtt: connected/g) ?? []).length,
      RESTARTS + 1,
      "the board reconnected after every restart",
    );
  } finally {
    board.powerOff();
    await host.end({ force: true });
  }
});
