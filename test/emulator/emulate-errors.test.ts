// `mcu emulate`'s console shows the board's Lua errors at their TypeScript file and line (the
// build's error maps, host/errmap), with the source line under them; --raw shows them as the
// board printed them, and a source edited since the build is flagged rather than trusted.
import assert from "node:assert/strict";
import { appendFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { MqttClient } from "../../host/mqtt/index.ts";
import { startMosquitto } from "../helpers/broker.ts";
import { AT_LOAD, bugApp, lineOf, mcuUntil, ON_MESSAGE, TIMERS, UTIL } from "../helpers/bug-apps.ts";
import { mcu, mcuBin } from "../helpers/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "mcu-emulate-errors-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** `mcu emulate` of the app folder it runs in, on a flash folder of its own. */
const emulate = (flash: string, ...more: string[]) => ["emulate", "--app", ".", "--flash", join(dir, flash), ...more];

test("timer callbacks: an inlined function, a second module and a renamed local, each at its TypeScript line", async () => {
  mcuBin();
  const app = bugApp(TIMERS);
  try {
    const r = await mcuUntil(emulate("timers"), app.dir, /local '\w+' \(a nil value\)[\s\S]*traceback:\n[^\n]*\n/);
    const out = r.stdout;
    const inlined = lineOf(TIMERS, "BUG-timer-inlined");
    assert.match(
      out,
      new RegExp(
        `\\nsrc/app\\.ts:${inlined}:\\d+: attempt to index field 'x' \\(a nil value\\)\\n  src/app\\.ts:${inlined}:\\d+ \\| print\\(label\\(boom\\)\\);`,
      ),
    );
    assert.match(
      out,
      new RegExp(`\\n  inlined: src/util\\.ts:${lineOf(UTIL, "BUG-inlined")}:\\d+ \\| return "v" \\+ n\\.x!\\.y;`),
    );
    assert.match(out, new RegExp(`\\nsrc/util\\.ts:${lineOf(UTIL, "BUG-util")}:\\d+: attempt to index field 'x'`));
    assert.match(
      out,
      new RegExp(`\\tsrc/app\\.ts:${lineOf(TIMERS, "BUG-timer-util")}:\\d+: in function`),
      "the traceback names the caller's line",
    );
    assert.match(
      out,
      new RegExp(
        `\\nsrc/app\\.ts:${lineOf(TIMERS, "BUG-local")}:\\d+: attempt to index local 'entry' \\(a nil value\\)`,
      ),
    );
    assert.doesNotMatch(out, /\b(?:app|util)\.lua:\d/, "no Lua location is left unmapped");
    assert.doesNotMatch(out, /emulator\//, "no frame of the emulator's own Lua files");
  } finally {
    app.remove();
  }
});

test("an error while app.lua loads shows at its TypeScript line", async () => {
  mcuBin();
  const app = bugApp(AT_LOAD);
  try {
    const r = await mcuUntil(emulate("load"), app.dir, /in main chunk[\s\S]*\n[^\n]*init\.ts:\d+:\d+: in function/);
    const line = lineOf(AT_LOAD, "BUG-load");
    assert.match(
      r.stdout,
      new RegExp(
        `\\n(?:> )?src/app\\.ts:${line}:\\d+: attempt to index field 'led' \\(a nil value\\)\\n  src/app\\.ts:${line}:\\d+ \\| gpio\\.mode`,
      ),
    );
    assert.match(r.stdout, new RegExp(`\\tsrc/app\\.ts:${line}:\\d+: in main chunk`));
  } finally {
    app.remove();
  }
});

// NodeMCU runs MQTT callbacks unprotected: the error is a PANIC line, and the board restarts.
// The message is retained, so the board gets it as soon as it subscribes.
test("an MQTT message callback's error shows at the handler's TypeScript line", async () => {
  mcuBin();
  const broker = await startMosquitto();
  const app = bugApp(ON_MESSAGE, broker.port);
  const pc = new MqttClient({ host: broker.host, port: broker.port, clientId: "emulate-errors" });
  try {
    await pc.connect();
    await pc.publish("nodemcu/bugs/in", "boom", { qos: 1, retain: true });
    const r = await mcuUntil(emulate("message"), app.dir, /field 'x' \(a nil value\)\)\n.*\n/);
    const line = lineOf(ON_MESSAGE, "BUG-message");
    assert.match(
      r.stdout,
      new RegExp(
        `\\nPANIC: [^\\n]*\\(src/app\\.ts:${line}:\\d+: attempt to index field 'x' \\(a nil value\\)\\)\\n  src/app\\.ts:${line}:\\d+ \\| start\\(`,
      ),
    );
  } finally {
    await pc.end();
    await broker.stop();
    app.remove();
  }
});

test("--raw shows the board's own Lua locations", async () => {
  mcuBin();
  const app = bugApp(AT_LOAD);
  try {
    const r = await mcuUntil(
      [...emulate("raw"), "--raw"],
      app.dir,
      /in main chunk[\s\S]*\n[^\n]*init\.lua:\d+: in function/,
    );
    assert.match(r.stdout, /\n(?:> )?app\.lua:\d+: attempt to index field 'led' \(a nil value\)\n/);
    assert.doesNotMatch(r.stdout, /src\/app\.ts/);
  } finally {
    app.remove();
  }
});

test("a source edited since the build is flagged, its lines left as the board said them", async () => {
  mcuBin();
  const app = bugApp(TIMERS);
  try {
    const built = await mcu(["build", "--app", "."], { cwd: app.dir });
    assert.equal(built.code, 0, built.stderr);
    appendFileSync(join(app.dir, "src", "util.ts"), "// edited after the build\n");
    const args = ["emulate", "--load", "build/lua", "--flash", join(dir, "stale")];
    const r = await mcuUntil(args, app.dir, /local '\w+' \(a nil value\)[\s\S]*traceback:\n[^\n]*\n/);
    assert.match(
      r.stdout,
      /\nutil\.lua:\d+: attempt to index field 'x' \(a nil value\)\n {2}\(src\/util\.ts changed since the build; line numbers may be off/,
    );
    // app.ts is unchanged: its lines are still mapped.
    assert.match(
      r.stdout,
      new RegExp(`\\nsrc/app\\.ts:${lineOf(TIMERS, "BUG-local")}:\\d+: attempt to index local 'entry'`),
    );
  } finally {
    app.remove();
  }
});
