// Line breaks in the minified build where the TypeScript line changes, and what each output line
// came from. luamin prints a module on one line, so every board error said `app.lua:1`. Before
// luamin, a marker call goes in front of each statement whose TS line differs from the one
// printed before it; after luamin, each marker becomes a line break (in place of the `;` or
// space luamin put there, so mostly at no cost) and its origin is recorded for that line. luamin
// itself stays the printer, so the renaming of locals, and the board's heap, are unchanged.
import luaparse, { type Chunk, type Identifier, type Node } from "luaparse";
import { isIdent, isNode, walk } from "./lua-tree.ts";
import type { Origin, Origins } from "./source-maps.ts";

/** Where an output line came from, and the code of other places (functions inlined from them) written into it. */
export interface LineOrigin extends Origin {
  inlined?: Origin[];
}

/** A module as printed for the board: its code, each line's TS origin (index 0 is line 1), and minified local → source name. */
export interface MappedLua {
  code: string;
  lines: (LineOrigin | undefined)[];
  names: Record<string, string>;
}

/** A global name no TSTL output uses (its own temporaries start `____` and then a lower-case word). */
const MARK = "____MCU_LINE_";
const MARKS = /[ ;]?____MCU_LINE_(\d+)\(\)/g;
/** `____session_` of `____session_client`: the prefix splice-library.ts gives a library's locals. */
const SPLICED = /^____[a-z]\w*?_(?=[A-Za-z_])/;

/** Records on every node which module (Lua file name) it was parsed from, so it keeps that when a pass moves it into another. */
export function tagModule(chunk: Chunk, file: string): void {
  for (const n of walk(chunk)) n.module = file;
}

function originOf(node: Node, origins: Map<string, Origins>): Origin | undefined {
  const start = (node.loc as { start: { line: number; column: number } } | undefined)?.start;
  return start && origins.get(node.module as string)?.(start.line, start.column);
}

const sameLine = (a: Origin, b: Origin): boolean => a.file === b.file && a.line === b.line;

function marker(i: number): Node {
  return {
    type: "CallStatement",
    expression: { type: "CallExpression", base: { type: "Identifier", name: MARK + i, isLocal: false }, arguments: [] },
  };
}

/**
 * Puts a marker before each statement (in luamin's printing order) whose TS file and line differ
 * from the previous statement's; returns the markers' origins by number. A statement a pass made
 * has no position and stays on the line before it. An expression from another module than its
 * statement's (a function inlined, passes/inline-calls.ts) is noted on its line: an error in it
 * is reported at this line.
 */
function mark(chunk: Chunk, origins: Map<string, Origins>): LineOrigin[] {
  const marks: LineOrigin[] = [];
  const note = (o: Origin | undefined) => {
    const line = marks[marks.length - 1];
    if (!o || !line || sameLine(o, line) || line.inlined?.some((i) => sameLine(i, o))) return;
    line.inlined = [...(line.inlined ?? []), o];
  };
  const visit = (node: Node, from: unknown): void => {
    if (node.module !== from) note(originOf(node, origins));
    for (const [key, value] of Object.entries(node)) {
      if (key === "body" && Array.isArray(value)) {
        node.body = (value as Node[]).flatMap((s) => {
          const o = originOf(s, origins);
          const last = marks[marks.length - 1];
          const out = o && !(last && sameLine(o, last)) ? [marker(marks.push({ ...o }) - 1), s] : [s];
          visit(s, s.module);
          return out;
        });
      } else if (Array.isArray(value)) {
        for (const v of value) if (isNode(v)) visit(v, node.module);
      } else if (isNode(value)) {
        visit(value, node.module);
      }
    }
  };
  visit(chunk, chunk.module);
  return marks;
}

/** The markers in luamin's output turned into line breaks, with each line's origin. */
function unmark(code: string, marks: LineOrigin[]): { code: string; lines: (LineOrigin | undefined)[] } {
  const lines: (LineOrigin | undefined)[] = [undefined];
  let out = "";
  let at = 0;
  for (const m of code.matchAll(MARKS)) {
    out += code.slice(at, m.index);
    at = m.index + m[0].length;
    if (out.length > 0) {
      out += "\n";
      lines.push(undefined);
    }
    lines[lines.length - 1] = marks[Number(m[1])];
  }
  return { code: out + code.slice(at), lines };
}

/**
 * Minified name → source name of the chunk's locals, from the identifiers of the tree and of
 * luamin's output side by side (luamin gives each source name one short name for the whole
 * chunk). Empty when the two do not pair up, rather than wrong.
 */
function renames(chunk: Chunk, printed: string): Record<string, string> {
  const ids = (root: Node) => [...walk(root)].filter((n): n is Identifier => isIdent(n) && !n.name.startsWith(MARK));
  const before = ids(chunk);
  const after = ids(luaparse.parse(printed, { scope: true, comments: false }));
  if (before.length !== after.length) return {};
  const names: Record<string, string> = {};
  for (let i = 0; i < before.length; i++) {
    const [source, short] = [before[i]!.name, after[i]!.name];
    if (source === short) continue;
    if (!before[i]!.isLocal || (names[short] ?? source) !== source) return {};
    names[short] = source;
  }
  // A spliced library's locals carry its module's prefix (passes/splice-library.ts); its source says the bare name.
  for (const [short, source] of Object.entries(names)) names[short] = source.replace(SPLICED, "");
  return names;
}

/** Prints `chunk` with luamin (`minify`), broken into lines where its TS line changes (when `origins` knows its modules). */
export function printMapped(chunk: Chunk, origins: Map<string, Origins>, minify: (chunk: Chunk) => string): MappedLua {
  const marks = origins.size > 0 ? mark(chunk, origins) : [];
  const { code, lines } = unmark(minify(chunk), marks);
  return { code: code + "\n", lines, names: origins.size > 0 ? renames(chunk, code) : {} };
}
