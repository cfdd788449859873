// node.dsleep, node.dsleepMax, tmr.softwd and node.setpartitiontable end in a reset: the board
// goes quiet, then boots again with the reason NodeMCU's C source gives (app/modules/node.c,
// app/modules/tmr.c).
import assert from "node:assert/strict";
import { test } from "node:test";
import { replBoard } from "../helpers/test-board.ts";
import { waitForMatch } from "../helpers/wait.ts";

const BANNER = /NodeMCU 3\.0\.0\.0 /;

test("node.dsleep(us) goes quiet once the running Lua returns, then wakes through reset with reason 5; RTC memory survives", async () => {
  const { board: b, text: out, run } = await replBoard();
  await run("rtcmem.write32(3, 1234) node.dsleep(300000) print('still running')", /still running\r\n/);
  const mark = out().length;
  b.input("print('heard')\r\n"); // asleep: nothing runs
  await waitForMatch(() => out().slice(mark), new RegExp(BANNER.source + "[\\s\\S]*> $"));
  assert.doesNotMatch(out().slice(mark), /^heard\r$/m);
  await run("print(node.bootreason()) print(rtcmem.read32(3))", /2\t5\r\n1234\r\n/);
});

test("node.dsleep checks its option and time, and does nothing without a time", async () => {
  const { run } = await replBoard();
  await run("print(pcall(node.dsleep, 1000, 5))", /false\t.*wrong option value/);
  await run("print(pcall(node.dsleep, 36000000000))", /false\t.*invalid time value/);
  await run("node.dsleep() print('awake', node.bootreason())", /awake\t1\t0\r\n> $/);
});

test("node.dsleepMax is the RTC period times the 31-bit counter: a few hours, and accepted by dsleep", async () => {
  const { run } = await replBoard();
  const text = await run(
    "m = node.dsleepMax() print(m, m > 3.4 * 3600e6 and m < 3.9 * 3600e6, pcall(node.dsleep, m))",
    /\r\n> $/,
  );
  assert.match(text, /\r\n\d+\ttrue\ttrue\r\n/);
});

test("tmr.softwd(n) restarts the board on the watchdog's (n+1)th one-second tick unless disarmed with -1", async () => {
  const { board: b, text: out, run } = await replBoard();
  const boots: number[][] = [];
  b.on("boot", (r: number[]) => boots.push(r));
  await run("tmr.softwd(0)", /> $/);
  await waitForMatch(() => out(), /cannot open init\.lua: \r\n> [\s\S]*cannot open init\.lua: \r\n> $/);
  assert.deepEqual(boots, [[2, 4]]);
  await run(
    "tmr.softwd(0) tmr.softwd(-1) t = tmr.create() t:alarm(2500, 0, function() print('no restart') end)",
    /no restart\r\n/,
  );
  assert.equal(boots.length, 1);
});

test("node.setpartitiontable checks the table, then hangs until the watchdog resets the board; the new values read back", async () => {
  const { text: out, run } = await replBoard();
  await run("print(pcall(node.setpartitiontable, 1))", /false\t.*must be table/);
  await run(
    "print(pcall(node.setpartitiontable, {lfs_size = 0x20000, nosuch = 1}))",
    /false\t.*invalid partition setting/,
  );
  await run(
    "print(pcall(node.setpartitiontable, {lfs_addr = 0x100001, lfs_size = 0x20000}))",
    /false\t.*Partition value out of range/,
  );
  await run("t = node.getpartitiontable() print(t.lfs_addr, t.lfs_size, t.spiffs_addr)", /0\t0\t1048576\r\n/);
  const mark = out().length;
  await run(
    "node.setpartitiontable{lfs_addr = 0x0c0000, lfs_size = 0x20000, spiffs_addr = 0x120000, spiffs_size = 0x20000}",
    /> $/,
  );
  await waitForMatch(() => out().slice(mark), /NodeMCU 3\.0\.0\.0 [\s\S]*> $/, 8000);
  await run(
    "t = node.getpartitiontable() print(t.lfs_addr, t.lfs_size, t.spiffs_addr, t.spiffs_size, node.bootreason())",
    /786432\t131072\t1179648\t131072\t4\t3\r\n/,
  );
});
