// Board errors at their TypeScript lines on a real serial line (a pty): ./flash.sh's console and
// `mcu monitor` map them with the build folder's error maps (host/errmap), which never reach the
// board; `mcu monitor --raw` shows the board's own words.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { MqttClient } from "../../host/mqtt/index.ts";
import { type BuildResult, buildFirmware } from "../../tools/compiler/build.ts";
import { startMosquitto } from "../helpers/broker.ts";
import { AT_LOAD, type BugApp, bugApp, lineOf, mcuUntil, ON_MESSAGE, TIMERS, UTIL } from "../helpers/bug-apps.ts";
import { flashSh, mcuBin } from "../helpers/cli.ts";
import { type PtyBoard, ptyBoard } from "../helpers/pty-board.ts";
import { waitFor } from "../helpers/wait.ts";

test("./flash.sh's console shows timer errors at their TypeScript lines, and the maps stay on the PC", async () => {
  mcuBin();
  const app = bugApp(TIMERS);
  const pb = ptyBoard();
  try {
    assert.ok(await waitFor(() => /> $/.test(pb.text()), 20000), "the board never prompted");
    let kill = () => {};
    // Ended anyway if the console never shows it (the assertions then say what it showed).
    const guard = setTimeout(() => kill(), 90000);
    const r = await flashSh(["--app", app.dir, "--port", pb.link], {
      cwd: app.dir,
      onSpawn: (k) => (kill = k),
      onStdout: (s) => /local '\w+' \(a nil value\)\r\n.*\r\nstack traceback:\r\n.*\r\n/.test(s) && kill(),
    });
    clearTimeout(guard);
    const out = r.stdout.replace(/\r\n/g, "\n");
    assert.match(
      out,
      new RegExp(`\\nsrc/app\\.ts:${lineOf(TIMERS, "BUG-timer-inlined")}:\\d+: attempt to index field 'x'`),
      out,
    );
    assert.match(out, new RegExp(`\\n  inlined: src/util\\.ts:${lineOf(UTIL, "BUG-inlined")}:\\d+ \\|`));
    assert.match(out, new RegExp(`\\nsrc/util\\.ts:${lineOf(UTIL, "BUG-util")}:\\d+: attempt to index field 'x'`));
    assert.match(
      out,
      new RegExp(
        `\\nsrc/app\\.ts:${lineOf(TIMERS, "BUG-local")}:\\d+: attempt to index local 'entry' \\(a nil value\\)`,
      ),
    );

    const build = join(app.dir, "build", "lua");
    const manifest = JSON.parse(readFileSync(join(build, "manifest.json"), "utf8")) as {
      files: { name: string }[];
      maps: string[];
    };
    assert.ok(manifest.maps.includes("app.lua.map"), `the manifest lists the maps: ${JSON.stringify(manifest.maps)}`);
    assert.ok(readdirSync(build).includes("app.lua.map"));
    assert.ok(!manifest.files.some((f) => f.name.endsWith(".map")), "no map is a board file");
    assert.deepEqual(
      readdirSync(pb.flashDir).filter((n) => n.includes("map")),
      [],
      "no map was uploaded",
    );
  } finally {
    pb.close();
    app.remove();
  }
});

/** A board (at its REPL, nothing in its flash yet) and `app`'s build for it. */
async function boardFor(app: BugApp): Promise<{ pb: PtyBoard; built: BuildResult }> {
  const built = await buildFirmware({ appDir: app.dir, log: () => {} });
  return { pb: ptyBoard(), built };
}

/**
 * Puts the build on the board and restarts it once `mcu monitor` (`monitor`, its output so far
 * `monitorOut`) shows the console, so the monitor sees the boot. The REPL answers until the
 * monitor shows an answer; a line is typed once the one before is answered, and none once the
 * monitor has exited, so nothing piles up on a port nobody reads.
 */
async function startBehind(
  board: { pb: PtyBoard; built: BuildResult },
  monitor: Promise<unknown>,
  monitorOut: () => string,
): Promise<void> {
  const { pb, built } = board;
  let exited = false;
  const done = () => {
    exited = true;
  };
  monitor.then(done, done);
  assert.ok(await waitFor(() => /> $/.test(pb.text()), 20000), "the board never prompted");
  let asked = 0;
  await waitFor(() => {
    if (exited) return true;
    if ((pb.text().match(/\nmonitoring\r\n/g) ?? []).length >= asked) {
      pb.board.input('print("mon" .. "itoring")\r\n');
      asked++;
    }
    return monitorOut().includes("monitoring");
  }, 30000);
  assert.ok(monitorOut().includes("monitoring"), `the monitor never showed the board's console: ${monitorOut()}`);
  for (const f of built.files) pb.board.flash.load(f.name, join(built.outDir, f.name));
  pb.board.input("node.restart()\r\n");
}

test("mcu monitor shows an error while app.lua loads at its TypeScript line", async () => {
  mcuBin();
  const app = bugApp(AT_LOAD);
  let seen = "";
  const board = await boardFor(app);
  const { pb } = board;
  try {
    const run = mcuUntil(
      ["monitor", "--port", pb.link, "--app", "."],
      app.dir,
      /in main chunk\n.*\n.*in function/,
      (s) => (seen = s),
    );
    await startBehind(board, run, () => seen);
    const r = await run;
    const line = lineOf(AT_LOAD, "BUG-load");
    assert.match(
      r.stdout,
      new RegExp(
        `\\n(?:> )?src/app\\.ts:${line}:\\d+: attempt to index field 'led' \\(a nil value\\)\\n  src/app\\.ts:${line}:\\d+ \\| gpio\\.mode`,
      ),
    );
    assert.match(r.stdout, new RegExp(`\\tsrc/app\\.ts:${line}:\\d+: in main chunk`));
  } finally {
    pb.close();
    app.remove();
  }
});

test("mcu monitor shows an MQTT message callback's error at the handler's TypeScript line", async () => {
  mcuBin();
  const broker = await startMosquitto();
  const app = bugApp(ON_MESSAGE, broker.port);
  const pc = new MqttClient({ host: broker.host, port: broker.port, clientId: "monitor-errors" });
  let seen = "";
  const board = await boardFor(app);
  const { pb } = board;
  try {
    await pc.connect();
    // Retained: the board gets it as soon as it subscribes.
    await pc.publish("nodemcu/bugs/in", "boom", { qos: 1, retain: true });
    const run = mcuUntil(
      ["monitor", "--port", pb.link, "--app", "."],
      app.dir,
      /field 'x' \(a nil value\)\)\n.*\n/,
      (s) => (seen = s),
    );
    await startBehind(board, run, () => seen);
    const r = await run;
    const line = lineOf(ON_MESSAGE, "BUG-message");
    assert.match(
      r.stdout,
      new RegExp(
        `\\nPANIC: [^\\n]*\\(src/app\\.ts:${line}:\\d+: attempt to index field 'x' \\(a nil value\\)\\)\\n  src/app\\.ts:${line}:\\d+ \\| start\\(`,
      ),
    );
  } finally {
    pb.close();
    await pc.end();
    await broker.stop();
    app.remove();
  }
});

test("mcu monitor --raw shows the board's own Lua locations", async () => {
  mcuBin();
  const app = bugApp(AT_LOAD);
  let seen = "";
  const board = await boardFor(app);
  const { pb } = board;
  try {
    const run = mcuUntil(
      ["monitor", "--port", pb.link, "--app", ".", "--raw"],
      app.dir,
      /in main chunk\n.*\n.*in function/,
      (s) => (seen = s),
    );
    await startBehind(board, run, () => seen);
    const r = await run;
    assert.match(r.stdout, /\n(?:> )?app\.lua:\d+: attempt to index field 'led' \(a nil value\)\n/);
    assert.doesNotMatch(r.stdout, /src\/app\.ts/);
  } finally {
    pb.close();
    app.remove();
  }
});

test("./flash.sh --watch maps errors with each new build's maps: an edit that moves the line moves the report", async () => {
  mcuBin();
  const app = bugApp(TIMERS);
  const pb = ptyBoard();
  let out = "";
  let kill = () => {};
  const done = flashSh(["--app", app.dir, "--port", pb.link, "--watch"], {
    cwd: app.dir,
    onSpawn: (k) => (kill = k),
    onStdout: (s) => (out = s.replace(/\r\n/g, "\n")),
  });
  try {
    const line = lineOf(TIMERS, "BUG-timer-inlined");
    const at = (n: number) => new RegExp(`\\nsrc/app\\.ts:${n}:\\d+: attempt to index field 'x'`);
    assert.ok(
      await waitFor(() => at(line).test(out), 60000),
      `the first build's error never showed:\n${out.slice(-2000)}`,
    );
    // One line more above the bug: the rebuilt maps must put it one line further down.
    const source = join(app.dir, "src", "app.ts");
    writeFileSync(source, `// moved down a line\n${readFileSync(source, "utf8")}`);
    const since = out.length;
    assert.ok(
      await waitFor(() => at(line + 1).test(out.slice(since)), 60000),
      `after the edit the error never showed at line ${line + 1}:\n${out.slice(since).slice(-2000)}`,
    );
  } finally {
    kill();
    await done;
    pb.close();
    app.remove();
  }
});
