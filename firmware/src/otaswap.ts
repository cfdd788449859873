// The swap side of an update: which files an update may replace and whether they fit, the swap
// once every file is verified (ota.ts hands over) and the settling once the board is back online.
// Modules of their own (this, ota.ts, otasum.ts), loaded on demand, so the echo app holds none of
// their code, and each stays small enough for node.compile on the board.
import { OTA_DONE, OTA_FORMAT, OTA_NEW, OTA_NO_ROOM, OTA_OLD, OTA_REFUSED, OTA_STATE, OTA_UPDATED } from "./otacontract";

packageLib.loaded.set("otacontract", undefined);

/** One file of an update: name, size and the two halves of its Adler-32. */
export interface Part {
  name: string;
  size: number;
  a: number;
  b: number;
}

/** Flash kept free beyond the update itself (SPIFFS needs slack, and config.lua is rewritten). */
const SLACK = 4096;
/** Files an update may not replace: the boot guard that rolls back, and the board's own settings. */
const KEPT = " init.lua config.lua ";

/**
 * The files a begin command ("b <version> - <name> <size> <a> <b> …") names, their total size, and
 * why the board turns the update down (OTA_REFUSED, OTA_NO_ROOM), undefined when it takes it.
 */
export function plan(words: string[]): LuaMultiReturn<[Part[], number, string | undefined]> {
  const files: Part[] = [];
  let total = 0;
  let why: string | undefined;
  for (let k = 3; k + 3 < words.length; k += 4) {
    const p: Part = { name: words[k]!, size: tonumber(words[k + 1])!, a: tonumber(words[k + 2])!, b: tonumber(words[k + 3])! };
    files[files.length] = p;
    total = total + p.size;
    const own = (require("otasum") as typeof import("./otasum")).ours(p.name);
    if (string.find(KEPT, " " + p.name + " ", 1, true)[0] !== undefined || own || p.name.length > 29) why = OTA_REFUSED;
  }
  const [free] = file.fsinfo();
  if (files.length === 0) why = OTA_REFUSED;
  else if (why === undefined && total + SLACK > free) why = OTA_NO_ROOM;
  return $multi(files, total, why);
}

/** Publishes a result, retained, with the update's version. */
function say(c: mqtt.Client, tStatus: string, code: string, ver: string): void {
  c.publish(tStatus, string.format(OTA_FORMAT, code, ver, 0, 0, 0, 0), 1, 1);
}

/**
 * Stamps the new version into config.lua under its temp name (the board keeps its own settings),
 * writes the state file (with "+" on names the update adds, so a rollback removes them), then one
 * rename pass: each live file to its backup name, each received file to its live name. A stale .lc
 * would shadow its new .lua (require tries .lc first), so it goes too. Then the board restarts.
 */
export function swap(c: mqtt.Client, files: Part[], ver: string, tStatus: string): void {
  const [stamped] = string.gsub(file.getcontents("config.lua") ?? "", 'version="[^"]*"', 'version="' + ver + '"');
  file.putcontents(OTA_NEW + "config.lua", stamped);
  files[files.length] = { name: "config.lua", size: 0, a: 0, b: 0 };
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
  say(c, tStatus, OTA_DONE, ver);
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
