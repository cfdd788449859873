// A module's own named constants (`const RELAY = 1` → `local RELAY = 1`): Lua 5.1 does not fold
// them, so every function that reads one keeps it as an upvalue for as long as the function
// lives (a callback: for good). Written in place, each is a constant in the function that uses it.
import type { Chunk, Node } from "luaparse";
import { isIdent, isNode, LITERALS, walk } from "../lua-tree.ts";

/** How often `name` is declared or assigned anywhere in the chunk. */
function bindings(chunk: Chunk, name: string): number {
  let count = 0;
  for (const n of walk(chunk)) {
    const lists = [n.type === "LocalStatement" || n.type === "AssignmentStatement" || n.type === "ForGenericStatement" ? n.variables : undefined, n.parameters];
    if (n.type === "ForNumericStatement") lists.push([n.variable]);
    if (n.type === "FunctionDeclaration" && n.identifier) lists.push([n.identifier]);
    for (const list of lists) for (const v of (list as Node[] | undefined) ?? []) if (isIdent(v, name)) count++;
  }
  return count;
}

/**
 * Replaces the reads of a top-level `local NAME = <number, boolean or short string>` with the
 * literal and drops the local, when NAME is bound nowhere else in the chunk (no other local, no
 * assignment) and every identifier of that name is a local's (no global of the name before it).
 */
export function inlineLiteralLocals(chunk: Chunk): void {
  chunk.body = chunk.body.filter((s) => {
    const [v, init] = [(s.variables as Node[] | undefined)?.[0], (s.init as Node[] | undefined)?.[0]];
    if (s.type !== "LocalStatement" || (s.variables as Node[]).length !== 1 || !isIdent(v) || !init || !LITERALS.has(init.type)) return true;
    // A long string read in several places would be a constant in each of them.
    if (init.type === "StringLiteral" && String(init.raw).length > 16) return true;
    const name = v.name;
    if (bindings(chunk, name) !== 1 || [...walk(chunk)].some((n) => isIdent(n, name) && n.isLocal !== true)) return true;
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
