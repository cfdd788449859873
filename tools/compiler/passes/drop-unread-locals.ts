// A local the firmware declares for a switched-off feature (`let x: T;`, assigned only inside an
// `if (BUILD_X)` block) would still cost the board a slot and a debug entry once the block is
// gone; TSTL also hoists a chunk's forward-referenced locals into one `local a, b, …`, where such a
// name sits with names still in use. Runs after fold-switches.ts, on the text it leaves.
import type { Identifier, Node } from "luaparse";
import { nameCounts, parseLua, rangeOf, walk } from "../lua-tree.ts";
import { applyEdits, type Edit, lineEnd, lineStart, startsLine } from "../source-edits.ts";

/**
 * Drops the names of `local a, b` declarations without a value that nothing reads or writes:
 * a name seen anywhere else in the chunk, even an inner local of the same name, stays (names, not
 * scopes, are compared: what stays is never wrong). A declaration left with no name goes, with its
 * line; the rest of the text is unchanged.
 */
export function dropUnreadLocals(code: string): string {
  const chunk = parseLua(code);
  const counts = nameCounts(chunk);
  const edits: Edit[] = [];
  for (const s of walk(chunk)) {
    if (s.type !== "LocalStatement" || (s.init as Node[]).length > 0) continue;
    const names = (s.variables as Identifier[]).map((v) => v.name);
    const own = (n: string) => names.filter((x) => x === n).length;
    const kept = names.filter((n) => counts.get(n)! > own(n));
    if (kept.length === names.length) continue;
    const [from, to] = rangeOf(s);
    if (kept.length > 0) edits.push({ from, to, text: `local ${kept.join(", ")}` });
    else edits.push({ from: lineStart(code, from), to: startsLine(code, from) ? lineEnd(code, to) : to, text: "" });
  }
  return applyEdits(code, edits);
}
