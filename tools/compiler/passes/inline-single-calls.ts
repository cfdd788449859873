// Writes a local function that is called once, at statement level, in place of its call: an app's
// handler with statements of its own (the sensor's `relay on`/`relay off`), which inline-calls.ts
// cannot take because it is more than one expression. On the board the function would be a
// closure and a prototype of its own for good, beside the callback that calls it; written in,
// it is a few instructions of that callback, as a hand-written app would have it.
import type { Chunk, Identifier, Node } from "luaparse";
import {
  bindingCount,
  declaredInside,
  foldKnown,
  freeNamesSettled,
  isIdent,
  isNode,
  nameCounts,
  neverNil,
  statementBlocks,
  walk,
} from "../lua-tree.ts";

const LOOPS = new Set(["WhileStatement", "RepeatStatement", "ForNumericStatement", "ForGenericStatement"]);

/** The function's own return statements (not those of functions inside it), and whether one is inside a loop. */
function ownReturns(fn: Node): { returns: Node[]; inLoop: boolean } {
  const returns: Node[] = [];
  let inLoop = false;
  const visit = (n: Node, loop: boolean): void => {
    if (n !== fn && n.type === "FunctionDeclaration") return;
    if (n.type === "ReturnStatement") {
      returns.push(n);
      inLoop ||= loop;
    }
    for (const v of Object.values(n))
      for (const x of Array.isArray(v) ? v : [v]) if (isNode(x)) visit(x, loop || LOOPS.has(n.type));
  };
  visit(fn, false);
  return { returns, inLoop };
}

/** Replaces, under `root`, every identifier `name` (not a field name) with what `by` makes. */
function substitute(root: Node, name: string, by: () => Node): void {
  for (const n of walk(root)) {
    for (const [k, v] of Object.entries(n)) {
      if (k === "identifier" && n.type === "MemberExpression") continue;
      if (Array.isArray(v)) n[k] = v.map((x) => (isIdent(x, name) ? by() : x));
      else if (isIdent(v, name)) n[k] = by();
    }
  }
}

/** Replaces each statement in the blocks under `root` for which `f` returns a list with that list. */
function replaceStatements(root: Node, f: (s: Node) => Node[] | undefined): void {
  for (const block of statementBlocks(root)) {
    for (let i = 0; i < block.length; i++) {
      const out = f(block[i]!);
      if (out === undefined) continue;
      block.splice(i, 1, ...out);
      i += out.length - 1;
    }
  }
}

const local = (name: string, init: Node[]): Node => ({
  type: "LocalStatement",
  variables: [{ type: "Identifier", name, isLocal: true }],
  init,
});
const assign = (name: string, value: Node): Node => ({
  type: "AssignmentStatement",
  variables: [{ type: "Identifier", name, isLocal: true }],
  init: [value],
});

/** A call's site: the statement, its block and index, and the local it sets (for `local v = f(…)`). */
interface Site {
  block: Node[];
  index: number;
  call: Node;
  result?: string;
}

function siteOf(chunk: Chunk, f: string): Site | undefined {
  for (const block of statementBlocks(chunk)) {
    for (let index = 0; index < block.length; index++) {
      const s = block[index]!;
      const vars = (s.variables as Node[] | undefined) ?? [];
      const init = (s.init as Node[] | undefined) ?? [];
      const call =
        s.type === "CallStatement"
          ? (s.expression as Node)
          : s.type === "LocalStatement" && vars.length === 1 && init.length === 1
            ? init[0]
            : undefined;
      if (call?.type !== "CallExpression" || !isIdent(call.base, f)) continue;
      return { block, index, call, result: s.type === "LocalStatement" ? (vars[0] as Identifier).name : undefined };
    }
  }
  return undefined;
}

/**
 * `local v = f(…)` followed by one last statement of a function, which alone reads v: each return
 * of f can finish the function itself with that statement, v replaced by the returned value,
 * when all but at most one of those copies fold away (a reply of nil publishes nothing).
 */
function tails(chunk: Chunk, site: Site, inside: Set<string>, returns: Node[]): Map<Node, Node[]> | undefined {
  const last = site.block[site.index + 1];
  const v = site.result;
  const owner = [...walk(chunk)].find((n) => n.type === "FunctionDeclaration" && n.body === site.block);
  if (!v || !owner || !last || site.index + 2 !== site.block.length || last.type === "ReturnStatement")
    return undefined;
  if ((nameCounts(chunk).get(v) ?? 0) !== 1 + (nameCounts(last).get(v) ?? 0)) return undefined;
  if ([...nameCounts(last).keys()].some((n) => inside.has(n))) return undefined;
  const out = new Map<Node, Node[]>();
  let kept = 0;
  for (const r of returns) {
    const value = (r.arguments as Node[])[0] ?? { type: "NilLiteral", value: null, raw: "nil" };
    const copy = foldKnown(
      structuredClone(last),
      v,
      value.type === "NilLiteral" ? "nil" : neverNil(value) ? "set" : "unknown",
    );
    const reads = [...walk(copy)].filter((n) => isIdent(n, v)).length;
    if (reads > 1) return undefined;
    substitute(copy, v, () => value);
    const statements = copy.type === "DoStatement" ? (copy.body as Node[]) : [copy];
    if (statements.length > 0) kept++;
    out.set(r, statements);
  }
  return kept <= 1 ? out : undefined;
}

/** Writes `fn` (declared by the chunk's statement `def`) in place of its one call. */
function inlineAt(chunk: Chunk, def: Node, fn: Node, site: Site): boolean {
  const params = (fn.parameters as Node[]).map((p) => (isIdent(p) ? p.name : ""));
  const args = site.call.arguments as Node[];
  if (params.includes("") || new Set(params).size !== params.length || args.length > params.length) return false;
  if ([...walk(fn)].some((n) => n.type === "VarargLiteral") || args.some((a) => a.type === "VarargLiteral"))
    return false;
  const { returns, inLoop } = ownReturns(fn);
  if (inLoop || returns.some((r) => (r.arguments as Node[]).length > 1)) return false;
  const inside = declaredInside(fn);
  if (!freeNamesSettled(chunk, fn, inside) || (site.result !== undefined && inside.has(site.result))) return false;
  const body = fn.body as Node[];

  // An argument that is a local bound once, read-only here, is read in place of its parameter.
  const bindings: Node[] = [];
  params.forEach((p, i) => {
    const a = args[i];
    const settled = isIdent(a) && a.isLocal === true && bindingCount(chunk, a.name) === 1 && !inside.has(a.name);
    if (settled && bindingCount(fn, p) === 1)
      substitute({ type: "DoStatement", body } as Node, p, () => structuredClone(a));
    else bindings.push(local(p, a ? [a] : []));
  });

  const final = body[body.length - 1];
  const ends = tails(chunk, site, inside, returns);
  let replacement: Node[];
  if (ends) {
    // The function's statements end the caller: each return runs the caller's last statement.
    replaceStatements({ type: "DoStatement", body } as Node, (s) =>
      returns.includes(s)
        ? [...ends.get(s)!, ...(s === final ? [] : [{ type: "ReturnStatement", arguments: [] }])]
        : undefined,
    );
    site.block.splice(site.index + 1, 1);
    replacement = [...bindings, ...body];
  } else {
    const v = site.result;
    const result = (r: Node): Node[] => {
      const value = (r.arguments as Node[])[0];
      if (v !== undefined) return value && value.type !== "NilLiteral" ? [assign(v, value)] : [];
      // A bare call's result is dropped; one with an effect of its own runs.
      if (!value || value.type === "NilLiteral" || isIdent(value) || value.type.endsWith("Literal")) return [];
      return value.type === "CallExpression" ? [{ type: "CallStatement", expression: value }] : [local("_", [value])];
    };
    const early = returns.filter((r) => r !== final);
    replaceStatements({ type: "DoStatement", body } as Node, (s) =>
      returns.includes(s) ? [...result(s), ...(s === final ? [] : [{ type: "BreakStatement" }])] : undefined,
    );
    // `repeat … until true` runs once; a return from the middle becomes a break out of it.
    const wrapped: Node =
      early.length > 0
        ? {
            type: "RepeatStatement",
            condition: { type: "BooleanLiteral", value: true, raw: "true" },
            body: [...bindings, ...body],
          }
        : { type: "DoStatement", body: [...bindings, ...body] };
    replacement = [...(v !== undefined ? [local(v, [])] : []), wrapped];
  }
  site.block.splice(site.index, 1, ...replacement);
  chunk.body.splice(chunk.body.indexOf(def), 1);
  return true;
}

/**
 * Inlines each top-level `local f = function(…) … end` that the chunk calls exactly once, as a
 * statement or as `local v = f(…)`, and reads nowhere else. Left alone when a name it reads from
 * outside could mean something else at the call site, when it returns from inside a loop or more
 * than one value, or takes `...`.
 */
export function inlineSingleCalls(chunk: Chunk): void {
  for (let i = 0; i < chunk.body.length; i++) {
    const s = chunk.body[i]!;
    const vars = (s.variables as Node[] | undefined) ?? [];
    const fn = (s.init as Node[] | undefined)?.[0];
    if (s.type !== "LocalStatement" || vars.length !== 1 || !isIdent(vars[0]) || fn?.type !== "FunctionDeclaration")
      continue;
    const name = vars[0].name;
    if (nameCounts(chunk).get(name) !== 2 || bindingCount(chunk, name) !== 1) continue;
    const site = siteOf(chunk, name);
    if (site && inlineAt(chunk, s, fn, site)) i--;
  }
}
