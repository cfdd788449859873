// Rows 3 and 4: `mcu send` cold start (connect, QoS 1, PUBACK, exit) against `node -e 0`,
// MQTT.js's `mqtt pub` and mosquitto_pub; `mcu serve` receiving and printing 100,000 QoS 0
// messages against mosquitto_sub.
import { spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mqttPacket from "mqtt-packet";
import { MqttClient } from "../host/mqtt/index.ts";
import { flood, publishPacket } from "../test/helpers/flood.ts";
import { repeat, type Sample, sample } from "./stats.ts";
import { timed } from "./timed.ts";

export function has(cmd: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${cmd}`]).status === 0;
}

/** MQTT.js's CLI from the root's devDependencies, if installed. */
export function mqttJsBin(root: string): string | undefined {
  const bin = join(root, "node_modules", "mqtt", "build", "bin", "mqtt.js");
  return existsSync(bin) ? bin : undefined;
}

export async function coldStart(root: string, port: number, runs: number): Promise<Record<string, Sample>> {
  const topic = "bench/cold";
  const out: Record<string, Sample> = {};
  const cases: [string, string, string[]][] = [
    ["node -e 0", process.execPath, ["-e", "0"]],
    [
      "mcu send",
      process.execPath,
      [
        join(root, "dist", "mcu.js"),
        "send",
        "--broker",
        `mqtt://127.0.0.1:${port}`,
        "--topic",
        topic,
        "--qos",
        "1",
        "hello",
      ],
    ],
  ];
  const mqttJs = mqttJsBin(root);
  if (mqttJs)
    cases.push([
      "mqtt pub (MQTT.js)",
      process.execPath,
      [mqttJs, "pub", "-h", "127.0.0.1", "-p", String(port), "-t", topic, "-q", "1", "-m", "hello"],
    ]);
  if (has("mosquitto_pub"))
    cases.push([
      "mosquitto_pub",
      "mosquitto_pub",
      ["-h", "127.0.0.1", "-p", String(port), "-t", topic, "-q", "1", "-m", "hello"],
    ]);
  for (const [name, cmd, args] of cases)
    out[name] = await repeat(runs, async () => 1000 * (await timed(cmd, args)), true);
  return out;
}

/** Lines in a file. */
const linesIn = (file: string) => {
  const d = readFileSync(file);
  let n = 0;
  for (let i = d.indexOf(10); i !== -1; i = d.indexOf(10, i + 1)) n++;
  return n;
};

/**
 * Messages per second a subscriber command receives and prints while `n` are published as fast as
 * the broker takes them (a raw socket, a thousand packets a write: one write per message left the
 * publisher slower than either reader). The reader prints into a file, as `> log` would: a pipe
 * to this process would make the bench's own reading part of what is measured. The time is to the
 * file's last growth (watched every 5 ms, and stopped 1 s after); a reader may drop QoS 0 messages
 * it cannot print, so what it printed is returned too.
 */
async function drain(
  cmd: string,
  args: string[],
  port: number,
  topic: string,
  n: number,
): Promise<{ rate: number; lines: number }> {
  const dir = mkdtempSync(join(tmpdir(), "mcu-bench-serve-"));
  const file = join(dir, "out");
  const fd = openSync(file, "w");
  const child = spawn(cmd, args, { stdio: ["ignore", fd, "ignore"] });
  closeSync(fd);
  const done = new Promise<void>((r) => child.on("close", () => r()));
  try {
    // Wait until the subscription is in place: a probe message comes through.
    const pub = new MqttClient({ host: "127.0.0.1", port, clientId: `bench-pub-${process.pid}` });
    await pub.connect();
    while (statSync(file).size === 0) {
      await pub.publish(topic, "probe", { qos: 0 });
      await new Promise((r) => setTimeout(r, 50));
    }
    await pub.end();
    await new Promise((r) => setTimeout(r, 200)); // a probe still on its way lands before the count
    const before = linesIn(file);
    let size = statSync(file).size;
    const t0 = performance.now();
    let last = t0;
    const watch = setInterval(() => {
      const now = statSync(file).size;
      if (now !== size) [size, last] = [now, performance.now()];
    }, 5);
    await flood(port, topic, n, (i) => `message ${i} ${"x".repeat(40)}`);
    while (performance.now() - last < 1000) await new Promise((r) => setTimeout(r, 50));
    clearInterval(watch);
    const lines = linesIn(file) - before;
    return { rate: lines / ((last - t0) / 1000), lines };
  } finally {
    child.kill();
    await done;
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Each reader's rate, and the fewest of the `n` messages it printed in any run. */
export async function serveThroughput(
  root: string,
  port: number,
  n: number,
  runs: number,
): Promise<Record<string, Sample & { fewest: number }>> {
  const topic = "bench/tp";
  const cases: [string, string, string[]][] = [
    [
      "mcu serve",
      process.execPath,
      [join(root, "dist", "mcu.js"), "serve", "--broker", `mqtt://127.0.0.1:${port}`, "--topic", topic, "--qos", "0"],
    ],
  ];
  if (has("mosquitto_sub"))
    cases.push([
      "mosquitto_sub -v",
      "mosquitto_sub",
      ["-h", "127.0.0.1", "-p", String(port), "-t", topic, "-q", "0", "-v"],
    ]);
  // Runs alternate between the readers, so a machine that drifts (caches, other load) weighs on
  // both alike rather than on whichever ran last.
  const rates = new Map<string, number[]>(cases.map(([name]) => [name, []]));
  const printed = new Map<string, number>(cases.map(([name]) => [name, n]));
  for (let i = 0; i < runs; i++)
    for (const [name, cmd, args] of cases) {
      const r = await drain(cmd, args, port, topic, n);
      rates.get(name)!.push(r.rate);
      printed.set(name, Math.min(printed.get(name)!, r.lines));
    }
  return Object.fromEntries([...rates].map(([name, r]) => [name, { ...sample(r), fewest: printed.get(name)! }]));
}

/**
 * A subscriber that does nothing with what it gets: a raw socket in a process of its own (as the
 * readers are), counting bytes. argv: port, the CONNECT and SUBSCRIBE packets in hex, the bytes to
 * wait for; prints "ready" once subscribed and "done" when they have all come.
 */
const RAW_READER = `
const [port, hello, expected] = process.argv.slice(1);
const s = require("node:net").connect(Number(port), "127.0.0.1", () => s.write(Buffer.from(hello, "hex")));
let bytes = 0;
let ready = false;
s.on("data", (d) => {
  bytes += d.length;
  // CONNACK (4 bytes) and SUBACK (5): subscribed.
  if (!ready && bytes >= 9) { ready = true; bytes -= 9; process.stdout.write("ready\\n"); }
  if (ready && bytes >= Number(expected)) { process.stdout.write("done\\n"); process.exit(0); }
});`;

/**
 * What the broker delivers to a subscriber that does nothing with it, published as drain()
 * publishes: no reader can print faster than this.
 */
export async function brokerCeiling(port: number, n: number, runs: number): Promise<Sample> {
  const topic = "bench/ceiling";
  const body = (i: number) => `message ${i} ${"x".repeat(40)}`;
  let expected = 0;
  for (let i = 0; i < n; i++) expected += publishPacket(topic, body(i)).length;
  const hello = Buffer.concat([
    mqttPacket.generate({
      cmd: "connect",
      protocolId: "MQTT",
      protocolVersion: 4,
      clean: true,
      clientId: `bench-ceiling-${process.pid}`,
      keepalive: 60,
    }),
    mqttPacket.generate({ cmd: "subscribe", messageId: 1, subscriptions: [{ topic, qos: 0 }] }),
  ]).toString("hex");
  return repeat(runs, async () => {
    const child = spawn(process.execPath, ["-e", RAW_READER, String(port), hello, String(expected)], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let said = "";
    const heard = (word: string) =>
      new Promise<void>((resolve, reject) => {
        const check = () => said.includes(word) && resolve();
        child.stdout.on("data", (d: Buffer) => {
          said += d;
          check();
        });
        child.once("close", () =>
          said.includes(word) ? resolve() : reject(new Error(`bench: the raw subscriber ended before "${word}"`)),
        );
      });
    const ready = heard("ready");
    const done = heard("done");
    try {
      await ready;
      const t0 = performance.now();
      await flood(port, topic, n, body);
      await done;
      return n / ((performance.now() - t0) / 1000);
    } finally {
      child.kill();
    }
  });
}
