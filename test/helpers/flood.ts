// A publisher as fast as the broker can take it: QoS 0 PUBLISH packets built ahead and written to a
// raw socket a thousand at a time, so what follows (a reader, the broker) is what is measured, not
// one write per message.
import { once } from "node:events";
import { connect } from "node:net";
import mqttPacket from "mqtt-packet";

/** The QoS 0 PUBLISH packet flood sends for one message. */
export function publishPacket(topic: string, payload: string): Buffer {
  return mqttPacket.generate({ cmd: "publish", topic, payload, qos: 0, retain: false, dup: false });
}

/** Connects to the broker on `port`, publishes `n` messages `payload(i)` on `topic` at QoS 0, and disconnects. */
export async function flood(port: number, topic: string, n: number, payload: (i: number) => string): Promise<void> {
  const socket = connect(port, "127.0.0.1");
  try {
    await once(socket, "connect");
    socket.write(
      mqttPacket.generate({
        cmd: "connect",
        protocolId: "MQTT",
        protocolVersion: 4,
        clean: true,
        clientId: `flood-${process.pid}-${Date.now()}`,
        keepalive: 60,
      }),
    );
    const [connack] = (await once(socket, "data")) as [Buffer];
    if (connack[0] !== 0x20 || connack[3] !== 0)
      throw new Error(`flood: the broker refused the connection (${connack.toString("hex")})`);
    // Built before the first is sent, and a turn of the event loop given up after each write, so
    // that a reader in this same process (a test reading a child's stdout) keeps reading.
    const batches: Buffer[] = [];
    for (let i = 0; i < n; i += 1000) {
      const packets = Array.from({ length: Math.min(1000, n - i) }, (_, k) => publishPacket(topic, payload(i + k)));
      batches.push(Buffer.concat(packets));
    }
    for (const batch of batches) {
      if (!socket.write(batch)) await once(socket, "drain");
      else await new Promise((r) => setImmediate(r));
    }
    socket.write(mqttPacket.generate({ cmd: "disconnect" }));
    await new Promise<void>((resolve) => socket.end(resolve));
  } finally {
    socket.destroy();
  }
}
