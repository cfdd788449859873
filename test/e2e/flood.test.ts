// The echo board under a flood, as a user sends one: `mosquitto_pub -l` at QoS 1, back to back, to
// a board on a stock Mosquitto. Mosquitto 2.0.11 (Debian 12's) releases 20 more messages for each
// PUBACK, so its in-flight window does not hold; the board must still never panic or reboot, and
// every message must be echoed or counted in the status's `dropped` (docs/reliability.md).
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { after, before, test } from "node:test";
import { IN, topic } from "../../firmware/src/contract.ts";
import { OTA_IN } from "../../firmware/src/otacontract.ts";
import { mosquittoPubLines, watchBoard } from "../helpers/board-watch.ts";
import { type Broker, startMosquitto } from "../helpers/broker.ts";
import { mcuBin } from "../helpers/cli.ts";
import { flashedBoard } from "../helpers/firmware.ts";
import { waitFor, waitUntil } from "../helpers/wait.ts";

let broker: Broker;
before(async () => {
  broker = await startMosquitto();
});
after(() => broker.stop());

/** A flashed board whose panics and boots from now on are counted. */
async function countedBoard(id: string, extra: object = {}) {
  const flashed = await flashedBoard(id, broker, { extra });
  const counts = { panics: 0, boots: 0 };
  flashed.board.on("panic", () => counts.panics++);
  flashed.board.on("boot", () => counts.boots++);
  return { ...flashed, counts };
}

test("1,000 QoS 1 messages back to back from mosquitto_pub -l: no panic, no reboot, each echoed or counted as dropped", async () => {
  const { board, out, counts } = await countedBoard("flood1");
  const w = await watchBoard(broker, "flood1");
  try {
    const sent = Array.from({ length: 1000 }, (_, i) => `m${i + 1}`);
    await mosquittoPubLines(broker, topic("nodemcu", "flood1", IN), sent);
    const { echoed, dropped } = await w.accountFor(sent, 120000);
    assert.deepEqual(counts, { panics: 0, boots: 0 }, out());
    assert.ok(echoed + dropped >= sent.length, `echoed ${echoed} plus dropped ${dropped}, of ${sent.length}`);
    const extra = [...w.echoed()].filter((e) => !sent.includes(e));
    assert.deepEqual(extra, [], "only what was sent is echoed");
  } finally {
    await w.end();
    board.powerOff();
  }
});

test("3,000 junk messages on ota/in: no panic, no reboot, and the board still echoes", async () => {
  const { board, out, counts } = await countedBoard("flood2", { ota: {} });
  const w = await watchBoard(broker, "flood2");
  try {
    const junk = Array.from(
      { length: 3000 },
      (_, i) => ["b", "   b   ", "b 1 - app.lua abc 1 2", `c ${i}`, "m", "x".repeat(i % 900), "d %9 1%9"][i % 7]!,
    );
    await mosquittoPubLines(broker, topic("nodemcu", "flood2", OTA_IN), junk);
    // A message that comes while the junk still holds the heap is counted, not echoed: ask until one is.
    let asked = 0;
    const echoed = await waitFor(async () => {
      asked++;
      await w.client.publish(topic("nodemcu", "flood2", IN), `after the junk ${asked}`, { qos: 1 });
      return waitFor(() => [...w.echoed()].some((e) => e.startsWith("after the junk")), 2000);
    }, 120000);
    assert.ok(echoed, `no echo after ${asked} messages`);
    assert.deepEqual(counts, { panics: 0, boots: 0 }, out());
  } finally {
    await w.end();
    board.powerOff();
  }
});

test("mcu emulate exits on SIGINT and on SIGTERM while a flood keeps its board busy", async () => {
  const { board } = await flashedBoard("flood3", broker);
  board.powerOff();
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    const child: ChildProcess = spawn(process.execPath, [mcuBin(), "emulate", "--flash", board.flash.dir], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let console = "";
    child.stdout!.on("data", (d: Buffer) => (console += d.toString("latin1")));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      await waitUntil("the emulated board online", () => console.includes("mqtt: connected"), 20000);
      await mosquittoPubLines(
        broker,
        topic("nodemcu", "flood3", IN),
        Array.from({ length: 3000 }, (_, i) => `f${i}`),
      );
      child.kill(signal);
      let bound: NodeJS.Timeout | undefined;
      const code = await Promise.race([
        exited,
        new Promise<"still running">((r) => (bound = setTimeout(() => r("still running"), 10000))),
      ]);
      clearTimeout(bound);
      assert.equal(code, 0, `${signal}: ${code}`);
    } finally {
      child.kill("SIGKILL");
    }
  }
});
