// What a NodeMCU module's host half is to the board, and what the board offers it: each module's
// folder under ../nodemcu/ builds its host half from one BoardContext, and the board runs every
// half the same way (calls, boot, shutdown) over the list in runtime.ts.
import type { LuaValue } from "../../lua/vm.ts";
import type { NumberType } from "../../nodemcu/builds.ts";
import type { Console } from "../machine/console.ts";
import type { Flash } from "../machine/flash.ts";
import type { FlashProfile } from "../machine/flash-timing.ts";
import type { UartRx } from "../machine/uart-rx.ts";

/** What a Board is built from; its host halves read it too (wifi its access point, node its random seed). */
export interface BoardOptions {
  flashDir: string;
  chipId?: number;
  heap?: number;
  /** The build's C modules (default DEFAULT_MODULES); one the emulator does not model is a table that raises on use. */
  modules?: readonly string[];
  /** An SSL build (CLIENT_SSL_ENABLE, app/include/user_config.h:129): without it, secure MQTT raises "ssl not available". */
  ssl?: boolean;
  /** "integer": a LUA_NUMBER_INTEGRAL build, modelled by its effects only (docs/emulator.md). */
  numberType?: NumberType;
  /** The simulated access point (default ssid "emulated", psk "nodemcu-emulator"). */
  ssid?: string;
  psk?: string;
  /** The board's address on it. */
  ip?: string;
  /** UART0's speed at boot (default 115200): serial input reaches the board no faster. */
  baud?: number;
  /** How long flash writes and erases take (default "typical"; ../machine/flash-timing.ts). */
  flashTiming?: FlashProfile;
  /** The filesystem starts written over, so SPIFFS erases as it writes. */
  flashAged?: boolean;
  /** From a Lua panic to the watchdog's reset (default DEFAULT_WATCHDOG_MS). */
  watchdogMs?: number;
  /**
   * node.random's generator: by default the host's CSPRNG, as a board draws on its hardware one
   * (os_random); a seed makes the board's draws repeat, for tests that need them fixed.
   */
  randomSeed?: number;
}

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

/** node.bootreason()'s rawcode and reason (docs/modules/node.md). */
export type BootReason = readonly [number, number];

export const BOOT = {
  powerOn: [1, 0],
  software: [2, 4],
  /** A Lua panic spins (app/lua/lauxlib.c:946-951) until the software watchdog resets the chip: raw 4, reason 3. */
  softWdt: [4, 3],
  /** Wake from deep sleep through the reset pin (docs/modules/node.md bootreason table). */
  deepSleep: [2, 5],
} as const satisfies Record<string, BootReason>;

/** What the board offers a module's host half. */
export interface BoardContext {
  readonly options: BoardOptions;
  readonly chipId: number;
  readonly flash: Flash;
  readonly console: Console;
  readonly rx: UartRx;
  /** From a Lua panic to the watchdog's reset. */
  readonly watchdogMs: number;
  /** Queues a call into Lua after what the board already queued. */
  call: LuaCall;
  /** Queues a job on the board's one thread, after what is already queued. */
  run(job: () => void): void;
  /** Runs Lua now, inside a job; false once the board has panicked (stop there, as the C code never returns). */
  callNow(code: string): boolean;
  /** Bytes out of the UART. */
  output(bytes: Buffer): void;
  /** The board's clock in ms: inside a job, how far it has got, flash work included. */
  now(): number;
  /** Microseconds since boot, on that clock. */
  micros(): number;
  /** The heap as node.heap() reports it, and the C modules' mallocs in it: take() is false when `bytes` do not fit. */
  heap: { free(): number; take(bytes: number): boolean; give(bytes: number): void };
  bootReason(): BootReason;
  /** Nothing more runs; the chip resets after `afterMs`. */
  restart(reason: BootReason, afterMs?: number): void;
  /** Another module's host half (they are all built before any is used). */
  host<K extends keyof HostHalves>(name: K): HostHalves[K];
}

/** A module's host half, as the board runs it. */
export interface HostHalf {
  /** What its Lua half asks as sys("<module>.<call>", ...). */
  readonly calls: HostModule;
  /** Power-on or restart: the chip starts afresh, before the runtime loads. */
  boot?(): void;
  /** Power cut or reset: its timers and links end. */
  shutdown?(): void;
}

export type HostFactory = (board: BoardContext) => HostHalf;

/**
 * The host halves by module name, for BoardContext.host: each module's file adds its own entry
 * (`declare module` on this file), so that one half reaches another without importing it.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging
export interface HostHalves {}
