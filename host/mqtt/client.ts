// An MQTT 3.1.1 client on mqtt-packet: one session over TCP or TLS, QoS 0/1/2 both ways, an
// inflight window with a bounded queue, keepalive, and optional reconnect that resends what was
// not acknowledged (with DUP set, as the spec asks) and resubscribes when the session was lost.
import { EventEmitter } from "node:events";
import type { Socket } from "node:net";
import mqttPacket from "mqtt-packet";
import { BASE_BACKOFF_MS, backoffMs } from "../../firmware/src/contract.ts";
import { connackError, MqttError, networkError } from "./errors.ts";

// mqtt-packet otherwise fills a cache of 65,536 two-byte buffers on the first packet: ~20 ms and
// a GC at every CLI start, for numbers that take nanoseconds to write directly.
mqttPacket.writeToStream.cacheNumbers = false;

import { openTransport } from "./transport.ts";

export type QoS = 0 | 1 | 2;

export interface Will {
  topic: string;
  payload: Buffer | string;
  qos: QoS;
  retain: boolean;
}

export interface ClientOptions {
  host: string;
  port: number;
  /** Present: connect with TLS. */
  tls?: { ca?: Buffer | string; rejectUnauthorized?: boolean; servername?: string };
  clientId: string;
  username?: string;
  password?: Buffer | string;
  /** Default true. */
  clean?: boolean;
  /** Seconds; default 60, 0 turns keepalive off. */
  keepalive?: number;
  /** TCP, TLS and CONNACK together; default 10 s. */
  connectTimeoutMs?: number;
  will?: Will;
  /**
   * Default off. true: the board's schedule (contract's backoffMs: 1 s doubling to 30 s, up to
   * half taken off at random), reset after 10 s connected. minMs scales that schedule (its first
   * delay), maxMs caps it.
   */
  reconnect?: boolean | { minMs?: number; maxMs?: number; stableMs?: number };
  /** QoS 1/2 publishes awaiting their ack at once; default 20. */
  maxInflight?: number;
  /** Publishes waiting for the window or a connection; default 1000. */
  maxQueued?: number;
  /** Largest incoming packet (remaining length); default 1 MiB. */
  maxIncomingBytes?: number;
}

export interface Message {
  topic: string;
  payload: Buffer;
  qos: QoS;
  retain: boolean;
  dup: boolean;
  /** Remaining length of the PUBLISH packet as received. */
  length: number;
}

interface Waiter {
  resolve(value?: unknown): void;
  reject(err: Error): void;
}

interface OutPublish extends Waiter {
  packet: mqttPacket.IPublishPacket;
  /** QoS 2: PUBREC seen, PUBREL sent, waiting for PUBCOMP. */
  released?: boolean;
}

interface Backoff {
  minMs: number;
  maxMs: number;
  stableMs: number;
}

function backoffOf(opt: ClientOptions["reconnect"]): Backoff | undefined {
  if (!opt) return undefined;
  const o = opt === true ? {} : opt;
  return { minMs: o.minMs ?? 1000, maxMs: o.maxMs ?? 30000, stableMs: o.stableMs ?? 10000 };
}

const ID_PACKETS = new Set(["puback", "pubrec", "pubrel", "pubcomp", "suback", "unsuback"]);

/** MQTT 3.1.1 2.2.3: the largest remaining length a packet can state. */
const MAX_REMAINING_LENGTH = 268_435_455;

/** Why a PUBLISH of `payload` to `topic` cannot be encoded at all, or undefined. */
function publishSizeError(topic: string, payload: Buffer | string, qos: QoS): string | undefined {
  const overhead = 2 + Buffer.byteLength(topic) + (qos > 0 ? 2 : 0);
  const bytes = Buffer.byteLength(payload);
  if (overhead + bytes <= MAX_REMAINING_LENGTH) return undefined;
  return `the message is ${bytes} bytes; an MQTT packet holds at most ${MAX_REMAINING_LENGTH} bytes after its header, so at most ${MAX_REMAINING_LENGTH - overhead} bytes of payload on this topic`;
}

export class MqttClient extends EventEmitter {
  private readonly opts: ClientOptions;
  private readonly address: string;
  private readonly backoff: Backoff | undefined;
  private socket: Socket | undefined;
  private parser = mqttPacket.parser();
  private nextId = 0;
  /** QoS 1/2 publishes sent and not yet acknowledged, in send order (resent on reconnect). */
  private readonly inflight = new Map<number, OutPublish>();
  private readonly queue: OutPublish[] = [];
  private readonly acks = new Map<number, Waiter>();
  /** Incoming QoS 2 ids between PUBREC and PUBREL: delivered once. */
  private readonly received = new Set<number>();
  private readonly subscriptions = new Map<string, QoS>();
  private pingTimer: NodeJS.Timeout | undefined;
  private pongTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private stableTimer: NodeJS.Timeout | undefined;
  private attempt = 0;
  private ended = false;
  private _connected = false;
  /** Takes this client's listeners off its socket. */
  private unwire = () => {};

  constructor(opts: ClientOptions) {
    super();
    this.opts = opts;
    this.address = `${opts.host}:${opts.port}`;
    this.backoff = backoffOf(opts.reconnect);
  }

  get connected(): boolean {
    return this._connected;
  }

  /** Opens the session; rejects with an MqttError saying why it could not. */
  connect(): Promise<{ sessionPresent: boolean }> {
    this.ended = false;
    return this.open();
  }

  private async open(): Promise<{ sessionPresent: boolean }> {
    const timeoutMs = this.opts.connectTimeoutMs ?? 10000;
    const socket = await openTransport({ host: this.opts.host, port: this.opts.port, tls: this.opts.tls, timeoutMs });
    if (this.ended) {
      socket.destroy();
      throw new MqttError("CLOSED", "the client was ended while connecting");
    }
    this.socket = socket;
    this.parser = mqttPacket.parser();
    const connack = new Promise<{ sessionPresent: boolean }>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new MqttError("ETIMEDOUT", `no CONNACK from ${this.address} within ${timeoutMs} ms`, {
            address: this.address,
          }),
        );
        socket.destroy();
      }, timeoutMs);
      this.acks.set(-1, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as { sessionPresent: boolean });
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
    });
    this.wire(socket);
    this.write(this.connectPacket());
    return connack;
  }

  private connectPacket(): mqttPacket.IConnectPacket {
    const o = this.opts;
    const will = o.will && {
      topic: o.will.topic,
      payload: Buffer.from(o.will.payload),
      qos: o.will.qos,
      retain: o.will.retain,
    };
    return {
      cmd: "connect",
      protocolId: "MQTT",
      protocolVersion: 4,
      clientId: o.clientId,
      clean: o.clean ?? true,
      keepalive: o.keepalive ?? 60,
      username: o.username,
      password: o.password === undefined ? undefined : Buffer.from(o.password),
      will,
    };
  }

  private wire(socket: Socket): void {
    const limit = this.opts.maxIncomingBytes ?? 1024 * 1024;
    this.parser.on("packet", (p: mqttPacket.Packet) => this.handle(p));
    this.parser.on("error", (err: Error) =>
      this.lost(new MqttError("PROTOCOL", `bad packet from ${this.address}: ${err.message}`)),
    );
    const onData = (chunk: Buffer) => {
      // parse() returns what it holds back for an incomplete packet: bound it so a rogue server
      // cannot make us buffer without end.
      const held = this.parser.parse(chunk);
      if (held > limit + 5) this.lost(new MqttError("PROTOCOL", `${this.address} sent a packet over ${limit} bytes`));
    };
    const onError = (err: NodeJS.ErrnoException) => this.lost(networkError(err, this.address));
    const onClose = () => this.lost(new MqttError("CLOSED", `connection to ${this.address} closed`));
    socket.on("data", onData).on("error", onError).on("close", onClose);
    this.unwire = () => socket.off("data", onData).off("error", onError).off("close", onClose);
  }

  private write(packet: mqttPacket.Packet): void {
    const socket = this.socket;
    if (!socket || socket.destroyed) return;
    socket.write(mqttPacket.generate(packet));
    this.armPing();
  }

  private handle(p: mqttPacket.Packet): void {
    // MQTT 3.1.1 2.3.1: these packets carry a non-zero 16-bit id; answering one without it
    // would put garbage on the wire.
    const needsId = p.cmd === "publish" ? p.qos > 0 : ID_PACKETS.has(p.cmd);
    const id = (p as { messageId?: number }).messageId;
    if (needsId && !(Number.isInteger(id) && id! >= 1 && id! <= 65535)) {
      return this.lost(new MqttError("PROTOCOL", `${this.address} sent a ${p.cmd} packet without a valid packet id`));
    }
    switch (p.cmd) {
      case "connack":
        return this.onConnack(p);
      case "publish":
        return this.onPublish(p);
      case "puback":
      case "pubcomp":
        return this.settle(p.messageId!);
      case "pubrec":
        return this.onPubrec(p.messageId!);
      case "pubrel":
        this.received.delete(p.messageId!);
        return this.write({ cmd: "pubcomp", messageId: p.messageId! });
      case "suback":
      case "unsuback":
        return this.onSuback(p);
      case "pingresp":
        clearTimeout(this.pongTimer);
        this.pongTimer = undefined;
        return;
      default:
        return this.lost(new MqttError("PROTOCOL", `${this.address} sent an unexpected ${p.cmd} packet`));
    }
  }

  private onConnack(p: mqttPacket.IConnackPacket): void {
    const waiter = this.acks.get(-1);
    this.acks.delete(-1);
    if (p.returnCode !== 0) {
      const err = connackError(p.returnCode ?? -1, this.address);
      this.ended = true; // a refusal is final: retrying with the same credentials cannot help
      waiter?.reject(err);
      this.socket?.destroy();
      return;
    }
    this._connected = true;
    const sessionPresent = p.sessionPresent;
    if (this.backoff) this.stableTimer = setTimeout(() => (this.attempt = 0), this.backoff.stableMs);
    this.resume(sessionPresent);
    waiter?.resolve({ sessionPresent });
    this.emit("connect", { sessionPresent });
  }

  // After a (re)connect: resubscribe if the broker forgot us, resend unacknowledged publishes
  // with DUP, then drain the queue into the window.
  private resume(sessionPresent: boolean): void {
    if (!sessionPresent && this.subscriptions.size > 0) {
      const subscriptions = [...this.subscriptions].map(([topic, qos]) => ({ topic, qos }));
      this.write({ cmd: "subscribe", messageId: this.id(), subscriptions });
    }
    for (const [id, out] of this.inflight) {
      if (out.released) this.write({ cmd: "pubrel", messageId: id });
      else this.write({ ...out.packet, dup: true });
    }
    this.drain();
  }

  private onPublish(p: mqttPacket.IPublishPacket): void {
    const payload = typeof p.payload === "string" ? Buffer.from(p.payload) : p.payload;
    const msg: Message = { topic: p.topic, payload, qos: p.qos, retain: p.retain, dup: p.dup, length: p.length ?? 0 };
    if (p.qos === 2) {
      if (!this.received.has(p.messageId!)) {
        this.received.add(p.messageId!);
        this.emit("message", msg);
      }
      this.write({ cmd: "pubrec", messageId: p.messageId! });
      return;
    }
    this.emit("message", msg);
    if (p.qos === 1) this.write({ cmd: "puback", messageId: p.messageId! });
  }

  private onPubrec(id: number): void {
    const out = this.inflight.get(id);
    if (out) out.released = true;
    this.write({ cmd: "pubrel", messageId: id });
  }

  private onSuback(p: mqttPacket.ISubackPacket | mqttPacket.IUnsubackPacket): void {
    const waiter = this.acks.get(p.messageId!);
    this.acks.delete(p.messageId!);
    waiter?.resolve("granted" in p ? p.granted : undefined);
  }

  private settle(id: number): void {
    const out = this.inflight.get(id);
    if (!out) return;
    this.inflight.delete(id);
    out.resolve();
    this.drain();
    if (this.inflight.size === 0) this.emit("drained");
  }

  private id(): number {
    // Skip ids still in use: a long-lived QoS 1 publish must not be acknowledged by another's ack.
    do this.nextId = (this.nextId % 65535) + 1;
    while (this.inflight.has(this.nextId) || this.acks.has(this.nextId));
    return this.nextId;
  }

  private drain(): void {
    const max = this.opts.maxInflight ?? 20;
    while (this._connected && this.queue.length > 0 && this.inflight.size < max) {
      const out = this.queue.shift()!;
      out.packet.messageId = this.id();
      this.inflight.set(out.packet.messageId, out);
      this.write(out.packet);
    }
  }

  /** QoS 0 resolves once written, QoS 1 on PUBACK, QoS 2 on PUBCOMP. */
  publish(topic: string, payload: Buffer | string, opts: { qos?: QoS; retain?: boolean } = {}): Promise<void> {
    const tooLarge = publishSizeError(topic, payload, opts.qos ?? 0);
    if (tooLarge) return Promise.reject(new MqttError("TOO_LARGE", tooLarge));
    const packet: mqttPacket.IPublishPacket = {
      cmd: "publish",
      topic,
      payload: Buffer.from(payload),
      qos: opts.qos ?? 0,
      retain: opts.retain ?? false,
      dup: false,
    };
    if (packet.qos === 0) {
      if (!this._connected) return Promise.reject(this.notConnected());
      return new Promise((resolve) => {
        this.write(packet);
        resolve();
      });
    }
    if (!this._connected && !this.backoff) return Promise.reject(this.notConnected());
    if (this.queue.length >= (this.opts.maxQueued ?? 1000)) {
      return Promise.reject(
        new MqttError(
          "QUEUE_FULL",
          `${this.queue.length} messages are already waiting to be sent to ${this.address}; wait for them or raise maxQueued`,
        ),
      );
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ packet, resolve, reject });
      this.drain();
    });
  }

  /**
   * Stops reading the socket (until resumeIncoming), so a slow consumer holds the broker back
   * through TCP instead of buffering without bound. Keepalive cannot judge a link it does not
   * read, so it waits too.
   */
  pauseIncoming(): void {
    this.socket?.pause();
    clearTimeout(this.pongTimer);
    this.pongTimer = undefined;
  }

  resumeIncoming(): void {
    this.socket?.resume();
  }

  /** Subscribes and resolves with the granted QoS per filter; a refused filter rejects. */
  async subscribe(subs: string | Array<{ topic: string; qos: QoS }>, qos: QoS = 0): Promise<number[]> {
    const list = typeof subs === "string" ? [{ topic: subs, qos }] : subs;
    const granted = (await this.request({ cmd: "subscribe", messageId: 0, subscriptions: list })) as number[];
    granted.forEach((g, i) => {
      if (g === 0x80)
        throw new MqttError("SUBACK", `${this.address} refused the subscription to "${list[i]!.topic}" (not allowed?)`);
    });
    for (const s of list) this.subscriptions.set(s.topic, s.qos);
    return granted;
  }

  async unsubscribe(topics: string | string[]): Promise<void> {
    const list = typeof topics === "string" ? [topics] : topics;
    await this.request({ cmd: "unsubscribe", messageId: 0, unsubscriptions: list });
    for (const t of list) this.subscriptions.delete(t);
  }

  private request(packet: mqttPacket.ISubscribePacket | mqttPacket.IUnsubscribePacket): Promise<unknown> {
    if (!this._connected) return Promise.reject(this.notConnected());
    packet.messageId = this.id();
    return new Promise((resolve, reject) => {
      this.acks.set(packet.messageId!, { resolve, reject });
      this.write(packet);
    });
  }

  private notConnected(): MqttError {
    return new MqttError("CLOSED", `not connected to ${this.address}`);
  }

  private armPing(): void {
    const keepalive = this.opts.keepalive ?? 60;
    if (keepalive === 0 || this.ended) return;
    clearTimeout(this.pingTimer);
    this.pingTimer = setTimeout(() => {
      this.write({ cmd: "pingreq" });
      if (this.socket?.isPaused()) return; // the PINGRESP waits unread: see pauseIncoming
      this.pongTimer ??= setTimeout(
        () =>
          this.lost(
            new MqttError("KEEPALIVE", `no PINGRESP from ${this.address} within ${keepalive} s: the link is dead`),
          ),
        keepalive * 1000,
      );
    }, keepalive * 1000);
  }

  private stopTimers(): void {
    clearTimeout(this.pingTimer);
    clearTimeout(this.pongTimer);
    clearTimeout(this.stableTimer);
    this.pingTimer = this.pongTimer = this.stableTimer = undefined;
  }

  // The link is gone: fail what waits on it, then reconnect or close for good. `silently` leaves
  // the socket open, deaf and mute, for abandon().
  private lost(err: MqttError, silently = false): void {
    const socket = this.socket;
    if (!socket) return;
    this.socket = undefined;
    this.unwire();
    if (silently) socket.on("data", () => {}).on("error", () => {});
    else socket.destroy();
    this.stopTimers();
    const wasConnected = this._connected;
    this._connected = false;
    for (const [id, w] of this.acks) {
      this.acks.delete(id);
      w.reject(err);
    }
    if (wasConnected) this.emit("offline", err);
    if (this.backoff && !this.ended) return this.scheduleReconnect();
    this.failOutgoing(err);
    this.emit("close");
  }

  private scheduleReconnect(): void {
    // One retry at a time: a connection that drops before CONNACK is reported both by the socket
    // (lost) and by the failed open(); a second timer would double the retries and escape end().
    if (this.retryTimer) return;
    const b = this.backoff!;
    // The board's formula, so a fleet and its PCs back off alike.
    const delayMs = Math.min(b.maxMs, Math.round((backoffMs(this.attempt, Math.random()) * b.minMs) / BASE_BACKOFF_MS));
    this.attempt++;
    this.emit("reconnect", { attempt: this.attempt, delayMs });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.open().catch((err: MqttError) => {
        if (err.code === "CONNACK") {
          this.failOutgoing(err);
          this.report(err);
          this.emit("close");
        } else if (!this.socket && !this.ended) {
          this.report(err);
          this.scheduleReconnect();
        }
      });
    }, delayMs);
  }

  // "error" events are informational while reconnecting; an emitter throws them when nobody listens.
  private report(err: MqttError): void {
    if (this.listenerCount("error") > 0) this.emit("error", err);
  }

  private failOutgoing(err: MqttError): void {
    for (const out of [...this.inflight.values(), ...this.queue]) out.reject(err);
    this.inflight.clear();
    this.queue.length = 0;
  }

  /**
   * Ends the session. Graceful: waits (up to timeoutMs, default 5 s) for outstanding acks, then
   * sends DISCONNECT. force: closes at once without DISCONNECT, so the broker publishes the will.
   */
  async end(opts: { force?: boolean; timeoutMs?: number } = {}): Promise<void> {
    clearTimeout(this.retryTimer);
    if (!opts.force && this._connected && (this.inflight.size > 0 || this.queue.length > 0)) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, opts.timeoutMs ?? 5000);
        const done = () => {
          clearTimeout(timer);
          resolve();
        };
        this.once("drained", done);
        this.once("close", done);
      });
    }
    this.ended = true;
    const socket = this.socket;
    if (!socket) {
      this.failOutgoing(new MqttError("CLOSED", "client ended"));
      return;
    }
    if (!opts.force && this._connected) {
      // A peer that stopped reading never takes the DISCONNECT: give it a second, then close anyway.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1000);
        socket.end(mqttPacket.generate({ cmd: "disconnect" }), () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    this.lost(new MqttError("CLOSED", "client ended"));
  }

  /** Drops the link at once: no DISCONNECT, no reconnect (a board losing power). */
  destroy(): void {
    this.close(new MqttError("CLOSED", "client destroyed"), false);
  }

  /**
   * Gives the link up at once without a word to the broker, as when the radio path vanishes:
   * no DISCONNECT and no FIN, so the broker learns of it only by its keepalive timeout and then
   * publishes the will. Returns the silent socket; the caller closes it when it likes.
   */
  abandon(): Socket | undefined {
    const socket = this.socket;
    this.close(new MqttError("CLOSED", "link lost"), true);
    return socket;
  }

  private close(err: MqttError, silently: boolean): void {
    this.ended = true;
    clearTimeout(this.retryTimer);
    if (this.socket) this.lost(err, silently);
    else this.failOutgoing(err);
  }
}
