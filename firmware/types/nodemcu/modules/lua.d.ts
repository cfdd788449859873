// The Lua 5.1 base library as NodeMCU ships it: no io, os or debug on the device.
/** @noSelfInFile */

/** The global table. */
declare const _G: LuaTable<string, unknown>;
/** Always "Lua 5.1" on NodeMCU's 5.1 builds. */
declare const _VERSION: string;

/** Writes its arguments to the serial console, separated by tabs, ending with a newline. */
declare function print(...args: unknown[]): void;
/** Raises an error with a message (level 0 omits the position). */
declare function error(message: unknown, level?: number): never;
/** Raises an error when v is false or nil, else returns v. */
declare function assert<T>(v: T, message?: string): Exclude<T, undefined | null | false>;
/** Calls f in protected mode: true and its results, or false and the error. */
declare function pcall<A extends unknown[], R>(
  f: (this: void, ...args: A) => R,
  ...args: A
): LuaMultiReturn<[true, R] | [false, string]>;
/** Like pcall with a message handler. */
declare function xpcall<R>(
  f: (this: void) => R,
  handler: (this: void, err: unknown) => unknown,
): LuaMultiReturn<[true, R] | [false, unknown]>;
/** The type name of a value. */
declare function type(
  v: unknown,
): "nil" | "number" | "string" | "boolean" | "table" | "function" | "thread" | "userdata";
/** A value as a string, using __tostring when present. */
declare function tostring(v: unknown): string;
/** A string or number as a number in the given base, or nil. */
declare function tonumber(v: unknown, base?: number): number | undefined;
/** Iterates over every key and value of a table. */
declare function pairs<K extends AnyNotNil, V>(t: LuaTable<K, V>): LuaIterable<LuaMultiReturn<[K, NonNullable<V>]>>;
declare function pairs<T extends object>(t: T): LuaIterable<LuaMultiReturn<[keyof T, NonNullable<T[keyof T]>]>>;
/** Iterates over t[1], t[2], … up to the first nil. */
declare function ipairs<T>(t: Readonly<T[]>): LuaIterable<LuaMultiReturn<[number, NonNullable<T>]>>;
/** The next key and value of a table after k. */
declare function next(t: object, k?: unknown): LuaMultiReturn<[unknown, unknown] | []>;
/** Arguments from index n on, or their count with "#". */
declare function select<T>(n: number, ...args: T[]): LuaMultiReturn<T[]>;
declare function select(n: "#", ...args: unknown[]): number;
/** The elements of a list as multiple values. */
declare function unpack<T>(list: Readonly<T[]>, i?: number, j?: number): LuaMultiReturn<T[]>;
/** Sets a table's metatable and returns the table. */
declare function setmetatable<T extends object>(t: T, mt: LuaMetatable<T> | undefined): T;
/** A value's metatable, or its __metatable field. */
declare function getmetatable(v: unknown): LuaMetatable<any> | undefined;
/** Reads t[k] without metamethods. */
declare function rawget<T extends object, K extends keyof T>(t: T, k: K): T[K];
/** Sets t[k] = v without metamethods. */
declare function rawset<T extends object, K extends keyof T>(t: T, k: K, v: T[K]): T;
/** Compares without metamethods. */
declare function rawequal(a: unknown, b: unknown): boolean;
/** Controls the garbage collector; "count" gives KB in use. */
declare function collectgarbage(opt?: "collect" | "stop" | "restart" | "step" | "setpause" | "setstepmul"): number;
declare function collectgarbage(opt: "count"): number;
/** KB of memory in use (5.1 compatibility). */
declare function gcinfo(): number;
/** Compiles a string of Lua into a function, or returns nil and the error. */
declare function loadstring(
  code: string,
  chunkname?: string,
): LuaMultiReturn<[(this: void, ...args: any[]) => any] | [undefined, string]>;
/** Compiles chunks returned by a reader function. */
declare function load(
  reader: (this: void) => string | undefined,
  chunkname?: string,
): LuaMultiReturn<[(this: void, ...args: any[]) => any] | [undefined, string]>;
/** Compiles a file from flash into a function, or returns nil and the error. */
declare function loadfile(name: string): LuaMultiReturn<[(this: void, ...args: any[]) => any] | [undefined, string]>;
/** Runs a file from flash (.lua or .lc) and returns its results. */
declare function dofile(name: string): any;
/** Lua modules from NodeMCU's lua_modules with typings, by the name require takes. */
// biome-ignore lint/suspicious/noEmptyInterface: each Lua module's file adds itself here (declaration merging)
interface NodeMCULuaModules {}
/** Loads a module from flash ("?.lc;?.lua") once and returns it; typed for the modules in NodeMCULuaModules. */
declare function require<K extends keyof NodeMCULuaModules>(name: K): NodeMCULuaModules[K];
declare function require(name: string): any;
/** A function's or the stack level's environment table. */
declare function getfenv(f?: Function | number): object;
/** Sets a function's or the stack level's environment table. */
declare function setfenv<T extends Function>(f: T | number, env: object): T;

/**
 * The module loader's state, Lua's `package`. `package` is a reserved word in TypeScript modules,
 * so it is declared under this name and compiled to `package`.
 * @customName package
 */
declare namespace packageLib {
  /** Where require looks: "?.lc;?.lua" on NodeMCU. */
  let path: string;
  /** Modules already loaded, by name. */
  const loaded: LuaTable<string, unknown>;
  /** Loader functions by module name, tried before the path. */
  const preload: LuaTable<string, (this: void, name: string) => unknown>;
}

/** A metatable for values of type T. */
interface LuaMetatable<T> {
  /** Looks up missing keys. */
  __index?: object | ((this: void, t: T, k: any) => any);
  /** Handles assignment to missing keys. */
  __newindex?: object | ((this: void, t: T, k: any, v: any) => void);
  /** Makes the value callable. */
  __call?: (this: void, t: T, ...args: any[]) => any;
  /** Gives the value's string form. */
  __tostring?: (this: void, t: T) => string;
  /** Weak keys ("k"), values ("v") or both. */
  __mode?: "k" | "v" | "kv";
  /** Runs before a userdata is collected. */
  __gc?: (this: void, t: T) => void;
  /** Hides the real metatable from getmetatable. */
  __metatable?: unknown;
}
