// A library releases the modules it read (`package.loaded.contract = nil`) so the board can free
// them. A module the build wrote into its users, or inlined away, never reaches the board: its
// release would cost the app two constants and three instructions to clear what is not there.
import type { Chunk, Node } from "luaparse";
import { isIdent } from "../lua-tree.ts";

/** The module `package.loaded.NAME = nil` releases, or undefined for any other statement. */
function released(s: Node): string | undefined {
  const [target, value] = [(s.variables as Node[] | undefined)?.[0], (s.init as Node[] | undefined)?.[0]];
  if (s.type !== "AssignmentStatement" || (s.variables as Node[]).length !== 1 || value?.type !== "NilLiteral")
    return undefined;
  if (target?.type !== "MemberExpression" || target.indexer !== "." || !isIdent(target.identifier)) return undefined;
  const base = target.base as Node;
  const isLoaded =
    base.type === "MemberExpression" &&
    isIdent(base.base, "package") &&
    base.base.isLocal !== true &&
    isIdent(base.identifier, "loaded");
  return isLoaded ? target.identifier.name : undefined;
}

/** Drops the releases of `gone`: modules of this build that do not ship. */
export function dropUnshippedReleases(chunk: Chunk, gone: ReadonlySet<string>): void {
  chunk.body = chunk.body.filter((s) => {
    const name = released(s);
    return name === undefined || !gone.has(name);
  });
}
