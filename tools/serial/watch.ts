// ./flash.sh --watch: after the first flash, show the console; on every save under the sources
// (or of the config), build again and flash what changed, then show the console again. A build
// that fails is shown and the board is left alone, running the last good build; so is a flash
// that fails before its rename step (docs/upload.md). Ctrl-] or Ctrl-C quits.
import { type FSWatcher, watch as fsWatch } from "node:fs";
import { EXIT } from "../../host/kit/index.ts";
import type { Firmware } from "../compiler/manifest.ts";
import { monitor } from "./monitor.ts";

/** Quiet time after the last file event before building: editors write a file in several steps. */
const SETTLE_MS = 200;

export interface WatchOptions {
  /** Folders watched recursively, and single files (the config). */
  paths: string[];
  port: string;
  baud: number;
  /** Builds; throws (the message shown) when the build fails. */
  build: () => Promise<Firmware>;
  flash: (build: Firmware) => Promise<void>;
  /** The build folder whose error maps the console uses (monitor.ts); absent: errors shown raw. */
  maps?: string;
}

/** Resolves with the first changed path once the files have been quiet for SETTLE_MS. */
function nextChange(paths: string[]): { changed: Promise<string>; close(): void } {
  const watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  let first: string | undefined;
  const changed = new Promise<string>((resolve) => {
    for (const p of paths) {
      watchers.push(
        fsWatch(p, { recursive: true }, (_event, name) => {
          first ??= name ? String(name) : p;
          clearTimeout(timer);
          timer = setTimeout(() => resolve(first!), SETTLE_MS);
        }),
      );
    }
  });
  const close = () => {
    clearTimeout(timer);
    for (const w of watchers) w.close();
  };
  return { changed: changed.finally(close), close };
}

const say = (line: string) => void process.stdout.write(`\nflash --watch: ${line}\n`);

export async function watchAndFlash(o: WatchOptions): Promise<number> {
  for (;;) {
    const next = nextChange(o.paths);
    let changed: string | undefined;
    void next.changed.then((p) => (changed = p));
    await monitor(o.port, o.baud, { until: next.changed, maps: o.maps });
    next.close();
    if (changed === undefined) return EXIT.ok; // the user quit
    say(`${changed} changed; building`);
    try {
      await o.flash(await o.build());
    } catch (err) {
      say(`${(err as Error).message}\nthe board keeps the build it had; save again to retry (Ctrl-] quits)`);
    }
  }
}
