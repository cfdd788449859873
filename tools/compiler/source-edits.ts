// Edits to Lua text at offsets taken from its parsed tree (luaparse's `range`). The passes that run
// before the minifier decide on the tree but change the text only where they decide: the rest
// keeps TSTL's lines byte for byte, which the unminified build ships (errors on the board point at
// readable lines) and which the version hash is taken over.

/** Replace code[from, to) with text. */
export interface Edit {
  from: number;
  to: number;
  text: string;
}

const isBlank = (c: string | undefined): boolean => c === " " || c === "\t";

/**
 * Where the line holding `at` begins, when only spaces or tabs stand before `at` on it (a
 * statement alone on its line takes its indentation with it); else `at`.
 */
export function lineStart(code: string, at: number): number {
  let i = at;
  while (i > 0 && isBlank(code[i - 1])) i--;
  return i === 0 || code[i - 1] === "\n" ? i : at;
}

/** True when only spaces or tabs stand before `at` on its line. */
export function startsLine(code: string, at: number): boolean {
  const from = lineStart(code, at);
  return from !== at || at === 0 || code[at - 1] === "\n";
}

/** Just past the line break after `at`, when only spaces or tabs come before it; else `at`. */
export function lineEnd(code: string, at: number): number {
  let i = at;
  while (isBlank(code[i])) i++;
  return code[i] === "\n" ? i + 1 : at;
}

/** Past `word` at `at`, after any white space; throws when the text there is something else. */
export function pastWord(code: string, at: number, word: string): number {
  let i = at;
  while (isBlank(code[i]) || code[i] === "\n" || code[i] === "\r") i++;
  if (code.startsWith(word, i)) return i + word.length;
  throw new Error(`expected "${word}" at offset ${i} of the generated Lua`);
}

/** The text with every edit made; edits must not overlap. */
export function applyEdits(code: string, edits: Edit[]): string {
  const sorted = [...edits].sort((a, b) => a.from - b.from);
  let out = "";
  let at = 0;
  for (const e of sorted) {
    if (e.from < at) throw new Error(`overlapping edits at offset ${e.from} of the generated Lua`);
    out += code.slice(at, e.from) + e.text;
    at = e.to;
  }
  return out + code.slice(at);
}
