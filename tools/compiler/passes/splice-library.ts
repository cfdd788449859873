// Writes a library's one exported function into the one module that calls it (session.lua's
// start() into app.lua). As a module of its own the library would cost the board what an app of
// the same code does not: its handler as a closure of its own beside the library's callback, the
// call's bookkeeping. Spliced in, the app is one chunk again, as a hand-written app would be, and
// the later passes inline the handler where the library calls it (passes/inline-calls.ts).
import type { Chunk, Identifier, Node } from "luaparse";
import { bindingCount, isIdent, isNode, requiredModule, walk } from "../lua-tree.ts";

/** A library's shape: `local ____exports = {}`, locals (its requires and aliases), one exported function, `return ____exports`. */
function exportedFunction(lib: Chunk): { fn: Node; name: string } | undefined {
  const body = lib.body;
  const first = body[0];
  const last = body[body.length - 1];
  if (first?.type !== "LocalStatement" || !isIdent((first.variables as Node[])[0], "____exports")) return undefined;
  if (last?.type !== "ReturnStatement" || !isIdent((last.arguments as Node[])[0], "____exports")) return undefined;
  const fns = body.filter((s) => s.type === "FunctionDeclaration");
  const others = body.slice(1, -1).filter((s) => s.type !== "FunctionDeclaration");
  if (fns.length !== 1 || others.some((s) => s.type !== "LocalStatement")) return undefined;
  const id = fns[0]!.identifier as Node;
  if (id?.type !== "MemberExpression" || !isIdent(id.base, "____exports")) return undefined;
  return { fn: fns[0]!, name: (id.identifier as Identifier).name };
}

/** Return statements of a function's own body (not of functions inside it). */
function ownReturns(body: Node[]): Node[] {
  const out: Node[] = [];
  const visit = (n: Node): void => {
    if (n.type === "FunctionDeclaration") return;
    if (n.type === "ReturnStatement") out.push(n);
    for (const v of Object.values(n)) {
      if (Array.isArray(v))
        for (const x of v) if (x && typeof x === "object" && typeof (x as Node).type === "string") visit(x as Node);
      if (v && typeof v === "object" && !Array.isArray(v) && typeof (v as Node).type === "string") visit(v as Node);
    }
  };
  for (const s of body) visit(s);
  return out;
}

/** `nil and x` is nil, `nil or y` is y: what a missing optional argument leaves in an expression. */
function foldNil(n: Node): Node {
  for (const [k, v] of Object.entries(n)) {
    if (Array.isArray(v)) n[k] = v.map((x) => (isNode(x) ? foldNil(x) : x));
    else if (isNode(v)) n[k] = foldNil(v);
  }
  if (n.type !== "LogicalExpression" || (n.left as Node).type !== "NilLiteral") return n;
  return n.operator === "and" ? (n.left as Node) : (n.right as Node);
}

/** `if nil then … end` with no other branch, as a missing optional argument leaves it: gone. */
function dropDeadIfs(root: Node): void {
  for (const n of walk(root)) {
    if (!Array.isArray(n.body)) continue;
    n.body = (n.body as Node[]).filter((s) => {
      const clauses = s.type === "IfStatement" ? (s.clauses as Node[]) : [];
      return !(clauses.length === 1 && (clauses[0]!.condition as Node).type === "NilLiteral");
    });
  }
}

// luaparse calls a function expression a FunctionDeclaration too (with no identifier).
const SIDE_EFFECT_FREE = new Set([
  "FunctionDeclaration",
  "Identifier",
  "StringLiteral",
  "NumericLiteral",
  "BooleanLiteral",
  "NilLiteral",
]);

/**
 * Splices `lib` (module name `name`) into `user`, the one chunk that requires it, when `user`
 * requires it as `local m = require(name)`, aliases its function as `local f = m.f` and calls it
 * once, as a statement or `local x = f(…)`, at its top level. Returns false, changing nothing,
 * when anything is otherwise: the library then ships as a module, which works the same.
 */
export function spliceLibrary(name: string, lib: Chunk, user: Chunk): boolean {
  const exported = exportedFunction(lib);
  if (!exported) return false;
  const { fn } = exported;
  const body = fn.body as Node[];
  const returns = ownReturns(body);
  const final = body[body.length - 1];
  if (returns.length > 1 || (returns.length === 1 && returns[0] !== final)) return false;
  const result = returns.length === 1 ? (final!.arguments as Node[]) : [];

  // The user's `local m = require(name)`, `local f = m.f` and its one call of f.
  const reqAt = user.body.findIndex(
    (s) => s.type === "LocalStatement" && requiredModule((s.init as Node[])[0]) === name,
  );
  const req = user.body[reqAt];
  if (!req || (req.variables as Node[]).length !== 1) return false;
  const m = (req.variables as Identifier[])[0]!.name;
  const aliasAt = user.body.findIndex((s) => {
    const init = (s.init as Node[] | undefined)?.[0];
    return (
      s.type === "LocalStatement" &&
      init?.type === "MemberExpression" &&
      isIdent(init.base, m) &&
      (init.identifier as Identifier).name === exported.name
    );
  });
  const alias = user.body[aliasAt];
  if (!alias || (alias.variables as Node[]).length !== 1) return false;
  const f = (alias.variables as Identifier[])[0]!.name;
  const reads = [...walk(user)].filter((n) => isIdent(n) && (n.name === m || n.name === f));
  if (reads.length !== 4) return false; // each declared once, m read by the alias, f called once
  const callOf = (s: Node): Node | undefined => {
    const e =
      s.type === "CallStatement"
        ? (s.expression as Node)
        : s.type === "LocalStatement" && (s.init as Node[]).length === 1
          ? (s.init as Node[])[0]
          : undefined;
    return e?.type === "CallExpression" && isIdent(e.base, f) ? e : undefined;
  };
  const callAt = user.body.findIndex((s) => callOf(s) !== undefined);
  if (callAt < 0) return false;
  const call = callOf(user.body[callAt]!)!;
  const args = call.arguments as Node[];
  const params = (fn.parameters as Node[]).map((p) => (isIdent(p) ? p.name : ""));
  if (params.includes("") || args.length > params.length || args.some((a) => a.type === "VarargLiteral")) return false;
  const target = user.body[callAt]!;
  if (target.type === "CallStatement" && result.some((r) => !SIDE_EFFECT_FREE.has(r.type))) return false;

  // Every local of the library gets a name of its own, so that none meets one of the user's.
  const idents = [...walk(lib)].filter((n): n is Identifier => isIdent(n));
  const locals = new Set(idents.filter((i) => i.isLocal).map((i) => i.name));
  if (idents.some((i) => locals.has(i.name) && !i.isLocal)) return false;
  const prefix = `____${name}_`;
  const userNames = new Set([...walk(user)].filter((n): n is Identifier => isIdent(n)).map((i) => i.name));
  if ([...locals].some((l) => userNames.has(prefix + l))) return false;
  // The library's globals must stay globals in the user's chunk.
  const globals = idents.filter((i) => !i.isLocal);
  const userLocals = new Set(
    [...walk(user)].filter((n): n is Identifier => isIdent(n) && n.isLocal === true).map((i) => i.name),
  );
  if (globals.some((g) => userLocals.has(g.name))) return false;
  // An argument left out is nil: its reads become nil (when no other local has its name) and
  // `if nil then … end` goes.
  const missing = new Set(params.slice(args.length).filter((p) => bindingCount(lib, p) === 1));
  const nil = (): Node => ({ type: "NilLiteral", value: null, raw: "nil" });
  const swap = (x: unknown) => (isIdent(x) && missing.has(x.name) ? nil() : x);
  for (const n of walk(lib)) {
    for (const [k, v] of Object.entries(n)) {
      if (k === "parameters" || (k === "identifier" && n.type === "MemberExpression")) continue;
      if (Array.isArray(v)) n[k] = v.map(swap);
      else n[k] = swap(v);
    }
  }
  for (const i of idents) if (locals.has(i.name)) i.name = prefix + i.name;
  foldNil(fn);
  dropDeadIfs(fn);

  const ident = (n: string): Identifier => ({ type: "Identifier", name: prefix + n, isLocal: true });
  const bindings: Node[] = params
    .filter((p) => !missing.has(p))
    .map((p, i) => ({ type: "LocalStatement", variables: [ident(p)], init: args[i] ? [args[i]] : [] }));
  const statements = body.slice(0, returns.length === 1 ? -1 : body.length);
  const spliced = [...lib.body.slice(1, -1).filter((s) => s !== fn), ...bindings, ...statements];
  if (target.type === "LocalStatement") spliced.push({ ...target, init: result });
  user.body.splice(callAt, 1, ...spliced);
  user.body = user.body.filter((s) => s !== req && s !== alias);
  for (const g of globals) if (!user.globals.some((x) => x.name === g.name)) user.globals.push(g);
  return true;
}
