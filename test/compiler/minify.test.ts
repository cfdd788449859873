// The build's minifier: inlining of one-expression functions and literal constants across
// modules, joined string literals, no empty export tables, and the same results as before on Lua 5.1.
import assert from "node:assert/strict";
import { test } from "node:test";
import { minifyModules } from "../../tools/compiler/minify.ts";
import { boardNeeds } from "../../tools/compiler/needs.ts";
import { LuaVm, luaLiteral } from "../../tools/lua/vm.ts";

const lib = `local ____exports = {}
local BASE = 10
____exports.SLOT = 64
____exports.NAME = "n"
function ____exports.join(a, b) return a .. "/" .. b end
function ____exports.scaled(x, r) return math.floor(BASE * x * (1 - r)) end
function ____exports.twice(x) return x .. x end
function ____exports.swapped(a, b) return b .. a end
function ____exports.statements(a) local y = a return y end
return ____exports`;

/** The minified modules' code (their line maps aside). */
const codeOf = (built: ReturnType<typeof minifyModules>): Map<string, string> =>
  new Map([...built].map(([name, m]) => [name, m.code]));

function build(app: string): Map<string, string> {
  return codeOf(
    minifyModules(
      new Map([
        ["lib.lua", lib],
        ["app.lua", app],
      ]),
    ),
  );
}

/** Runs app.lua with lib.lua preloaded (when the build shipped it), and returns what it returns as a string. */
function run(files: Map<string, string>): string {
  const lib = files.get("lib.lua");
  const s = LuaVm.shared().newState({ onPrint: () => {} });
  try {
    const r = s.exec(
      `${lib ? `package.preload.lib = loadstring(${luaLiteral(lib)}) ` : ""}return tostring(loadstring(${luaLiteral(files.get("app.lua")!)})())`,
      "=t",
      1,
    );
    assert.ok(r.ok, r.ok ? "" : r.error);
    return r.values[0]!.toString();
  } finally {
    s.close();
  }
}

const head = `local l = require("lib")
local join = l.join
local scaled = l.scaled
local SLOT = l.SLOT
`;

test("one-expression functions and literal constants are written in place, with the same results", () => {
  const app =
    head +
    `local n = 0
local function next() n = n + 1 return n end
return join("a", next()) .. ":" .. scaled(next(), 0.25) .. ":" .. SLOT`;
  const out = build(app);
  const code = out.get("app.lua")!;
  assert.doesNotMatch(code, /\bjoin\(|\bscaled\(/, code);
  assert.match(code, /math\.floor/);
  assert.match(code, /64/);
  assert.equal(run(out), "a/1:15:64");
});

test("an alias that inlining left unread is dropped; one still read stays", () => {
  const out = build(`${head}local NAME = l.NAME
local twice = l.twice
return join("a", "b") .. SLOT .. tostring(twice)`);
  const code = out.get("app.lua")!;
  // join and SLOT were written in place, NAME was never read: their aliases go. twice is read.
  assert.doesNotMatch(code, /\.join\b|\.SLOT\b|\.NAME\b|\.scaled\b/, code);
  assert.match(code, /\.twice\b/, code);
  assert.match(run(out), /^a\/b64function/);
});

test("calls that cannot be inlined exactly stay calls", () => {
  const cases: [string, string, RegExp][] = [
    ["a parameter read twice", `local f = l.twice return f("x")`, /\bf\("x"\)|\ba\("x"\)|\("x"\)/],
    ["parameters read out of order", `local f = l.swapped return f("x", "y")`, /\("x","y"\)/],
    ["a body with statements", `local f = l.statements return f("z")`, /\("z"\)/],
    [
      "a local that shadows the alias",
      `local function g(join) return join("p", "q") end return g(function(a, b) return b end)`,
      /\("p","q"\)/,
    ],
  ];
  for (const [what, body, stays] of cases) {
    const out = build(head + body);
    assert.match(out.get("app.lua")!, stays, `${what}: ${out.get("app.lua")}`);
  }
  assert.equal(run(build(head + `local f = l.twice return f("x")`)), "xx");
  assert.equal(run(build(head + `local f = l.swapped return f("x", "y")`)), "yx");
  assert.equal(
    run(build(head + `local function g(join) return join("p", "q") end return g(function(a, b) return b end)`)),
    "q",
  );
});

test("a constant that the caller assigns to is not folded", () => {
  const out = build(head + `SLOT = SLOT + 1 return SLOT`);
  assert.equal(run(out), "65");
});

test("string literals that meet are joined, but never into a different escape", () => {
  const out = build(`local ____exports = {} local x = ... return "a" .. "b" .. "c" .. tostring(x) .. "\\1" .. "2"`);
  const code = out.get("app.lua")!;
  assert.match(code, /"abc"/);
  assert.match(code, /"\\1"\.\."2"/);
  // Two digits of an escape may take a third; three are complete.
  const escapes = build(
    `local ____exports = {} local x = ... return tostring(x) .. "\\12" .. "3" .. tostring(x) .. "\\123" .. "4"`,
  ).get("app.lua")!;
  assert.match(escapes, /"\\12"\.\."3"/, escapes);
  assert.match(escapes, /"\\1234"/, escapes);
});

test("the board's needs: a fraction or exponent needs a float build, a hex literal does not", () => {
  const needs = boardNeeds(new Map([["a.lua", "local a, b, c, d = 0x1E, 0.5, 1e3, 12\n"]]), false, 0);
  assert.deepEqual(needs.floats, ["a.lua: 0.5", "a.lua: 1e3"]);
});

test("a module that exports nothing returns nothing, so require keeps no table", () => {
  const out = build(`local ____exports = {}\nprint("hi")\nreturn ____exports`);
  assert.doesNotMatch(out.get("app.lua")!, /return/);
  assert.match(out.get("lib.lua")!, /return a$/m, "a module with exports keeps its table");
});

test("a constant passed straight to an inlined function is folded too", () => {
  const out = build(`${head}local NAME = l.NAME
return join("a", NAME)`);
  const code = out.get("app.lua")!;
  assert.match(code, /"a\/n"|"a".."\/".."n"|"a\/".."n"/, code);
  assert.doesNotMatch(code, /\.NAME\b/, code);
  assert.equal(run(out), "a/n");
});

test("a module that only defines things, once inlining leaves it unrequired, is not shipped; one still read, or with effects, is", () => {
  const all = build(`${head}return join("a", "b") .. SLOT`);
  assert.deepEqual([...all.keys()], ["app.lua"], "lib.lua is required by nothing now");
  assert.doesNotMatch(all.get("app.lua")!, /require/);
  const read = build(`${head}local twice = l.twice return twice("x")`);
  assert.deepEqual([...read.keys()].sort(), ["app.lua", "lib.lua"]);
  const effects = minifyModules(
    new Map([
      ["fx.lua", `local ____exports = {}\nprint("loaded")\n____exports.N = 1\nreturn ____exports`],
      ["app.lua", `local f = require("fx")\nlocal N = f.N\nreturn N`],
    ]),
  );
  assert.deepEqual(
    [...effects.keys()].sort(),
    ["app.lua", "fx.lua"],
    "a module that prints when loaded is still required",
  );
  assert.match(effects.get("app.lua")!.code, /require\("fx"\)/);
});

// A library of one exported function (as firmware/src/session.ts), with its own locals named as
// the app's are, a handler it calls, an optional argument and results.
const session = `local ____exports = {}
local ____lib = require("lib")
local join = ____lib.join
function ____exports.start(onMessage, status)
  local n = 10
  local log = {}
  local function put(r)
    log[#log + 1] = join(r, n)
    return true
  end
  local function deliver(data)
    local reply = onMessage(data)
    if reply ~= nil and not put(reply) then n = 0 end
  end
  deliver("a")
  deliver(nil)
  local extra = status and status() or "none"
  return function() return table.concat(log, ",") .. ";" .. extra end, n
end
return ____exports`;

function withSession(app: string, splice = true): Map<string, string> {
  return codeOf(
    minifyModules(
      new Map([
        ["lib.lua", lib],
        ["session.lua", session],
        ["app.lua", app],
      ]),
      splice,
    ),
  );
}

/** Runs app.lua with whatever modules the build shipped preloaded. */
function runAll(files: Map<string, string>): string {
  const s = LuaVm.shared().newState({ onPrint: () => {} });
  try {
    const preload = [...files]
      .filter(([name]) => name !== "app.lua")
      .map(([name, code]) => `package.preload[${luaLiteral(name.slice(0, -4))}] = loadstring(${luaLiteral(code)}) `)
      .join("");
    const r = s.exec(`${preload}return tostring(loadstring(${luaLiteral(files.get("app.lua")!)})())`, "=t", 1);
    assert.ok(r.ok, r.ok ? "" : r.error);
    return r.values[0]!.toString();
  } finally {
    s.close();
  }
}

const sessionApp = (handler: string, status = "") => `local ____session = require("session")
local start = ____session.start
local n = 5
local report, ten = start(${handler}${status})
return report() .. ":" .. ten .. ":" .. n`;

test("a library's one function, called once, is written into the app with the same results, and does not ship", () => {
  for (const [handler, status, expected] of [
    ['function(data) return data or "" end', "", "a/10,/10;none:10:5"],
    [
      "function(data) if data == nil then return nil end return data .. n end",
      ', function() return "s" .. n end',
      "a5/10;s5:10:5",
    ],
  ]) {
    const app = sessionApp(handler!, status);
    const apart = withSession(app, false);
    const spliced = withSession(app);
    assert.ok(apart.has("session.lua"));
    assert.ok(!spliced.has("session.lua"), [...spliced.keys()].join());
    assert.equal(runAll(apart), expected);
    assert.equal(runAll(spliced), expected);
  }
});

test("a spliced one-expression handler is written where the library calls it, its never-nil result in place", () => {
  const code = withSession(sessionApp('function(data) return data or "" end')).get("app.lua")!;
  assert.doesNotMatch(code, /~=nil/, code);
  assert.match(code, /join|"\/"/, code);
  assert.doesNotMatch(code, /=function\([a-z]\)return [a-z] or""end/, code);
});

test("an optional argument left out is nil, and the code that tests it goes", () => {
  const code = withSession(sessionApp("function(data) return data end")).get("app.lua")!;
  assert.doesNotMatch(code, /"none"\s*or|and [a-z]\(\)/, code);
  assert.equal(runAll(withSession(sessionApp("function(data) return data end"))), "a/10;none:10:5");
});

test("a module's literal constants are written where they are read; one assigned to stays", () => {
  const out = build(`local PIN = 3
local count = 0
local function bump() count = count + PIN return count end
bump()
return bump()`);
  const code = out.get("app.lua")!;
  assert.match(code, /\+3/, code);
  assert.equal(run(out), "6");
});
