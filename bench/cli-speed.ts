// Rows 3 and 4: `mcu send` cold start (connect, QoS 1, PUBACK, exit) against `node -e 0`,
// MQTT.js's `mqtt pub` and mosquitto_pub; `mcu serve` receiving and printing 100,000 QoS 0
// messages against mosquitto_sub.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { MqttClient } from "../host/mqtt/index.ts";
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
    ["mcu send", process.execPath, [join(root, "dist", "mcu.js"), "send", "--broker", `mqtt://127.0.0.1:${port}`, "--topic", topic, "--qos", "1", "hello"]],
  ];
  const mqttJs = mqttJsBin(root);
  if (mqttJs)
    cases.push(["mqtt pub (MQTT.js)", process.execPath, [mqttJs, "pub", "-h", "127.0.0.1", "-p", String(port), "-t", topic, "-q", "1", "-m", "hello"]]);
  if (has("mosquitto_pub")) cases.push(["mosquitto_pub", "mosquitto_pub", ["-h", "127.0.0.1", "-p", String(port), "-t", topic, "-q", "1", "-m", "hello"]]);
  for (const [name, cmd, args] of cases) out[name] = await repeat(runs, async () => 1000 * (await timed(cmd, args)), true);
  return out;
}

/**
 * Messages per second a subscriber command receives and prints while `n` are published as fast as
 * the broker takes them. A broker may drop QoS 0 messages for a slow reader, so the rate is the
 * lines printed over the time to the last one; a reader that stalls for 3 s is stopped there.
 */
async function drain(cmd: string, args: string[], port: number, topic: string, n: number): Promise<number> {
  const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
  let lines = 0;
  let last = performance.now();
  child.stdout.on("data", (d: Buffer) => {
    for (const b of d) if (b === 10) lines++;
    last = performance.now();
  });
  const done = new Promise<void>((r) => child.on("close", () => r()));
  // Wait until the subscription is in place: a probe message comes through.
  const pub = new MqttClient({ host: "127.0.0.1", port, clientId: `bench-pub-${process.pid}`, maxQueued: n + 10 });
  await pub.connect();
  while (lines === 0) {
    await pub.publish(topic, "probe", { qos: 0 });
    await new Promise((r) => setTimeout(r, 50));
  }
  const before = lines;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    await pub.publish(topic, `message ${i} ${"x".repeat(40)}`, { qos: 0 });
    if (i % 1000 === 999) await new Promise((r) => setImmediate(r));
  }
  const stall = setInterval(() => performance.now() - last > 3000 && child.kill(), 500);
  await done;
  clearInterval(stall);
  await pub.end();
  return (lines - before) / ((last - t0) / 1000);
}

export async function serveThroughput(root: string, port: number, n: number, runs: number): Promise<Record<string, Sample>> {
  const topic = "bench/tp";
  const cases: [string, string, string[]][] = [
    [
      "mcu serve",
      process.execPath,
      [join(root, "dist", "mcu.js"), "serve", "--broker", `mqtt://127.0.0.1:${port}`, "--topic", topic, "--qos", "0", "--count", String(n)],
    ],
  ];
  if (has("mosquitto_sub"))
    cases.push(["mosquitto_sub -v", "mosquitto_sub", ["-h", "127.0.0.1", "-p", String(port), "-t", topic, "-q", "0", "-v", "-C", String(n)]]);
  // Runs alternate between the readers, so a machine that drifts (caches, other load) weighs on
  // both alike rather than on whichever ran last.
  const rates = new Map<string, number[]>(cases.map(([name]) => [name, []]));
  for (let i = 0; i < runs; i++) for (const [name, cmd, args] of cases) rates.get(name)!.push(await drain(cmd, args, port, topic, n));
  return Object.fromEntries([...rates].map(([name, r]) => [name, sample(r)]));
}
