// Bundles the `mcu` CLI as CommonJS (dist/package.json marks it so): dist/mcu.js, the dispatcher,
// and one file per verb module under dist/verbs/, which the dispatcher requires only for the verb
// that runs. Node's CommonJS loader starts a few milliseconds faster than its ESM loader, and a
// cold `mcu send` parses the client it needs, not the emulator and compiler too (one bundle of
// everything cost it a third more than `node -e 0`). Code two verbs share is in both files.

import { chmodSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { build } from "esbuild";

const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
// The emulator's Lua files go in as text, by path under luaDir (see tools/emulator/runtime/runtime.ts).
const luaDir = "tools/emulator";
const luaFiles = readdirSync(luaDir, { recursive: true }).filter((f) => f.endsWith(".lua"));
const lua = Object.fromEntries(luaFiles.map((f) => [f.replaceAll("\\", "/"), readFileSync(`${luaDir}/${f}`, "utf8")]));
// Native addons and packages that load files relative to themselves stay in node_modules.
const external = [
  "@lydell/node-pty",
  "serialport",
  "@serialport/*",
  "lua-wasm-bindings",
  "aedes",
  "typescript",
  "typescript-to-lua",
  "source-map",
];

/** The verb modules tools/cli/verbs.ts loads, by their path from the root: each gets a file of its own. */
const verbsSource = readFileSync("tools/cli/verbs.ts", "utf8");
const verbModules = [
  ...new Set(
    [...verbsSource.matchAll(/import\("([^"]+)\.ts"\)/g)].map((m) => relative(".", resolve("tools/cli", m[1]))),
  ),
];
const verbFile = (path) => `verbs/${path.replaceAll("/", "-")}`;

/** In the dispatcher, a verb's dynamic import becomes a require of its own file, left for run time. */
const verbsApart = {
  name: "verbs-apart",
  setup(b) {
    b.onResolve({ filter: /\.ts$/ }, (args) => {
      if (args.kind !== "dynamic-import" || !args.importer.endsWith("tools/cli/verbs.ts")) return undefined;
      const path = relative(".", resolve(dirname(args.importer), args.path)).replace(/\.ts$/, "");
      return { path: `./${verbFile(path)}.js`, external: true };
    });
  },
};

const common = {
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  external,
  // bl (under mqtt-packet) pulls in readable-stream, a userland copy of node's stream module:
  // node's own is API-compatible and already loaded, which saves parsing ~200 KB per start.
  // `debug` is swapped for a no-op (see tools/cli/no-debug.cjs). jsonc-parser's "main" is a UMD
  // build whose dynamic requires a bundler cannot follow; its ES module build bundles whole.
  alias: {
    "readable-stream": "stream",
    debug: "./tools/cli/no-debug.cjs",
    "jsonc-parser": "./node_modules/jsonc-parser/lib/esm/main.js",
  },
  // The sources are ES modules that locate files from import.meta.url.
  banner: { js: 'const __mcuUrl = require("node:url").pathToFileURL(__filename).href;' },
  define: { MCU_VERSION: JSON.stringify(pkg.version), MCU_LUA: JSON.stringify(lua), "import.meta.url": "__mcuUrl" },
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: "warning",
};

rmSync("dist", { recursive: true, force: true });
await build({
  ...common,
  entryPoints: ["tools/cli/mcu.ts"],
  outfile: "dist/mcu.js",
  banner: { js: `#!/usr/bin/env node\n${common.banner.js}` },
  plugins: [verbsApart],
  // A verb's file is required, not import()ed: Node's ESM loader would first scan the whole file
  // for its CommonJS exports (cjs-module-lexer, about 10 ms for the client's 150 KB).
  supported: { "dynamic-import": false },
});
await build({
  ...common,
  entryPoints: Object.fromEntries(verbModules.map((p) => [verbFile(p), `${p}.ts`])),
  outdir: "dist",
});
// The test kit an app's tests import as "<package>/testing" (package.json "exports").
await build({ ...common, entryPoints: ["tools/testing/index.ts"], outfile: "dist/testing.js" });
writeFileSync("dist/package.json", JSON.stringify({ type: "commonjs" }) + "\n");
chmodSync("dist/mcu.js", 0o755);
