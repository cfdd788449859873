// The inventory side of an update: file checksums and the board's manifest (ota.ts loads it on
// demand, like otaswap.ts).
import * as cfg from "config";
import { OTA_FORMAT, OTA_MANIFEST_FORMAT, OTA_NONCE_SLOT, OTA_STATE } from "./otacontract";

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
  if (code !== undefined && code !== "trial") client.publish(tStatus, string.format(OTA_FORMAT, code, ver!, 0, 0, 0, 0), 1, 1);
  // Used up by the next begin (otamac.ts); never 0, which means none.
  const nonce = node.random(1, 2147483647);
  rtcmem.write32(OTA_NONCE_SLOT, nonce);
  client.publish(tStatus, string.format(OTA_MANIFEST_FORMAT, cfg.version, free, cfg.maxlen, list, last, nonce), 0, 0);
}
