// `local client, out = c, tOut`, as a spliced library's multiple return leaves it in the app: a
// second name for a value that never changes. Every callback that reads the alias keeps it as an
// upvalue of its own for good, beside the original's; reading the original instead costs nothing.
import type { Chunk, Node } from "luaparse";
import { bindingCount, declarationCount, isIdent, walk } from "../lua-tree.ts";

/**
 * Whether top-level local `name` holds one value from the chunk's statement `at` on: bound once
 * (declared with its value), or declared bare and assigned once by an earlier top-level statement.
 */
function settledBy(chunk: Chunk, name: string, at: number): boolean {
  if (declarationCount(chunk, name) !== 1) return false;
  const bindings = bindingCount(chunk, name);
  if (bindings === 1) return true;
  const assignedAt = chunk.body.findIndex(
    (s) =>
      (s.type === "AssignmentStatement" && (s.variables as Node[]).some((v) => isIdent(v, name))) ||
      (s.type === "FunctionDeclaration" && isIdent(s.identifier, name)),
  );
  return bindings === 2 && assignedAt >= 0 && assignedAt < at;
}

/** Renames every read of `from` to `to` (never a field name). */
function rename(chunk: Chunk, from: string, to: string): void {
  for (const n of walk(chunk)) if (isIdent(n, from)) n.name = to;
}

/** Drops top-level `local a = b` where neither a nor b changes afterwards and nothing shadows b, reading b for a. */
export function inlineLocalAliases(chunk: Chunk): void {
  for (let at = 0; at < chunk.body.length; at++) {
    const s = chunk.body[at]!;
    const vars = (s.variables as Node[] | undefined) ?? [];
    const init = (s.init as Node[] | undefined) ?? [];
    if (s.type !== "LocalStatement" || vars.length !== init.length) continue;
    for (let k = vars.length - 1; k >= 0; k--) {
      const [a, b] = [vars[k], init[k]];
      if (
        !isIdent(a) ||
        !isIdent(b) ||
        b.isLocal !== true ||
        bindingCount(chunk, a.name) !== 1 ||
        declarationCount(chunk, a.name) !== 1
      )
        continue;
      if (!settledBy(chunk, b.name, at)) continue;
      vars.splice(k, 1);
      init.splice(k, 1);
      rename(chunk, a.name, b.name);
    }
    if (vars.length === 0) chunk.body.splice(at--, 1);
  }
}
