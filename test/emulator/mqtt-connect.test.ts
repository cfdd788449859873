// The emulated board's MQTT connect path, as NodeMCU's mqtt.c runs it: what arrives with the
// CONNACK, the connfail and offline callbacks and their order, close() before the link is up, and
// the subscribe callback's place among the messages.
import assert from "node:assert/strict";
import { Socket } from "node:net";
import { after, afterEach, before, test } from "node:test";
import { freePort } from "../helpers/broker.ts";
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
  board = undefined;
  broker.packets.length = 0;
});
after(() => broker.stop());

const CONNACK = { cmd: "connack", returnCode: 0, sessionPresent: true } as const;
const publish = (payload: string, messageId: number) =>
  ({
    cmd: "publish",
    topic: "t/in",
    payload: Buffer.from(payload),
    qos: 1,
    messageId,
    dup: false,
    retain: false,
  }) as const;
/** Lua printing each callback of client `m`. */
const PRINTING = `m = mqtt.Client("c1", 60, "", "", 0)
m:on("message", function(c, t, d) print("message " .. d) end)
m:on("offline", function(c) print("offline") end)`;

test("a PUBLISH in the same read as the CONNACK is dropped unacknowledged; one in a later read is delivered", async () => {
  board = testBoard({
    onIp: `${PRINTING}
m:connect("127.0.0.1", ${broker.port}, false, function(c) print("connected") end)`,
  });
  await broker.next("connect");
  broker.send(CONNACK, publish("queued while away", 7));
  await waitForMatch(board.text, /connected\r\n/);
  broker.send(publish("after", 8));
  const ack = await broker.next("puback");
  assert.equal((ack as { messageId: number }).messageId, 8, "the first PUBACK is for the later message");
  await waitForMatch(board.text, /connected\r\nmessage after\r\n/);
  assert.doesNotMatch(board.text(), /queued while away/);
  assert.equal(broker.packets.filter((p) => p.cmd === "puback").length, 1);
});

test("length bytes that add up past C's int (a stream read from mid-packet): the link is dropped, the board goes on", async () => {
  board = testBoard({
    onIp: `${PRINTING}
m:connect("127.0.0.1", ${broker.port}, false, function(c) print("connected") end)`,
  });
  await broker.next("connect");
  broker.send(CONNACK);
  await waitForMatch(board.text, /connected\r\n/);
  // 0x08 << 28 lands in the sign bit: a negative length, which once looped the emulator for ever.
  broker.write(Buffer.from([0x30, 0x80, 0x80, 0x80, 0x80, 0x08, 0x00, 0x01, 0x74, 0x78]));
  await waitForMatch(board.text, /connected\r\noffline\r\n/);
  board.board.input('print("still here")\r\n');
  await waitForMatch(board.text, /still here\r\n/);
});

test("a refused CONNACK gives connfail with its code, then offline when the socket closes", async () => {
  board = testBoard({
    onIp: `${PRINTING}
m:connect("127.0.0.1", ${broker.port}, false, function(c) print("connected") end, function(c, r) print("connfail " .. r) end)`,
  });
  await broker.next("connect");
  broker.send({ cmd: "connack", returnCode: 5, sessionPresent: false });
  await waitForMatch(board.text, /connfail 5\r\noffline\r\n/);
});

test("connect from inside connfail raises 'already connected' while the link is still up: an unprotected error, so a panic", async () => {
  board = testBoard({
    onIp: `${PRINTING}
m:connect("127.0.0.1", ${broker.port}, false, nil, function(c, r) print("connfail " .. r) c:connect("127.0.0.1", ${broker.port}) end)`,
  });
  let panics = 0;
  board.board.on("panic", () => panics++);
  await broker.next("connect");
  broker.send({ cmd: "connack", returnCode: 4, sessionPresent: false });
  await waitUntil("panic", () => panics > 0);
  assert.match(
    board.text(),
    /connfail 4\r\nPANIC: unprotected error in call to Lua API \(init\.lua:\d+: already connected\)\r\n/,
  );
});

test("a TCP connect that fails gives connfail -5 and no offline (the link never came up)", async () => {
  const closed = await freePort();
  board = testBoard({
    onIp: `${PRINTING}
m:connect("127.0.0.1", ${closed}, false, nil, function(c, r) print("connfail " .. r) tmr.create():alarm(50, tmr.ALARM_SINGLE, function() print("later") end) end)`,
  });
  await waitForMatch(board.text, /connfail -5\r\nlater\r\n/);
  assert.doesNotMatch(board.text(), /offline/);
});

test("close() right after connect() does nothing: the link is not up yet, so the board connects", async () => {
  board = testBoard({
    onIp: `${PRINTING}
m:connect("127.0.0.1", ${broker.port}, false, function(c) print("connected") end) m:close()`,
  });
  await broker.next("connect");
  broker.send(CONNACK);
  await waitForMatch(board.text, /connected\r\n/);
  assert.doesNotMatch(board.text(), /offline/);
});

test("close() once the link is up sends DISCONNECT through the queue, then offline", async () => {
  board = testBoard({
    onIp: `${PRINTING}
m:connect("127.0.0.1", ${broker.port}, false, function(c) print("connected") c:close() end)`,
  });
  await broker.next("connect");
  broker.send(CONNACK);
  await broker.next("disconnect");
  await waitForMatch(board.text, /connected\r\noffline\r\n/);
});

test("the subscribe callback runs when the SUBACK arrives, before a message that follows it in the same read", async () => {
  board = testBoard({
    onIp: `${PRINTING}
m:connect("127.0.0.1", ${broker.port}, false, function(c) c:subscribe("t/in", 1, function() print("subscribed") end) end)`,
  });
  await broker.next("connect");
  broker.send(CONNACK);
  const sub = (await broker.next("subscribe")) as { messageId: number };
  broker.send({ cmd: "suback", messageId: sub.messageId, granted: [1] }, publish("first", 9));
  await waitForMatch(board.text, /subscribed\r\nmessage first\r\n/);
});

test("keepalive: a PINGREQ on an empty queue, none while a QoS 1 PUBLISH waits at the head", async () => {
  board = testBoard({
    onIp: `m = mqtt.Client("k1", 1)
m:connect("127.0.0.1", ${broker.port}, false, function(c) print("connected") end)`,
  });
  await broker.next("connect");
  broker.send(CONNACK);
  await broker.next("pingreq");
  broker.send({ cmd: "pingresp" });
  board.board.input(
    `m:publish("t/a", "held", 1, 0) tmr.create():alarm(2500, tmr.ALARM_SINGLE, function() print("2.5 keepalives") end)\r\n`,
  );
  const held = (await broker.next("publish")) as { messageId: number };
  const pings = broker.packets.filter((p) => p.cmd === "pingreq").length;
  await waitForMatch(board.text, /2\.5 keepalives\r\n/);
  assert.equal(
    broker.packets.filter((p) => p.cmd === "pingreq").length,
    pings,
    "no PINGREQ behind an unacknowledged PUBLISH",
  );
  broker.send({ cmd: "puback", messageId: held.messageId });
  board.board.input(`m:publish("t/a", "zero", 0, 0)\r\n`);
  await broker.next("pingreq", pings + 1);
});

test("the board's socket has Nagle off, as espconn sets it on every client connection", async () => {
  const noDelay: (number | undefined)[] = [];
  const original = Socket.prototype.setNoDelay;
  Socket.prototype.setNoDelay = function (this: Socket, on?: boolean) {
    if (on !== false) noDelay.push(this.remotePort ?? -1);
    return original.call(this, on);
  };
  try {
    board = testBoard({
      onIp: `m = mqtt.Client("n1", 60)
m:connect("127.0.0.1", ${broker.port}, false, function(c) print("connected") end)`,
    });
    await broker.next("connect");
    assert.ok(noDelay.length >= 1, "setNoDelay(true) was called on the board's socket");
  } finally {
    Socket.prototype.setNoDelay = original;
  }
});
