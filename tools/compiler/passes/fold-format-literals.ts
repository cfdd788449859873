// `string.format("…%s}", …, "")`, or `… "," .. x` for a `%s`: text known at build time that the
// board would keep as a constant of its own and join at run time, for a status it publishes
// again and again. Written into the format, it is part of the one constant already there.
// Lua 5.1's %s takes only strings and numbers (lstrlib.c str_format: luaL_checklstring), as `..`
// does, so a value that `..` would refuse is refused the same.
import type { Chunk, Node } from "luaparse";
import { declarationCount, isIdent, walk } from "../lua-tree.ts";

/** A literal in double quotes on one line with no decimal escape (which could spell a `%`). */
const plain = (n: Node | undefined): boolean => {
  const raw = n?.type === "StringLiteral" ? (n.raw as string) : "";
  return raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') && !raw.includes("\n") && !/\\\d/.test(raw);
};

/** Offsets in a format's raw text of each conversion (`%s`, `%d`, `%5.2f`…), with its text. */
function conversions(raw: string): { at: number; spec: string }[] {
  const out: { at: number; spec: string }[] = [];
  const re = /%(%|[-+ #0]*\d*(?:\.\d*)?[a-zA-Z])/g;
  for (let m = re.exec(raw); m; m = re.exec(raw)) if (m[1] !== "%") out.push({ at: m.index, spec: m[0] });
  return out;
}

/** Folds one `string.format` call's literal `%s` arguments into its format; returns whether it changed. */
function foldCall(call: Node): boolean {
  const args = call.arguments as Node[];
  const format = args[0];
  if (!format || !plain(format)) return false;
  const specs = conversions(format.raw as string);
  // From the last, so that earlier offsets hold.
  for (let i = Math.min(specs.length, args.length - 1) - 1; i >= 0; i--) {
    const { at, spec } = specs[i]!;
    const arg = args[i + 1]!;
    const head = plain(arg)
      ? arg
      : arg.type === "BinaryExpression" && arg.operator === ".." && plain(arg.left as Node)
        ? (arg.left as Node)
        : undefined;
    if (spec !== "%s" || !head) continue;
    const text = (head.raw as string).slice(1, -1).replaceAll("%", "%%") + (head === arg ? "" : "%s");
    const raw = format.raw as string;
    format.raw = raw.slice(0, at) + text + raw.slice(at + 2);
    if (head === arg) args.splice(i + 1, 1);
    else args[i + 1] = arg.right as Node;
    // A format with several arguments could be folded further, but one step at a time keeps offsets right.
    return true;
  }
  return false;
}

/** Folds literal text passed for `%s` into `string.format`'s format, where `string` is the global. */
export function foldFormatLiterals(chunk: Chunk): void {
  if (declarationCount(chunk, "string") > 0) return;
  for (const n of walk(chunk)) {
    const base = n.base as Node | undefined;
    if (
      n.type !== "CallExpression" ||
      base?.type !== "MemberExpression" ||
      !isIdent(base.base, "string") ||
      !isIdent(base.identifier, "format")
    )
      continue;
    while (foldCall(n));
  }
}
