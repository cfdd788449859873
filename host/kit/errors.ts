// The one error type verbs throw: a message for the user and the exit code to leave with.
import { EXIT } from "./exit.ts";
import { printableLines } from "./text.ts";

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

/**
 * The exit status an error carries: every error of this project's domains (CliError, MqttError,
 * SerialError, BuildError, ConfigError) has its own `exitCode`; undefined for any other error,
 * which is a bug to report.
 */
export function exitCodeOf(err: unknown): number | undefined {
  const code = err instanceof Error ? (err as { exitCode?: unknown }).exitCode : undefined;
  return typeof code === "number" ? code : undefined;
}

/** Bad arguments: exit 2 with `message`. */
export function usageError(message: string): never {
  throw new CliError(message, EXIT.usage);
}

/**
 * The one place an error becomes what the user reads and the exit status: an error of the
 * project's domains says its message and leaves with its own code. Anything else is a bug: a
 * short message and where to report it, the stack only with `verbose`, never for a user's mistake.
 */
export function errorReport(who: string, err: unknown, verbose: boolean): { text: string; exitCode: number } {
  const message = err instanceof Error ? err.message : String(err);
  const code = exitCodeOf(err);
  // Messages may quote a broker, a board or a file: no control character reaches the terminal,
  // unless the verb styled the message for one itself (a build's coloured diagnostics).
  if (code !== undefined)
    return {
      text: `${who}: ${(err as { styled?: unknown }).styled === true ? message : printableLines(message)}`,
      exitCode: code,
    };
  const stack = verbose && err instanceof Error && err.stack ? `\n${printableLines(err.stack)}` : "";
  const hint = `(a bug in mcu: please report it with this output${verbose ? "" : "; --verbose adds where it happened"})`;
  return { text: `${who}: unexpected error: ${printableLines(message)}${stack}\n${hint}`, exitCode: EXIT.failure };
}
