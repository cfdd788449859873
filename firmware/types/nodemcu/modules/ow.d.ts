// ow: the 1-Wire bus (DS18B20 and friends), bit-banged on a pin.
/** @noSelf */
declare namespace ow {
  /** Whether the two received (inverted) CRC bytes match buf. */
  function check_crc16(buf: string, inverted_crc0: number, inverted_crc1: number, crc?: number): boolean;
  /** The Dallas CRC16 of buf. */
  function crc16(buf: string, crc?: number): number;
  /** The Dallas CRC8 of buf. */
  function crc8(buf: string): number;
  /** Stops holding the bus high after a parasite-powered write. */
  function depower(pin: number): void;
  /** Reads a byte. */
  function read(pin: number): number;
  /** Reads size bytes (up to 256). */
  function read_bytes(pin: number, size: number): string;
  /** Resets the bus; 1 if a device answered with a presence pulse, else 0. */
  function reset(pin: number): 0 | 1;
  /** Starts a new search. */
  function reset_search(pin: number): void;
  /** The next device's 8-byte ROM code, or nil when there are no more; alarm_search 1 finds only alarmed devices. */
  function search(pin: number, alarm_search?: 0 | 1): string | undefined;
  /** Addresses one device by its ROM code. */
  function select(pin: number, rom: string): void;
  /** Sets up a pin for 1-Wire. */
  function setup(pin: number): void;
  /** Addresses every device on the bus. */
  function skip(pin: number): void;
  /** Makes the next search look only for one family code. */
  function target_search(pin: number, family_code: number): void;
  /** Writes a byte; power 1 keeps the bus high for parasite power (the docs require it; the firmware defaults to 0, app/modules/ow.c). */
  function write(pin: number, v: number, power?: 0 | 1): void;
  /** Writes bytes; power 1 keeps the bus high for parasite power (optional as for write). */
  function write_bytes(pin: number, buf: string, power?: 0 | 1): void;
  /** Sets the bit timings in microseconds; nil leaves one as it is. */
  function set_timings(
    reset_tx: number | undefined,
    reset_wait: number | undefined,
    reset_rx: number | undefined,
    w1_low: number | undefined,
    w1_high: number | undefined,
    w0_low: number | undefined,
    w0_high: number | undefined,
    r_low: number | undefined,
    r_wait: number | undefined,
    r_delay: number | undefined,
  ): void;
}
