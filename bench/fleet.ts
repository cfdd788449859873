// Row 6: emulated boards each echoing one message a second against one Mosquitto: the largest
// fleet with no loss over a measured window, and host memory per board.
import { defaultId, IN, OUT, topic } from "../firmware/src/contract.ts";
import { type Message, MqttClient } from "../host/mqtt/index.ts";
import { createFleet, fleetChipId } from "../tools/emulator/front/fleet.ts";

export interface FleetRun {
  boards: number;
  sent: number;
  received: number;
  online: number;
  kibPerBoard: number;
  /** Seconds from the first boot until every board's online status had come (or the wait ended). */
  bootS: number;
}

/** Boots n boards from flashDir (built with no id, so each takes its chip id), then `seconds` of 1 msg/s each. */
export async function fleetRun(n: number, flashDir: string, port: number, seconds: number): Promise<FleetRun> {
  const ids = Array.from({ length: n }, (_, i) => defaultId(fleetChipId(i).toString(16).padStart(6, "0")));
  const driver = new MqttClient({
    host: "127.0.0.1",
    port,
    clientId: `bench-fleet-${process.pid}-${n}`,
    maxInflight: 500,
    maxQueued: n * 4 + 100,
  });
  await driver.connect();
  const online = new Set<string>();
  let received = 0;
  driver.on("message", (m: Message) => {
    const [, id, leaf] = m.topic.split("/");
    if (leaf === OUT) received++;
    else if (m.payload.includes('"online"')) online.add(id!);
  });
  // Statuses at QoS 0: at QoS 1 a stock Mosquitto queues at most 1,000 messages for a client
  // (max_queued_messages) and drops the rest, so thousands of boards coming online at once would
  // look like boards that never did (as mcu devices found).
  await driver.subscribe([
    { topic: "nodemcu/+/out", qos: 1 },
    { topic: "nodemcu/+/status", qos: 0 },
  ]);
  global.gc?.();
  const before = process.memoryUsage().rss;
  const boards = createFleet(n, { flashDir });
  try {
    for (const b of boards) b.boot();
    const end = Date.now() + 60000 + n * 50;
    const t0 = Date.now();
    while (online.size < n && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    const bootS = (Date.now() - t0) / 1000;
    const kibPerBoard = (process.memoryUsage().rss - before) / 1024 / n;
    let sent = 0;
    // Each board gets one message a second, spread evenly over the second.
    for (let s = 0; s < seconds; s++) {
      const tick = Date.now();
      for (let i = 0; i < n; i++) {
        void driver.publish(topic("nodemcu", ids[i]!, IN), `tick ${s}`, { qos: 1 }).catch(() => {});
        sent++;
        if (i % 50 === 49)
          await new Promise((r) => setTimeout(r, Math.max(0, tick + ((i + 1) * 1000) / n - Date.now())));
      }
      await new Promise((r) => setTimeout(r, Math.max(0, tick + 1000 - Date.now())));
    }
    const grace = Date.now() + 10000;
    while (received < sent && Date.now() < grace) await new Promise((r) => setTimeout(r, 100));
    return { boards: n, sent, received, online: online.size, kibPerBoard, bootS };
  } finally {
    for (const b of boards) b.powerOff();
    await driver.end({ force: true });
  }
}
