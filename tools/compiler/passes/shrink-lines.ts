// The unminified build (--no-minify): TSTL's lines as they are, less what costs the board and
// helps no one reading an error. Comments and indentation cost SPIFFS bytes and, more
// importantly, parse time and RAM on a 40 KB heap, so they are removed.

/**
 * Drops comment lines, indentation and blank lines. Safe for TSTL output only: TSTL prints every
 * string literal on one line (newlines escaped) and never puts code after a comment.
 */
export function shrinkLua(source: string): string {
  const out: string[] = [];
  for (const line of source.split("\n")) {
    const code = line.trim();
    if (code === "" || (code.startsWith("--") && !code.startsWith("--[["))) continue;
    out.push(code);
  }
  return out.join("\n") + "\n";
}
