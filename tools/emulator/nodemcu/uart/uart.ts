// uart's host half (uart.lua): raw writes, echo, the line format and uart.on("data") capture
// on the board's console (../../machine/console.ts) and receive path (../../machine/uart-rx.ts).
import type { Console } from "../../machine/console.ts";
import { DEFAULT_BAUD, type UartRx } from "../../machine/uart-rx.ts";
import type { HostFactory, HostModule } from "../../runtime/host-half.ts";

/** uart.STOPBITS_1, _2 and _1_5 as bit times. */
const STOP_BITS: Record<number, number> = { 1: 1, 2: 2, 3: 1.5 };

function calls(serial: Console, rx: UartRx, output: (bytes: Buffer) => void): HostModule {
  // UART0 at boot: 115200 8N1 (BIT_RATE_DEFAULT, app/user/user_main.c:335).
  let config = [DEFAULT_BAUD, 8, 0, 1];
  return {
    write: (a) => void output(a.bytes(0)),
    echo: (a) => {
      serial.echo = a.text(0) === "true";
    },
    // baud, databits, parity, stopbits: a frame is a start bit, the data, a parity bit if any, the stop bits.
    setup: (a) => {
      config = [0, 1, 2, 3].map((i) => a.number(i));
      const [baud, data, parity, stop] = config as [number, number, number, number];
      rx.setFormat(baud, 1 + data + (parity === 0 ? 0 : 1) + (STOP_BITS[stop] ?? 1));
    },
    config: () => config,
    // No arguments: uart.on("data") without a function ends the capture.
    on: (a) => void serial.capture(a.length === 0 ? undefined : { count: a.text(0), runInput: a.number(1) !== 0 }),
  };
}

export const uartHost: HostFactory = (board) => ({
  calls: calls(board.console, board.rx, (bytes) => board.output(bytes)),
});
