// tmr's host half (tmr.lua): the clock tmr.now reads, and one host timeout per armed timer,
// whose expiry calls __E.fire(id).
import { BOOT, type HostFactory, type HostModule, type LuaCall } from "../../runtime/host-half.ts";

export class TmrHost {
  private readonly timeouts = new Map<number, NodeJS.Timeout>();
  private bootedAt = 0;
  private softwd: NodeJS.Timeout | undefined;

  /**
   * `clock`: the board's time in ms (inside a callback, how far it has got, flash work included);
   * `watchdog` restarts the board when tmr.softwd runs out.
   */
  constructor(
    private readonly call: LuaCall,
    private readonly clock: () => number,
    private readonly watchdog: () => void,
  ) {}

  readonly calls: HostModule = {
    arm: (a) => void this.arm(a.number(0), a.number(1)),
    disarm: (a) => void this.disarm(a.number(0)),
    /** Microseconds since boot, in 31 bits. */
    now: () => Math.floor((this.clock() - this.bootedAt) * 1000) % 2 ** 31,
    softwd: (a) => void this.setSoftwd(a.number(0)),
  };

  /** The clock starts again at boot. */
  boot(): void {
    this.bootedAt = this.clock();
  }

  /** Every timer stops: what a restart or power cut does. */
  shutdown(): void {
    clearTimeout(this.softwd);
    for (const t of this.timeouts.values()) clearTimeout(t);
    this.timeouts.clear();
  }

  /**
   * tmr.softwd(n): the RTC callback, once a second from boot, counts n down and restarts the
   * board when it passes 0, i.e. on the (n+1)th tick; a negative n disarms it (tmr.c:258-279, 337).
   */
  private setSoftwd(n: number): void {
    clearTimeout(this.softwd);
    if (n < 0) return;
    const sinceBoot = this.clock() - this.bootedAt;
    const nextTick = (Math.floor(sinceBoot / 1000) + 1) * 1000 - sinceBoot;
    this.softwd = setTimeout(this.watchdog, nextTick + Math.floor(n) * 1000);
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

export const tmrHost: HostFactory = (board) =>
  new TmrHost(
    board.call,
    () => board.now(),
    () => board.run(() => board.restart(BOOT.software)),
  );

declare module "../../runtime/host-half.ts" {
  interface HostHalves {
    tmr: TmrHost;
  }
}
