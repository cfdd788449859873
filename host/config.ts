// The board's settings (device.json): read by the firmware build and by the host verbs,
// so both sides agree on id, prefix and broker without retyping.
import { readFileSync } from "node:fs";
import { type ParseError, parse as parseLoose, printParseErrorCode } from "jsonc-parser";
import { DEFAULT_MAX_MESSAGE_LENGTH, DEFAULT_PREFIX } from "../firmware/src/contract.ts";
import { lengthRule, maxLengthOf, minLengthOf, schemaProblem } from "./config-schema.ts";
import { EXIT } from "./kit/index.ts";

export interface DeviceConfig {
  /** Device id; when absent the board derives one from its chip id. */
  id?: string;
  prefix: string;
  wifi: { ssid: string; password: string };
  mqtt: {
    /** The first broker (the one the PC's verbs use). */
    host: string;
    port: number;
    /** Every broker the board may use, in order: mqtt.hosts, or mqtt.host alone. */
    brokers: { host: string; port: number }[];
    /** Seconds on a later broker before the board tries the first again. */
    failback: number;
    username?: string;
    password?: string;
    tls: boolean;
    keepalive: number;
    maxMessageLength: number;
  };
  /** Updates over MQTT built in (device.json "ota"); `secret` makes the board demand an HMAC with it. */
  ota?: { secret?: string };
}

/** A config file that cannot be used (exit 2); the message names the field and what it should be. */
export class ConfigError extends Error {
  override name = "ConfigError";
  readonly exitCode: number = EXIT.usage;
}

export const DEFAULT_CONFIG_FILE = "device.json";

type Env = Record<string, string | undefined>;

/** device.json as the schema admits it. */
interface DeviceJson {
  id?: string;
  prefix?: string;
  wifi: { ssid: string; password?: string };
  mqtt: {
    host?: string;
    hosts?: string[];
    port?: number;
    failback?: number;
    username?: string;
    password?: string;
    tls?: boolean;
    keepalive?: number;
    maxMessageLength?: number;
  };
  ota?: { secret?: string };
}

/** Fields whose values never appear in a message: a password must not reach a terminal or a log. */
const SECRET_FIELDS = new Set(["wifi.password", "mqtt.password", "ota.secret", "WIFI_PASSWORD", "MQTT_PASSWORD"]);

/**
 * Whether `field` is a secret or may hold one: "ota" given as a string is likely the secret
 * itself, put one level too high, as "wifi" or the whole file given as a string may be a password.
 */
function holdsSecret(field: string): boolean {
  if (field === "(top level)" || SECRET_FIELDS.has(field)) return true;
  for (const f of SECRET_FIELDS) if (f.startsWith(`${field}.`)) return true;
  return false;
}

/**
 * What was found. A secret's value is never shown, nor is an array's or object's (one may hold
 * a whole section, passwords included): only its kind.
 */
function described(field: string, got: unknown): string {
  if (got === undefined) return "it is missing";
  const composite = typeof got === "object" && got !== null;
  if (!holdsSecret(field) && !composite) return `got ${JSON.stringify(got)}`;
  if (typeof got === "string") return `got a string of ${Buffer.byteLength(got)} bytes; the value is not shown`;
  return `got ${Array.isArray(got) ? "an array" : got === null ? "null" : composite ? "an object" : `a ${typeof got}`}${composite ? "" : "; the value is not shown"}`;
}

function fail(file: string, field: string, expected: string, got?: unknown): never {
  throw new ConfigError(`${file}: "${field}" must be ${expected} (${described(field, got)})`);
}

/** The schema counts characters; the board counts bytes of UTF-8. `limit` is the schema field whose length rule applies. */
function fits(file: string, field: string, v: string | undefined, limit = field): string | undefined {
  const bytes = v === undefined ? undefined : Buffer.byteLength(v);
  if (bytes !== undefined && (bytes > maxLengthOf(limit) || bytes < (minLengthOf(limit) ?? 0)))
    fail(file, field, lengthRule(limit), v);
  return v;
}

/** A password from the environment (which wins) or the file, checked either way. */
function secret(file: string, field: string, v: string | undefined, env: Env, variable: string): string | undefined {
  const fromEnv = env[variable];
  return fromEnv !== undefined ? fits("the environment", variable, fromEnv, field) : fits(file, field, v);
}

/** Checks parsed JSON against device.schema.json, or throws with the first problem. */
function checked(raw: unknown, file: string): DeviceJson {
  const problem = schemaProblem(raw);
  if (!problem) return raw as DeviceJson;
  if (problem.message) throw new ConfigError(`${file}: ${problem.message}`);
  return fail(file, problem.field, problem.expected!, problem.got);
}

/**
 * Validates parsed JSON into a DeviceConfig. Secrets may come from the environment instead
 * (WIFI_PASSWORD, MQTT_PASSWORD); the environment wins so a committed file can hold none.
 */
/** mqtt.host, or each "host[:port]" of mqtt.hosts, with the default port. */
function brokersOf(file: string, mqtt: DeviceJson["mqtt"], port: number): { host: string; port: number }[] {
  if (mqtt.host !== undefined && mqtt.hosts !== undefined)
    throw new ConfigError(`${file}: give "mqtt.host" (one broker) or "mqtt.hosts" (a list), not both`);
  if (mqtt.hosts === undefined) {
    if (mqtt.host === undefined) fail(file, "mqtt.host", 'a non-empty string, or give "mqtt.hosts", a list of brokers');
    return [{ host: fits(file, "mqtt.host", mqtt.host)!, port }];
  }
  return mqtt.hosts.map((entry, i) => {
    const [host, p] = entry.split(":") as [string, string | undefined];
    const n = p === undefined ? port : Number(p);
    if (n < 1 || n > 65535) fail(file, `mqtt.hosts.${i}`, "a port from 1 to 65535 after the colon", entry);
    return { host: fits(file, `mqtt.hosts.${i}`, host, "mqtt.host")!, port: n };
  });
}

export function parseConfig(raw: unknown, file: string, env: Env = process.env): DeviceConfig {
  const { id, prefix, wifi, mqtt, ota } = checked(raw, file);
  const tls = mqtt.tls ?? false;
  const brokers = brokersOf(file, mqtt, mqtt.port ?? (tls ? 8883 : 1883));
  return {
    id,
    prefix: prefix ?? DEFAULT_PREFIX,
    wifi: {
      ssid: fits(file, "wifi.ssid", wifi.ssid)!,
      password: secret(file, "wifi.password", wifi.password, env, "WIFI_PASSWORD") ?? "",
    },
    mqtt: {
      host: brokers[0]!.host,
      port: brokers[0]!.port,
      brokers,
      failback: mqtt.failback ?? 300,
      username: fits(file, "mqtt.username", mqtt.username),
      password: secret(file, "mqtt.password", mqtt.password, env, "MQTT_PASSWORD"),
      tls,
      keepalive: mqtt.keepalive ?? 60,
      maxMessageLength: mqtt.maxMessageLength ?? DEFAULT_MAX_MESSAGE_LENGTH,
    },
    ...(ota && { ota: { secret: fits(file, "ota.secret", ota.secret) } }),
  };
}

/** Reads and validates a config file; errors say which file and what to do. */
export function loadConfig(file: string, env: Env = process.env): DeviceConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      throw new ConfigError(
        `${file} not found: copy device.example.json to ${file} and fill it in, or pass --config FILE`,
      );
    }
    throw new ConfigError(`${file}: cannot read it (${code ?? String(err)})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ConfigError(
      `${file} is not valid JSON: ${whereInvalid(text)}; fix it there (the text is not quoted, as it may hold a password)`,
    );
  }
  return parseConfig(raw, file, env);
}

/**
 * Where and why JSON text is invalid, without quoting it: JSON.parse's own message can carry an
 * excerpt of the file, which may be a password.
 */
function whereInvalid(text: string): string {
  const errors: ParseError[] = [];
  parseLoose(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (!first) return "it is not strict JSON (comments, single quotes or a trailing comma?)";
  const before = text.slice(0, first.offset).split("\n");
  const what = printParseErrorCode(first.error)
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase();
  return `${what} at line ${before.length}, column ${before[before.length - 1]!.length + 1}`;
}
