// The firmware a test board runs and the settings it was built with: an app folder (mcu new)
// built now for the test's broker, a build folder as mcu build wrote it, or the toolkit's echo.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_MAX_MESSAGE_LENGTH, DEFAULT_PREFIX } from "../../firmware/src/contract.ts";
import { loadConfig } from "../../host/config.ts";
import { appPaths } from "../compiler/app.ts";
import { buildFirmware } from "../compiler/build.ts";
import { type Firmware, readBuild } from "../compiler/manifest.ts";
import { LuaVm, luaLiteral } from "../lua/vm.ts";

/** What a test needs to know of the build: who the board is and where it connects. */
export interface TestFirmware {
  build: Firmware;
  /** Undefined: the board names itself from its chip id, as config.lua without an id makes it. */
  id: string | undefined;
  prefix: string;
  /** The longest message the board takes (device.json mqtt.maxMessageLength). */
  maxMessageLength: number;
  /** The access point the board joins, and the broker it connects to. */
  wifi: { ssid: string; password: string };
  broker: { host: string; port: number };
  /** Removes what was made for the test (the build folder). */
  remove(): void;
}

/** The id a board gets when device.json names none: fixed, so a test knows its topics. */
const TEST_ID = "testboard";
/** The emulated board's access point by default (tools/emulator/board.ts). */
const EMULATED_WIFI = { ssid: "emulated", password: "nodemcu-emulator" };

/** Whether `dir` holds a build (its manifest.json) rather than an app's sources. */
export function isBuildFolder(dir: string): boolean {
  return existsSync(join(dir, "manifest.json")) && !existsSync(join(dir, "src"));
}

/**
 * Builds the app in `appDir` (undefined: the toolkit's echo) for a board on the emulated Wi-Fi
 * and the broker at `broker`: its device.json's id, prefix, message limit, keepalive and updates,
 * without its passwords, other brokers or TLS (the test broker has none of them).
 */
export async function buildForTest(
  appDir: string | undefined,
  broker: { host: string; port: number },
): Promise<TestFirmware> {
  const own = appDir && existsSync(appPaths(appDir).config) ? loadConfig(appPaths(appDir).config) : undefined;
  const work = mkdtempSync(join(tmpdir(), "mcu-test-build-"));
  try {
    const configFile = join(work, "device.json");
    const id = own?.id ?? TEST_ID;
    const prefix = own?.prefix ?? DEFAULT_PREFIX;
    const maxMessageLength = own?.mqtt.maxMessageLength ?? DEFAULT_MAX_MESSAGE_LENGTH;
    const mqtt = { host: broker.host, port: broker.port, keepalive: own?.mqtt.keepalive, maxMessageLength };
    writeFileSync(configFile, JSON.stringify({ id, prefix, wifi: EMULATED_WIFI, mqtt, ota: own?.ota }), {
      mode: 0o600,
    });
    const build = await buildFirmware({ appDir, configFile, outDir: join(work, "lua"), log: () => {} });
    return {
      build,
      id,
      prefix,
      maxMessageLength,
      wifi: EMULATED_WIFI,
      broker,
      remove: () => rmSync(work, { recursive: true, force: true }),
    };
  } catch (err) {
    rmSync(work, { recursive: true, force: true });
    throw err;
  }
}

/** A build folder as it is, with the settings its config.lua holds. */
export function existingFirmware(dir: string): TestFirmware {
  const build = readBuild(dir);
  const state = LuaVm.shared().newState({ onPrint: () => {} });
  try {
    const code = readFileSync(join(build.outDir, "config.lua"), "latin1");
    const r = state.exec(
      `local c = loadstring(${luaLiteral(code)})() return c.id, c.prefix, c.ssid, c.pwd, c.host, c.port, c.maxlen`,
      "=config",
      7,
    );
    if (!r.ok) throw new Error(`${dir}: its config.lua does not load (${r.error}); build it again with mcu build`);
    const [id, prefix, ssid, password, host, port, maxlen] = r.values.map((v) => v.toString("latin1"));
    return {
      build,
      id: id || undefined,
      prefix: prefix!,
      maxMessageLength: Number(maxlen) || DEFAULT_MAX_MESSAGE_LENGTH,
      wifi: { ssid: ssid!, password: password! },
      broker: { host: host!, port: Number(port) },
      remove: () => {},
    };
  } finally {
    state.close();
  }
}
