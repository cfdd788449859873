// The board's radio and its MQTT clients: a simulated access point for the wifi module, and the
// host's MQTT client core (real TCP to a real broker) behind NodeMCU's mqtt module.
import { connect as tcpConnect, type Socket } from "node:net";
import { MqttClient, MqttError, type Message } from "../../host/mqtt/index.ts";
import { luaLiteral, type LuaValue } from "../lua/vm.ts";

export interface AccessPoint {
  ssid: string;
  psk: string;
  /** The address DHCP hands the board. */
  ip: string;
}

/** What the network needs from its board: a way to run Lua callbacks in order. */
export interface BoardLink {
  /** Queues `code` to run in Lua, after what is already queued; an error escaping it panics the board. */
  run(code: string): void;
}

// wifi.eventmon codes and SDK reasons (docs/modules/wifi.md; SDK user_interface.h).
const STA_CONNECTED = 0;
const STA_DISCONNECTED = 1;
const STA_GOT_IP = 3;
// A wrong passphrase fails the WPA2 handshake; the SDK reports it as 4WAY_HANDSHAKE_TIMEOUT (15).
const REASON_WRONG_PASSWORD = 15;
const REASON_NO_AP_FOUND = 201;
const REASON_BEACON_TIMEOUT = 200;
const STATUS = { idle: 0, connecting: 1, wrongPassword: 2, noAp: 3, gotIp: 5 };
/** How long joining and DHCP take on the simulated network. */
const JOIN_MS = 40;
const DHCP_MS = 60;
/** The SDK keeps retrying a failed join. */
const RETRY_MS = 1000;

function table(fields: Record<string, string | number>): string {
  return "{" + Object.entries(fields).map(([k, v]) => `${k}=${typeof v === "number" ? v : luaLiteral(v)}`).join(",") + "}";
}

export class Network {
  private status = STATUS.idle;
  private want: { ssid: string; pwd: string } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private radioUp = true;
  private radioTimer: NodeJS.Timeout | undefined;
  private readonly clients = new Map<number, MqttClient>();
  private readonly sockets = new Map<number, Socket>();
  /** Broker links the board gave up while the peer still holds them open. */
  private readonly orphans = new Set<Socket>();
  /** max_message_length of each Lua client. */
  private readonly maxlen = new Map<number, number>();

  constructor(
    private readonly link: BoardLink,
    private readonly ap: AccessPoint,
  ) {}

  get ip(): string | undefined {
    return this.status === STATUS.gotIp ? this.ap.ip : undefined;
  }

  /** Radio off: no events, every TCP link dropped as by a power cut. */
  shutdown(): void {
    clearTimeout(this.timer);
    clearTimeout(this.radioTimer);
    for (const c of this.clients.values()) c.destroy();
    this.clients.clear();
    for (const sk of this.orphans) sk.destroy();
    this.orphans.clear();
    for (const sk of this.sockets.values()) sk.destroy();
    this.sockets.clear();
    this.status = STATUS.idle;
  }

  /** The access point disappears for `ms` (until restore() without it), then comes back. */
  drop(ms?: number): void {
    this.radioUp = false;
    const ssid = this.want?.ssid ?? this.ap.ssid;
    this.lose(ssid, REASON_BEACON_TIMEOUT);
    clearTimeout(this.radioTimer);
    if (ms !== undefined) this.radioTimer = setTimeout(() => this.restore(), ms);
  }

  /** The access point is back; the station rejoins. */
  restore(): void {
    clearTimeout(this.radioTimer);
    if (this.radioUp) return;
    this.radioUp = true;
    if (this.want) this.join();
  }

  private orphan(sk: Socket | undefined): void {
    if (!sk || sk.destroyed) return;
    this.orphans.add(sk);
    sk.on("close", () => this.orphans.delete(sk)).on("end", () => sk.destroy());
  }

  private lose(ssid: string, reason: number): void {
    clearTimeout(this.timer);
    const hadLink = this.status === STATUS.gotIp;
    this.status = reason === REASON_WRONG_PASSWORD ? STATUS.wrongPassword : reason === REASON_NO_AP_FOUND ? STATUS.noAp : STATUS.connecting;
    // The board drops its connections, but no FIN crosses a radio that is gone: the broker keeps
    // its end until the keepalive runs out (then it publishes the will), or the board is back.
    if (hadLink) for (const c of this.clients.values()) this.orphan(c.abandon());
    this.event(STA_DISCONNECTED, { SSID: ssid, BSSID: "00:00:00:00:00:00", reason });
  }

  private event(ev: number, t: Record<string, string | number>): void {
    this.link.run(`__E.wifi(${ev}, ${table(t)})`);
  }

  private join(): void {
    clearTimeout(this.timer);
    const want = this.want;
    if (!want) return;
    this.status = STATUS.connecting;
    this.timer = setTimeout(() => {
      if (!this.radioUp || want.ssid !== this.ap.ssid) return this.failJoin(want.ssid, REASON_NO_AP_FOUND);
      if (want.pwd !== this.ap.psk) return this.failJoin(want.ssid, REASON_WRONG_PASSWORD);
      this.event(STA_CONNECTED, { SSID: want.ssid, BSSID: "5c:cf:7f:00:00:01", channel: 6 });
      this.timer = setTimeout(() => {
        this.status = STATUS.gotIp;
        this.event(STA_GOT_IP, { IP: this.ap.ip, netmask: "255.255.255.0", gateway: this.ap.ip.replace(/\d+$/, "1") });
      }, DHCP_MS);
    }, JOIN_MS);
  }

  private failJoin(ssid: string, reason: number): void {
    this.lose(ssid, reason);
    this.timer = setTimeout(() => this.join(), RETRY_MS);
  }

  /** Serves the wifi_* and mqtt_* calls of the Lua runtime. */
  sys(name: string, args: Buffer[]): LuaValue | LuaValue[] {
    const s = (i: number) => args[i]!.toString("latin1");
    const n = (i: number) => Number(s(i));
    switch (name) {
      case "wifi_connect":
        this.want = { ssid: s(0), pwd: s(1) };
        return void this.join();
      case "wifi_disconnect":
        clearTimeout(this.timer);
        this.status = STATUS.idle;
        return null;
      case "wifi_ip":
        return this.ip ?? null;
      case "wifi_status":
        return this.status;
      case "net_connect":
        return void this.netConnect(n(0), n(1), s(2));
      case "net_send":
        return void this.sockets.get(n(0))?.write(args[1]!, () => this.net(n(0), "sent"));
      case "net_close":
        return void this.sockets.get(n(0))?.end();
      case "net_peer": {
        const sk = this.sockets.get(n(0));
        return sk?.remotePort ? [sk.remotePort, sk.remoteAddress ?? null] : [null, null];
      }
      case "mqtt_connect":
        return void this.connect(n(0), args);
      case "mqtt_close":
        return void this.clients.get(n(0))?.end({ timeoutMs: 1000 });
      case "mqtt_publish":
        return this.publish(n(0), s(1), args[2]!, n(3), n(4));
      case "mqtt_subscribe":
        return this.subscribe(n(0), args.slice(1));
      case "mqtt_unsubscribe":
        return this.unsubscribe(n(0), args.slice(1).map((a) => a.toString("latin1")));
      default:
        throw new Error(`emulator: Lua asked for an unknown service "${name}"`);
    }
  }

  private mqtt(id: number, event: string, ...rest: string[]): void {
    this.link.run(`__E.mqtt(${id}, ${luaLiteral(event)}${rest.map((r) => ", " + r).join("")})`);
  }

  private net(id: number, event: string, ...rest: string[]): void {
    this.link.run(`__E.net(${id}, ${luaLiteral(event)}${rest.map((r) => ", " + r).join("")})`);
  }

  private netConnect(id: number, port: number, host: string): void {
    if (this.status !== STATUS.gotIp) return void setTimeout(() => this.net(id, "reconnection", "-1"), 100);
    const sk = tcpConnect({ host, port });
    this.sockets.set(id, sk);
    sk.on("connect", () => this.net(id, "connection"));
    sk.on("data", (d: Buffer) => this.net(id, "receive", luaLiteral(d)));
    sk.on("error", () => {});
    sk.on("close", (hadError) => {
      this.sockets.delete(id);
      this.net(id, hadError ? "reconnection" : "disconnection", hadError ? "-1" : "0");
    });
  }

  private connect(id: number, a: Buffer[]): void {
    const s = (i: number) => a[i]!.toString("latin1");
    const [host, port, secure, clientId, keepalive, user, pass, clean, willTopic] = [s(1), Number(s(2)), s(3) === "true", s(4), Number(s(5)), s(6), s(7), s(8) === "1", s(9)];
    this.maxlen.set(id, Number(s(13)));
    if (this.status !== STATUS.gotIp) {
      // No IP, no route: the TCP connect never completes.
      return void setTimeout(() => this.mqtt(id, "connfail", "-5"), 100);
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
      will: willTopic === "" ? undefined : { topic: willTopic, payload: a[10]!, qos: (Number(s(11)) & 3) as 0 | 1 | 2, retain: s(12) === "1" },
      connectTimeoutMs: 5000,
    });
    this.clients.set(id, client);
    client.on("message", (m: Message) => this.deliver(id, m));
    client.on("offline", () => {
      this.clients.delete(id);
      this.mqtt(id, "offline");
    });
    // On the CONNACK itself, not a promise later: a broker resuming a session sends queued
    // PUBLISHes right behind it, and the device runs the connect callback before their messages.
    client.once("connect", () => this.mqtt(id, "connect"));
    client.connect().catch((err: MqttError) => {
      this.clients.delete(id);
      this.mqtt(id, "connfail", String(failCode(err)));
    });
  }

  private deliver(id: number, m: Message): void {
    const limit = this.maxlen.get(id) ?? 1024;
    // NodeMCU compares the whole packet with max_message_length: the type byte, the remaining
    // length's 1-4 bytes, then the rest.
    const total = 1 + lengthBytes(m.length) + m.length;
    const event = total > limit ? "overflow" : "message";
    const data = event === "overflow" ? m.payload.subarray(0, Math.max(0, limit - (total - m.payload.length))) : m.payload;
    if (data.length === 0) this.mqtt(id, event, luaLiteral(m.topic));
    else this.mqtt(id, event, luaLiteral(m.topic), luaLiteral(data));
  }

  private publish(id: number, topic: string, payload: Buffer, qos: number, retain: number): boolean {
    const c = this.clients.get(id);
    if (!c) return false;
    // MQTT_BUF_SIZE: an outgoing PUBLISH is built in a 1460-byte buffer.
    if (payload.length + topic.length + 8 > 1460) return false;
    c.publish(topic, payload, { qos: (qos & 3) as 0 | 1 | 2, retain: retain !== 0 }).then(
      () => this.mqtt(id, "puback"),
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
      () => this.mqtt(id, "suback"),
      () => {},
    );
    return true;
  }

  private unsubscribe(id: number, topics: string[]): boolean {
    const c = this.clients.get(id);
    if (!c) return false;
    c.unsubscribe(topics).then(
      () => this.mqtt(id, "unsuback"),
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
