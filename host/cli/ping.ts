// `mcu ping`: round trips through a device's echo, reported like ping(8).
import { randomBytes } from "node:crypto";
import { IN, OUT, topic } from "../../firmware/src/contract.ts";
import { EXIT, interrupted, number, wholeNumber } from "../kit/index.ts";
import type { Message, MqttClient } from "../mqtt/index.ts";
import { delayedAckHint } from "./delayed-ack.ts";
import { COMMON_USAGE, connect, type HostContext, hostContext, parseVerb, requireDevice, within } from "./options.ts";
import { percentile } from "./percentile.ts";

export const usage = `usage: mcu ping --device ID [--count N] [--interval MS] [--size B] [--timeout S]

Sends N requests (default 5, one every 1000 ms, 32 bytes each) to the device's in topic and
times each echo on its out topic. Echoes are matched by a token in the payload, so late,
reordered and duplicated echoes are counted right. --timeout S (default 2, or the interval if
longer) bounds the wait for SUBACK and, after the last request, for the replies. Exit 0 when any
reply came, 27 when none did.

${COMMON_USAGE}

example:
  mcu ping --device kitchen --count 20 --interval 200 --size 512`;

const own = {
  count: { type: "string" },
  interval: { type: "string" },
  size: { type: "string" },
  timeout: { type: "string" },
} as const;

export interface PingOptions {
  device: string;
  /** Requests to send. */
  count: number;
  /** Between requests. */
  intervalMs: number;
  /** Bytes of each request (at least 24: the token). */
  size: number;
  /** Bounds the wait for SUBACK and, after the last request, for the replies. */
  timeoutS: number;
}

export function summary(id: string, sent: number, rtts: number[], dups: number): string {
  const lost = sent - rtts.length;
  const pct = sent === 0 ? 0 : Math.round((lost / sent) * 1000) / 10;
  const lines = [
    `--- ${id} ping statistics ---`,
    `${sent} sent, ${rtts.length} received, ${lost} lost (${pct}%), ${dups} duplicates`,
  ];
  if (rtts.length > 0) {
    const s = [...rtts].sort((a, b) => a - b);
    const avg = s.reduce((a, b) => a + b, 0) / s.length;
    const f = (x: number) => x.toFixed(3);
    lines.push(
      `rtt min/avg/p50/p99/max = ${f(s[0]!)}/${f(avg)}/${f(percentile(s, 50))}/${f(percentile(s, 99))}/${f(s[s.length - 1]!)} ms`,
    );
  }
  return lines.join("\n") + "\n";
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseVerb(argv, own, usage);
  const ctx = hostContext(values, "ping");
  const device = requireDevice(ctx);
  const count = wholeNumber("count", values.count, { min: 1, max: 1_000_000 }) ?? 5;
  const intervalMs = number("interval", values.interval, { min: 0, max: 3_600_000 }) ?? 1000;
  const size = wholeNumber("size", values.size, { min: 24, max: 65000 }) ?? 32;
  const timeoutS = number("timeout", values.timeout, { min: 0.01, max: 3600 }) ?? Math.max(2, intervalMs / 1000);
  return ping(ctx, { device, count, intervalMs, size, timeoutS });
}

/** Pings `o.device` through `ctx`'s broker, printing each reply and the summary: exit 0 when any reply came, else 27. */
export async function ping(ctx: HostContext, o: PingOptions): Promise<number> {
  const { device: id, count, intervalMs, size } = o;
  const waitMs = o.timeoutS * 1000;
  const session = randomBytes(4).toString("hex");
  const head = `ping ${session} `;
  const started = new Map<number, number>();
  const replied = new Set<number>();
  const rtts: number[] = [];
  let dups = 0;

  const client = await connect(ctx);
  // Requests go out on a second connection. On one, a broker with Nagle on (Mosquitto's default)
  // holds the echo behind the PUBACK it just sent for the request, until our kernel's delayed ACK
  // (about 40 ms) acknowledges that PUBACK (docs/cli.md).
  let sender: MqttClient | undefined;
  try {
    sender = await connect(ctx, { clientId: `${ctx.client.clientId}-tx` });
    client.on("message", (m: Message) => {
      const text = m.payload.toString("latin1");
      if (!text.startsWith(head)) return;
      const seq = Number(text.slice(head.length, text.indexOf(" ", head.length)));
      const t0 = started.get(seq);
      if (t0 === undefined) return;
      const ms = performance.now() - t0;
      const dup = replied.has(seq);
      if (dup) dups++;
      else {
        replied.add(seq);
        rtts.push(ms);
      }
      process.stdout.write(
        `${m.payload.length} bytes from ${id}: seq=${seq} time=${ms.toFixed(3)} ms${dup ? " (DUP!)" : ""}\n`,
      );
    });
    await within(
      client.subscribe(topic(ctx.prefix, id, OUT), ctx.qos),
      waitMs / 1000,
      () => `no SUBACK from ${ctx.address}`,
    );
    const target = topic(ctx.prefix, id, IN);
    let stop = false;
    interrupted().then(() => (stop = true));
    let seq = 0;
    for (; seq < count && !stop; seq++) {
      const payload = Buffer.alloc(size, ".");
      payload.write(`${head}${seq} `);
      started.set(seq, performance.now());
      sender.publish(target, payload, { qos: ctx.qos }).catch(() => {});
      if (seq < count - 1) await new Promise((r) => setTimeout(r, intervalMs));
    }
    const deadline = performance.now() + waitMs;
    while (replied.size < seq && performance.now() < deadline && !stop) await new Promise((r) => setTimeout(r, 10));
    process.stdout.write(summary(id, seq, rtts, dups));
    const hint = delayedAckHint(rtts);
    if (hint) process.stderr.write(`${hint}\n`);
    return rtts.length > 0 ? EXIT.ok : EXIT.timeout;
  } finally {
    await Promise.all([client.end({ timeoutMs: 1000 }), sender?.end({ timeoutMs: 1000 })]);
  }
}
