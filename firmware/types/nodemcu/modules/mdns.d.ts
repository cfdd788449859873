// mdns: announces the device's host name and one service by multicast DNS.
/** @noSelf */
declare namespace mdns {
  /** Announces hostname.local; port (80), service ("http") and description, plus up to 10 service attributes. */
  function register(
    hostname: string,
    attributes?: {
      port?: number;
      service?: string;
      description?: string;
      [attribute: string]: string | number | undefined;
    },
  ): void;
  /** Stops announcing. */
  function close(): void;
}
