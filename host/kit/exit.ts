// Exit codes: the one place they are decided (the README copies this table).

export const EXIT = {
  ok: 0,
  /** Network error, or a step of a tool that failed (build, upload). */
  failure: 1,
  /** Bad arguments or a bad config file. */
  usage: 2,
  /** --timeout / --wait expired. */
  timeout: 27,
} as const;
