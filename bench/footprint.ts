// Row 1: firmware footprint. The TypeScript firmware and the hand-written Lua reference
// (bench/reference/) in the same emulator against the same broker: Lua heap in use after boot
// and after 1,000 echoes, and bytes on flash; and the rate of those 1,000 echoes (echo throughput
// under the one-packet rule). Also the burst row: 20 messages at the payload limit at once; and the
// flood row: 1,000 QoS 1 messages back to back from mosquitto_pub -l.
import { copyFileSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IN, OUT, STATUS, topic } from "../firmware/src/contract.ts";
import { within } from "../host/cli/options.ts";
import { type Message, MqttClient } from "../host/mqtt/index.ts";
import { mosquittoPubLines, watchBoard } from "../test/helpers/board-watch.ts";
import { waitFor } from "../test/helpers/wait.ts";
import type { BuildResult } from "../tools/compiler/build.ts";
import { Board, DEFAULT_MODULES } from "../tools/emulator/board.ts";
import { clearSession } from "./fresh-session.ts";

export interface Footprint {
  bootHeap: number;
  echoHeap: number;
  flashBytes: number;
  /** Echoes a second over the 1,000, at most WINDOW awaiting their echo. */
  echoRate: number;
}

const ECHOES = 1000;
const WINDOW = 10;

interface Booted {
  board: Board;
  /** What the board printed so far. */
  out: () => string;
  client: MqttClient;
  flashBytes: number;
  close(): Promise<void>;
}

/** A file for the board's flash: a path, kept under its own name, or [path, name on the board]. */
export type FlashFile = string | [string, string];

/** A board booted from `files` and online, and a client of the same broker. */
async function boot(
  files: FlashFile[],
  broker: { host: string; port: number },
  id: string,
  modules?: readonly string[],
  setup?: (b: Board) => void,
): Promise<Booted> {
  const flashDir = mkdtempSync(join(tmpdir(), "mcu-bench-fp-"));
  for (const f of files) {
    const [from, name] = typeof f === "string" ? [f, f.split("/").pop()!] : f;
    copyFileSync(from, join(flashDir, name));
  }
  const flashBytes = readdirSync(flashDir).reduce((n, f) => n + statSync(join(flashDir, f)).size, 0);
  const board = new Board({ flashDir, modules });
  setup?.(board);
  let out = "";
  board.on("output", (d: Buffer) => (out += d.toString("latin1")));
  const client = new MqttClient({
    host: broker.host,
    port: broker.port,
    clientId: `bench-fp-${id}`,
    maxInflight: 50,
    maxQueued: 2000,
  });
  const close = async () => {
    board.powerOff();
    await client.end({ force: true });
    rmSync(flashDir, { recursive: true, force: true });
  };
  try {
    await clearSession(broker, id);
    board.boot();
    if (!(await waitFor(() => out.includes("mqtt: connected"), 20000)))
      throw new Error(`bench: ${id} did not come online (console: ${out.slice(-200)})`);
    // Its status and subscription settle.
    await new Promise((r) => setTimeout(r, 300));
    return { board, out: () => out, client, flashBytes, close };
  } catch (err) {
    await close();
    throw err;
  }
}

export interface SensorFootprint {
  bootHeap: number;
  /** After its third reading reached the broker. */
  readHeap: number;
  flashBytes: number;
}

/** The DS18B20's pin in the sensor example (D3), and what it reads in the bench. */
const THERMOMETER = 3;

/**
 * The sensor example's row: a board with the ow module and a DS18B20 at 21.5 °C, booted from
 * `files`: Lua heap once online and after its third reading arrived, and bytes on flash.
 */
export async function measureSensor(
  files: FlashFile[],
  broker: { host: string; port: number },
  id: string,
): Promise<SensorFootprint> {
  const { board, client, flashBytes, close } = await boot(files, broker, id, [...DEFAULT_MODULES, "ow"], (b) =>
    b.io.setDs18b20(THERMOMETER, 21.5),
  );
  try {
    const bootHeap = board.heapBudget - board.heap();
    await client.connect();
    let readings = 0;
    const three = new Promise<void>((resolve) =>
      client.on("message", (m: Message) => {
        if (m.payload.toString() === '{"t":21.5}' && ++readings === 3) resolve();
      }),
    );
    await client.subscribe(topic("nodemcu", id, OUT), 0);
    await within(three, 30, () => `three readings from ${id} (${readings} came)`);
    return { bootHeap, readHeap: board.heapBudget - board.heap(), flashBytes };
  } finally {
    await close();
  }
}

/** Boots a board from `files`, measures heap after online and after 1,000 echoes, and their rate. */
export async function measure(files: string[], broker: { host: string; port: number }, id: string): Promise<Footprint> {
  const { board, client, flashBytes, close } = await boot(files, broker, id);
  try {
    const bootHeap = board.heapBudget - board.heap();
    await client.connect();
    let echoed = 0;
    let sent = 0;
    const inTopic = topic("nodemcu", id, IN);
    const send = () => void client.publish(inTopic, `echo ${sent++} ${"x".repeat(32)}`, { qos: 1 });
    // At most WINDOW messages wait for their echo, each echo sending the next: the strict board
    // echoes one per broker round trip (its one-packet send queue), and NodeMCU loses its stream
    // when a read ends inside a packet's length bytes (mqtt_msg.c:133-146), which a long burst of
    // small packets invites.
    const all = new Promise<void>((resolve) =>
      client.on("message", (_m: Message) => {
        if (++echoed >= ECHOES) resolve();
        else if (sent < ECHOES) send();
      }),
    );
    await client.subscribe(topic("nodemcu", id, OUT), 1);
    const t0 = performance.now();
    while (sent < WINDOW) send();
    await within(
      all,
      60,
      () => `${echoed} of ${ECHOES} echoes from ${id} running ${files.find((f) => f.endsWith("app.lua"))}`,
    );
    const echoRate = ECHOES / ((performance.now() - t0) / 1000);
    const echoHeap = board.heapBudget - board.heap();
    return { bootHeap, echoHeap, flashBytes, echoRate };
  } finally {
    await close();
  }
}

/** Messages in the flood row. */
export const FLOOD = 1000;

export interface Burst {
  /** The lowest free heap while the burst was taken in and echoed (Board.heapLow). */
  lowestFree: number;
  echoed: number;
  /** The status's count of echoes the board could not send. */
  dropped: number;
  panics: number;
}

/**
 * 20 messages (Mosquitto's default in-flight window) of `size` bytes at once, then a marker; then
 * one message over the limit, whose overflow makes the board publish its status with `dropped`.
 */
export async function burst(
  files: string[],
  broker: { host: string; port: number },
  id: string,
  size: number,
  maxlen: number,
): Promise<Burst> {
  const { board, out, client, close } = await boot(files, broker, id);
  let panics = 0;
  board.on("panic", () => panics++);
  try {
    await client.connect();
    let echoed = 0;
    let marker: () => void = () => {};
    let status: (payload: string) => void = () => {};
    client.on("message", (m: Message) => {
      if (m.topic.endsWith("/status")) status(m.payload.toString());
      else if (m.payload.length === size) echoed++;
      else if (m.payload.toString() === "marker") marker();
    });
    await client.subscribe([
      { topic: topic("nodemcu", id, OUT), qos: 1 },
      { topic: topic("nodemcu", id, STATUS), qos: 1 },
    ]);
    const inTopic = topic("nodemcu", id, IN);
    board.heapLow = Number.POSITIVE_INFINITY;
    const back = new Promise<void>((r) => (marker = r));
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => client.publish(inTopic, Buffer.alloc(size, 65 + i), { qos: 1 })),
    );
    await client.publish(inTopic, "marker", { qos: 1 });
    await within(
      back,
      30,
      () => `the marker after the burst from ${id}; echoed ${echoed}, console: ${out().slice(-400)}`,
    );
    const lowestFree = board.heapLow;
    const next = new Promise<string>((r) => (status = r));
    await client.publish(inTopic, Buffer.alloc(maxlen, "o"), { qos: 1 });
    const { dropped } = JSON.parse(await within(next, 30, () => `a status from ${id} after an overflow`)) as {
      dropped: number;
    };
    return { lowestFree, echoed, dropped, panics };
  } finally {
    await close();
  }
}

export interface Flood {
  echoed: number;
  dropped: number;
  panics: number;
  boots: number;
  /** From the first message sent until every one was echoed or counted. */
  seconds: number;
}

/** FLOOD messages back to back from mosquitto_pub -l at QoS 1, as a careless user sends them. */
export async function flood(files: string[], broker: { host: string; port: number }, id: string): Promise<Flood> {
  const { board, close } = await boot(files, broker, id);
  const counts = { panics: 0, boots: 0 };
  board.on("panic", () => counts.panics++);
  board.on("boot", () => counts.boots++);
  const w = await watchBoard(broker, id);
  try {
    const sent = Array.from({ length: FLOOD }, (_, i) => `flood ${i}`);
    const t0 = performance.now();
    await mosquittoPubLines(broker, topic("nodemcu", id, IN), sent);
    const { echoed, dropped } = await w.accountFor(sent, 120000);
    return { echoed, dropped, ...counts, seconds: (performance.now() - t0) / 1000 };
  } finally {
    await w.end();
    await close();
  }
}

/** Files of the sensor example's build and of the reference sensor (as app.lua under the reference boot guard). */
export function sensorFileSets(
  build: BuildResult,
  referenceDir: string,
): { ours: FlashFile[]; reference: FlashFile[] } {
  const ours = build.files.map((f) => join(build.outDir, f.name));
  const reference: FlashFile[] = [
    join(referenceDir, "init.lua"),
    [join(referenceDir, "sensor.lua"), "app.lua"],
    join(build.outDir, "config.lua"),
  ];
  return { ours, reference };
}

/** Files of the TypeScript firmware and of the reference, both with the build's config.lua. */
export function fileSets(build: BuildResult, referenceDir: string): { ours: string[]; reference: string[] } {
  const ours = build.files.map((f) => join(build.outDir, f.name));
  const reference = [join(referenceDir, "init.lua"), join(referenceDir, "app.lua"), join(build.outDir, "config.lua")];
  return { ours, reference };
}
