// MQTT packets as NodeMCU builds and reads them (app/mqtt/mqtt_msg.c, release 36cbf9f): our own
// code for the same rules, so the emulated board refuses and truncates what a real one does.
// The buffer size is the host's, one constant for the board and the CLI's limits.
import { MQTT_BUF_SIZE } from "../../../../host/payload-limits.ts";

/** Packet types (app/mqtt/mqtt_msg.h:51-66). */
export const T = {
  CONNECT: 1,
  CONNACK: 2,
  PUBLISH: 3,
  PUBACK: 4,
  PUBREC: 5,
  PUBREL: 6,
  PUBCOMP: 7,
  SUBSCRIBE: 8,
  SUBACK: 9,
  UNSUBSCRIBE: 10,
  UNSUBACK: 11,
  PINGREQ: 12,
  PINGRESP: 13,
  DISCONNECT: 14,
} as const;

/** C strings: what strlen() sees of a Lua string (mqtt_msg.c appends strlen bytes). */
export function cstr(b: Buffer): Buffer {
  const z = b.indexOf(0);
  return z < 0 ? b : b.subarray(0, z);
}

/**
 * One packet under construction: room for a 3-byte fixed header first (init_message,
 * mqtt_msg.c:81-85), then each part only while it fits in MQTT_BUF_SIZE, else the whole packet
 * fails (fail_message, mqtt_msg.c:87-92: length 0, which msg_enqueue refuses).
 */
class Builder {
  private readonly buf = Buffer.alloc(MQTT_BUF_SIZE);
  private len = 3;
  private failed = false;

  /** A 2-byte length and the bytes (append_string, mqtt_msg.c:57-68). */
  string(s: Buffer): this {
    if (this.failed || this.len + s.length + 2 > MQTT_BUF_SIZE) return this.fail();
    this.len = this.buf.writeUInt16BE(s.length, this.len);
    this.len += s.copy(this.buf, this.len);
    return this;
  }

  /** append_message_id, mqtt_msg.c:70-79. */
  id(n: number): this {
    if (this.failed || this.len + 2 > MQTT_BUF_SIZE) return this.fail();
    this.len = this.buf.writeUInt16BE(n, this.len);
    return this;
  }

  bytes(b: Buffer): this {
    if (this.failed || this.len + b.length > MQTT_BUF_SIZE) return this.fail();
    this.len += b.copy(this.buf, this.len);
    return this;
  }

  fail(): this {
    this.failed = true;
    return this;
  }

  /** fini_message, mqtt_msg.c:94-115: a 2- or 3-byte fixed header in front. */
  finish(type: number, qos = 0, retain = 0): Buffer | undefined {
    if (this.failed) return undefined;
    const remaining = this.len - 3;
    const flags = (type << 4) | ((qos & 3) << 1) | (retain & 1);
    if (remaining > 127) {
      this.buf[0] = flags;
      this.buf[1] = 0x80 | (remaining % 128);
      this.buf[2] = Math.floor(remaining / 128);
      return Buffer.from(this.buf.subarray(0, this.len));
    }
    this.buf[1] = flags;
    this.buf[2] = remaining;
    return Buffer.from(this.buf.subarray(1, this.len));
  }
}

export interface ConnectInfo {
  clientId: Buffer;
  user: Buffer;
  pass: Buffer;
  willTopic: Buffer;
  willMessage: Buffer;
  willQos: number;
  willRetain: boolean;
  keepalive: number;
  clean: boolean;
}

/** mqtt_msg_connect, mqtt_msg.c:284-345: MQTT 3.1.1; empty strings are left out, an empty client id fails. */
export function connectPacket(i: ConnectInfo): Buffer | undefined {
  const [id, will, user, pass] = [cstr(i.clientId), cstr(i.willTopic), cstr(i.user), cstr(i.pass)];
  if (id.length === 0) return undefined;
  let flags = i.clean ? 0x02 : 0;
  if (will.length > 0) flags |= 0x04 | (i.willRetain ? 0x20 : 0) | ((i.willQos & 3) << 3);
  if (user.length > 0) flags |= 0x80;
  if (pass.length > 0) flags |= 0x40;
  const b = new Builder()
    .bytes(Buffer.from([0, 4, 0x4d, 0x51, 0x54, 0x54, 4, flags, i.keepalive >> 8, i.keepalive & 0xff]))
    .string(id);
  if (will.length > 0) b.string(will).string(cstr(i.willMessage));
  if (user.length > 0) b.string(user);
  if (pass.length > 0) b.string(pass);
  return b.finish(T.CONNECT);
}

/** mqtt_msg_publish, mqtt_msg.c:347-369: no topic, or a packet over MQTT_BUF_SIZE, fails. */
export function publishPacket(
  topic: Buffer,
  payload: Buffer,
  qos: number,
  retain: number,
  id: number,
): Buffer | undefined {
  const t = cstr(topic);
  if (t.length === 0) return undefined;
  const b = new Builder().string(t);
  if (qos > 0) b.id(id);
  return b.bytes(payload).finish(T.PUBLISH, qos, retain);
}

/** PUBACK, PUBREC, PUBCOMP (QoS 0 header) and PUBREL (QoS 1 header): mqtt_msg.c:371-401. */
export function ackPacket(type: number, id: number): Buffer {
  return new Builder().id(id).finish(type, type === T.PUBREL ? 1 : 0)!;
}

/** mqtt_msg_subscribe*, mqtt_msg.c:403-446: every topic non-empty and the whole under MQTT_BUF_SIZE. */
export function subscribePacket(id: number, subs: { topic: Buffer; qos: number }[]): Buffer | undefined {
  const b = new Builder().id(id);
  for (const s of subs) {
    const t = cstr(s.topic);
    if (t.length === 0) return undefined;
    b.string(t).bytes(Buffer.from([s.qos & 0xff]));
  }
  return b.finish(T.SUBSCRIBE, 1);
}

/** mqtt_msg_unsubscribe*, mqtt_msg.c:448-480. */
export function unsubscribePacket(id: number, topics: Buffer[]): Buffer | undefined {
  const b = new Builder().id(id);
  for (const topic of topics) {
    const t = cstr(topic);
    if (t.length === 0) return undefined;
    b.string(t);
  }
  return b.finish(T.UNSUBSCRIBE, 1);
}

/** PINGREQ, PINGRESP, DISCONNECT: a bare fixed header (mqtt_msg.c:484-500). */
export function emptyPacket(type: number): Buffer {
  return new Builder().finish(type)!;
}

// Reading: the accessors mqtt.c applies to the bytes of one receive (mqtt_msg.h:115-119).
export const typeOf = (b: Buffer): number => (b[0]! & 0xf0) >> 4;
export const qosOf = (b: Buffer): number => (b[0]! & 0x06) >> 1;
export const connackCode = (b: Buffer): number => b[3] ?? 0;

/** mqtt_get_total_length, mqtt_msg.c:124-149: header and body, or -1 when the length is not all there. */
export function totalLength(b: Buffer): number {
  if (b.length === 1) return -1;
  let total = 0;
  let i = 1;
  for (; i < b.length; i++) {
    // C's int: a shift into the sign bit, or past it, wraps as it does on the board.
    total = (total + ((b[i]! & 0x7f) << (7 * (i - 1)))) | 0;
    if ((b[i]! & 0x80) === 0) {
      i++;
      break;
    }
  }
  return total + i;
}

/** Index just past the fixed header's remaining-length bytes (the loops in mqtt_msg.c:151-260). */
function afterLength(b: Buffer, len: number): number {
  let i = 1;
  for (; i < len; i++) {
    if ((b[i]! & 0x80) === 0) return i + 1;
  }
  return i + 1;
}

/** mqtt_get_id, mqtt_msg.c:225-282: 0 when it cannot be read from the first `len` bytes. */
export function packetId(b: Buffer, len: number): number {
  if (len < 1) return 0;
  const type = typeOf(b);
  if (type === T.PUBLISH) {
    if (qosOf(b) <= 0) return 0;
    let i = afterLength(b, len);
    if (i + 2 > len) return 0;
    i += 2 + b.readUInt16BE(i);
    if (i + 2 > len) return 0;
    return b.readUInt16BE(i);
  }
  if (type >= T.PUBACK && type <= T.UNSUBACK && type !== T.UNSUBSCRIBE) {
    // Read only when the remaining length takes one byte (mqtt_msg.c:271-276).
    return len >= 4 && (b[1]! & 0x80) === 0 ? b.readUInt16BE(2) : 0;
  }
  return 0;
}

/**
 * A PUBLISH's topic and payload from the first `len` bytes (mqtt_get_publish_topic and _data,
 * mqtt_msg.c:151-223): the payload stops at the packet's end or at `len`, whichever is first.
 */
export function publishParts(b: Buffer, len: number): { topic?: Buffer; data?: Buffer } {
  const total = totalLength(b.subarray(0, len));
  let i = afterLength(b, len);
  if (i + 2 > len) return {};
  const topicLen = b.readUInt16BE(i);
  i += 2;
  if (i + topicLen > len) return {};
  const topic = b.subarray(i, i + topicLen);
  i += topicLen;
  if (qosOf(b) > 0) {
    if (i + 2 > len) return { topic };
    i += 2;
  }
  if (total < i) return { topic };
  return { topic, data: b.subarray(i, Math.min(total, len)) };
}
