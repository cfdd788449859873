// The error map of one built module (host/errmap/map-file.ts has the format): its lines' TS
// origins with each source file's hash, so the mapper can tell a source edited since the build.
import { readFileSync } from "node:fs";
import { type ModuleMap, type Place, sha256 } from "../../host/errmap/map-file.ts";
import type { MappedLua } from "./line-marks.ts";
import type { Origin } from "./source-maps.ts";

export function moduleMap(module: string, mapped: MappedLua): ModuleMap {
  const paths: string[] = [];
  const index = (path: string) => (paths.includes(path) ? paths.indexOf(path) : paths.push(path) - 1);
  const place = (o: Origin): Place => [index(o.file), o.line, o.column];
  const lines = mapped.lines.map((o): ModuleMap["lines"][number] => (o ? (o.inlined ? [...place(o), o.inlined.map(place)] : place(o)) : null));
  const sources = paths.map((path) => ({ path, sha256: sha256(readFileSync(path)) }));
  return { version: 1, module, sources, lines, names: mapped.names };
}
