// rtctime: a wall clock kept in RTC memory across deep sleep.
/** @noSelf */
declare namespace rtctime {
  /** Deep sleeps for us microseconds (up to about 71 minutes), keeping the clock; does not return. */
  function dsleep(microseconds: number, option?: number): never;
  /** Deep sleeps until the next multiple of aligned_us, at least minsleep_us; does not return. */
  function dsleep_aligned(aligned_us: number, minsleep_us: number, option?: number): never;
  /** A Unix timestamp as calendar fields (UTC). */
  function epoch2cal(timestamp: number): {
    year: number;
    mon: number;
    day: number;
    hour: number;
    min: number;
    sec: number;
    yday: number;
    wday: number;
  };
  /** Seconds and microseconds since the epoch and the clock rate (0, 0, rate when unset). */
  function get(): LuaMultiReturn<[sec: number, usec: number, rate: number]>;
  /** Sets the clock; no arguments clears it; rate nil keeps the stored rate. */
  function set(seconds?: number, microseconds?: number, rate?: number): void;
  /** A system-clock interval in wall-clock microseconds. */
  function adjust_delta(microseconds: number): number;
}
