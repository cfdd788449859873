// The bundle (tools/cli/bundle.mjs): the dispatcher requires each verb's own file under
// dist/verbs/, so a verb whose file the bundler did not write would fail only when run. Every
// verb of tools/cli/verbs.ts answers --help from dist/ as it does from the sources.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { test } from "node:test";
import { verbs } from "../../tools/cli/verbs.ts";

test("every verb loads from the bundle and prints its usage", () => {
  if (!existsSync("dist/mcu.js")) spawnSync(process.execPath, ["tools/cli/bundle.mjs"], { stdio: "inherit" });
  for (const name of Object.keys(verbs)) {
    const r = spawnSync(process.execPath, ["dist/mcu.js", name, "--help"], { encoding: "utf8" });
    assert.equal(r.status, 0, `${name}: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(`^usage: (mcu ${name}\\b|\\./flash\\.sh )`), name);
  }
});
