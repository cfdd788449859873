// --match's glob (`*` any run of characters, `?` one) without a regular expression: `^.*a.*a…b$`
// backtracks exponentially (nine stars on 5,000 ids took 48 s), this never goes back.

/** How many character comparisons the matchers made: for tests, which check the bound. */
export const globSteps = { count: 0 };

/**
 * A test for whole ids against `pattern`. The pattern splits at its stars into pieces; the first
 * must start the id, the last end it, and each one between is taken at its leftmost place after
 * the one before (leftmost is never worse for what follows). No piece is tried twice at one
 * place, so an id of n characters costs at most n × (pattern length) comparisons, whatever the
 * pattern; runs of stars count as one.
 */
export function globMatcher(pattern: string): (id: string) => boolean {
  const pieces = pattern.split("*").map((p) => [...p]);
  if (pieces.length === 1) {
    const only = pieces[0]!;
    return (id) => {
      const s = [...id];
      return s.length === only.length && fitsAt(only, s, 0);
    };
  }
  const first = pieces[0]!;
  const last = pieces[pieces.length - 1]!;
  const middle = pieces.slice(1, -1).filter((p) => p.length > 0);
  return (id) => {
    const s = [...id];
    const end = s.length - last.length;
    if (end < first.length || !fitsAt(first, s, 0) || !fitsAt(last, s, end)) return false;
    let at = first.length;
    for (const piece of middle) {
      let found = -1;
      for (let i = at; i + piece.length <= end; i++) {
        if (fitsAt(piece, s, i)) {
          found = i;
          break;
        }
      }
      if (found < 0) return false;
      at = found + piece.length;
    }
    return true;
  };
}

/** Whether `piece` (`?` any one character) matches `s` at `at`. */
function fitsAt(piece: string[], s: string[], at: number): boolean {
  for (let j = 0; j < piece.length; j++) {
    globSteps.count++;
    const c = piece[j]!;
    if (c !== "?" && c !== s[at + j]) return false;
  }
  return true;
}
