// One mqtt.Client's connection as NodeMCU's C code runs it (app/modules/mqtt.c and
// app/mqtt/msg_queue.c, release 36cbf9f), re-written here: one send queue with only its head on
// the wire, every queued packet a copy on the board's heap, the receive path that stops at the
// CONNACK, and the one timer that is both the send timeout and the keepalive.
// Each method named after a C function runs as one job on the board's single thread, and calls
// the Lua callbacks synchronously where the C code does (lua_call: unprotected).
import { type Socket, connect as tcpConnect } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { luaLiteral } from "../../../lua/vm.ts";
import {
  ackPacket,
  type ConnectInfo,
  connackCode,
  connectPacket,
  emptyPacket,
  packetId,
  publishParts,
  qosOf,
  T,
  totalLength,
  typeOf,
} from "./mqtt-packets.ts";

/** What a session needs from its board. */
export interface BoardHooks {
  /** Queues a job on the board's one thread, after what is already queued. */
  run(job: () => void): void;
  /** Runs Lua now, inside a job; false once the board has panicked (stop there, as the C code never returns). */
  lua(code: string): boolean;
  /** The C heap, shared with Lua: take() is false when `bytes` do not fit. */
  heap: { take(bytes: number): boolean; give(bytes: number): void };
  /** Whether the board has an IP. */
  online(): boolean;
}

/** sizeof(msg_queue_t) on the 32-bit target: next, msg {data, length}, msg_id, msg_type, publish_qos, sent (msg_queue.h:10-18). */
export const QUEUE_ENTRY_BYTES = 28;
/** MQTT_SEND_TIMEOUT, seconds (mqtt.c:25). */
const SEND_TIMEOUT_MS = 5000;
/** lwIP hands the receive callback at most one segment of TCP_MSS bytes (app/include/lwipopts.h:956). */
const TCP_MSS = 1460;

interface Entry {
  data: Buffer;
  id: number;
  type: number;
  qos: number;
  sent: boolean;
}

type ConnState = "init" | "connectSending" | "connectSent" | "data";
type RxState =
  | { kind: "normal" }
  | { kind: "short" | "buffering"; buf: Buffer; have: number }
  | { kind: "skipping"; skip: number };

export interface SessionConfig extends ConnectInfo {
  maxlen: number;
}

export class Session {
  /** TCP connected, not MQTT connected (mqtt.c:98, 720). */
  connected = false;
  private sending = false;
  private keepaliveSent = false;
  private connState: ConnState = "init";
  /** self_ref: callbacks are only made while the client holds itself (mqtt.c:1112-1114, 157-158). */
  private registered = false;
  private readonly queue: Entry[] = [];
  private nextId = 0;
  private rx: RxState = { kind: "normal" };
  private socket: Socket | undefined;
  private closing = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly id: number,
    private readonly board: BoardHooks,
    private conf: SessionConfig,
  ) {}

  /** The client's settings as mqtt_socket_connected reads them, at each connect. */
  configure(conf: SessionConfig): void {
    this.conf = conf;
  }

  /** Packets waiting in the send queue, head first: for tests and the heap. */
  get queued(): number {
    return this.queue.length;
  }

  // ---- Lua API (mqtt_socket_connect, _close, _publish, _subscribe, _unsubscribe) ----

  /** mqtt_socket_connect after its argument checks (mqtt.c:1054-1148). */
  connect(host: string, port: number, secure: boolean): void {
    this.sending = false;
    this.registered = true;
    this.disarm();
    if (!this.board.online()) {
      // No IP, no route: lwIP's connect fails and espconn calls the reconnect callback.
      const timer = setTimeout(() => this.board.run(() => this.reconnected()), 100);
      this.timer = timer;
      return;
    }
    // An SSL build's espconn_secure: the certificate is not checked unless tls.cert.verify asks (not modelled).
    const sk = secure ? tlsConnect({ host, port, rejectUnauthorized: false }) : tcpConnect({ host, port });
    // espconn turns Nagle off on every client connection it opens (app/lwip/app/espconn_tcp.c:988-989).
    sk.setNoDelay(true);
    this.socket = sk;
    this.closing = false;
    sk.on(secure ? "secureConnect" : "connect", () => this.board.run(() => sk === this.socket && this.connectedCb()));
    sk.on("data", (d: Buffer) => {
      for (let i = 0; i < d.length; i += TCP_MSS) {
        const segment = d.subarray(i, i + TCP_MSS);
        this.board.run(() => sk === this.socket && this.received(segment));
      }
    });
    let failure: NodeJS.ErrnoException | undefined;
    sk.on("error", (err) => (failure = err));
    sk.on("close", () => {
      if (sk !== this.socket || this.closing) return;
      if (!failure) return this.board.run(() => sk === this.socket && this.disconnected());
      // DNS failure: connfail(-3) (mqtt.c:1009-1016); any other socket error: the reconnect callback (mqtt.c:189-201).
      if (failure.code === "ENOTFOUND" || failure.code === "EAI_AGAIN")
        this.board.run(() => sk === this.socket && this.dnsFailed());
      else this.board.run(() => sk === this.socket && this.reconnected());
    });
  }

  /** mqtt_socket_close (mqtt.c:1153-1187): a DISCONNECT queued when the link is up, else nothing at all. */
  close(): void {
    if (!this.connected) return;
    if (!this.enqueue(emptyPacket(T.DISCONNECT), 0, T.DISCONNECT, 0)) return this.doDisconnect();
    this.sendIfPossible();
  }

  /** mqtt_socket_publish (mqtt.c:1454-1516): false when the packet cannot be built or queued. */
  publish(qos: number, packet: (id: number) => Buffer | undefined): boolean {
    const id = qos !== 0 ? this.messageId() : 0;
    const ok = this.enqueue(packet(id), id, T.PUBLISH, qos);
    this.sendIfPossible();
    return ok;
  }

  /** mqtt_socket_subscribe and _unsubscribe (mqtt.c:1247-1451). */
  request(type: number, packet: (id: number) => Buffer | undefined): boolean {
    const id = this.messageId();
    const ok = this.enqueue(packet(id), id, type, 1);
    this.sendIfPossible();
    return ok;
  }

  // ---- Board events ----

  /** Power cut or reboot: the socket is gone, nothing is called back. */
  destroy(): void {
    this.disarm();
    this.socket?.destroy();
    this.socket = undefined;
  }

  /**
   * The access point vanished: the board drops its end while no FIN crosses the radio, so the
   * broker holds its end (returned) until its keepalive runs out.
   */
  abandon(): Socket | undefined {
    const sk = this.socket;
    if (!sk) return undefined;
    this.socket = undefined;
    this.board.run(() => this.disconnected());
    return sk;
  }

  // ---- The C callbacks ----

  /** mqtt_next_message_id (mqtt.c:113-120). */
  private messageId(): number {
    this.nextId = (this.nextId + 1) & 0xffff || 1;
    return this.nextId;
  }

  /** msg_enqueue (msg_queue.c:7-44): a heap copy of the packet plus its queue entry, or nothing. */
  private enqueue(data: Buffer | undefined, id: number, type: number, qos: number): boolean {
    if (!data || data.length === 0) return false;
    if (!this.board.heap.take(QUEUE_ENTRY_BYTES + data.length)) return false;
    this.queue.push({ data, id, type, qos, sent: false });
    return true;
  }

  /** msg_destroy(msg_dequeue()) (msg_queue.c:46-63). */
  private dequeue(): void {
    const e = this.queue.shift();
    if (e) this.board.heap.give(QUEUE_ENTRY_BYTES + e.data.length);
  }

  /** mqtt_send_if_possible (mqtt.c:260-290): only the head, and only when the last send was reported done. */
  private sendIfPossible(): void {
    if (this.sending) return;
    const head = this.queue[0];
    if (!head || head.sent) return;
    head.sent = true;
    this.write(head.data);
    this.arm(SEND_TIMEOUT_MS);
  }

  /** espconn_send; its sent callback (mqtt_socket_sent) comes as a later job once the data has left. */
  private write(data: Buffer): void {
    const sk = this.socket;
    this.sending = true;
    sk?.write(data, (err) => err || this.board.run(() => sk === this.socket && this.sent()));
  }

  /** mqtt_socket_connected (mqtt.c:713-774): CONNECT goes out directly, not through the queue. */
  private connectedCb(): void {
    this.connected = true;
    const packet = connectPacket(this.conf);
    if (packet) this.write(packet);
    else this.sending = true;
    this.arm(SEND_TIMEOUT_MS);
    this.connState = "connectSending";
  }

  /** mqtt_socket_sent (mqtt.c:656-711). */
  private sent(): void {
    if (!this.connected) return;
    this.sending = false;
    this.disarm();
    if (this.connState === "connectSending") {
      this.connState = "connectSent";
      this.arm(SEND_TIMEOUT_MS);
      return;
    }
    this.arm(this.conf.keepalive * 1000);
    const head = this.queue[0];
    if (!head) return;
    if (head.type === T.PUBLISH && head.qos === 0) {
      // QoS 0: no PUBACK will come, so "puback" fires once it has left (mqtt.c:684-692).
      this.dequeue();
      if (!this.callback("puback")) return;
      this.sendIfPossible();
    } else if (head.type === T.PUBACK || head.type === T.PUBCOMP || head.type === T.PINGREQ) {
      this.dequeue();
      this.sendIfPossible();
    } else if (head.type === T.DISCONNECT) {
      this.dequeue();
      this.doDisconnect();
    }
  }

  /** mqtt_socket_timer (mqtt.c:776-822): send and CONNACK timeouts, then keepalive only on an empty queue (mqtt.c:802). */
  private timerCb(): void {
    if (!this.socket) return;
    if (this.connState === "connectSending" || this.connState === "connectSent") {
      const code = this.connState === "connectSending" ? -1 : -2;
      this.connState = "init";
      this.doDisconnect();
      this.connackFail(code);
    } else if (this.connState === "data" && this.queue.length === 0) {
      if (this.keepaliveSent) return this.doDisconnect();
      this.enqueue(emptyPacket(T.PINGREQ), 0, T.PINGREQ, 0);
      this.keepaliveSent = true;
      this.sendIfPossible();
    }
  }

  /** mqtt_socket_received (mqtt.c:292-654), for one segment. */
  private received(segment: Buffer): void {
    let input = segment;
    let rest: Buffer | undefined;
    const rx = this.rx;
    if (rx.kind === "short") {
      // The start of a packet too short to read its length, and this segment (mqtt.c:312-332).
      this.board.heap.give(rx.buf.length);
      input = Buffer.concat([rx.buf, segment]);
      this.rx = { kind: "normal" };
    } else if (rx.kind === "buffering") {
      // A packet longer than one segment, collected on the heap (mqtt.c:334-369).
      const n = Math.min(rx.buf.length - rx.have, segment.length);
      rx.have += segment.copy(rx.buf, rx.have, 0, n);
      if (rx.have < rx.buf.length) return this.sendIfPossible();
      rest = segment.subarray(n);
      input = rx.buf;
      this.rx = { kind: "normal" };
    } else if (rx.kind === "skipping") {
      // The rest of an overflowed packet (mqtt.c:371-392).
      if (rx.skip > segment.length) {
        rx.skip -= segment.length;
        return this.sendIfPossible();
      }
      input = segment.subarray(rx.skip);
      this.rx = { kind: "normal" };
    }
    if (this.readPackets(input, rest) !== "panic") this.sendIfPossible();
  }

  /** The READPACKET loop (mqtt.c:395-644); "panic" when a callback failed and nothing more may run. */
  private readPackets(first: Buffer, rest: Buffer | undefined): "done" | "panic" {
    let input = first;
    let buffered = rest !== undefined;
    while (input.length > 0) {
      if (this.connState === "connectSending" || this.connState === "connectSent") {
        // Whatever came in the same segment as the CONNACK is dropped unread (mqtt.c:409-439, 646).
        return this.connack(input) ? "done" : "panic";
      }
      if (this.connState !== "data") return "done";
      let length = totalLength(input);
      if (length !== -1 && length < 2) {
        // Length bytes that add up past C's int (a stream read from the middle of a packet): the
        // C loop would step backwards through its buffer, undefined behaviour on the board. The
        // emulator drops the link instead of looping for ever (docs/emulator.md).
        this.doDisconnect();
        return "done";
      }
      const [type, qos, id] = [typeOf(input), qosOf(input), packetId(input, input.length)];
      let handled = false;
      if (length > this.conf.maxlen) {
        if (qos > 0 && id === 0) length = -1;
        else {
          // Too long: "overflow" with what this segment holds, acknowledged, the rest skipped (mqtt.c:451-495).
          if (type === T.PUBLISH) {
            if (!this.deliver(input, input.length, "overflow")) return "panic";
            if (qos === 1) this.enqueue(ackPacket(T.PUBACK, id), id, T.PUBACK, 0);
            else if (qos === 2) this.enqueue(ackPacket(T.PUBREC, id), id, T.PUBREC, 0);
          }
          if (length > input.length) {
            this.rx = { kind: "skipping", skip: length - input.length };
            return "done";
          }
          handled = true;
        }
      }
      if (!handled && (length === -1 || length > input.length)) {
        // A partial packet: a heap buffer of its full size until the next segments (mqtt.c:498-525).
        const size = length > 0 ? length : input.length;
        if (!this.board.heap.take(size)) {
          this.doDisconnect();
          return "done";
        }
        const buf = Buffer.alloc(size);
        input.copy(buf);
        this.rx = { kind: length > 0 ? "buffering" : "short", buf, have: input.length };
        return "done";
      }
      if (!handled && !this.dispatch(input, length, type, qos, id)) return "panic";
      if (buffered) {
        // The buffered packet is done: free it and go on with the rest of the segment (mqtt.c:621-629).
        this.board.heap.give(input.length);
        input = rest!;
        buffered = false;
      } else input = input.subarray(length);
    }
    return "done";
  }

  /** The CONNACK while connecting (mqtt.c:410-439): false if the connect callback panicked. */
  private connack(input: Buffer): boolean {
    this.arm(this.conf.keepalive * 1000);
    if (typeOf(input) !== T.CONNACK || connackCode(input) !== 0) {
      const code = typeOf(input) !== T.CONNACK ? -4 : connackCode(input);
      this.connState = "init";
      this.doDisconnect();
      return this.connackFail(code);
    }
    this.connState = "data";
    this.keepaliveSent = false;
    return this.callback("connect");
  }

  /** One whole packet in MQTT_DATA (mqtt.c:536-618); false if a callback panicked. */
  private dispatch(p: Buffer, length: number, type: number, qos: number, id: number): boolean {
    const head = this.queue[0];
    const headIs = (t: number) => head !== undefined && head.type === t && head.id === id;
    switch (type) {
      case T.SUBACK:
      case T.UNSUBACK:
        if (!headIs(type === T.SUBACK ? T.SUBSCRIBE : T.UNSUBSCRIBE)) return true;
        this.dequeue();
        return this.callback(type === T.SUBACK ? "suback" : "unsuback");
      case T.PUBLISH:
        // The acknowledgement is queued before the message callback runs (mqtt.c:555-568).
        if (qos === 1) this.enqueue(ackPacket(T.PUBACK, id), id, T.PUBACK, 0);
        else if (qos === 2) this.enqueue(ackPacket(T.PUBREC, id), id, T.PUBREC, 0);
        return this.deliver(p, length, "message");
      case T.PUBACK:
      case T.PUBCOMP:
        if (!headIs(type === T.PUBACK ? T.PUBLISH : T.PUBREL)) return true;
        this.dequeue();
        return this.callback("puback");
      case T.PUBREC:
      case T.PUBREL: {
        // QoS 2: PUBREC answers our PUBLISH with a PUBREL, PUBREL answers our PUBREC with a PUBCOMP (mqtt.c:579-598).
        const [waiting, answer] = type === T.PUBREC ? [T.PUBLISH, T.PUBREL] : [T.PUBREC, T.PUBCOMP];
        if (!headIs(waiting)) return true;
        this.dequeue();
        this.enqueue(ackPacket(answer, id), id, answer, answer === T.PUBREL ? 1 : 0);
        return true;
      }
      case T.PINGREQ:
        this.enqueue(emptyPacket(T.PINGRESP), 0, T.PINGRESP, 0);
        return true;
      case T.PINGRESP:
        this.keepaliveSent = false;
        return true;
    }
    return true;
  }

  /** deliver_publish (mqtt.c:203-238): the payload argument only when there is one. */
  private deliver(p: Buffer, length: number, event: "message" | "overflow"): boolean {
    if (!this.registered) return true;
    const { topic, data } = publishParts(p, length);
    if (!topic || topic.length === 0) return true;
    return data && data.length > 0
      ? this.callback(event, luaLiteral(topic), luaLiteral(data))
      : this.callback(event, luaLiteral(topic));
  }

  /** mqtt_connack_fail (mqtt.c:241-258). */
  private connackFail(code: number): boolean {
    return !this.registered || this.callback("connfail", String(code));
  }

  /** mqtt_socket_reconnected (mqtt.c:189-201): a TCP error gives connfail(-5), then the disconnect path. */
  private reconnected(): void {
    this.disarm();
    if (this.connackFail(-5)) this.disconnected();
  }

  /** socket_dns_found with no address (mqtt.c:1009-1016). */
  private dnsFailed(): void {
    if (this.connackFail(-3)) this.disconnected();
  }

  /** mqtt_socket_do_disconnect (mqtt.c:177-187): espconn closes and reports the disconnect as its next task. */
  private doDisconnect(): void {
    const sk = this.socket;
    if (!sk || this.closing) return;
    this.closing = true;
    sk.end();
    sk.destroySoon();
    this.board.run(() => sk === this.socket && this.disconnected());
  }

  /** mqtt_socket_disconnected (mqtt.c:133-175): the queue freed; offline only if the TCP link had been up. */
  private disconnected(): void {
    this.disarm();
    while (this.queue.length > 0) this.dequeue();
    if (this.rx.kind === "short" || this.rx.kind === "buffering") this.board.heap.give(this.rx.buf.length);
    this.rx = { kind: "normal" };
    this.socket?.destroy();
    this.socket = undefined;
    const wasRegistered = this.registered;
    this.registered = false;
    if (this.connected) {
      this.connected = false;
      if (wasRegistered) this.callback("offline");
    }
  }

  private callback(event: string, ...args: string[]): boolean {
    return this.board.lua(`__E.mqtt(${this.id}, ${luaLiteral(event)}${args.map((a) => ", " + a).join("")})`);
  }

  /** os_timer_arm of mud->mqttTimer: one timer, re-armed, firing as a job. */
  private arm(ms: number): void {
    this.disarm();
    this.timer = setTimeout(() => this.board.run(() => this.timerCb()), ms);
  }

  private disarm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
