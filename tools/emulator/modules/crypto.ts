// crypto's host half (lua/crypto.lua): digests and HMACs by NodeMCU's mechanism names, answering
// (raw digest, nil) or (nil, the module's error message).
import { createHash, createHmac } from "node:crypto";
import type { HostModule } from "../runtime.ts";

/** The mechanisms app/crypto/digests.c:57-65 lists (SHA2_ENABLE is on), by NodeMCU's name. */
const MECHS: Record<string, string> = { MD5: "md5", SHA1: "sha1", SHA256: "sha256", SHA384: "sha384", SHA512: "sha512" };

/** crypto_digest_mech: the name compared without case (app/crypto/digests.c:79). */
const mech = (name: string): string | undefined => MECHS[name.toUpperCase()];

/** app/modules/crypto.c:71. */
const UNKNOWN = "unknown hash mech";

export const cryptoHost: HostModule = {
  hash: (a) => {
    const m = mech(a.text(0));
    return m ? [createHash(m).update(a.bytes(1)).digest(), null] : [null, UNKNOWN];
  },
  hmac: (a) => {
    const m = mech(a.text(0));
    return m ? [createHmac(m, a.bytes(2)).update(a.bytes(1)).digest(), null] : [null, UNKNOWN];
  },
};
