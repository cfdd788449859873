// The firmware build: TypeScript -> Lua 5.1 (TSTL), shrunk, syntax-checked and measured on the
// reference Lua 5.1, plus config.lua from device.json and a manifest the uploader compares
// against what the board holds.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_CONFIG_FILE, loadConfig, type DeviceConfig } from "../../host/config.ts";
import { LuaVm, luaLiteral } from "../lua/vm.ts";
import { concatPlugin } from "./concat-plugin.ts";
import { configLua, minifyModules, shrinkLua } from "./lua-source.ts";

// The project folder: found by walking up, since this code runs from tools/build and from dist/.
function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "firmware/tsconfig.json"))) {
    const up = dirname(dir);
    if (up === dir) throw new BuildError("cannot find the project folder (firmware/tsconfig.json) above " + fileURLToPath(import.meta.url));
    dir = up;
  }
  return dir;
}

/** SPIFFS on NodeMCU keeps names to 31 bytes. */
const MAX_NAME = 31;
/**
 * Default RAM one module may take once compiled. NodeMCU compiles source on the board, and the
 * parser needs several times the result while it works, so a module near this size already
 * competes with the app for a ~44 KB heap.
 */
export const DEFAULT_RAM_BUDGET = 12 * 1024;

export interface BuildOptions {
  /** device.json to read; when absent: ./device.json, else device.example.json with a warning. */
  configFile?: string;
  outDir?: string;
  ramBudget?: number;
  /** false keeps line breaks and names (readable errors on the board); default true. */
  minify?: boolean;
  log?: (line: string) => void;
}

export interface BuiltFile {
  name: string;
  bytes: number;
  sha256: string;
  /** Bytes of Lua heap the loaded chunk holds, measured on Lua 5.1. */
  ram: number;
}

export interface BuildResult {
  outDir: string;
  configFile: string;
  version: string;
  files: BuiltFile[];
  totalBytes: number;
}

/** The build cannot go on; the message says what to fix. */
export class BuildError extends Error {
  override name = "BuildError";
}

const ROOT = projectRoot();
const FIRMWARE_TSCONFIG = join(ROOT, "firmware/tsconfig.json");
const EXAMPLE_CONFIG = join(ROOT, "device.example.json");

function pickConfig(opts: BuildOptions, log: (l: string) => void): { file: string; config: DeviceConfig } {
  if (opts.configFile) return { file: opts.configFile, config: loadConfig(opts.configFile) };
  if (existsSync(DEFAULT_CONFIG_FILE)) return { file: DEFAULT_CONFIG_FILE, config: loadConfig(DEFAULT_CONFIG_FILE) };
  log(`build: ${DEFAULT_CONFIG_FILE} not found; using device.example.json (copy it to ${DEFAULT_CONFIG_FILE} for your board)`);
  return { file: EXAMPLE_CONFIG, config: loadConfig(EXAMPLE_CONFIG) };
}

async function transpile(): Promise<Map<string, string>> {
  const [tstl, ts] = await Promise.all([import("typescript-to-lua"), import("typescript")]);
  const out = new Map<string, string>();
  const parsed = tstl.parseConfigFileWithSystem(FIRMWARE_TSCONFIG);
  const program = ts.default.createProgram(parsed.fileNames, parsed.options);
  const result = new tstl.Transpiler().emit({
    program,
    plugins: [concatPlugin(tstl, ts.default)],
    writeFile: (fileName, data) => out.set(basename(fileName), data),
  });
  const diagnostics = [...parsed.errors, ...ts.default.getPreEmitDiagnostics(program), ...result.diagnostics];
  const errors = diagnostics.filter((d) => d.category === ts.default.DiagnosticCategory.Error);
  if (errors.length > 0) {
    const host = {
      getCanonicalFileName: (f: string) => f,
      getCurrentDirectory: () => process.cwd(),
      getNewLine: () => "\n",
    };
    throw new BuildError(`firmware does not compile:\n${ts.default.formatDiagnosticsWithColorAndContext(errors, host)}`);
  }
  return out;
}

function version(sources: Map<string, string>): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
  const h = createHash("sha256");
  for (const name of [...sources.keys()].sort()) h.update(name).update(sources.get(name)!);
  return `${pkg.version}+${h.digest("hex").slice(0, 7)}`;
}

// Loads each file with the real Lua 5.1 parser (a syntax check) and measures what the loaded
// chunk keeps on the heap.
function measure(files: Map<string, string>): Map<string, number> {
  const state = LuaVm.shared().newState({ onPrint: () => {} });
  try {
    const ram = new Map<string, number>();
    for (const [name, code] of files) {
      const chunk =
        `collectgarbage("collect") local before = collectgarbage("count") ` +
        `local f, err = loadstring(${luaLiteral(code)}, ${luaLiteral("@" + name)}) ` +
        `if not f then error(err, 0) end collectgarbage("collect") ` +
        `local used = (collectgarbage("count") - before) * 1024 f = nil return used`;
      const r = state.exec(chunk, "=build", 1);
      if (!r.ok) throw new BuildError(`${name}: Lua 5.1 rejects the generated code: ${r.error}`);
      ram.set(name, Math.round(Number(r.values[0]!.toString())));
    }
    return ram;
  } finally {
    state.close();
  }
}

function table(files: BuiltFile[], total: number, budget: number): string {
  const rows = files.map((f) => `  ${f.name.padEnd(20)} ${String(f.bytes).padStart(7)} ${String(f.ram).padStart(9)}`);
  return [
    `  ${"file".padEnd(20)} ${"bytes".padStart(7)} ${"ram".padStart(9)}`,
    ...rows,
    `  ${"total".padEnd(20)} ${String(total).padStart(7)}   (ram budget per module ${budget})`,
  ].join("\n");
}

/**
 * The modules the board runs: init.lua and what it requires, transitively. Sources only the
 * host uses (names.ts) are compiled too, but never shipped.
 */
function reachable(emitted: Map<string, string>): string[] {
  const seen = new Set<string>();
  const visit = (name: string) => {
    const code = emitted.get(name);
    if (code === undefined || seen.has(name)) return;
    seen.add(name);
    for (const m of code.matchAll(/require\("([^"]+)"\)/g)) visit(`${m[1]}.lua`);
  };
  visit("init.lua");
  return [...emitted.keys()].filter((n) => seen.has(n));
}

/** Builds the firmware into outDir (default build/lua) and returns what it wrote. */
export async function buildFirmware(opts: BuildOptions = {}): Promise<BuildResult> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const outDir = resolve(opts.outDir ?? join(ROOT, "build/lua"));
  const budget = opts.ramBudget ?? DEFAULT_RAM_BUDGET;
  const { file: configFile, config } = pickConfig(opts, log);

  const emitted = await transpile();
  const ver = version(emitted);
  const board = new Map(reachable(emitted).map((name) => [name, emitted.get(name)!]));
  const files = opts.minify === false ? new Map([...board].map(([name, code]) => [name, shrinkLua(code)])) : minifyModules(board);
  files.set("config.lua", configLua(config, ver));
  for (const name of files.keys()) {
    if (Buffer.byteLength(name) > MAX_NAME) throw new BuildError(`${name}: file names on the board hold at most ${MAX_NAME} bytes; rename the module`);
  }

  const ram = measure(files);
  const built: BuiltFile[] = [...files].map(([name, code]) => ({
    name,
    bytes: Buffer.byteLength(code),
    sha256: createHash("sha256").update(code).digest("hex"),
    ram: ram.get(name)!,
  }));
  const total = built.reduce((n, f) => n + f.bytes, 0);
  log(table(built, total, budget));
  const over = built.filter((f) => f.ram > budget);
  if (over.length > 0) {
    const list = over.map((f) => `${f.name} needs ${f.ram} bytes`).join(", ");
    throw new BuildError(`${list} of RAM once loaded, over the ${budget}-byte budget per module: split it into smaller modules, or raise the budget with --ram-budget BYTES if your board has the heap`);
  }

  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  for (const [name, code] of files) writeFileSync(join(outDir, name), code);
  const manifest = { version: ver, files: built.map(({ name, bytes, sha256 }) => ({ name, bytes, sha256 })) };
  writeFileSync(join(outDir, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
  log(`build: ${built.length} files, ${total} bytes, version ${ver} -> ${outDir}`);
  return { outDir, configFile, version: ver, files: built, totalBytes: total };
}

