// Options every host verb shares: broker, credentials, identity, topic prefix and device, with
// defaults from the same device config file the firmware is built from.
import { existsSync, readFileSync } from "node:fs";
import { DEFAULT_PREFIX, IN, MESSAGE_QOS, OUT, topic } from "../../firmware/src/contract.ts";
import { ConfigError, DEFAULT_CONFIG_FILE, type DeviceConfig, loadConfig } from "../config.ts";
import { CliError, EXIT, type Options, parseOrUsage, usageError, wholeNumber } from "../kit/index.ts";
import { type ClientOptions, MqttClient, type QoS } from "../mqtt/index.ts";
import { idError, prefixError } from "../names.ts";
import { boardEchoLimit, boardPayloadLimit } from "../payload-limits.ts";
import { type BrokerAddress, brokerUrl } from "./broker-url.ts";

export const COMMON_USAGE = `connection options:
  --broker URL          mqtt://host:port or mqtts://host:port (default from the config file, else mqtt://localhost:1883)
  --ca FILE             CA certificate for mqtts   --insecure   skip certificate checks
  --username U          the password comes from MQTT_PASSWORD or --password-file FILE, never the command line
  --client-id ID        --qos 0|1|2   --keepalive S   --prefix P   --verbose
  --config FILE         device config (default device.json when present)   --device ID
connecting (TCP, TLS and CONNACK) gives up after 10 s: exit 1`;

const common = {
  broker: { type: "string" },
  ca: { type: "string" },
  insecure: { type: "boolean" },
  username: { type: "string" },
  password: { type: "string" },
  "password-file": { type: "string" },
  "client-id": { type: "string" },
  qos: { type: "string" },
  keepalive: { type: "string" },
  prefix: { type: "string" },
  config: { type: "string" },
  device: { type: "string" },
  verbose: { type: "boolean" },
} as const;

export interface HostContext {
  client: ClientOptions;
  /** host:port of the broker, for messages. */
  address: string;
  prefix: string;
  device: string | undefined;
  qos: QoS;
  verbose: boolean;
  /** For the board the config file describes: the largest payload it takes on its in topic. */
  /** What the configured board takes in on its in topic, and the most it can echo back (MQTT_BUF_SIZE). */
  boardLimit: { bytes: number; echoBytes: number; maxMessageLength: number } | undefined;
  /** device.json's ota.secret, which mcu ota signs updates with; never printed. */
  otaSecret?: string;
  log(line: string): void;
}

/** Parses argv with the common options plus the verb's own; bad input is exit 2 with the usage line. */
export function parseVerb<T extends Options>(argv: string[], own: T, usage: string) {
  return parseOrUsage(argv, { ...common, ...own }, usage, true);
}

function readConfig(file: string | undefined): DeviceConfig | undefined {
  const path = file ?? (existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : undefined);
  if (!path) return undefined;
  try {
    return loadConfig(path);
  } catch (err) {
    if (err instanceof ConfigError) usageError(err.message);
    throw err;
  }
}

function brokerOf(url: string | undefined, cfg: DeviceConfig | undefined): BrokerAddress {
  if (url !== undefined) return brokerUrl(url);
  return cfg
    ? { host: cfg.mqtt.host, port: cfg.mqtt.port, tls: cfg.mqtt.tls }
    : { host: "localhost", port: 1883, tls: false };
}

/** Unique enough for a client id, and no node:crypto to load (a few ms of every cold start). */
function randomClientId(verb: string): string {
  return `mcu-${verb}-${Math.floor(Math.random() * 2 ** 32)
    .toString(16)
    .padStart(8, "0")}`;
}

function password(values: { "password-file"?: string }, cfg: DeviceConfig | undefined): string | undefined {
  if (values["password-file"]) {
    try {
      return readFileSync(values["password-file"], "utf8").replace(/\r?\n$/, "");
    } catch (err) {
      usageError(`--password-file ${values["password-file"]}: cannot read it (${(err as NodeJS.ErrnoException).code})`);
    }
  }
  return process.env.MQTT_PASSWORD ?? cfg?.mqtt.password;
}

/** Resolves the common options into client settings; `verb` names the default client id. */
export function hostContext(values: Record<string, unknown>, verb: string): HostContext {
  const v = values as Partial<Record<keyof typeof common, string>> & { insecure?: boolean; verbose?: boolean };
  if (v.password !== undefined)
    usageError(
      "--password is not accepted (it would show in the process list): set MQTT_PASSWORD or use --password-file FILE",
    );
  const cfg = readConfig(v.config);
  const broker = brokerOf(v.broker, cfg);
  const prefix = v.prefix ?? cfg?.prefix ?? DEFAULT_PREFIX;
  const prefixWhy = prefixError(prefix);
  if (prefixWhy) usageError(`--prefix: ${prefixWhy}`);
  const device = v.device ?? cfg?.id;
  if (device !== undefined) {
    const why = idError(device);
    if (why) usageError(`--device: ${why}`);
  }
  const qos = (wholeNumber("qos", v.qos, { min: 0, max: 2 }) ?? 1) as QoS;
  let ca: Buffer | undefined;
  if (v.ca) {
    try {
      ca = readFileSync(v.ca);
    } catch (err) {
      usageError(`--ca ${v.ca}: cannot read it (${(err as NodeJS.ErrnoException).code})`);
    }
  }
  const verbose = v.verbose === true;
  const client: ClientOptions = {
    host: broker.host,
    port: broker.port,
    tls: broker.tls ? { ca, rejectUnauthorized: !v.insecure } : undefined,
    clientId: v["client-id"] ?? randomClientId(verb),
    username: v.username ?? cfg?.mqtt.username,
    password: password(v, cfg),
    keepalive: wholeNumber("keepalive", v.keepalive, { min: 0, max: 65535 }) ?? 60,
  };
  // The board subscribes at MESSAGE_QOS: what it receives is delivered at the lower of that and ours.
  const boardLimit =
    cfg && device !== undefined && device === cfg.id
      ? {
          bytes: boardPayloadLimit(cfg.mqtt.maxMessageLength, topic(prefix, device, IN), Math.min(qos, MESSAGE_QOS)),
          echoBytes: boardEchoLimit(topic(prefix, device, OUT), MESSAGE_QOS),
          maxMessageLength: cfg.mqtt.maxMessageLength,
        }
      : undefined;
  return {
    client,
    address: `${client.host}:${client.port}`,
    prefix,
    device,
    qos,
    verbose,
    boardLimit,
    otaSecret: cfg?.ota?.secret,
    log: (line) => verbose && process.stderr.write(`mcu ${verb}: ${line}\n`),
  };
}

/**
 * The context of a caller that names its broker and device itself (the demo): no config file,
 * no credentials, the default prefix, QoS 1 and keepalive 60, quiet.
 */
export function plainContext(verb: string, broker: { host: string; port: number }, device: string): HostContext {
  const client: ClientOptions = { host: broker.host, port: broker.port, clientId: randomClientId(verb), keepalive: 60 };
  return {
    client,
    address: `${broker.host}:${broker.port}`,
    prefix: DEFAULT_PREFIX,
    device,
    qos: 1,
    verbose: false,
    boardLimit: undefined,
    log: () => {},
  };
}

/** The device id the verb acts on, or a usage error saying how to give one. */
export function requireDevice(ctx: HostContext): string {
  if (ctx.device === undefined) usageError('no device: pass --device ID or set "id" in the config file');
  return ctx.device;
}

/** Connects, logging the steps with --verbose (never the password). */
export async function connect(ctx: HostContext, extra: Partial<ClientOptions> = {}): Promise<MqttClient> {
  const opts = { ...ctx.client, ...extra };
  ctx.log(
    `connecting to ${opts.tls ? "mqtts" : "mqtt"}://${opts.host}:${opts.port} as ${opts.clientId}${opts.username ? ` (user ${opts.username}, password ${opts.password ? "set" : "not set"})` : ""}`,
  );
  const client = new MqttClient(opts);
  await client.connect();
  ctx.log("connected");
  return client;
}

/** Seconds a verb waits for the broker to answer a request (SUBACK) when no --timeout bounds it. */
export const ANSWER_TIMEOUT_S = 10;

/**
 * `work`, or a timeout (exit 27) once `seconds` have passed. Keepalive notices a dead link only
 * when it is on and after up to twice its period, so every wait on the broker has this bound too.
 */
export function within<T>(work: Promise<T>, seconds: number, missing: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new CliError(`timed out after ${seconds} s: ${missing()}`, EXIT.timeout)),
      seconds * 1000,
    );
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}
