// An app folder (made by `mcu new`): the user's firmware in its own src/, built together with the
// project's other firmware files (the boot guard init.ts, the topic contract, brokers.ts, the
// config typings), which stay one copy here. The build compiles them side by side in a staging folder inside the project (so
// TypeScript finds the project's node_modules), and error messages name the user's own files.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { EXIT } from "../../host/kit/index.ts";
import { BuildError } from "./errors.ts";

/** The project's firmware files an app is built with: all but the echo's app.ts. An app's own file of the same name wins. */
const shared = (root: string) => sources(join(root, "firmware", "src")).filter((f) => f !== "app.ts");

export interface StagedApp {
  /** The tsconfig to compile. */
  tsconfig: string;
  /** Puts the user's own paths back into compiler messages. */
  restore(text: string): string;
  remove(): void;
}

/** An app folder's defaults: its device.json and its build/lua. */
export function appPaths(appDir: string): { config: string; out: string; src: string } {
  const dir = resolve(appDir);
  return { config: join(dir, "device.json"), out: join(dir, "build", "lua"), src: join(dir, "src") };
}

/** Why `appDir` is not an app folder, or undefined when it is one. */
export function appDirError(appDir: string): string | undefined {
  const { src } = appPaths(appDir);
  if (!existsSync(join(src, "app.ts")))
    return `--app ${appDir}: no src/app.ts there; an app folder holds its firmware in src/, starting at src/app.ts (mcu new DIR makes one)`;
  return undefined;
}

/** Every .ts file under `dir`, as paths relative to it. */
function sources(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).filter(
    (f) => f.endsWith(".ts") && statSync(join(dir, f)).isFile(),
  );
}

/** Copies the project's shared firmware files and the app's src/ into a staging folder under root/build. */
export function stageApp(root: string, appDir: string): StagedApp {
  const bad = appDirError(appDir);
  if (bad) throw new BuildError(bad, EXIT.usage);
  const { src } = appPaths(appDir);
  mkdirSync(join(root, "build"), { recursive: true });
  const stage = mkdtempSync(join(root, "build", ".app-"));
  const origin = new Map<string, string>();
  for (const f of shared(root)) origin.set(join(stage, "src", f), join(root, "firmware", "src", f));
  for (const f of sources(src)) origin.set(join(stage, "src", f), join(src, f));
  for (const [to, from] of origin) cpSync(from, to);
  const tsconfig = join(stage, "tsconfig.json");
  writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: join(root, "firmware", "tsconfig.json"),
      compilerOptions: { rootDir: "src", outDir: "out" },
      include: ["src/**/*.ts"],
    }),
  );
  // Longest paths first, so a file's path is not cut short by a folder's.
  const pairs = [...origin].flatMap(([staged, own]) => [
    [staged, own],
    [relative(process.cwd(), staged), relative(process.cwd(), own)],
  ]);
  pairs.sort((a, b) => b[0]!.length - a[0]!.length);
  return {
    tsconfig,
    restore: (text) => pairs.reduce((t, [staged, own]) => t.split(staged!).join(own!), text),
    remove: () => rmSync(stage, { recursive: true, force: true }),
  };
}
