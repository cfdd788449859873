// The board's half of a firmware update over MQTT. app.ts loads this module only when a message
// arrives on the OTA topic, and it unloads itself when the update ends, so the echo app's steady
// heap does not carry it. The board asks for every chunk (OTA_FORMAT names the file and offset it wants next),
// writes each file under a temp name, checks its size and Adler-32, then swaps all files in one
// rename pass, keeping the previous ones under a backup name, and restarts. otaboot.ts (from
// init.lua) restores the backups when the new firmware does not reach the broker (docs/ota.md).
import {
  OTA_ACCEPTED,
  OTA_BAD_CHECKSUM,
  OTA_BUSY,
  OTA_FORMAT,
  OTA_IDLE_HEAP,
  OTA_MANIFEST_ASK,
  OTA_NEW,
  OTA_PROGRESS,
  OTA_REFUSED,
  OTA_SPARE,
} from "./otacontract";
import type { Part } from "./otaswap";

// What this module needs of the contract is in locals now, as in app.ts: it does not stay loaded.
packageLib.loaded.set("otacontract", undefined);

/** The swap side and the inventory side, loaded beside this module while it needs them. */
const end = () => require("otaswap") as typeof import("./otaswap");
const inventory = () => require("otasum") as typeof import("./otasum");

/** Milliseconds between asks for a chunk that did not come; after MAX_ASKS of them the update is dropped. */
const ASK_MS = 3000;
const MAX_ASKS = 10;

/** Where the board answers (otaswap.ts has it from config.lua, so this module need not load it). */
const tStatus = end().tStatus;
const nag = tmr.create();
let client: mqtt.Client;
let parts: Part[] = [];
let version = "";
/** The token of the begin command that started the update under way: its run's answers carry it. */
let by = "";
let total = 0;
let got = 0;
let i = 0;
let at = 0;
let asks = 0;
let out: file.Handle | undefined;

/**
 * Publishes a code with where the update stands. QoS 0 and not retained, as every answer but the
 * swap's "done": a QoS 1 answer waits at the head of the board's one send queue for its PUBACK, so
 * a flood of commands piled answers (and the PUBACKs owed behind them) on the heap until it ran out.
 */
function say(code: string): void {
  if (node.heap() > OTA_SPARE)
    client.publish(tStatus, string.format(OTA_FORMAT, code, version, got, total, i, at, by), 0, 0);
}

/** Forgets the update in progress: temp files removed, timer stopped. */
function reset(): void {
  if (out) out.close();
  out = undefined;
  nag.unregister();
  for (const p of parts) file.remove(OTA_NEW + p.name);
  parts = [];
}

/** Unloads this module and the file side, so their heap comes back once nothing runs them. */
function unload(): void {
  packageLib.loaded.set("ota", undefined);
  packageLib.loaded.set("otaswap", undefined);
  packageLib.loaded.set("otasum", undefined);
}

/** Gives the update up. */
function drop(): void {
  reset();
  unload();
}

/** Asks for file i at offset `at`, and again every ASK_MS until it comes (a lost chunk or request). */
function ask(code: string): void {
  asks = 0;
  say(code);
  nag.alarm(ASK_MS, tmr.ALARM_AUTO, () => {
    asks = asks + 1;
    if (asks > MAX_ASKS) return drop();
    say(OTA_PROGRESS);
  });
}

function fail(code: string): void {
  say(code);
  drop();
}

/**
 * "b <version> <hmac or -> <token> <name> <size> <a> <b> <sha> …": checks the update, makes room,
 * asks for the first chunk. A begin of another run (token) while an update is under way is answered
 * busy, before anything else, so the update keeps going and the nonce stays. A board with a secret
 * then checks the HMAC (otamac.ts); one that fails is refused.
 */
function begin(words: string[], command: string): void {
  const [ver, who] = inventory().names(words);
  if (parts.length > 0 && (who === "" || who !== by)) return end().answer(client, tStatus, OTA_BUSY, ver, who, 0);
  if (BUILD_OTA_SECRET) {
    if (!(require("otamac") as typeof import("./otamac")).signed(command))
      return end().answer(client, tStatus, OTA_REFUSED, ver, who, 0);
  }
  // The same run again is the PC starting over (after a lost broker, say): from the first byte.
  reset();
  version = ver;
  by = who;
  const [list, size, why] = end().plan(words);
  got = 0;
  i = 1;
  at = 0;
  total = size;
  if (why !== undefined) return fail(why);
  parts = list;
  out = file.open(OTA_NEW + parts[0]!.name, "w");
  ask(OTA_ACCEPTED);
}

/** "d <file> <offset>\n<bytes>": written when it is the chunk asked for, else the ask is repeated. */
function chunk(data: string): void {
  const [fi, fo, start] = string.match(data, "^d (%d+) (%d+)\n()");
  if (parts.length === 0 || !out) return;
  if (tonumber(fi) !== i || tonumber(fo) !== at) return ask(OTA_PROGRESS);
  const bytes = string.sub(data, tonumber(start)!);
  out.write(bytes);
  at = at + bytes.length;
  got = got + bytes.length;
  const p = parts[i - 1]!;
  if (at < p.size) return ask(OTA_PROGRESS);
  out.close();
  const [s, a, b] = inventory().sum(OTA_NEW + p.name);
  if (s !== p.size || a !== p.a || b !== p.b) return fail(OTA_BAD_CHECKSUM);
  // With a secret, the signed begin's SHA-256 decides: the Adler-32 above only catches accidents.
  if (BUILD_OTA_SECRET) {
    if ((require("otamac") as typeof import("./otamac")).sha256(OTA_NEW + p.name) !== p.sha)
      return fail(OTA_BAD_CHECKSUM);
  }
  if (i < parts.length) {
    i = i + 1;
    at = 0;
    out = file.open(OTA_NEW + parts[i - 1]!.name, "w");
    return ask(OTA_PROGRESS);
  }
  out = undefined;
  nag.unregister();
  end().swap(client, parts, version, by, tStatus);
}

/** A message on the OTA topic. */
export function message(c: mqtt.Client, payload: string | undefined): void {
  client = c;
  const data = payload ?? "";
  // Idle with little heap (a burst of commands, their answers still queued): ignored, unloaded.
  if (parts.length === 0 && node.heap() < OTA_IDLE_HEAP) return unload();
  if (data === OTA_MANIFEST_ASK) inventory().manifest(c, tStatus);
  else if (string.sub(data, 1, 2) === "d ") chunk(data);
  else {
    const words = inventory().split(data);
    if (words[0] === "b") begin(words, data);
  }
  // No update under way (a manifest asked, a stray chunk): nothing to keep loaded.
  if (parts.length === 0) unload();
}
