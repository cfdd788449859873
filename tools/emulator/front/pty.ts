// Puts the board's serial console on a real pseudo-terminal, with a symlink like /dev/ttyUSB0,
// so any serial program (screen, our uploader, the serialport library) opens it as a port.
//
// The symlink leads to /proc/PID/fd/N, this emulator's own handle on the pty slave, which opens
// as the pty itself. So the link leads somewhere exactly while its emulator runs: a second
// emulator can tell a link in use from one left by an emulator that was killed, and "port is
// busy" can tell the emulator's handle from a program holding the port (tools/serial/ports.ts).

import { execFileSync } from "node:child_process";
import { closeSync, constants, existsSync, lstatSync, openSync, readlinkSync, symlinkSync, unlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { ReadStream } from "node:tty";
import { CliError, EXIT } from "../../../host/kit/index.ts";

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

function readLink(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}

/** Why the link cannot be made at `path`, as a user error. */
function linkError(path: string, err: NodeJS.ErrnoException): CliError {
  const why: Record<string, string> = {
    ENOENT: `the folder ${dirname(path)} does not exist`,
    ENOTDIR: `${dirname(path)} is not a folder`,
    EACCES: `no permission to create it`,
    EEXIST: `another emulator has just linked it`,
  };
  return new CliError(
    `--serial ${path}: ${why[err.code ?? ""] ?? err.message}; choose another path, e.g. /tmp/ttyNODEMCU`,
    EXIT.usage,
  );
}

/** A link that still leads somewhere: a running emulator's, or one that is not ours at all. */
function inUse(path: string, target: string): CliError {
  const owner = /^\/proc\/(\d+)\/fd\/\d+$/.exec(target)?.[1];
  const why = owner
    ? `is in use: the emulator running as process ${owner} serves it; stop that one`
    : `is a link to ${target}, not one left by a stopped emulator; remove it`;
  return new CliError(`--serial ${path} ${why}, or choose another path`, EXIT.usage);
}

/** Makes way for our link: `path` must be free, or a link left by an emulator that is gone (it leads nowhere). */
function freeLink(path: string): void {
  let isLink: boolean;
  try {
    isLink = lstatSync(path).isSymbolicLink();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return; // free, or its folder is missing: symlink says which
    throw linkError(path, err as NodeJS.ErrnoException);
  }
  if (!isLink)
    throw new CliError(
      `--serial ${path} exists and is not a link; choose a path where mcu emulate can put its link, e.g. /tmp/ttyNODEMCU`,
      EXIT.usage,
    );
  if (existsSync(path)) throw inUse(path, readLink(path) ?? "");
  unlinkSync(path);
}

/** Opens a pty pair and links `linkPath` to its slave side. */
export function openSerialPty(linkPath: string): SerialPty {
  freeLink(linkPath);
  // node-pty's native openpty, from @lydell/node-pty's prebuilt binary for this platform (no
  // compiler at install); its requireBinary names the platform when there is no binary for it.
  const { requireBinary } = require("@lydell/node-pty/requireBinary.js") as { requireBinary(file: string): NativePty };
  const { master, slave, pty } = requireBinary("pty.node").open(80, 24);
  // The slave is in cooked mode; we keep a handle that is never read, so the master does
  // not fail with EIO while no program has the port open, and the serial program is the only reader.
  closeSync(slave);
  const keeper = openSync(pty, constants.O_RDWR | constants.O_NOCTTY);
  // Raw, no echo: otherwise the line discipline would echo the board's own output back into it.
  execFileSync("stty", ["-F", pty, "raw", "-echo"]);
  const reader = new ReadStream(master);
  reader.on("error", () => {}); // EIO while nobody holds the slave: nothing to read
  const target = `/proc/${process.pid}/fd/${keeper}`;
  const close = () => {
    reader.destroy();
    closeSync(keeper);
    // The link may be another emulator's by now, if ours was removed by hand: leave that one.
    if (readLink(linkPath) === target) unlinkSync(linkPath);
  };
  try {
    symlinkSync(target, linkPath);
  } catch (err) {
    close();
    throw linkError(linkPath, err as NodeJS.ErrnoException);
  }
  return {
    device: pty,
    onData: (fn) => reader.on("data", (d: Buffer) => fn(d)),
    // The master is non-blocking: a plain fs.write would drop bytes on EAGAIN, so write through
    // the stream, which queues them in order.
    write: (bytes) => void reader.write(bytes),
    close,
  };
}
