// The emulated board's MQTT send queue, as NodeMCU's mqtt.c runs it: one queue, only its head on
// the wire, a QoS 1 PUBLISH held at the head until its PUBACK, and every queued packet a copy on
// the board's heap.
import assert from "node:assert/strict";
import { after, afterEach, before, test } from "node:test";
import { type ScriptedBroker, startScriptedBroker } from "../helpers/scripted-broker.ts";
import { type TestBoard, testBoard } from "../helpers/test-board.ts";
import { waitForMatch, waitUntil } from "../helpers/wait.ts";

let broker: ScriptedBroker;
let board: TestBoard | undefined;
before(async () => {
  broker = await startScriptedBroker();
});
afterEach(() => {
  board?.stop();
  broker.packets.length = 0;
});
after(() => broker.stop());

/** Lua that connects `m` to the scripted broker and runs `onConnect` (with `c`) on CONNACK. */
function client(onConnect: string, extra = ""): string {
  return `m = mqtt.Client("q1", 60)
${extra}
m:connect("127.0.0.1", ${broker.port}, false, function(c) ${onConnect} end)`;
}

const nextTurn = () => new Promise((r) => setImmediate(r));

test("a QoS 1 PUBLISH holds the head: what is queued behind it, the PUBACK the board owes included, waits for its PUBACK", async () => {
  board = testBoard({
    onIp: client(
      `c:publish("t/a", "first", 1, 0) c:publish("t/b", "second", 0, 0)`,
      `m:on("message", function(c, t, d) print("got " .. d) end)`,
    ),
  });
  await broker.next("connect");
  broker.send({ cmd: "connack", returnCode: 0, sessionPresent: false });
  const first = await broker.next("publish");
  assert.equal((first as { payload: Buffer }).payload.toString(), "first");
  broker.send({
    cmd: "publish",
    topic: "t/in",
    payload: Buffer.from("m1"),
    qos: 1,
    messageId: 41,
    dup: false,
    retain: false,
  });
  await waitForMatch(board.text, /got m1\r\n/);
  await nextTurn();
  assert.deepEqual(
    broker.packets.map((p) => p.cmd),
    ["connect", "publish"],
    "nothing may follow the unacknowledged QoS 1 PUBLISH",
  );
  broker.send({ cmd: "puback", messageId: (first as { messageId: number }).messageId });
  await broker.next("puback");
  const after = broker.packets
    .slice(2)
    .map((p) => (p.cmd === "publish" ? `publish ${p.payload}` : `${p.cmd} ${(p as { messageId?: number }).messageId}`));
  assert.deepEqual(after, ["publish second", "puback 41"]);
});

test("queued packets are charged to node.heap(): the packet's bytes and a 28-byte queue entry each", async () => {
  board = testBoard({
    onIp: client(`local big = string.rep("x", 1000)
      local before = node.heap()
      c:publish("t/a", big, 1, 0) c:publish("t/b", big, 1, 0)
      print("charged " .. (before - node.heap()))`),
  });
  await broker.next("connect");
  broker.send({ cmd: "connack", returnCode: 0, sessionPresent: false });
  await waitForMatch(board.text, /charged (\d+)\r\n/);
  const charged = Number(/charged (\d+)/.exec(board.text())![1]);
  // PUBLISH: 3-byte fixed header (remaining length 1007 > 127), topic 2+3, id 2, payload 1000.
  const each = 3 + 2 + 3 + 2 + 1000 + 28;
  assert.ok(charged >= 2 * each && charged < 2 * each + 100, `charged ${charged}, expected about ${2 * each}`);
});

test("when the heap cannot hold another copy, publish returns false and Lua's allocations fail, as malloc does", async () => {
  board = testBoard({
    onIp:
      // The ballast, dropped once the queue is full, leaves room to print the result.
      client(`local big, ballast = string.rep("x", 1400), string.rep("b", 4000)
      local n = 0
      while c:publish("t/a", big, 1, 0) do n = n + 1 end
      local heap = node.heap()
      ballast = nil collectgarbage()
      print("queued " .. n .. " heap " .. heap)
      local ok, err = pcall(function() local t = {} for i = 1, 200 do t[i] = string.rep("y", 100) .. i end end)
      print("alloc", ok, err)`),
  });
  await broker.next("connect");
  broker.send({ cmd: "connack", returnCode: 0, sessionPresent: false });
  await waitForMatch(board.text, /alloc\t(true|false)\t.*\r\n/);
  const [, n, heap] = /queued (\d+) heap (\d+)/.exec(board.text())!.map(Number);
  assert.ok(n! > 10 && n! < 44, `queued ${n} of 1.4 KB on a 44 KB heap`);
  // The refused copy needed 1440 bytes; while the call runs, the emulator's call channel holds
  // two more copies of its arguments (docs/emulator.md), so up to about 3 × 1440 may be left.
  assert.ok(heap! < 3 * 1440 + 200, `free heap ${heap} would have held another copy`);
  assert.match(board.text(), /alloc\tfalse\tnot enough memory\r\n/);
  assert.doesNotMatch(board.text(), /PANIC/);
});

test("a QoS 0 PUBLISH leaves the queue once sent, and its 'puback' callback says so", async () => {
  board = testBoard({
    onIp: client(
      `c:publish("t/a", "zero", 0, 0, function() print("sent, heap back " .. node.heap()) end) print("heap queued " .. node.heap())`,
    ),
  });
  await broker.next("connect");
  broker.send({ cmd: "connack", returnCode: 0, sessionPresent: false });
  await waitForMatch(board.text, /sent, heap back (\d+)\r\n/);
  const queued = Number(/heap queued (\d+)/.exec(board.text())![1]);
  const back = Number(/heap back (\d+)/.exec(board.text())![1]);
  assert.ok(back > queued, `heap ${back} after the send, ${queued} while queued`);
  await waitUntil("the PUBLISH", () => broker.packets.find((p) => p.cmd === "publish"));
});
