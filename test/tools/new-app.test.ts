// mcu new: a firmware project of the user's own next to the toolkit. Its npm scripts type-check
// and build it, and its test runs the whole loop (embedded broker, emulated board flashed over
// serial, echoes); mcu emulate --app boots it. A folder that is not empty is refused untouched.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { mcu, mcuBin, run, waitFor } from "../helpers/pty-board.ts";

const dir = mkdtempSync(join(tmpdir(), "mcu-new-"));
const app = join(dir, "my-board");
before(async () => {
  mcuBin();
  const r = await mcu(["new", app]);
  assert.equal(r.code, 0, r.stderr);
});
after(() => rmSync(dir, { recursive: true, force: true }));

const npm = (script: string) => run("npm", ["run", "--silent", script], { cwd: app, env: { CI: "true" } });

test("mcu new makes src/app.ts, a private device.json named for the folder, tsconfig.json and package.json", () => {
  assert.deepEqual(readdirSync(app).sort(), [".gitignore", "device.json", "package.json", "src", "tsconfig.json"]);
  assert.equal(readFileSync(join(app, "src", "app.ts"), "utf8"), readFileSync("firmware/src/app.ts", "utf8"));
  assert.equal(JSON.parse(readFileSync(join(app, "device.json"), "utf8")).id, "my-board");
  assert.equal(statSync(join(app, "device.json")).mode & 0o777, 0o600);
  assert.match(readFileSync(join(app, ".gitignore"), "utf8"), /^device\.json$/m);
});

test("mcu new refuses a folder that is not empty and changes nothing in it", async () => {
  const used = join(dir, "used");
  mkdirSync(used);
  writeFileSync(join(used, "notes.txt"), "mine");
  const r = await mcu(["new", used]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /not empty.*nothing of yours is overwritten/);
  assert.deepEqual(readdirSync(used), ["notes.txt"]);
});

test("the app's scripts: typecheck finds a type error in src/ by its own path, build compiles it, test echoes through an emulated board", async () => {
  const source = join(app, "src", "app.ts");
  const original = readFileSync(source, "utf8");
  writeFileSync(source, `${original}\nconst wrong: number = "text";\nprint(wrong);\n`);
  const bad = await npm("typecheck");
  assert.notEqual(bad.code, 0);
  assert.match(bad.stdout, /src\/app\.ts\(\d+,\d+\): error TS2322/);
  const badBuild = await npm("build");
  assert.equal(badBuild.code, 1);
  assert.match(badBuild.stderr, /src\/app\.ts/);
  assert.doesNotMatch(badBuild.stderr, /\.app-/, "the message names the staging folder instead of the user's file");
  writeFileSync(source, original);

  assert.equal((await npm("typecheck")).code, 0);
  const built = await npm("build");
  assert.equal(built.code, 0, built.stderr);
  assert.deepEqual(readdirSync(join(app, "build", "lua")).sort(), [
    "app.lua",
    "app.lua.map",
    "brokers.lua",
    "brokers.lua.map",
    "config.lua",
    "init.lua",
    "init.lua.map",
    "manifest.json",
  ]);
  const loop = await npm("test");
  assert.equal(loop.code, 0, loop.stderr);
  assert.match(loop.stdout, /3\/3 messages echoed/);
});

test("mcu emulate --app builds the app and boots it on the access point of its device.json", async () => {
  writeFileSync(
    join(app, "device.json"),
    JSON.stringify({ id: "my-board", wifi: { ssid: "HomeNet", password: "home-secret" }, mqtt: { host: "127.0.0.1", port: 1 } }),
  );
  const child = spawn(process.execPath, [join(process.cwd(), mcuBin()), "emulate", "--app", app, "--flash", join(dir, "flash")], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  try {
    assert.ok(await waitFor(() => out.includes("wifi: got ip"), 30000), out);
    assert.match(out, /app: my-board joining HomeNet/);
  } finally {
    child.kill("SIGINT");
  }
});
