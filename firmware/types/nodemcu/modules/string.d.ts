// Lua 5.1's string library (NodeMCU keeps all of it; string.format has no %a).
/** @noSelf */
declare namespace string {
  /** Numeric codes of the characters s[i] to s[j]. */
  function byte(s: string, i?: number, j?: number): LuaMultiReturn<number[]>;
  /** A string made of the given character codes. */
  function char(...codes: number[]): string;
  /** A function's binary chunk (what node.compile stores). */
  function dump(f: Function): string;
  /** Start and end of the first match of pattern in s, and its captures. */
  function find(
    s: string,
    pattern: string,
    init?: number,
    plain?: boolean,
  ): LuaMultiReturn<[number, number, ...string[]] | []>;
  /** Formats values like C's sprintf (%d %s %q %x %f %g …). */
  function format(fmt: string, ...args: unknown[]): string;
  /** Iterates over the matches of a pattern. */
  function gmatch(s: string, pattern: string): LuaIterable<string>;
  /** Replaces matches of a pattern; returns the result and the count. */
  function gsub(
    s: string,
    pattern: string,
    repl: string | LuaTable<string, string> | ((this: void, ...captures: string[]) => string | undefined | false),
    n?: number,
  ): LuaMultiReturn<[string, number]>;
  /** Length in bytes. */
  function len(s: string): number;
  /** Lower-case copy. */
  function lower(s: string): string;
  /** Captures of the first match, or the whole match, or nil. */
  function match(s: string, pattern: string, init?: number): LuaMultiReturn<string[]>;
  /** n copies of s. */
  function rep(s: string, n: number): string;
  /** The string backwards. */
  function reverse(s: string): string;
  /** Bytes i to j (1-based, negative from the end). */
  function sub(s: string, i: number, j?: number): string;
  /** Upper-case copy. */
  function upper(s: string): string;
}
