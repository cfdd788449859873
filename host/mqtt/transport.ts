// Opens the byte stream under an MQTT session: TCP, or TLS when options ask for it.
import { type Socket, connect as tcpConnect } from "node:net";
import { MqttError, networkError, tlsHandshakeError } from "./errors.ts";

export interface TransportOptions {
  host: string;
  port: number;
  tls?: { ca?: Buffer | string; rejectUnauthorized?: boolean; servername?: string };
  timeoutMs: number;
}

/** Resolves with a connected (and, for TLS, verified) socket, or rejects with an MqttError. */
export async function openTransport(opts: TransportOptions): Promise<Socket> {
  const address = `${opts.host}:${opts.port}`;
  // node:tls costs a few ms to load; plain mqtt:// never needs it.
  const tlsConnect = opts.tls ? (await import("node:tls")).connect : undefined;
  return new Promise((resolve, reject) => {
    const socket =
      opts.tls && tlsConnect
        ? tlsConnect({
            host: opts.host,
            port: opts.port,
            ca: opts.tls.ca,
            rejectUnauthorized: opts.tls.rejectUnauthorized ?? true,
            servername: opts.tls.servername ?? (/^[\d.]+$|:/.test(opts.host) ? undefined : opts.host),
          })
        : tcpConnect({ host: opts.host, port: opts.port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new MqttError("ETIMEDOUT", `timed out connecting to ${address} after ${opts.timeoutMs} ms`, { address }));
    }, opts.timeoutMs);
    const fail = (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      reject(opts.tls ? tlsHandshakeError(err, address) : networkError(err, address));
    };
    socket.once("error", fail);
    socket.once(opts.tls ? "secureConnect" : "connect", () => {
      clearTimeout(timer);
      socket.off("error", fail);
      socket.setNoDelay(true);
      resolve(socket);
    });
  });
}
