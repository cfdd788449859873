// ./flash.sh's config handling before any board is involved: config mistakes are exit 2, as
// with mcu build, and a relative --config means the file where the caller runs it.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { flashSh } from "../helpers/cli.ts";

const noBoard = ["--port", "/nonexistent/tty", "--no-monitor"];

test("./flash.sh exits 2 for a config file that is missing or not JSON", async () => {
  const dir = mkdtempSync(join(tmpdir(), "mcu-flashcfg-"));
  writeFileSync(join(dir, "broken.json"), "{ not json");
  for (const [file, why] of [
    ["missing.json", /missing\.json not found/],
    ["broken.json", /broken\.json is not valid JSON/],
  ] as const) {
    const r = await flashSh(["--config", join(dir, file), "--out", join(dir, "out"), ...noBoard]);
    assert.equal(r.code, 2, `${file}: ${r.stderr}`);
    assert.match(r.stderr, why);
  }
});

test("./flash.sh resolves a relative --config against the caller's folder, not the project's", async () => {
  const caller = mkdtempSync(join(tmpdir(), "mcu-caller-"));
  mkdirSync(join(caller, "cfg"));
  // Valid, so the build passes and the run reaches the port step, which fails on the missing port.
  writeFileSync(
    join(caller, "cfg", "dev.json"),
    JSON.stringify({ id: "here", wifi: { ssid: "n" }, mqtt: { host: "h" } }),
  );
  const r = await flashSh(["--config", "cfg/dev.json", "--out", "out", ...noBoard], { cwd: caller });
  assert.match(r.stderr, /step 3\/8 \(get the REPL\) failed: \/nonexistent\/tty does not exist/, r.stderr);
  assert.ok(existsSync(join(caller, "out", "config.lua")), "the build did not go to the caller's out/");
  assert.equal(r.code, 1, r.stderr);
});

test("./flash.sh --no-build flashes only a finished build: none in --out, or --config beside it, is exit 2", async () => {
  const empty = mkdtempSync(join(tmpdir(), "mcu-nobuild-"));
  const none = await flashSh(["--no-build", "--out", empty, ...noBoard]);
  assert.equal(none.code, 2, none.stderr);
  assert.match(none.stderr, /is not a complete build \(it holds no manifest\.json\): build it first/);
  const both = await flashSh(["--no-build", "--config", "device.example.json", ...noBoard]);
  assert.equal(both.code, 2, both.stderr);
  assert.match(both.stderr, /--no-build flashes a finished build, which already holds its config/);
});
