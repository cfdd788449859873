// A Lua panic on the device prints, then spins (app/lua/lauxlib.c:946-951) until the software
// watchdog resets the chip: nothing runs meanwhile, and the next boot reports the watchdog. A job
// that never returns to the SDK is reset by the same watchdog.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, test } from "node:test";
import { mcuBin } from "../helpers/cli.ts";
import { type TestBoard, testBoard } from "../helpers/test-board.ts";
import { waitForMatch, waitUntil } from "../helpers/wait.ts";

let board: TestBoard | undefined;
afterEach(() => board?.stop());

test("after a panic nothing runs until the watchdog reset, and node.bootreason() then says software watchdog (4, 3)", async () => {
  board = testBoard({ onIp: "" });
  const b = board;
  await waitForMatch(b.text, /> $/);
  // A timer ticking every 50 ms, and an error handler that itself fails: an unprotected error.
  b.board.input('tmr.create():alarm(50, tmr.ALARM_AUTO, function() print("tick") end)\r\n');
  await waitForMatch(b.text, /tick\r\n/);
  b.board.input(
    'node.setonerror(function() error("handler failed") end) tmr.create():alarm(10, tmr.ALARM_SINGLE, function() error("x") end)\r\n',
  );
  await waitForMatch(b.text, /NodeMCU 3\.0\.0\.0[\s\S]*NodeMCU 3\.0\.0\.0[\s\S]*> $/, 10000);
  const hang = b.text().slice(b.text().indexOf("PANIC: "), b.text().lastIndexOf("NodeMCU 3.0.0.0"));
  assert.match(hang, /^PANIC: unprotected error in call to Lua API \(stdin:1: handler failed\)\r\n/);
  assert.doesNotMatch(hang, /tick/, "no timer ran while the chip spun");
  b.board.input("print(node.bootreason())\r\n");
  await waitForMatch(b.text, /\r\n4\t3\r\n> $/);
});

test("a job that never returns, even with a pcall in its loop, resets the chip at the watchdog: reason 4, 3, and nothing more printed", async () => {
  board = testBoard({ onIp: "", board: { watchdogMs: 300 } });
  const b = board;
  await waitForMatch(b.text, /> $/);
  b.board.input(
    'tmr.create():alarm(10, tmr.ALARM_SINGLE, function() print("looping") while true do pcall(function() for i = 1, 1e3 do end end) end end)\r\n',
  );
  await waitForMatch(b.text, /looping\r\n[\s\S]*NodeMCU 3\.0\.0\.0[\s\S]*> $/, 15000);
  const between = b.text().slice(b.text().indexOf("looping\r\n") + 9, b.text().lastIndexOf("NodeMCU 3.0.0.0"));
  assert.doesNotMatch(between, /watchdog|PANIC|Lua error/, "a watchdog reset prints nothing of Lua's");
  b.board.input("print(node.bootreason())\r\n");
  await waitForMatch(b.text, /\r\n4\t3\r\n> $/);
});

test("tmr.wdclr() feeds the watchdog: a job many times its length that feeds it runs to its end", async () => {
  // Fed every 1e3 turns of an empty loop (well under a millisecond, even on a busy machine), for
  // 4e7 turns in all: several times the watchdog's 500 ms.
  board = testBoard({ onIp: "", board: { watchdogMs: 500 } });
  const b = board;
  await waitForMatch(b.text, /> $/);
  b.board.input('for j = 1, 4e4 do tmr.wdclr() for i = 1, 1e3 do end end print("done")\r\n');
  await waitForMatch(b.text, /done\r\n/, 60000);
  assert.doesNotMatch(b.text(), /NodeMCU 3\.0\.0\.0[\s\S]*NodeMCU 3\.0\.0\.0/, "no reset");
});

test("mcu emulate exits on SIGINT while a job loops for ever: the signal ends it at once, as any program", async () => {
  const flashDir = mkdtempSync(join(tmpdir(), "mcu-flash-"));
  const child = spawn(process.execPath, [mcuBin(), "emulate", "--flash", flashDir], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  let console = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (console += d.toString("latin1")));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString("latin1")));
  const exited = new Promise<string>((resolve) => child.on("exit", (code, signal) => resolve(`${code ?? signal}`)));
  try {
    await waitUntil("the prompt", () => console.endsWith("> "), 20000);
    child.stdin.write('print("looping") while true do end\r\n');
    await waitUntil("the loop", () => console.includes("looping"), 20000);
    await waitUntil("the word that the board is stuck", () => stderr.includes("held the board's CPU"), 20000);
    child.kill("SIGINT");
    let bound: NodeJS.Timeout | undefined;
    const how = await Promise.race([
      exited,
      new Promise<"still running">((r) => (bound = setTimeout(() => r("still running"), 10000))),
    ]);
    clearTimeout(bound);
    assert.equal(how, "SIGINT", "ended by the signal, before the watchdog reset and the handler could run");
  } finally {
    child.kill("SIGKILL");
    rmSync(flashDir, { recursive: true, force: true });
  }
});
