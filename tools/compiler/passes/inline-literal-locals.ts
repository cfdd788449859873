// A module's own named constants (`const RELAY = 1` → `local RELAY = 1`): Lua 5.1 does not fold
// them, so every function that reads one keeps it as an upvalue for as long as the function
// lives (a callback: for good). Written in place, each is a constant in the function that uses it.
import type { Chunk, Node } from "luaparse";
import { bindingCount, isIdent, isNode, LITERALS, walk } from "../lua-tree.ts";

/**
 * Replaces the reads of a top-level `local NAME = <number, boolean or short string>` with the
 * literal and drops the local, when NAME is bound nowhere else in the chunk (no other local, no
 * assignment) and every identifier of that name is a local's (no global of the name before it).
 */
export function inlineLiteralLocals(chunk: Chunk): void {
  chunk.body = chunk.body.filter((s) => {
    const [v, init] = [(s.variables as Node[] | undefined)?.[0], (s.init as Node[] | undefined)?.[0]];
    if (
      s.type !== "LocalStatement" ||
      (s.variables as Node[]).length !== 1 ||
      !isIdent(v) ||
      !init ||
      !LITERALS.has(init.type)
    )
      return true;
    // A long string read in several places would be a constant in each of them.
    if (init.type === "StringLiteral" && String(init.raw).length > 16) return true;
    const name = v.name;
    if (bindingCount(chunk, name) !== 1 || [...walk(chunk)].some((n) => isIdent(n, name) && n.isLocal !== true))
      return true;
    for (const n of walk(chunk)) {
      for (const [k, x] of Object.entries(n)) {
        if (n === s || (k === "identifier" && n.type === "MemberExpression")) continue;
        if (Array.isArray(x)) n[k] = x.map((y) => (isIdent(y, name) ? structuredClone(init) : y));
        else if (isNode(x) && isIdent(x, name)) n[k] = structuredClone(init);
      }
    }
    return false;
  });
}
