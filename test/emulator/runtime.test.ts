// The two halves of the emulated NodeMCU modules meet: every sys("<module>.<call>") in
// tools/emulator/nodemcu has a host handler, and every host handler is called from the Lua.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { HostModules } from "../../tools/emulator/runtime/host-half.ts";
import { RUNTIME } from "../../tools/emulator/runtime/runtime.ts";
import { testBoard } from "../helpers/test-board.ts";

test("each Lua-to-host call of the runtime has a handler, and each handler a caller", () => {
  const host = (testBoard({ off: true }).board as unknown as { host: HostModules }).host;
  const lua = RUNTIME.map((c) => c.source.replace(/--[^\n]*/g, "")).join("\n");
  const called = new Set([...lua.matchAll(/\bsys\("(\w+\.\w+)"/g)].map((m) => m[1]!));
  // encoder.lua builds its call names from the list of its functions.
  const encoder = RUNTIME.find((c) => c.name.endsWith("/encoder.lua"))!.source;
  for (const f of encoder.match(/ipairs\(\{([^}]*)\}\)/)![1]!.matchAll(/"(\w+)"/g)) called.add(`encoder.${f[1]}`);
  const served = new Set(
    Object.entries(host).flatMap(([module, calls]) => Object.keys(calls).map((call) => `${module}.${call}`)),
  );
  assert.deepEqual(
    [...called].filter((c) => !served.has(c)),
    [],
    "called from Lua, but no host handler",
  );
  assert.deepEqual(
    [...served].filter((c) => !called.has(c)),
    [],
    "host handlers no Lua calls",
  );
});
