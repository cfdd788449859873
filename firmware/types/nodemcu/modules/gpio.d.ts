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
}
