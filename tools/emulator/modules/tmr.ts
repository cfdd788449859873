// tmr's host half (lua/tmr.lua): the clock tmr.now reads, and one host timeout per armed timer,
// whose expiry calls __E.fire(id).
import type { HostModule, LuaCall } from "../runtime.ts";

export class TmrHost {
  private readonly timeouts = new Map<number, NodeJS.Timeout>();
  private bootedAt = 0;

  /** `clock`: the board's time in ms (inside a callback, how far it has got, flash work included). */
  constructor(
    private readonly call: LuaCall,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  readonly calls: HostModule = {
    arm: (a) => void this.arm(a.number(0), a.number(1)),
    disarm: (a) => void this.disarm(a.number(0)),
    /** Microseconds since boot, in 31 bits. */
    now: () => Math.floor((this.clock() - this.bootedAt) * 1000) % 2 ** 31,
  };

  /** The clock starts again at boot. */
  boot(): void {
    this.bootedAt = this.clock();
  }

  /** Every timer stops: what a restart or power cut does. */
  stopAll(): void {
    for (const t of this.timeouts.values()) clearTimeout(t);
    this.timeouts.clear();
  }

  private arm(id: number, ms: number): void {
    clearTimeout(this.timeouts.get(id));
    const t = setTimeout(() => {
      this.timeouts.delete(id);
      this.call(`__E.fire(${id})`);
    }, ms);
    this.timeouts.set(id, t);
  }

  private disarm(id: number): void {
    clearTimeout(this.timeouts.get(id));
    this.timeouts.delete(id);
  }
}
