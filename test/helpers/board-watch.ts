// A PC's view of one echo board: its echoes and statuses as they come, and a flood's accounting
// (every message echoed or counted in the status's `dropped`). Shared by the flood test and the
// bench's flood row.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { IN, OUT, STATUS, topic } from "../../firmware/src/contract.ts";
import { type Message, MqttClient } from "../../host/mqtt/index.ts";
import { waitFor, waitUntil } from "./wait.ts";

export interface BoardWatch {
  seen: Message[];
  client: MqttClient;
  /** Distinct payloads echoed so far. */
  echoed(): Set<string>;
  /** The board's status after an overflow it is sent (an overflow publishes the status). */
  status(): Promise<{ dropped: number; overflows: number }>;
  /**
   * Asks for the status until every one of `sent` is echoed or counted in `dropped`, or `ms` pass;
   * returns what was accounted for.
   */
  accountFor(sent: string[], ms: number): Promise<{ echoed: number; dropped: number }>;
  end(): Promise<void>;
}

/** Watches board `id` (prefix nodemcu) on `broker` once it is online. */
export async function watchBoard(broker: { host: string; port: number }, id: string): Promise<BoardWatch> {
  const client = new MqttClient({ host: broker.host, port: broker.port, clientId: `${id}-watch` });
  const seen: Message[] = [];
  client.on("message", (m: Message) => seen.push(m));
  await client.connect();
  await client.subscribe([
    { topic: topic("nodemcu", id, OUT), qos: 1 },
    { topic: topic("nodemcu", id, STATUS), qos: 1 },
  ]);
  await waitUntil(
    "online",
    () => seen.find((m) => m.topic.endsWith("/status") && m.payload.includes('"online"')),
    20000,
  );
  const echoed = () => new Set(seen.filter((m) => m.topic.endsWith("/out")).map((m) => m.payload.toString()));
  const status = async () => {
    const from = seen.length;
    await client.publish(topic("nodemcu", id, IN), Buffer.alloc(1100, "o"), { qos: 1 });
    const s = await waitUntil(
      "the status after an overflow",
      () => seen.slice(from).find((m) => m.topic.endsWith("/status")),
      20000,
    );
    return JSON.parse(s.payload.toString()) as { dropped: number; overflows: number };
  };
  return {
    seen,
    client,
    echoed,
    status,
    async accountFor(sent, ms) {
      const wanted = new Set(sent);
      let last = { echoed: 0, dropped: 0 };
      await waitFor(async () => {
        const { dropped } = await status();
        last = { echoed: [...echoed()].filter((e) => wanted.has(e)).length, dropped };
        return last.echoed + last.dropped >= sent.length;
      }, ms);
      return last;
    },
    end: () => client.end(),
  };
}

/**
 * `lines` published by mosquitto_pub -l at QoS 1 on `t`: one connection, back to back, as fast as
 * the broker acknowledges. In a child of its own, so boards and clients of this process run meanwhile.
 */
export async function mosquittoPubLines(
  broker: { host: string; port: number },
  t: string,
  lines: string[],
): Promise<void> {
  const pub = spawn("mosquitto_pub", ["-h", broker.host, "-p", String(broker.port), "-t", t, "-q", "1", "-l"], {
    stdio: ["pipe", "ignore", "inherit"],
  });
  pub.stdin.end(`${lines.join("\n")}\n`);
  const [code] = (await once(pub, "exit")) as [number | null];
  if (code !== 0) throw new Error(`mosquitto_pub exited with ${code}`);
}
