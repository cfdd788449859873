// The sensor example's own tests, written with the test kit as a user's app would be (mcu test
// --app firmware/examples/sensor runs them; so does the project's npm test). One board for the
// file, in order: no thermometer on the bus yet (its readings fail), then a DS18B20 put on it.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { boot, type TestBoard } from "../../../../tools/testing/index.ts";

const THERMOMETER = 3;
const RELAY = 1;
let board: TestBoard;

before(async () => {
  board = await boot({ app: fileURLToPath(new URL("..", import.meta.url)) });
});

test("a reading the thermometer does not give is counted in the status's failedReads, and nothing is published", async () => {
  const status = await board.status((s) => (s.failedReads as number) > 0);
  assert.ok((status.failedReads as number) > 0);
  assert.deepEqual(board.messages(), []);
});

test("a DS18B20 on the bus: its temperature is published, and follows it", async () => {
  board.io.setDs18b20(THERMOMETER, 21.5);
  assert.equal(await board.expect(/^\{"t":/, 15_000), '{"t":21.5}');
  board.io.setDs18b20(THERMOMETER, -3.25);
  await board.expect('{"t":-3.25}', 15_000);
});

test("relay on and relay off switch the relay pin and are answered", async () => {
  await board.publish("relay on");
  await board.expect('{"relay":1}');
  assert.equal(board.io.pin(RELAY).level, 1);
  await board.publish("relay off");
  await board.expect('{"relay":0}');
  assert.equal(board.io.pin(RELAY).level, 0);
});
