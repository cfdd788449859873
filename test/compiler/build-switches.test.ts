// Updates over MQTT are opt-in (device.json "ota"): without it the build ships none of their code
// (app.lua and init.lua are what they would be without the feature); with it the OTA modules ship;
// with a secret, otamac.lua too, config.lua holds the secret, and the board's build must have crypto.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { BuildError, buildFirmware } from "../../tools/compiler/build.ts";
import { dropUnreadLocals } from "../../tools/compiler/passes/drop-unread-locals.ts";
import { foldSwitches } from "../../tools/compiler/passes/fold-switches.ts";
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
  const configFile = writeConfig({
    id: "signed",
    wifi: { ssid: "n", password: "p" },
    mqtt: { host: "127.0.0.1" },
    ota: { secret: SECRET },
  });
  const b = await buildFirmware({
    configFile,
    outDir: mkdtempSync(join(tmpdir(), "mcu-build-")),
    log: (l) => lines.push(l),
  });
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

/** The build's two passes over a module before it decides what ships. */
const fold = (code: string, switches: Record<string, boolean>) =>
  dropUnreadLocals(foldSwitches("x.lua", code, switches));

test("a switch folds to its body or its else part; a local only the dropped part used goes too", () => {
  const code =
    "local a, t\nif BUILD_X then\n    t = 1\n    if t then\n        a = t\n    end\nelse\n    a = 2\nend\nprint(a)\n";
  assert.equal(
    fold(code, { BUILD_X: true }),
    "local a, t\n    t = 1\n    if t then\n        a = t\n    end\nprint(a)\n",
  );
  assert.equal(fold(code, { BUILD_X: false }), "local a\n    a = 2\nprint(a)\n");
  for (const misuse of [
    "local y = BUILD_X and 1\n",
    "if BUILD_X then\n    f()\nelseif g then\n    h()\nend\n",
    "if not BUILD_X then\n    f()\nend\n",
  ]) {
    assert.throws(
      () => fold(misuse, { BUILD_X: false }),
      (e: Error) => e instanceof BuildError && /x\.lua: BUILD_X is a build switch/.test(e.message),
      misuse,
    );
  }
});

// The old fold was a regex that found a block's end by the `if`'s indentation, as TSTL writes it;
// these are the layouts it got wrong. The fold now reads the tree, so the layout does not matter.
test("a switch folds whatever the layout: an end indented unlike its if, one line, nested switches", () => {
  const skewed = "local t\nif BUILD_X then\n    t = 1\n  end\nprint(t)\n";
  assert.equal(fold(skewed, { BUILD_X: true }), "local t\n    t = 1\nprint(t)\n");
  assert.equal(fold(skewed, { BUILD_X: false }), "local t\nprint(t)\n");
  assert.equal(fold("f()\n    if BUILD_X then g() end\nh()\n", { BUILD_X: false }), "f()\nh()\n");
  assert.equal(fold("f()\n    if BUILD_X then g() end\nh()\n", { BUILD_X: true }), "f()\n g() \nh()\n");
  const nested = [
    "local a, b",
    "if BUILD_X then",
    "    a = 1",
    "    if BUILD_Y then",
    "        b = 2",
    "    else",
    "        a = 3",
    "    end",
    "end",
    "print(a, b)",
    "",
  ].join("\n");
  assert.equal(fold(nested, { BUILD_X: true, BUILD_Y: true }), "local a, b\n    a = 1\n        b = 2\nprint(a, b)\n");
  assert.equal(fold(nested, { BUILD_X: true, BUILD_Y: false }), "local a, b\n    a = 1\n        a = 3\nprint(a, b)\n");
  assert.equal(fold(nested, { BUILD_X: false, BUILD_Y: true }), "local a, b\nprint(a, b)\n");
  // Names, not text: a string or a field that spells a local's name does not keep it.
  assert.equal(
    fold('local n\nif BUILD_X then\n    n = 1\nend\nprint("n", x.n)\n', { BUILD_X: false }),
    'print("n", x.n)\n',
  );
});
