// The build's one error: it cannot go on, and the message says what to fix.
import { EXIT } from "../../host/kit/index.ts";

/** Exit 2 where the user's arguments are at fault, else 1. */
export class BuildError extends Error {
  override name = "BuildError";
  /** `styled`: the message is coloured for a terminal (CliError's styled). */
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failure,
    readonly styled = false,
  ) {
    super(message);
  }
}
