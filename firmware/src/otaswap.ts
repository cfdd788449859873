// The swap side of an update: which files an update may replace and whether they fit, the swap
// once every file is verified (ota.ts hands over) and the settling once the board is back online.
// Modules of their own (this, ota.ts, otasum.ts), loaded on demand, so the echo app holds none of
// their code, and each stays small enough for node.compile on the board.
import * as cfg from "config";
import { defaultId, topic } from "./contract";
import {
  OTA_BUSY,
  OTA_DONE,
  OTA_FORMAT,
  OTA_MAX_FILES,
  OTA_NEW,
  OTA_NO_ROOM,
  OTA_OLD,
  OTA_REFUSED,
  OTA_SPARE,
  OTA_STATE,
  OTA_STATUS,
  OTA_UPDATED,
} from "./otacontract";

packageLib.loaded.set("config", undefined);
packageLib.loaded.set("contract", undefined);
packageLib.loaded.set("otacontract", undefined);

/** The topic the board answers on (ota.ts reads it here: it loads this module anyway). */
export const tStatus = topic(cfg.prefix, cfg.id ?? defaultId(string.format("%06x", node.chipid())), OTA_STATUS);

/** One file of an update: name, size, the two halves of its Adler-32 and its SHA-256 in hex (or "-"). */
export interface Part {
  name: string;
  size: number;
  a: number;
  b: number;
  sha: string;
}

/** Flash kept free beyond the update itself (SPIFFS needs slack, and config.lua is rewritten). */
const SLACK = 4096;
/**
 * The files a begin command's words name ("b <version> <hmac> <token>", then "<name> <size> <a> <b>
 * <sha>" per file), their total size, and why the board turns the update down (OTA_REFUSED: a word
 * it cannot take, a file it may not write or named twice; OTA_BUSY: an update on trial;
 * OTA_NO_ROOM), undefined when it takes it.
 */
export function plan(words: string[]): LuaMultiReturn<[Part[], number, string | undefined]> {
  const { word, object, whole } = require("otasum") as typeof import("./otasum");
  const files: Part[] = [];
  const seen: Record<string, boolean> = {};
  let total = 0;
  let why: string | undefined;
  const n = words.length;
  if (word(words[1]) === "" || word(words[3]) === "" || n < 9 || n > 4 + 5 * OTA_MAX_FILES || (n - 4) % 5 !== 0)
    why = OTA_REFUSED;
  // An update on trial settles (or rolls back) first: a swap now would lose its backups.
  else if (string.sub(file.getcontents(OTA_STATE) ?? "", 1, 6) === "trial ") why = OTA_BUSY;
  for (let k = 4; k + 4 < words.length && why === undefined; k += 5) {
    const name = object(words[k]);
    const size = whole(words[k + 1], 4194304);
    const a = whole(words[k + 2], 65536);
    const b = whole(words[k + 3], 65536);
    const sha = string.lower(words[k + 4]!);
    let bad = name === undefined || size === undefined || a === undefined || b === undefined || seen[name] === true;
    // With a secret the signed SHA-256 (its first 128 bits) is what the file is checked against.
    if (BUILD_OTA_SECRET) {
      bad = bad || sha.length !== 32 || string.find(sha, "^%x+$")[0] === undefined;
    }
    if (bad) why = OTA_REFUSED;
    else {
      seen[name!] = true;
      files[files.length] = { name: name!, size: size!, a: a!, b: b!, sha };
      total = total + size!;
    }
  }
  const [free] = file.fsinfo();
  if (why === undefined && total + SLACK > free) why = OTA_NO_ROOM;
  return $multi(files, total, why);
}

/** Publishes an answer with zeros for where it stands: retained with QoS 1 when `keep` is 1 (a result). */
export function answer(c: mqtt.Client, tStatus: string, code: string, ver: string, by: string, keep: 0 | 1): void {
  if (keep === 1 || node.heap() > OTA_SPARE)
    c.publish(tStatus, string.format(OTA_FORMAT, code, ver, 0, 0, 0, 0, by), keep, keep);
}

/**
 * Stamps the new version into config.lua under its temp name (the board keeps its own settings),
 * writes the state file (with "+" on names the update adds, so a rollback removes them), then one
 * rename pass: each live file to its backup name, each received file to its live name. A stale .lc
 * would shadow its new .lua (require tries .lc first), so it goes too. Then the board restarts.
 */
export function swap(c: mqtt.Client, files: Part[], ver: string, by: string, tStatus: string): void {
  // The version holds only OTA_WORD's bytes (ota.ts checked it): nothing gsub or Lua would read as special.
  const [stamped] = string.gsub(file.getcontents("config.lua") ?? "", 'version="[^"]*"', 'version="' + ver + '"');
  file.putcontents(OTA_NEW + "config.lua", stamped);
  files[files.length] = { name: "config.lua", size: 0, a: 0, b: 0, sha: "-" };
  let names = "";
  for (const p of files) names = names + " " + (file.exists(p.name) ? "" : "+") + p.name;
  file.putcontents(OTA_STATE, "trial " + ver + names);
  for (const p of files) {
    file.remove(OTA_OLD + p.name);
    if (file.exists(p.name)) file.rename(p.name, OTA_OLD + p.name);
    file.rename(OTA_NEW + p.name, p.name);
    if (string.sub(p.name, -4) === ".lua") file.remove(string.sub(p.name, 1, -4) + "lc");
  }
  print("ota: " + ver + " received; restarting into it");
  answer(c, tStatus, OTA_DONE, ver, by, 1);
  // The restart waits a moment so the report leaves the send queue.
  tmr.create().alarm(500, tmr.ALARM_SINGLE, () => node.restart());
}

/**
 * Called by init.lua once the updated firmware reached the broker: the backups go, and the state
 * file says "updated <version>" (the manifest reports it) instead of "trial".
 */
export function settle(): void {
  const words: string[] = [];
  for (const w of string.gmatch(file.getcontents(OTA_STATE) ?? "", "%S+")) words[words.length] = w;
  // Names after the version; "+name" (added by the update) has no backup.
  for (let k = 2; k < words.length; k++) file.remove(OTA_OLD + words[k]!);
  file.putcontents(OTA_STATE, OTA_UPDATED + " " + words[1]);
  print("ota: " + words[1] + " is online; previous files removed");
  packageLib.loaded.set("otaswap", undefined);
}
