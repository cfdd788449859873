// mqtt's host half (lua/mqtt.lua): each Lua client is the host's MQTT client core
// (host/mqtt) on a real TCP connection to a real broker; its events reach Lua through __E.mqtt.
import type { Socket } from "node:net";
import { type Message, MqttClient, type MqttError } from "../../../host/mqtt/index.ts";
import { luaLiteral } from "../../lua/vm.ts";
import type { Args, HostModule, LuaCall } from "../runtime.ts";

export class MqttHost {
  private readonly clients = new Map<number, MqttClient>();
  /** Broker links the board gave up while the peer still holds them open. */
  private readonly orphans = new Set<Socket>();
  /** max_message_length of each Lua client. */
  private readonly maxlen = new Map<number, number>();

  /** `online` tells whether the board has an IP (wifi). */
  constructor(
    private readonly call: LuaCall,
    private readonly online: () => boolean,
  ) {}

  readonly calls: HostModule = {
    connect: (a) => void this.connect(a.number(0), a),
    close: (a) => void this.clients.get(a.number(0))?.end({ timeoutMs: 1000 }),
    publish: (a) => this.publish(a.number(0), a.text(1), a.bytes(2), a.number(3), a.number(4)),
    subscribe: (a) => this.subscribe(a.number(0), a.from(1)),
    unsubscribe: (a) =>
      this.unsubscribe(
        a.number(0),
        a.from(1).map((t) => t.toString("latin1")),
      ),
  };

  /** Power cut: every TCP link dropped. */
  shutdown(): void {
    for (const c of this.clients.values()) c.destroy();
    this.clients.clear();
    for (const sk of this.orphans) sk.destroy();
    this.orphans.clear();
  }

  /**
   * The board lost its IP: it drops its connections, but no FIN crosses a radio that is gone, so
   * the broker keeps its end until the keepalive runs out (then it publishes the will), or the
   * board is back.
   */
  linkLost(): void {
    for (const c of this.clients.values()) this.orphan(c.abandon());
  }

  private orphan(sk: Socket | undefined): void {
    if (!sk || sk.destroyed) return;
    this.orphans.add(sk);
    sk.on("close", () => this.orphans.delete(sk)).on("end", () => sk.destroy());
  }

  private event(id: number, event: string, ...rest: string[]): void {
    this.call(`__E.mqtt(${id}, ${luaLiteral(event)}${rest.map((r) => ", " + r).join("")})`);
  }

  /** Arguments as lua/mqtt.lua's Client:connect sends them. */
  private connect(id: number, a: Args): void {
    const [host, port, secure, clientId, keepalive] = [a.text(1), a.number(2), a.text(3) === "true", a.text(4), a.number(5)];
    const [user, pass, clean, willTopic] = [a.text(6), a.text(7), a.text(8) === "1", a.text(9)];
    this.maxlen.set(id, a.number(13));
    if (!this.online()) {
      // No IP, no route: the TCP connect never completes.
      return void setTimeout(() => this.event(id, "connfail", "-5"), 100);
    }
    const client = new MqttClient({
      host,
      port,
      tls: secure ? { rejectUnauthorized: false } : undefined,
      clientId,
      // NodeMCU sends no user name or password when they are empty strings.
      username: user === "" ? undefined : user,
      password: pass === "" ? undefined : pass,
      clean,
      keepalive,
      will: willTopic === "" ? undefined : { topic: willTopic, payload: a.bytes(10), qos: (a.number(11) & 3) as 0 | 1 | 2, retain: a.text(12) === "1" },
      connectTimeoutMs: 5000,
    });
    this.clients.set(id, client);
    client.on("message", (m: Message) => this.deliver(id, m));
    client.on("offline", () => {
      this.clients.delete(id);
      this.event(id, "offline");
    });
    // On the CONNACK itself, not a promise later: a broker resuming a session sends queued
    // PUBLISHes right behind it, and the device runs the connect callback before their messages.
    client.once("connect", () => this.event(id, "connect"));
    client.connect().catch((err: MqttError) => {
      this.clients.delete(id);
      this.event(id, "connfail", String(failCode(err)));
    });
  }

  private deliver(id: number, m: Message): void {
    const limit = this.maxlen.get(id) ?? 1024;
    // NodeMCU compares the whole packet with max_message_length: the type byte, the remaining
    // length's 1-4 bytes, then the rest.
    const total = 1 + lengthBytes(m.length) + m.length;
    const event = total > limit ? "overflow" : "message";
    const data = event === "overflow" ? m.payload.subarray(0, Math.max(0, limit - (total - m.payload.length))) : m.payload;
    if (data.length === 0) this.event(id, event, luaLiteral(m.topic));
    else this.event(id, event, luaLiteral(m.topic), luaLiteral(data));
  }

  private publish(id: number, topic: string, payload: Buffer, qos: number, retain: number): boolean {
    const c = this.clients.get(id);
    if (!c) return false;
    // MQTT_BUF_SIZE: an outgoing PUBLISH is built in a 1460-byte buffer.
    if (payload.length + topic.length + 8 > 1460) return false;
    c.publish(topic, payload, { qos: (qos & 3) as 0 | 1 | 2, retain: retain !== 0 }).then(
      () => this.event(id, "puback"),
      () => {},
    );
    return true;
  }

  private subscribe(id: number, pairs: Buffer[]): boolean {
    const c = this.clients.get(id);
    if (!c) return false;
    const subs = [];
    for (let i = 0; i < pairs.length; i += 2) subs.push({ topic: pairs[i]!.toString("latin1"), qos: (Number(pairs[i + 1]!.toString()) & 3) as 0 | 1 | 2 });
    c.subscribe(subs).then(
      () => this.event(id, "suback"),
      () => {},
    );
    return true;
  }

  private unsubscribe(id: number, topics: string[]): boolean {
    const c = this.clients.get(id);
    if (!c) return false;
    c.unsubscribe(topics).then(
      () => this.event(id, "unsuback"),
      () => {},
    );
    return true;
  }
}

/** mqtt.CONN_FAIL_* or the CONNACK code for a failed connect (docs/modules/mqtt.md). */
function failCode(err: MqttError): number {
  if (err.code === "CONNACK") return err.returnCode ?? -4;
  if (err.code === "ENOTFOUND") return -3;
  if (err.code === "ETIMEDOUT") return -2;
  if (err.code === "PROTOCOL") return -4;
  return -5;
}

/** Bytes MQTT's variable-length encoding takes for a remaining length. */
function lengthBytes(n: number): number {
  return n < 128 ? 1 : n < 16384 ? 2 : n < 2097152 ? 3 : 4;
}
