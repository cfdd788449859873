// Lua 5.1 coroutines.
/** A coroutine. */
declare interface LuaThread {
  /** Brand: only coroutine.create makes one. */
  readonly __luaThread: unique symbol;
}

/** @noSelf */
declare namespace coroutine {
  /** A new coroutine running f. */
  function create(f: (this: void, ...args: any[]) => any): LuaThread;
  /** Starts or continues a coroutine: true and yielded values, or false and the error. */
  function resume(co: LuaThread, ...args: any[]): LuaMultiReturn<[boolean, ...any[]]>;
  /** The running coroutine, or nil in the main one. */
  function running(): LuaThread | undefined;
  /** "running", "suspended", "normal" or "dead". */
  function status(co: LuaThread): "running" | "suspended" | "normal" | "dead";
  /** A function that resumes a new coroutine each call, raising its errors. */
  function wrap<A extends any[], R>(f: (this: void, ...args: A) => R): (this: void, ...args: any[]) => any;
  /** Suspends the running coroutine, handing values to resume. */
  function yield(...args: any[]): LuaMultiReturn<any[]>;
}
