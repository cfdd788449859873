// The board's CPU on a timeline. Lua runs in no time here, but flash work does not: a job (one
// callback, one REPL line) that writes flash ends that much later, and for that long the CPU runs
// no code from flash, the UART interrupt handler included (./flash-timing.ts). Times are
// performance.now() milliseconds. A job may start in the recent past: serial bytes are handled at
// the moment they reached the board, even when this process got to them a little late, so the
// model gives the same answer on a loaded machine as on an idle one.

export class CpuClock {
  /** Where the running job has got to, or undefined between jobs. */
  private at: number | undefined;
  /** When the last job ended: the CPU is free from then on. */
  private freeFrom = 0;
  /** Flash operations, [from, to): the UART interrupt could not run. Older ones are dropped. */
  private flash: [number, number][] = [];

  /** Starts a job that became due at `due`; it runs once the CPU is free. */
  begin(due: number = performance.now()): void {
    this.at = Math.max(due, this.freeFrom);
  }

  end(): void {
    if (this.at !== undefined) this.freeFrom = this.at;
    this.at = undefined;
  }

  /** The time on the board: inside a job, how far it has got; else now, or later if the CPU is still busy. */
  now(): number {
    return this.at ?? Math.max(performance.now(), this.freeFrom);
  }

  /** When the CPU is free of the jobs run so far. */
  get free(): number {
    return this.freeFrom;
  }

  /** The running job (or, outside one, the board) keeps the flash busy for `ms`. */
  stall(ms: number): void {
    if (ms <= 0) return;
    const from = this.now();
    const last = this.flash[this.flash.length - 1];
    if (last && last[1] >= from) last[1] = from + ms;
    else this.flash.push([from, from + ms]);
    if (this.at !== undefined) this.at += ms;
    else this.freeFrom = from + ms;
  }

  /** When flash work going on at `t` ends, or undefined if there is none at `t`. */
  flashBusyUntil(t: number): number | undefined {
    while (this.flash.length > 0 && this.flash[0]![1] <= t - 60_000) this.flash.shift();
    for (const [from, to] of this.flash) if (from <= t && t < to) return to;
    return undefined;
  }

  /** Forgets everything: a reboot stops flash work and starts the CPU afresh. */
  reset(): void {
    this.at = undefined;
    this.freeFrom = 0;
    this.flash = [];
  }
}
