// A Lua panic on the device prints, then spins (app/lua/lauxlib.c:946-951) until the software
// watchdog resets the chip: nothing runs meanwhile, and the next boot reports the watchdog.
import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import { type ScriptBoard, scriptBoard } from "../helpers/script-board.ts";
import { waitForMatch } from "../helpers/wait.ts";

let board: ScriptBoard | undefined;
afterEach(() => board?.stop());

test("after a panic nothing runs until the watchdog reset, and node.bootreason() then says software watchdog (4, 3)", async () => {
  board = scriptBoard("");
  const b = board;
  await waitForMatch(b.out, /> $/);
  // A timer ticking every 50 ms, and an error handler that itself fails: an unprotected error.
  b.board.input('tmr.create():alarm(50, tmr.ALARM_AUTO, function() print("tick") end)\r\n');
  await waitForMatch(b.out, /tick\r\n/);
  b.board.input('node.setonerror(function() error("handler failed") end) tmr.create():alarm(10, tmr.ALARM_SINGLE, function() error("x") end)\r\n');
  await waitForMatch(b.out, /NodeMCU 3\.0\.0\.0[\s\S]*NodeMCU 3\.0\.0\.0[\s\S]*> $/, 10000);
  const hang = b.out().slice(b.out().indexOf("PANIC: "), b.out().lastIndexOf("NodeMCU 3.0.0.0"));
  assert.match(hang, /^PANIC: unprotected error in call to Lua API \(stdin:1: handler failed\)\r\n/);
  assert.doesNotMatch(hang, /tick/, "no timer ran while the chip spun");
  b.board.input("print(node.bootreason())\r\n");
  await waitForMatch(b.out, /\r\n4\t3\r\n> $/);
});
