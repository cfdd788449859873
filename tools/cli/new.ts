// `mcu new DIR`: a firmware project of the user's own. It holds the app (src/app.ts, starting
// from the echo), its device.json, a package.json that depends on this toolkit by name and npm
// scripts that run its mcu with --app, and a tsconfig that extends the firmware's through
// node_modules (so an editor checks it against @types/nodemcu and the shared contract). The boot
// guard and the contract stay one copy, in the toolkit.
import {
  copyFileSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { CliError, EXIT, parseOrUsage, printable } from "../../host/kit/index.ts";
import { idError } from "../../host/names.ts";
import { PROJECT_ROOT } from "../compiler/build.ts";

export const usage = `usage: mcu new DIR

Makes a firmware project of your own in DIR (a new or empty folder): src/app.ts (a copy of the
echo app to start from), test/app.test.ts (its tests, on an emulated board), device.json (fill
in Wi-Fi and broker), tsconfig.json and package.json. The package.json depends on this toolkit:
by version range when mcu runs from an installed package, by a file: link when it runs from a
clone. After \`npm install\` there, its scripts run the toolkit's mcu on it:

  npm run build       compile src/ to build/lua (mcu build --app .)
  npm run flash       build and flash the board on the USB port (mcu flash --app .)
  npm run watch       the same, again on every save (--watch)
  npm run emulate     build and boot an emulated board on /tmp/tty-<name>
  npm test            build, then run test/*.test.ts on emulated boards (mcu test)
  npm run typecheck   check src/ against @types/nodemcu

exit status: 0 done; 2 bad arguments, or DIR not a folder mcu new may write into (not empty, a
file, a dangling link, under a file, or a place no folder can be made): nothing is left behind

example:
  mcu new ../my-board && cd ../my-board && npm install && npm test`;

/** A path from the app folder to the toolkit, as the app's files spell it (always with "/"). */
const posix = (p: string) => p.split("\\").join("/");

/** `s` as one word for sh (npm runs scripts with sh -c): bare when it is plain, else single-quoted. */
export function shWord(s: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The folder's name as an npm package name and a file name: lower case, [a-z0-9._-] only. */
function packageName(name: string): string {
  const plain = name
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[._-]+|-+$/g, "")
    .slice(0, 64);
  return plain || "my-board";
}

/** This toolkit as an app names it: its npm name, and where npm finds it. */
interface Toolkit {
  name: string;
  spec: string;
}

/**
 * A copy installed by npm (under a node_modules folder) is a published version, so the app asks
 * for that version range; a clone is not, so the app links to it (file:, relative to the app).
 */
function toolkitFor(root: string, dir: string): Toolkit {
  const { name, version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
    name: string;
    version: string;
  };
  const installed = root.split(sep).includes("node_modules");
  return { name, spec: installed ? `^${version}` : `file:${posix(relative(dir, root))}` };
}

/**
 * The scripts run in the app's folder, so they name it "."; mcu is the toolkit's bin in the app's
 * node_modules/.bin, and nothing of the folder's name reaches a command line but `pkg`, made of
 * safe characters. tsc is the toolkit's dependency: npm puts it on .bin when it installs the
 * package, but a file: link brings no dependencies along, so from a clone it is run by path.
 */
function packageJson(pkg: string, toolkit: Toolkit): string {
  const tsc = toolkit.spec.startsWith("file:")
    ? `node node_modules/${toolkit.name}/node_modules/typescript/bin/tsc`
    : "tsc";
  const scripts = {
    build: "mcu build --app .",
    flash: "mcu flash --app .",
    watch: "mcu flash --app . --watch",
    emulate: `mcu emulate --app . --serial /tmp/tty-${pkg}`,
    test: "mcu test",
    typecheck: `${tsc} -p . --noEmit`,
  };
  const dependencies = { [toolkit.name]: toolkit.spec };
  return `${JSON.stringify({ name: pkg, version: "0.1.0", private: true, scripts, dependencies }, null, 2)}\n`;
}

/** Everything through node_modules/<toolkit>, which is the toolkit itself or a link to the clone. */
function tsconfigJson(name: string): string {
  const lib = `node_modules/${name}`;
  const config = {
    extends: `./${lib}/firmware/tsconfig.json`,
    compilerOptions: {
      // The app's src/ and the toolkit's firmware/src/ are one folder to imports: "./contract" resolves.
      rootDirs: ["src", `${lib}/firmware/src`],
      // The toolkit's own dependencies (a clone's sit behind the link), else those npm hoisted beside it.
      typeRoots: [
        `${lib}/node_modules/@types`,
        `${lib}/node_modules/@typescript-to-lua`,
        "node_modules/@types",
        "node_modules/@typescript-to-lua",
      ],
      types: ["language-extensions", "nodemcu"],
      rootDir: ".",
      outDir: "build/tsc",
    },
    // The toolkit's firmware files but its app.ts, which src/app.ts takes the place of.
    include: ["src/**/*.ts", `${lib}/firmware/src/*.ts`],
    exclude: [`${lib}/firmware/src/app.ts`],
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** Where the app's tests import the test kit from: the toolkit's package, whether installed or linked. */
const testKit = (toolkit: Toolkit) => `${toolkit.name}/testing`;

/** test/app.test.ts: the app's first tests, written with the kit (docs/testing.md). */
function exampleTest(toolkit: Toolkit): string {
  return `// The app's own tests: npm test (mcu test) builds src/ and runs every test/**/*.test.ts with
// node's test runner. boot() runs the app on an emulated board with a broker of its own; the
// toolkit's docs/testing.md has the rest (hardware, the console, heap, power cycles).
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { boot, type TestBoard } from "${testKit(toolkit)}";

let board: TestBoard;
// One board for the file's tests (mcu test runs them in the app folder: "." is the app); it
// stops by itself after them.
before(async () => {
  board = await boot({ app: "." });
});

test("the echo answers", async () => {
  await board.publish("hello");
  assert.equal(await board.expect(/hello/), "hello");
});

test("the status names the version", async () => {
  const status = await board.status();
  assert.equal(status.state, "online");
  assert.equal(status.version, board.version);
});
`;
}

/** device.example.json with the folder's name as the board's id when it is a valid one. */
function deviceJson(root: string, name: string): string {
  const example = JSON.parse(readFileSync(join(root, "device.example.json"), "utf8")) as Record<string, unknown>;
  if (idError(name) === undefined) example.id = name;
  return `${JSON.stringify(example, null, 2)}\n`;
}

/** A refusal of DIR: exit 2, nothing written. */
const refused = (given: string, why: string) => new CliError(`${JSON.stringify(given)} ${why}`, EXIT.usage);

/** The error code of fs call `f`, or undefined when it succeeds. */
function codeOf(f: () => unknown): string | undefined {
  try {
    f();
    return undefined;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? "EIO";
  }
}

/**
 * Makes sure `dir` is an empty folder, making it (and missing folders above it) when absent.
 * Returns the folders it made, outermost first, for removal if a later step fails.
 */
function emptyFolder(given: string, dir: string): string[] {
  const missing: string[] = [];
  let at = dir;
  for (;;) {
    const code = codeOf(() => lstatSync(at));
    if (code === undefined) break;
    if (code !== "ENOENT" && code !== "ENOTDIR") throw refused(given, `cannot be used (${code} on ${at})`);
    missing.unshift(at);
    if (dirname(at) === at) throw refused(given, "cannot be made: no folder above it exists");
    at = dirname(at);
  }
  // `at` exists: DIR itself, or the nearest folder above it.
  const link = lstatSync(at).isSymbolicLink();
  const target = codeOf(() => statSync(at));
  if (target !== undefined)
    throw refused(
      given,
      link
        ? `: ${at} is a symbolic link to nothing (${target}); remove it or choose another folder`
        : `cannot be used (${target} on ${at})`,
    );
  if (!statSync(at).isDirectory()) {
    if (at === dir) throw refused(given, "is a file, not a folder: choose a new or empty folder");
    throw refused(given, `is under ${at}, which is a file, not a folder: choose another place`);
  }
  if (at === dir) {
    let entries: string[] = [];
    const code = codeOf(() => (entries = readdirSync(dir)));
    if (code !== undefined) throw refused(given, `cannot be read (${code})`);
    if (entries.length > 0)
      throw refused(
        given,
        "is not empty: mcu new writes only into a new or empty folder, so nothing of yours is overwritten",
      );
    return [];
  }
  const made: string[] = [];
  for (const d of missing) {
    // One level at a time: mkdirSync's recursive mode loops forever where a folder cannot be made (/proc/foo).
    const code = codeOf(() => mkdirSync(d));
    if (code !== undefined) {
      removeAll([], made);
      throw refused(given, `cannot be made (${code} on ${d}): choose a folder you may write in`);
    }
    made.push(d);
  }
  return made;
}

/** Removes files, then folders (innermost first), that mcu new made; nothing else. */
function removeAll(files: string[], folders: string[]): void {
  for (const f of files) codeOf(() => unlinkSync(f));
  for (const d of [...folders].reverse()) codeOf(() => rmdirSync(d));
}

export async function run(argv: string[]): Promise<number> {
  const { positionals } = parseOrUsage(argv, {}, usage, true);
  if (positionals.length !== 1) throw new CliError(`mcu new takes one folder\n${usage.split("\n")[0]}`, EXIT.usage);
  const given = positionals[0]!;
  const dir = resolve(given);
  const root = PROJECT_ROOT;
  const name = basename(dir);
  const toolkit = toolkitFor(root, dir);
  const folders = emptyFolder(given, dir);
  const files: string[] = [];
  /** Runs `make`, which makes `path` (a file, or a folder), or undoes all that mcu new made and says why. */
  const make = (path: string, step: () => void, folder = false) => {
    const code = codeOf(step);
    if (code !== undefined) {
      removeAll(files, folders);
      throw refused(given, `cannot be written (${code} on ${path}); what mcu new made there is removed`);
    }
    (folder ? folders : files).push(path);
  };
  const write = (file: string, text: string, mode?: number) =>
    make(join(dir, file), () => writeFileSync(join(dir, file), text, { mode }));
  make(join(dir, "src"), () => mkdirSync(join(dir, "src")), true);
  make(join(dir, "src", "app.ts"), () =>
    copyFileSync(join(root, "firmware", "src", "app.ts"), join(dir, "src", "app.ts")),
  );
  make(join(dir, "test"), () => mkdirSync(join(dir, "test")), true);
  write(join("test", "app.test.ts"), exampleTest(toolkit));
  write("device.json", deviceJson(root, name), 0o600);
  write("tsconfig.json", tsconfigJson(toolkit.name));
  write("package.json", packageJson(packageName(name), toolkit));
  write(".gitignore", "build/\ndevice.json\n");
  process.stdout.write(
    `mcu new: made ${printable(given)}: src/app.ts (the echo, yours to change), test/app.test.ts, device.json (fill in Wi-Fi and broker), ` +
      `tsconfig.json, package.json\n  cd ${printable(shWord(given))} && npm install && npm test      # its tests, on an emulated board\n  npm run flash                # to the board on USB\n`,
  );
  return EXIT.ok;
}
