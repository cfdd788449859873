// Regenerates doc-names.json: the function, method and constant names each typed module's page in
// NodeMCU's documentation names. Only names are kept, never doc text (the docs have their own licence).
// Usage: node scripts/doc-names.mjs [path to a nodemcu-firmware git repository] > doc-names.json
import { execFileSync } from "node:child_process";

const REPO = process.argv[2] ?? "/work/.mirror/nodemcu+nodemcu-firmware/repo";
const COMMIT = "36cbf9f";
const BRANCH = "release";

/** module name -> its page (or pages) in the repository. */
const PAGES = {
  adc: "docs/modules/adc.md",
  bit: "docs/modules/bit.md",
  dht: "docs/modules/dht.md",
  file: "docs/modules/file.md",
  gpio: "docs/modules/gpio.md",
  i2c: "docs/modules/i2c.md",
  mqtt: "docs/modules/mqtt.md",
  net: "docs/modules/net.md",
  node: "docs/modules/node.md",
  ow: "docs/modules/ow.md",
  spi: "docs/modules/spi.md",
  tmr: "docs/modules/tmr.md",
  uart: "docs/modules/uart.md",
  wifi: "docs/modules/wifi.md",
  sjson: "docs/modules/sjson.md",
  rtcmem: "docs/modules/rtcmem.md",
  rtctime: "docs/modules/rtctime.md",
  sntp: "docs/modules/sntp.md",
  http: "docs/modules/http.md",
  pwm: "docs/modules/pwm.md",
  pwm2: "docs/modules/pwm2.md",
  ws2812: "docs/modules/ws2812.md",
  tls: "docs/modules/tls.md",
  enduser_setup: "docs/modules/enduser-setup.md",
  mdns: "docs/modules/mdns.md",
  cron: "docs/modules/cron.md",
  encoder: "docs/modules/encoder.md",
  crypto: "docs/modules/crypto.md",
  struct: "docs/modules/struct.md",
  pipe: "docs/modules/pipe.md",
  bme280: ["docs/modules/bme280.md", "docs/lua-modules/bme280.md"],
  u8g2: "docs/modules/u8g2.md",
  ds18b20: "docs/lua-modules/ds18b20.md",
};

const page = (path) => execFileSync("git", ["-C", REPO, "show", `${COMMIT}:${path}`], { encoding: "utf8" });

/** Names from one heading: "file.close(), file.obj:close()" gives both; prose headings give none. */
function headingNames(mod, heading) {
  const names = [];
  for (const part of heading.split(/,\s*/)) {
    const m =
      /^([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)(?::([A-Za-z_]\w*))?\s*(?:\(\))?(?:\s+function)?(?:\s+--\w+)?\s*$/.exec(
        part.trim(),
      );
    if (!m) continue;
    const [, path, method] = m;
    if (method) names.push(`:${method}`);
    else if (path.startsWith(`${mod}.`)) names.push(path);
    else if (!path.includes(".") && part.trim().endsWith("()")) names.push(`${mod}.${path}`); // lua-modules pages drop the prefix
  }
  return names;
}

const out = {
  source: {
    repository: "https://github.com/nodemcu/nodemcu-firmware",
    branch: BRANCH,
    commit: COMMIT,
    pages: PAGES,
    how: "scripts/doc-names.mjs: functions and namespaces from the pages' headings, methods (':name') from 'obj:name' headings, constants from 'module.UPPER_CASE' names in the page text",
  },
  modules: {},
};
for (const [mod, paths] of Object.entries(PAGES)) {
  const text = [paths]
    .flat()
    .map(page)
    .join("\n")
    .replace(/```[\s\S]*?```/g, ""); // examples are not API
  const names = new Set();
  for (const line of text.split("\n")) {
    const h = /^#{1,4}\s+(.+?)\s*$/.exec(line);
    if (h) for (const n of headingNames(mod, h[1])) names.add(n);
  }
  const headings = new Set(names);
  const constRe = new RegExp(`\\b${mod}((?:\\.[a-z]\\w*)*\\.[A-Z][A-Z0-9_]+)\\b(?![.(:])`, "g");
  for (const m of text.matchAll(constRe)) {
    const name = `${mod}${m[1]}`;
    if (!headings.has(name)) names.add(name);
  }
  out.modules[mod] = [...names].sort();
}
process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
