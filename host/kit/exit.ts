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

/**
 * The exit code for a broker's CONNACK refusal (MQTT 3.1.1 3.2.2.3). Codes 3, 4 and 5 exit as
 * themselves; 1 and 2 would read as failure and usage, so they exit 6 and 7. An unknown code is
 * a plain failure: passed through, it could collide with any exit code above.
 */
export function connackExit(returnCode: number | undefined): number {
  const codes: Record<number, number> = {
    1: 6, // unacceptable protocol version
    2: 7, // client id rejected
    3: 3, // server unavailable
    4: 4, // bad user name or password
    5: 5, // not authorized
  };
  return (returnCode !== undefined && codes[returnCode]) || EXIT.failure;
}
