// The check a board with a shared secret (device.json ota.secret, config.lua's otakey) makes of a
// begin command before it takes an update: an HMAC-SHA256, in hex where the command has its
// signature, over the manifest's nonce and the command itself. Built in only with a secret, so
// only then does the board's build need the crypto module (app/modules/crypto.c).
import * as cfg from "config";
import { OTA_NONCE_SLOT, OTA_SIGNED_FORMAT } from "./otacontract";

// The secret is read when a begin comes and let go with this module; nothing keeps it in the heap.
packageLib.loaded.set("config", undefined);
packageLib.loaded.set("otacontract", undefined);

/** Hex of a raw digest, lowercase as the PC writes it. */
function hex(raw: string): string {
  const [out] = string.gsub(raw, ".", (c: string) => string.format("%02x", string.byte(c)[0]!));
  return out;
}

/**
 * The first 128 bits of a file's SHA-256 in lowercase hex, as the signed begin names it (a forger
 * needs a second preimage: 2^128 work); crypto.fhash reads the file in blocks. Lets this module go.
 */
export function sha256(name: string): string {
  packageLib.loaded.set("otamac", undefined);
  return string.sub(hex(crypto.fhash("sha256", name)), 1, 32);
}

/** True when `command` ("b <version> <hmac> …") carries the HMAC of the nonce and itself; uses the nonce up either way. */
export function signed(command: string): boolean {
  // Let go now (require stored it after this chunk ran): the secret goes with it.
  packageLib.loaded.set("otamac", undefined);
  const [nonce] = rtcmem.read32(OTA_NONCE_SLOT, 1);
  rtcmem.write32(OTA_NONCE_SLOT, 0);
  const [mac] = string.match(command, "^b %S+ (%x+) ");
  if (nonce === 0 || mac === undefined || cfg.otakey === undefined) return false;
  const [unsigned] = string.gsub(command, "^(b %S+ )%x+", "%1-", 1);
  return (
    hex(crypto.hmac("SHA256", string.format(OTA_SIGNED_FORMAT, nonce, unsigned), cfg.otakey)) === string.lower(mac)
  );
}
