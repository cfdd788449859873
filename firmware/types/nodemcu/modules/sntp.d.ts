// sntp: sets the RTC clock from NTP servers.
/** @noSelf */
declare namespace sntp {
  /** Success: seconds and microseconds set, the server used, and details (fields as set in app/modules/sntp.c). */
  type SyncCallback = (
    this: void,
    seconds: number,
    microseconds: number,
    server: string,
    info: {
      offset_s?: number;
      offset_us?: number;
      delay_us?: number;
      root_delay_us?: number;
      root_dispersion_us?: number;
      root_maxerr_us?: number;
      stratum?: number;
      leap?: number;
      pending_leap?: number;
    },
  ) => void;
  /** Failure: 1 DNS lookup failed (with the name), 2 out of memory, 3 UDP send failed, 4 timeout. */
  type ErrorCallback = (this: void, code: 1 | 2 | 3 | 4, detail?: string) => void;
  /** Syncs once, or every 1000 s when autorepeat is non-nil; server nil reuses the last one (or the pool). */
  function sync(
    server?: string | string[] | LuaTable<number, string>,
    callback?: SyncCallback,
    errcallback?: ErrorCallback,
    autorepeat?: unknown,
  ): void;
  /** Sets the NTP-to-RTC offset in seconds (default 0) and turns offset tracking on. */
  function setoffset(offset?: number): void;
  /** The NTP-to-RTC offset in seconds. */
  function getoffset(): number;
}
