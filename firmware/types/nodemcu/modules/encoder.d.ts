// encoder: base64 and hex (an optional firmware module, absent from many builds).
/** @noSelf */
declare namespace encoder {
  /** Base64 of the bytes. */
  function toBase64(s: string): string;
  /** Bytes from base64; raises "Invalid base64 string". */
  function fromBase64(s: string): string;
  /** Lower-case hex of the bytes. */
  function toHex(s: string): string;
  /** Bytes from hex; raises "Invalid hex string". */
  function fromHex(s: string): string;
}
