// What the build's passes share about luaparse's tree of a Lua chunk: how to walk it, which
// nodes are reads of a name, and which call is a require. One copy, so every pass agrees on what
// counts as a use of a name (a pass that dropped a local another pass still saw as read, or the
// reverse, would break the board's code or leave bytes on it).
import luaparse, { type Chunk, type Identifier, type Node } from "luaparse";

/** Node types of a literal value: what a constant may be to be written in place of its name. */
export const LITERALS: ReadonlySet<string> = new Set(["StringLiteral", "NumericLiteral", "BooleanLiteral", "NilLiteral"]);

export const isNode = (v: unknown): v is Node => typeof v === "object" && v !== null && typeof (v as Node).type === "string";
export const isIdent = (v: unknown, name?: string): v is Identifier =>
  isNode(v) && v.type === "Identifier" && (name === undefined || (v as Identifier).name === name);

/**
 * A chunk with each node's [start, end) offsets in `code` (luaparse's `range`), for the passes that
 * edit the text rather than regenerate it: the unminified build keeps TSTL's lines as they are.
 */
export function parseLua(code: string): Chunk {
  return luaparse.parse(code, { scope: true, comments: false, ranges: true });
}

/** A node's [start, end) offsets in the text it was parsed from (parseLua). */
export function rangeOf(node: Node): [number, number] {
  return node.range as [number, number];
}

/** The module a `require("name")` call names, or undefined for any other node. */
export function requiredModule(n: Node | undefined): string | undefined {
  const arg = n?.type === "CallExpression" && isIdent(n.base, "require") ? (n.arguments as Node[])[0] : undefined;
  return arg?.type === "StringLiteral" ? (arg.value as string) : undefined;
}

/** Child nodes that are expressions or statements: not the `b` of `a.b`, not table keys by name. */
export function* children(node: Node): Generator<[Node | Node[], string | number, Node]> {
  for (const [key, value] of Object.entries(node)) {
    if (key === "identifier" && node.type === "MemberExpression") continue;
    if (key === "key" && node.type === "TableKeyString") continue;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) if (isNode(value[i])) yield [value as Node[], i, value[i] as Node];
    } else if (isNode(value)) {
      yield [node, key, value];
    }
  }
}

/** The node and every expression and statement below it (children's sense), depth first. */
export function* walk(node: Node): Generator<Node> {
  yield node;
  for (const [, , child] of children(node)) yield* walk(child);
}

/** How often each name occurs as an identifier under `root` (declarations included), in one walk. */
export function nameCounts(root: Node): Map<string, number> {
  const counts = new Map<string, number>();
  for (const n of walk(root)) if (isIdent(n)) counts.set(n.name, (counts.get(n.name) ?? 0) + 1);
  return counts;
}

/** The modules a chunk requires by name anywhere (require("name")). */
export function requiredNames(chunk: Chunk): Set<string> {
  const names = new Set<string>();
  for (const n of walk(chunk)) {
    const name = requiredModule(n);
    if (name !== undefined) names.add(name);
  }
  return names;
}

/**
 * The name a one-name `local` statement declares, when the chunk (its nameCounts, taken once per
 * pass so that a pass stays linear) names it nowhere but in that statement (`local N = m.N` names
 * N once; so does `local m = require("m")`); else undefined.
 */
export function unreadLocal(chunkCounts: Map<string, number>, s: Node): string | undefined {
  if (s.type !== "LocalStatement" || (s.variables as Node[]).length !== 1) return undefined;
  const name = ((s.variables as Node[])[0] as Identifier).name;
  return chunkCounts.get(name) === nameCounts(s).get(name) ? name : undefined;
}

/** `local f = m.name`: a statement that declares `name` as an alias of a module's field. */
export function isAlias(statement: Node, name: string): boolean {
  const init = (statement.init as Node[] | undefined)?.[0];
  return statement.type === "LocalStatement" && isIdent((statement.variables as Node[])[0], name) && init?.type === "MemberExpression";
}
