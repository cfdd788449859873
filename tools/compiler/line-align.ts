// Which line of TSTL's output each line of an edited copy came from. The passes that fold build
// switches and drop unread locals edit the text (source-edits.ts), removing whole lines, so a
// line's number no longer matches TSTL's source map; the lines left are TSTL's, in order.
import type { Origins } from "./source-maps.ts";

/**
 * For each line of `after` (index 0 is line 1), the 1-based line of `before` it is: the longest
 * common subsequence of the two texts' lines, and a line edited in place takes the line after
 * the last one matched. Modules are a few hundred lines, so the quadratic table is small.
 */
export function alignLines(before: string, after: string): number[] {
  const a = before.split("\n");
  const b = after.split("\n");
  // common[i][j]: the longest common subsequence of a[i..] and b[j..].
  const common = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      common[i]![j] = a[i] === b[j] ? common[i + 1]![j + 1]! + 1 : Math.max(common[i + 1]![j]!, common[i]![j + 1]!);
    }
  }
  const out: number[] = [];
  let i = 0;
  for (let j = 0; j < b.length; j++) {
    while (i < a.length && a[i] !== b[j] && common[i + 1]![j]! >= common[i]![j + 1]!) i++;
    out.push(Math.min(i, a.length - 1) + 1);
    if (i < a.length) i++;
  }
  return out;
}

/** `origins` of TSTL's text, asked about lines of the edited copy (`lines` from alignLines). */
export function realigned(origins: Origins, lines: number[]): Origins {
  return (line, column) => origins(lines[line - 1] ?? line, column);
}
