// Shape of config.lua, which the build writes from device.json (the real values never live in
// source). Secrets are on the board's flash only; nothing here is printed.

declare module "config" {
  /** Device id; undefined means derive it from the chip id. */
  export const id: string | undefined;
  export const prefix: string;
  export const ssid: string;
  export const pwd: string;
  export const host: string;
  export const port: number;
  /** Every broker, host, port, host, port… in order; only when there is more than one. */
  export const hosts: (string | number)[] | undefined;
  /** Seconds on a later broker before trying the first again; with hosts only. */
  export const failback: number | undefined;
  export const tls: boolean;
  export const user: string | undefined;
  export const password: string | undefined;
  export const keepalive: number;
  export const maxlen: number;
  /** Firmware version stamped by the build. */
  export const version: string;
  /** The shared secret updates over MQTT must be signed with (device.json ota.secret); only then. */
  export const otakey: string | undefined;
}
