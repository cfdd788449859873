// Row 1: firmware footprint. The TypeScript firmware and the hand-written Lua reference
// (bench/reference/) in the same emulator against the same broker: Lua heap in use after boot
// and after 1,000 echoes, and bytes on flash.
import { copyFileSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IN, OUT, topic } from "../firmware/src/contract.ts";
import { type Message, MqttClient } from "../host/mqtt/index.ts";
import type { BuildResult } from "../tools/compiler/build.ts";
import { Board } from "../tools/emulator/board.ts";

export interface Footprint {
  bootHeap: number;
  echoHeap: number;
  flashBytes: number;
}

const ECHOES = 1000;
const WINDOW = 10;

async function waitFor(check: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`bench: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Boots a board from `files`, measures heap after online and after 1,000 echoes. */
export async function measure(files: string[], broker: { host: string; port: number }, id: string): Promise<Footprint> {
  const flashDir = mkdtempSync(join(tmpdir(), "mcu-bench-fp-"));
  for (const f of files) copyFileSync(f, join(flashDir, f.split("/").pop()!));
  const flashBytes = readdirSync(flashDir).reduce((n, f) => n + statSync(join(flashDir, f)).size, 0);
  const board = new Board({ flashDir });
  let out = "";
  board.on("output", (d: Buffer) => (out += d.toString("latin1")));
  const client = new MqttClient({ host: broker.host, port: broker.port, clientId: `bench-fp-${id}`, maxInflight: 50, maxQueued: 2000 });
  try {
    board.boot();
    await waitFor(() => out.includes("mqtt: connected"), 20000, `${id} online (console: ${out.slice(-200)})`);
    await new Promise((r) => setTimeout(r, 300));
    const bootHeap = board.heapBudget - board.heap();
    await client.connect();
    let echoed = 0;
    client.on("message", (_m: Message) => echoed++);
    await client.subscribe(topic("nodemcu", id, OUT), 1);
    // At most WINDOW messages wait for their echo: the strict board echoes one per broker round
    // trip (its one-packet send queue), and NodeMCU loses its stream when a read ends inside a
    // packet's length bytes (mqtt_msg.c:133-146), which a long burst of small packets invites.
    for (let i = 0; i < ECHOES; i++) {
      await waitFor(() => i - echoed < WINDOW, 30000, `echo ${i - WINDOW} from ${id}`);
      void client.publish(topic("nodemcu", id, IN), `echo ${i} ${"x".repeat(32)}`, { qos: 1 });
    }
    await waitFor(() => echoed >= ECHOES, 30000, `${ECHOES} echoes from ${id}`);
    const echoHeap = board.heapBudget - board.heap();
    return { bootHeap, echoHeap, flashBytes };
  } finally {
    board.powerOff();
    await client.end({ force: true });
    rmSync(flashDir, { recursive: true, force: true });
  }
}

/** Files of the TypeScript firmware and of the reference, both with the build's config.lua. */
export function fileSets(build: BuildResult, referenceDir: string): { ours: string[]; reference: string[] } {
  const ours = build.files.map((f) => join(build.outDir, f.name));
  const reference = [join(referenceDir, "init.lua"), join(referenceDir, "app.lua"), join(build.outDir, "config.lua")];
  return { ours, reference };
}
