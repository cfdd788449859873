// The topic contract: the one place that names topics, limits and status payloads.
// Compiled twice: to Lua for the board (firmware/src) and imported as TypeScript by the host.
// So it uses only what behaves the same in JavaScript and in Lua 5.1 without lualib: string
// concatenation, numbers and plain objects. The rules for ids and prefixes are in host/names.ts:
// the host and the build apply them, so the board never carries them (a board's id is checked
// when its firmware is built, or derived from its chip id).

/** Topic prefix used when the config names none. */
export const DEFAULT_PREFIX = "nodemcu";
/** NodeMCU's own default for mqtt.Client's max_message_length. */
export const DEFAULT_MAX_MESSAGE_LENGTH = 1024;
/** The firmware's reconnect delay cap, in milliseconds. */
const MAX_BACKOFF_MS = 30000;
/** The firmware's first reconnect delay, in milliseconds. */
const BASE_BACKOFF_MS = 1000;

/** Last segment of the PC → device topic. */
export const IN = "in";
/** Last segment of the device → PC (echo) topic. */
export const OUT = "out";
/** Last segment of the retained status topic. */
export const STATUS = "status";

/** Status states, as they appear in the `state` field. */
export const ONLINE = "online";
export const OFFLINE = "offline";

// Exported by name rather than declared `export const`: in Lua, a function that reads an
// exported constant keeps the whole module table alive on the board; a local costs one value.
export { BASE_BACKOFF_MS, MAX_BACKOFF_MS };

/**
 * Free heap, in bytes, below which the app acts on no message and counts it in `dropped` instead.
 * A message that arrives runs its callback before anything can refuse it, and NodeMCU's queue sends
 * one packet per round trip, so a flood fills the heap with queued echoes (docs/reliability.md).
 * What must stay free: the largest message as a Lua string (1024), espconn's copy of one TCP
 * segment (1461, espconn_tcp.c:762), the status the overflow callback formats, and lwIP's room to
 * receive, with a margin: a board whose heap runs out panics in a callback it cannot protect.
 */
export const HEAP_FLOOR = 8192;

/**
 * QoS of the board's subscriptions and of its echoes: 0 both ways (docs/reliability.md, "Floods").
 * In: NodeMCU acknowledges a QoS 1 message by queueing a PUBACK behind its echoes, and a broker that
 * does not keep its in-flight window (Mosquitto before 2.0.13 sends 20 more messages for each
 * PUBACK) fills the heap with them faster than they leave; at QoS 0 a message costs the board
 * nothing once its callback returns. Out: NodeMCU drops its send queue with the link, so QoS 1
 * would never resend an echo; it would only hold the queue a round trip longer for each, and the
 * broker's PUBACK would hold the next message behind Nagle until the board's delayed ACK.
 */
export const MESSAGE_QOS = 0;

/** rtcmem slot of the boot guard's magic word; the crash count is in the next slot. */
export const BOOT_GUARD_SLOT = 64;
/** Marks the boot guard's slots as ours (rtcmem holds noise after power-on). */
export const BOOT_GUARD_MAGIC = 0x6d637562;
/** Boots that may crash before coming online before autostart stops. */
export const BOOT_GUARD_LIMIT = 3;

/** Id a board uses when its config names none: derived from the chip id, like NodeMCU's own client ids. */
export function defaultId(chipHex: string): string {
  return "esp-" + chipHex;
}

/** The will the board leaves with the broker: published retained when it drops off. */
export const OFFLINE_PAYLOAD = '{"state":"' + OFFLINE + '"}';

/** `<prefix>/<id>/<leaf>`; the caller has validated prefix and id. */
export function topic(prefix: string, id: string, leaf: string): string {
  return prefix + "/" + id + "/" + leaf;
}

/** MQTT client id of a board: the device id itself, so the broker shows who is who. */
export function clientId(id: string): string {
  return id;
}

/**
 * Retained status while online, as a string.format pattern the board fills with its version,
 * dotted IP, free heap, overflow count, dropped count (messages it could not echo), the broker
 * it is on (host, port) and the members its app adds (`,"failedReads":2`, or ""; session.ts).
 * A pattern rather than a function: one format call
 * costs the board far less heap than a concatenation of ten pieces. Every field is a number or
 * a string the firmware controls, so no escaping is needed. A literal (its state is ONLINE, as
 * the tests check), so the build writes it into the app rather than keeping a variable for it.
 */
export const ONLINE_FORMAT =
  '{"state":"' + ONLINE + '","version":"%s","ip":"%s","heap":%d,"overflows":%d,"dropped":%d,"broker":"%s:%d"%s}';

/**
 * Reconnect delay before attempt `attempt` (0-based): doubling from BASE_BACKOFF_MS, capped at
 * MAX_BACKOFF_MS, with up to 50% random jitter taken off (`random01` in [0, 1)), so a fleet that
 * lost its broker does not come back in lockstep. One expression reading each argument once, so
 * the build inlines it on the board (tools/compiler/inline.ts); doublings past 15 change nothing
 * under the cap and would overflow an integer firmware's numbers.
 */
export function backoffMs(attempt: number, random01: number): number {
  return Math.floor(Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** Math.min(attempt, 15)) * (1 - random01 / 2));
}
