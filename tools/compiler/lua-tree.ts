// What the build's passes share about luaparse's tree of a Lua chunk: how to walk it, which
// nodes are reads of a name, and which call is a require. One copy, so every pass agrees on what
// counts as a use of a name (a pass that dropped a local another pass still saw as read, or the
// reverse, would break the board's code or leave bytes on it).
import luaparse, { type Chunk, type Identifier, type Node } from "luaparse";

/** Node types of a literal value: what a constant may be to be written in place of its name. */
export const LITERALS: ReadonlySet<string> = new Set([
  "StringLiteral",
  "NumericLiteral",
  "BooleanLiteral",
  "NilLiteral",
]);

export const isNode = (v: unknown): v is Node =>
  typeof v === "object" && v !== null && typeof (v as Node).type === "string";
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
  return (
    statement.type === "LocalStatement" &&
    isIdent((statement.variables as Node[])[0], name) &&
    init?.type === "MemberExpression"
  );
}

/** The identifiers a node binds: what it declares (`local`, parameters, loop variables, `local function`) and, with `assigned`, what it assigns. */
function bound(n: Node, assigned: boolean): Node[] {
  const lists = [
    n.parameters,
    n.type === "LocalStatement" || n.type === "ForGenericStatement" ? n.variables : undefined,
  ];
  if (assigned && n.type === "AssignmentStatement") lists.push(n.variables);
  if (n.type === "ForNumericStatement") lists.push([n.variable]);
  if (n.type === "FunctionDeclaration" && (n.isLocal || assigned)) lists.push([n.identifier]);
  return lists.flatMap((list) => (list as Node[] | undefined) ?? []);
}

/** How often `name` is declared under `root`: 1 means no other local can shadow it anywhere. */
export function declarationCount(root: Node, name: string): number {
  let count = 0;
  for (const n of walk(root)) for (const v of bound(n, false)) if (isIdent(v, name)) count++;
  return count;
}

/** How often `name` is declared or assigned under `root`: 1 means its value never changes once set. */
export function bindingCount(root: Node, name: string): number {
  let count = 0;
  for (const n of walk(root)) for (const v of bound(n, true)) if (isIdent(v, name)) count++;
  return count;
}

/** Names the function declares for itself: parameters and locals, its inner functions' too. */
export function declaredInside(fn: Node): Set<string> {
  const names = new Set<string>();
  for (const n of walk(fn)) for (const v of bound(n, false)) if (isIdent(v)) names.add(v.name);
  return names;
}

/**
 * Every name the function reads from outside means the same anywhere in the chunk: a local
 * declared exactly once (nothing can shadow it), or a global no local anywhere is named after.
 */
export function freeNamesSettled(chunk: Chunk, fn: Node, inside: Set<string>): boolean {
  for (const n of walk(fn)) {
    if (!isIdent(n) || inside.has(n.name)) continue;
    if (declarationCount(chunk, n.name) !== (n.isLocal === true ? 1 : 0)) return false;
  }
  return true;
}

/** Never nil: a string, number or boolean literal, a concatenation (a string or an error), or `x or <one of those>`. */
export function neverNil(e: Node): boolean {
  if (LITERALS.has(e.type)) return e.type !== "NilLiteral";
  if (e.type === "BinaryExpression" && e.operator === "..") return true;
  return e.type === "LogicalExpression" && e.operator === "or" && neverNil(e.right as Node);
}

/** Every list of statements under `root` (blocks of functions, loops, ifs and `do`), the root's own first. */
export function statementBlocks(root: Node): Node[][] {
  return [...walk(root)].flatMap((n) => (Array.isArray(n.body) ? [n.body as Node[]] : []));
}

const TRUE: Node = { type: "BooleanLiteral", value: true, raw: "true" };
const FALSE: Node = { type: "BooleanLiteral", value: false, raw: "false" };
const NIL: Node = { type: "NilLiteral", value: null, raw: "nil" };
/** Truth of a constant: true, false, or undefined when not a constant. */
const truth = (e: Node): boolean | undefined =>
  e.type === "NilLiteral"
    ? false
    : e.type === "BooleanLiteral"
      ? e.value === true
      : LITERALS.has(e.type)
        ? true
        : undefined;

/** Folds what constants decide in one expression node (its children already folded). */
function foldExpression(n: Node): Node {
  if (n.type === "LogicalExpression") {
    const t = truth(n.left as Node);
    if (t !== undefined)
      return n.operator === "and"
        ? t
          ? (n.right as Node)
          : (n.left as Node)
        : t
          ? (n.left as Node)
          : (n.right as Node);
  }
  if (n.type === "UnaryExpression" && n.operator === "not") {
    const t = truth(n.argument as Node);
    if (t !== undefined) return structuredClone(t ? FALSE : TRUE);
  }
  if (n.type === "BinaryExpression" && (n.operator === "==" || n.operator === "~=")) {
    const [l, r] = [n.left as Node, n.right as Node];
    if (l.type === "NilLiteral" && r.type === "NilLiteral") return structuredClone(n.operator === "==" ? TRUE : FALSE);
  }
  return n;
}

/** An if whose first condition is a constant: the block that runs (a `do`), or none. */
function foldIf(s: Node): Node {
  const clauses = s.clauses as Node[];
  const t = truth(clauses[0]!.condition as Node);
  if (t === true) return { type: "DoStatement", body: clauses[0]!.body };
  if (t !== false) return s;
  const rest = clauses.slice(1);
  if (rest.length === 0) return { type: "DoStatement", body: [] };
  if (rest[0]!.type === "ElseClause") return { type: "DoStatement", body: rest[0]!.body };
  return foldIf({ ...s, clauses: [{ ...rest[0]!, type: "IfClause" }, ...rest.slice(1)] });
}

function fold(n: Node): Node {
  for (const [k, v] of Object.entries(n)) {
    if (n.type === "FunctionDeclaration" && k === "body") continue;
    if (Array.isArray(v)) n[k] = v.map((x) => (isNode(x) ? fold(x) : x));
    else if (isNode(v)) n[k] = fold(v);
  }
  return n.type === "IfStatement" ? foldIf(n) : foldExpression(n);
}

/**
 * `statement` with what is known of local `name` folded in: "nil" (every read is nil), "set" (never
 * nil: `name ~= nil` is true), or "unknown". A statement that folds to nothing is an empty `do`.
 */
export function foldKnown(statement: Node, name: string, known: "nil" | "set" | "unknown"): Node {
  for (const n of walk(statement)) {
    for (const [k, v] of Object.entries(n)) {
      if (k === "identifier" && n.type === "MemberExpression") continue;
      const swap = (x: unknown): unknown => {
        if (known === "nil" && isIdent(x, name)) return structuredClone(NIL);
        const cmp = isNode(x) && x.type === "BinaryExpression" && (x.operator === "~=" || x.operator === "==");
        if (known === "set" && cmp && isIdent(x.left, name) && (x.right as Node).type === "NilLiteral")
          return structuredClone(x.operator === "~=" ? TRUE : FALSE);
        return x;
      };
      n[k] = Array.isArray(v) ? v.map(swap) : swap(v);
    }
  }
  return fold(statement);
}
