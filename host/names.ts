// The contract's rules that the host CLI and the firmware build apply, kept on the host so the
// board never spends heap on them (firmware/src holds only what the board runs): which device
// ids and topic prefixes are valid (a config with a bad id builds no firmware) and how a topic
// names its device. How large a message the board takes is host/payload-limits.ts's.

/** Longest device id, in bytes; keeps topics and client ids short on a 40 KB heap. */
export const MAX_ID_LENGTH = 23;
/** Longest prefix, in bytes. */
export const MAX_PREFIX_LENGTH = 64;

// Bytes forbidden in an id or a prefix: MQTT wildcards, the level separator, space and control
// characters (they break topic filters and log lines), and anything beyond ASCII, where a
// JavaScript string's length and a Lua string's byte count would disagree.
function badByte(c: number, allowSlash: boolean): boolean {
  return c <= 32 || c >= 127 || c === 35 /* # */ || c === 43 /* + */ || (c === 47 /* / */ && !allowSlash);
}

function checkName(what: string, value: unknown, max: number, allowSlash: boolean): string | undefined {
  if (typeof value !== "string") {
    return what + " must be a string";
  }
  const n = value.length;
  if (n === 0) {
    return what + " must not be empty";
  }
  for (let i = 0; i < n; i++) {
    if (badByte(value.charCodeAt(i), allowSlash)) {
      return (
        what +
        ' "' +
        value +
        '" contains a character that is not allowed (use ASCII letters, digits and punctuation other than + #' +
        (allowSlash ? "" : " /") +
        "; no spaces)"
      );
    }
  }
  if (n > max) {
    return what + " is " + n + " characters long; at most " + max + " are allowed";
  }
  if (allowSlash && (value.charCodeAt(0) === 47 || value.charCodeAt(n - 1) === 47)) {
    return what + ' "' + value + '" must not start or end with /';
  }
  return undefined;
}

/** Why `id` is not a valid device id, or undefined when it is. */
export function idError(id: unknown): string | undefined {
  return checkName("device id", id, MAX_ID_LENGTH, false);
}

/** Why `prefix` is not a valid topic prefix, or undefined when it is. Inner slashes are allowed. */
export function prefixError(prefix: unknown): string | undefined {
  return checkName("topic prefix", prefix, MAX_PREFIX_LENGTH, true);
}

/** The filter that matches one leaf topic of every device under `prefix`. */
export function allDevices(prefix: string, leaf: string): string {
  return prefix + "/+/" + leaf;
}

/**
 * The device id inside a topic of the contract, or undefined when the topic is not
 * `<prefix>/<id>/<leaf>`.
 */
export function deviceOf(prefix: string, leaf: string, t: string): string | undefined {
  const head = prefix + "/";
  const tail = "/" + leaf;
  const n = t.length;
  if (n <= head.length + tail.length || t.substring(0, head.length) !== head || t.substring(n - tail.length) !== tail) {
    return undefined;
  }
  const id = t.substring(head.length, n - tail.length);
  return idError(id) === undefined ? id : undefined;
}
