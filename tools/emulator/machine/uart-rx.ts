// The board's serial receive path, as the ESP8266 and NodeMCU run it:
// - bytes arrive at the line rate, 10 bits a byte (start, 8 data, stop);
// - the UART's 128-byte hardware FIFO takes them; when it is full a byte is lost (overflow);
// - the receive interrupt moves them into a 256-byte ring in RAM (RX_BUFF_SIZE,
//   app/include/driver/uart.h:9); a full ring loses its oldest byte (app/driver/uart.c:275-281);
//   it cannot run while the flash is written or erased (./flash-timing.ts), so then only the
//   hardware FIFO takes bytes: about 11 ms at 115200 baud;
// - the input task (input_readline, app/driver/input.c) empties the ring into the REPL or the
//   uart.on("data") callback, but only when the CPU is free: tasks do not preempt each other, and
//   a data callback runs inside that task (input.c:172-190), flash writes and all.
// So a Lua receiver that writes flash while the host keeps sending loses bytes, as a board does.

import type { CpuClock } from "./cpu-clock.ts";

/** The ESP8266 UART's receive FIFO (ESP8266 Technical Reference, UART: 128 bytes). */
export const HW_FIFO = 128;
/** RX_BUFF_SIZE, app/include/driver/uart.h:9. */
export const RING = 256;
/** The boot-time speed of UART0 (BIT_RATE_DEFAULT, app/include/user_config.h:21). */
export const DEFAULT_BAUD = 115200;

/**
 * Hands one byte to the input task at board time `t`; true when that byte queued Lua work (a data
 * callback, a REPL line), after which the task waits for resume().
 */
export type InputTask = (byte: number, t: number) => boolean;

export class UartRx {
  /** Bytes the hardware FIFO dropped because flash work held the interrupt off. */
  overflowed = 0;
  /** Bytes lost from a full ring: the interrupt wrote over them. */
  lost = 0;
  private wire: Buffer[] = [];
  /** When the first byte on the wire reaches the board. */
  private nextAt = 0;
  private fifo: number[] = [];
  private ring: number[] = [];
  /** The input task queued Lua work that has not run yet. */
  private waiting = false;
  private timer: NodeJS.Timeout | undefined;

  /** How long one byte takes on the wire, start and stop bits included. */
  private byteMs: number;

  constructor(
    private readonly clock: CpuClock,
    private readonly task: InputTask,
    baud = DEFAULT_BAUD,
  ) {
    this.byteMs = 10_000 / baud;
  }

  /** uart.setup: `bits` a frame (start, data, parity, stop) at `baud`. */
  setFormat(baud: number, bits: number): void {
    this.byteMs = (bits * 1000) / baud;
  }

  /** Bytes on their way: on the wire, in the FIFO or in the ring. */
  get pending(): number {
    return this.wire.reduce((n, b) => n + b.length, 0) + this.fifo.length + this.ring.length;
  }

  /** Bytes a serial program wrote: they go down the wire behind what is on it. */
  receive(bytes: Buffer): void {
    if (bytes.length === 0) return;
    if (this.wire.length === 0) this.nextAt = Math.max(this.nextAt, performance.now() + this.byteMs);
    this.wire.push(bytes);
    this.pump();
  }

  /** The Lua work the task queued has run: the task goes on. */
  resume(): void {
    this.waiting = false;
    this.pump();
  }

  /** A reboot: the FIFO and ring start empty; the wire keeps what is on it. */
  reset(): void {
    this.fifo = [];
    this.ring = [];
    this.waiting = false;
    this.pump();
  }

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.wire = [];
  }

  private pump(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const now = performance.now();
    while (!this.waiting && this.wire.length > 0 && this.nextAt <= now) {
      const t = this.nextAt;
      this.settle(t);
      if (this.waiting) break;
      this.arrive(this.takeByte(), t);
      this.settle(t);
    }
    if (!this.waiting) this.settle(now);
    this.schedule(now);
  }

  private takeByte(): number {
    const head = this.wire[0]!;
    const b = head[0]!;
    if (head.length === 1) this.wire.shift();
    else this.wire[0] = head.subarray(1);
    this.nextAt += this.byteMs;
    return b;
  }

  /** One byte reaches the UART at `t`. */
  private arrive(b: number, t: number): void {
    if (this.clock.flashBusyUntil(t) !== undefined) {
      if (this.fifo.length < HW_FIFO) this.fifo.push(b);
      else this.overflowed++;
      return;
    }
    this.toRing(b);
  }

  /** A full ring keeps the new byte and loses its oldest unread one (uart.c:275-281 moves the read position on). */
  private toRing(b: number): void {
    if (this.ring.length >= RING) {
      this.ring.shift();
      this.lost++;
    }
    this.ring.push(b);
  }

  /** Up to `t`: the interrupt empties the FIFO once flash work is over; the task empties the ring when the CPU is free. */
  private settle(t: number): void {
    if (this.clock.flashBusyUntil(t) !== undefined) return;
    for (const b of this.fifo) this.toRing(b);
    this.fifo = [];
    if (t < this.clock.free) return;
    while (!this.waiting && this.ring.length > 0) this.waiting = this.task(this.ring.shift()!, t);
  }

  /** Comes back when the next byte arrives, or when flash work or the CPU frees up for held bytes. */
  private schedule(now: number): void {
    if (this.waiting) return;
    let at = this.wire.length > 0 ? this.nextAt : Number.POSITIVE_INFINITY;
    if (this.fifo.length > 0 || this.ring.length > 0)
      at = Math.min(at, Math.max(this.clock.flashBusyUntil(now) ?? now, this.clock.free));
    if (at === Number.POSITIVE_INFINITY) return;
    // Bytes are handled a few at a time: timers are not finer than a millisecond anyway.
    this.timer = setTimeout(() => this.pump(), Math.max(1, at - now));
  }
}
