// The unminified build (--no-minify): TSTL's lines as they are, less what costs the board and
// helps no one reading an error. Comments and indentation cost SPIFFS bytes and, more
// importantly, parse time and RAM on a 40 KB heap, so they are removed.
import type { MappedLua } from "../line-marks.ts";
import type { Origins } from "../source-maps.ts";

/**
 * Drops comment lines, indentation and blank lines, keeping each kept line's TS origin. Safe for
 * TSTL output only: TSTL prints every string literal on one line (newlines escaped) and never
 * puts code after a comment.
 */
export function shrinkLua(source: string, origins?: Origins): MappedLua {
  const out: string[] = [];
  const lines: MappedLua["lines"] = [];
  for (const [i, line] of source.split("\n").entries()) {
    const code = line.trim();
    if (code === "" || (code.startsWith("--") && !code.startsWith("--[["))) continue;
    out.push(code);
    lines.push(origins?.(i + 1, line.length - line.trimStart().length));
  }
  return { code: out.join("\n") + "\n", lines, names: {} };
}
