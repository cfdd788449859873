// spi: the SPI (id 0) and HSPI (id 1) masters.
/** @noSelf */
declare namespace spi {
  /** Reads size items, sending default_data (all ones if omitted) on MOSI. */
  function recv(id: 0 | 1, size: number, default_data?: number): string;
  /** Sends items; the bytes written, then in full duplex what came back for each item. */
  function send(
    id: 0 | 1,
    ...data: (string | number | number[])[]
  ): LuaMultiReturn<[number, ...(string | number | number[])[]]>;
  /** Sets up a bus; returns 1. */
  function setup(
    id: 0 | 1,
    mode: number,
    cpol: number,
    cpha: number,
    databits: number,
    clock_div: number,
    duplex_mode?: number,
  ): number;
  /** Changes the clock divider (80 MHz / div); the old divider. */
  function set_clock_div(id: 0 | 1, clock_div: number): number;
  /** num items of bitlen bits from the MISO buffer at offset, or the whole buffer as a string. */
  function get_miso(id: 0 | 1, offset: number, bitlen: number, num: number): LuaMultiReturn<number[]>;
  function get_miso(id: 0 | 1, num: number): string;
  /** Puts items of bitlen bits into the MOSI buffer at offset, or a string at offset 0. */
  function set_mosi(id: 0 | 1, offset: number, bitlen: number, ...data: number[]): void;
  function set_mosi(id: 0 | 1, data: string): void;
  /** Runs one transaction with command, address, MOSI, dummy and MISO phases (negative miso_bitlen: full duplex). */
  function transaction(
    id: 0 | 1,
    cmd_bitlen: number,
    cmd_data: number,
    addr_bitlen: number,
    addr_data: number,
    mosi_bitlen: number,
    dummy_bitlen: number,
    miso_bitlen: number,
  ): void;
  /** Master mode. */
  const MASTER: number;
  /** Slave mode (not supported). */
  const SLAVE: number;
  /** Clock idles low. */
  const CPOL_LOW: number;
  /** Clock idles high. */
  const CPOL_HIGH: number;
  /** Sample on the first edge. */
  const CPHA_LOW: number;
  /** Sample on the second edge. */
  const CPHA_HIGH: number;
  /** Half duplex (default). */
  const HALFDUPLEX: number;
  /** Full duplex. */
  const FULLDUPLEX: number;
}
