// math as NodeMCU's Lua 5.1 float build has it: no trigonometry, logarithms, exp, fmod or modf.
/** @noSelf */
declare namespace math {
  /** Absolute value. */
  function abs(x: number): number;
  /** Smallest integer not below x. */
  function ceil(x: number): number;
  /** Largest integer not above x. */
  function floor(x: number): number;
  /** The largest argument. */
  function max(x: number, ...rest: number[]): number;
  /** The smallest argument. */
  function min(x: number, ...rest: number[]): number;
  /** x raised to y. */
  function pow(x: number, y: number): number;
  /** A float in [0, 1), an integer in [1, m], or in [m, n]. */
  function random(m?: number, n?: number): number;
  /** Seeds the random generator. */
  function randomseed(x: number): void;
  /** Square root. */
  function sqrt(x: number): number;
  /** π. */
  const pi: number;
  /** Infinity (INT_MAX on integer builds). */
  const huge: number;
}
