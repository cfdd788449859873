// The firmware build: TypeScript -> Lua 5.1 (TSTL), shrunk, syntax-checked and measured on the
// reference Lua 5.1, plus config.lua from device.json and a manifest the uploader compares
// against what the board holds.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { stripVTControlCharacters } from "node:util";
import { defaultId, IN, MESSAGE_QOS, OUT, topic } from "../../firmware/src/contract.ts";
import { DEFAULT_CONFIG_FILE, type DeviceConfig, loadConfig } from "../../host/config.ts";
import { mapName } from "../../host/errmap/map-file.ts";
import { type Column, EXIT, table, wantsColour } from "../../host/kit/index.ts";
import { boardEchoLimit, boardPayloadLimit } from "../../host/payload-limits.ts";
import { LuaVm, luaLiteral } from "../lua/vm.ts";
import { appPaths, type StagedApp, stageApp } from "./app.ts";
import { concatPlugin } from "./concat-plugin.ts";
import { configLua } from "./config-lua.ts";
import { BuildError } from "./errors.ts";
import { alignLines, realigned } from "./line-align.ts";
import type { MappedLua } from "./line-marks.ts";
import { parseLua, requiredNames } from "./lua-tree.ts";
import { MANIFEST, readManifest } from "./manifest.ts";
import { moduleMap } from "./map-files.ts";
import { minifyModules } from "./minify.ts";
import { type BoardNeeds, boardNeeds } from "./needs.ts";
import { dropUnreadLocals } from "./passes/drop-unread-locals.ts";
import { foldSwitches, type Switches } from "./passes/fold-switches.ts";
import { shrinkLua } from "./passes/shrink-lines.ts";
import { type Origins, readSourceMaps } from "./source-maps.ts";

// The project folder: found by walking up, since this code runs from tools/compiler and from dist/.
function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "firmware/tsconfig.json"))) {
    const up = dirname(dir);
    if (up === dir)
      throw new BuildError(
        "cannot find the project folder (firmware/tsconfig.json) above " + fileURLToPath(import.meta.url),
      );
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
  /** An app folder (mcu new): its src/ instead of firmware/src's app, its device.json and build/lua by default. */
  appDir?: string;
  /** device.json to read; when absent: the project's (or the app's) device.json, else device.example.json with a warning. */
  configFile?: string;
  outDir?: string;
  ramBudget?: number;
  /**
   * A fixed tag for the version instead of the sources' hash: ./flash.sh --watch builds every
   * edit as `+watch`, so config.lua (which holds the version) stays the same and only the edited
   * modules are uploaded.
   */
  versionTag?: string;
  /** false keeps line breaks and names (readable errors on the board); default true. */
  minify?: boolean;
  log?: (line: string) => void;
}

export interface BuiltFile {
  name: string;
  bytes: number;
  /** Absent for config.lua: a hash of the passwords would let anyone test guesses offline. */
  sha256?: string;
  /** Bytes of Lua heap the loaded chunk holds, measured on Lua 5.1. */
  ram: number;
}

export interface BuildResult {
  outDir: string;
  configFile: string;
  version: string;
  files: BuiltFile[];
  totalBytes: number;
  /** What the firmware asks of the board's NodeMCU build, as manifest.json records it. */
  needs: BoardNeeds;
}

export { BuildError };

/** The build's file that holds the Wi-Fi and broker passwords. */
const SECRET_FILE = "config.lua";

const ROOT = projectRoot();
/** The toolkit's folder (the one holding firmware/), wherever this code runs from. */
export const PROJECT_ROOT = ROOT;
const FIRMWARE_TSCONFIG = join(ROOT, "firmware/tsconfig.json");
/** The project's firmware sources (the echo app, the boot guard, the contract). */
export const FIRMWARE_SRC = join(ROOT, "firmware/src");
/** Where a build goes without --out (an app's goes to its own build/lua). */
export const DEFAULT_OUT = join(ROOT, "build/lua");
const EXAMPLE_CONFIG = join(ROOT, "device.example.json");

// A --config path is the caller's (relative to where they run the command); the default is the
// project's device.json, wherever the command runs from, like the default build/lua.
function pickConfig(opts: BuildOptions, log: (l: string) => void): { file: string; config: DeviceConfig } {
  if (opts.configFile) return { file: opts.configFile, config: loadConfig(opts.configFile) };
  const own = opts.appDir ? appPaths(opts.appDir).config : join(ROOT, DEFAULT_CONFIG_FILE);
  if (existsSync(own)) return { file: own, config: loadConfig(own) };
  log(`build: ${own} not found; using device.example.json (copy it to ${own} for your board)`);
  return { file: EXAMPLE_CONFIG, config: loadConfig(EXAMPLE_CONFIG) };
}

/** TSTL's output: the Lua by output file name, and where each module's lines came from in the TypeScript. */
interface Transpiled {
  lua: Map<string, string>;
  origins: Map<string, Origins>;
}

/** Compiles the firmware (the project's, or an app folder's staged beside the shared files) to Lua, by output file name. */
async function transpile(appDir: string | undefined): Promise<Transpiled> {
  const app: StagedApp | undefined = appDir ? stageApp(ROOT, appDir) : undefined;
  try {
    return await compile(app?.tsconfig ?? FIRMWARE_TSCONFIG, app?.restore ?? ((t) => t));
  } finally {
    app?.remove();
  }
}

async function compile(tsconfig: string, restore: (text: string) => string): Promise<Transpiled> {
  const [tstl, ts] = await Promise.all([import("typescript-to-lua"), import("typescript")]);
  const out = new Map<string, string>();
  const maps = new Map<string, string>();
  const parsed = tstl.parseConfigFileWithSystem(tsconfig);
  // Source maps for the error maps the build writes beside the board's files (host/errmap).
  parsed.options.sourceMap = true;
  const program = ts.default.createProgram(parsed.fileNames, parsed.options);
  const result = new tstl.Transpiler().emit({
    program,
    plugins: [concatPlugin(tstl, ts.default)],
    writeFile: (fileName, data) =>
      fileName.endsWith(".map") ? maps.set(fileName, data) : out.set(basename(fileName), data),
  });
  const diagnostics = [...parsed.errors, ...ts.default.getPreEmitDiagnostics(program), ...result.diagnostics];
  const errors = diagnostics.filter((d) => d.category === ts.default.DiagnosticCategory.Error);
  if (errors.length > 0) {
    const host = {
      getCanonicalFileName: (f: string) => f,
      getCurrentDirectory: () => process.cwd(),
      getNewLine: () => "\n",
    };
    // Coloured for a terminal only: a pipe, a file or a CI log gets plain text (NO_COLOR, FORCE_COLOR).
    const colour = wantsColour(process.stderr);
    const text = ts.default.formatDiagnosticsWithColorAndContext(errors, host);
    throw new BuildError(
      `firmware does not compile:\n${restore(colour ? text : stripVTControlCharacters(text))}`,
      EXIT.failure,
      colour,
    );
  }
  return { lua: out, origins: await readSourceMaps(maps, restore) };
}

const codeOf = (mapped: Map<string, MappedLua>): Map<string, string> =>
  new Map([...mapped].map(([name, m]) => [name, m.code]));

/** The build switches (firmware/src/switches.d.ts) device.json turns on. */
function switchesOf(config: DeviceConfig): Switches {
  return { BUILD_OTA: config.ota !== undefined, BUILD_OTA_SECRET: config.ota?.secret !== undefined };
}

/** Each module with its switches folded and the locals only a dropped part used gone, before anything decides what ships. */
function folded(emitted: Map<string, string>, switches: Switches): Map<string, string> {
  return new Map([...emitted].map(([name, code]) => [name, dropUnreadLocals(foldSwitches(name, code, switches))]));
}

/** TSTL's origins asked about the folded modules' lines (folding drops whole lines). */
function foldedOrigins(t: Transpiled, emitted: Map<string, string>): Map<string, Origins> {
  const out = new Map<string, Origins>();
  for (const [name, code] of emitted) {
    const origins = t.origins.get(name);
    if (origins) out.set(name, realigned(origins, alignLines(t.lua.get(name)!, code)));
  }
  return out;
}

/** `<package version>+<tag>`, the tag by default a hash of the sources. */
function version(sources: Map<string, string>, tag?: string): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
  if (tag !== undefined) return `${pkg.version}+${tag}`;
  const h = createHash("sha256");
  for (const name of [...sources.keys()].sort()) h.update(name).update(sources.get(name)!);
  return `${pkg.version}+${h.digest("hex").slice(0, 7)}`;
}

/**
 * Strings interned before measuring: Lua doubles its string table when it fills (lstring.c
 * luaS_newlstr), and on a board it is grown by everything loaded before the app. Counted here,
 * the doubling (1 KB at 256 slots) would fall on whichever module happened to cross it.
 */
const GROWN_STRING_TABLE = `__grown = {} for i = 1, 2048 do __grown[i] = "s" .. i end`;

// Loads each file with the real Lua 5.1 parser (a syntax check) and measures what the loaded
// chunk keeps on the heap.
function measure(files: Map<string, string>): Map<string, number> {
  const state = LuaVm.shared().newState({ onPrint: () => {} });
  try {
    state.exec(GROWN_STRING_TABLE, "=grow", 0);
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

const SIZE_COLUMNS: Column[] = [
  { header: "file", minWidth: 20 },
  { header: "bytes", align: "right", minWidth: 7 },
  { header: "ram", align: "right", minWidth: 9 },
];

/** Each file's size and RAM, then the total with the budget beside it. */
function sizes(files: BuiltFile[], total: number, budget: number): string {
  const lines = table(
    [...files.map((f) => [f.name, String(f.bytes), String(f.ram)]), ["total", String(total)]],
    SIZE_COLUMNS,
    { indent: "  ", gap: " " },
  );
  lines.push(`${lines.pop()}   (ram budget per module ${budget})`);
  return lines.join("\n");
}

/**
 * The modules the board runs: init.lua and what it requires, transitively. A source in
 * firmware/src that nothing requires is compiled (so type-checked) but never shipped.
 */
function reachable(emitted: Map<string, string>): string[] {
  const seen = new Set<string>();
  const visit = (name: string) => {
    const code = emitted.get(name);
    if (code === undefined || seen.has(name)) return;
    seen.add(name);
    for (const m of requiredNames(parseLua(code))) visit(`${m}.lua`);
  };
  visit("init.lua");
  return [...emitted.keys()].filter((n) => seen.has(n));
}

/**
 * The files of an earlier build in `dir`, which this build replaces. The build deletes nothing it
 * did not write: a missing or empty folder is fine; a folder is an earlier build's when its
 * manifest.json names every other file in it; any other folder is refused.
 */
function earlierBuild(dir: string): string[] {
  let entries: string[];
  try {
    // Made now, not after the compile, so a path that cannot be a folder fails at once.
    if (!existsSync(dir)) {
      mkdirSync(dir, { recursive: true });
      return [];
    }
    entries = readdirSync(dir);
  } catch (err) {
    throw new BuildError(
      `--out ${dir}: cannot use it as the output folder (${fsReason(err)}); give a folder path you can write to`,
      EXIT.usage,
    );
  }
  if (entries.length === 0) return [];
  const manifest = readManifest(join(dir, MANIFEST));
  const ours = manifest && [...manifest.names, ...manifest.maps];
  const foreign = entries.filter((n) => n !== MANIFEST && !(ours?.includes(n) && statSync(join(dir, n)).isFile()));
  if (ours && foreign.length === 0) return entries;
  const why = ours
    ? `it holds files no build wrote (${foreign.slice(0, 3).join(", ")}${foreign.length > 3 ? ", …" : ""})`
    : `it is not empty and holds no ${MANIFEST} of an earlier build`;
  throw new BuildError(
    `--out ${dir}: refusing to write the build there: ${why}. The build replaces only its own files; give a new or empty folder, or the folder of an earlier build`,
    EXIT.usage,
  );
}

function fsReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  const reasons: Record<string, string> = {
    ENOTDIR: "a part of the path is a file, not a folder",
    EEXIST: "a part of the path is a file, not a folder",
    EACCES: "permission denied",
    EROFS: "the file system is read-only",
  };
  return (code && reasons[code]) ?? code ?? String(err);
}

/** The build folder: `outDir`, else the app folder's build/lua, else the project's. */
export function buildDir(appDir: string | undefined, outDir: string | undefined): string {
  return resolve(outDir ?? (appDir ? appPaths(appDir).out : DEFAULT_OUT));
}

/**
 * What maxMessageLength buys in each direction: the board takes in what fits the limit, but builds
 * every echo in NodeMCU's 1460-byte buffer. Without an id the topics' length is that of the
 * chip-id default (esp-xxxxxx).
 */
export function messageLimits(config: DeviceConfig): string {
  const id = config.id ?? defaultId("000000");
  const max = config.mqtt.maxMessageLength;
  const inBytes = boardPayloadLimit(max, topic(config.prefix, id, IN), MESSAGE_QOS);
  const outBytes = Math.min(inBytes, boardEchoLimit(topic(config.prefix, id, OUT), MESSAGE_QOS));
  const note = inBytes > outBytes ? `; longer ones arrive but are not echoed (counted as dropped)` : "";
  return `build: maxMessageLength ${max}: the board takes messages of up to ${inBytes} bytes and echoes up to ${outBytes}${note}`;
}

/** Builds the firmware into outDir (default build/lua) and returns what it wrote. */
export async function buildFirmware(opts: BuildOptions = {}): Promise<BuildResult> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const outDir = buildDir(opts.appDir, opts.outDir);
  const budget = opts.ramBudget ?? DEFAULT_RAM_BUDGET;
  const { file: configFile, config } = pickConfig(opts, log);
  const stale = earlierBuild(outDir);

  const transpiled = await transpile(opts.appDir);
  const emitted = folded(transpiled.lua, switchesOf(config));
  const origins = foldedOrigins(transpiled, emitted);
  const ver = version(emitted, opts.versionTag);
  const board = new Map(reachable(emitted).map((name) => [name, emitted.get(name)!]));
  let mapped =
    opts.minify === false
      ? new Map([...board].map(([name, code]) => [name, shrinkLua(code, origins.get(name))]))
      : minifyModules(board, true, origins);
  let files = codeOf(mapped);
  files.set("config.lua", configLua(config, ver));
  for (const name of files.keys()) {
    if (Buffer.byteLength(name) > MAX_NAME)
      throw new BuildError(`${name}: file names on the board hold at most ${MAX_NAME} bytes; rename the module`);
  }

  let ram = measure(files);
  const tooBig = (r: Map<string, number>) => [...r].filter(([, bytes]) => bytes > budget).map(([name]) => name);
  if (opts.minify !== false && tooBig(ram).length > 0) {
    // The session written into the app (passes/splice-library.ts) saves heap, but the board must
    // compile the result: a module over the budget gets the session as a module of its own instead.
    const mappedApart = minifyModules(board, false, origins);
    const apart = codeOf(mappedApart);
    apart.set("config.lua", files.get("config.lua")!);
    const ramApart = measure(apart);
    if (tooBig(ramApart).length < tooBig(ram).length) {
      log(
        `build: ${tooBig(ram).join(", ")} with the session written in would be over the RAM budget; session.lua ships as a module`,
      );
      [files, ram, mapped] = [apart, ramApart, mappedApart];
    }
  }
  const built: BuiltFile[] = [...files].map(([name, code]) => ({
    name,
    bytes: Buffer.byteLength(code),
    ...(name === SECRET_FILE ? {} : { sha256: createHash("sha256").update(code).digest("hex") }),
    ram: ram.get(name)!,
  }));
  const total = built.reduce((n, f) => n + f.bytes, 0);
  log(sizes(built, total, budget));
  const over = built.filter((f) => f.ram > budget);
  if (over.length > 0) {
    const list = over.map((f) => `${f.name} needs ${f.ram} bytes`).join(", ");
    throw new BuildError(
      `${list} of RAM once loaded, over the ${budget}-byte budget per module: split it into smaller modules, or raise the budget with --ram-budget BYTES if your board has the heap`,
    );
  }

  for (const name of stale) rmSync(join(outDir, name));
  mkdirSync(outDir, { recursive: true });
  // Only the owner may read the passwords (mode applies as the file is created, and stale files are gone).
  for (const [name, code] of files)
    writeFileSync(join(outDir, name), code, { mode: name === SECRET_FILE ? 0o600 : 0o644 });
  // The error maps stay on the PC: the manifest lists them apart from the board's files.
  const maps = [...mapped].map(([name, m]) => {
    writeFileSync(join(outDir, mapName(name)), JSON.stringify(moduleMap(name, m)) + "\n");
    return mapName(name);
  });
  const needs = boardNeeds(
    files,
    config.mqtt.tls,
    built.reduce((n, f) => n + f.ram, 0),
  );
  const manifest = {
    version: ver,
    files: built.map(({ name, bytes, sha256 }) => ({ name, bytes, sha256 })),
    maps,
    needs,
  };
  writeFileSync(join(outDir, MANIFEST), JSON.stringify(manifest, null, 2) + "\n");
  log(`build: ${built.length} files, ${total} bytes, version ${ver} -> ${outDir}`);
  log(
    `build: needs NodeMCU modules ${needs.modules.join(" ")}${needs.ssl ? ", an SSL build" : ""}${needs.floats.length > 0 ? ", a float build" : ""}`,
  );
  log(messageLimits(config));
  return { outDir, configFile, version: ver, files: built, totalBytes: total, needs };
}
