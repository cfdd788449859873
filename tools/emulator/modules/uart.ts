// uart's host half (lua/uart.lua): raw writes, echo and uart.on("data") capture on the board's
// console (../console.ts).
import type { Console } from "../console.ts";
import type { HostModule } from "../runtime.ts";

export function uartHost(serial: Console, output: (bytes: Buffer) => void): HostModule {
  return {
    write: (a) => void output(a.bytes(0)),
    echo: (a) => {
      serial.echo = a.text(0) === "true";
    },
    baud: () => {},
    // No arguments: uart.on("data") without a function ends the capture.
    on: (a) => void serial.capture(a.length === 0 ? undefined : { count: a.text(0), runInput: a.number(1) !== 0 }),
  };
}
