// The topic contract: the one place that names topics, limits and status payloads.
// Compiled twice: to Lua for the board (firmware/src) and imported as TypeScript by the host.
// So it uses only what behaves the same in JavaScript and in Lua 5.1 without lualib: string
// concatenation, numbers and plain objects. The rules for ids and prefixes are in names.ts:
// the host and the build apply them, so the board never carries them (a board's id is checked
// when its firmware is built, or derived from its chip id).

/** Topic prefix used when the config names none. */
export const DEFAULT_PREFIX = "nodemcu";
/** NodeMCU's own default for mqtt.Client's max_message_length. */
export const DEFAULT_MAX_MESSAGE_LENGTH = 1024;
/** Largest max_message_length NodeMCU accepts (stored as uint16). */
export const MAX_MESSAGE_LENGTH_LIMIT = 65535;
/** The firmware's reconnect delay cap, in milliseconds. */
export const MAX_BACKOFF_MS = 30000;
/** The firmware's first reconnect delay, in milliseconds. */
export const BASE_BACKOFF_MS = 1000;

/** Last segment of the PC → device topic. */
export const IN = "in";
/** Last segment of the device → PC (echo) topic. */
export const OUT = "out";
/** Last segment of the retained status topic. */
export const STATUS = "status";

/** Status states, as they appear in the `state` field. */
export const ONLINE = "online";
export const OFFLINE = "offline";

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
export const OFFLINE_PAYLOAD = '{"state":"offline"}';

/** `<prefix>/<id>/<leaf>`; the caller has validated prefix and id. */
export function topic(prefix: string, id: string, leaf: string): string {
  return prefix + "/" + id + "/" + leaf;
}

/** MQTT client id of a board: the device id itself, so the broker shows who is who. */
export function clientId(id: string): string {
  return id;
}

/**
 * Retained status while online. Built by concatenation (no JSON library on the board);
 * every field is a number or a string the firmware controls (version, dotted IP).
 */
export function onlinePayload(version: string, ip: string, heap: number, overflows: number): string {
  return (
    '{"state":"' + ONLINE + '","version":"' + version + '","ip":"' + ip + '","heap":' + heap + ',"overflows":' + overflows + "}"
  );
}

/**
 * Reconnect delay before attempt `attempt` (0-based): doubling from BASE_BACKOFF_MS, capped at
 * MAX_BACKOFF_MS, with up to 50% random jitter taken off (`random01` in [0, 1)), so a fleet that
 * lost its broker does not come back in lockstep.
 */
export function backoffMs(attempt: number, random01: number): number {
  let d = BASE_BACKOFF_MS;
  for (let i = 0; i < attempt && d < MAX_BACKOFF_MS; i++) {
    d = d * 2;
  }
  if (d > MAX_BACKOFF_MS) {
    d = MAX_BACKOFF_MS;
  }
  return Math.floor(d - (d / 2) * random01);
}
