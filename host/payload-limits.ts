// How much a board takes and sends back in one MQTT message, from NodeMCU's C source: the
// arithmetic the build, the CLI's checks, OTA's chunking and the tests share.

/**
 * The largest payload a board with `maxMessageLength` takes on `topic` (ASCII, as the contract's
 * topics are) when it arrives with `qos`: NodeMCU measures the whole PUBLISH against the limit,
 * i.e. the type byte, the 1-4 byte remaining length, the topic with its 2-byte length and, for
 * QoS 1 and 2, a 2-byte packet id.
 */
export function boardPayloadLimit(maxMessageLength: number, topic: string, qos: number): number {
  // With an L-byte length field the rest may be up to 128^L - 1 bytes and must leave 1 + L.
  let rest = 0;
  for (let l = 1; l <= 4; l++) {
    const fits = Math.min(maxMessageLength - 1 - l, 128 ** l - 1);
    if (fits > rest) rest = fits;
  }
  const payload = rest - 2 - topic.length - (qos > 0 ? 2 : 0);
  return Math.max(0, payload);
}

/** NodeMCU builds every outgoing packet in a buffer this long (app/modules/mqtt.c:20). */
export const MQTT_BUF_SIZE = 1460;

/**
 * The largest payload a board can echo on `topic` at `qos`: the PUBLISH is built in MQTT_BUF_SIZE
 * bytes with a 3-byte fixed header, the topic with its 2-byte length and, above QoS 0, a 2-byte
 * packet id (app/mqtt/mqtt_msg.c:347-369); a longer one is refused whatever maxMessageLength
 * allows in.
 */
export function boardEchoLimit(topic: string, qos: number): number {
  return Math.max(0, MQTT_BUF_SIZE - 3 - 2 - topic.length - (qos > 0 ? 2 : 0));
}
