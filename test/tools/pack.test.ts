// The toolkit as an npm package (issue 25): its tarball and @types/nodemcu's install into a
// folder outside the clone, and `mcu new` there makes a project that depends on the toolkit by
// name and version range and finds it, the firmware library and @types/nodemcu in its own
// node_modules. Neither package is published, so the tarballs stand in for the registry.
// .ci/install-from-pack goes on to the project's npm test with no compiler on the PATH.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { mcuBin, run } from "../helpers/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "mcu-pack-"));
const pack = join(dir, "pack");
const home = join(dir, "home");
const app = join(home, "my-board");
const toolkit = JSON.parse(readFileSync("package.json", "utf8")) as { name: string; version: string };
let tarballs: string[] = [];

/** npm in `cwd`, its output kept for the assertion that fails. */
async function npm(cwd: string, args: string[]): Promise<string> {
  const r = await run("npm", args, { cwd });
  assert.equal(r.code, 0, `npm ${args.join(" ")}: ${r.stdout}${r.stderr}`);
  return r.stdout;
}

const install = (cwd: string, ...more: string[]) =>
  npm(cwd, ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", ...more, ...tarballs]);

before(async () => {
  // The bundle is built already (npm test builds it first): packing without the prepare script
  // leaves dist/ alone for the tests running beside this one.
  mcuBin();
  mkdirSync(pack);
  mkdirSync(home);
  await npm(".", ["pack", "--ignore-scripts", "--silent", "--pack-destination", pack]);
  await npm(".", [
    "pack",
    "--ignore-scripts",
    "--silent",
    "--workspace",
    "firmware/types/nodemcu",
    "--pack-destination",
    pack,
  ]);
  tarballs = readdirSync(pack).map((f) => join(pack, f));
  await install(home);
  const made = await run(join(home, "node_modules", ".bin", "mcu"), ["new", "my-board"], { cwd: home });
  assert.equal(made.code, 0, made.stderr);
});
after(() => rmSync(dir, { recursive: true, force: true }));

test("the tarballs hold the bundle and the firmware library, not the tests", () => {
  const files = (name: string) => readdirSync(join(home, "node_modules", name), { recursive: true }).map(String);
  const shipped = files(toolkit.name);
  for (const f of [
    "dist/mcu.js",
    "firmware/tsconfig.json",
    "firmware/src/session.ts",
    "firmware/src/contract.ts",
    "device.example.json",
    "LICENSE",
  ])
    assert.ok(shipped.includes(f), `${f} is not in the toolkit's tarball`);
  assert.ok(
    !shipped.some((f) => /^(test|bench|tools|docs)\//.test(f)),
    "the toolkit's tarball holds tests, bench, tools or docs",
  );
  assert.ok(files("@types/nodemcu").includes("index.d.ts"));
});

test("mcu new from the installed toolkit: the project depends on it by name and version range, its scripts run its own mcu", () => {
  const pkg = JSON.parse(readFileSync(join(app, "package.json"), "utf8")) as {
    dependencies: Record<string, string>;
    scripts: Record<string, string>;
  };
  assert.deepEqual(pkg.dependencies, { [toolkit.name]: `^${toolkit.version}` });
  assert.equal(pkg.scripts.build, "mcu build --app .");
  for (const [name, script] of Object.entries(pkg.scripts))
    assert.doesNotMatch(script, /\.\.\/|dist\/mcu\.js/, `script ${name} names a path into a clone`);
  assert.doesNotMatch(
    readFileSync(join(app, "tsconfig.json"), "utf8"),
    /\.\.\//,
    "the tsconfig reaches outside the project",
  );
});

test("after npm install, the project type-checks against @types/nodemcu and the firmware library, and builds", {
  timeout: 120_000,
}, async () => {
  // --no-save: the tarballs satisfy the range mcu new wrote, which stays as it is.
  await install(app, "--no-save");
  await npm(app, ["ls", "--depth=0"]);
  await npm(app, ["run", "typecheck"]);
  const source = join(app, "src", "app.ts");
  const original = readFileSync(source, "utf8");
  writeFileSync(source, `${original}\nconst heap: string = node.heap();\nprint(heap);\n`);
  const bad = await run("npm", ["run", "--silent", "typecheck"], { cwd: app });
  assert.notEqual(bad.code, 0, "a string from node.heap() type-checks: @types/nodemcu is not in use");
  assert.match(bad.stdout, /src\/app\.ts\(\d+,\d+\): error TS2322: Type 'number' is not assignable to type 'string'/);
  writeFileSync(source, original);
  await npm(app, ["run", "build"]);
  assert.ok(existsSync(join(app, "build", "lua", "app.lua")));
});
