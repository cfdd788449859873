// Lua 5.1's table library.
/** @noSelf */
declare namespace table {
  /** Joins list elements i..j with sep. */
  function concat(list: Readonly<(string | number)[]>, sep?: string, i?: number, j?: number): string;
  /** Appends value, or inserts it at pos shifting the rest up. */
  function insert<T>(list: T[], value: T): void;
  function insert<T>(list: T[], pos: number, value: T): void;
  /** Removes and returns the element at pos (default the last). */
  function remove<T>(list: T[], pos?: number): T | undefined;
  /** Sorts a list in place. */
  function sort<T>(list: T[], comp?: (this: void, a: T, b: T) => boolean): void;
  /** The largest positive numeric key. */
  function maxn(t: object): number;
  /** The list's length (5.1 compatibility). */
  function getn(list: Readonly<unknown[]>): number;
}
