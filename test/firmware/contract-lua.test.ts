// The same contract, compiled by the real build, run on Lua 5.1: both sides must agree exactly.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import * as C from "../../firmware/src/contract.ts";
import { luaLiteral, type LuaState } from "../../tools/lua/vm.ts";
import { buildOnce, stateWithModules } from "../helpers/firmware.ts";

let lua: LuaState;

before(async () => {
  const build = await buildOnce();
  lua = stateWithModules(build.outDir, ["lualib_bundle", "contract"]);
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

const ids = ["kitchen", "a+b", "a#", "a/b", "a b", "", "x".repeat(C.MAX_ID_LENGTH), "x".repeat(C.MAX_ID_LENGTH + 1), "ü-board", "new\nline", "ok.id_2"];

test("idError gives the same verdict and message in Lua as in JavaScript", () => {
  for (const id of ids) assert.equal(call("idError", id), C.idError(id) ?? "<nil>", `id ${JSON.stringify(id)}`);
});

test("random ids agree between Lua and JavaScript", () => {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < 300; i++) {
    const len = Math.floor(rnd() * 30);
    let id = "";
    for (let j = 0; j < len; j++) id += String.fromCharCode(32 + Math.floor(rnd() * 95));
    assert.equal(call("idError", id), C.idError(id) ?? "<nil>", `id ${JSON.stringify(id)}`);
  }
});

test("prefixError and topics agree", () => {
  for (const p of ["nodemcu", "home/esp", "/x", "x/", "a+b", ""]) {
    assert.equal(call("prefixError", p), C.prefixError(p) ?? "<nil>", `prefix ${JSON.stringify(p)}`);
  }
  assert.equal(call("topic", "nodemcu", "kitchen", "in"), C.topic("nodemcu", "kitchen", C.IN));
  assert.equal(call("topic", "home/esp", "k1", "status"), C.topic("home/esp", "k1", C.STATUS));
  for (const t of ["nodemcu/kitchen/status", "nodemcu//status", "nodemcu/a/b/status", "other/x/status"]) {
    assert.equal(call("deviceOf", "nodemcu", "status", t), C.deviceOf("nodemcu", C.STATUS, t) ?? "<nil>", t);
  }
});

test("the backoff schedule is the same on the board", () => {
  for (let attempt = 0; attempt < 40; attempt++) {
    for (const r of [0, 0.25, 0.5, 0.999]) {
      assert.equal(Number(call("backoffMs", attempt, r)), C.backoffMs(attempt, r), `attempt ${attempt} r ${r}`);
    }
  }
});

test("status payloads are byte-identical", () => {
  assert.equal(call("onlinePayload", "1.2.3+abc", "10.0.0.9", 30123, 4), C.onlinePayload("1.2.3+abc", "10.0.0.9", 30123, 4));
  assert.equal(lua.eval("return C.OFFLINE_PAYLOAD"), C.OFFLINE_PAYLOAD);
});
