// crypto's host half (crypto.lua): digests and HMACs by NodeMCU's mechanism names, answering
// (raw digest, nil) or (nil, the module's error message).
import { createHash, createHmac } from "node:crypto";
import type { Flash } from "../../machine/flash.ts";
import type { HostFactory, HostModule } from "../../runtime/host-half.ts";

/** The mechanisms app/crypto/digests.c:57-65 lists (SHA2_ENABLE is on), by NodeMCU's name. */
const MECHS: Record<string, string> = {
  MD5: "md5",
  SHA1: "sha1",
  SHA256: "sha256",
  SHA384: "sha384",
  SHA512: "sha512",
};

/** crypto_digest_mech: the name compared without case (app/crypto/digests.c:79). */
const mech = (name: string): string | undefined => MECHS[name.toUpperCase()];

/** app/modules/crypto.c:71. */
const UNKNOWN = "unknown hash mech";

/** app/modules/crypto.c:73. */
const NO_FILE = "file does not exist";

function calls(flash: Flash): HostModule {
  return {
    hash: (a) => {
      const m = mech(a.text(0));
      return m ? [createHash(m).update(a.bytes(1)).digest(), null] : [null, UNKNOWN];
    },
    hmac: (a) => {
      const m = mech(a.text(0));
      return m ? [createHmac(m, a.bytes(2)).update(a.bytes(1)).digest(), null] : [null, UNKNOWN];
    },
    // crypto_flhash (crypto.c:210-238): the mechanism first, then vfs_open, which fails as file.open does
    // (no such object, or SPIFFS's open files all taken); then the file's bytes in blocks.
    fhash: (a) => {
      const m = mech(a.text(0));
      if (!m) return [null, UNKNOWN];
      const fd = flash.open(a.text(1), "r");
      if (fd === null) return [null, NO_FILE];
      const h = createHash(m);
      try {
        for (let b = flash.read(fd, 4096); b !== null; b = flash.read(fd, 4096)) h.update(b);
      } finally {
        flash.close(fd);
      }
      return [h.digest(), null];
    },
  };
}

export const cryptoHost: HostFactory = (board) => ({ calls: calls(board.flash) });
