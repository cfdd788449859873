// The one error type verbs throw: a message for the user and the exit code to leave with.
import { EXIT } from "./exit.ts";

export class CliError extends Error {
  override name = "CliError";
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** Bad arguments: exit 2 with `message`. */
export function usageError(message: string): never {
  throw new CliError(message, EXIT.usage);
}
