// The embedded broker: aedes in this process on a loopback port, for `mcu demo` and a
// zero-setup start. Real deployments use Mosquitto (or any MQTT 3.1.1 broker).
import { createServer, type Server, type Socket } from "node:net";

interface AedesBroker {
  handle: (socket: Socket) => void;
  close(cb: () => void): void;
}

export interface EmbeddedBroker {
  host: string;
  port: number;
  url: string;
  close(): Promise<void>;
}

export interface EmbeddedOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** user name → password; without it anyone may connect. */
  users?: Record<string, string>;
}

export async function startEmbeddedBroker(opts: EmbeddedOptions = {}): Promise<EmbeddedBroker> {
  const { Aedes } = (await import("aedes")) as unknown as { Aedes: { createBroker(o?: object): Promise<AedesBroker> } };
  const broker = await Aedes.createBroker({
    authenticate: (
      _c: unknown,
      user: string | undefined,
      pass: Buffer | undefined,
      done: (e: Error | null, ok: boolean) => void,
    ) => {
      if (!opts.users) return done(null, true);
      if (user !== undefined && opts.users[user] === pass?.toString()) return done(null, true);
      done(Object.assign(new Error("bad user name or password"), { returnCode: 4 }), false);
    },
  });
  // Without TCP_NODELAY, Nagle holds a forwarded message behind the peer's delayed ACK (~40 ms).
  const server: Server = createServer((socket) => {
    socket.setNoDelay(true);
    broker.handle(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", resolve);
  });
  const port = (server.address() as { port: number }).port;
  return {
    host: "127.0.0.1",
    port,
    url: `mqtt://127.0.0.1:${port}`,
    async close() {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
