// Bundles the `mcu` CLI into one CommonJS file, dist/mcu.js (dist/package.json marks it so):
// Node's CommonJS loader starts a few milliseconds faster than its ESM loader resolving a dozen
// chunks, and each verb's code still runs only when that verb does (esbuild initializes bundled
// modules lazily behind their dynamic imports).

import { chmodSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { build } from "esbuild";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
// The emulator's NodeMCU modules in Lua go in as text, by file name (see tools/emulator/runtime.ts).
const luaDir = "tools/emulator/lua";
const luaFiles = readdirSync(luaDir).filter((f) => f.endsWith(".lua"));
const lua = Object.fromEntries(luaFiles.map((f) => [f, readFileSync(`${luaDir}/${f}`, "utf8")]));
// Native addons and packages that load files relative to themselves stay in node_modules.
const external = ["@lydell/node-pty", "serialport", "@serialport/*", "lua-wasm-bindings", "aedes", "typescript", "typescript-to-lua", "source-map"];

rmSync("dist", { recursive: true, force: true });
await build({
  entryPoints: ["tools/cli/mcu.ts"],
  outfile: "dist/mcu.js",
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  external,
  // bl (under mqtt-packet) pulls in readable-stream, a userland copy of node's stream module:
  // node's own is API-compatible and already loaded, which saves parsing ~200 KB per start.
  // `debug` is swapped for a no-op (see tools/cli/no-debug.cjs). jsonc-parser's "main" is a UMD
  // build whose dynamic requires a bundler cannot follow; its ES module build bundles whole.
  alias: { "readable-stream": "stream", debug: "./tools/cli/no-debug.cjs", "jsonc-parser": "./node_modules/jsonc-parser/lib/esm/main.js" },
  // The sources are ES modules that locate files from import.meta.url.
  banner: { js: '#!/usr/bin/env node\nconst __mcuUrl = require("node:url").pathToFileURL(__filename).href;' },
  define: { MCU_VERSION: JSON.stringify(pkg.version), MCU_LUA: JSON.stringify(lua), "import.meta.url": "__mcuUrl" },
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: "warning",
});
writeFileSync("dist/package.json", JSON.stringify({ type: "commonjs" }) + "\n");
chmodSync("dist/mcu.js", 0o755);
