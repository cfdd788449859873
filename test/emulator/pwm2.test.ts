// pwm2: the software PWM driver's bookkeeping (app/modules/pwm2.c, app/driver/pwm2.c) and each
// pin's frequency and duty as the host sees them.
import assert from "node:assert/strict";
import { test } from "node:test";
import { command } from "../../tools/emulator/hardware/io.ts";
import { replBoard } from "../helpers/test-board.ts";

const board = await replBoard({ modules: ["file", "gpio", "node", "pwm2", "tmr", "uart"] });

test("pins set up in Hz and in seconds; the host sees frequency, duty and whether it runs", async () => {
  await board.run("pwm2.setup_pin_hz(1, 250, 100, 50) pwm2.setup_pin_sec(2, 2, 10, 3) print('ok1')", /ok1\r\n/);
  assert.deepEqual(board.io.pwm2(1), { frequency: 250, duty: 50, resolution: 100, running: false });
  assert.deepEqual(board.io.pwm2(2), { frequency: 0.5, duty: 3, resolution: 10, running: false });
  await board.run("print('st', pwm2.start()) pwm2.set_duty(1, 75, 2, 10)", /st\ttrue\r\n/);
  assert.deepEqual(board.io.pwm2(1), { frequency: 250, duty: 75, resolution: 100, running: true });
  assert.equal(command(board.io, "get pwm2 2"), "ok 0.5 10 10 running");
});

test("the timer tick is the GCD of the pins' CPU ticks per step, at 80 MHz", async () => {
  // 80e6 / (250 * 100) = 3200 ticks a step; 80e6 / (1 * 10) * 2 = 16000000; their GCD is 3200, /16 = 200.
  await board.run(
    "print('td', pwm2.get_timer_data()) print('pd', pwm2.get_pin_data(2))",
    /td\ttrue\t3200\t200\r\npd\t1\t10\t10\t2\t1\t16000000\t5000\r\n/,
  );
});

test("errors as pwm2.c raises them; release_pin releases pin 2 whatever pin it is given (pwm2.c:109)", async () => {
  await board.run(
    "print(pcall(pwm2.setup_pin_hz, 3, 10, 10, 1))",
    /false\t.*already started, stop it before setting up pins\./,
  );
  await board.run(
    "pwm2.stop() print(pcall(pwm2.setup_pin_hz, 3, 10, 10, 11))",
    /false\t.*bad argument #4 to 'setup_pin_hz' \(invalid duty\)/,
  );
  // The duty is checked against the pin's resolution first: 0 for a pin not set up (pwm2.c:88-92).
  await board.run("print(pcall(pwm2.set_duty, 4, 1))", /false\t.*bad argument #2 to 'set_duty' \(invalid duty\)/);
  await board.run("print(pcall(pwm2.set_duty, 4, 0))", /false\t.*pwm2 : pin=4 is not setup yet/);
  await board.run("print(pcall(pwm2.set_duty, 1, 101))", /false\t.*bad argument #2 to 'set_duty' \(invalid duty\)/);
  await board.run("pwm2.release_pin(1) print('rel', (pwm2.get_pin_data(1)), (pwm2.get_pin_data(2)))", /rel\t1\t0\r\n/);
  assert.equal(board.io.pwm2(2), undefined);
});
