// Inlining leaves `local NAME = module.NAME` aliases, and local functions it wrote in place of
// their calls (a spliced library's handler), that nothing reads any more.
import type { Chunk, Node } from "luaparse";
import { isAlias, nameCounts, unreadLocal } from "../lua-tree.ts";

/**
 * Drops `local NAME = module.NAME` aliases that inlining left unread: each would still cost the
 * board a table read, a constant and a local's debug entry, and on-demand modules (ota.lua) must
 * stay small enough for node.compile on a board whose app already holds most of the heap. A name
 * seen anywhere else (even an inner local of the same name) keeps its alias.
 */
export function dropUnreadAliases(chunk: Chunk): void {
  const counts = nameCounts(chunk);
  chunk.body = chunk.body.filter((s) => {
    const name = unreadLocal(counts, s);
    const fn = (s.init as Node[] | undefined)?.[0]?.type === "FunctionDeclaration";
    return !(name !== undefined && (isAlias(s, name) || fn));
  });
}
