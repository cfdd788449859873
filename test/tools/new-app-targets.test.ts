// mcu new with folder names sh would read as code or split, and with targets no project can go
// to: the scripts it writes quote what they must (issue 24, point 9); an odd target is refused
// with exit 2 and a message, nothing written or deleted (point 10).
import assert from "node:assert/strict";
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { mcu, mcuBin, run } from "../helpers/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "mcu-new-names-"));
const INJECTION = "inj$(touch PWNED)";
const SPACED = "my board";
// A `node` that writes down its arguments instead of running, behind npm's script shell: every
// script runs as npm runs it (sh -c, in the app's folder), and none runs for long.
const stub = join(dir, "stub");

before(async () => {
  mcuBin();
  mkdirSync(stub);
  writeFileSync(join(stub, "node"), '#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done > "$STUB_LOG"\n');
  writeFileSync(join(stub, "sh"), `#!/bin/sh\nPATH="${stub}:$PATH"; export PATH; exec /bin/sh "$@"\n`);
  chmodSync(join(stub, "node"), 0o755);
  chmodSync(join(stub, "sh"), 0o755);
  for (const name of [INJECTION, SPACED]) {
    const r = await mcu(["new", name], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    // The file: link to this clone, which puts mcu on the app's .bin; no script of the clone runs.
    const installed = await run("npm", ["install", "--offline", "--ignore-scripts", "--no-audit", "--no-fund"], {
      cwd: join(dir, name),
    });
    assert.equal(installed.code, 0, installed.stderr);
  }
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** The arguments each npm script gives node in the app `name`, run through npm as a user would. */
async function scriptArgs(name: string): Promise<Record<string, string[]>> {
  const scripts = Object.keys(
    (JSON.parse(readFileSync(join(dir, name, "package.json"), "utf8")) as { scripts: object }).scripts,
  );
  const args: Record<string, string[]> = {};
  for (const script of scripts) {
    const log = join(dir, `${script}.args`);
    const r = await run("npm", ["run", "--silent", `--script-shell=${join(stub, "sh")}`, script], {
      cwd: join(dir, name),
      env: { STUB_LOG: log },
    });
    assert.equal(r.code, 0, `${script}: ${r.stderr}`);
    args[script] = readFileSync(log, "utf8").split("\n").slice(0, -1);
  }
  return args;
}

const noPwned = () => {
  for (const where of [dir, join(dir, INJECTION), process.cwd()])
    assert.ok(!existsSync(join(where, "PWNED")), `PWNED made in ${where}`);
};

test("a folder named inj$(touch PWNED): no script runs the command in its name, nor does the cd hint", async () => {
  const args = await scriptArgs(INJECTION);
  noPwned();
  assert.deepEqual(args.emulate!.slice(1), ["emulate", "--app", ".", "--serial", "/tmp/tty-inj-touch-pwned"]);
  assert.deepEqual(args.build!.slice(1), ["build", "--app", "."]);
  const r = await mcu(["new", join(dir, "again", INJECTION)], { cwd: dir });
  const hint = /^ {2}(cd .*) && npm install && npm test/m.exec(r.stdout)![1]!;
  const cd = await run("sh", ["-c", `${hint} && pwd`], { cwd: dir });
  assert.equal(cd.stdout.trim(), join(dir, "again", INJECTION));
  noPwned();
});

test("a folder named 'my board': each script gets its arguments whole, and typecheck and build run", async () => {
  const args = await scriptArgs(SPACED);
  assert.deepEqual(args.emulate!.slice(1), ["emulate", "--app", ".", "--serial", "/tmp/tty-my-board"]);
  for (const script of ["typecheck", "build"]) {
    const r = await run("npm", ["run", "--silent", script], { cwd: join(dir, SPACED) });
    assert.equal(r.code, 0, `${script}: ${r.stdout}${r.stderr}`);
  }
  assert.ok(existsSync(join(dir, SPACED, "build", "lua", "app.lua")));
  const r = await mcu(["new", SPACED], { cwd: join(dir, "again") });
  assert.match(r.stdout, /cd 'my board' && npm install && npm test/);
});

/** What is under `d`, names and kinds, to show nothing changed. */
const listing = (d: string) => readdirSync(d, { recursive: true }).map(String).sort();

test("mcu new refuses a file, a dangling link, a path under a file and /proc/foo: exit 2, a message, nothing written", {
  timeout: 60_000,
}, async () => {
  const odd = join(dir, "odd");
  mkdirSync(odd);
  writeFileSync(join(odd, "a-file"), "mine");
  symlinkSync(join(odd, "nowhere"), join(odd, "dangling"));
  const before = listing(odd);
  const cases: [string, RegExp][] = [
    [join(odd, "a-file"), /is a file, not a folder/],
    [join(odd, "dangling"), /is a symbolic link to nothing/],
    [join(odd, "a-file", "app"), /is under .*a-file, which is a file, not a folder/],
    [join(odd, "a-file", "deeper", "app"), /is under .*a-file, which is a file, not a folder/],
    ["/proc/foo", /cannot be made \(ENOENT on \/proc\/foo\)/],
  ];
  for (const [target, message] of cases) {
    const r = await mcu(["new", target], { cwd: dir });
    assert.equal(r.code, 2, `${target}: ${r.stderr}`);
    assert.match(r.stderr, message, target);
    assert.doesNotMatch(r.stderr, /\n\s+at /, "a stack trace");
    assert.deepEqual(listing(odd), before, target);
  }
  assert.equal(readFileSync(join(odd, "a-file"), "utf8"), "mine");
  assert.ok(lstatSync(join(odd, "dangling")).isSymbolicLink());
});

test("the folders mcu new made on the way are removed again when a later one cannot be made", async () => {
  const parent = join(dir, "parent");
  mkdirSync(parent);
  const r = await mcu(["new", join(parent, "made", "x".repeat(300))], { cwd: dir });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /cannot be made \(ENAMETOOLONG on /);
  assert.deepEqual(readdirSync(parent), []);
});
