// The bridge to the reference Lua 5.1: bytes in and out unchanged, synchronous calls, errors.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import { LUA_ERRRUN, LUA_ERRSYNTAX, LuaVm, luaLiteral } from "../../tools/lua/vm.ts";

const vm = LuaVm.shared();

test("runs Lua 5.1 itself", () => {
  const s = vm.newState({ onPrint: () => {} });
  assert.equal(s.eval("return _VERSION"), "Lua 5.1");
  s.close();
});

test("every byte value survives a literal into Lua and a result out of it", () => {
  const s = vm.newState({ onPrint: () => {} });
  const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  for (const data of [all, randomBytes(5000), Buffer.alloc(0)]) {
    const r = s.exec(`local v = ${luaLiteral(data)} return v, #v`, "=t", 2);
    assert.ok(r.ok);
    assert.deepEqual(r.values[0], data);
    assert.equal(Number(r.values[1]!.toString()), data.length);
  }
  s.close();
});

test("__sys reaches JavaScript synchronously with exact bytes and returns several values", () => {
  const calls: [string, Buffer[]][] = [];
  const s = vm.newState({
    onPrint: () => {},
    onSys: (name, args) => {
      calls.push([name, args]);
      return [Buffer.from([0, 200, 37]), 7, true, null];
    },
  });
  const r = s.exec(
    'local a, b, c, d = __sys("probe", "x\\0%\\255", 12) return a, b, tostring(c), tostring(d)',
    "=t",
    4,
  );
  assert.ok(r.ok, r.ok ? "" : r.error);
  assert.deepEqual(calls, [["probe", [Buffer.from([0x78, 0, 0x25, 0xff]), Buffer.from("12")]]]);
  assert.deepEqual(
    r.values.map((v) => v.toString("latin1")),
    ["\u0000\u00c8%", "7", "true", "nil"],
  );
  s.close();
});

test("errors come back with Lua's status and message; states are independent", () => {
  const a = vm.newState({ onPrint: () => {} });
  const b = vm.newState({ onPrint: () => {} });
  const syntax = a.exec("x = = 1");
  assert.deepEqual(syntax, { ok: false, status: LUA_ERRSYNTAX, error: "stdin:1: unexpected symbol near '='" });
  const run = a.exec('error("boom")');
  assert.deepEqual(run, { ok: false, status: LUA_ERRRUN, error: "stdin:1: boom" });
  a.exec("shared = 1");
  assert.equal(b.eval("return tostring(shared)"), "nil");
  assert.ok(a.memoryBytes() > 1000);
  a.close();
  b.close();
});

test("print lines reach the state's own hook", () => {
  const lines: string[] = [];
  const s = vm.newState({ onPrint: (l) => lines.push(l) });
  s.exec('print("hello", 1.5)');
  assert.deepEqual(lines, ["hello\t1.5"]);
  s.close();
});

test("loading the WebAssembly Lua leaves the process's error handlers alone", () => {
  const count = () => process.listenerCount("unhandledRejection") + process.listenerCount("uncaughtException");
  const before = count();
  new LuaVm(); // a fresh WebAssembly instance runs the glue's start-up again
  assert.equal(count(), before);
});
