// i2c: the software I²C master (bus id 0).
/** @noSelf */
declare namespace i2c {
  /** Sends a device address in a direction; true if the device acknowledged. */
  function address(id: number, device_addr: number, direction: number): boolean;
  /** Reads len bytes. */
  function read(id: number, len: number): string;
  /** Sets up a bus on two pins at a speed (constant or 25000–1000000 Hz); the speed set, 0 on error. */
  function setup(id: number, pinSDA: number, pinSCL: number, speed: number): number;
  /** Sends a start condition. */
  function start(id: number): void;
  /** Sends a stop condition. */
  function stop(id: number): void;
  /** Writes numbers, strings or tables of bytes; the number of bytes written. */
  function write(id: number, ...data: (number | string | number[])[]): number;
  /** 100 kHz. */
  const SLOW: 100000;
  /** 400 kHz. */
  const FAST: 400000;
  /** 1 MHz (about 600 kHz at 80 MHz CPU). */
  const FASTPLUS: 1000000;
  /** Address for writing. */
  const TRANSMITTER: 0;
  /** Address for reading. */
  const RECEIVER: 1;
}
