// The minifier's passes that take an app's own functions apart (inline-single-calls,
// inline-function-values, fold-function-tests, fold-format-literals, inline-local-aliases), case
// by case: what each writes in place, where each must leave the code alone, and that the
// minified chunk returns what the original does on Lua 5.1.
import assert from "node:assert/strict";
import { test } from "node:test";
import { minifyModules } from "../../tools/compiler/minify.ts";
import { LuaVm, luaLiteral } from "../../tools/lua/vm.ts";

/** What a chunk returns, as a string, on Lua 5.1. */
function run(code: string): string {
  const s = LuaVm.shared().newState({ onPrint: () => {} });
  try {
    const r = s.exec(`return tostring(assert(loadstring(${luaLiteral(code)}))())`, "=t", 1);
    assert.ok(r.ok, r.ok ? "" : `${r.error}\n${code}`);
    return r.values[0]!.toString();
  } finally {
    s.close();
  }
}

const functions = (code: string) => code.match(/\bfunction\b/g)?.length ?? 0;

interface Case {
  name: string;
  app: string;
  /** Functions the minified chunk keeps, against the original's. */
  functions: (before: number) => number;
  /** What the minified text must (or must not) hold. */
  has?: RegExp;
  lacks?: RegExp;
}

// The handler an app passes, with an early return, as the sensor's `relay on`/`relay off`.
const handler = `local h = function(d)
  local e = d == "on" and 1 or (d == "off" and 0 or nil)
  if e == nil then return nil end
  return "r" .. e
end
`;

const cases: Case[] = [
  {
    name: "a handler called once at the end of a callback finishes the callback itself",
    app: `${handler}local out = {}
local function cb(x)
  local r = h(x)
  if r ~= nil then out[#out + 1] = r end
end
cb("on") cb("off") cb("other") cb(nil)
return table.concat(out, ",")`,
    functions: (n) => n - 1,
    lacks: /repeat/,
  },
  {
    name: "a handler called once in the middle of a callback runs once, its early return a break",
    app: `${handler}local out = {}
local function cb(x)
  local r = h(x)
  out[#out + 1] = tostring(r)
  out[#out + 1] = "|"
end
cb("on") cb("other")
return table.concat(out)`,
    functions: (n) => n - 1,
    has: /repeat/,
  },
  {
    name: "a handler reading a local that another local shadows somewhere stays a function",
    app: `local n = "outer"
local h = function(d) if d then return n end return "none" end
local function cb(x) local n = x local r = h(n) return r end
return cb("a") .. cb(nil)`,
    functions: (n) => n,
  },
  {
    name: "a handler returning from inside a loop stays a function",
    app: `local h = function(t) for i = 1, #t do if t[i] == 0 then return i end end return 0 end
local function cb(x) local r = h(x) return r end
return cb({ 3, 0, 1 }) .. cb({ 1 })`,
    functions: (n) => n,
  },
  {
    name: "a handler called twice stays a function",
    app: `${handler}return tostring(h("on")) .. tostring(h("off"))`,
    functions: (n) => n,
  },
  {
    name: "a test of an optional callback the app passes is decided, and the callback written in",
    app: `local k = 7
local status = function() return '"n":' .. k end
return "{" .. (status and "," .. status() or "") .. "}"`,
    functions: (n) => n - 1,
    lacks: /status|\band\b/,
  },
  {
    name: "a callback assigned again keeps its test",
    app: `local status = function() return "a" end
local t = {}
if #t == 0 then status = nil end
return status and status() or "none"`,
    functions: (n) => n,
    has: /\band\b/,
  },
  {
    name: "literal text passed for %s goes into the format, a % in it doubled",
    app: `local k = 3
return string.format("{%s,%d,%s%%}", "50%", k, "," .. k)`,
    functions: (n) => n,
    has: /"\{50%%,%d,,%s%%\}"/,
  },
  {
    name: "a %s with a width keeps its argument",
    app: `return string.format("[%5s]", "ab")`,
    functions: (n) => n,
    has: /%5s/,
  },
  {
    name: "an alias of a value set once reads the original",
    app: `local c
c = { v = 1 }
local a, b = c, 2
local function get() return a.v + b end
return get()`,
    functions: (n) => n,
    lacks: /local \w+,\w+=\w+,2/,
  },
  {
    name: "an alias of a value set again keeps its own copy",
    app: `local c = 1
local a = c
c = 2
return a + c`,
    functions: (n) => n,
    has: /local \w+=\w+/,
  },
  {
    name: "a hoisted function passed once, later, is written where it is passed",
    app: `local f, g
function f(x) return x + 1 end
function g(cb) return cb(41) end
local function later() return g(f) end
return later()`,
    functions: (n) => n,
    has: /\(function\(\w\)return \w\+1 end\)/,
  },
  {
    name: "a hoisted function passed before it is defined stays where it is",
    app: `local f, g, r
function g(cb) return cb end
r = g(f)
function f(x) return x end
return tostring(r)`,
    functions: (n) => n,
  },
];

for (const c of cases) {
  test(c.name, () => {
    const out = minifyModules(new Map([["app.lua", c.app]])).get("app.lua")!.code;
    assert.equal(run(out), run(c.app), out);
    assert.equal(functions(out), c.functions(functions(c.app)), out);
    if (c.has) assert.match(out, c.has);
    if (c.lacks) assert.doesNotMatch(out, c.lacks);
  });
}

test("a release of a module the build does not ship goes; one of a module that ships stays", () => {
  const lib = `local ____exports = {}
____exports.N = 5
return ____exports`;
  const app = `local l = require("lib")
local N = l.N
package.loaded.lib = nil
package.loaded.config = nil
return N`;
  const out = minifyModules(
    new Map([
      ["lib.lua", lib],
      ["app.lua", app],
      ["config.lua", "return {}"],
    ]),
  );
  assert.equal(out.has("lib.lua"), false);
  assert.doesNotMatch(out.get("app.lua")!.code, /loaded\.lib/);
  assert.match(out.get("app.lua")!.code, /package\.loaded\.config=nil/);
});

test("a module's text constant joined from its others is one literal: written in, the module stays off the board", () => {
  const contract = `local ____exports = {}
____exports.OFF = "off"
____exports.PAYLOAD = "{\\"state\\":\\"" .. ____exports.OFF .. "\\"}"
return ____exports`;
  const app = `local c = require("contract")
local PAYLOAD = c.PAYLOAD
return PAYLOAD`;
  const out = minifyModules(
    new Map([
      ["contract.lua", contract],
      ["app.lua", app],
    ]),
  );
  assert.equal(out.has("contract.lua"), false);
  assert.equal(run(out.get("app.lua")!.code), '{"state":"off"}');
});
