// Lua 5.1 string literals for any bytes, in plain ASCII: what the host types into the board's
// REPL (a file name with "€" or a control byte arrives exactly) and what the emulator hands Lua.

const ESCAPES: string[] = Array.from({ length: 256 }, (_, b) => {
  if (b === 0x22) return '\\"';
  if (b === 0x5c) return "\\\\";
  if (b >= 0x20 && b < 0x7f) return String.fromCharCode(b);
  return "\\" + String(b).padStart(3, "0");
});

/** A Lua string literal holding exactly these bytes (strings are taken as UTF-8). */
export function luaLiteral(value: Buffer | string): string {
  const bytes = typeof value === "string" ? Buffer.from(value, "utf8") : value;
  let out = '"';
  for (let i = 0; i < bytes.length; i++) out += ESCAPES[bytes[i]!];
  return out + '"';
}
