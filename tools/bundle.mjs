// Bundles the `mcu` CLI into dist/ so a cold start loads one small entry file;
// each verb is split into its own chunk and loaded only when that verb runs.
import { build } from "esbuild";
import { readFileSync, chmodSync, rmSync } from "node:fs";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
// Native addons and packages that load files relative to themselves stay in node_modules.
const external = ["node-pty", "serialport", "@serialport/*", "lua-wasm-bindings", "aedes", "typescript", "typescript-to-lua"];

rmSync("dist", { recursive: true, force: true });
await build({
  entryPoints: { mcu: "tools/cli/mcu.ts" },
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external,
  // bl (under mqtt-packet) pulls in readable-stream, a userland copy of node's stream module:
  // node's own is API-compatible and already loaded, which saves parsing ~200 KB per start.
  // `debug` is swapped for a no-op (see tools/cli/no-debug.cjs).
  alias: { "readable-stream": "stream", debug: "./tools/cli/no-debug.cjs" },
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __mcuRequire } from 'node:module'; const require = __mcuRequire(import.meta.url);",
  },
  define: { MCU_VERSION: JSON.stringify(pkg.version) },
  logLevel: "warning",
});
chmodSync("dist/mcu.js", 0o755);
