// A broker the test drives by hand, for rules that depend on what a real broker sends when: it
// records every packet the client sends and writes exactly the bytes the test gives it, in one
// write() per send() (so packets given together reach the client in one read).
import { createServer, type Server, type Socket } from "node:net";
import mqttPacket from "mqtt-packet";
import { waitUntil } from "./wait.ts";

export type Packet = mqttPacket.Packet;

export interface ScriptedBroker {
  port: number;
  /** Every packet received, in order. */
  packets: Packet[];
  /** Waits for the `n`th (1-based) packet of this kind. */
  next(cmd: Packet["cmd"], n?: number): Promise<Packet>;
  /** Writes these packets to the client in one write(). */
  send(...packets: Packet[]): void;
  /** Writes raw bytes to the client: what no well-formed packet holds. */
  write(bytes: Buffer): void;
  /** Hangs up on the client (FIN). */
  hangUp(): void;
  stop(): Promise<void>;
}

export async function startScriptedBroker(): Promise<ScriptedBroker> {
  const packets: Packet[] = [];
  let client: Socket | undefined;
  const server: Server = createServer((sk) => {
    client = sk;
    const parser = mqttPacket.parser({ protocolVersion: 4 });
    parser.on("packet", (p: Packet) => packets.push(p));
    sk.on("data", (d) => parser.parse(d));
    sk.on("error", () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    packets,
    next: (cmd, n = 1) => waitUntil(`${cmd} #${n} from the board`, () => packets.filter((p) => p.cmd === cmd)[n - 1]),
    send: (...ps) => client?.write(Buffer.concat(ps.map((p) => mqttPacket.generate(p)))),
    write: (bytes) => client?.write(bytes),
    hangUp: () => client?.end(),
    stop: () =>
      new Promise<void>((resolve) => {
        client?.destroy();
        server.close(() => resolve());
      }),
  };
}
