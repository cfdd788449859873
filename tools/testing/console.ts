// The board's console as a test reads it: lines, without the ROM loader's noise. Every console
// line a test sees goes through consoleLines, so a mapping of the board's Lua errors back to the
// TypeScript lines they came from plugs in here, and nowhere else.
import { markNoise } from "../serial/monitor.ts";

/**
 * The console text `raw` (bytes as latin1, as the board wrote them) as lines. `buildDir` is the
 * build the board runs (its Lua files and manifest.json), for mapping its errors to the sources.
 */
export function consoleLines(raw: string, _buildDir: string | undefined): string[] {
  const text = markNoise(Buffer.from(raw, "latin1").toString("utf8")).replace(/\r/g, "");
  return text.split("\n");
}
