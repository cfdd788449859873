// TSTL's source maps (one per module, TSTL's Lua line and column → TypeScript position), read
// into lookups the build's printer asks synchronously for each statement it prints.
import { dirname, resolve } from "node:path";
import { SourceMapConsumer } from "source-map";

/** A TypeScript position: an absolute file path, a 1-based line and a 1-based column. */
export interface Origin {
  file: string;
  line: number;
  column: number;
}

/** Where a module's TSTL output (1-based line, 0-based column) came from, when the map says. */
export type Origins = (line: number, column: number) => Origin | undefined;

/** The TS position of each mapped TSTL line's mappings, by column, for one module. */
async function readMap(mapFile: string, text: string, restore: (path: string) => string): Promise<Origins> {
  const byLine = new Map<number, { column: number; origin: Origin }[]>();
  const consumer = await new SourceMapConsumer(JSON.parse(text));
  try {
    consumer.eachMapping((m) => {
      if (m.source === null || m.originalLine === null) return;
      const file = restore(resolve(dirname(mapFile), m.source));
      const list = byLine.get(m.generatedLine) ?? [];
      list.push({ column: m.generatedColumn, origin: { file, line: m.originalLine, column: m.originalColumn + 1 } });
      byLine.set(m.generatedLine, list);
    });
  } finally {
    consumer.destroy();
  }
  // The mapping at or before the column, else the line's first: a statement starts where TSTL
  // put its first token, which the map may place a few columns on.
  return (line, column) => {
    const list = byLine.get(line);
    if (!list) return undefined;
    return (list.findLast((m) => m.column <= column) ?? list[0])!.origin;
  };
}

/**
 * Each module's lookup, by its Lua file name, from TSTL's `<name>.lua.map` outputs (keyed by the
 * path TSTL wrote them to); `restore` turns a staged source path back into the user's own.
 */
export async function readSourceMaps(
  maps: Map<string, string>,
  restore: (path: string) => string,
): Promise<Map<string, Origins>> {
  const out = new Map<string, Origins>();
  for (const [path, text] of maps)
    out.set(path.replace(/^.*\//, "").replace(/\.map$/, ""), await readMap(path, text, restore));
  return out;
}
