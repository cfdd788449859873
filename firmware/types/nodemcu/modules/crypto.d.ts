// crypto: hashes, HMACs and AES (algorithm names are case-insensitive: "MD5", "SHA1", "SHA256"…).
/** @noSelf */
declare namespace crypto {
  /** A running hash or HMAC; its methods are called with `:`. */
  interface Digest {
    /** Adds data. */
    update(data: string): void;
    /** The binary digest. */
    finalize(): string;
  }
  /** The ciphers (matched without regard to case, app/crypto/mech.c). */
  type CipherName = "AES-ECB" | "AES-CBC" | "aes-ecb" | "aes-cbc";
  /** Encrypts with "AES-ECB" or "AES-CBC" (16-byte key, zero padding to 16 bytes). */
  function encrypt(algo: CipherName, key: string, plain: string, iv?: string): string;
  /** Decrypts; the result keeps the zero padding. */
  function decrypt(algo: CipherName, key: string, cipher: string, iv?: string): string;
  /** The binary digest of a file's contents. */
  function fhash(algo: string, filename: string): string;
  /** The binary digest of a string. */
  function hash(algo: string, str: string): string;
  /** A digest to feed piece by piece. */
  function new_hash(algo: string): crypto.Digest;
  /** The binary HMAC of str with key. */
  function hmac(algo: string, str: string, key: string): string;
  /** An HMAC to feed piece by piece. */
  function new_hmac(algo: string, key: string): crypto.Digest;
  /** message XORed with mask (repeated). */
  function mask(message: string, mask: string): string;
}
