// --broker URL: the one reading of mqtt://host:port and mqtts://host:port.
import { usageError } from "../kit/index.ts";

export interface BrokerAddress {
  host: string;
  port: number;
  tls: boolean;
}

/** The broker a --broker URL names (default ports 1883 and 8883), or exit 2 saying what is wrong. */
export function brokerUrl(url: string): BrokerAddress {
  const u = URL.canParse(url) ? new URL(url) : undefined;
  if (!u) usageError(`--broker "${url}" is not a URL; use mqtt://host:port or mqtts://host:port`);
  if (u.protocol !== "mqtt:" && u.protocol !== "mqtts:")
    usageError(`--broker "${url}": the scheme must be mqtt:// or mqtts://`);
  const tls = u.protocol === "mqtts:";
  // An IPv6 address comes bracketed ([::1]); sockets take it bare.
  return { host: u.hostname.replace(/^\[|\]$/g, ""), port: u.port ? Number(u.port) : tls ? 8883 : 1883, tls };
}
