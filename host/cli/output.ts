// How received messages are printed: a line of text, or one JSON object per line, binary-safe.
import { once } from "node:events";
import { printable, terminalJson } from "../kit/index.ts";
import type { Message } from "../mqtt/index.ts";

export { printable };

const decoder = new TextDecoder("utf-8", { fatal: true });

/** Every byte printable ASCII: the common case, shown as it is without a decoder or a regex. */
function printableAscii(payload: Buffer): boolean {
  for (let i = 0; i < payload.length; i++) {
    const b = payload[i]!;
    if (b < 0x20 || b > 0x7e) return false;
  }
  return true;
}

/** The payload decoded, when it is valid UTF-8, else undefined. */
function utf8(payload: Buffer): string | undefined {
  try {
    return decoder.decode(payload);
  } catch {
    return undefined;
  }
}

/** For JSON: the payload as text when it is valid UTF-8 with no control characters but tab, else undefined. */
export function asText(payload: Buffer): string | undefined {
  if (printableAscii(payload)) return payload.toString("latin1");
  const text = utf8(payload);
  // eslint-disable-next-line no-control-regex
  return text === undefined || /[\u0000-\u0008\u000a-\u001f\u007f]/.test(text) ? undefined : text;
}

/** For people: the payload as text with control characters escaped, or undefined when it is not UTF-8. */
export function readable(payload: Buffer): string | undefined {
  if (printableAscii(payload)) return payload.toString("latin1");
  const text = utf8(payload);
  return text === undefined ? undefined : printable(text);
}

// Formatting the local time is slow; a stream of messages shares its HH:MM:SS for a second.
let clockSecond = -1;
let clockText = "";
function clock(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== clockSecond) {
    clockSecond = second;
    clockText = new Date(ms).toTimeString().slice(0, 8);
  }
  return clockText + "." + String(ms % 1000).padStart(3, "0");
}

// A stream of messages mostly comes on one topic: escape it once.
let lastTopic = "";
let lastShown = "";
function shownTopic(topic: string): string {
  if (topic !== lastTopic) {
    lastTopic = topic;
    lastShown = printable(topic);
  }
  return lastShown;
}

/** One line per message: local time, topic, payload (hex when not UTF-8). `at` is epoch ms. */
export function textLine(m: Message, at: number): string {
  const shown = readable(m.payload) ?? `<${m.payload.length} bytes hex: ${m.payload.toString("hex")}>`;
  return `${clock(at)} ${shownTopic(m.topic)} ${shown}\n`;
}

/** One JSON object per message (DEL and C1 escaped too, as \\u009b); `at` is epoch ms. */
export function jsonLine(m: Message, at: number): string {
  const text = asText(m.payload);
  return (
    terminalJson({
      time: new Date(at).toISOString(),
      topic: m.topic,
      qos: m.qos,
      retain: m.retain,
      payload: text ?? m.payload.toString("base64"),
      encoding: text === undefined ? "base64" : "utf8",
    }) + "\n"
  );
}

/**
 * Output the stream may hold for a reader that is slower for a moment. A write() returns false as
 * soon as a stream holds more than its highWaterMark (16 KB), which one 64 KB chunk to a reader
 * that keeps up already does: taken as "the reader is behind", that dropped QoS 0 messages from a
 * fast burst that `| grep` was reading as fast as it came.
 */
const HOLD_BYTES = 1 << 20;

/**
 * Collects output and writes it in large chunks: one write per event-loop turn, not per line.
 * When the reader falls behind (the stream holds over HOLD_BYTES it could not pass on) it is
 * `blocked`: it holds what it is given until the stream drains, then calls `onDrain`. Meanwhile the
 * caller should stop feeding it (drop, or stop reading its own input): holding is not a queue.
 */
export class BufferedOut {
  private chunks: string[] = [];
  private size = 0;
  private scheduled = false;
  blocked = false;

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stdout,
    onDrain: () => void = () => {},
  ) {
    stream.on("error", (err: NodeJS.ErrnoException) => {
      // A closed pipe (| head) is the reader saying it has seen enough.
      if (err.code === "EPIPE") process.exit(0);
      throw err;
    });
    stream.on("drain", () => {
      this.blocked = false;
      this.flush();
      if (!this.blocked) onDrain();
    });
  }

  write(line: string): void {
    this.chunks.push(line);
    this.size += line.length;
    if (this.size >= 64 * 1024) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.scheduled = false;
    if (this.blocked || this.chunks.length === 0) return;
    const text = this.chunks.join("");
    this.chunks = [];
    this.size = 0;
    this.stream.write(text);
    // Past the hold a write has returned false, so "drain" will come.
    this.blocked = this.stream.writableLength > HOLD_BYTES;
  }

  /** Writes what it holds and resolves once the stream has taken all of it. */
  async end(): Promise<void> {
    while (this.blocked) await once(this.stream, "drain");
    this.flush();
    await new Promise((resolve) => this.stream.write("", resolve));
  }
}
