// pwm: hardware-timed PWM on up to 6 pins (pins 1–12), 1–1000 Hz, 10-bit duty.
/** @noSelf */
declare namespace pwm {
  /** Stops PWM on a pin and frees it. */
  function close(pin: number): void;
  /** The pin's frequency in Hz. */
  function getclock(pin: number): number;
  /** The pin's duty, 0–1023. */
  function getduty(pin: number): number;
  /** Sets the frequency (1–1000 Hz); shared by every PWM pin. */
  function setclock(pin: number, clock: number): void;
  /** Sets the duty, 0–1023. */
  function setduty(pin: number, duty: number): void;
  /** Sets a pin up for PWM (frequency 1–1000 Hz, duty 0–1023); call start() to output. */
  function setup(pin: number, clock: number, duty: number): void;
  /** Starts output on a set-up pin. */
  function start(pin: number): void;
  /** Pauses output on a pin. */
  function stop(pin: number): void;
}
