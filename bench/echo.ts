// Row 5: echo round trip through one emulated board (in its own `mcu emulate` process) against
// the broker-only round trip (host → broker → host) on the same broker, QoS 1, one at a time.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IN, OUT, topic } from "../firmware/src/contract.ts";
import { percentile } from "../host/cli/percentile.ts";
import { type Message, MqttClient } from "../host/mqtt/index.ts";
import { clearSession } from "./fresh-session.ts";

export interface Rtt {
  p50: number;
  p99: number;
}

/**
 * Requests go out on `sender`, echoes come back on `receiver`: on one connection a broker with
 * Nagle on would hold each echo behind its PUBACK for the request until our delayed ACK (host/cli/ping.ts).
 */
async function roundTrips(sender: MqttClient, receiver: MqttClient, to: string, from: string, n: number): Promise<Rtt> {
  let wake: (() => void) | undefined;
  receiver.on("message", (m: Message) => m.topic === from && wake?.());
  await receiver.subscribe(from, 1);
  const rtts: number[] = [];
  for (let i = 0; i < n + 20; i++) {
    const got = new Promise<void>((r) => (wake = r));
    const t0 = performance.now();
    await sender.publish(to, `rtt ${i}`, { qos: 1 });
    await got;
    if (i >= 20) rtts.push(performance.now() - t0); // the first 20 warm up
  }
  rtts.sort((a, b) => a - b);
  return { p50: percentile(rtts, 50), p99: percentile(rtts, 99) };
}

/** Two connections to the broker on `port`, for roundTrips. */
async function pair(port: number, name: string): Promise<[MqttClient, MqttClient]> {
  const clients = [0, 1].map(
    (i) => new MqttClient({ host: "127.0.0.1", port, clientId: `${name}-${i}-${process.pid}` }),
  );
  await Promise.all(clients.map((c) => c.connect()));
  return [clients[0]!, clients[1]!];
}

export async function brokerOnly(port: number, n: number): Promise<Rtt> {
  const [tx, rx] = await pair(port, "bench-rtt");
  try {
    return await roundTrips(tx, rx, "bench/loop", "bench/loop", n);
  } finally {
    await Promise.all([tx.end(), rx.end()]);
  }
}

/** Boots `mcu emulate --load buildDir` (config names board "bench-echo") and times echoes through it. */
export async function throughBoard(root: string, buildDir: string, port: number, n: number): Promise<Rtt> {
  await clearSession({ host: "127.0.0.1", port }, "bench-echo");
  const flash = mkdtempSync(join(tmpdir(), "mcu-bench-echo-"));
  const board = spawn(
    process.execPath,
    [join(root, "dist", "mcu.js"), "emulate", "--flash", flash, "--load", buildDir],
    {
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  let out = "";
  board.stdout.on("data", (d: Buffer) => (out += d.toString()));
  let clients: MqttClient[] = [];
  try {
    const end = Date.now() + 20000;
    while (!out.includes("mqtt: connected") && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    if (!out.includes("mqtt: connected")) throw new Error(`the emulated board did not come online: ${out.slice(-300)}`);
    clients = await pair(port, "bench-echo");
    return await roundTrips(
      clients[0]!,
      clients[1]!,
      topic("nodemcu", "bench-echo", IN),
      topic("nodemcu", "bench-echo", OUT),
      n,
    );
  } finally {
    await Promise.all(clients.map((c) => c.end()));
    board.kill("SIGTERM");
    await new Promise((r) => board.once("close", r));
    rmSync(flash, { recursive: true, force: true });
  }
}
