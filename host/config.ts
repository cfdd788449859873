// The board's settings (device.json): read by the firmware build and by the host verbs,
// so both sides agree on id, prefix and broker without retyping.
import { readFileSync } from "node:fs";
import { parse as parseLoose, printParseErrorCode, type ParseError } from "jsonc-parser";
import { DEFAULT_MAX_MESSAGE_LENGTH, DEFAULT_PREFIX, MAX_MESSAGE_LENGTH_LIMIT } from "../firmware/src/contract.ts";
import { idError, prefixError } from "../firmware/src/names.ts";

export interface DeviceConfig {
  /** Device id; when absent the board derives one from its chip id. */
  id?: string;
  prefix: string;
  wifi: { ssid: string; password: string };
  mqtt: {
    host: string;
    port: number;
    username?: string;
    password?: string;
    tls: boolean;
    keepalive: number;
    maxMessageLength: number;
  };
}

/** A config file that cannot be used; the message names the field and what it should be. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

export const DEFAULT_CONFIG_FILE = "device.json";

type Json = Record<string, unknown>;
type Env = Record<string, string | undefined>;

const TOP_KEYS = ["id", "prefix", "wifi", "mqtt"];
const WIFI_KEYS = ["ssid", "password"];
const MQTT_KEYS = ["host", "port", "username", "password", "tls", "keepalive", "maxMessageLength"];

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Fields whose values never appear in a message: a password must not reach a terminal or a log. */
const SECRET_FIELDS = new Set(["wifi.password", "mqtt.password", "WIFI_PASSWORD", "MQTT_PASSWORD"]);

/**
 * What was found. A secret's value is never shown, nor is an array's or object's (one may hold
 * a whole section, passwords included): only its kind.
 */
function described(field: string, got: unknown): string {
  if (got === undefined) return "it is missing";
  const composite = typeof got === "object" && got !== null;
  if (!SECRET_FIELDS.has(field) && !composite) return `got ${JSON.stringify(got)}`;
  if (typeof got === "string") return `got a string of ${Buffer.byteLength(got)} bytes; the value is not shown`;
  return `got ${Array.isArray(got) ? "an array" : got === null ? "null" : composite ? "an object" : `a ${typeof got}`}${composite ? "" : "; the value is not shown"}`;
}

function fail(file: string, field: string, expected: string, got?: unknown): never {
  throw new ConfigError(`${file}: "${field}" must be ${expected} (${described(field, got)})`);
}

function checkKeys(file: string, where: string, obj: Json, allowed: string[]): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) {
      const path = where ? `${where}.${key}` : key;
      throw new ConfigError(`${file}: unknown key "${path}"; allowed here: ${allowed.join(", ")}`);
    }
  }
}

function str(file: string, field: string, v: unknown, opts: { required: boolean; max: number }): string | undefined {
  if (v === undefined && !opts.required) return undefined;
  if (typeof v !== "string" || (opts.required && v.length === 0)) {
    fail(file, field, opts.required ? "a non-empty string" : "a string", v);
  }
  if (Buffer.byteLength(v) > opts.max) fail(file, field, `at most ${opts.max} bytes long`, v);
  return v;
}

function int(file: string, field: string, v: unknown, dflt: number, min: number, max: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    fail(file, field, `a whole number from ${min} to ${max}`, v);
  }
  return v;
}

/** A password from the environment (which wins) or the file, checked either way. */
function secret(file: string, field: string, v: unknown, env: Env, variable: string, max: number): string | undefined {
  const fromEnv = env[variable];
  if (fromEnv !== undefined) return str("the environment", variable, fromEnv, { required: false, max });
  return str(file, field, v, { required: false, max });
}

function section(file: string, root: Json, key: string, required: boolean): Json {
  const v = root[key];
  if (v === undefined && !required) return {};
  if (!isObject(v)) fail(file, key, "an object", v);
  return v;
}

/**
 * Validates parsed JSON into a DeviceConfig. Secrets may come from the environment instead
 * (WIFI_PASSWORD, MQTT_PASSWORD); the environment wins so a committed file can hold none.
 */
export function parseConfig(raw: unknown, file: string, env: Env = process.env): DeviceConfig {
  if (!isObject(raw)) fail(file, "(top level)", "a JSON object", raw);
  checkKeys(file, "", raw, TOP_KEYS);
  const wifi = section(file, raw, "wifi", true);
  const mqtt = section(file, raw, "mqtt", true);
  checkKeys(file, "wifi", wifi, WIFI_KEYS);
  checkKeys(file, "mqtt", mqtt, MQTT_KEYS);

  const id = raw.id === undefined ? undefined : (raw.id as unknown);
  if (id !== undefined) {
    const why = idError(id);
    if (why) throw new ConfigError(`${file}: "id": ${why}`);
  }
  const prefix = raw.prefix === undefined ? DEFAULT_PREFIX : raw.prefix;
  const prefixWhy = prefixError(prefix);
  if (prefixWhy) throw new ConfigError(`${file}: "prefix": ${prefixWhy}`);

  const tls = mqtt.tls ?? false;
  if (typeof tls !== "boolean") fail(file, "mqtt.tls", "true or false", tls);
  const wifiPassword = secret(file, "wifi.password", wifi.password, env, "WIFI_PASSWORD", 64) ?? "";
  const mqttPassword = secret(file, "mqtt.password", mqtt.password, env, "MQTT_PASSWORD", 256);

  return {
    id: id as string | undefined,
    prefix: prefix as string,
    wifi: {
      ssid: str(file, "wifi.ssid", wifi.ssid, { required: true, max: 32 })!,
      password: wifiPassword,
    },
    mqtt: {
      host: str(file, "mqtt.host", mqtt.host, { required: true, max: 253 })!,
      port: int(file, "mqtt.port", mqtt.port, tls ? 8883 : 1883, 1, 65535),
      username: str(file, "mqtt.username", mqtt.username, { required: false, max: 256 }),
      password: mqttPassword,
      tls,
      keepalive: int(file, "mqtt.keepalive", mqtt.keepalive, 60, 0, 65535),
      maxMessageLength: int(file, "mqtt.maxMessageLength", mqtt.maxMessageLength, DEFAULT_MAX_MESSAGE_LENGTH, 1, MAX_MESSAGE_LENGTH_LIMIT),
    },
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
      throw new ConfigError(`${file} not found: copy device.example.json to ${file} and fill it in, or pass --config FILE`);
    }
    throw new ConfigError(`${file}: cannot read it (${code ?? String(err)})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ConfigError(`${file} is not valid JSON: ${whereInvalid(text)}; fix it there (the text is not quoted, as it may hold a password)`);
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
  const what = printParseErrorCode(first.error).replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  return `${what} at line ${before.length}, column ${before[before.length - 1]!.length + 1}`;
}
