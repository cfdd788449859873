// encoder's host half (encoder.lua): the conversions, each answering (result, nil) or
// (nil, the module's error message for bad input).
import type { HostFactory, HostModule } from "../../runtime/host-half.ts";

const calls: HostModule = {
  toBase64: (a) => [Buffer.from(a.bytes(0).toString("base64")), null],
  toHex: (a) => [Buffer.from(a.bytes(0).toString("hex")), null],
  fromBase64: (a) => {
    const text = a.text(0);
    return /^[A-Za-z0-9+/]*={0,2}$/.test(text) && text.length % 4 === 0
      ? [Buffer.from(text, "base64"), null]
      : [null, "Invalid base64 string"];
  },
  fromHex: (a) => {
    const text = a.text(0);
    return /^([0-9a-fA-F]{2})*$/.test(text) ? [Buffer.from(text, "hex"), null] : [null, "Invalid hex string"];
  },
};

export const encoderHost: HostFactory = () => ({ calls });
