// `mcu send`: publish to a device's in topic (or any topic), like the seed's --send.
import { readFileSync } from "node:fs";
import { IN, OUT, topic } from "../../firmware/src/contract.ts";
import { CliError, EXIT, number, usageError } from "../kit/index.ts";
import type { Message, MqttClient } from "../mqtt/index.ts";
import { topicNameError } from "../mqtt/topics.ts";
import { COMMON_USAGE, connect, type HostContext, hostContext, parseVerb, requireDevice, within } from "./options.ts";
import { readable } from "./output.ts";

export const usage = `usage: mcu send [--device ID | --topic T] [--retain] [--whole] [--file F] [--wait] [--timeout S] [MESSAGE...]

Publishes MESSAGE (the words joined by spaces) to the device's in topic, or to --topic T.
With no MESSAGE: --file F sends a file's bytes; piped stdin sends one message per line over one
connection (--whole: all of stdin as one message); a terminal is asked "Type a message:".
Piped lines are bytes split on "\\n" only, as mosquitto_pub -l reads them ("\\r" stays in the message).
QoS 1 by default; exits once every message is acknowledged. --wait also waits for each echo on
the device's out topic and prints it with the round-trip time.
--timeout S (default 10) bounds every wait on the broker: for SUBACK (--wait), for room to send
the next message (at most 100 wait for their acknowledgement; stdin is read no faster), and
after the last message for every acknowledgement and echo together. Past it: exit 27.

${COMMON_USAGE}

examples:
  mcu send --device kitchen hello board
  printf 'one\\ntwo\\n' | mcu send --device kitchen --wait
  mcu send --topic /buteco/topico --file photo.jpg`;

const own = {
  topic: { type: "string" },
  retain: { type: "boolean" },
  whole: { type: "boolean" },
  file: { type: "string" },
  wait: { type: "boolean" },
  timeout: { type: "string" },
} as const;

async function* messages(positionals: string[], v: { file?: string; whole?: boolean }): AsyncGenerator<Buffer> {
  if (positionals.length > 0) return yield Buffer.from(positionals.join(" "));
  if (v.file) {
    try {
      return yield readFileSync(v.file);
    } catch (err) {
      throw new CliError(`--file ${v.file}: cannot read it (${(err as NodeJS.ErrnoException).code})`, EXIT.usage);
    }
  }
  if (process.stdin.isTTY) {
    // node:readline only for a terminal: a one-shot `send hello` starts faster without it.
    const { createInterface } = await import("node:readline");
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    const line = await new Promise<string>((resolve) => rl.question("Type a message: ", resolve));
    rl.close();
    return yield Buffer.from(line);
  }
  if (v.whole) {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return yield Buffer.concat(chunks);
  }
  yield* lines(process.stdin);
}

/**
 * Lines as mosquitto_pub -l reads them: bytes split on "\n" only, nothing decoded, "\r" kept.
 * Pulled one at a time, so a reader that waits also stops stdin being read.
 */
async function* lines(input: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let head: Buffer[] = []; // the start of a line that spans chunks
  for await (const chunk of input) {
    let start = 0;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
      head.push(chunk.subarray(start, nl));
      yield Buffer.concat(head);
      head = [];
      start = nl + 1;
    }
    if (start < chunk.length) head.push(chunk.subarray(start));
  }
  if (head.length > 0) yield Buffer.concat(head);
}

/** Waits for echoes: each sent payload is matched to the first echo with the same bytes. */
class EchoWaiter {
  private readonly waiting = new Map<string, number[]>();
  pending = 0;
  private done: (() => void) | undefined;

  constructor(
    client: MqttClient,
    private readonly id: string,
  ) {
    client.on("message", (m: Message) => this.onEcho(m));
  }

  sent(payload: Buffer): void {
    const key = payload.toString("hex");
    this.waiting.set(key, [...(this.waiting.get(key) ?? []), performance.now()]);
    this.pending++;
  }

  private onEcho(m: Message): void {
    const starts = this.waiting.get(m.payload.toString("hex"));
    const start = starts?.shift();
    if (start === undefined) return;
    const ms = (performance.now() - start).toFixed(1);
    process.stdout.write(`echo from ${this.id} in ${ms} ms: ${readable(m.payload) ?? `<${m.payload.length} bytes>`}\n`);
    if (--this.pending === 0) this.done?.();
  }

  all(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => (this.done = resolve));
  }
}

/**
 * Publishes not yet acknowledged, at most WINDOW: input is read no faster than the broker takes
 * messages, and the client's queue never overflows. Holds the first failure.
 */
class Unacknowledged {
  static readonly WINDOW = 100;
  private readonly acks = new Set<Promise<void>>();
  private failure: unknown;

  get size(): number {
    return this.acks.size;
  }

  add(ack: Promise<void>): void {
    this.acks.add(ack);
    ack.then(
      () => this.acks.delete(ack),
      (err: unknown) => {
        this.failure ??= err;
        this.acks.delete(ack);
      },
    );
  }

  /** Resolves when another publish fits in the window (the oldest is acknowledged). */
  async room(): Promise<void> {
    this.check();
    if (this.acks.size >= Unacknowledged.WINDOW) await this.acks.values().next().value;
  }

  async all(): Promise<void> {
    await Promise.all(this.acks);
    this.check();
  }

  private check(): void {
    if (this.failure !== undefined) throw this.failure;
  }
}

export interface SendOptions {
  topic: string;
  /** Published in order, each once the window has room (see Unacknowledged). */
  messages: AsyncIterable<Buffer> | Iterable<Buffer>;
  retain: boolean;
  /** Waits for each message's echo on this device's out topic, and prints it. */
  echoesFrom?: string;
  /** Bounds every wait on the broker; past it the send fails with exit 27. */
  timeoutS: number;
  /** The board's limit on its in topic: a larger message is sent with a warning. */
  boardLimit?: HostContext["boardLimit"];
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseVerb(argv, own, usage);
  const ctx = hostContext(values, "send");
  if (values.topic && values.device) usageError("give --device or --topic, not both");
  if (values.wait && values.topic)
    usageError("--wait needs a device (its echo comes on the device's out topic), not --topic");
  const timeoutS = number("timeout", values.timeout, { positive: true, unit: "seconds" }) ?? 10;
  const topicErr = values.topic === undefined ? undefined : topicNameError(values.topic);
  if (topicErr) usageError(`--topic: ${topicErr}`);
  const target = values.topic ?? topic(ctx.prefix, requireDevice(ctx), IN);
  return send(ctx, {
    topic: target,
    messages: messages(positionals, values),
    retain: values.retain === true,
    echoesFrom: values.wait ? ctx.device : undefined,
    timeoutS,
    boardLimit: values.topic === undefined ? ctx.boardLimit : undefined,
  });
}

/** Publishes `o.messages` to `o.topic` through `ctx`'s broker, QoS ctx.qos; exit 0 once all are acknowledged (and echoed). */
export async function send(ctx: HostContext, o: SendOptions): Promise<number> {
  const { timeoutS, boardLimit: limit } = o;
  const client = await connect(ctx);
  try {
    const echoes = o.echoesFrom === undefined ? undefined : new EchoWaiter(client, o.echoesFrom);
    if (o.echoesFrom !== undefined)
      await within(
        client.subscribe(topic(ctx.prefix, o.echoesFrom, OUT), 1),
        timeoutS,
        () => `no SUBACK from ${ctx.address}`,
      );
    const acks = new Unacknowledged();
    const unacked = () => `${acks.size} message(s) not acknowledged by ${ctx.address}`;
    let count = 0;
    for await (const payload of o.messages) {
      if (limit && payload.length > limit.bytes) {
        process.stderr.write(
          `mcu send: warning: message ${count + 1} is ${payload.length} bytes; ${ctx.device} takes at most ${limit.bytes} on its in topic ` +
            `(maxMessageLength ${limit.maxMessageLength} in the config file), so the board will drop it and count an overflow\n`,
        );
      } else if (limit && payload.length > limit.echoBytes) {
        process.stderr.write(
          `mcu send: warning: message ${count + 1} is ${payload.length} bytes; ${ctx.device} takes it in but can echo at most ${limit.echoBytes} ` +
            `(NodeMCU builds each PUBLISH in 1460 bytes), so it will count it as dropped\n`,
        );
      }
      await within(acks.room(), timeoutS, unacked);
      echoes?.sent(payload);
      acks.add(client.publish(o.topic, payload, { qos: ctx.qos, retain: o.retain }));
      count++;
    }
    // After the last message, --timeout bounds the wait for every ack and echo together.
    const missing = () => (acks.size > 0 ? unacked() : `${echoes!.pending} echo(es) from ${o.echoesFrom} missing`);
    await within(Promise.all([acks.all(), echoes?.all()]), timeoutS, missing);
    ctx.log(`${count} message(s) published to ${o.topic}`);
    return EXIT.ok;
  } finally {
    // Nothing is left to wait for: done, failed, or out of time.
    await client.end({ timeoutMs: 0 });
  }
}
