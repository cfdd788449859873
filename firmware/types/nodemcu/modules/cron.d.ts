// cron: runs callbacks on crontab-like masks, by the RTC clock (set it with sntp or rtctime).
/** @noSelf */
declare namespace cron {
  /** Schedules fn on a mask like "*\/5 * * * *"; the new entry. */
  function schedule(mask: string, fn: (this: void, entry: cron.Entry) => void): cron.Entry;
  /** Removes every entry. */
  function reset(): void;

  /** A scheduled entry; its methods are called with `:`. */
  interface Entry {
    /** Replaces the callback. */
    handler(fn: (this: void, entry: Entry) => void): void;
    /** Replaces the mask (and schedules the entry again if it was unscheduled). */
    schedule(mask: string): void;
    /** Takes the entry off the schedule. */
    unschedule(): void;
  }
}
