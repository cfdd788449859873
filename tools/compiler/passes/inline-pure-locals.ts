// Inlining a handler leaves its result in a local the library tests and uses once: `local reply =
// data or "" if reply ~= nil and not c:publish(out, reply, 0, 0) then …`. On the board that local,
// its test and its debug entry live as long as the callback (about 60 bytes of heap); written in
// place, the callback is what a hand-written app would be: `if not c:publish(out, data or "", 0, 0)`.
import type { Chunk, Node } from "luaparse";
import { isIdent, isNode, LITERALS, nameCounts, walk } from "../lua-tree.ts";

/** An expression with no effect and no cost to evaluate later: locals, literals, `and`, `or`, `not`. */
function pure(e: Node): boolean {
  if (isIdent(e)) return e.isLocal === true;
  if (LITERALS.has(e.type)) return true;
  if (e.type === "LogicalExpression") return pure(e.left as Node) && pure(e.right as Node);
  return e.type === "UnaryExpression" && e.operator === "not" && pure(e.argument as Node);
}

/** Never nil: a string, number or boolean literal, or `x or <one of those>`. */
function neverNil(e: Node): boolean {
  if (LITERALS.has(e.type)) return e.type !== "NilLiteral";
  return e.type === "LogicalExpression" && e.operator === "or" && neverNil(e.right as Node);
}

/** The slots of a statement's own expressions (not those of blocks or functions inside it) that hold `name`. */
function reads(s: Node, name: string): [Record<string | number, Node>, string | number][] {
  const out: [Record<string | number, Node>, string | number][] = [];
  const visit = (n: Node): void => {
    if (n.type === "FunctionDeclaration") return;
    for (const [k, v] of Object.entries(n)) {
      if (k === "body" || (k === "identifier" && n.type === "MemberExpression")) continue;
      if (k === "clauses") {
        // An if's first condition is evaluated before anything in its blocks.
        const first = (v as Node[])[0];
        if (first) visit(first);
        continue;
      }
      const list = Array.isArray(v) ? v : [v];
      list.forEach((x, i) => {
        if (!isNode(x)) return;
        if (isIdent(x, name))
          out.push([(Array.isArray(v) ? v : n) as Record<string | number, Node>, Array.isArray(v) ? i : k]);
        else visit(x);
      });
    }
  };
  visit(s);
  return out;
}

/** `v ~= nil` → true, `true and y` → y, where v is known not to be nil. */
function foldNotNil(n: Node, name: string): Node {
  for (const [k, v] of Object.entries(n)) {
    if (k === "body" || n.type === "FunctionDeclaration") continue;
    if (Array.isArray(v)) n[k] = v.map((x) => (isNode(x) ? foldNotNil(x, name) : x));
    else if (isNode(v)) n[k] = foldNotNil(v, name);
  }
  if (
    n.type === "BinaryExpression" &&
    n.operator === "~=" &&
    isIdent(n.left, name) &&
    (n.right as Node).type === "NilLiteral"
  )
    return { type: "BooleanLiteral", value: true, raw: "true" };
  if (
    n.type === "LogicalExpression" &&
    n.operator === "and" &&
    (n.left as Node).type === "BooleanLiteral" &&
    (n.left as Node).value === true
  )
    return n.right as Node;
  return n;
}

/**
 * For `local v = <pure expression>` followed by a statement that reads v: a test `v ~= nil` of a
 * v that cannot be nil goes, and a v read once, in that statement's own expressions, takes the
 * expression's place. Only where v's name occurs nowhere else in the chunk.
 */
export function inlinePureLocals(chunk: Chunk): void {
  for (const n of [...walk(chunk)]) {
    const block = n.body;
    if (!Array.isArray(block)) continue;
    for (let i = 0; i + 1 < block.length; i++) {
      const s = block[i] as Node;
      const vars = (s.variables as Node[] | undefined) ?? [];
      const init = (s.init as Node[] | undefined) ?? [];
      if (s.type !== "LocalStatement" || vars.length !== 1 || init.length !== 1 || !isIdent(vars[0]) || !pure(init[0]!))
        continue;
      const name = vars[0].name;
      let next = block[i + 1] as Node;
      const inNext = () => nameCounts(next).get(name) ?? 0;
      if ((nameCounts(chunk).get(name) ?? 0) !== 1 + inNext()) continue;
      if (neverNil(init[0]!) && reads(next, name).length === inNext()) {
        next = foldNotNil(next, name);
        block[i + 1] = next;
      }
      const slots = reads(next, name);
      if (slots.length !== 1 || inNext() !== 1) continue;
      const [parent, key] = slots[0]!;
      parent[key] = init[0]!;
      block.splice(i, 1);
      i--;
    }
  }
}
