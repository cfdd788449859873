// npm test's preflight: a machine without what the suites drive stops with one line saying what to install.
import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { missingPackages, preflightMessage, TOOLS } from "../preflight.ts";

const dir = mkdtempSync(join(tmpdir(), "mcu-preflight-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("nothing on the path: every package named once, in one line that says how to install them", () => {
  const missing = missingPackages([dir]);
  assert.deepEqual(missing, ["mosquitto", "mosquitto-clients", "openssl", "lua-check"]);
  assert.equal(
    preflightMessage(missing),
    "npm test needs mosquitto, mosquitto-clients, openssl, lua-check: apt-get install mosquitto mosquitto-clients openssl lua-check (or run bash .ci/run, which installs them)",
  );
});

test("every command present and executable: nothing missing, no message", () => {
  for (const { command } of TOOLS) {
    writeFileSync(join(dir, command), "#!/bin/sh\n");
    chmodSync(join(dir, command), 0o755);
  }
  assert.deepEqual(missingPackages([dir]), []);
  assert.equal(preflightMessage([]), undefined);
});

test("a command present but not executable counts as missing", () => {
  chmodSync(join(dir, "mosquitto_sub"), 0o644);
  assert.deepEqual(missingPackages([dir]), ["mosquitto-clients"]);
});
