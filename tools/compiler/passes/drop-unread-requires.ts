// Inlining can leave a required module of constants and functions unread: then the require goes.
import type { Chunk, Node } from "luaparse";
import { isIdent, LITERALS, nameCounts, requiredModule, unreadLocal } from "../lua-tree.ts";

/** What a chunk's statement may be for requiring the chunk to do nothing but define things. */
function defines(s: Node): boolean {
  const values = [...((s.init as Node[] | undefined) ?? [])];
  if (s.type === "LocalStatement")
    return values.every(
      (v) => LITERALS.has(v.type) || v.type === "TableConstructorExpression" || v.type === "FunctionDeclaration",
    );
  if (s.type === "FunctionDeclaration" || s.type === "ReturnStatement") return true;
  if (s.type !== "AssignmentStatement") return false;
  const intoExports = (s.variables as Node[]).every(
    (v) => v.type === "MemberExpression" && isIdent(v.base, "____exports"),
  );
  return intoExports && values.every((v) => LITERALS.has(v.type) || v.type === "FunctionDeclaration" || isIdent(v));
}

/** A module (contract.lua) that only defines constants and functions: requiring it has no effect of its own. */
export const definesOnly = (chunk: Chunk): boolean => chunk.body.every(defines);

/**
 * Drops `local m = require("name")` once inlining has left `m` unread, for a module in `inert`
 * (definesOnly): the board then need not load it, nor even hold it on flash when nothing else
 * requires it.
 */
export function dropUnreadRequires(chunk: Chunk, inert: Set<string>): void {
  const counts = nameCounts(chunk);
  chunk.body = chunk.body.filter((s) => {
    const module = requiredModule((s.init as Node[] | undefined)?.[0]);
    return !(module !== undefined && inert.has(module) && unreadLocal(counts, s) !== undefined);
  });
}
