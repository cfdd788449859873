// gpio: pins by NodeMCU index (D0–D12), not GPIO number.
/** @noSelf */
declare namespace gpio {
  /** Sets a pin's mode and pull-up. */
  function mode(pin: number, mode: number, pullup?: number): void;
  /** The pin's level, 0 or 1. */
  function read(pin: number): 0 | 1;
  /** Drives an output pin. */
  function write(pin: number, level: 0 | 1): void;
  /** Calls fn on an edge or level (pins 1–12); "none" turns it off. */
  function trig(
    pin: number,
    type?: "up" | "down" | "both" | "low" | "high" | "none",
    fn?: (this: void, level: number, when: number, count: number) => void,
  ): void;
  /** Toggles a pin after each delay in delay_times (µs), cycle_num times; with a callback it runs from a timer and calls back at the end. */
  function serout(
    pin: number,
    start_level: 0 | 1,
    delay_times: number[],
    cycle_num?: number,
    callback?: ((this: void) => void) | number,
  ): void;
  /** Output mode. */
  const OUTPUT: 1;
  /** Input mode. */
  const INPUT: 0;
  /** Open-drain output. */
  const OPENDRAIN: 3;
  /** Interrupt mode. */
  const INT: 2;
  /** Level 1. */
  const HIGH: 1;
  /** Level 0. */
  const LOW: 0;
  /** Internal pull-up on. */
  const PULLUP: 1;
  /** No pull-up. */
  const FLOAT: 0;

  /** Timed pulse trains on several pins (firmware built with GPIO_PULSE); one pulser runs at a time. */
  namespace pulse {
    /** position (nil when finished), steps run, µs to the next step (negative when finished), tmr.now() then. */
    type State = LuaMultiReturn<[position: number | undefined, steps: number, offset: number, now: number]>;
    /** Called with the same values getstate returns. */
    type Callback = (this: void, position: number | undefined, steps: number, offset: number, now: number) => void;
    /** One step: pin levels by pin number, then how long to wait (µs, up to 64 s), its allowed range, and an optional loop back. */
    interface Step {
      [pin: number]: 0 | 1;
      delay?: number;
      min?: number;
      max?: number;
      count?: number;
      loop?: number;
    }
    /** A pulser from a list of steps (set the pins to output first). */
    function build(steps: Step[]): Pulser;
    /** A pulser; its methods are called with `:`. */
    interface Pulser {
      /** Starts, adding adjust µs to the next adjustable step; calls back when done. */
      start(callback: Callback): void;
      start(adjust: number, callback: Callback): void;
      /** Where it is now. */
      getstate(): State;
      /** Stops on entering step position (or the next step); true if it will stop. */
      stop(callback?: Callback): boolean;
      stop(position: number, callback?: Callback): boolean;
      /** Stops at once; the state then. */
      cancel(): State;
      /** Sets the µs to use up in min/max steps; the state. */
      adjust(offset: number): State;
      /** Replaces step entrynum (1-based) with a new table. */
      update(entrynum: number, entry: Step): void;
    }
  }
}
