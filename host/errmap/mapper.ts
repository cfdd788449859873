// Board output in TypeScript terms. A board's Lua error names its minified Lua (`app.lua:1:
// attempt to index local 'J'`); with the build folder's error maps (map-file.ts) each location
// becomes the TypeScript file, line and column, an error line gets the source line under it, and
// a renamed local gets its source name. Serial consoles and anything else that shows board output
// (a published log) pass their text through; what cannot be mapped passes unchanged.
import { existsSync, readFileSync } from "node:fs";
import { relative } from "node:path";
import { type ModuleMap, type Place, readModuleMap, sha256 } from "./map-file.ts";

/** `app.lua:12` (or a compiled app.lc) before the `:` of an error or the `>` of `<app.lua:3>`; not the emulator's own `emulator/x.lua`. */
const LOCATION = /(?<![\w./-])([\w-]+)\.(?:lua|lc):(\d+)(?=[:>])/g;
/** A line that starts with a location (an error; the REPL's prompt may stand before it), or a PANIC line: these get the source line under them. */
const ERROR_LINE = /^(?:>+ )*(?:PANIC\b|(?:lua: )?[\w-]+\.(?:lua|lc):\d)/;
/** The name a Lua 5.1 error gives a renamed variable. */
const RENAMED = /\b(local|upvalue) '([\w]+)'/g;

interface Found {
  text: string;
  map: ModuleMap;
  /** The source line, and those of functions inlined into the line, to show under an error. */
  code: string[];
  stale?: string;
}

/** A path as the user reads it: relative to where they are, unless that climbs out further than it saves. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith("../../") ? path : rel;
}

const unchanged = (s: { path: string; sha256: string }): boolean =>
  existsSync(s.path) && sha256(readFileSync(s.path)) === s.sha256;

/** `file:line:col | code` of a place in the map's sources. */
function sourceLine(map: ModuleMap, [i, line, column]: Place): string {
  const path = map.sources[i]!.path;
  const text = readFileSync(path, "utf8").split("\n")[line - 1]?.trim() ?? "";
  return `${shown(path)}:${line}:${column} | ${text}`;
}

/** The TS location of `module`:`line`, or why not (a source edited since the build). */
function locate(dir: string, module: string, line: number): Found | undefined {
  const map = readModuleMap(dir, `${module}.lua`);
  const at = map?.lines[line - 1];
  if (!map || !at) return undefined;
  const [i, tsLine, column, inlined = []] = at;
  const places: Place[] = [[i, tsLine, column], ...inlined];
  const sources = places.map(([s]) => map.sources[s]);
  if (sources.some((s) => s === undefined)) return undefined;
  const stale = sources.find((s) => !unchanged(s!));
  if (stale) {
    const why = `${shown(stale.path)} changed since the build; line numbers may be off, so ${module}.lua:${line} is left as the board said it (build again)`;
    return { text: "", map, code: [], stale: why };
  }
  const code = places.map((p, n) => `  ${n === 0 ? "" : "inlined: "}${sourceLine(map, p)}`);
  return { text: `${shown(sources[0]!.path)}:${tsLine}:${column}`, map, code };
}

/** One line of board output (without its line end) in TS terms, with any lines to add under it. */
export function mapLine(dir: string, line: string): string {
  let first: Found | undefined;
  const mapped = line.replace(LOCATION, (whole, module: string, n: string) => {
    const found = locate(dir, module, Number(n));
    first ??= found;
    return found && !found.stale ? found.text : whole;
  });
  if (!first) return line;
  if (first.stale) return `${line}\n  (${first.stale})`;
  const names = first.map.names;
  const named = mapped.replace(RENAMED, (whole, kind: string, short: string) =>
    names[short] ? `${kind} '${names[short]}'` : whole,
  );
  return ERROR_LINE.test(line) ? [named, ...first.code].join("\n") : named;
}

/** How long a partial line waits for its end before it is shown as it is (a prompt, typed echo). */
const PARTIAL_MS = 50;

/**
 * A filter for a stream of board output to `write`: complete lines are mapped (from the maps in
 * build folder `dir`, read when an error shows, so a rebuild is picked up); the rest of a line
 * waits for its end, or briefly, unless it already looks like an error, which waits for its end.
 */
export function errorMapper(dir: string, write: (text: string) => void): { write(text: string): void; flush(): void } {
  let held = "";
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    clearTimeout(timer);
    if (held) write(held);
    held = "";
  };
  return {
    write(text) {
      clearTimeout(timer);
      const all = held + text;
      const end = all.lastIndexOf("\n") + 1;
      held = all.slice(end);
      if (end > 0) {
        const lines = all.slice(0, end - 1).split("\n");
        write(
          lines
            .map((l) =>
              l.endsWith("\r") ? mapLine(dir, l.slice(0, -1)).replace(/\n/g, "\r\n") + "\r" : mapLine(dir, l),
            )
            .join("\n") + "\n",
        );
      }
      if (held && !(ERROR_LINE.test(held.trimStart()) || held.startsWith("\t"))) timer = setTimeout(flush, PARTIAL_MS);
    },
    flush,
  };
}
