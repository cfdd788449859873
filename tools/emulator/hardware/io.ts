// `mcu emulate --io PATH`: the board's hardware on a Unix socket, for a host program or a person
// with `socat - UNIX-CONNECT:PATH`. One line in, one answer line out ("ok …" or "error …");
// "event …" lines come whenever an output changes. The commands are HELP below
// (docs/emulator.md, "Peripherals and the --io channel").
import { existsSync, lstatSync, unlinkSync } from "node:fs";
import { connect, createServer, type Socket } from "node:net";
import { dirname } from "node:path";
import type { DhtSensor } from "../nodemcu/dht/dht.ts";
import type { Peripherals } from "./peripherals.ts";

export const HELP = [
  "set gpio PIN 0|1|free          drive a pin (free: let it go)",
  "get gpio PIN                   -> ok LEVEL MODE (input|output|int|opendrain)",
  "set adc VALUE                  what adc.read(0) reads, 0..1024",
  "set vdd33 MV                   what adc.readvdd33() reads",
  "get pwm PIN                    -> ok CLOCK DUTY, or ok off",
  "get pwm2 PIN                   -> ok HZ DUTY RESOLUTION running|stopped, or ok off",
  "set dht PIN dht11|dht22 TEMP HUMIDITY [timeout|checksum]",
  "set dht PIN absent             take the sensor away",
  "set ds18b20 PIN TEMP [SERIAL]  -> ok ROM (hex)",
  "set bme280 TEMP [HUMIDITY [PRESSURE_HPA]]",
  "events: event gpio PIN LEVEL, event pwm PIN CLOCK DUTY",
];

const MODES = ["input", "output", "int", "opendrain"];

/**
 * The longest command line the channel takes, in bytes, its "\n" not counted. A longer one (the
 * longest command is under 100 bytes) is answered with an error line and the connection closed:
 * held without a bound, 300 MB without a newline grew the emulator to 340 MB at 100% CPU.
 */
export const MAX_IO_LINE = 4096;

/** A number argument, or a RangeError naming what was expected. */
function num(v: string | undefined, what: string): number {
  const n = v === undefined || v.trim() === "" ? Number.NaN : Number(v);
  if (!Number.isFinite(n))
    throw new RangeError(`${what} must be a number, not ${v === undefined ? "nothing" : JSON.stringify(v)}`);
  return n;
}

function dht(args: string[]): DhtSensor | undefined {
  if (args[1] === "absent") return undefined;
  const model = args[1];
  if (model !== "dht11" && model !== "dht22")
    throw new RangeError(`the DHT model is dht11 or dht22 (or "absent"), not ${JSON.stringify(model)}`);
  const fault = args[4];
  if (fault !== undefined && fault !== "timeout" && fault !== "checksum")
    throw new RangeError(`a DHT fault is timeout or checksum, not ${JSON.stringify(fault)}`);
  return { model, temperature: num(args[2], "TEMP"), humidity: num(args[3], "HUMIDITY"), fault };
}

/** Runs one command line; the answer line ("ok …" or "error …"). */
export function command(io: Peripherals, line: string): string {
  const [verb, what, ...args] = line.trim().split(/\s+/);
  try {
    const key = `${verb} ${what}`;
    if (key === "set gpio") io.setPin(num(args[0], "PIN"), args[1] === "free" ? undefined : num(args[1], "LEVEL"));
    else if (key === "get gpio") {
      const p = io.pin(num(args[0], "PIN"));
      return `ok ${p.level} ${MODES[p.mode]}`;
    } else if (key === "set adc") io.setAdc(num(args[0], "VALUE"));
    else if (key === "set vdd33") io.setVdd33(num(args[0], "MV"));
    else if (key === "get pwm") {
      const p = io.pwm(num(args[0], "PIN"));
      return p ? `ok ${p.clock} ${p.duty}` : "ok off";
    } else if (key === "get pwm2") {
      const p = io.pwm2(num(args[0], "PIN"));
      return p ? `ok ${p.frequency} ${p.duty} ${p.resolution} ${p.running ? "running" : "stopped"}` : "ok off";
    } else if (key === "set dht") io.setDht(num(args[0], "PIN"), dht(args));
    else if (key === "set ds18b20")
      return `ok ${io.setDs18b20(num(args[0], "PIN"), num(args[1], "TEMP"), args[2] === undefined ? undefined : num(args[2], "SERIAL"))}`;
    else if (key === "set bme280") {
      const [t, h, p] = args;
      io.setBme280(
        num(t, "TEMP"),
        h === undefined ? undefined : num(h, "HUMIDITY"),
        p === undefined ? undefined : num(p, "PRESSURE_HPA"),
      );
    } else if (verb === "help") return `ok ${HELP.join("; ")}`;
    else return `error unknown command ${JSON.stringify(line.trim())}; send "help" for the list`;
    return "ok";
  } catch (err) {
    return `error ${(err as Error).message}`;
  }
}

/** Whether something answers on the socket at `path` (another emulator's channel). */
function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(path);
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}

/**
 * Serves `io` on a Unix socket at `path`. A stale socket file there (its emulator gone) is
 * replaced; a live one, or any other file, is refused with a message saying what to do.
 */
export async function serveIo(io: Peripherals, path: string): Promise<{ close: () => void }> {
  if (!existsSync(dirname(path))) throw new Error(`the folder ${dirname(path)} does not exist; choose another path`);
  if (existsSync(path)) {
    if (!lstatSync(path).isSocket()) throw new Error(`${path} exists and is not a socket; choose another path`);
    if (await answers(path))
      throw new Error(`${path} is in use by another running emulator; stop it or choose another path`);
    unlinkSync(path);
  }
  const clients = new Set<Socket>();
  const broadcast = (line: string) => {
    for (const c of clients) c.write(`${line}\n`);
  };
  io.on("gpio", (pin: number, level: number) => broadcast(`event gpio ${pin} ${level}`));
  io.on("pwm", (pin: number, clock: number, duty: number) => broadcast(`event pwm ${pin} ${clock} ${duty}`));
  const server = createServer((socket) => {
    clients.add(socket);
    // The start of a line not yet ended, in bytes (a character may span chunks), at most MAX_IO_LINE.
    let head: Buffer[] = [];
    let held = 0;
    let refused = false;
    socket.on("data", (d: Buffer) => {
      if (refused) return; // the rest of an over-long line, until the client hangs up
      let start = 0;
      for (let nl = d.indexOf(10); nl >= 0 || d.length - start + held > MAX_IO_LINE; nl = d.indexOf(10, start)) {
        if (nl < 0 || nl - start + held > MAX_IO_LINE) {
          refused = true;
          head = [];
          clients.delete(socket);
          socket.end(`error line over ${MAX_IO_LINE} bytes; closing the connection\n`);
          return;
        }
        head.push(d.subarray(start, nl));
        const line = Buffer.concat(head).toString("utf8");
        head = [];
        held = 0;
        start = nl + 1;
        if (line.trim() !== "") socket.write(`${command(io, line)}\n`);
      }
      if (start < d.length) {
        head.push(d.subarray(start));
        held += d.length - start;
      }
    });
    socket.on("close", () => clients.delete(socket));
    socket.on("error", () => clients.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (err: Error) => reject(new Error(`${err.message}; choose another path`)));
    server.listen(path, () => resolve());
  });
  return {
    close: () => {
      for (const c of clients) c.destroy();
      server.close();
    },
  };
}
