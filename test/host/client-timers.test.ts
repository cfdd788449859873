// The MQTT client core's clocks under node's mock timers: keepalive, reconnect backoff and the
// QoS 2 resume after a reconnect. Real sockets to a fake server carry the bytes; only the
// timers are fake, so a test steps through minutes of keepalive and backoff without waiting.
import assert from "node:assert/strict";
import { EventEmitter, once } from "node:events";
import { type AddressInfo, connect, createServer, type Server, type Socket } from "node:net";
import { afterEach, beforeEach, type TestContext, test } from "node:test";
import mqttPacket from "mqtt-packet";
import { type ClientOptions, MqttClient } from "../../host/mqtt/index.ts";

/** What the fake server does once a connection's CONNECT has arrived. */
type Answer = "connack" | "connack-then-close" | "session-present" | "hang-up";

interface Connection {
  socket: Socket;
  packets: mqttPacket.Packet[];
}

/**
 * A TCP server that speaks just enough MQTT: it answers CONNECT as `answer` says, keeps every
 * packet each connection sends, and lets a test await the next connection or packet.
 */
class FakeServer {
  answer: Answer = "connack";
  readonly connections: Connection[] = [];
  private readonly server: Server;
  private readonly events = new EventEmitter();

  constructor() {
    this.server = createServer((socket) => this.accept(socket));
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return (this.server.address() as AddressInfo).port;
  }

  close(): Promise<void> {
    for (const c of this.connections) c.socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Resolves with the next packet of kind `cmd` on connection `index` (past ones count). */
  async packet(index: number, cmd: string, nth = 1): Promise<mqttPacket.Packet> {
    for (;;) {
      const found = this.connections[index]?.packets.filter((p) => p.cmd === cmd);
      if (found && found.length >= nth) return found[nth - 1]!;
      await once(this.events, "packet");
    }
  }

  /** Resolves once `count` connections have been accepted. */
  async accepted(count: number): Promise<void> {
    while (this.connections.length < count) await once(this.events, "connection");
  }

  /**
   * Resolves once every connection the client began before now has been accepted: a probe
   * connection made now queues behind them in the listening socket's backlog, which is
   * accepted in order. The probe is not counted.
   */
  async settled(): Promise<void> {
    const probe = connect({ host: "127.0.0.1", port: (this.server.address() as AddressInfo).port });
    await once(probe, "connect");
    const isProbe = (c: Connection) => c.socket.remotePort === probe.localPort;
    while (!this.connections.some(isProbe)) await once(this.events, "connection");
    this.connections.splice(this.connections.findIndex(isProbe), 1);
    probe.destroy();
  }

  send(index: number, packet: mqttPacket.Packet): void {
    this.connections[index]!.socket.write(mqttPacket.generate(packet));
  }

  private accept(socket: Socket): void {
    const conn: Connection = { socket, packets: [] };
    this.connections.push(conn);
    socket.on("error", () => {}); // the client hanging up is part of these tests
    const parser = mqttPacket.parser();
    parser.on("packet", (p: mqttPacket.Packet) => {
      conn.packets.push(p);
      if (p.cmd === "connect") this.onConnect(socket);
      this.events.emit("packet");
    });
    socket.on("data", (d: Buffer) => parser.parse(d));
    this.events.emit("connection");
  }

  private onConnect(socket: Socket): void {
    if (this.answer === "hang-up") return void socket.destroy();
    const sessionPresent = this.answer === "session-present";
    const connack = mqttPacket.generate({ cmd: "connack", returnCode: 0, sessionPresent });
    if (this.answer === "connack-then-close") socket.end(connack);
    else socket.write(connack);
  }
}

let server: FakeServer;
let port: number;
let clients: MqttClient[];

beforeEach(async () => {
  server = new FakeServer();
  port = await server.listen();
  clients = [];
});
afterEach(async () => {
  for (const c of clients) c.destroy();
  await server.close();
});

function client(opts: Partial<ClientOptions>): MqttClient {
  const c = new MqttClient({ host: "127.0.0.1", port, clientId: "timers", keepalive: 0, ...opts });
  clients.push(c);
  return c;
}

/** Fake clocks for this test; real I/O still runs. */
function fakeClock(t: TestContext): (ms: number) => void {
  t.mock.timers.enable({ apis: ["setTimeout", "setInterval", "Date"] });
  return (ms) => t.mock.timers.tick(ms);
}

const cmds = (index: number) => server.connections[index]!.packets.map((p) => p.cmd);

test("keepalive: PINGREQ goes out after keepalive seconds with nothing sent, and every packet sent restarts that count", async (t) => {
  const tick = fakeClock(t);
  const c = client({ keepalive: 10 });
  await c.connect();
  for (const marker of ["a", "b"]) {
    tick(9_999);
    await c.publish("t/marker", marker);
    await server.packet(0, "publish", marker === "a" ? 1 : 2);
  }
  // Had either wait reached 10 s, a PINGREQ would sit before the marker published after it.
  assert.deepEqual(cmds(0), ["connect", "publish", "publish"]);
  tick(10_000);
  await server.packet(0, "pingreq");
  assert.deepEqual(cmds(0), ["connect", "publish", "publish", "pingreq"]);
});

test("keepalive: no PINGRESP within keepalive seconds of the PINGREQ declares the link dead", async (t) => {
  const tick = fakeClock(t);
  const c = client({ keepalive: 10 });
  await c.connect();
  const offline: Error[] = [];
  c.on("offline", (e: Error) => offline.push(e));
  tick(10_000);
  await server.packet(0, "pingreq");
  tick(9_999);
  assert.equal(c.connected, true, "declared dead before keepalive seconds had passed");
  const closed = once(server.connections[0]!.socket, "close");
  tick(1);
  assert.equal(c.connected, false);
  assert.deepEqual(
    offline.map((e) => (e as { code?: string }).code),
    ["KEEPALIVE"],
  );
  await closed;
});

test("keepalive: a PINGRESP keeps the link, and the next PINGREQ follows keepalive seconds later", async (t) => {
  const tick = fakeClock(t);
  const c = client({ keepalive: 10 });
  await c.connect();
  tick(10_000);
  await server.packet(0, "pingreq");
  // A QoS 0 message after the PINGRESP: once it is delivered, the PINGRESP has been read.
  const delivered = once(c, "message");
  server.send(0, { cmd: "pingresp" });
  server.send(0, { cmd: "publish", topic: "t/after", payload: Buffer.from("x"), qos: 0, dup: false, retain: false });
  await delivered;
  tick(10_000);
  assert.equal(c.connected, true, "the PINGRESP did not count");
  await server.packet(0, "pingreq", 2);
});

test("reconnect backoff: each retry waits twice as long as the one before, up to 30 s, and 10 s connected starts over", async (t) => {
  // Jitter in the middle of its range: 3/4 of each doubling step (1 s, 2 s, 4 s, … capped at 30 s).
  t.mock.method(Math, "random", () => 0.5);
  const tick = fakeClock(t);
  server.answer = "connack-then-close";
  const c = client({ reconnect: true });
  const dropped = () => once(c, "offline");
  let offline = dropped();
  await c.connect();
  await offline;

  /** Steps to just before `delayMs`: no new attempt; then to it: one, and it connects. */
  const retryAfter = async (delayMs: number) => {
    const attempts = server.connections.length;
    tick(delayMs - 1);
    await server.settled();
    assert.equal(server.connections.length, attempts, `a retry came before ${delayMs} ms`);
    const connected = once(c, "connect");
    tick(1);
    await server.settled();
    assert.equal(server.connections.length, attempts + 1, `no retry at ${delayMs} ms`);
    await connected;
  };
  // The server drops each connection as soon as it is up, so the failures add up.
  for (const delayMs of [750, 1500, 3000, 6000, 12000, 22500, 22500]) {
    offline = dropped();
    await retryAfter(delayMs);
    await offline;
  }

  // This time the link holds for 10 s, so the count of failed attempts starts over.
  server.answer = "connack";
  await retryAfter(22500);
  tick(10_000);
  offline = dropped();
  server.connections.at(-1)!.socket.destroy();
  await offline;
  await retryAfter(750);
});

test("reconnect: a server that hangs up before CONNACK costs one retry per failure, not two", async (t) => {
  const tick = fakeClock(t);
  const c = client({ reconnect: true });
  c.on("error", () => {}); // each failed attempt is reported; the count is what matters here
  const scheduled: number[] = [];
  c.on("reconnect", (e: { attempt: number }) => scheduled.push(e.attempt));
  await c.connect();
  server.answer = "hang-up";
  const first = once(c, "reconnect");
  server.connections[0]!.socket.destroy();
  await first;
  const second = once(c, "reconnect");
  tick(30_000); // past the first delay
  await second;
  await new Promise((r) => setImmediate(r)); // let the failed attempt's promise settle too
  assert.deepEqual(scheduled, [1, 2]);
});

/**
 * Publishes one QoS 2 message and drops the link after the server has seen `dropAfter`; the
 * server keeps the session and the client reconnects. Returns the packets the client sent on
 * the new connection, through to its DISCONNECT, once the message is complete.
 */
async function qos2AcrossReconnect(t: TestContext, dropAfter: "publish" | "pubrel"): Promise<mqttPacket.Packet[]> {
  const tick = fakeClock(t);
  const c = client({ clean: false, reconnect: true });
  await c.connect();
  const done = c.publish("t/qos2", "once", { qos: 2 });
  const sent = (await server.packet(0, "publish")) as mqttPacket.IPublishPacket;
  if (dropAfter === "pubrel") {
    server.send(0, { cmd: "pubrec", messageId: sent.messageId! });
    await server.packet(0, "pubrel");
  }
  const offline = once(c, "offline");
  server.answer = "session-present";
  server.connections[0]!.socket.destroy();
  await offline;
  tick(30_000); // past any backoff delay
  const resent = await Promise.race([server.packet(1, "publish"), server.packet(1, "pubrel")]);
  const id = (resent as { messageId?: number }).messageId!;
  assert.equal(id, sent.messageId, "the resent packet carries the message's id");
  if (resent.cmd === "publish") {
    server.send(1, { cmd: "pubrec", messageId: id });
    await server.packet(1, "pubrel");
  }
  server.send(1, { cmd: "pubcomp", messageId: id });
  await done;
  await c.end();
  await server.packet(1, "disconnect");
  return server.connections[1]!.packets;
}

test("QoS 2 resume: after PUBREC the reconnected client resends PUBREL, never the PUBLISH", async (t) => {
  const packets = await qos2AcrossReconnect(t, "pubrel");
  assert.deepEqual(
    packets.map((p) => p.cmd),
    ["connect", "pubrel", "disconnect"],
  );
  assert.equal((packets[0] as mqttPacket.IConnectPacket).clean, false);
});

test("QoS 2 resume: before PUBREC the reconnected client resends the PUBLISH with DUP set", async (t) => {
  const packets = await qos2AcrossReconnect(t, "publish");
  assert.deepEqual(
    packets.map((p) => p.cmd),
    ["connect", "publish", "pubrel", "disconnect"],
  );
  const resent = packets[1] as mqttPacket.IPublishPacket;
  assert.equal(resent.dup, true);
  assert.equal(resent.payload.toString(), "once");
});
