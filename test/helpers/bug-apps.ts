// App folders (as mcu new makes them) whose firmware fails at known TypeScript lines, for the
// tests that check board errors are shown at those lines (host/errmap). Each failing line carries
// a tag comment; lineOf finds it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mcu, type Run } from "./cli.ts";

/** A second module: one function the build inlines (one expression), one it cannot (two statements). */
export const UTIL = `export function label(n: { x?: { y: number } }): string {
  return "v" + n.x!.y; // BUG-inlined
}

export function check(n: { x?: { y: number } }): number {
  const y = n.x!.y; // BUG-util
  return y + 1;
}
`;

/** Three timers, each failing: in an inlined function, in the second module, and on a renamed local. */
export const TIMERS = `import { start } from "./session";
import { check, label } from "./util";

const boom: { x?: { y: number } } = {};
const names: Record<string, { boom: number } | undefined> = {};

tmr.create().alarm(10, tmr.ALARM_SINGLE, () => {
  print(label(boom)); // BUG-timer-inlined
});
tmr.create().alarm(20, tmr.ALARM_SINGLE, () => {
  print(check(boom)); // BUG-timer-util
});
tmr.create().alarm(30, tmr.ALARM_SINGLE, () => {
  const entry = names.nope;
  print(entry!.boom, entry); // BUG-local
});
start((data) => data ?? "");
`;

/** Fails while app.lua loads. */
export const AT_LOAD = `import { start } from "./session";

const settings: { led?: { pin: number } } = {};
gpio.mode(settings.led!.pin, gpio.OUTPUT); // BUG-load
start((data) => data ?? "");
`;

/** Echoes, but the MQTT message "boom" fails in the handler. */
export const ON_MESSAGE = `import { start } from "./session";

const boom: { x?: { y: number } } = {};
start((data) => (data === "boom" ? "" + boom.x!.y : (data ?? ""))); // BUG-message
`;

/** The 1-based line of `tag` in `source`. */
export function lineOf(source: string, tag: string): number {
  const i = source.split("\n").findIndex((l) => l.includes(`// ${tag}`));
  if (i < 0) throw new Error(`no ${tag} in the source`);
  return i + 1;
}

export interface BugApp {
  dir: string;
  remove(): void;
}

/** An app folder with `app` as src/app.ts and UTIL as src/util.ts; its board's broker at `port` (none listening by default). */
export function bugApp(app: string, port = 1): BugApp {
  const dir = mkdtempSync(join(tmpdir(), "mcu-bugs-"));
  mkdirSync(join(dir, "src"));
  writeFileSync(join(dir, "src", "app.ts"), app);
  writeFileSync(join(dir, "src", "util.ts"), UTIL);
  const config = {
    id: "bugs",
    wifi: { ssid: "emulated", password: "nodemcu-emulator" },
    mqtt: { host: "127.0.0.1", port },
  };
  writeFileSync(join(dir, "device.json"), JSON.stringify(config));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** How long a run may take to show what it waits for before it is ended anyway (the test then fails on what it showed). */
const GUARD_MS = 90000;

/**
 * Runs the mcu CLI in `cwd` until its standard output matches `until`, then ends it; returns what
 * it showed, its line ends as "\n" (the board's console sends "\r\n").
 */
export async function mcuUntil(
  args: string[],
  cwd: string,
  until: RegExp,
  onStdout?: (soFar: string) => void,
): Promise<Run> {
  let kill = () => {};
  const guard = setTimeout(() => kill(), GUARD_MS);
  const lines = (s: string) => s.replace(/\r\n/g, "\n");
  try {
    const r = await mcu(args, {
      cwd,
      onSpawn: (k) => (kill = k),
      onStdout: (s) => {
        onStdout?.(lines(s));
        if (until.test(lines(s))) kill();
      },
    });
    return { ...r, stdout: lines(r.stdout) };
  } finally {
    clearTimeout(guard);
  }
}
