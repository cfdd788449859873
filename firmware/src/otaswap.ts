// The file side of an update: checksums, the board's manifest, the swap once every file is verified
// (ota.ts hands over) and the settling once the board is back online. A module of its own, loaded
// on demand, so neither ota.ts nor the echo app holds its code on the heap.
import * as cfg from "config";
import { OTA_DONE, OTA_FORMAT, OTA_MANIFEST_FORMAT, OTA_NEW, OTA_OLD, OTA_STATE, OTA_UPDATED } from "./contract";

packageLib.loaded.set("contract", undefined);

/** One file of an update: name, size and the two halves of its Adler-32. */
export interface Part {
  name: string;
  size: number;
  a: number;
  b: number;
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

/** Size and Adler-32 halves of a file (size -1 when it is missing). Plain arithmetic: integer builds compute it too. */
export function sum(name: string): LuaMultiReturn<[number, number, number]> {
  const h = file.open(name, "r");
  if (!h) return $multi(-1, 1, 0);
  let a = 1;
  let b = 0;
  let s = 0;
  for (let d = h.read(256); d !== undefined; d = h.read(256)) {
    s = s + d.length;
    for (let k = 1; k <= d.length; k++) {
      const [c] = string.byte(d, k);
      a = (a + c!) % 65521;
      b = (b + a) % 65521;
    }
  }
  h.close();
  return $multi(s, a, b);
}

/** The update's own files: its state, and names with OTA_NEW's or OTA_OLD's prefix. */
export function ours(name: string): boolean {
  return name === OTA_STATE || string.match(name, "^[no]~")[0] !== undefined;
}

/** The board's files with size and checksum (config.lua only by name: its checksum would help guess the passwords). */
export function manifest(client: mqtt.Client, tStatus: string): void {
  let list = "";
  for (const [name, size] of file.list()) {
    if (ours(name)) continue;
    const [s, a, b] = sum(name);
    list = list + name + " " + (name === "config.lua" ? size + " 0 0" : s + " " + a + " " + b) + ";";
  }
  const [free] = file.fsinfo();
  // The last update's outcome ("updated <version>", "rolledback <version>"), retained once asked.
  const last = file.getcontents(OTA_STATE) ?? "";
  const [code, ver] = string.match(last, "^(%a+) (%S+)");
  if (code !== undefined && code !== "trial") say(client, tStatus, code, ver!);
  client.publish(tStatus, string.format(OTA_MANIFEST_FORMAT, cfg.version, free, cfg.maxlen, list, last), 0, 0);
}
