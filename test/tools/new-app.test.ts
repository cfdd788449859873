// mcu new: a firmware project of the user's own, from a clone of the toolkit, which it links to.
// Its npm scripts type-check and build it, and its npm test runs its own tests (test/app.test.ts,
// with the test kit) on an emulated board that has the modules the app uses; mcu demo and mcu
// emulate --app boot it with them too. A folder that is not empty is refused untouched.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { after, before, test } from "node:test";
import { mcu, mcuBin, run } from "../helpers/cli.ts";
import { waitFor } from "../helpers/wait.ts";

const dir = mkdtempSync(join(tmpdir(), "mcu-new-"));
const app = join(dir, "my-board");
before(async () => {
  mcuBin();
  const r = await mcu(["new", app]);
  assert.equal(r.code, 0, r.stderr);
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** The example test's import of the kit, for more tests in the app. */
const kitImport = (appDir: string) =>
  readFileSync(join(appDir, "test", "app.test.ts"), "utf8")
    .split("\n")
    .find((l) => l.startsWith("import { boot"))!;
const npm = (script: string, cwd = app) => run("npm", ["run", "--silent", script], { cwd, env: { CI: "true" } });

test("mcu new makes src/app.ts, test/app.test.ts, a private device.json named for the folder, tsconfig.json and package.json", () => {
  assert.deepEqual(readdirSync(app).sort(), [
    ".gitignore",
    "device.json",
    "package.json",
    "src",
    "test",
    "tsconfig.json",
  ]);
  assert.deepEqual(readdirSync(join(app, "test")), ["app.test.ts"]);
  assert.equal(readFileSync(join(app, "src", "app.ts"), "utf8"), readFileSync("firmware/src/app.ts", "utf8"));
  assert.equal(JSON.parse(readFileSync(join(app, "device.json"), "utf8")).id, "my-board");
  assert.equal(statSync(join(app, "device.json")).mode & 0o777, 0o600);
  assert.match(readFileSync(join(app, ".gitignore"), "utf8"), /^device\.json$/m);
});

test("from a clone, the project links to it by a file: dependency, and npm install puts the clone's mcu on its .bin", async () => {
  const pkg = JSON.parse(readFileSync(join(app, "package.json"), "utf8")) as { dependencies: Record<string, string> };
  assert.deepEqual(pkg.dependencies, { "nodemcu-ts-mqtt": `file:${relative(app, process.cwd())}` });
  // --offline: a link needs nothing from the registry. --ignore-scripts: the clone's prepare would rebuild the bundle other tests run.
  const installed = await run("npm", ["install", "--offline", "--ignore-scripts", "--no-audit", "--no-fund"], {
    cwd: app,
  });
  assert.equal(installed.code, 0, installed.stderr);
  assert.equal(realpathSync(join(app, "node_modules", ".bin", "mcu")), realpathSync(mcuBin()));
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

test("the app's scripts: typecheck finds a type error in src/ by its own path, build compiles it, test runs its tests", async () => {
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
  const tests = await npm("test");
  assert.equal(tests.code, 0, tests.stdout + tests.stderr);
  assert.match(tests.stdout, /^ok \d+ - the echo answers$/m);
  assert.match(tests.stdout, /^ok \d+ - the status names the version$/m);
  assert.match(tests.stdout, /^# fail 0$/m);
});

test("mcu test fails when a test of the app fails, naming it", async () => {
  const file = join(app, "test", "wrong.test.ts");
  writeFileSync(
    file,
    `import { test } from "node:test";\n${kitImport(app)}\n` +
      `test("a wrong echo", async () => {\n  const board = await boot({ app: "." });\n  await board.publish("one");\n  await board.expect("two", 3000);\n});\n`,
  );
  try {
    const r = await mcu(["test", "--app", app, file]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^not ok \d+ - a wrong echo$/m);
    assert.match(
      r.stdout,
      /waiting for a message "two" on nodemcu\/my-board\/out; the messages .* since then: \["one"\]/,
    );
  } finally {
    rmSync(file);
  }
});

test("an app that reads the ADC and a DHT passes its own npm test, and mcu test and mcu demo say its board has those modules", {
  timeout: 240_000,
}, async () => {
  const sensing = join(dir, "sensing");
  assert.equal((await mcu(["new", sensing])).code, 0);
  writeFileSync(
    join(sensing, "src", "app.ts"),
    `import { start } from "./session";\n` +
      `start((data) => {\n` +
      `  if (data === "adc") return "adc " + adc.read(0);\n` +
      `  if (data === "dht") {\n    const [status, t, h] = dht.read(5);\n    return "dht " + status + " " + t + " " + h;\n  }\n` +
      `  return data ?? "";\n});\n`,
  );
  writeFileSync(
    join(sensing, "test", "sensors.test.ts"),
    `import assert from "node:assert/strict";\nimport { test } from "node:test";\n${kitImport(sensing)}\n` +
      `test("reads the ADC and the DHT", async () => {\n` +
      `  const board = await boot({ app: ".", io: { adc: 512, dht: { 5: { model: "dht22", temperature: 21.5, humidity: 40 } } } });\n` +
      `  await board.publish("adc");\n  assert.equal(await board.expect(/^adc/), "adc 512");\n` +
      `  board.io.setAdc(7);\n  await board.publish("adc");\n  assert.equal(await board.expect(/^adc/), "adc 7");\n` +
      `  await board.publish("dht");\n  assert.equal(await board.expect(/^dht/), "dht 0 21.5 40");\n});\n`,
  );
  const installed = await run("npm", ["install", "--offline", "--ignore-scripts", "--no-audit", "--no-fund"], {
    cwd: sensing,
  });
  assert.equal(installed.code, 0, installed.stderr);
  const tests = await npm("test", sensing);
  assert.equal(tests.code, 0, tests.stdout + tests.stderr);
  assert.match(tests.stdout, /^ok \d+ - reads the ADC and the DHT$/m);
  assert.match(
    tests.stdout,
    /the test boards' NodeMCU build: the README's recommended modules plus adc, dht \(the firmware uses them\)\n/,
  );
  assert.match(tests.stdout, /^ok \d+ - the echo answers$/m);

  const demo = await mcu(["demo", "--app", sensing, "--messages", "1"], { env: { CI: "true" } });
  assert.equal(demo.code, 0, demo.stdout + demo.stderr);
  assert.match(
    demo.stdout,
    /its NodeMCU build: the README's recommended modules plus adc, dht \(the firmware uses them\) \(adc,dht,file,/,
  );
  assert.match(demo.stdout, /1\/1 messages echoed/);
});

test("mcu emulate --app builds the app and boots it on the access point of its device.json", async () => {
  writeFileSync(
    join(app, "device.json"),
    JSON.stringify({
      id: "my-board",
      wifi: { ssid: "HomeNet", password: "home-secret" },
      mqtt: { host: "127.0.0.1", port: 1 },
    }),
  );
  const child = spawn(
    process.execPath,
    [join(process.cwd(), mcuBin()), "emulate", "--app", app, "--flash", join(dir, "flash")],
    {
      stdio: ["pipe", "pipe", "pipe"],
    },
  );
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  let err = "";
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  try {
    assert.ok(await waitFor(() => out.includes("wifi: got ip"), 30000), out);
    assert.match(out, /app: my-board joining HomeNet/);
    assert.match(err, /mcu emulate: its NodeMCU build: the README's recommended modules\n/);
  } finally {
    child.kill("SIGINT");
  }
});
