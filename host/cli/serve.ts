// `mcu serve`: subscribe and print, like the seed's --serve; --echo answers as a board would.
import { IN, OUT, STATUS, topic } from "../../firmware/src/contract.ts";
import { EXIT, interrupted, number, usageError, wholeNumber } from "../kit/index.ts";
import type { Message } from "../mqtt/index.ts";
import { shareGroupError, topicFilterError } from "../mqtt/topics.ts";
import { allDevices } from "../names.ts";
import {
  ANSWER_TIMEOUT_S,
  COMMON_USAGE,
  connect,
  type HostContext,
  hostContext,
  parseVerb,
  requireDevice,
  within,
} from "./options.ts";
import { BufferedOut, jsonLine, printable, textLine } from "./output.ts";

export const usage = `usage: mcu serve [--device ID | --all | --topic T ...] [--share GROUP] [--json] [--count N] [--timeout S] [--echo]

Subscribes to a device's out and status topics (--all: every device's; --topic: any topics,
repeatable) and prints each message with its time and topic. --json prints one JSON object
per line (payload as UTF-8, or base64 with "encoding":"base64"). --count N exits after N
messages; --timeout S stops after S seconds, the wait for SUBACK included (exit 27 if --count was
not reached, or if nothing arrived). Without --timeout, SUBACK must come within 10 s (else exit
27); then serve runs until Ctrl-C, and a dead link is noticed by keepalive within twice
--keepalive (exit 1; never with --keepalive 0). --echo plays the board: every message on the
device's in topic is published back on its out topic, byte for byte.
--share GROUP subscribes through $share/GROUP/ (a shared subscription: Mosquitto 2, EMQX,
HiveMQ…): every serve in the group gets its own share of the messages, each message goes to
one of them, so several machines split the load. Order holds within each serve's share only:
two messages from one device may be printed by two different serves.
Without --json, control characters in topics and payloads are shown escaped (\\x1b, \\r).
When stdout is full (its reader is behind): at QoS 0 messages are dropped and the count is
reported on stderr; at QoS 1 and 2 serve stops reading from the broker until stdout drains.

${COMMON_USAGE}

examples:
  mcu serve --device kitchen
  mcu serve --topic /buteco/topico --json --count 10
  mcu serve --device kitchen --echo
  mcu serve --all --share printers       # run on two machines: each message printed once`;

const own = {
  all: { type: "boolean" },
  topic: { type: "string", multiple: true },
  json: { type: "boolean" },
  count: { type: "string" },
  timeout: { type: "string" },
  echo: { type: "boolean" },
  share: { type: "string" },
} as const;

/** The subscriptions through a shared subscription's group: its name checked before connecting (exit 2). */
function shared(group: string | undefined, subs: string[]): string[] {
  if (group === undefined) return subs;
  const err = shareGroupError(group, subs);
  if (err)
    usageError(
      `--share ${printable(JSON.stringify(group.length > 40 ? `${group.slice(0, 40)}…` : group))}: ${err} (e.g. --share printers)`,
    );
  return subs.map((f) => `$share/${group}/${f}`);
}

function filters(ctx: HostContext, v: { all?: boolean; topic?: string[]; echo?: boolean }): string[] {
  if (v.topic && v.topic.length > 0) {
    for (const t of v.topic) {
      const err = topicFilterError(t);
      if (err) usageError(`--topic: ${err}`);
    }
    return v.topic;
  }
  if (v.all) return [allDevices(ctx.prefix, OUT), allDevices(ctx.prefix, STATUS)];
  const id = requireDevice(ctx);
  return v.echo ? [topic(ctx.prefix, id, IN)] : [topic(ctx.prefix, id, OUT), topic(ctx.prefix, id, STATUS)];
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseVerb(argv, own, usage);
  if (positionals.length > 0) usageError(`unexpected argument "${positionals[0]}"\n${usage.split("\n")[0]}`);
  const ctx = hostContext(values, "serve");
  const count = wholeNumber("count", values.count, { min: 1 });
  const timeoutS = number("timeout", values.timeout, { positive: true, unit: "seconds" });
  const subs = shared(values.share, filters(ctx, values));
  const client = await connect(ctx);
  const drops = new Drops();
  // When stdout's reader falls behind: QoS 0 messages are dropped and counted; at QoS 1/2 the
  // socket is not read until stdout drains, so the broker holds them (TCP backpressure).
  let behind = false;
  const out = new BufferedOut(process.stdout, () => {
    if (!behind) return;
    behind = false;
    ctx.log("stdout drained: printing again");
    if (ctx.qos > 0) client.resumeIncoming();
    else drops.reportSince();
  });
  const format = values.json ? jsonLine : textLine;
  const print = (m: Message) => {
    if (out.blocked && !behind) {
      behind = true;
      ctx.log(
        `stdout is full (its reader is behind): ${ctx.qos > 0 ? "stopped reading from the broker" : "dropping QoS 0 messages"} until it drains`,
      );
      if (ctx.qos > 0) client.pauseIncoming();
    }
    if (behind && ctx.qos === 0) drops.count++;
    else out.write(format(m, Date.now()));
  };
  const echoTo = values.echo ? topic(ctx.prefix, requireDevice(ctx), OUT) : undefined;
  let seen = 0;

  const finished = new Promise<number>((resolve, reject) => {
    client.on("message", (m: Message) => {
      print(m);
      if (echoTo) client.publish(echoTo, m.payload, { qos: ctx.qos }).catch(() => {});
      seen++;
      if (count !== undefined && seen >= count) resolve(EXIT.ok);
    });
    client.on("offline", (err: Error) => reject(err));
    interrupted().then(() => resolve(EXIT.ok));
    if (timeoutS !== undefined) {
      setTimeout(() => {
        if (count !== undefined || seen === 0) {
          process.stderr.write(
            `mcu serve: timed out after ${timeoutS} s with ${seen}${count ? ` of ${count}` : ""} messages\n`,
          );
          resolve(EXIT.timeout);
        } else resolve(EXIT.ok);
      }, timeoutS * 1000).unref();
    }
  });

  try {
    const subscribed = client.subscribe(subs.map((t) => ({ topic: t, qos: ctx.qos }))).then(() => {
      process.stderr.write(`mcu serve: subscribed to ${subs.join(", ")}${echoTo ? `, echoing to ${echoTo}` : ""}\n`);
    });
    // --timeout bounds the whole run, the wait for SUBACK included; without it SUBACK has its own bound.
    const bounded =
      timeoutS === undefined ? within(subscribed, ANSWER_TIMEOUT_S, () => `no SUBACK from ${ctx.address}`) : subscribed;
    return (await Promise.race([bounded, finished])) ?? (await finished);
  } finally {
    await out.end();
    drops.reportTotal();
    await client.end({ timeoutMs: 2000 });
  }
}

/** QoS 0 messages not printed because stdout was full, reported on stderr. */
class Drops {
  count = 0;
  private reported = 0;

  /** When stdout drains: how many were dropped since the last report. */
  reportSince(): void {
    if (this.count === this.reported) return;
    process.stderr.write(
      `mcu serve: dropped ${this.count - this.reported} message(s) while stdout was full (QoS 0; with --qos 1 serve stops reading instead)\n`,
    );
    this.reported = this.count;
  }

  /** At exit: the total, if any. */
  reportTotal(): void {
    if (this.count > 0)
      process.stderr.write(`mcu serve: dropped ${this.count} message(s) in all because stdout was full\n`);
  }
}
