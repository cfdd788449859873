// The error map the build writes beside each module it builds (build/lua/app.lua.map): which
// TypeScript line each line of the board's Lua came from. It stays on the PC: the manifest lists
// it apart from the board's files, so no upload sends it. docs/build.md describes the format.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** [source index, TS line, TS column] */
export type Place = [number, number, number];

export interface ModuleMap {
  version: 1;
  /** The board's file, e.g. app.lua. */
  module: string;
  /** The TypeScript files the lines name, by absolute path, each with its SHA-256 at build time. */
  sources: { path: string; sha256: string }[];
  /**
   * Per line of the module (index 0 is line 1): [source index, TS line, TS column], then the
   * [source, line, column] of each function inlined into that line, if any; null when unknown.
   */
  lines: (Place | [...Place, Place[]] | null)[];
  /** Minified local name → the name in the source (luamin renames locals). */
  names: Record<string, string>;
}

/** The map's file name for a board file. */
export const mapName = (module: string): string => `${module}.map`;

export const sha256 = (data: string | Buffer): string => createHash("sha256").update(data).digest("hex");

/** The map of `module` in build folder `dir`, or undefined when there is none (or it is not one). */
export function readModuleMap(dir: string, module: string): ModuleMap | undefined {
  try {
    const map = JSON.parse(readFileSync(join(dir, mapName(module)), "utf8")) as ModuleMap;
    return map.version === 1 && Array.isArray(map.lines) && Array.isArray(map.sources) ? map : undefined;
  } catch {
    return undefined;
  }
}
