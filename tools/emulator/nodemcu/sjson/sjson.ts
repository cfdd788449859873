// sjson's host half (sjson.lua): sjson.decode parses on the host and answers a Lua chunk that
// builds the value, or sjson's error message.
import { luaLiteral } from "../../../lua/vm.ts";
import type { HostFactory, HostModule } from "../../runtime/host-half.ts";

const calls: HostModule = {
  decode: (a) => decode(a.bytes(0).toString("utf8")),
};

/** JSON as a Lua chunk building the value (null is the upvalue N), or sjson's error message. */
function decode(text: string): [string | null, string | null] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const incomplete = /end of JSON input/.test((err as Error).message);
    return [
      null,
      incomplete ? "Incomplete JSON object passed to sjson.decode" : `JSON parse error: ${(err as Error).message}`,
    ];
  }
  const lua = (v: unknown): string => {
    if (v === null) return "N";
    if (Array.isArray(v)) return "{" + v.map(lua).join(",") + "}";
    if (typeof v === "object")
      return (
        "{" +
        Object.entries(v as object)
          .map(([k, x]) => `[${luaLiteral(k)}]=${lua(x)}`)
          .join(",") +
        "}"
      );
    if (typeof v === "string") return luaLiteral(v);
    return String(v);
  };
  return ["return " + lua(value), null];
}

export const sjsonHost: HostFactory = () => ({ calls });
