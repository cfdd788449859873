// `mcu serve`: subscribe and print, like the seed's --serve; --echo answers as a board would.
import { topic, IN, OUT, STATUS } from "../../firmware/src/contract.ts";
import { allDevices } from "../../firmware/src/names.ts";
import { CliError, EXIT } from "../../tools/cli/errors.ts";
import type { Message } from "../mqtt/index.ts";
import { topicFilterError } from "../mqtt/topics.ts";
import { COMMON_USAGE, cliErrorOf, connect, hostContext, interrupted, parseVerb, requireDevice, type HostContext } from "./options.ts";
import { BufferedOut, jsonLine, textLine } from "./output.ts";

export const usage = `usage: mcu serve [--device ID | --all | --topic T ...] [--json] [--count N] [--timeout S] [--echo]

Subscribes to a device's out and status topics (--all: every device's; --topic: any topics,
repeatable) and prints each message with its time and topic. --json prints one JSON object
per line (payload as UTF-8, or base64 with "encoding":"base64"). --count N exits after N
messages; --timeout S stops after S seconds (exit 27 if --count was not reached, or if nothing
arrived). --echo plays the board: every message on the device's in topic is published back on
its out topic, byte for byte.

${COMMON_USAGE}

examples:
  mcu serve --device kitchen
  mcu serve --topic /buteco/topico --json --count 10
  mcu serve --device kitchen --echo`;

const own = {
  all: { type: "boolean" },
  topic: { type: "string", multiple: true },
  json: { type: "boolean" },
  count: { type: "string" },
  timeout: { type: "string" },
  echo: { type: "boolean" },
} as const;

function filters(ctx: HostContext, v: { all?: boolean; topic?: string[]; echo?: boolean }): string[] {
  if (v.topic && v.topic.length > 0) {
    for (const t of v.topic) {
      const err = topicFilterError(t);
      if (err) throw new CliError(`--topic: ${err}`, EXIT.usage);
    }
    return v.topic;
  }
  if (v.all) return [allDevices(ctx.prefix, OUT), allDevices(ctx.prefix, STATUS)];
  const id = requireDevice(ctx);
  return v.echo ? [topic(ctx.prefix, id, IN)] : [topic(ctx.prefix, id, OUT), topic(ctx.prefix, id, STATUS)];
}

function positive(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!(n > 0) || !Number.isFinite(n)) throw new CliError(`--${name} must be a positive number, got "${v}"`, EXIT.usage);
  return n;
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseVerb(argv, own, usage);
  if (positionals.length > 0) throw new CliError(`unexpected argument "${positionals[0]}"\n${usage.split("\n")[0]}`, EXIT.usage);
  const ctx = hostContext(values, "serve");
  const count = positive("count", values.count);
  const timeoutS = positive("timeout", values.timeout);
  const subs = filters(ctx, values);
  const client = await connect(ctx);
  const out = new BufferedOut();
  const format = values.json ? jsonLine : textLine;
  const echoTo = values.echo ? topic(ctx.prefix, requireDevice(ctx), OUT) : undefined;
  let seen = 0;

  const finished = new Promise<number>((resolve, reject) => {
    client.on("message", (m: Message) => {
      out.write(format(m, Date.now()));
      if (echoTo) client.publish(echoTo, m.payload, { qos: ctx.qos }).catch(() => {});
      seen++;
      if (count !== undefined && seen >= count) resolve(EXIT.ok);
    });
    client.on("offline", (err: Error) => reject(cliErrorOf(err)));
    interrupted().then(() => resolve(EXIT.ok));
    if (timeoutS !== undefined) {
      setTimeout(() => {
        if (count !== undefined || seen === 0) {
          process.stderr.write(`mcu serve: timed out after ${timeoutS} s with ${seen}${count ? ` of ${count}` : ""} messages\n`);
          resolve(EXIT.timeout);
        } else resolve(EXIT.ok);
      }, timeoutS * 1000).unref();
    }
  });

  try {
    await client.subscribe(subs.map((t) => ({ topic: t, qos: ctx.qos })));
    process.stderr.write(`mcu serve: subscribed to ${subs.join(", ")}${echoTo ? `, echoing to ${echoTo}` : ""}\n`);
    return await finished;
  } catch (err) {
    throw cliErrorOf(err);
  } finally {
    await out.flush();
    await client.end({ timeoutMs: 2000 });
  }
}
