// `mcu test`: builds an app folder, then runs its own tests (test/**/*.test.ts) with node's test
// runner, TypeScript loaded by this toolkit's tsx, so the app folder needs no packages of its own.
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { CliError, EXIT, parseOrUsage } from "../../host/kit/index.ts";
import { appDirError } from "../compiler/app.ts";
import { buildFirmware, PROJECT_ROOT } from "../compiler/build.ts";
import { emulatedBuild } from "../nodemcu/builds.ts";

export const usage = `usage: mcu test [--app DIR] [FILE...]

Builds the app folder (as mcu build --app does), then runs its tests with node's test runner:
every test/**/*.test.ts in it, or the FILEs given. The tests are TypeScript, run with this
toolkit's tsx; they boot the app on an emulated board with the test kit (docs/testing.md).

  --app DIR   the app folder (mcu new); default: the current folder

exit status: 0 every test passed; 1 the build or a test failed; 2 bad arguments, not an app
folder, or no tests found

example:
  npm test        # in an app folder mcu new made: runs mcu test`;

/** The test files under the app's test/ folder, sorted. */
function testFiles(appDir: string): string[] {
  const dir = join(appDir, "test");
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".test.ts") && !f.split("/").includes("node_modules"))
    .map((f) => join("test", f))
    .sort();
}

/** tsx's loader, from the toolkit's own packages (the app folder has none). */
function tsxLoader(): string {
  return pathToFileURL(createRequire(join(PROJECT_ROOT, "package.json")).resolve("tsx")).href;
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseOrUsage(argv, { app: { type: "string" } }, usage, true);
  const appDir = resolve(values.app ?? ".");
  const notApp = appDirError(values.app ?? ".");
  if (notApp) throw new CliError(notApp, EXIT.usage);
  const files = positionals.length > 0 ? positionals.map((f) => resolve(f)) : testFiles(appDir);
  if (files.length === 0)
    throw new CliError(
      `no tests in ${join(appDir, "test")}: write test/app.test.ts (docs/testing.md shows how)`,
      EXIT.usage,
    );
  const built = await buildFirmware({ appDir, log: (l) => process.stdout.write(`${l}\n`) });
  process.stdout.write(`mcu test: the test boards' NodeMCU build: ${emulatedBuild(built.needs.modules).line}\n`);
  // A runner started from inside another's test (NODE_TEST_CONTEXT) would report to that one, not here.
  const env = { ...process.env, NODE_TEST_CONTEXT: undefined };
  const child = spawn(process.execPath, ["--import", tsxLoader(), "--test", ...files], {
    cwd: appDir,
    env,
    stdio: "inherit",
  });
  const code = await new Promise<number | null>((done) => child.on("close", done));
  return code === 0 ? EXIT.ok : EXIT.failure;
}
