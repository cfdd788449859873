// bit: 32-bit bitwise operations (Lua 5.1 has no bitwise operators). TypeScriptToLua reserves the
// name `bit`, so TypeScript code calls the module `bits`; it compiles to `bit.band(...)` and so on.
/**
 * @noSelf
 * @customName bit
 */
declare namespace bits {
  /** Arithmetic right shift. */
  function arshift(v: number, n: number): number;
  /** Bitwise and. */
  function band(a: number, ...rest: number[]): number;
  /** 1 << n. */
  function bit(n: number): number;
  /** Bitwise not. */
  function bnot(v: number): number;
  /** Bitwise or. */
  function bor(a: number, ...rest: number[]): number;
  /** Bitwise exclusive or. */
  function bxor(a: number, ...rest: number[]): number;
  /** v with the given bits cleared. */
  function clear(v: number, ...bits: number[]): number;
  /** Whether bit n of v is 0. */
  function isclear(v: number, n: number): boolean;
  /** Whether bit n of v is 1. */
  function isset(v: number, n: number): boolean;
  /** Left shift. */
  function lshift(v: number, n: number): number;
  /** Logical right shift. */
  function rshift(v: number, n: number): number;
  /** v with the given bits set. */
  function set(v: number, ...bits: number[]): number;
}
