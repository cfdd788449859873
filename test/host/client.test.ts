// The MQTT client core against real brokers: Mosquitto (spawned) and aedes (in-process) run
// the same suite.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { after, before, describe, test } from "node:test";
import { type ClientOptions, type Message, MqttClient, MqttError } from "../../host/mqtt/index.ts";
import { type Broker, freePort, startAedes, startMosquitto } from "../helpers/broker.ts";
import { waitFor } from "../helpers/wait.ts";

let n = 0;
function client(broker: { host: string; port: number }, extra: Partial<ClientOptions> = {}): MqttClient {
  return new MqttClient({
    host: broker.host,
    port: broker.port,
    clientId: `t${process.pid}-${++n}`,
    keepalive: 10,
    ...extra,
  });
}

/** Collects the messages `c` receives from now on until `done` says the list is complete. */
function collect(c: MqttClient, done: (got: Message[]) => boolean, timeoutMs = 5000): Promise<Message[]> {
  const got: Message[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`incomplete after ${timeoutMs} ms: ${got.map((m) => m.topic).join(", ")}`)),
      timeoutMs,
    );
    c.on("message", function onMsg(m: Message) {
      got.push(m);
      if (done(got)) {
        clearTimeout(timer);
        c.off("message", onMsg);
        resolve(got);
      }
    });
  });
}

const nextMessages = (c: MqttClient, count: number) => collect(c, (got) => got.length === count);

const suites: [string, () => Promise<Broker>][] = [
  ["mosquitto", () => startMosquitto()],
  ["aedes", () => startAedes()],
];

for (const [name, start] of suites) {
  describe(`client core on ${name}`, () => {
    let broker: Broker;
    before(async () => {
      broker = await start();
    });
    after(() => broker.stop());

    test("QoS 0, 1 and 2 publishes arrive with the QoS asked for, payloads byte-exact", async () => {
      const sub = client(broker);
      const pub = client(broker);
      await sub.connect();
      await pub.connect();
      assert.deepEqual(await sub.subscribe([{ topic: "t/qos/#", qos: 2 }]), [2]);
      const payloads = [
        Buffer.alloc(0),
        Buffer.from([0, 0xff, 0xc3, 0x28, 10]),
        Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
        randomBytes(20000),
      ];
      const arriving = nextMessages(sub, payloads.length * 3);
      for (const qos of [0, 1, 2] as const)
        for (const [i, p] of payloads.entries()) await pub.publish(`t/qos/${qos}/${i}`, p, { qos });
      const got = await arriving;
      for (const qos of [0, 1, 2]) {
        for (const [i, p] of payloads.entries()) {
          const m = got.find((g) => g.topic === `t/qos/${qos}/${i}`);
          assert.ok(m, `t/qos/${qos}/${i} missing`);
          assert.equal(m.qos, qos);
          assert.deepEqual(m.payload, p);
        }
      }
      await Promise.all([sub.end(), pub.end()]);
    });

    test("retained messages reach later subscribers; unsubscribe stops delivery", async () => {
      const pub = client(broker);
      await pub.connect();
      await pub.publish("t/retained", "kept", { qos: 1, retain: true });
      const sub = client(broker);
      await sub.connect();
      const first = nextMessages(sub, 1);
      await sub.subscribe("t/retained", 1);
      const [m] = await first;
      assert.equal(m!.payload.toString(), "kept");
      assert.equal(m!.retain, true);
      // t/sync stays subscribed on the same connection: the broker forwards one publisher's
      // messages in order, so once t/sync is here, anything sent to t/retained before it would be too.
      await sub.subscribe("t/sync", 1);
      await sub.unsubscribe("t/retained");
      const got = collect(sub, (g) => g.some((m) => m.topic === "t/sync"));
      await pub.publish("t/retained", "after unsubscribe", { qos: 1 });
      await pub.publish("t/sync", "x", { qos: 1 });
      assert.deepEqual(
        (await got).map((m) => m.topic),
        ["t/sync"],
      );
      await Promise.all([sub.end(), pub.end()]);
    });

    test("the will is published when the link drops without DISCONNECT, not after a clean end", async () => {
      const watcher = client(broker);
      await watcher.connect();
      await watcher.subscribe("t/will/#", 1);
      const wills = collect(watcher, (got) => got.some((m) => m.topic === "t/will/a"));
      // b leaves cleanly before a even connects, so the broker is done with b before it sees a
      // drop: a will from b would reach the watcher ahead of a's.
      const b = client(broker, { will: { topic: "t/will/b", payload: "gone", qos: 1, retain: false } });
      await b.connect();
      await b.end();
      const a = client(broker, { will: { topic: "t/will/a", payload: "gone", qos: 1, retain: false } });
      await a.connect();
      a.destroy();
      const got = await wills;
      assert.deepEqual(
        got.map((m) => [m.topic, m.payload.toString()]),
        [["t/will/a", "gone"]],
      );
      await watcher.end();
    });
  });
}

describe("errors", () => {
  let secured: Broker;
  before(async () => {
    secured = await startMosquitto({ users: { board: "right-pass" }, tls: true });
  });
  after(() => secured.stop());

  test("a bad password or an anonymous client is refused by CONNACK with a clear message", async () => {
    // Mosquitto 2.0 answers a wrong password with 5 (not authorized) rather than 4.
    const bad = client(secured, { username: "board", password: "wrong" });
    const reasons: Record<number, RegExp> = { 4: /bad user name or password/, 5: /not authorized/ };
    await assert.rejects(
      bad.connect(),
      (e: unknown) => e instanceof MqttError && e.code === "CONNACK" && reasons[e.returnCode!]!.test(e.message),
    );
    const anon = client(secured);
    await assert.rejects(
      anon.connect(),
      (e: unknown) =>
        e instanceof MqttError && e.code === "CONNACK" && e.returnCode === 5 && /not authorized/.test(e.message),
    );
    const good = client(secured, { username: "board", password: "right-pass" });
    await good.connect();
    await good.end();
  });

  test("connection refused names host:port", async () => {
    const port = await freePort();
    await assert.rejects(
      client({ host: "127.0.0.1", port }).connect(),
      (e: unknown) => e instanceof MqttError && e.code === "ECONNREFUSED" && e.message.includes(`127.0.0.1:${port}`),
    );
  });

  test("TLS works with the right CA and fails clearly with the wrong one", async () => {
    const tlsBroker = { host: "127.0.0.1", port: secured.tlsPort! };
    const ok = client(tlsBroker, {
      tls: { ca: readFileSync(secured.caFile!) },
      username: "board",
      password: "right-pass",
    });
    await ok.connect();
    await ok.end();
    const wrong = client(tlsBroker, {
      tls: { ca: readFileSync(secured.otherCaFile!) },
      username: "board",
      password: "right-pass",
    });
    await assert.rejects(
      wrong.connect(),
      (e: unknown) =>
        e instanceof MqttError && e.code === "TLS" && /certificate/.test(e.message) && /--ca/.test(e.message),
    );
  });
});

describe("rogue servers", () => {
  let server: Server;
  let port: number;
  let reply: (socket: import("node:net").Socket) => void = () => {};
  before(async () => {
    port = await freePort();
    server = createServer((s) => {
      s.on("error", () => {}); // the client hanging up mid-test is expected
      s.once("data", () => reply(s));
    });
    await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  test("garbage instead of CONNACK is a protocol error, not a hang", async () => {
    reply = (s) => s.write(Buffer.from([0xff, 0xff, 0x00, 0x13, 0x37]));
    await assert.rejects(
      client({ host: "127.0.0.1", port }, { connectTimeoutMs: 3000 }).connect(),
      (e: unknown) => e instanceof MqttError && (e.code === "PROTOCOL" || e.code === "CLOSED"),
    );
  });

  test("an oversized frame is refused before it is buffered", async () => {
    // CONNACK, then a PUBLISH header announcing ~2 MB, then a trickle of it.
    reply = (s) =>
      s.write(
        Buffer.concat([
          Buffer.from([0x20, 2, 0, 0]),
          Buffer.from([0x30, 0x80, 0x80, 0x80, 0x01]),
          Buffer.alloc(64 * 1024),
        ]),
      );
    const c = client({ host: "127.0.0.1", port }, { maxIncomingBytes: 32 * 1024 });
    const offline = new Promise<MqttError>((r) => c.once("offline", r));
    await c.connect();
    const err = await offline;
    assert.equal(err.code, "PROTOCOL");
    assert.match(err.message, /over 32768 bytes/);
  });

  test("silence after CONNACK is detected by keepalive", async () => {
    reply = (s) => s.write(Buffer.from([0x20, 2, 0, 0]));
    const c = client({ host: "127.0.0.1", port }, { keepalive: 1 });
    const offline = new Promise<MqttError>((r) => c.once("offline", r));
    await c.connect();
    assert.equal((await offline).code, "KEEPALIVE");
  });
});

test("a broker restarted during 500 QoS 1 publishes loses none of them", async () => {
  const broker = await startMosquitto({ persistence: true });
  try {
    const opts = { clean: false, reconnect: { minMs: 50, maxMs: 400, stableMs: 1000 } };
    const sub = client(broker, { ...opts, clientId: `sub-${process.pid}` });
    const pub = client(broker, { ...opts, clientId: `pub-${process.pid}` });
    await sub.connect();
    await sub.subscribe("t/restart", 1);
    await pub.connect();
    const seen = new Map<number, number>();
    sub.on("message", (m: Message) =>
      seen.set(Number(m.payload.toString()), (seen.get(Number(m.payload.toString())) ?? 0) + 1),
    );
    const sends: Promise<void>[] = [];
    for (let i = 0; i < 500; i++) {
      sends.push(pub.publish("t/restart", String(i), { qos: 1 }));
      if (i === 200) await broker.restart();
      if (i % 50 === 0) await new Promise((r) => setImmediate(r));
    }
    await Promise.all(sends);
    await waitFor(() => seen.size === 500);
    const missing = [...Array(500).keys()].filter((i) => !seen.has(i));
    const duplicates = [...seen.values()].reduce((s, v) => s + v - 1, 0);
    console.log(
      `# broker restart: 500 sent, ${seen.size} received, ${duplicates} duplicates, missing ${missing.slice(0, 5)}..${missing.slice(-3)}`,
    );
    assert.deepEqual(missing, []);
    await Promise.all([sub.end(), pub.end()]);
  } finally {
    await broker.stop();
  }
});

test("publishing past the queue bound fails clearly", async () => {
  const broker = await startMosquitto();
  try {
    const c = client(broker, { maxInflight: 1, maxQueued: 2 });
    await c.connect();
    const accepted = [
      c.publish("t/q", "1", { qos: 1 }),
      c.publish("t/q", "2", { qos: 1 }),
      c.publish("t/q", "3", { qos: 1 }),
    ];
    await assert.rejects(
      c.publish("t/q", "4", { qos: 1 }),
      (e: unknown) => e instanceof MqttError && e.code === "QUEUE_FULL" && /waiting/.test(e.message),
    );
    await Promise.all(accepted);
    await c.end();
  } finally {
    await broker.stop();
  }
});
