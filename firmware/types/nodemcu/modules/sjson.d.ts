// sjson: JSON on the board (there is no JSON object).
/** @noSelf */
declare namespace sjson {
  /** JSON text of a table; an empty table encodes as []. */
  function encode(value: object, opts?: { depth?: number; null?: string }): string;
  /** A Lua value from JSON text; raises on invalid input. */
  function decode(text: string, opts?: { depth?: number; null?: unknown; metatable?: object }): any;
  /** A streaming encoder reading n bytes at a time. */
  function encoder(value: object, opts?: { depth?: number; null?: string }): sjson.Encoder;
  /** A streaming decoder fed with write(). */
  function decoder(opts?: { depth?: number; null?: unknown; metatable?: object }): sjson.Decoder;
  /** The value JSON null decodes to. */
  const NULL: unknown;

  /** A streaming encoder; its methods are called with `:`. */
  interface Encoder {
    /** Up to n bytes (default 1024) of JSON; nil when done. */
    read(n?: number): string | undefined;
  }
  /** A streaming decoder; its methods are called with `:`. */
  interface Decoder {
    /** Feeds more JSON text; the value once it is complete, else nil. */
    write(text: string): unknown;
    /** The decoded value; raises if the text was incomplete. */
    result(): unknown;
  }
}
