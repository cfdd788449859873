// Errors of the serial tools, each with a code from a closed set, and the one place those codes
// become exit statuses. The message says what went wrong and what to do; the code says which
// kind of failure it was, for callers and tests.
//
//   code           meaning                                                       exit
//   TIMEOUT        no answer in time; the message names what was awaited         1
//   CLOSED         the port closed or a write failed (unplugged, hung up)        1
//   NO_PROMPT      the board never answered at a Lua prompt                      1
//   NOT_VERIFIED   a file did not arrive intact in 3 tries (size or checksum     1
//                  differed, or the transfer stalled)
//   NO_ROOM        the board's flash cannot hold the files                       1
//   BUSY           another process holds the port                                1
//   NOT_FOUND      no such port, or no USB-serial bridge present                 1
//   AMBIGUOUS      several USB-serial bridges present: --port must pick one      1
//   NO_PERMISSION  the user may not open the port                                1
//   OPEN_FAILED    the port would not open for another reason                    1
//   BOARD_RESET    the board restarted while we talked to it                     1
//   REJECTED       the board refused a command (a Lua error, a failed rename     1
//                  or compile)
//   UNEXPECTED     an answer we cannot parse                                     1
//   TOO_LONG       a REPL line longer than the board's 255-character buffer      1
//   WRONG_BUILD    the board's NodeMCU build cannot run the firmware (a missing   1
//                  module, no SSL for tls, integer numbers where it needs floats)
//
// Every code is exit 1, "a step failed": none is a bad argument (names are checked up front,
// exit 2) and none is the user's --timeout (exit 27). A port given with --port that does not
// exist stays exit 1 as well, since it may be a board that is not plugged in yet.
import { EXIT } from "../../host/kit/index.ts";

export type SerialErrorCode =
  | "TIMEOUT"
  | "CLOSED"
  | "NO_PROMPT"
  | "NOT_VERIFIED"
  | "NO_ROOM"
  | "BUSY"
  | "NOT_FOUND"
  | "AMBIGUOUS"
  | "NO_PERMISSION"
  | "OPEN_FAILED"
  | "BOARD_RESET"
  | "REJECTED"
  | "UNEXPECTED"
  | "TOO_LONG"
  | "WRONG_BUILD";

const EXIT_OF: Record<SerialErrorCode, number> = {
  TIMEOUT: EXIT.failure,
  CLOSED: EXIT.failure,
  NO_PROMPT: EXIT.failure,
  NOT_VERIFIED: EXIT.failure,
  NO_ROOM: EXIT.failure,
  BUSY: EXIT.failure,
  NOT_FOUND: EXIT.failure,
  AMBIGUOUS: EXIT.failure,
  NO_PERMISSION: EXIT.failure,
  OPEN_FAILED: EXIT.failure,
  BOARD_RESET: EXIT.failure,
  REJECTED: EXIT.failure,
  UNEXPECTED: EXIT.failure,
  TOO_LONG: EXIT.failure,
  WRONG_BUILD: EXIT.failure,
};

export class SerialError extends Error {
  override name = "SerialError";
  constructor(
    readonly code: SerialErrorCode,
    message: string,
  ) {
    super(message);
  }
  get exitCode(): number {
    return EXIT_OF[this.code];
  }
}
