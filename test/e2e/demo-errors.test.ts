// mcu demo shows the board's console with its Lua errors at their TypeScript lines, as the
// monitor and mcu emulate do (host/errmap), and the raw Lua location with --raw.
import assert from "node:assert/strict";
import { test } from "node:test";
import { bugApp, lineOf, mcuUntil, TIMERS } from "../helpers/bug-apps.ts";
import { mcuBin } from "../helpers/cli.ts";

// The CLI runner reads output as latin1: the demo's "│" arrives as three characters.
const BAR = "board \\S+ ";
const FAILED = /board \S+ [^\n]*attempt to index field 'x' \(a nil value\)\n[^\n]*\n/;

test("mcu demo shows a timer callback's error at its TypeScript line, under the board's console", async () => {
  mcuBin();
  const app = bugApp(TIMERS);
  try {
    const r = await mcuUntil(["demo", "--app", app.dir, "--messages", "1"], app.dir, FAILED);
    const line = lineOf(TIMERS, "BUG-timer-inlined");
    assert.match(
      r.stdout,
      new RegExp(`${BAR}src/app\\.ts:${line}:\\d+: attempt to index field 'x' \\(a nil value\\)\\n`),
    );
    assert.match(r.stdout, new RegExp(`${BAR}  src/app\\.ts:${line}:\\d+ \\| print\\(label\\(boom\\)\\);`));
  } finally {
    app.remove();
  }
});

test("mcu demo --raw shows the board's own Lua location", async () => {
  mcuBin();
  const app = bugApp(TIMERS);
  try {
    const r = await mcuUntil(["demo", "--app", app.dir, "--messages", "1", "--raw"], app.dir, FAILED);
    assert.match(r.stdout, /board \S+ app\.lua:\d+: attempt to index field 'x' \(a nil value\)\n/);
    assert.doesNotMatch(r.stdout, /src\/app\.ts:\d+/);
  } finally {
    app.remove();
  }
});
