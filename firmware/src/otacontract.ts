// The update contract: what the board (ota.ts, otaswap.ts, otasum.ts, otaboot.ts) and the PC
// (tools/ota) agree on for firmware updates over MQTT. A module of its own, apart from contract.ts,
// so a board built without updates ships none of it.

/**
 * Firmware updates over MQTT (the board's half is ota.ts, the PC's tools/ota). Topic leaves
 * below `<prefix>/<id>/`: the PC's commands and file chunks, and the board's answers.
 */
export const OTA_IN = "ota/in";
export const OTA_STATUS = "ota/status";
/**
 * Every answer of the board on OTA_STATUS, as a string.format pattern: code, version of the update,
 * bytes received, bytes in all, then the file (1-based) and offset the board asks for next, and the
 * run the answer is for (the token of its begin command). A request and a progress report at once:
 * the board asks for each chunk, so the PC never sends more than the board's one-packet queue and
 * max_message_length take; two runs of mcu ota tell their answers apart by the token.
 */
export const OTA_FORMAT = '{"ota":"%s","version":"%s","bytes":%d,"total":%d,"file":%d,"at":%d,"by":"%s"}';
/**
 * The board's reply to OTA_MANIFEST_ASK: version, free flash, max_message_length, "name size a b;"
 * per file (Adler-32 halves), and the last update's state ("updated <version>", "rolledback <version>").
 * In the version, names and state, every byte but OTA_PLAIN's is written %XX (hex), so the manifest
 * is JSON and its list unambiguous whatever names the board's files have.
 */
export const OTA_MANIFEST_FORMAT =
  '{"ota":"manifest","version":"%s","free":%d,"maxlen":%d,"files":"%s","last":"%s","nonce":%d,"proto":2}';
/**
 * The exchange's revision, which the manifest's "proto" names (2: tokens and SHA-256 in the begin).
 * A board without it runs the first one, whose receiver a begin of this one would crash: mcu ota
 * sends it nothing.
 */
export const OTA_PROTO = 2;
/**
 * The manifest's nonce (a fresh random number per manifest) is kept in this RTC memory slot (after
 * the boot guard's two) until the next begin command, which uses it up: a board with a secret takes
 * only a begin whose HMAC covers it, so a recorded update cannot be replayed.
 */
export const OTA_NONCE_SLOT = 66;
/**
 * Most files one begin may name: more are refused, and the board stops reading a begin's words
 * past them, so a begin of hundreds of words cannot take the heap the check itself needs.
 */
export const OTA_MAX_FILES = 16;
/**
 * Free heap (node.heap()) the receiver keeps: below it an answer is not sent, and with no update
 * under way a command is ignored. A burst of commands is handled before the board's send queue
 * drains, so without it the queued answers took the heap the next command's modules needed.
 */
export const OTA_SPARE = 4096;
export const OTA_IDLE_HEAP = 12288;
/** The bytes the manifest writes as they are (a Lua pattern class); the rest are %XX. */
export const OTA_PLAIN = "[^%w_%.%-%+ ]";
/**
 * What a begin command's version and token may hold (a Lua pattern): the manifest and every answer
 * carry them as they are, and the version goes into config.lua. Names: the same but "+", see otaswap.ts.
 */
export const OTA_WORD = "^[%w_%.%-%+]+$";
/** What the HMAC covers: the nonce, a space, and the begin command with "-" in the signature's place. */
export const OTA_SIGNED_FORMAT = "%d %s";
/**
 * Commands on OTA_IN: the manifest request, "b" begin, "d" chunk (see docs/ota.md). A begin is
 * "b <version> <hmac or -> <token> <name> <size> <a> <b> <sha> …", sha the first 128 bits of the
 * file's SHA-256 in hex (or "-").
 */
export const OTA_MANIFEST_ASK = "m";

/** Codes in OTA_FORMAT's first field (OTA_REFUSED also for a begin whose HMAC is missing or wrong). */
export const OTA_ACCEPTED = "accepted";
export const OTA_PROGRESS = "progress";
/** Every file received and verified: the board swaps them in and restarts. */
export const OTA_DONE = "done";
/** The new firmware reached the broker; the previous files are gone (reported with the manifest). */
export const OTA_UPDATED = "updated";
export const OTA_BAD_CHECKSUM = "badsum";
export const OTA_NO_ROOM = "noroom";
export const OTA_BUSY = "busy";
export const OTA_REFUSED = "refused";
/** The new firmware did not reach the broker within OTA_BOOTS boots: the previous files are back. */
export const OTA_ROLLED_BACK = "rolledback";

/** Boots an updated firmware gets to reach the broker before init.lua restores the previous files. */
export const OTA_BOOTS = 2;
/** Per boot, how long an updated firmware that neither crashes nor connects runs before init.lua restarts it. */
export const OTA_TRIAL_MS = 60000;
/** The update's state file: "trial <version> <names>" until the new firmware is online, then "updated <version>" or "rolledback <version>". */
export const OTA_STATE = "ota.st";
/** Name prefixes: a received file before the swap, and the previous version kept until the new one is online. */
export const OTA_NEW = "n~";
export const OTA_OLD = "o~";
