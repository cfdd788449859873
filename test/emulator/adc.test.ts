// adc: the value the host sets, the supply voltage, and the mode byte that takes effect at boot
// (app/modules/adc.c).
import assert from "node:assert/strict";
import { test } from "node:test";
import { IO_MODULES, replBoard } from "../helpers/test-board.ts";

const board = await replBoard({ modules: IO_MODULES });

test("adc.read(0) reads what the host sets; other ids do not exist", async () => {
  board.io.setAdc(512);
  await board.run("print('adc', adc.read(0))", /adc\t512\r\n/);
  board.io.setAdc(17);
  await board.run("print('adc', adc.read(0), adc.readvdd33())", /adc\t17\t65535\r\n/);
  await board.run("print(pcall(adc.read, 1))", /false\t.*adc 1 does not exist/);
  assert.throws(() => board.io.setAdc(1025), /0\.\.1024/);
});

test("force_init_mode changes the mode from the next boot; then readvdd33 reads and adc.read does not", async () => {
  board.io.setVdd33(3123);
  await board.run(
    "print(pcall(adc.force_init_mode, 7))",
    /false\t.*bad argument #1 to 'force_init_mode' \(Invalid mode\)/,
  );
  await board.run(
    "print('f', adc.force_init_mode(adc.INIT_ADC), adc.force_init_mode(adc.INIT_VDD33), adc.read(0))",
    /f\tfalse\ttrue\t17\r\n/,
  );
  await board.run("node.restart()", /NodeMCU 3\.0[\s\S]*> $/);
  await board.run("print('v', adc.readvdd33(), adc.read(0))", /v\t3123\t65535\r\n/);
});
