// gpio's host half (gpio.lua): each pin's mode, output latch and the level the host drives
// onto it, and the interrupt logic of app/platform/platform.c (the ISR) that posts gpio.trig's
// task. Paths and lines are of NodeMCU's release branch, commit 36cbf9f.
import { EventEmitter } from "node:events";
import type { BoardContext, HostFactory, HostModule, LuaCall } from "../../runtime/host-half.ts";

/** GPIO_PIN_NUM: NodeMCU pin indices 0..12 (app/platform/cpu_esp8266.h:15). */
export const GPIO_PINS = 13;
/** PLATFORM_GPIO_* modes as gpio.INPUT, OUTPUT, INT, OPENDRAIN (app/platform/platform.h). */
export const INPUT = 0;
export const OUTPUT = 1;
export const INT = 2;
export const OPENDRAIN = 3;
/** Interrupt types in gpio.trig's option order (app/modules/gpio.c:95-99): none, up, down, both, low, high. */
const NONE = 0;
const UP = 1;
const DOWN = 2;
const BOTH = 3;
const LOW_LEVEL = 4;

interface Pin {
  mode: number;
  pullup: boolean;
  /** What the firmware last wrote (the output register). */
  latch: number;
  /** What the host drives onto the pin, if anything. */
  driven: number | undefined;
  /** pin_int_type: what gpio.trig asked for. */
  intType: number;
  /** The hardware's interrupt enable for the pin (the ISR and gpio.mode turn it off). */
  armed: number;
  /** pin_counter seen/reported (platform.c:236-254, gpio.c:68-70): 15-bit counts, bit 15 "post failed". */
  seen: number;
  reported: number;
}

function newPin(): Pin {
  return { mode: INPUT, pullup: false, latch: 0, driven: undefined, intType: NONE, armed: NONE, seen: 0, reported: 0 };
}

/** The ISR fires for `type` when the pad goes from `was` to `now` (edge), or while it is at the level. */
function triggers(type: number, was: number, now: number): boolean {
  if (type === UP) return was === 0 && now === 1;
  if (type === DOWN) return was === 1 && now === 0;
  if (type === BOTH) return was !== now;
  if (type >= LOW_LEVEL) return now === (type === LOW_LEVEL ? 0 : 1);
  return false;
}

/** Emits "level" (pin, level) whenever a pin's level changes. */
export class GpioHost extends EventEmitter {
  /** Pin levels by NodeMCU index, as they are on the pad. */
  readonly levels = new Map<number, number>();
  private pins: Pin[] = [];

  /** `now`: the board's clock in µs, as tmr.now reads it; `released`: a pin whose mode gpio.mode set (pwm lets go of it). */
  constructor(
    private readonly call: LuaCall,
    private readonly now: () => number,
    private readonly released: (pin: number) => void = () => {},
  ) {
    super();
    this.boot();
  }

  readonly calls: HostModule = {
    mode: (a) => void this.setMode(a.number(0), a.number(1), a.number(2) !== 0),
    write: (a) => void this.write(a.number(0), a.number(1)),
    read: (a) => this.level(a.number(0)),
    trig: (a) => void this.trig(a.number(0), a.number(1)),
    /** The callback's event count (gpio.c:68-70). */
    take: (a) => {
      const p = this.pins[a.number(0)]!;
      const count = 0x7fff & (p.seen - p.reported);
      p.reported = p.seen & 0x7fff;
      return count;
    },
    /** After the callbacks: a level interrupt is enabled again (gpio.c:84-87). */
    rearm: (a) => void this.rearm(a.number(0)),
    /** serout(pin, last level or -1, async duration in us or -1): the pin's final level, and the end of an async run. */
    serout: (a) => {
      const pin = a.number(0);
      // GPIO_OUTPUT_SET (gpio.c:308) also enables the pin's output driver.
      if (this.mode(pin) !== OUTPUT && this.mode(pin) !== OPENDRAIN) this.setMode(pin, OUTPUT, false);
      if (a.number(1) >= 0) this.write(pin, a.number(1));
      clearTimeout(this.serout);
      if (a.number(2) >= 0) this.serout = setTimeout(() => this.call("__E.seroutdone()"), a.number(2) / 1000);
    },
  };
  private serout: NodeJS.Timeout | undefined;

  /** Power-on: every pin an input with no interrupt; what the host drives stays driven. */
  boot(): void {
    clearTimeout(this.serout);
    const driven = this.pins.map((p) => p.driven);
    this.pins = Array.from({ length: GPIO_PINS }, (_, i) => ({ ...newPin(), driven: driven[i] }));
    this.levels.clear();
  }

  /** The level on the pad: the latch where the pin drives, else what the host drives, else the pull-up (or 0). */
  level(pin: number): number {
    const p = this.pins[pin]!;
    if (p.mode === OUTPUT) return p.latch;
    if (p.mode === OPENDRAIN && p.latch === 0) return 0;
    return p.driven ?? (p.pullup || p.mode === OPENDRAIN ? 1 : 0);
  }

  mode(pin: number): number {
    return this.pins[pin]!.mode;
  }

  /** The host drives a level onto a pin (undefined: lets go). */
  drive(pin: number, level: number | undefined): void {
    this.change(pin, () => (this.pins[pin]!.driven = level));
  }

  /** platform_gpio_mode (platform.c:131-181); gpio.c:168-173 drops the callback of a non-INT pin. */
  setMode(pin: number, mode: number, pullup: boolean): void {
    this.change(pin, () => {
      const p = this.pins[pin]!;
      if (pin !== 0) this.released(pin);
      p.mode = mode;
      p.pullup = pullup && pin !== 0;
      // set_gpio_no_interrupt clears pin_int_type (platform.c:92); set_gpio_interrupt only the enable (platform.c:121-125).
      if (mode !== INT) p.intType = NONE;
      p.armed = NONE;
    });
  }

  write(pin: number, level: number): void {
    this.change(pin, () => (this.pins[pin]!.latch = level));
  }

  /** platform_gpio_intr_init (platform.c:339-349), after gpio.c:127-133 dropped queued interrupts. */
  private trig(pin: number, type: number): void {
    const p = this.pins[pin]!;
    p.reported = p.seen & 0x7fff;
    p.intType = type;
    p.armed = type;
    if (type >= LOW_LEVEL) this.check(pin, this.level(pin), this.level(pin));
  }

  private rearm(pin: number): void {
    const p = this.pins[pin]!;
    if (p.intType < LOW_LEVEL) return;
    // Deferred so that a level held active lets the host run between callbacks, as the SDK's task queue does.
    setImmediate(() => {
      p.armed = p.intType;
      this.check(pin, this.level(pin), this.level(pin));
    });
  }

  private change(pin: number, update: () => void): void {
    const was = this.level(pin);
    update();
    const now = this.level(pin);
    this.levels.set(pin, now);
    if (now !== was) this.emit("level", pin, now);
    this.check(pin, was, now);
  }

  /** The ISR (platform.c:232-257): count the interrupt, disable a level one, post the task unless one is pending. */
  private check(pin: number, was: number, now: number): void {
    const p = this.pins[pin]!;
    if (p.armed === NONE || !triggers(p.armed, was, now)) return;
    if (p.intType === NONE) {
      p.armed = NONE;
      return;
    }
    const diff = p.seen ^ p.reported;
    p.seen = 0x7fff & (p.seen + 1);
    if (p.intType >= LOW_LEVEL) p.armed = NONE;
    if (diff === 0 || diff & 0x8000) this.call(`__E.gpio(${pin}, ${now}, ${this.now() & 0x7fffffff})`);
  }
}

// A pin gpio.mode sets is no longer pwm's.
export const gpioHost: HostFactory = (board) =>
  new GpioHost(
    board.call,
    () => board.micros(),
    (pin) => board.host("pwm").close(pin),
  );

/** Makes a pin an input with pull-up, as dht, ow and i2c do when they take it. */
export function pullUp(board: BoardContext): (pin: number) => void {
  return (pin) => board.host("gpio").setMode(pin, INPUT, true);
}

declare module "../../runtime/host-half.ts" {
  interface HostHalves {
    gpio: GpioHost;
  }
}
