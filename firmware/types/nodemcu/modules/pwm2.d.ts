// pwm2: software PWM on any pin 1–12 from TIMER1 (exclusive), with fractional frequencies.
/** @noSelf */
declare namespace pwm2 {
  /** Sets a pin up at frequencyAsHz / frequencyDivisor with pulsePeriod steps and an initial duty in steps. */
  function setup_pin_hz(
    pin: number,
    frequencyAsHz: number,
    pulsePeriod: number,
    initialDuty: number,
    frequencyDivisor?: number,
  ): void;
  /** Like setup_pin_hz, with the period given as seconds per pulse. */
  function setup_pin_sec(
    pin: number,
    frequencyAsSec: number,
    pulsePeriod: number,
    initialDuty: number,
    frequencyDivisor?: number,
  ): void;
  /** Starts every set-up pin; false when TIMER1 is taken by another module. */
  function start(): boolean;
  /** Stops every pin and frees TIMER1. */
  function stop(): void;
  /** Sets the duty (in period steps) of one or more pins: pin, duty, pin, duty… */
  function set_duty(pin: number, duty: number, ...more: number[]): void;
  /** Forgets a pin's setup (while stopped). */
  function release_pin(pin: number): void;
  /** Whether started, the wanted interrupt period in CPU ticks and the actual one in timer ticks. */
  function get_timer_data(): LuaMultiReturn<
    [isStarted: boolean, interruptTimerCPUTicks: number, interruptTimerTicks: number]
  >;
  /** A pin's setup: whether set up (a number, non-zero when set up: app/modules/pwm2.c), duty, period steps, frequency, divisor, ticks per step, interrupts per step. */
  function get_pin_data(
    pin: number,
  ): LuaMultiReturn<
    [
      isPinSetup: number,
      duty: number,
      pulseResolutions: number,
      divisableFrequency: number,
      frequencyDivisor: number,
      resolutionCPUTicks: number,
      resolutionInterruptCounterMultiplier: number,
    ]
  >;
}
