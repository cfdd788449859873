// pwm: each pin's clock and duty as the firmware sets them, visible to the host (app/modules/pwm.c,
// the SDK driver's limits in app/driver/pwm.c).
import assert from "node:assert/strict";
import { test } from "node:test";
import { IO_MODULES, replBoard } from "../helpers/test-board.ts";

const board = await replBoard({ modules: IO_MODULES });

test("setup outputs nothing until start; the host sees clock and duty; stop keeps getduty", async () => {
  const events: number[][] = [];
  board.io.on("pwm", (pin: number, clock: number, duty: number) => events.push([pin, clock, duty]));
  await board.run("print('s', pwm.setup(1, 500, 512), pwm.getduty(1))", /s\t500\t512\r\n/);
  assert.deepEqual(board.io.pwm(1), { clock: 500, duty: 0 });
  await board.run("pwm.start(1) print('started')", /started\r\n/);
  assert.deepEqual(board.io.pwm(1), { clock: 500, duty: 512 });
  assert.deepEqual(events.at(-1), [1, 500, 512]);
  await board.run("print('d', pwm.setduty(1, 100), pwm.setclock(1, 5000), pwm.getclock(1))", /d\t100\t1000\t1000\r\n/);
  assert.deepEqual(board.io.pwm(1), { clock: 1000, duty: 100 });
  await board.run("pwm.stop(1) print('g', pwm.getduty(1))", /g\t100\r\n/);
  assert.deepEqual(board.io.pwm(1), { clock: 1000, duty: 0 });
});

test("one clock for all pins, six channels at most, and errors as pwm.c raises them", async () => {
  await board.run("pwm.setup(2, 200, 10) print('c', pwm.getclock(1))", /c\t200\r\n/);
  await board.run(
    "for p = 3, 6 do pwm.setup(p, 100, 1) end print(pcall(pwm.setup, 7, 100, 1))",
    /false\t.*too many pwms\./,
  );
  await board.run("print(pcall(pwm.setup, 0, 100, 1))", /false\t.*no pwm for D0/);
  await board.run("print(pcall(pwm.setduty, 1, 1024))", /false\t.*wrong arg range/);
  await board.run("gpio.mode(1, gpio.INPUT) print('closed', pwm.getduty(1), pwm.setduty(1, 5))", /closed\t0\t0\r\n/);
  assert.equal(board.io.pwm(1), undefined);
});
