// Inlines calls to small functions of other modules. On the board every function is a closure
// with its own prototype (~300 bytes of heap each, however short its body), and a module that
// only the app's closures still call stays loaded. So when a module exports a function whose body
// is one `return <expression>` that reads each parameter exactly once, in order (so arguments are
// still evaluated once and in the same order), the build writes that expression at each call site
// of a module that required it. The exporting module is unchanged: the host and tests still call
// it, and on the board it is freed once nothing else holds it.
import type { Chunk, Identifier, Node } from "luaparse";
import { children, declarationCount, isAlias, isIdent, isNode, LITERALS, requiredModule, walk } from "../lua-tree.ts";

/** A function or constant of a module that a caller may write in place of its name. */
export interface Inlinable {
  params: string[];
  body: Node;
  /** Literal module locals the body reads (e.g. `local ONLINE = "online"`), folded in. */
  literals: Map<string, Node>;
  /** Globals the body reads; the caller's minifier must not reuse their names. */
  globals: Identifier[];
  /** A literal value rather than a function: every read of the alias becomes the literal. */
  constant?: boolean;
}

/** Names assigned anywhere after their declaration: such locals are not constants. */
function assignedNames(chunk: Chunk): Set<string> {
  const names = new Set<string>();
  for (const n of walk(chunk)) {
    if (n.type === "AssignmentStatement") for (const v of n.variables as Node[]) if (isIdent(v)) names.add(v.name);
    if (n.type === "FunctionDeclaration" && isIdent(n.identifier)) names.add(n.identifier.name);
  }
  return names;
}

function literalLocals(chunk: Chunk): Map<string, Node> {
  const assigned = assignedNames(chunk);
  const out = new Map<string, Node>();
  for (const s of chunk.body) {
    if (s.type !== "LocalStatement") continue;
    const [v, init] = [(s.variables as Node[])[0], (s.init as Node[])[0]];
    if ((s.variables as Node[]).length === 1 && isIdent(v) && init && LITERALS.has(init.type) && !assigned.has(v.name))
      out.set(v.name, init);
  }
  return out;
}

/**
 * What a TSTL module exports that callers can take in place: one-expression functions
 * (`function ____exports.f(a, b) return ... end`) and literal constants (`____exports.N = 64`).
 */
export function inlinables(chunk: Chunk): Map<string, Inlinable> {
  const literals = literalLocals(chunk);
  const out = new Map<string, Inlinable>();
  for (const s of chunk.body) {
    const [target, value] = [(s.variables as Node[] | undefined)?.[0], (s.init as Node[] | undefined)?.[0]];
    if (
      s.type === "AssignmentStatement" &&
      target?.type === "MemberExpression" &&
      isIdent(target.base, "____exports") &&
      value &&
      LITERALS.has(value.type)
    ) {
      out.set((target.identifier as Identifier).name, {
        params: [],
        body: value,
        literals,
        globals: [],
        constant: true,
      });
    }
    if (s.type !== "FunctionDeclaration") continue;
    const id = s.identifier as Node;
    if (id?.type !== "MemberExpression" || id.indexer !== "." || !isIdent(id.base, "____exports")) continue;
    const fn = oneExpression(s, literals);
    if (fn) out.set((id.identifier as Identifier).name, fn);
  }
  return out;
}

/**
 * A function whose body is one `return <expression>` that reads each parameter once, in order, and
 * no local but its parameters, `literals` and those `settled` allows: what a call of it may be replaced with.
 */
function oneExpression(
  f: Node,
  literals: Map<string, Node>,
  settled: (name: string) => boolean = () => false,
): Inlinable | undefined {
  const body = f.body as Node[];
  const ret = body[0];
  if (body.length !== 1 || ret?.type !== "ReturnStatement" || (ret.arguments as Node[]).length !== 1) return undefined;
  const params = (f.parameters as Node[]).map((p) => (isIdent(p) ? p.name : ""));
  const expr = (ret.arguments as Node[])[0]!;
  const read: string[] = [];
  const globals: Identifier[] = [];
  let ok = !params.includes("");
  for (const n of walk(expr)) {
    if (n.type === "FunctionDeclaration" || n.type === "VarargLiteral") ok = false;
    if (!isIdent(n)) continue;
    if (params.includes(n.name)) read.push(n.name);
    else if (!n.isLocal) globals.push(n);
    else if (!literals.has(n.name) && !settled(n.name)) ok = false;
  }
  return ok && read.join(",") === params.join(",") ? { params, body: expr, literals, globals } : undefined;
}

function instantiate(fn: Inlinable, args: Node[]): Node {
  const copy = (n: Node): Node => {
    if (isIdent(n) && fn.params.includes(n.name)) return args[fn.params.indexOf(n.name)]!;
    if (isIdent(n) && n.isLocal && fn.literals.has(n.name)) return structuredClone(fn.literals.get(n.name)!);
    const out: Node = { ...n };
    for (const [k, v] of Object.entries(n)) {
      if (Array.isArray(v)) out[k] = v.map((x) => (isNode(x) ? copy(x) : x));
      else if (isNode(v)) out[k] = copy(v);
    }
    return out;
  };
  return copy(fn.body);
}

/**
 * `local c = require("m")` then `local f = c.name`, at the top of a chunk: f names m's name. Also
 * `local f = function(…) return <expression> end` (a handler passed to a spliced library).
 */
function aliases(chunk: Chunk, modules: Map<string, Map<string, Inlinable>>): Map<string, Inlinable> {
  const required = new Map<string, Map<string, Inlinable>>();
  const out = new Map<string, Inlinable>();
  const assigned = assignedNames(chunk);
  for (const s of chunk.body) {
    if (s.type !== "LocalStatement" || (s.variables as Node[]).length !== 1) continue;
    const v = (s.variables as Identifier[])[0]!;
    const init = (s.init as Node[])[0];
    if (!init || assigned.has(v.name)) continue;
    const name = requiredModule(init);
    if (init.type === "FunctionDeclaration") {
      // The chunk's own function may read its locals that no other local shadows anywhere.
      const fn = oneExpression(init, new Map(), (local) => declarationCount(chunk, local) === 1);
      if (fn) out.set(v.name, fn);
    } else if (name !== undefined) {
      const fns = modules.get(name);
      if (fns) required.set(v.name, fns);
    } else if (
      init.type === "MemberExpression" &&
      init.indexer === "." &&
      isIdent(init.base) &&
      required.has(init.base.name)
    ) {
      const fn = required.get(init.base.name)!.get((init.identifier as Identifier).name);
      if (fn) out.set(v.name, fn);
    }
  }
  return out;
}

const idNames = (list: unknown): string[] =>
  ((list as unknown[] | undefined) ?? []).filter((n) => isIdent(n)).map((i) => (i as Identifier).name);

/** Names a statement declares as locals from there on in its block. */
const declared = (n: Node): string[] => {
  if (n.type === "LocalStatement") return idNames(n.variables);
  if (n.type === "FunctionDeclaration" && n.isLocal && isIdent(n.identifier)) return [n.identifier.name];
  return [];
};

/** Names a function binds as parameters, or a for loop as its variables, for its body. */
const bound = (n: Node): string[] => {
  if (n.type === "FunctionDeclaration" || n.type === "FunctionExpression") return idNames(n.parameters);
  if (n.type === "ForNumericStatement") return idNames([n.variable]);
  if (n.type === "ForGenericStatement") return idNames(n.variables);
  return [];
};

/**
 * Replaces, in `chunk`, calls to functions of the modules it requires that `modules` lists as
 * inlinable. A call is left alone where a local of the same name shadows the alias, where it is
 * a statement of its own, or where its argument count differs.
 */
export function inlineCalls(chunk: Chunk, modules: Map<string, Map<string, Inlinable>>): void {
  const locals = localNames(chunk);
  const fns = new Map([...aliases(chunk, modules)].filter(([, fn]) => !fn.globals.some((g) => locals.has(g.name))));
  const visit = (node: Node, hidden: Set<string>): void => {
    if (node.type === "FunctionDeclaration" || node.type === "FunctionExpression")
      return block(node.body as Node[], new Set([...hidden, ...bound(node)]));
    if (node.type === "RepeatStatement") return; // its condition sees the body's locals; rare, left alone
    for (const [parent, key, child] of children(node)) {
      if (key === "body" || (parent === node.body && Array.isArray(parent))) continue;
      if (parent === node.variables || parent === node.variable) continue; // declarations, not reads
      const read = isIdent(child) && !hidden.has(child.name) ? fns.get(child.name) : undefined;
      if (read?.constant) {
        (parent as Record<string | number, Node>)[key] = structuredClone(read.body);
        continue;
      }
      const fn =
        child.type === "CallExpression" && isIdent(child.base) && !hidden.has(child.base.name)
          ? fns.get(child.base.name)
          : undefined;
      const args = child.arguments as Node[] | undefined;
      if (
        fn &&
        !fn.constant &&
        node.type !== "CallStatement" &&
        args?.length === fn.params.length &&
        !args.some((a) => a.type === "VarargLiteral")
      ) {
        for (const a of args) visit(a, hidden);
        // A constant passed straight in (topic(prefix, id, IN)) is folded too: the parent visit
        // folds only what it finds below an argument, not the argument itself.
        for (let i = 0; i < args.length; i++) {
          const a = args[i]!;
          const c = isIdent(a) && !hidden.has(a.name) ? fns.get(a.name) : undefined;
          if (c?.constant) args[i] = structuredClone(c.body);
        }
        (parent as Record<string | number, Node>)[key] = instantiate(fn, args);
        for (const g of fn.globals) if (!chunk.globals.some((x) => x.name === g.name)) chunk.globals.push(g);
      } else {
        visit(child, hidden);
      }
    }
    if (Array.isArray(node.body)) block(node.body as Node[], new Set([...hidden, ...bound(node)]));
  };
  const block = (statements: Node[], hidden: Set<string>): void => {
    const scope = new Set(hidden);
    for (const s of statements) {
      if (s.type === "FunctionDeclaration" && s.isLocal) for (const n of declared(s)) scope.add(n);
      visit(s, scope);
      for (const n of declared(s)) scope.add(n);
    }
  };
  // The chunk's own top-level locals are the aliases themselves (or shadow them from then on).
  const top = new Set<string>();
  for (const s of chunk.body) {
    visit(s, top);
    const fnLocal = s.type === "LocalStatement" && (s.init as Node[])[0]?.type === "FunctionDeclaration";
    for (const n of declared(s)) if (!fns.has(n) || !(isAlias(s, n) || fnLocal)) top.add(n);
  }
}

/** Every local and parameter name in the chunk: an inlined body's globals must not meet one. */
function localNames(chunk: Chunk): Set<string> {
  const names = new Set<string>();
  for (const n of walk(chunk)) for (const d of [...declared(n), ...bound(n)]) names.add(d);
  return names;
}
