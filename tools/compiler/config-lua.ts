// config.lua: the board's settings from device.json, the one build file that holds the passwords.
// Written as one `return{…}` line of literals, not compiled: it changes with every device and
// version, and the firmware reads it once with require("config").
import type { DeviceConfig } from "../../host/config.ts";
import { luaLiteral } from "../lua/vm.ts";

function field(name: string, value: string | number | boolean | undefined): string {
  if (value === undefined) return "";
  const v = typeof value === "string" ? luaLiteral(value) : String(value);
  return `${name}=${v},`;
}

/**
 * The brokers after the first as one flat list (host, port, host, port…) and the failback time;
 * nothing for a single broker, so its board's heap holds no list.
 */
function brokers(list: { host: string; port: number }[], failback: number): string {
  if (list.length < 2) return "";
  return `hosts={${list.map((b) => `${luaLiteral(b.host)},${b.port}`).join(",")}},${field("failback", failback)}`;
}

/** config.lua: the settings the firmware reads with require("config"). */
export function configLua(cfg: DeviceConfig, version: string): string {
  const m = cfg.mqtt;
  return (
    "return{" +
    field("id", cfg.id) +
    field("prefix", cfg.prefix) +
    field("ssid", cfg.wifi.ssid) +
    field("pwd", cfg.wifi.password) +
    field("host", m.host) +
    field("port", m.port) +
    brokers(m.brokers, m.failback) +
    field("tls", m.tls) +
    field("user", m.username) +
    field("password", m.password) +
    field("keepalive", m.keepalive) +
    field("maxlen", m.maxMessageLength) +
    field("otakey", cfg.ota?.secret) +
    field("version", version) +
    "}\n"
  );
}
