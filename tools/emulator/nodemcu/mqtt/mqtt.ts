// mqtt's host half (mqtt.lua): each Lua client is a Session (mqtt-session.ts), NodeMCU's
// client re-written over a real TCP connection to a real broker. Sessions call Lua back through
// __E.mqtt, synchronously inside the board's jobs, as the C code does.
import type { Socket } from "node:net";
import type { Args, HostFactory, HostModule } from "../../runtime/host-half.ts";
import { publishPacket, subscribePacket, T, unsubscribePacket } from "./mqtt-packets.ts";
import { type BoardHooks, Session } from "./mqtt-session.ts";

/** What a Lua call answers when the C function would raise instead. */
type Refusal = "not connected";

export class MqttHost {
  private readonly sessions = new Map<number, Session>();
  /** Broker links the board gave up while the peer still holds them open. */
  private readonly orphans = new Set<Socket>();

  constructor(private readonly board: BoardHooks) {}

  readonly calls: HostModule = {
    connect: (a) => void this.connect(a.number(0), a),
    connected: (a) => this.sessions.get(a.number(0))?.connected === true,
    close: (a) => void this.sessions.get(a.number(0))?.close(),
    publish: (a) => this.publish(a.number(0), a.bytes(1), a.bytes(2), a.number(3), a.number(4)),
    subscribe: (a) => this.subscribe(a.number(0), a.from(1)),
    unsubscribe: (a) => this.unsubscribe(a.number(0), a.from(1)),
  };

  /** Power cut: every TCP link dropped. */
  shutdown(): void {
    for (const s of this.sessions.values()) s.destroy();
    this.sessions.clear();
    for (const sk of this.orphans) sk.destroy();
    this.orphans.clear();
  }

  /**
   * The board lost its IP: it drops its connections, but no FIN crosses a radio that is gone, so
   * the broker keeps its end until the keepalive runs out (then it publishes the will), or the
   * board is back.
   */
  linkLost(): void {
    for (const s of this.sessions.values()) this.orphan(s.abandon());
  }

  private orphan(sk: Socket | undefined): void {
    if (!sk || sk.destroyed) return;
    this.orphans.add(sk);
    sk.on("close", () => this.orphans.delete(sk)).on("end", () => sk.destroy());
  }

  /** Arguments as mqtt.lua's Client:connect sends them, once it has checked what mqtt_socket_connect refuses. */
  private connect(id: number, a: Args): void {
    const existing = this.sessions.get(id);
    const conf = {
      clientId: a.bytes(4),
      keepalive: a.number(5),
      user: a.bytes(6),
      pass: a.bytes(7),
      clean: a.text(8) === "1",
      willTopic: a.bytes(9),
      willMessage: a.bytes(10),
      willQos: a.number(11) & 3,
      willRetain: a.text(12) === "1",
      maxlen: a.number(13),
    };
    const session = existing ?? new Session(id, this.board, conf);
    session.configure(conf);
    this.sessions.set(id, session);
    session.connect(a.text(1), a.number(2), a.text(3) === "true");
  }

  private live(id: number): Session | "not connected" {
    const s = this.sessions.get(id);
    return s?.connected ? s : "not connected";
  }

  private publish(id: number, topic: Buffer, payload: Buffer, qos: number, retain: number): boolean | Refusal {
    const s = this.live(id);
    if (typeof s === "string") return s;
    return s.publish(qos & 0xff, (msgId) => publishPacket(topic, payload, qos & 0xff, retain & 0xff, msgId));
  }

  private subscribe(id: number, pairs: Buffer[]): boolean | Refusal {
    const s = this.live(id);
    if (typeof s === "string") return s;
    const subs: { topic: Buffer; qos: number }[] = [];
    for (let i = 0; i < pairs.length; i += 2) subs.push({ topic: pairs[i]!, qos: Number(pairs[i + 1]!.toString()) });
    return s.request(T.SUBSCRIBE, (msgId) => subscribePacket(msgId, subs));
  }

  private unsubscribe(id: number, topics: Buffer[]): boolean | Refusal {
    const s = this.live(id);
    if (typeof s === "string") return s;
    return s.request(T.UNSUBSCRIBE, (msgId) => unsubscribePacket(msgId, topics));
  }
}

export const mqttHost: HostFactory = (board) =>
  new MqttHost({
    run: (job) => board.run(job),
    lua: (code) => board.callNow(code),
    heap: board.heap,
    online: () => board.host("wifi").ip !== undefined,
  });

declare module "../../runtime/host-half.ts" {
  interface HostHalves {
    mqtt: MqttHost;
  }
}
