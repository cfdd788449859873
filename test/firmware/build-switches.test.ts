// Updates over MQTT are opt-in (device.json "ota"): without it the build ships none of their code
// (app.lua and init.lua are what they would be without the feature); with it the OTA modules ship;
// with a secret, otamac.lua too, config.lua holds the secret, and the board's build must have crypto.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { BuildError, buildFirmware } from "../../tools/compiler/build.ts";
import { foldSwitches } from "../../tools/compiler/switches.ts";
import { RECOMMENDED_BUILD } from "../../tools/nodemcu/builds.ts";
import { checkBoard } from "../../tools/serial/preflight.ts";
import { buildOnce, writeConfig } from "../helpers/firmware.ts";

const SECRET = "correct-horse-battery-staple-42";
const OTA_MODULES = ["ota.lua", "otaboot.lua", "otacontract.lua", "otasum.lua", "otaswap.lua"];
const names = (files: { name: string }[]) => files.map((f) => f.name).sort();

test("without ota in device.json: no OTA module ships, and app.lua and init.lua name none", async () => {
  const b = await buildOnce();
  assert.deepEqual(names(b.files), ["app.lua", "brokers.lua", "config.lua", "init.lua"]);
  for (const f of ["app.lua", "init.lua", "config.lua"]) {
    const code = readFileSync(join(b.outDir, f), "utf8");
    assert.doesNotMatch(code, /ota|BUILD_/, f);
  }
});

test('with "ota": {} the OTA modules ship, init.lua loads otaboot, and no crypto is needed', async () => {
  const b = await buildOnce({ ota: {} });
  assert.deepEqual(names(b.files), ["app.lua", "brokers.lua", "config.lua", "init.lua", ...OTA_MODULES].sort());
  assert.match(readFileSync(join(b.outDir, "init.lua"), "utf8"), /require\("otaboot"\)/);
  assert.match(readFileSync(join(b.outDir, "app.lua"), "utf8"), /require\("ota"\)/);
  assert.doesNotMatch(readFileSync(join(b.outDir, "config.lua"), "utf8"), /otakey/);
  assert.ok(!b.needs.modules.includes("crypto"));
});

test("with a secret: otamac.lua ships, config.lua holds the secret, the build needs crypto, and the secret is not printed", async () => {
  const lines: string[] = [];
  const configFile = writeConfig({ id: "signed", wifi: { ssid: "n", password: "p" }, mqtt: { host: "127.0.0.1" }, ota: { secret: SECRET } });
  const b = await buildFirmware({ configFile, outDir: mkdtempSync(join(tmpdir(), "mcu-build-")), log: (l) => lines.push(l) });
  assert.ok(names(b.files).includes("otamac.lua"));
  assert.match(readFileSync(join(b.outDir, "config.lua"), "utf8"), new RegExp(`otakey="${SECRET}"`));
  assert.ok(b.needs.modules.includes("crypto"));
  assert.ok(!lines.join("\n").includes(SECRET), "the build log");
  assert.ok(!readFileSync(join(b.outDir, "manifest.json"), "utf8").includes(SECRET), "manifest.json");
  // ./flash.sh's preflight refuses a board without crypto, naming it.
  const board = { modules: [...RECOMMENDED_BUILD], ssl: false, numberType: "float", heap: 40000, flashFree: 400000 };
  assert.throws(() => checkBoard(board, b.needs), /lacks module crypto/);
  assert.doesNotThrow(() => checkBoard({ ...board, modules: [...RECOMMENDED_BUILD, "crypto"] }, b.needs));
});

test("a switch folds to its body or its else part; a local only the dropped part used goes too", () => {
  const code = "local a, t\nif BUILD_X then\n    t = 1\n    if t then\n        a = t\n    end\nelse\n    a = 2\nend\nprint(a)\n";
  assert.equal(foldSwitches("x.lua", code, { BUILD_X: true }), "local a, t\n    t = 1\n    if t then\n        a = t\n    end\nprint(a)\n");
  assert.equal(foldSwitches("x.lua", code, { BUILD_X: false }), "local a\n    a = 2\nprint(a)\n");
  assert.throws(
    () => foldSwitches("x.lua", "local y = BUILD_X and 1\n", { BUILD_X: false }),
    (e: Error) => e instanceof BuildError && /x\.lua: BUILD_X is a build switch/.test(e.message),
  );
});
