// The contract's rules that the host CLI and the firmware build apply, kept on the host so the
// board never spends heap on them (firmware/src holds only what the board runs): which device
// ids and topic prefixes are valid (a config with a bad id builds no firmware), how a topic names
// its device, and how large a message the board takes.

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

/**
 * The largest payload a board with `maxMessageLength` takes on `topic` (ASCII, as the contract's
 * topics are) when it arrives with `qos`: NodeMCU measures the whole PUBLISH against the limit,
 * i.e. the type byte, the 1-4 byte remaining length, the topic with its 2-byte length and, for
 * QoS 1 and 2, a 2-byte packet id.
 */
export function boardPayloadLimit(maxMessageLength: number, topic: string, qos: number): number {
  // With an L-byte length field the rest may be up to 128^L - 1 bytes and must leave 1 + L.
  let rest = 0;
  for (let l = 1; l <= 4; l++) {
    const fits = Math.min(maxMessageLength - 1 - l, 128 ** l - 1);
    if (fits > rest) rest = fits;
  }
  const payload = rest - 2 - topic.length - (qos > 0 ? 2 : 0);
  return Math.max(0, payload);
}

/** NodeMCU builds every outgoing packet in a buffer this long (app/modules/mqtt.c:20). */
export const MQTT_BUF_SIZE = 1460;

/**
 * The largest payload a board can echo on `topic` at `qos`: the PUBLISH is built in MQTT_BUF_SIZE
 * bytes with a 3-byte fixed header, the topic with its 2-byte length and, above QoS 0, a 2-byte
 * packet id (app/mqtt/mqtt_msg.c:347-369); a longer one is refused whatever maxMessageLength
 * allows in.
 */
export function boardEchoLimit(topic: string, qos: number): number {
  return Math.max(0, MQTT_BUF_SIZE - 3 - 2 - topic.length - (qos > 0 ? 2 : 0));
}
