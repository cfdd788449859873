// The NodeMCU C modules, re-created inside each emulated board: each module's folder under
// ../nodemcu/ holds its Lua half (<module>.lua, loaded into the board's Lua state) and its host
// half (<module>.ts, a HostHalf: ./host-half.ts). A Lua half reaches its host half through the
// synchronous `__sys` channel as sys("<module>.<call>", ...); events (timer expiry, serial input)
// come back through `__E.*` entry points the board calls. This folder holds the rest of the Lua:
// the prelude, the REPL and the globals.
// The user's globals end up as on the device: no io, os or debug, and math without trig or log.
import { readFileSync } from "node:fs";
import { sysparamHost } from "../machine/sysparam.ts";
import { adcHost } from "../nodemcu/adc/adc.ts";
import { cryptoHost } from "../nodemcu/crypto/crypto.ts";
import { dhtHost } from "../nodemcu/dht/dht.ts";
import { encoderHost } from "../nodemcu/encoder/encoder.ts";
import { fileHost } from "../nodemcu/file/file.ts";
import { gpioHost } from "../nodemcu/gpio/gpio.ts";
import { i2cHost } from "../nodemcu/i2c/i2c.ts";
import { mqttHost } from "../nodemcu/mqtt/mqtt.ts";
import { netHost } from "../nodemcu/net/net.ts";
import { nodeHost } from "../nodemcu/node/node.ts";
import { owHost } from "../nodemcu/ow/ow.ts";
import { pwmHost } from "../nodemcu/pwm/pwm.ts";
import { pwm2Host } from "../nodemcu/pwm2/pwm2.ts";
import { rtcmemHost } from "../nodemcu/rtcmem/rtcmem.ts";
import { sjsonHost } from "../nodemcu/sjson/sjson.ts";
import { tmrHost } from "../nodemcu/tmr/tmr.ts";
import { uartHost } from "../nodemcu/uart/uart.ts";
import { wifiHost } from "../nodemcu/wifi/wifi.ts";
import type { HostFactory } from "./host-half.ts";

/** One part of the runtime: its Lua file (by path under tools/emulator) and its host half, each if it has one. */
export interface RuntimePart {
  name: string;
  lua?: string;
  host?: HostFactory;
}

const nodemcu = (name: string, host?: HostFactory): RuntimePart => ({ name, lua: `nodemcu/${name}/${name}.lua`, host });
const own = (name: string): RuntimePart => ({ name, lua: `runtime/${name}.lua` });

/**
 * The runtime in the order a board loads its Lua: the prelude first (its host half is the board's
 * own), globals.lua last. The board builds, boots and shuts down the host halves in this order.
 */
export const PARTS: readonly RuntimePart[] = [
  own("runtime"),
  nodemcu("node", nodeHost),
  nodemcu("tmr", tmrHost),
  nodemcu("rtcmem", rtcmemHost),
  nodemcu("file", fileHost),
  nodemcu("uart", uartHost),
  nodemcu("wifi", wifiHost),
  nodemcu("mqtt", mqttHost),
  nodemcu("bit"),
  nodemcu("gpio", gpioHost),
  nodemcu("encoder", encoderHost),
  nodemcu("crypto", cryptoHost),
  nodemcu("sjson", sjsonHost),
  nodemcu("net", netHost),
  nodemcu("adc", adcHost),
  nodemcu("pwm", pwmHost),
  nodemcu("pwm2", pwm2Host),
  nodemcu("dht", dhtHost),
  nodemcu("ow", owHost),
  nodemcu("i2c", i2cHost),
  // The flash the SDK keeps outside SPIFFS, which node and wifi read and write.
  { name: "sysparam", host: sysparamHost },
  own("repl"),
  own("globals"),
];

// dist/mcu.js carries the files as text (tools/cli/bundle.mjs defines MCU_LUA as
// { "nodemcu/tmr/tmr.lua": source, … }, by path under tools/emulator); run from source, they are
// read from there.
declare const MCU_LUA: Record<string, string> | undefined;
const embedded: Record<string, string> | undefined = typeof MCU_LUA === "undefined" ? undefined : MCU_LUA;

function luaFile(path: string): string {
  const source = embedded ? embedded[path] : readFileSync(new URL(`../${path}`, import.meta.url), "utf8");
  if (source === undefined) throw new Error(`emulator: ${path} is not in this build`);
  return source;
}

export interface LuaChunk {
  /** Chunk name as Lua shows it in messages and tracebacks. */
  name: string;
  source: string;
}

/** The Lua runtime each board runs, in order, before the firmware. */
export const RUNTIME: readonly LuaChunk[] = PARTS.flatMap((p) =>
  p.lua ? [{ name: `=emulator/${p.name}.lua`, source: luaFile(p.lua) }] : [],
);
