// The inventory side of an update: file checksums and the board's manifest (ota.ts loads it on
// demand, like otaswap.ts).
import * as cfg from "config";
import {
  OTA_FORMAT,
  OTA_MANIFEST_FORMAT,
  OTA_MAX_FILES,
  OTA_NONCE_SLOT,
  OTA_PLAIN,
  OTA_SPARE,
  OTA_STATE,
  OTA_WORD,
} from "./otacontract";

packageLib.loaded.set("config", undefined);
packageLib.loaded.set("otacontract", undefined);

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

/** Files an update may not replace: the boot guard that rolls back, and the board's own settings. */
const KEPT = " init.lua config.lua ";

/**
 * The object a name in a begin command names, as NodeMCU's vfs finds it (app/spiffs/spiffs.c
 * myspiffs_realm: "/FLASH" and one "/" after it dropped; another drive is none), or undefined when
 * the update may not write it: init.lua, config.lua, the update's own files, another drive, or a
 * name the state file, the manifest and "n~" (31 bytes in all) cannot carry.
 */
export function object(word: string | undefined): string | undefined {
  let n = word ?? "";
  if (string.sub(n, 1, 1) === "/") {
    if (string.sub(n, 2, 6) !== "FLASH") return undefined;
    n = string.sub(n, 7);
    if (string.sub(n, 1, 1) === "/") n = string.sub(n, 2);
  }
  if (
    n.length > 29 ||
    string.find(n, "^[%w_%.%-]+$")[0] === undefined ||
    string.find(KEPT, " " + n + " ", 1, true)[0] !== undefined
  )
    return undefined;
  return ours(n) ? undefined : n;
}

/** A begin's version or token as the answers may carry it (OTA_WORD, at most 40 bytes), else "". */
export function word(w: string | undefined): string {
  return w !== undefined && w.length <= 40 && string.find(w, OTA_WORD)[0] !== undefined ? w : "";
}

/** A command's words (split at whitespace), but none past one more than a begin of OTA_MAX_FILES has. */
export function split(command: string): string[] {
  const words: string[] = [];
  for (const w of string.gmatch(command, "%S+")) {
    if (words.length > 4 + 5 * OTA_MAX_FILES) break;
    words[words.length] = w;
  }
  return words;
}

/** A begin's version and token (its second and fourth words) as answers may carry them (word()). */
export function names(words: string[]): LuaMultiReturn<[string, string]> {
  return $multi(word(words[1]), word(words[3]));
}

/** A whole number below `max` from a decimal word, or undefined. */
export function whole(word: string | undefined, max: number): number | undefined {
  const n = string.find(word ?? "", "^%d+$")[0] === undefined ? undefined : tonumber(word);
  return n !== undefined && n < max ? n : undefined;
}

/** Text for the manifest: every byte outside OTA_PLAIN as %XX, so it stays JSON and the list stays parseable. */
function plain(text: string): string {
  const [out] = string.gsub(text, OTA_PLAIN, (c: string) => string.format("%%%02X", string.byte(c)[0]!));
  return out;
}

/** The board's files with size and checksum (config.lua only by name: its checksum would help guess the passwords). */
export function manifest(client: mqtt.Client, tStatus: string): void {
  if (node.heap() < OTA_SPARE + 2048) return;
  let list = "";
  for (const [name, size] of file.list()) {
    if (ours(name)) continue;
    const [s, a, b] = sum(name);
    list = list + plain(name) + " " + (name === "config.lua" ? size + " 0 0" : s + " " + a + " " + b) + ";";
  }
  const [free] = file.fsinfo();
  // The last update's outcome ("updated <version>", "rolledback <version>"), retained once asked.
  const last = plain(file.getcontents(OTA_STATE) ?? "");
  const [code, ver] = string.match(last, "^(%a+) (%S+)");
  // QoS 0: a QoS 1 answer per "m" would wait in the board's send queue for its PUBACK (ota.ts's say).
  if (code !== undefined && code !== "trial")
    client.publish(tStatus, string.format(OTA_FORMAT, code, ver!, 0, 0, 0, 0, ""), 0, 1);
  // One nonce until a begin uses it up (otamac.ts), so two runs asking at once sign with the same
  // one and the second is told busy rather than refused; never 0, which means none.
  let [nonce] = rtcmem.read32(OTA_NONCE_SLOT, 1);
  if (nonce === 0) {
    nonce = node.random(1, 2147483647);
    rtcmem.write32(OTA_NONCE_SLOT, nonce);
  }
  client.publish(
    tStatus,
    string.format(OTA_MANIFEST_FORMAT, plain(cfg.version), free, cfg.maxlen, list, last, nonce),
    0,
    0,
  );
}
