// pwm's host half (pwm.lua): the SDK PWM driver's channels as app/platform/platform.c:516-641
// and app/driver/pwm.c use them: up to 6 pins (PWM_CHANNEL, app/include/driver/pwm.h:4), one
// clock for all (pwm.freq, 1..1000 Hz, pwm.c:244-255), duty 0..1023 (PWM_DEPTH, pwm.h:18).
// Emits "pwm" (pin, clock, duty) whenever what a pin outputs changes; duty is the output's, 0
// while stopped.
import { EventEmitter } from "node:events";
import type { HostFactory, HostModule } from "../../runtime/host-half.ts";
import { OUTPUT } from "../gpio/gpio.ts";

const CHANNELS = 6;
const DEPTH = 1023;
const FREQ_MAX = 1000;

interface Channel {
  /** pwms_duty: what getduty answers and start restores (platform.c:516). */
  duty: number;
  /** The duty the driver outputs. */
  out: number;
}

/** What a PWM pin outputs, for the host. */
export interface PwmOutput {
  clock: number;
  duty: number;
}

export class PwmHost extends EventEmitter {
  private channels = new Map<number, Channel>();
  private freq = 500;

  /** `output`: puts a pin in output mode, as platform_pwm_setup does (platform.c:591). */
  constructor(private readonly output: (pin: number) => void) {
    super();
  }

  readonly calls: HostModule = {
    setup: (a) => this.setup(a.number(0), a.number(1), a.number(2)),
    close: (a) => void this.close(a.number(0)),
    start: (a) => this.start(a.number(0)),
    stop: (a) => void this.set(a.number(0), (c) => (c.out = 0)),
    setclock: (a) => (this.channels.has(a.number(0)) ? this.setClock(a.number(1)) : 0),
    getclock: (a) => (this.channels.has(a.number(0)) ? this.freq : 0),
    setduty: (a) => this.setDuty(a.number(0), a.number(1)),
    getduty: (a) => this.channels.get(a.number(0))?.duty ?? 0,
  };

  /** platform_pwm_init at boot (platform.c:518-525): no channels, 500 Hz. */
  boot(): void {
    this.channels.clear();
    this.freq = 500;
  }

  /** What `pin` outputs, or undefined when it is no PWM channel. */
  pin(pin: number): PwmOutput | undefined {
    const c = this.channels.get(pin);
    return c && { clock: this.freq, duty: c.out };
  }

  /** platform_pwm_close (platform.c:608-616); gpio.mode calls it too (platform.c:147). */
  close(pin: number): void {
    if (this.channels.delete(pin)) this.emit("pwm", pin, 0, 0);
  }

  // platform_pwm_setup (platform.c:586-606): a new channel outputs 0 until started.
  private setup(pin: number, freq: number, duty: number): number {
    this.output(pin);
    if (!this.channels.has(pin)) {
      if (this.channels.size >= CHANNELS) return 0;
      this.channels.set(pin, { duty, out: 0 });
    }
    this.set(pin, (c) => {
      c.duty = duty;
      c.out = 0;
    });
    return this.setClock(freq);
  }

  private start(pin: number): boolean {
    return this.set(pin, (c) => (c.out = c.duty));
  }

  // platform_pwm_set_duty (platform.c:570-584) with the driver's clamp (pwm.c:216-236) and DUTY()'s
  // 16-bit cut of a negative duty taken as unsigned (platform.h:175).
  private setDuty(pin: number, duty: number): number {
    const cut = Math.floor((((duty >>> 0) * DEPTH) % 2 ** 32) / DEPTH) & 0xffff;
    const clamped = Math.max(0, Math.min(DEPTH, cut));
    if (!this.set(pin, (c) => (c.out = c.duty = clamped))) return 0;
    return clamped;
  }

  // pwm_set_freq (pwm.c:244-255): the clock is cut to 16 bits, then to 1..1000; all channels share it.
  private setClock(clock: number): number {
    this.freq = Math.max(1, Math.min(FREQ_MAX, clock & 0xffff));
    for (const [pin, c] of this.channels) this.emit("pwm", pin, this.freq, c.out);
    return this.freq;
  }

  private set(pin: number, update: (c: Channel) => void): boolean {
    const c = this.channels.get(pin);
    if (!c) return false;
    const before = c.out;
    update(c);
    if (c.out !== before) this.emit("pwm", pin, this.freq, c.out);
    return true;
  }
}

export const pwmHost: HostFactory = (board) => new PwmHost((pin) => board.host("gpio").setMode(pin, OUTPUT, false));

declare module "../../runtime/host-half.ts" {
  interface HostHalves {
    pwm: PwmHost;
  }
}
