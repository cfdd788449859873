// The error map of one built module (host/errmap/map-file.ts has the format): its lines' TS
// origins with each source file's hash, so the mapper can tell a source edited since the build.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { type ModuleMap, type Place, sha256 } from "../../host/errmap/map-file.ts";
import type { LineOrigin, MappedLua } from "./line-marks.ts";
import type { Origin } from "./source-maps.ts";

/**
 * A line's origins with the module's own source first (app.ts for app.lua): where a library's
 * statement (the session, spliced in) holds the app's code written in (its handler, inlined), an
 * error on that line is most likely in the app's code, and the app's line is the one to show.
 */
function ownFirst(module: string, o: LineOrigin): LineOrigin {
  const own = (x: Origin) => basename(x.file).replace(/\.ts$/, "") === module.replace(/\.lua$/, "");
  const mine = own(o) ? undefined : o.inlined?.find(own);
  if (!mine) return o;
  return {
    ...mine,
    inlined: [{ file: o.file, line: o.line, column: o.column }, ...(o.inlined ?? []).filter((x) => x !== mine)],
  };
}

export function moduleMap(module: string, mapped: MappedLua): ModuleMap {
  const paths: string[] = [];
  const index = (path: string) => (paths.includes(path) ? paths.indexOf(path) : paths.push(path) - 1);
  const place = (o: Origin): Place => [index(o.file), o.line, o.column];
  const entry = (o: LineOrigin): ModuleMap["lines"][number] =>
    o.inlined ? [...place(o), o.inlined.map(place)] : place(o);
  const lines = mapped.lines.map((o) => (o ? entry(ownFirst(module, o)) : null));
  const sources = paths.map((path) => ({ path, sha256: sha256(readFileSync(path)) }));
  return { version: 1, module, sources, lines, names: mapped.names };
}
