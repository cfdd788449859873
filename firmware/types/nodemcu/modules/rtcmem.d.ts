// rtcmem: 128 32-bit slots of RTC memory that survive restarts and deep sleep (not power-off).
/** @noSelf */
declare namespace rtcmem {
  /** Reads n (default 1) slots from idx (0–127). */
  function read32(idx: number, n?: number): LuaMultiReturn<number[]>;
  /** Writes values into consecutive slots from idx. */
  function write32(idx: number, ...values: number[]): void;
}
