// `mcu new DIR`: a firmware project of the user's own, next to this toolkit. It holds the app
// (src/app.ts, starting from the echo), its device.json, a tsconfig that extends the firmware's
// (so an editor checks it against @types/nodemcu and the shared contract) and npm scripts that
// run this toolkit's mcu with --app. The boot guard and the contract stay one copy, here.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { CliError, EXIT, parseOrUsage } from "../../host/kit/index.ts";
import { idError } from "../../host/names.ts";
import { PROJECT_ROOT } from "../compiler/build.ts";

export const usage = `usage: mcu new DIR

Makes a firmware project of your own in DIR (a new or empty folder): src/app.ts (a copy of the
echo app to start from), device.json (fill in Wi-Fi and broker), tsconfig.json and package.json
with scripts that run this toolkit on it:

  npm run build       compile src/ to build/lua (mcu build --app .)
  npm run flash       build and flash the board on the USB port (./flash.sh --app .)
  npm run watch       the same, again on every save (--watch)
  npm run emulate     build and boot an emulated board on /tmp/tty-<name>
  npm test            the whole loop on this PC: embedded broker, emulated board, echoes
  npm run typecheck   check src/ against @types/nodemcu

exit status: 0 done, 2 bad arguments or DIR not empty

example:
  mcu new ../my-board && cd ../my-board && npm test`;

/** The deepest folder that holds both paths. */
function commonFolder(a: string, b: string): string {
  let c = a;
  while (relative(c, b).startsWith("..")) c = dirname(c);
  return c;
}

/** A path from the app folder to the toolkit, as the app's files spell it (always with "/"). */
const posix = (p: string) => p.split("\\").join("/");

function packageJson(name: string, mcu: string, tsc: string): string {
  const scripts = {
    build: `node ${mcu} build --app .`,
    flash: `node ${mcu} flash --app .`,
    watch: `node ${mcu} flash --app . --watch`,
    emulate: `node ${mcu} emulate --app . --serial /tmp/tty-${name}`,
    test: `CI=true node ${mcu} demo --app .`,
    typecheck: `node ${tsc} -p . --noEmit`,
  };
  return `${JSON.stringify({ name, version: "0.1.0", private: true, scripts }, null, 2)}\n`;
}

/** `common`: the folder holding both the app and the toolkit, as TypeScript's rootDir must. */
function tsconfigJson(toolkit: string, common: string): string {
  const config = {
    extends: `${toolkit}/firmware/tsconfig.json`,
    compilerOptions: {
      // The app's src/ and the toolkit's firmware/src/ are one folder to imports: "./contract" resolves.
      rootDirs: ["src", `${toolkit}/firmware/src`],
      typeRoots: [`${toolkit}/node_modules/@types`, `${toolkit}/node_modules/@typescript-to-lua`],
      types: ["language-extensions", "nodemcu"],
      rootDir: common,
      outDir: "build/tsc",
    },
    // The toolkit's firmware files but its app.ts, which src/app.ts takes the place of.
    include: ["src/**/*.ts", `${toolkit}/firmware/src/*.ts`],
    exclude: [`${toolkit}/firmware/src/app.ts`],
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** device.example.json with the folder's name as the board's id when it is a valid one. */
function deviceJson(root: string, name: string): string {
  const example = JSON.parse(readFileSync(join(root, "device.example.json"), "utf8")) as Record<string, unknown>;
  if (idError(name) === undefined) example.id = name;
  return `${JSON.stringify(example, null, 2)}\n`;
}

export async function run(argv: string[]): Promise<number> {
  const { positionals } = parseOrUsage(argv, {}, usage, true);
  if (positionals.length !== 1) throw new CliError(`mcu new takes one folder\n${usage.split("\n")[0]}`, EXIT.usage);
  const dir = resolve(positionals[0]!);
  if (existsSync(dir) && readdirSync(dir).length > 0)
    throw new CliError(`${positionals[0]} is not empty: mcu new writes only into a new or empty folder, so nothing of yours is overwritten`, EXIT.usage);
  const root = PROJECT_ROOT;
  const name = basename(dir);
  const toolkit = posix(relative(dir, root)) || ".";
  mkdirSync(join(dir, "src"), { recursive: true });
  copyFileSync(join(root, "firmware", "src", "app.ts"), join(dir, "src", "app.ts"));
  writeFileSync(join(dir, "device.json"), deviceJson(root, name), { mode: 0o600 });
  writeFileSync(join(dir, "tsconfig.json"), tsconfigJson(toolkit, posix(relative(dir, commonFolder(dir, root))) || "."));
  writeFileSync(join(dir, "package.json"), packageJson(name, `${toolkit}/dist/mcu.js`, `${toolkit}/node_modules/typescript/bin/tsc`));
  writeFileSync(join(dir, ".gitignore"), "build/\ndevice.json\n");
  process.stdout.write(
    `mcu new: made ${positionals[0]}: src/app.ts (the echo, yours to change), device.json (fill in Wi-Fi and broker), ` +
      `tsconfig.json, package.json\n  cd ${positionals[0]} && npm test      # the whole loop on this PC\n  npm run flash                # to the board on USB\n`,
  );
  return EXIT.ok;
}
