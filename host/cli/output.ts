// How received messages are printed: a line of text, or one JSON object per line, binary-safe.
import type { Message } from "../mqtt/index.ts";

const decoder = new TextDecoder("utf-8", { fatal: true });

/** The payload as text when it is valid UTF-8 with no control characters but tab, else undefined. */
export function asText(payload: Buffer): string | undefined {
  // Fast path for the common case, printable ASCII: no decoder, no regex.
  let ascii = true;
  for (let i = 0; i < payload.length; i++) {
    const b = payload[i]!;
    if (b >= 0x80) {
      ascii = false;
      break;
    }
    if ((b < 0x20 && b !== 0x09) || b === 0x7f) return undefined;
  }
  if (ascii) return payload.toString("latin1");
  let text: string;
  try {
    text = decoder.decode(payload);
  } catch {
    return undefined;
  }
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u0008\u000a-\u001f\u007f]/.test(text) ? undefined : text;
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

/** One line per message: local time, topic, payload (hex when not printable text). `at` is epoch ms. */
export function textLine(m: Message, at: number): string {
  const text = asText(m.payload);
  const shown = text ?? `<${m.payload.length} bytes hex: ${m.payload.toString("hex")}>`;
  return `${clock(at)} ${m.topic} ${shown}\n`;
}

/** One JSON object per message; `at` is epoch ms. */
export function jsonLine(m: Message, at: number): string {
  const text = asText(m.payload);
  return (
    JSON.stringify({
      time: new Date(at).toISOString(),
      topic: m.topic,
      qos: m.qos,
      retain: m.retain,
      payload: text ?? m.payload.toString("base64"),
      encoding: text === undefined ? "base64" : "utf8",
    }) + "\n"
  );
}

/** Collects output and writes it in large chunks: one write per event-loop turn, not per line. */
export class BufferedOut {
  private chunks: string[] = [];
  private size = 0;
  private scheduled = false;

  constructor(private readonly stream: NodeJS.WriteStream = process.stdout) {
    stream.on("error", (err: NodeJS.ErrnoException) => {
      // A closed pipe (| head) is the reader saying it has seen enough.
      if (err.code === "EPIPE") process.exit(0);
      throw err;
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

  flush(): Promise<void> {
    this.scheduled = false;
    if (this.chunks.length === 0) return Promise.resolve();
    const text = this.chunks.join("");
    this.chunks = [];
    this.size = 0;
    return new Promise((resolve) => this.stream.write(text, () => resolve()));
  }
}
