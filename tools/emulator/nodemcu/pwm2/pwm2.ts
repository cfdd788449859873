// pwm2's host half (pwm2.lua): the software PWM driver's bookkeeping as app/driver/pwm2.c
// keeps it (release 36cbf9f), at 80 MHz: each pin's resolution, frequency as a fraction, duty
// and CPU ticks per step; the timer tick that divides them all (their GCD); started or not.
// The host sees each pin's frequency and duty.
import type { HostFactory, HostModule } from "../../runtime/host-half.ts";

/** system_get_cpu_freq() 80 MHz, and the timer's divisor at that speed (pwm2.c:18, 32-38). */
const CPU_TICKS = 80_000_000;
const TIMER_DIVISOR = 16;

interface Pin {
  resolution: number;
  divisable: number;
  divisor: number;
  duty: number;
  cpuTicks: number;
  multiplier: number;
}

/** What a pwm2 pin outputs, for the host: frequency in Hz, duty out of resolution. */
export interface Pwm2Output {
  frequency: number;
  duty: number;
  resolution: number;
  running: boolean;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

export class Pwm2Host {
  private pins = new Map<number, Pin>();
  private started = false;
  private timerCpuTicks = 0;

  readonly calls: HostModule = {
    started: () => this.started,
    /** pwm2_setup_pin (pwm2.c:201-216); false when the ticks come to 0, which divides by zero on the board. */
    setup: (a) => this.setup(a.number(0), a.number(1), a.number(2), a.number(3), a.number(4)),
    resolution: (a) => this.pins.get(a.number(0))?.resolution ?? 0,
    duty: (a) => {
      this.pins.get(a.number(0))!.duty = a.number(1);
    },
    // pwm2_release_pin (pwm2.c:218-221) zeroes the resolution only; the common timer data stay.
    release: (a) => {
      const p = this.pins.get(a.number(0));
      if (p) p.resolution = 0;
    },
    start: () => {
      this.started = true;
      return true;
    },
    stop: () => {
      this.started = false;
    },
    timer: () => [this.started, this.timerCpuTicks, Math.floor(this.timerCpuTicks / TIMER_DIVISOR)],
    pin: (a) => {
      const p = this.pins.get(a.number(0));
      return p
        ? [p.resolution > 0 ? 1 : 0, p.duty, p.resolution, p.divisable, p.divisor, p.cpuTicks, p.multiplier]
        : [0, 0, 0, 0, 0, 0, 0];
    },
  };

  /** pwm2_init at boot (pwm2.c:188-191). */
  boot(): void {
    this.pins.clear();
    this.started = false;
    this.timerCpuTicks = 0;
  }

  /** A pin's frequency and duty, or undefined when it is not set up. */
  pin(pin: number): Pwm2Output | undefined {
    const p = this.pins.get(pin);
    if (!p || p.resolution === 0) return undefined;
    return { frequency: p.divisor / p.divisable, duty: p.duty, resolution: p.resolution, running: this.started };
  }

  private setup(pin: number, divisable: number, divisor: number, resolution: number, duty: number): boolean {
    // enduserFreqToCPUTicks (pwm2.c:113-115) in 64 bits, stored in 32.
    const cpuTicks = Number((BigInt(Math.floor(CPU_TICKS / (divisor * resolution))) * BigInt(divisable)) & 0xffffffffn);
    const pins = new Map(this.pins).set(pin, { resolution, divisable, divisor, duty, cpuTicks, multiplier: 0 });
    // reCalculateCommonToAllPinsData (pwm2.c:100-111): the timer tick is the GCD of every pin's.
    const live = [...pins.values()].filter((p) => p.resolution > 0);
    const tick = live.reduce((g, p) => (g === 0 ? p.cpuTicks : gcd(p.cpuTicks, g)), 0);
    if (tick === 0) return false;
    for (const p of live) p.multiplier = Math.floor(p.cpuTicks / tick);
    this.pins = pins;
    this.timerCpuTicks = tick;
    return true;
  }
}

export const pwm2Host: HostFactory = () => new Pwm2Host();

declare module "../../runtime/host-half.ts" {
  interface HostHalves {
    pwm2: Pwm2Host;
  }
}
