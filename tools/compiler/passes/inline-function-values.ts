// TSTL hoists a named function (`local onConnect … function onConnect(c) … end`) that the session
// passes once, as a value (`client.connect(host, port, tls, onConnect, onFail)`). A callback that
// reads it keeps it as an upvalue for good; written where it is passed, as a hand-written app
// passes `function(c) … end`, it is a prototype of that callback and no upvalue at all.
import type { Chunk, Identifier, Node } from "luaparse";
import { declarationCount, declaredInside, freeNamesSettled, isIdent, isNode, nameCounts } from "../lua-tree.ts";

/** The slot holding the one read of `name` outside its declaration and definition, unless it is called there. */
function readSlot(
  chunk: Chunk,
  name: string,
  skip: Set<Node>,
): [Record<string | number, unknown>, string | number, Node] | undefined {
  let found: [Record<string | number, unknown>, string | number, Node] | undefined;
  const visit = (n: Node, top: Node): void => {
    for (const [k, v] of Object.entries(n)) {
      if (k === "identifier" && n.type === "MemberExpression") continue;
      const list = Array.isArray(v) ? v : [v];
      list.forEach((x, i) => {
        if (!isNode(x) || skip.has(x)) return;
        if (isIdent(x, name)) {
          if (n.type !== "CallExpression" || k !== "base")
            found = [(Array.isArray(v) ? v : n) as Record<string | number, unknown>, Array.isArray(v) ? i : k, top];
        } else visit(x, top);
      });
    }
  };
  for (const s of chunk.body) visit(s, s);
  return found;
}

/**
 * Moves each top-level `function f(…) … end` (f a bare `local` of the chunk) that is read exactly
 * once, as a value, by a later top-level statement, to where it is read. Left alone when a name
 * it reads could mean something else there.
 */
export function inlineFunctionValues(chunk: Chunk): void {
  for (let at = 0; at < chunk.body.length; at++) {
    const def = chunk.body[at]!;
    if (
      def.type !== "FunctionDeclaration" ||
      def.isLocal ||
      !isIdent(def.identifier) ||
      def.identifier.isLocal !== true
    )
      continue;
    const name = def.identifier.name;
    const decl = chunk.body.find(
      (s) => s.type === "LocalStatement" && (s.variables as Node[]).some((v) => isIdent(v, name)),
    );
    if (
      !decl ||
      (decl.init as Node[]).length > 0 ||
      declarationCount(chunk, name) !== 1 ||
      nameCounts(chunk).get(name) !== 3
    )
      continue;
    if (!freeNamesSettled(chunk, def, declaredInside(def))) continue;
    const slot = readSlot(chunk, name, new Set([decl, def.identifier as Node]));
    if (!slot || chunk.body.indexOf(slot[2]) <= at) continue;
    const [parent, key] = slot;
    parent[key] = { ...def, identifier: null, isLocal: false };
    decl.variables = (decl.variables as Identifier[]).filter((v) => v.name !== name);
    chunk.body.splice(at--, 1);
    if ((decl.variables as Node[]).length === 0) chunk.body.splice(chunk.body.indexOf(decl), 1);
  }
}
