// What every serial verb shares: --port (or the one USB-serial bridge present) and --baud,
// opening the port with a useful error, and getting the board's REPL ready for file work.
import { type Options, parseOrUsage, wholeNumber } from "../../host/kit/index.ts";
import { findPort, openError } from "./ports.ts";
import { BoardSession } from "./session.ts";

export const SERIAL_USAGE = `serial options:
  --port PATH   the board's serial port (default: the one USB-serial bridge present)
  --baud N      line speed (default 115200, NodeMCU's console speed)`;

const serial = { port: { type: "string" }, baud: { type: "string" } } as const;

export function parseSerialVerb<T extends Options>(argv: string[], own: T, usage: string) {
  return parseOrUsage(argv, { ...serial, ...own }, usage, true);
}

export function baudOf(v: string | undefined): number {
  return wholeNumber("baud", v, { min: 300 }) ?? 115200;
}

export async function portOf(v: string | undefined): Promise<string> {
  return v ?? (await findPort());
}

/** Opens the port and waits for the REPL, with the file helpers installed. */
export async function openBoard(port: string, baud: number): Promise<BoardSession> {
  let session: BoardSession;
  try {
    session = await BoardSession.open(port, baud);
  } catch (err) {
    throw openError(port, err as Error);
  }
  try {
    await session.ready();
    return session;
  } catch (err) {
    await session.close();
    throw err;
  }
}

/** Runs `fn` on the board of the parsed options, closing the port however it ends. */
export async function withBoard<T>(
  values: { port?: string; baud?: string },
  fn: (s: BoardSession) => Promise<T>,
): Promise<T> {
  const session = await openBoard(await portOf(values.port), baudOf(values.baud));
  try {
    return await fn(session);
  } finally {
    await session.close();
  }
}
