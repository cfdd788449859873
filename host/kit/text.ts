// Text from outside (a broker, a board, a file) made safe to show on a terminal.

// C0, DEL and C1: a terminal acts on them (ESC starts colour, title and cursor sequences; some
// terminals take U+009B as ESC [), so such text never reaches one raw.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const NAMED: Record<string, string> = { "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/** `s` with every control character shown as an escape (\t, \n, \r, else \xNN): safe to print. */
export function printable(s: string): string {
  return s.replace(CONTROL, (c) => NAMED[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

/** A message of several lines (an error with its usage line): each line printable, the line breaks kept. */
export function printableLines(s: string): string {
  return s.split("\n").map(printable).join("\n");
}

/**
 * Whether to colour what goes to `stream`: FORCE_COLOR (but "0") says yes, NO_COLOR says no
 * (https://no-color.org), else only a terminal is coloured, never a pipe or a file.
 */
export function wantsColour(
  stream: { isTTY?: boolean },
  env: Record<string, string | undefined> = process.env,
): boolean {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "false") return true;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  return stream.isTTY === true;
}

// JSON.stringify escapes C0 but leaves DEL and C1 as they are.
const RAW_IN_JSON = /[\u007f-\u009f]/g;

/** JSON.stringify(value), with DEL and C1 escaped too (\u009b): the same JSON value, safe on a terminal. */
export function terminalJson(value: unknown): string {
  const json = JSON.stringify(value);
  RAW_IN_JSON.lastIndex = 0;
  return RAW_IN_JSON.test(json)
    ? json.replace(RAW_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
    : json;
}
