// Build switches: features a device turns on in device.json (updates over MQTT, their shared
// secret) that a board without them should not pay a byte of flash or heap for. The firmware tests
// one with `if (BUILD_X) { … }` (declared in firmware/src/switches.d.ts); the build keeps the body
// or the else part and drops the test before it decides which modules ship: a module required
// only inside a switched-off block is not shipped at all. Locals only the dropped part used go in
// the next pass (drop-unread-locals.ts).
//
// The blocks are found on luaparse's tree, whatever TSTL's layout, nesting included; the text is
// then cut at their ranges, so what stays is TSTL's text byte for byte (the unminified build ships
// it, and the version is a hash of it).
import type { Node } from "luaparse";
import { BuildError } from "../errors.ts";
import { isIdent, nameCounts, parseLua, rangeOf, walk } from "../lua-tree.ts";
import { applyEdits, type Edit, lineEnd, lineStart, pastWord, startsLine } from "../source-edits.ts";

/** The switches' values, by the name the firmware tests. */
export type Switches = Record<string, boolean>;

/** A switch's `if`: what to cut (the whole statement) and what of it to keep. */
interface Fold {
  cut: [number, number];
  keep?: [number, number];
}

/**
 * `if NAME then … [else …] end` with NAME one of the switches, as a Fold; undefined for any other
 * statement (an `elseif`, or a condition that is more than the name, is left for the check).
 */
function foldOf(code: string, s: Node, switches: Switches): Fold | undefined {
  if (s.type !== "IfStatement") return undefined;
  const [first, other, ...more] = s.clauses as Node[];
  const cond = first?.condition;
  if (!isIdent(cond) || cond.isLocal || !Object.hasOwn(switches, cond.name)) return undefined;
  if (more.length > 0 || (other !== undefined && other.type !== "ElseClause")) return undefined;
  const [start, end] = rangeOf(s);
  const endWord = end - "end".length;
  // A keyword's indentation and line break go with it when it stands alone on its line, as TSTL
  // writes them; a line break after `end` goes when what is kept ends a line too, or nothing is
  // kept of a statement that began its line: no blank line is left, and no two lines are joined.
  const from = lineStart(code, start);
  const thenEnd = lineEnd(code, pastWord(code, rangeOf(cond)[1], "then"));
  const elseWord = other ? rangeOf(other)[0] : undefined;
  const to = (kept: boolean) =>
    (kept ? startsLine(code, endWord) : startsLine(code, start)) ? lineEnd(code, end) : end;
  if (switches[cond.name]) return { cut: [from, to(true)], keep: [thenEnd, lineStart(code, elseWord ?? endWord)] };
  if (elseWord === undefined) return { cut: [from, to(false)] };
  return { cut: [from, to(true)], keep: [lineEnd(code, pastWord(code, elseWord, "else")), lineStart(code, endWord)] };
}

/**
 * Folds every `if NAME then … [else …] end` of a module's Lua (`name` for messages) to the part
 * its switch keeps. Any other use of a switch's name is a build error: the board has no such
 * global.
 */
export function foldSwitches(name: string, code: string, switches: Switches): string {
  const edits: Edit[] = [];
  const dropped: [number, number][] = [];
  // The walk meets an outer `if` before those inside it; one inside a dropped part goes with it.
  for (const n of walk(parseLua(code))) {
    const fold = foldOf(code, n, switches);
    if (!fold || dropped.some(([a, b]) => a <= fold.cut[0] && fold.cut[1] <= b)) continue;
    const parts: [number, number][] = fold.keep
      ? [
          [fold.cut[0], fold.keep[0]],
          [fold.keep[1], fold.cut[1]],
        ]
      : [fold.cut];
    for (const [from, to] of parts) {
      edits.push({ from, to, text: "" });
      dropped.push([from, to]);
    }
  }
  const out = applyEdits(code, edits);
  const left = nameCounts(parseLua(out));
  for (const flag of Object.keys(switches)) {
    if (left.has(flag))
      throw new BuildError(
        `${name}: ${flag} is a build switch: test it only as the whole condition of an if statement, without elseif`,
      );
  }
  return out;
}
