// tmr: software timers (object API; the static tmr.alarm(id, …) of 2.x is gone in 3.x).
/** @noSelf */
declare namespace tmr {
  /** A new timer, not yet registered. */
  function create(): tmr.Timer;
  /** Microseconds since boot, wrapping at 31 bits. */
  function now(): number;
  /** Seconds since boot. */
  function time(): number;
  /** Busy-waits us microseconds (blocks everything). */
  function delay(us: number): void;
  /** Restarts the chip after s seconds unless called again (s < 0 disables). */
  function softwd(s: number): void;
  /** Feeds the watchdog. */
  function wdclr(): void;
  /** The CPU cycle counter. */
  function ccount(): number;
  /** Fires once, then unregisters itself. */
  const ALARM_SINGLE: 0;
  /** Fires repeatedly. */
  const ALARM_AUTO: 1;
  /** Fires once and stays registered for start(). */
  const ALARM_SEMI: 2;

  /** A timer object; its methods are called with `:`. */
  interface Timer {
    /** Sets interval (1–6870947 ms), mode and callback without starting. */
    register(ms: number, mode: 0 | 1 | 2, fn: (this: void, t: Timer) => void): void;
    /** Starts a registered timer; false if already running (unless restart) or unregistered. */
    start(restart?: boolean): boolean;
    /** register + start; false if it could not start. */
    alarm(ms: number, mode: 0 | 1 | 2, fn: (this: void, t: Timer) => void): boolean;
    /** Stops the timer; true if it was running. */
    stop(): boolean;
    /** Stops and forgets the callback. */
    unregister(): void;
    /** Changes the interval, re-arming a running timer. */
    interval(ms: number): void;
    /** Whether it runs and its mode, or nil when unregistered. */
    state(): LuaMultiReturn<[boolean, number] | []>;
  }
}
