// Which serial port is the board, and why a port will not open: the USB-serial bridges NodeMCU
// boards carry, the process holding a busy port, the group a user must join.
import { existsSync, readdirSync, readFileSync, readlinkSync, realpathSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { SerialPort } from "serialport";
import { SerialError } from "./errors.ts";

/** USB-serial bridges found on ESP8266 boards, by USB vendor:product id. */
const BRIDGES: Record<string, string> = {
  "1a86:7523": "CH340",
  "1a86:55d4": "CH9102",
  "10c4:ea60": "CP210x",
  "0403:6001": "FTDI FT232R",
  "0403:6015": "FTDI FT231X",
};

interface PortInfo {
  path: string;
  vendorId?: string;
  productId?: string;
  manufacturer?: string;
}

function bridgeOf(p: PortInfo): string | undefined {
  return BRIDGES[`${p.vendorId ?? ""}:${p.productId ?? ""}`.toLowerCase()];
}

function describe(p: PortInfo): string {
  const id = p.vendorId ? ` (${p.vendorId}:${p.productId ?? "?"}${p.manufacturer ? ` ${p.manufacturer}` : ""})` : "";
  return `  ${p.path}${id}`;
}

/** USB ids read from sysfs, for when SerialPort.list() cannot run (it needs udevadm). */
function sysfsPorts(): PortInfo[] {
  const ports: PortInfo[] = [];
  let names: string[] = [];
  try {
    names = readdirSync("/sys/class/tty").filter((n) => /^tty(USB|ACM)\d+$/.test(n));
  } catch {
    return ports;
  }
  for (const name of names) {
    const info: PortInfo = { path: `/dev/${name}` };
    // The USB device is an ancestor of the tty's device folder; it holds idVendor/idProduct.
    for (let d = realpathSync(`/sys/class/tty/${name}/device`); d.length > 1; d = dirname(d)) {
      if (existsSync(join(d, "idVendor"))) {
        info.vendorId = readFileSync(join(d, "idVendor"), "utf8").trim();
        info.productId = readFileSync(join(d, "idProduct"), "utf8").trim();
        break;
      }
    }
    ports.push(info);
  }
  return ports;
}

async function listPorts(): Promise<PortInfo[]> {
  try {
    return await SerialPort.list();
  } catch {
    return sysfsPorts();
  }
}

/** The one USB-serial bridge present; otherwise an error that lists what there is. */
export async function findPort(list: () => Promise<PortInfo[]> = listPorts): Promise<string> {
  const ports = await list();
  const boards = ports.filter(bridgeOf);
  if (boards.length === 1) return boards[0]!.path;
  if (boards.length > 1) {
    throw new SerialError(
      "AMBIGUOUS",
      `several USB-serial bridges found; pick the board with --port:\n${boards.map((p) => `${describe(p)} ${bridgeOf(p)}`).join("\n")}`,
    );
  }
  const rest = ports.length === 0 ? "  (no serial ports at all)" : ports.map(describe).join("\n");
  throw new SerialError(
    "NOT_FOUND",
    `no USB-serial bridge (CH340, CP210x, FTDI) found: plug the board in with a data cable, install its driver, or give --port.\nserial ports present:\n${rest}`,
  );
}

/**
 * The emulator's own handle on its pty, when `path` is the link of `mcu emulate --serial`: that
 * link leads to /proc/PID/fd/N (tools/emulator/front/pty.ts). The handle takes no lock, so it is
 * never what makes the port busy.
 */
function emulatorHandle(path: string): string | undefined {
  try {
    const target = readlinkSync(path);
    return /^\/proc\/\d+\/fd\/\d+$/.test(target) ? target : undefined;
  } catch {
    return undefined;
  }
}

/** Processes that have `device` open, as "pid (command)", leaving out the handle `skip` (/proc/PID/fd/N). */
function holders(device: string, skip?: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const fds = readdirSync(`/proc/${pid}/fd`).map((fd) => `/proc/${pid}/fd/${fd}`);
      if (fds.some((fd) => fd !== skip && readlinkSync(fd) === device)) {
        found.push(`${pid} (${readFileSync(`/proc/${pid}/comm`, "utf8").trim()})`);
      }
    } catch {
      // processes come and go, and others' fds may be unreadable
    }
  }
  return found;
}

function groupName(gid: number): string {
  const line = readFileSync("/etc/group", "utf8")
    .split("\n")
    .find((l) => l.split(":")[2] === String(gid));
  return line?.split(":")[0] ?? `gid ${gid}`;
}

/** Turns a failed open into what to do about it. */
export function openError(path: string, err: Error): SerialError {
  const msg = err.message;
  if (/ENOENT|No such file/i.test(msg))
    return new SerialError(
      "NOT_FOUND",
      `${path} does not exist: is the board plugged in and the path right? Leave out --port to search for the board`,
    );
  if (/EACCES|Permission denied/i.test(msg)) {
    let group = "dialout";
    try {
      group = groupName(statSync(path).gid);
    } catch {
      // keep the usual group
    }
    return new SerialError(
      "NO_PERMISSION",
      `no permission to open ${path}: add yourself to its group "${group}" (sudo usermod -aG ${group} $USER), then log in again`,
    );
  }
  if (/lock|busy|EBUSY|temporarily unavailable/i.test(msg)) {
    let who: string[] = [];
    try {
      who = holders(realpathSync(path), emulatorHandle(path)).filter((h) => !h.startsWith(`${process.pid} `));
    } catch {
      // no /proc: say it without names
    }
    const by = who.length > 0 ? `it is held by ${who.join(", ")}` : "another program holds it";
    return new SerialError(
      "BUSY",
      `${path} is busy: ${by}; close that program (a serial monitor, screen, another upload) and try again`,
    );
  }
  return new SerialError("OPEN_FAILED", `cannot open ${path}: ${msg}`);
}
