// The echo board under a flood, as a user sends one: `mosquitto_pub -l` at QoS 1, back to back, to
// a board on a stock Mosquitto. Mosquitto 2.0.11 (Debian 12's) releases 20 more messages for each
// PUBACK, so its in-flight window does not hold; the board must still never panic or reboot, and
// every message must be echoed or counted in the status's `dropped` (docs/reliability.md).
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { after, before, test } from "node:test";
import { IN, OUT, STATUS, topic } from "../../firmware/src/contract.ts";
import { OTA_IN } from "../../firmware/src/otacontract.ts";
import { type Message, MqttClient } from "../../host/mqtt/index.ts";
import { type Broker, startMosquitto } from "../helpers/broker.ts";
import { flashedBoard } from "../helpers/firmware.ts";
import { mcuBin } from "../helpers/pty-board.ts";
import { waitFor, waitUntil } from "../helpers/wait.ts";

let broker: Broker;
before(async () => {
  broker = await startMosquitto();
});
after(() => broker.stop());

/**
 * `lines` published by mosquitto_pub -l at QoS 1 on `t`: one connection, as fast as the broker
 * acknowledges. In a child of its own, so the boards and clients of this process run meanwhile.
 */
async function mosquittoPub(t: string, lines: string[]): Promise<void> {
  const pub = spawn("mosquitto_pub", ["-h", broker.host, "-p", String(broker.port), "-t", t, "-q", "1", "-l"], { stdio: ["pipe", "ignore", "inherit"] });
  pub.stdin.end(`${lines.join("\n")}\n`);
  const [code] = (await once(pub, "exit")) as [number | null];
  assert.equal(code, 0, "mosquitto_pub exit code");
}

interface Watch {
  seen: Message[];
  host: MqttClient;
  /** Distinct payloads echoed so far. */
  echoed(): Set<string>;
  /** The board's status after an overflow it is sent (an overflow publishes the status). */
  status(): Promise<{ dropped: number; overflows: number }>;
}

async function watch(id: string): Promise<Watch> {
  const host = new MqttClient({ host: broker.host, port: broker.port, clientId: `${id}-watch` });
  const seen: Message[] = [];
  host.on("message", (m: Message) => seen.push(m));
  await host.connect();
  await host.subscribe([
    { topic: topic("nodemcu", id, OUT), qos: 1 },
    { topic: topic("nodemcu", id, STATUS), qos: 1 },
  ]);
  await waitUntil("online", () => seen.find((m) => m.topic.endsWith("/status") && m.payload.includes('"online"')), 20000);
  return {
    seen,
    host,
    echoed: () => new Set(seen.filter((m) => m.topic.endsWith("/out")).map((m) => m.payload.toString())),
    async status() {
      const from = seen.length;
      await host.publish(topic("nodemcu", id, IN), Buffer.alloc(1100, "o"), { qos: 1 });
      const s = await waitUntil("the status after an overflow", () => seen.slice(from).find((m) => m.topic.endsWith("/status")), 20000);
      return JSON.parse(s.payload.toString());
    },
  };
}

test("1,000 QoS 1 messages back to back from mosquitto_pub -l: no panic, no reboot, each echoed or counted as dropped", async () => {
  const { board, out } = await flashedBoard("flood1", broker);
  let panics = 0;
  let boots = 0;
  board.on("panic", () => panics++);
  board.on("boot", () => boots++);
  const w = await watch("flood1");
  try {
    const sent = Array.from({ length: 1000 }, (_, i) => `m${i + 1}`);
    await mosquittoPub(topic("nodemcu", "flood1", IN), sent);
    // Done once every message is accounted for; the status is asked for again while echoes still come.
    let accounted = 0;
    await waitFor(async () => {
      const { dropped } = await w.status();
      accounted = [...w.echoed()].filter((e) => sent.includes(e)).length + dropped;
      return accounted >= sent.length;
    }, 120000);
    assert.equal(panics, 0, out());
    assert.equal(boots, 0, out());
    assert.ok(accounted >= sent.length, `echoed plus dropped: ${accounted} of ${sent.length}`);
    const extra = [...w.echoed()].filter((e) => !sent.includes(e));
    assert.deepEqual(extra, [], "only what was sent is echoed");
  } finally {
    await w.host.end();
    board.powerOff();
  }
});

test("3,000 junk messages on ota/in: no panic, no reboot, and the board still echoes", async () => {
  const { board, out } = await flashedBoard("flood2", broker, { extra: { ota: {} } });
  let panics = 0;
  let boots = 0;
  board.on("panic", () => panics++);
  board.on("boot", () => boots++);
  const w = await watch("flood2");
  try {
    const junk = Array.from({ length: 3000 }, (_, i) => ["b", "   b   ", "b 1 - app.lua abc 1 2", `c ${i}`, "m", "x".repeat(i % 900), "d %9 1%9"][i % 7]!);
    await mosquittoPub(topic("nodemcu", "flood2", OTA_IN), junk);
    // A message that comes while the junk still holds the heap is counted, not echoed: ask until one is.
    let asked = 0;
    const echoed = await waitFor(async () => {
      asked++;
      await w.host.publish(topic("nodemcu", "flood2", IN), `after the junk ${asked}`, { qos: 1 });
      return waitFor(() => [...w.echoed()].some((e) => e.startsWith("after the junk")), 2000);
    }, 120000);
    assert.ok(echoed, `no echo after ${asked} messages`);
    assert.equal(panics, 0, out());
    assert.equal(boots, 0, out());
  } finally {
    await w.host.end();
    board.powerOff();
  }
});

test("mcu emulate exits on SIGINT and on SIGTERM while a flood keeps its board busy", async () => {
  const { board } = await flashedBoard("flood3", broker);
  board.powerOff();
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    const child: ChildProcess = spawn(process.execPath, [mcuBin(), "emulate", "--flash", board.flash.dir], { stdio: ["ignore", "pipe", "pipe"] });
    let console = "";
    child.stdout!.on("data", (d: Buffer) => (console += d.toString("latin1")));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      await waitUntil("the emulated board online", () => console.includes("mqtt: connected"), 20000);
      const flood = Array.from({ length: 3000 }, (_, i) => `f${i}`);
      await mosquittoPub(topic("nodemcu", "flood3", IN), flood);
      child.kill(signal);
      let bound: NodeJS.Timeout | undefined;
      const code = await Promise.race([exited, new Promise<"still running">((r) => (bound = setTimeout(() => r("still running"), 10000)))]);
      clearTimeout(bound);
      assert.equal(code, 0, `${signal}: ${code}`);
    } finally {
      child.kill("SIGKILL");
    }
  }
});
