// uart: the serial ports (only UART 0 receives).
/** @noSelf */
declare namespace uart {
  /** Configures a port; echo 0 stops the console echoing input. Returns the baud set. */
  function setup(id: number, baud: number, databits: number, parity: number, stopbits: number, echo?: number): number;
  /** Receives n bytes (0 < n < 256, 0 = every byte) or up to a delimiter; runInput 0 keeps the bytes from the Lua interpreter. */
  function on(event: "data", count: number | string, fn: (this: void, data: string) => void, runInput?: 0 | 1): void;
  /** Stops a data callback. */
  function on(event: "data"): void;
  /** Sends strings or byte values raw (no newline translation). */
  function write(id: number, ...data: (string | number)[]): void;
  /** baud, databits, parity and stopbits of a port. */
  function getconfig(id: number): LuaMultiReturn<[number, number, number, number]>;
  /** Moves UART 0 to the alternate pins (1) or back (0). */
  function alt(on: 0 | 1): void;
  /** Bytes waiting in a FIFO. */
  function fifodepth(id: number, dir: number): number;
  /** No parity. */
  const PARITY_NONE: 0;
  /** Even parity. */
  const PARITY_EVEN: 1;
  /** Odd parity. */
  const PARITY_ODD: 2;
  /** One stop bit. */
  const STOPBITS_1: 1;
  /** Two stop bits. */
  const STOPBITS_2: 2;
  /** One and a half stop bits. */
  const STOPBITS_1_5: 3;
  /** Receive FIFO. */
  const DIR_RX: 0;
  /** Transmit FIFO. */
  const DIR_TX: 1;
}
