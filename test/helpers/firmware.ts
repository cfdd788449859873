// Builds the real firmware once per test process into a temp folder, for tests that run it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BuildResult, buildFirmware } from "../../tools/compiler/build.ts";
import { type LuaState, LuaVm, luaLiteral } from "../../tools/lua/vm.ts";
import { RECOMMENDED_BUILD } from "../../tools/nodemcu/builds.ts";
import { type TestBoard, testBoard } from "./test-board.ts";

const cached = new Map<string, Promise<BuildResult>>();

/** Writes a device config into a fresh temp folder and returns its path. */
export function writeConfig(config: object): string {
  const dir = mkdtempSync(join(tmpdir(), "mcu-cfg-"));
  const file = join(dir, "device.json");
  writeFileSync(file, JSON.stringify(config));
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  return file;
}

/**
 * The firmware built for a board called "testboard" on a local broker, once per process (and per
 * `extra`: more device.json fields, e.g. {ota: {}} for updates over MQTT).
 */
export function buildOnce(extra: object = {}): Promise<BuildResult> {
  const key = JSON.stringify(extra);
  let build = cached.get(key);
  if (!build) {
    build = (async () => {
      const configFile = writeConfig({
        id: "testboard",
        wifi: { ssid: "testnet", password: "wifi-secret-1" },
        mqtt: { host: "127.0.0.1", port: 1883 },
        ...extra,
      });
      const outDir = mkdtempSync(join(tmpdir(), "mcu-build-"));
      process.on("exit", () => rmSync(outDir, { recursive: true, force: true }));
      return buildFirmware({ configFile, outDir, log: () => {} });
    })();
    cached.set(key, build);
  }
  return build;
}

/**
 * A plain Lua 5.1 state where `require(name)` loads the built files from `dir`
 * (through package.preload, so nothing but the build is consulted).
 */
export function stateWithModules(dir: string, names: string[]): LuaState {
  const state = LuaVm.shared().newState({ onPrint: () => {} });
  for (const name of names) {
    const code = readFileSync(join(dir, `${name}.lua`));
    const r = state.exec(
      `package.preload[${luaLiteral(name)}] = assert(loadstring(${luaLiteral(code)}, ${luaLiteral("@" + name + ".lua")}))`,
      "=preload",
    );
    if (!r.ok) throw new Error(`cannot preload ${name}: ${r.error}`);
  }
  return state;
}

/** A test board whose out() is its text(): everything it printed so far. */
export type FlashedBoard = TestBoard & { out: () => string };

/**
 * The real firmware built for board `id` on the broker at host:port (`mqtt` adds or overrides
 * config fields such as keepalive, `extra` adds top-level ones such as ota), flashed onto an
 * emulated board that is booting, with the recommended build's modules unless `modules` says.
 * It stops after the test file's tests.
 */
export async function flashedBoard(
  id: string,
  broker: { host: string; port: number },
  opts: { mqtt?: object; extra?: object; psk?: string; modules?: readonly string[] } = {},
): Promise<FlashedBoard> {
  const flashDir = mkdtempSync(join(tmpdir(), "mcu-flash-"));
  process.on("exit", () => rmSync(flashDir, { recursive: true, force: true }));
  const configFile = writeConfig({
    id,
    wifi: { ssid: "emulated", password: "nodemcu-emulator" },
    mqtt: { host: broker.host, port: broker.port, ...opts.mqtt },
    ...opts.extra,
  });
  await buildFirmware({ configFile, outDir: flashDir, log: () => {} });
  // The build README.md recommends: the one these tests prove the firmware on.
  const board = testBoard({
    flashDir,
    board: { psk: opts.psk },
    modules: opts.modules ?? RECOMMENDED_BUILD,
    forFile: true,
  });
  return Object.assign(board, { out: board.text });
}
