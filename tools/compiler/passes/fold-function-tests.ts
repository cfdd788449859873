// A library tests an optional callback before calling it (`status and "," .. status() or ""`).
// Spliced into an app that passes one, the callback is a local function that is never nil: the
// test is decided, and with it gone the function is read once more, so inline-calls.ts can write
// it in place. Left as it was, the board would keep the test and a closure for it.
import type { Chunk, Node } from "luaparse";
import { bindingCount, declarationCount, isIdent, isNode } from "../lua-tree.ts";

/** A value that is always true in a test: a number or string literal, `true`, or a concatenation. */
const truthy = (e: Node): boolean =>
  e.type === "StringLiteral" ||
  e.type === "NumericLiteral" ||
  (e.type === "BooleanLiteral" && e.value === true) ||
  (e.type === "BinaryExpression" && e.operator === "..");

const bool = (value: boolean): Node => ({ type: "BooleanLiteral", value, raw: String(value) });

/** `n` with the tests of the always-set functions in `set` decided, bottom up. */
function decide(n: Node, set: Set<string>): Node {
  for (const [k, v] of Object.entries(n)) {
    if (Array.isArray(v)) n[k] = v.map((x) => (isNode(x) ? decide(x, set) : x));
    else if (isNode(v) && !(k === "identifier" && n.type === "MemberExpression")) n[k] = decide(v, set);
  }
  const isSet = (x: unknown) => isIdent(x) && set.has(x.name);
  if (n.type === "LogicalExpression" && (isSet(n.left) || truthy(n.left as Node)))
    return n.operator === "and" ? (n.right as Node) : (n.left as Node);
  if (n.type === "UnaryExpression" && n.operator === "not" && isSet(n.argument)) return bool(false);
  if (
    n.type === "BinaryExpression" &&
    (n.operator === "==" || n.operator === "~=") &&
    isSet(n.left) &&
    (n.right as Node).type === "NilLiteral"
  )
    return bool(n.operator === "~=");
  return n;
}

/** Decides the nil tests of top-level `local f = function … end` that nothing rebinds or shadows. */
export function foldFunctionTests(chunk: Chunk): void {
  const set = new Set<string>();
  for (const s of chunk.body) {
    const v = (s.variables as Node[] | undefined)?.[0];
    if (s.type !== "LocalStatement" || (s.variables as Node[]).length !== 1 || !isIdent(v)) continue;
    if ((s.init as Node[])[0]?.type !== "FunctionDeclaration") continue;
    if (bindingCount(chunk, v.name) === 1 && declarationCount(chunk, v.name) === 1) set.add(v.name);
  }
  if (set.size > 0) chunk.body = chunk.body.map((s) => decide(s, set));
}
