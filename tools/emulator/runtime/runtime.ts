// The NodeMCU C modules, re-created in Lua inside each emulated board's state: the Lua halves are
// the files in lua/ (one per module, plus the prelude, the REPL and the globals), the host halves
// the handler tables in modules/ (one file per module). A Lua half reaches its host half through
// the synchronous `__sys` channel as sys("<module>.<call>", ...); events (timer expiry, serial
// input) come back through `__E.*` entry points the board calls.
// The user's globals end up as on the device: no io, os or debug, and math without trig or log.
import { readFileSync } from "node:fs";
import type { LuaValue } from "../../lua/vm.ts";

/** The runtime's Lua files in the order a board loads them: the prelude first, globals.lua last. */
// biome-ignore format: one list, in load order
const FILES = ["runtime", "node", "tmr", "rtcmem", "file", "uart", "wifi", "mqtt", "bit", "gpio", "encoder", "crypto", "sjson", "net", "adc", "pwm", "pwm2", "dht", "ow", "i2c", "repl", "globals"];

/** The runtime's own files, in this folder; each module's is in its folder under ../nodemcu/. */
const OWN = new Set(["runtime", "repl", "globals"]);

// dist/mcu.js carries the files as text (tools/bundle.mjs defines MCU_LUA as
// { "nodemcu/tmr/tmr.lua": source, … }, by path under tools/emulator); run from source, they are
// read from there.
declare const MCU_LUA: Record<string, string> | undefined;
const embedded: Record<string, string> | undefined = typeof MCU_LUA === "undefined" ? undefined : MCU_LUA;

function luaFile(name: string): string {
  const path = OWN.has(name) ? `runtime/${name}.lua` : `nodemcu/${name}/${name}.lua`;
  const source = embedded ? embedded[path] : readFileSync(new URL(`../${path}`, import.meta.url), "utf8");
  if (source === undefined) throw new Error(`emulator: ${path} is not in this build`);
  return source;
}

export interface LuaChunk {
  /** Chunk name as Lua shows it in messages and tracebacks. */
  name: string;
  source: string;
}

/** The Lua runtime each board runs, in order, before the firmware. */
export const RUNTIME: readonly LuaChunk[] = FILES.map((f) => ({ name: `=emulator/${f}.lua`, source: luaFile(f) }));

/** The arguments of one sys() call: the bytes of each value's tostring, as Lua sent them. */
export class Args {
  constructor(private readonly values: Buffer[]) {}

  get length(): number {
    return this.values.length;
  }

  bytes(i: number): Buffer {
    return this.values[i]!;
  }

  /** One character per byte (latin1), as board file names and topics are handled. */
  text(i: number): string {
    return this.values[i]!.toString("latin1");
  }

  number(i: number): number {
    return Number(this.text(i));
  }

  /** The values from `i` on. */
  from(i: number): Buffer[] {
    return this.values.slice(i);
  }
}

/**
 * A module's host half: the calls its Lua half makes as sys("<module>.<call>", ...), by call name.
 * Each answers one value or several; undefined (`void expr`) is Lua's nil.
 */
export type HostModule = Record<string, (args: Args) => LuaValue | LuaValue[]>;

/** Host halves by module name ("runtime" serves the prelude). */
export type HostModules = Record<string, HostModule>;

/** Serves one sys("<module>.<call>", ...) from the host halves. */
export function dispatch(modules: HostModules, call: string, args: Buffer[]): LuaValue | LuaValue[] {
  const dot = call.indexOf(".");
  const module = dot > 0 && Object.hasOwn(modules, call.slice(0, dot)) ? modules[call.slice(0, dot)]! : undefined;
  const name = call.slice(dot + 1);
  if (!module || !Object.hasOwn(module, name)) throw new Error(`emulator: Lua asked for an unknown service "${call}"`);
  return module[name]!(new Args(args));
}

/** Queues Lua code (a call into `__E`) to run after what the board already queued; an error escaping it panics the board. */
export type LuaCall = (code: string) => void;
