// ws2812: WS2812-like LED strips driven from UART1 on GPIO2 (and UART0 in dual mode).
/** @noSelf */
declare namespace ws2812 {
  /** Sets up UART1 (and UART0 in dual mode, which takes the console); call once before write(). */
  function init(mode?: number): void;
  /** Sends raw colour bytes (or a pixbuf) to strip 1 and, in dual mode, strip 2; nil sends nothing. */
  function write(data1: string | object | undefined, data2?: string | object): void;
  /** One strip on GPIO2 (default). */
  const MODE_SINGLE: number;
  /** Two strips, the second on TXD0. */
  const MODE_DUAL: number;
}
