// Builds the real firmware once per test process into a temp folder, for tests that run it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildFirmware, type BuildResult } from "../../tools/build/build.ts";
import { LuaVm, luaLiteral, type LuaState } from "../../tools/lua/vm.ts";

let cached: Promise<BuildResult> | undefined;

/** Writes a device config into a fresh temp folder and returns its path. */
export function writeConfig(config: object): string {
  const dir = mkdtempSync(join(tmpdir(), "mcu-cfg-"));
  const file = join(dir, "device.json");
  writeFileSync(file, JSON.stringify(config));
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  return file;
}

/** The firmware built for a board called "testboard" on a local broker, once per process. */
export function buildOnce(): Promise<BuildResult> {
  cached ??= (async () => {
    const configFile = writeConfig({ id: "testboard", wifi: { ssid: "testnet", password: "wifi-secret-1" }, mqtt: { host: "127.0.0.1", port: 1883 } });
    const outDir = mkdtempSync(join(tmpdir(), "mcu-build-"));
    process.on("exit", () => rmSync(outDir, { recursive: true, force: true }));
    return buildFirmware({ configFile, outDir, log: () => {} });
  })();
  return cached;
}

/**
 * A plain Lua 5.1 state where `require(name)` loads the built files from `dir`
 * (through package.preload, so nothing but the build is consulted).
 */
export function stateWithModules(dir: string, names: string[]): LuaState {
  const state = LuaVm.shared().newState({ onPrint: () => {} });
  for (const name of names) {
    const code = readFileSync(join(dir, `${name}.lua`));
    const r = state.exec(`package.preload[${luaLiteral(name)}] = assert(loadstring(${luaLiteral(code)}, ${luaLiteral("@" + name + ".lua")}))`, "=preload");
    if (!r.ok) throw new Error(`cannot preload ${name}: ${r.error}`);
  }
  return state;
}
