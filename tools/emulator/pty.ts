// Puts the board's serial console on a real pseudo-terminal, with a symlink like /dev/ttyUSB0,
// so any serial program (screen, our uploader, the serialport library) opens it as a port.
import { closeSync, openSync, constants, symlinkSync, unlinkSync, lstatSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { ReadStream } from "node:tty";

const require = createRequire(import.meta.url);

interface NativePty {
  open(cols: number, rows: number): { master: number; slave: number; pty: string };
}

export interface SerialPty {
  /** The pts device, e.g. /dev/pts/3. */
  device: string;
  /** Bytes for the board's UART (what the serial program writes). */
  onData(fn: (bytes: Buffer) => void): void;
  /** Bytes from the board to the serial program. */
  write(bytes: Buffer): void;
  close(): void;
}

function replaceLink(path: string, target: string): void {
  try {
    if (lstatSync(path).isSymbolicLink()) unlinkSync(path);
    else throw new Error(`${path} exists and is not a symlink; choose another --serial path`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  symlinkSync(target, path);
}

/** Opens a pty pair and links `linkPath` to its slave side. */
export function openSerialPty(linkPath: string): SerialPty {
  const native = (require("node-pty") as { native: NativePty }).native;
  const { master, slave, pty } = native.open(80, 24);
  // node-pty's slave is in cooked mode; we keep a handle that is never read, so the master does
  // not fail with EIO while no program has the port open, and the serial program is the only reader.
  closeSync(slave);
  const keeper = openSync(pty, constants.O_RDWR | constants.O_NOCTTY);
  // Raw, no echo: otherwise the line discipline would echo the board's own output back into it.
  execFileSync("stty", ["-F", pty, "raw", "-echo"]);
  const reader = new ReadStream(master);
  reader.on("error", () => {}); // EIO while nobody holds the slave: nothing to read
  replaceLink(linkPath, pty);
  return {
    device: pty,
    onData: (fn) => reader.on("data", (d: Buffer) => fn(d)),
    // The master is non-blocking: a plain fs.write would drop bytes on EAGAIN, so write through
    // the stream, which queues them in order.
    write: (bytes) => void reader.write(bytes),
    close: () => {
      reader.destroy();
      closeSync(keeper);
      try {
        unlinkSync(linkPath);
      } catch {
        // already gone
      }
    },
  };
}
