// The one error type verbs throw: a message for the user and the exit code to leave with.

/** Exit codes (the README copies this table). */
export const EXIT = {
  ok: 0,
  /** Network error, or a step of a tool that failed (build, upload). */
  failure: 1,
  /** Bad arguments or a bad config file. */
  usage: 2,
  /** --timeout / --wait expired. */
  timeout: 27,
} as const;

export class CliError extends Error {
  override name = "CliError";
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}
