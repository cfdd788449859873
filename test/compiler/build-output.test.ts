// Where the build writes: it replaces only what an earlier build wrote, and refuses any other
// folder before compiling, so a typo in --out can never wipe a user's files.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { flashSh, mcu } from "../helpers/cli.ts";
import { writeConfig } from "../helpers/firmware.ts";

const scratch = () => mkdtempSync(join(tmpdir(), "mcu-out-"));
const config = () => writeConfig({ wifi: { ssid: "n", password: "pw-123" }, mqtt: { host: "h" } });

/** A folder holding a user's work: a file and a subfolder with a file. */
function usersFolder(): string {
  const dir = scratch();
  writeFileSync(join(dir, "thesis.txt"), "x");
  mkdirSync(join(dir, "sub"));
  writeFileSync(join(dir, "sub", "notes.md"), "y");
  return dir;
}

function assertUntouched(dir: string): void {
  assert.equal(readFileSync(join(dir, "thesis.txt"), "utf8"), "x");
  assert.equal(readFileSync(join(dir, "sub", "notes.md"), "utf8"), "y");
  assert.deepEqual(readdirSync(dir).sort(), ["sub", "thesis.txt"]);
}

test("mcu build --out refuses a folder that is not an earlier build, with exit 2, and deletes nothing", async () => {
  const dir = usersFolder();
  const r = await mcu(["build", "--config", config(), "--out", dir]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /refusing to write the build there: it is not empty and holds no manifest\.json/);
  assertUntouched(dir);
});

test("./flash.sh --out refuses a folder that is not an earlier build before touching the port", async () => {
  const dir = usersFolder();
  const r = await flashSh(["--config", config(), "--out", dir, "--port", "/nonexistent/tty", "--no-monitor"]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /step 1\/8 \(build\) failed: --out .*refusing/);
  assertUntouched(dir);
});

test("mcu build --out replaces an earlier build's files and refuses one that gained a file of the user's", async () => {
  const dir = scratch();
  const first = await mcu(["build", "--config", config(), "--out", dir]);
  assert.equal(first.code, 0, first.stderr);
  // A file the old manifest lists but this build does not write is the old build's: it goes.
  const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as { files: { name: string }[] };
  manifest.files.push({ name: "retired.lua" });
  writeFileSync(join(dir, "manifest.json"), JSON.stringify(manifest));
  writeFileSync(join(dir, "retired.lua"), "-- old module");
  const again = await mcu(["build", "--config", config(), "--out", dir]);
  assert.equal(again.code, 0, again.stderr);
  assert.ok(!existsSync(join(dir, "retired.lua")), "the earlier build's own file stayed");

  writeFileSync(join(dir, "mine.txt"), "keep me");
  const refused = await mcu(["build", "--config", config(), "--out", dir]);
  assert.equal(refused.code, 2, refused.stderr);
  assert.match(refused.stderr, /holds files no build wrote \(mine\.txt\)/);
  assert.equal(readFileSync(join(dir, "mine.txt"), "utf8"), "keep me");
  assert.ok(existsSync(join(dir, "init.lua")), "a refused build removed the earlier build");
});

test("mcu build --out under a regular file is exit 2 with the reason, not a stack trace", async () => {
  const file = join(scratch(), "plain-file");
  writeFileSync(file, "");
  const r = await mcu(["build", "--config", config(), "--out", join(file, "lua")]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /--out .*plain-file\/lua: cannot use it as the output folder \(a part of the path is a file/);
  assert.doesNotMatch(r.stderr, /unexpected error|\n\s+at /);
});

test("config.lua, which holds the passwords, is written for its owner only and has no hash in the manifest", async () => {
  const dir = scratch();
  const r = await mcu(["build", "--config", config(), "--out", dir]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(statSync(join(dir, "config.lua")).mode & 0o777, 0o600);
  const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as {
    files: { name: string; sha256?: string }[];
  };
  const cfg = manifest.files.find((f) => f.name === "config.lua");
  assert.ok(cfg, "config.lua is not in the manifest");
  assert.equal(cfg.sha256, undefined, "the manifest holds a hash of config.lua: a dictionary test of the passwords");
  // Nothing else in the manifest is derived from config.lua's bytes either.
  assert.doesNotMatch(readFileSync(join(dir, "manifest.json"), "utf8"), /pw-123/);
});
