// Errors of the MQTT client core, each with a code and the exit status a CLI leaves with.
import { connackExit, EXIT } from "../kit/exit.ts";

export type MqttErrorCode =
  | "ECONNREFUSED"
  | "ENOTFOUND"
  | "ETIMEDOUT"
  | "EUNREACH"
  | "TLS"
  | "CONNACK"
  | "PROTOCOL"
  | "KEEPALIVE"
  | "QUEUE_FULL"
  | "TOO_LARGE"
  | "CLOSED"
  | "SUBACK";

export class MqttError extends Error {
  override name = "MqttError";
  constructor(
    readonly code: MqttErrorCode,
    message: string,
    readonly extra: { returnCode?: number; address?: string } = {},
  ) {
    super(message);
  }
  get returnCode(): number | undefined {
    return this.extra.returnCode;
  }
  get address(): string | undefined {
    return this.extra.address;
  }
  /** A payload over the limit is the caller's mistake (2); a refusal exits as its CONNACK code. */
  get exitCode(): number {
    if (this.code === "TOO_LARGE") return EXIT.usage;
    return this.code === "CONNACK" ? connackExit(this.returnCode) : EXIT.failure;
  }
}

// MQTT 3.1.1 section 3.2.2.3.
const CONNACK_REASONS: Record<number, string> = {
  1: "unacceptable protocol version",
  2: "client id rejected",
  3: "server unavailable",
  4: "bad user name or password",
  5: "not authorized",
};

export function connackError(returnCode: number, address: string): MqttError {
  const why = CONNACK_REASONS[returnCode] ?? `unknown CONNACK return code ${returnCode}`;
  return new MqttError("CONNACK", `${address} refused the connection: ${why}`, { returnCode, address });
}

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_SSL|ERR_TLS|HOSTNAME|ALTNAME/;

/** A socket error as a message that names the address and what to do. */
export function networkError(err: NodeJS.ErrnoException, address: string): MqttError {
  const code = err.code ?? "";
  if (code === "ECONNREFUSED")
    return new MqttError("ECONNREFUSED", `connection refused by ${address}: is the broker running on that port?`, {
      address,
    });
  if (code === "ENOTFOUND" || code === "EAI_AGAIN")
    return new MqttError("ENOTFOUND", `cannot resolve ${address}: check the host name`, { address });
  if (code === "EHOSTUNREACH" || code === "ENETUNREACH")
    return new MqttError("EUNREACH", `${address} is unreachable: check the network`, { address });
  if (code === "ETIMEDOUT") return new MqttError("ETIMEDOUT", `timed out connecting to ${address}`, { address });
  if (TLS_CODES.test(code) || /certificate/i.test(err.message)) {
    return new MqttError(
      "TLS",
      `TLS: certificate verify failed (${code || err.message}) for ${address}: pass --ca FILE with the broker's CA, or --insecure`,
      {
        address,
      },
    );
  }
  return new MqttError("CLOSED", `connection to ${address} failed: ${err.message}`, { address });
}

/**
 * A socket error before the TLS handshake completed. Past TCP, the usual cause is a port that
 * does not speak TLS: the server reads our ClientHello as garbage and hangs up ("read
 * ECONNRESET"), so say so rather than leave the user to guess.
 */
export function tlsHandshakeError(err: NodeJS.ErrnoException, address: string): MqttError {
  const known = networkError(err, address);
  if (known.code !== "CLOSED") return known;
  return new MqttError(
    "TLS",
    `TLS handshake with ${address} failed (${err.code ?? err.message}): is the broker's port TLS? mqtts:// needs a TLS listener (usually 8883); for a plain one (usually 1883) use mqtt://`,
    { address },
  );
}
