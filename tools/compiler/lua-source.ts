// Turns TSTL output into what goes on the board's flash: comments and indentation cost SPIFFS
// bytes and, more importantly, parse time and RAM on a 40 KB heap, so they are removed.
import luamin from "luamin";
import luaparse from "luaparse";
import type { DeviceConfig } from "../../host/config.ts";
import { luaLiteral } from "../lua/vm.ts";
import { definesOnly, dropEmptyExports, dropUnreadAliases, dropUnreadRequires, inlinables, inlineCalls, joinLiterals, requiredNames } from "./inline.ts";

/**
 * Drops comment lines, indentation and blank lines. Safe for TSTL output only: TSTL prints every
 * string literal on one line (newlines escaped) and never puts code after a comment.
 */
export function shrinkLua(source: string): string {
  const out: string[] = [];
  for (const line of source.split("\n")) {
    const code = line.trim();
    if (code === "" || (code.startsWith("--") && !code.startsWith("--[["))) continue;
    out.push(code);
  }
  return out.join("\n") + "\n";
}

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

/**
 * Minified Lua for the board (luamin: locals renamed, whitespace and comments gone). Every byte
 * is flash, and RAM while the chunk loads; the build re-checks the result with Lua 5.1. The
 * modules (name → TSTL output) go together, so that calls to one-expression functions of a
 * required module are inlined first (inline.ts). A module that only defines things (contract.lua)
 * and that inlining has left required by no other is not shipped at all.
 */
export function minifyModules(modules: Map<string, string>): Map<string, string> {
  const chunks = new Map([...modules].map(([name, code]) => [name, luaparse.parse(code, { scope: true, comments: false })]));
  const moduleName = (file: string) => file.replace(/\.lua$/, "");
  const exported = new Map([...chunks].map(([name, chunk]) => [moduleName(name), inlinables(chunk)]));
  const inert = new Set([...chunks].filter(([, chunk]) => definesOnly(chunk)).map(([name]) => moduleName(name)));
  const requiredBefore = new Set([...chunks.values()].flatMap((chunk) => [...requiredNames(chunk)]));
  for (const chunk of chunks.values()) {
    inlineCalls(chunk, exported);
    dropUnreadAliases(chunk);
    dropUnreadRequires(chunk, inert);
  }
  const requiredAfter = new Set([...chunks.values()].flatMap((chunk) => [...requiredNames(chunk)]));
  const out = new Map<string, string>();
  for (const [name, chunk] of chunks) {
    const m = moduleName(name);
    if (inert.has(m) && requiredBefore.has(m) && !requiredAfter.has(m)) continue;
    joinLiterals(chunk);
    dropEmptyExports(chunk);
    out.set(name, luamin.minify(chunk) + "\n");
  }
  return out;
}
