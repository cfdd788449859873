// gpio: modes, levels and gpio.trig callbacks on edges the host drives, as app/modules/gpio.c and
// the ISR in app/platform/platform.c give them.
import assert from "node:assert/strict";
import { test } from "node:test";
import { IO_MODULES, replBoard } from "../helpers/test-board.ts";

const board = await replBoard({ modules: IO_MODULES });

test("an output pin's level is what the firmware writes, and the host sees it change", async () => {
  const seen: [number, number][] = [];
  board.io.on("gpio", (pin: number, level: number) => seen.push([pin, level]));
  await board.run("gpio.mode(5, gpio.OUTPUT) gpio.write(5, gpio.HIGH) print('w', gpio.read(5))", /w\t1\r\n/);
  assert.deepEqual(board.io.pin(5), { level: 1, mode: 1 });
  assert.deepEqual(seen.at(-1), [5, 1]);
  await board.run("print(pcall(gpio.write, 5, 2))", /false\t.*bad argument #2 to 'write' \(wrong level type\)/);
  await board.run("print(pcall(gpio.read, 13))", /false\t.*gpio 13 does not exist/);
});

test("an input reads what the host drives; with no driver, the pull-up", async () => {
  await board.run("gpio.mode(6, gpio.INPUT, gpio.PULLUP) print('p', gpio.read(6))", /p\t1\r\n/);
  board.io.setPin(6, 0);
  await board.run("print('d', gpio.read(6))", /d\t0\r\n/);
});

test("trig 'down' calls back on falling edges only, with level, time and event count", async () => {
  await board.run(
    "gpio.mode(2, gpio.INT) ev = {} gpio.trig(2, 'down', function(level, when, count) ev[#ev + 1] = level .. ':' .. count print('edge', level, count, type(when), when >= 0) end)",
    /> $/,
  );
  board.io.setPin(2, 1);
  board.io.setPin(2, 0);
  await board.run("", /edge\t0\t1\tnumber\ttrue\r\n/);
  board.io.setPin(2, 1);
  board.io.setPin(2, 0);
  await board.run("print('n', #ev, ev[1], ev[2])", /n\t2\t0:1\t0:1\r\n/);
});

test("edges that come before the callback runs are counted in one callback", async () => {
  await board.run(
    "gpio.mode(3, gpio.INT) gpio.trig(3, 'both', function(level, when, count) print('both', level, count) end)",
    /> $/,
  );
  // The host's changes all land before the board's task queue runs the callback.
  board.io.setPin(3, 1);
  board.io.setPin(3, 0);
  board.io.setPin(3, 1);
  await board.run("", /both\t1\t3\r\n/);
});

test("trig keeps the old callback when given none, 'none' clears it, and gpio.mode to a non-INT mode drops it", async () => {
  await board.run("print(pcall(gpio.trig, 7, 'up'))", /false\t.*bad argument #3 to 'trig' \(invalid callback type\)/);
  await board.run(
    "print(pcall(gpio.trig, 0, 'up', print))",
    /false\t.*bad argument #1 to 'trig' \(Invalid interrupt pin\)/,
  );
  await board.run(
    "gpio.mode(7, gpio.INT) gpio.trig(7, 'up', function(l) print('up7', l) end) gpio.trig(7, 'up')",
    /> $/,
  );
  board.io.setPin(7, 1);
  await board.run("", /up7\t1\r\n/);
  board.io.setPin(7, 0);
  await board.run("gpio.trig(7, 'none') print('cleared')", /cleared\r\n/);
  board.io.setPin(7, 1);
  await board.run(
    "gpio.trig(7, 'up', function() print('ag' .. 'ain') end) gpio.mode(7, gpio.INPUT) print('input')",
    /input\r\n/,
  );
  board.io.setPin(7, 0);
  board.io.setPin(7, 1);
  await board.run("print('quiet')", /quiet\r\n> $/);
  assert.doesNotMatch(board.text(), /again/);
});

test("a 'high' level interrupt fires again after each callback while the level stays, and stops when it goes", async () => {
  await board.run(
    "n8 = 0 gpio.mode(8, gpio.INT) gpio.trig(8, 'high', function() n8 = n8 + 1 if n8 == 3 then print('three') end end)",
    /> $/,
  );
  board.io.setPin(8, 1);
  await board.run("", /three\r\n/);
  board.io.setPin(8, 0);
  const settled = await board.run("a8 = n8", /> $/);
  assert.ok(settled);
  await board.run("print('still', n8 == a8)", /still\ttrue\r\n/);
});
