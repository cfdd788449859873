// Bridge to the reference Lua 5.1.5 (lua-wasm-bindings: the C sources compiled to WebAssembly).
// The package binds only a few C API calls, so data crosses the boundary in three ways:
//  - JS -> Lua: chunks written as raw bytes into WASM memory and loaded with luaL_loadbuffer
//    (binary-safe); values travel inside chunks as escaped string literals (luaLiteral).
//  - Lua -> JS results: lua_tolstring's pointer and length, read straight from the WASM heap.
//  - Lua -> JS synchronous calls: Lua's own `print` is the only C function that reaches JS while
//    Lua runs, so `__sys(name, ...)` prints a marked line; the JS handler answers by running a
//    chunk that stores the reply, which `__sys` returns. NodeMCU's synchronous APIs (file, heap,
//    clock) are served this way.
import { createRequire } from "node:module";

import { luaLiteral } from "./literal.ts";

export { luaLiteral };

const require = createRequire(import.meta.url);

/** A value that can be handed back to Lua from a synchronous call. */
export type LuaValue = string | number | boolean | null | undefined | Buffer;

export interface StateHooks {
  /** A line Lua printed with the raw `print` (already stripped of its newline). */
  onPrint(line: string): void;
  /** A `__sys(name, ...)` call from Lua; arguments arrive as raw bytes. */
  onSys?(name: string, args: Buffer[]): LuaValue | LuaValue[];
}

export type ExecResult = { ok: true; values: Buffer[] } | { ok: false; status: number; error: string };

interface Glue {
  cwrap(name: string, ret: string | null, args: string[]): (...a: unknown[]) => unknown;
  _malloc(n: number): number;
  HEAPU8: Uint8Array;
  HEAPU32: Uint32Array;
}

type Fn<A extends unknown[], R> = (...a: A) => R;

const SYS_MARK = "\u0001";
const SYS_SEP = "\u0002";
/** Status codes of lua_pcall / luaL_loadbuffer. */
export const LUA_ERRRUN = 2;
export const LUA_ERRSYNTAX = 3;
export const LUA_ERRMEM = 4;

// Lua side of the synchronous channel. Arguments are percent-encoded so that NUL and bytes that
// are not UTF-8 survive `print` (which stops at NUL and is decoded as UTF-8 by the WASM glue).
const PRELUDE = `
local rawprint, gsub, format, byte, concat, select, tostring = print, string.gsub, string.format, string.byte, table.concat, select, tostring
local function esc(c) return format("%%%02X", byte(c)) end
local parts = {}
function __sys(name, ...)
  local n = select("#", ...)
  parts[1] = "${SYS_MARK}" .. name
  for i = 1, n do
    local v = select(i, ...)
    parts[i + 1] = (gsub(tostring(v), "[%z\\1-\\31%%\\127-\\255]", esc))
  end
  local line = concat(parts, "${SYS_SEP}", 1, n + 1)
  for i = n + 2, #parts do parts[i] = nil end
  __sysr = nil
  rawprint(line)
  local r = __sysr
  __sysr = nil
  if r == nil then return nil end
  return unpack(r, 1, r.n)
end
`;

/** A Lua expression for a JS value (nil, booleans, numbers, strings). */
export function luaValue(v: LuaValue): string {
  if (v === null || v === undefined) return "nil";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number") {
    if (Number.isNaN(v)) return "(0/0)";
    if (!Number.isFinite(v)) return v > 0 ? "math.huge" : "-math.huge";
    return String(v);
  }
  return luaLiteral(v);
}

function decodeArg(s: string): Buffer {
  return Buffer.from(
    s.replace(/%([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
    "latin1",
  );
}

/** One WebAssembly instance of Lua 5.1.5; it can host many independent Lua states. */
export class LuaVm {
  private static instance: LuaVm | undefined;
  private readonly glue: Glue;
  private readonly api: {
    newstate: Fn<[], number>;
    openlibs: Fn<[number], void>;
    loadbuffer: Fn<[number, number, number, string], number>;
    pcall: Fn<[number, number, number, number], number>;
    tolstring: Fn<[number, number, number], number>;
    gettop: Fn<[number], number>;
    settop: Fn<[number, number], void>;
    close: Fn<[number], void>;
  };
  private readonly lenPtr: number;
  private scratch = 0;
  private scratchSize = 0;
  private readonly states = new Map<number, LuaState>();
  /** The state whose code is running now: `print` carries no state handle. */
  current: LuaState | undefined;

  /** The process-wide instance, so a fleet of boards shares one WASM module. */
  static shared(): LuaVm {
    LuaVm.instance ??= new LuaVm();
    return LuaVm.instance;
  }

  constructor() {
    const factory = require("lua-wasm-bindings/dist/glue/glue-lua-5.1.5.js") as (o: object) => Glue;
    // The Emscripten glue installs process-wide uncaughtException/unhandledRejection handlers
    // that abort the runtime and dump its source; the host program keeps its own error handling.
    const before = { ex: process.listeners("uncaughtException"), rej: process.listeners("unhandledRejection") };
    this.glue = factory({
      print: (line: string) => this.route(line),
      printErr: (line: string) => process.stderr.write(`lua: ${line}\n`),
    });
    for (const l of process.listeners("uncaughtException"))
      if (!before.ex.includes(l)) process.off("uncaughtException", l);
    for (const l of process.listeners("unhandledRejection"))
      if (!before.rej.includes(l)) process.off("unhandledRejection", l);
    const g = this.glue;
    const n = "number";
    this.api = {
      newstate: g.cwrap("luaL_newstate", n, []) as Fn<[], number>,
      openlibs: g.cwrap("luaL_openlibs", null, [n]) as Fn<[number], void>,
      loadbuffer: g.cwrap("luaL_loadbuffer", n, [n, n, n, "string"]) as Fn<[number, number, number, string], number>,
      pcall: g.cwrap("lua_pcall", n, [n, n, n, n]) as Fn<[number, number, number, number], number>,
      tolstring: g.cwrap("lua_tolstring", n, [n, n, n]) as Fn<[number, number, number], number>,
      gettop: g.cwrap("lua_gettop", n, [n]) as Fn<[number], number>,
      settop: g.cwrap("lua_settop", null, [n, n]) as Fn<[number, number], void>,
      close: g.cwrap("lua_close", null, [n]) as Fn<[number], void>,
    };
    this.lenPtr = g._malloc(4);
  }

  /** A fresh Lua state with the standard libraries open and the `__sys` channel installed. */
  newState(hooks: StateHooks): LuaState {
    const L = this.api.newstate();
    if (!L) throw new Error("Lua: cannot create state: not enough memory");
    this.api.openlibs(L);
    const state = new LuaState(this, L, hooks);
    this.states.set(L, state);
    const r = state.exec(PRELUDE, "=prelude");
    if (!r.ok) throw new Error(`Lua prelude failed: ${r.error}`);
    return state;
  }

  private route(line: string): void {
    const state = this.current;
    if (!state) {
      process.stdout.write(line + "\n");
      return;
    }
    if (line.startsWith(SYS_MARK)) state.handleSys(line);
    else state.hooks.onPrint(line);
  }

  // The binding exports malloc but not free, so one scratch buffer is reused and only grows.
  private bytesIn(bytes: Buffer): number {
    if (bytes.length + 1 > this.scratchSize) {
      this.scratchSize = Math.max(bytes.length + 1, this.scratchSize * 2, 4096);
      this.scratch = this.glue._malloc(this.scratchSize);
      if (!this.scratch) throw new Error("Lua VM: out of WebAssembly memory");
    }
    this.glue.HEAPU8.set(bytes, this.scratch);
    return this.scratch;
  }

  /** @internal Loads and runs a chunk on state L; returns up to nresults values as bytes. */
  run(state: LuaState, L: number, code: Buffer, chunkName: string, nresults: number): ExecResult {
    const a = this.api;
    const top = a.gettop(L);
    const outer = this.current;
    this.current = state;
    try {
      let status = a.loadbuffer(L, this.bytesIn(code), code.length, chunkName);
      if (status === 0) status = a.pcall(L, 0, nresults, 0);
      if (status !== 0) {
        return { ok: false, status, error: this.read(L, -1)?.toString("latin1") ?? "(error object is not a string)" };
      }
      const values: Buffer[] = [];
      const got = a.gettop(L) - top;
      for (let i = 1; i <= got; i++) values.push(this.read(L, top + i) ?? Buffer.alloc(0));
      return { ok: true, values };
    } finally {
      a.settop(L, top);
      this.current = outer;
    }
  }

  private read(L: number, index: number): Buffer | undefined {
    const p = this.api.tolstring(L, index, this.lenPtr);
    if (!p) return undefined;
    const len = this.glue.HEAPU32[this.lenPtr >> 2]!;
    return Buffer.from(this.glue.HEAPU8.subarray(p, p + len));
  }

  /** @internal */
  release(L: number): void {
    this.states.delete(L);
    this.api.close(L);
  }
}

/** One Lua universe: its own globals and heap, like one board's Lua VM. */
export class LuaState {
  private closed = false;

  constructor(
    private readonly vm: LuaVm,
    private readonly L: number,
    readonly hooks: StateHooks,
  ) {}

  /** Runs a chunk (source or bytecode) and returns up to `nresults` results as bytes. */
  exec(code: Buffer | string, chunkName = "=stdin", nresults = 0): ExecResult {
    if (this.closed) throw new Error("Lua state is closed");
    const bytes = typeof code === "string" ? Buffer.from(code, "utf8") : code;
    return this.vm.run(this, this.L, bytes, chunkName, nresults);
  }

  /** Runs a chunk and returns its first result as text; throws with Lua's message on error. */
  eval(code: string, chunkName = "=eval"): string {
    const r = this.exec(code, chunkName, 1);
    if (!r.ok) throw new Error(r.error);
    return r.values[0]?.toString("latin1") ?? "";
  }

  /** Heap in use by this state, in bytes (Lua's own count, garbage included). */
  memoryBytes(): number {
    return Math.round(Number(this.eval('return collectgarbage("count")')) * 1024);
  }

  /** @internal Serves one `__sys` line: runs the hook and stores its reply for Lua to return. */
  handleSys(line: string): void {
    const parts = line.slice(1).split(SYS_SEP);
    const name = parts[0]!;
    const handler = this.hooks.onSys;
    if (!handler) throw new Error(`Lua called __sys("${name}") but this state serves no calls`);
    const reply = handler(name, parts.slice(1).map(decodeArg));
    const values = Array.isArray(reply) ? reply : [reply];
    const r = this.exec(`__sysr = { n = ${values.length}, ${values.map(luaValue).join(", ")} }`, "=sys");
    if (!r.ok) throw new Error(`cannot return from __sys("${name}"): ${r.error}`);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.vm.release(this.L);
  }
}
