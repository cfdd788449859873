// A serial port as text we can wait on: everything the board sends is kept until consumed.
// Bytes are held as latin1 so a string index is a byte offset and binary data survives.
import { read } from "node:fs";
import { promisify } from "node:util";
import { unixRead } from "@serialport/bindings-cpp/dist/unix-read.js";
import { SerialPort, type SerialPortMock } from "serialport";
import { SerialError } from "./errors.ts";

/** Opens a serial port, rejecting with the open error (for openError() to explain). */
export function openPort(path: string, baudRate: number): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate, autoOpen: false });
    port.open((err) => {
      if (err) return reject(err);
      eofIsHangup(port);
      resolve(port);
    });
  });
}

const readAsync = promisify(read);

/**
 * serialport reads again at once when a read returns 0 bytes, but a tty returns 0 only once it
 * has been hung up (its pty master closed, its device gone), and then on every read: the port
 * would never close, and its read loop would spin. Whether the hang-up shows as EIO or as 0 bytes
 * depends on whether the kernel finished it before the read, so a loaded machine saw the second.
 * Here 0 bytes is the disconnect it is.
 */
function eofIsHangup(port: SerialPort): void {
  const binding = port.port;
  if (!binding || process.platform === "win32") return;
  const fsReadAsync: typeof readAsync = async (...args: Parameters<typeof readAsync>) => {
    const got = await readAsync(...args);
    if (got.bytesRead === 0)
      throw Object.assign(new Error("the serial port hung up"), { code: "EIO", disconnect: true });
    return got;
  };
  binding.read = (buffer: Buffer, offset: number, length: number) =>
    unixRead({ binding: binding as never, buffer, offset, length, fsReadAsync: fsReadAsync as never });
}

/** Pulses EN low through RTS with GPIO0 high (DTR off): a plain reset into the firmware, as NodeMCU dev boards wire it. */
export async function pulseReset(port: SerialPort | SerialPortMock): Promise<void> {
  const set = (flags: { dtr: boolean; rts: boolean }) =>
    new Promise<void>((resolve, reject) => port.set(flags, (err) => (err ? reject(err) : resolve())));
  await set({ dtr: false, rts: true });
  await new Promise((r) => setTimeout(r, 100));
  await set({ dtr: false, rts: false });
}

export class Link {
  private buf = "";
  private waiters: (() => void)[] = [];
  private closedWith: SerialError | undefined;

  private constructor(readonly port: SerialPort | SerialPortMock) {
    port.on("data", (d: Buffer) => {
      this.buf += d.toString("latin1");
      this.wake();
    });
    port.on("close", () => {
      this.closedWith = new SerialError("CLOSED", "the serial port closed (board unplugged, or the port went away)");
      this.wake();
    });
  }

  static async open(path: string, baudRate: number): Promise<Link> {
    return Link.over(await openPort(path, baudRate));
  }

  /** A link over a port that is already open (serialport's mock binding, in tests). */
  static over(port: SerialPort | SerialPortMock): Link {
    return new Link(port);
  }

  /** True once the port has closed under us: nothing more will arrive or leave. */
  get closed(): boolean {
    return this.closedWith !== undefined;
  }

  write(data: Buffer | string): Promise<void> {
    // A closed stream may never call back: fail at once with why.
    if (this.closedWith) return Promise.reject(this.closedWith);
    const bytes = typeof data === "string" ? Buffer.from(data, "latin1") : data;
    return new Promise((resolve, reject) =>
      this.port.write(bytes, (err) => (err ? reject(this.writeError(err)) : resolve())),
    );
  }

  /** Waits until the received text matches, returns the match and drops everything up to its end. */
  expect(re: RegExp, timeoutMs: number, what: string): Promise<RegExpExecArray> {
    return this.until(timeoutMs, what, () => {
      const m = re.exec(this.buf);
      if (m) this.buf = this.buf.slice(m.index + m[0].length);
      return m ?? undefined;
    });
  }

  /** Waits for exactly n more bytes and returns them. */
  take(n: number, timeoutMs: number, what: string): Promise<Buffer> {
    return this.until(timeoutMs, what, () => {
      if (this.buf.length < n) return undefined;
      const out = Buffer.from(this.buf.slice(0, n), "latin1");
      this.buf = this.buf.slice(n);
      return out;
    });
  }

  /** True when the unconsumed text contains `s`. */
  saw(s: string): boolean {
    return this.buf.includes(s);
  }

  /** The last thing the board said, quoted, for error messages. */
  tail(): string {
    return this.buf.length === 0 ? "nothing" : JSON.stringify(this.buf.slice(-120));
  }

  /** Forgets what arrived so far (stale prompts, app chatter) before a new exchange. */
  clear(): void {
    this.buf = "";
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.port.isOpen ? this.port.close(() => resolve()) : resolve()));
  }

  private async until<T>(timeoutMs: number, what: string, check: () => T | undefined): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const got = check();
      if (got !== undefined) return got;
      if (this.closedWith) throw this.closedWith;
      const left = end - Date.now();
      if (left <= 0)
        throw new SerialError(
          "TIMEOUT",
          `timed out after ${timeoutMs / 1000} s waiting for ${what}; the board last said: ${this.tail()}`,
        );
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** A failed write means the port is going away (EIO on a hang-up, or closed under us). */
  private writeError(err: Error): SerialError {
    return (
      this.closedWith ??
      new SerialError(
        "CLOSED",
        `writing to the serial port failed (${err.message}): board unplugged, or the port went away`,
      )
    );
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}
