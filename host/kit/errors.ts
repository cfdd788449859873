// The one error type verbs throw: a message for the user and the exit code to leave with.
import { EXIT } from "./exit.ts";

export class CliError extends Error {
  override name = "CliError";
  /**
   * `styled`: the message carries styling the verb chose for a terminal (a build's coloured
   * diagnostics) and is printed as it is; any other message has its control characters escaped.
   */
  constructor(
    message: string,
    readonly exitCode: number,
    readonly styled = false,
  ) {
    super(message);
  }
}

/** Bad arguments: exit 2 with `message`. */
export function usageError(message: string): never {
  throw new CliError(message, EXIT.usage);
}
