// struct: packs Lua values into binary strings and back, by a format string (see the module's docs).
/** @noSelf */
declare namespace struct {
  /** The values packed by fmt. */
  function pack(fmt: string, ...values: (number | string)[]): string;
  /** The values unpacked by fmt from s (from offset, default 1), then the index after the last byte read. */
  function unpack(fmt: string, s: string, offset?: number): LuaMultiReturn<(number | string)[]>;
  /** The size in bytes of what fmt packs (fmt must not contain "s" or "c0"). */
  function size(fmt: string): number;
}
