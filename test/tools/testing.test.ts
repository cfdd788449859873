// The test kit (tools/testing): boot() puts firmware on an emulated board with a broker, and the
// handle publishes and expects on the device's topics, drives its hardware, reads its console,
// heap and status, power-cycles it and stops it. The user's side of it (mcu test, the example
// test mcu new writes) is in new-app.test.ts; the sensor example's tests use it on a real app.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { buildFirmware } from "../../tools/compiler/build.ts";
import { startEmbeddedBroker } from "../../tools/demo/broker.ts";
import { RECOMMENDED_BUILD } from "../../tools/nodemcu/builds.ts";
import { boot } from "../../tools/testing/index.ts";

const work = mkdtempSync(join(tmpdir(), "mcu-kit-"));
after(() => rmSync(work, { recursive: true, force: true }));

test("the echo on a kit board: expect goes on from its last match, the console, heap, status and a power cycle", async () => {
  const board = await boot({ modules: [...RECOMMENDED_BUILD, "adc"], io: { pins: { 2: 1 } } });
  assert.deepEqual(board.topics, {
    in: "nodemcu/testboard/in",
    out: "nodemcu/testboard/out",
    status: "nodemcu/testboard/status",
  });
  assert.ok(board.modules.includes("adc") && board.board.modules.includes("adc"), "the modules asked for");
  assert.equal(board.io.pin(2).level, 1, "the pin the io option drives");

  for (const m of ["one", "two", "one"]) await board.publish(m);
  assert.equal(await board.expect("one"), "one");
  assert.equal(await board.expect(/^o/), "one", "the second one, after the last match");
  await assert.rejects(
    board.expect("two", 500),
    /waiting for a message "two" on nodemcu\/testboard\/out; .*since then: \[\]/,
  );
  assert.deepEqual(board.messages(), ["one", "two", "one"]);

  assert.equal(await board.expectConsole(/^mqtt: connected$/), "mqtt: connected");
  const heap = board.heap();
  assert.ok(heap > 10_000 && heap < 44_000, `heap ${heap}`);
  const status = await board.status();
  assert.equal(status.state, "online");
  assert.equal(status.version, board.version);
  assert.equal(status.overflows, 1, "the status was asked for with one message over the limit");

  await board.powerCycle();
  await board.expectConsole(/^mqtt: connected$/);
  assert.equal((await board.status()).overflows, 1, "counted afresh since the power cycle");
  await board.publish("after");
  assert.equal(await board.expect("after"), "after");
  await board.stop();
  assert.equal(board.board.heap(), board.board.heapBudget, "powered off");
});

test("a build folder runs as built, on the broker given", async () => {
  const broker = await startEmbeddedBroker();
  after(() => broker.close());
  const configFile = join(work, "device.json");
  writeFileSync(
    configFile,
    JSON.stringify({
      id: "built",
      wifi: { ssid: "lab", password: "lab-secret-1" },
      mqtt: { host: broker.host, port: broker.port },
    }),
  );
  const built = await buildFirmware({ configFile, outDir: join(work, "lua"), log: () => {} });
  const board = await boot({ app: built.outDir, broker: broker.url });
  assert.equal(board.id, "built");
  assert.equal(board.version, built.version);
  await board.publish("hello");
  assert.equal(await board.expect("hello"), "hello");
});

test("a folder that is neither an app nor a build is refused, saying what it should be", async () => {
  await assert.rejects(
    boot({ app: work }),
    /neither an app folder \(src\/app\.ts\) nor a build folder \(manifest\.json\)/,
  );
});
