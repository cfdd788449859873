// TSTL gives every module an export table, even one that exports nothing.
import type { Chunk, Node } from "luaparse";
import { isIdent, walk } from "../lua-tree.ts";

/**
 * A module that exports nothing (init, app) still gets TSTL's `local ____exports = {}` and
 * `return ____exports`; require would keep that empty table in package.loaded for good.
 */
export function dropEmptyExports(chunk: Chunk): void {
  const uses = [...walk(chunk)].filter((n) => isIdent(n, "____exports")).length;
  const [first, last] = [chunk.body[0], chunk.body[chunk.body.length - 1]];
  const declares = first?.type === "LocalStatement" && isIdent((first.variables as Node[])[0], "____exports");
  const returns = last?.type === "ReturnStatement" && isIdent((last.arguments as Node[])[0], "____exports");
  if (uses === 2 && declares && returns) chunk.body = chunk.body.slice(1, -1);
}
