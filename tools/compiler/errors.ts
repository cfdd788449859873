// The build's one error: it cannot go on, and the message says what to fix.
import { EXIT } from "../../host/kit/index.ts";

/** Exit 2 where the user's arguments are at fault, else 1. */
export class BuildError extends Error {
  override name = "BuildError";
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failure,
  ) {
    super(message);
  }
}
