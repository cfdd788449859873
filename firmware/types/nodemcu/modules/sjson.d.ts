// sjson: JSON on the board (there is no JSON object).
/** @noSelf */
declare namespace sjson {
  /** JSON text of a table; an empty table encodes as []. */
  function encode(value: object, opts?: { depth?: number; null?: string }): string;
  /** A Lua value from JSON text; raises on invalid input. */
  function decode(text: string, opts?: { depth?: number; null?: unknown; metatable?: object }): any;
  /** A streaming encoder reading n bytes at a time. */
  function encoder(value: object, opts?: { depth?: number; null?: string }): { read(n?: number): string | undefined };
  /** A streaming decoder fed with write(). */
  function decoder(opts?: { depth?: number; null?: unknown; metatable?: object }): { write(text: string): unknown; result(): unknown };
  /** The value JSON null decodes to. */
  const NULL: unknown;
}
