// The same contract, compiled by the real build, run on Lua 5.1: both sides must agree exactly.
// (The naming rules in names.ts stay on the host and in the build; the board never loads them.)
// The board's build writes the contract's constants and one-expression functions into the modules
// that use them and ships no contract.lua; a build without minifying keeps the module to test.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import * as C from "../../firmware/src/contract.ts";
import { buildFirmware } from "../../tools/compiler/build.ts";
import { type LuaState, luaLiteral } from "../../tools/lua/vm.ts";
import { stateWithModules, writeConfig } from "../helpers/firmware.ts";
import { onlineStatus } from "../helpers/status.ts";

let lua: LuaState;

before(async () => {
  const configFile = writeConfig({
    id: "testboard",
    wifi: { ssid: "testnet", password: "wifi-secret-1" },
    mqtt: { host: "127.0.0.1", port: 1883 },
  });
  const outDir = mkdtempSync(join(tmpdir(), "mcu-contract-"));
  after(() => rmSync(outDir, { recursive: true, force: true }));
  const build = await buildFirmware({ configFile, outDir, minify: false, log: () => {} });
  lua = stateWithModules(build.outDir, ["contract"]);
  const r = lua.exec('C = require("contract")');
  assert.ok(r.ok, r.ok ? "" : r.error);
});
after(() => lua.close());

function call(fn: string, ...args: (string | number)[]): string {
  const list = args.map((a) => (typeof a === "string" ? luaLiteral(a) : String(a))).join(", ");
  const r = lua.exec(`local v = C.${fn}(${list}) if v == nil then return "<nil>" end return tostring(v)`, "=call", 1);
  if (!r.ok) throw new Error(r.error);
  return r.values[0]!.toString("utf8");
}

test("topics agree", () => {
  assert.equal(call("topic", "nodemcu", "kitchen", "in"), C.topic("nodemcu", "kitchen", C.IN));
  assert.equal(call("topic", "home/esp", "k1", "status"), C.topic("home/esp", "k1", C.STATUS));
  assert.equal(call("defaultId", "c0ffee"), C.defaultId("c0ffee"));
});

test("the backoff schedule is the same on the board", () => {
  for (let attempt = 0; attempt < 40; attempt++) {
    for (const r of [0, 0.25, 0.5, 0.999]) {
      assert.equal(Number(call("backoffMs", attempt, r)), C.backoffMs(attempt, r), `attempt ${attempt} r ${r}`);
    }
  }
});

test("status payloads are byte-identical", () => {
  const board = lua.eval(
    'return string.format(C.ONLINE_FORMAT, "1.2.3+abc", "10.0.0.9", 30123, 4, 5, "b.local", 1884, ",\\"failedReads\\":2")',
  );
  assert.equal(board, onlineStatus("1.2.3+abc", "10.0.0.9", 30123, 4, 5, "b.local", 1884, ',"failedReads":2'));
  assert.deepEqual(JSON.parse(board), {
    state: C.ONLINE,
    version: "1.2.3+abc",
    ip: "10.0.0.9",
    heap: 30123,
    overflows: 4,
    dropped: 5,
    broker: "b.local:1884",
    failedReads: 2,
  });
  assert.equal(lua.eval("return C.OFFLINE_PAYLOAD"), C.OFFLINE_PAYLOAD);
});
