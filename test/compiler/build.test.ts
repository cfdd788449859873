// The firmware build: what it writes, what it refuses, and that secrets stay out of its output.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { ConfigError, loadConfig, parseConfig } from "../../host/config.ts";
import { BuildError, buildFirmware } from "../../tools/compiler/build.ts";
import { buildOnce, writeConfig } from "../helpers/firmware.ts";

test("writes init, app and config modules with a manifest that matches the files; the contract is written into them, not shipped", async () => {
  const build = await buildOnce();
  const names = readdirSync(build.outDir).sort();
  for (const need of ["init.lua", "app.lua", "config.lua", "manifest.json"])
    assert.ok(names.includes(need), `${need} missing from ${names}`);
  assert.ok(!names.includes("contract.lua"), `contract.lua shipped though nothing requires it: ${names}`);
  for (const name of ["init.lua", "app.lua"])
    assert.doesNotMatch(readFileSync(join(build.outDir, name), "utf8"), /require\("contract"\)/, name);
  const manifest = JSON.parse(readFileSync(join(build.outDir, "manifest.json"), "utf8")) as {
    version: string;
    files: { name: string; bytes: number; sha256?: string }[];
  };
  assert.equal(manifest.version, build.version);
  assert.deepEqual(
    manifest.files.map((f) => f.name).sort(),
    names.filter((n) => n.endsWith(".lua")),
  );
  for (const f of manifest.files) {
    const bytes = readFileSync(join(build.outDir, f.name));
    assert.equal(f.bytes, bytes.length, f.name);
    // config.lua holds the passwords: no hash of it is kept (see build-output.test.ts).
    if (f.name !== "config.lua") assert.equal(f.sha256, createHash("sha256").update(bytes).digest("hex"), f.name);
  }
});

test("the generated Lua carries no comments or indentation", async () => {
  const build = await buildOnce();
  const app = readFileSync(join(build.outDir, "app.lua"), "utf8");
  assert.doesNotMatch(app, /^\s*--/m);
  assert.doesNotMatch(app, /^\s+\S/m);
});

test("size table and total are printed, and secrets never are", async () => {
  const lines: string[] = [];
  const configFile = writeConfig({
    id: "k1",
    wifi: { ssid: "net", password: "hunter2-wifi" },
    mqtt: { host: "10.0.0.2", password: "hunter2-mqtt" },
  });
  const result = await buildFirmware({
    configFile,
    outDir: mkdtempSync(join(tmpdir(), "mcu-b-")),
    log: (l) => lines.push(l),
  });
  const out = lines.join("\n");
  for (const f of result.files)
    assert.match(out, new RegExp(`${f.name.replace(".", "\\.")}\\s+${f.bytes}\\s+${f.ram}`));
  assert.match(out, new RegExp(`total\\s+${result.totalBytes}`));
  assert.doesNotMatch(out, /hunter2/);
  const cfg = readFileSync(join(result.outDir, "config.lua"), "utf8");
  assert.match(cfg, /pwd="hunter2-wifi"/);
  assert.match(cfg, /id="k1"/);
});

test("passwords can come from the environment instead of the file", () => {
  const cfg = parseConfig({ wifi: { ssid: "net" }, mqtt: { host: "h" } }, "device.json", {
    WIFI_PASSWORD: "from-env",
    MQTT_PASSWORD: "m-env",
  });
  assert.equal(cfg.wifi.password, "from-env");
  assert.equal(cfg.mqtt.password, "m-env");
  assert.equal(cfg.prefix, "nodemcu");
  assert.equal(cfg.mqtt.port, 1883);
  assert.equal(parseConfig({ wifi: { ssid: "n" }, mqtt: { host: "h", tls: true } }, "f", {}).mqtt.port, 8883);
});

const badConfigs: [string, unknown, RegExp][] = [
  ["missing wifi.ssid", { wifi: {}, mqtt: { host: "h" } }, /"wifi\.ssid" must be a non-empty string \(it is missing\)/],
  ["missing mqtt", { wifi: { ssid: "n" } }, /"mqtt" must be an object \(it is missing\)/],
  [
    "port as a string",
    { wifi: { ssid: "n" }, mqtt: { host: "h", port: "1883" } },
    /"mqtt\.port" must be a whole number from 1 to 65535 \(got "1883"\)/,
  ],
  ["tls as a number", { wifi: { ssid: "n" }, mqtt: { host: "h", tls: 1 } }, /"mqtt\.tls" must be true or false/],
  ["unknown top-level key", { wifi: { ssid: "n" }, mqtt: { host: "h" }, wlan: {} }, /unknown key "wlan"/],
  [
    "unknown nested key",
    { wifi: { ssid: "n", pass: "x" }, mqtt: { host: "h" } },
    /unknown key "wifi\.pass"; allowed here: ssid, password/,
  ],
  [
    "id with a wildcard",
    { id: "a+b", wifi: { ssid: "n" }, mqtt: { host: "h" } },
    /"id": device id "a\+b" contains a character/,
  ],
  [
    "message length too large",
    { wifi: { ssid: "n" }, mqtt: { host: "h", maxMessageLength: 70000 } },
    /"mqtt\.maxMessageLength" must be a whole number from 1 to 65535/,
  ],
  ["not an object", [1, 2], /must be a JSON object/],
];

for (const [name, raw, message] of badConfigs) {
  test(`config refused: ${name}`, () => {
    assert.throws(
      () => parseConfig(raw, "board.json", {}),
      (err: unknown) => err instanceof ConfigError && message.test(err.message) && err.message.startsWith("board.json"),
    );
  });
}

// Each holds a password that must not show in the message, wherever the mistake is.
const SECRET = "SuperSecretValue";
const secretMistakes: [string, string, () => void][] = [
  [
    "a Wi-Fi password over 64 bytes",
    SECRET,
    () => parseConfig({ wifi: { ssid: "n", password: SECRET.repeat(5) }, mqtt: { host: "h" } }, "f.json", {}),
  ],
  [
    "a broker password that is an array",
    SECRET,
    () => parseConfig({ wifi: { ssid: "n" }, mqtt: { host: "h", password: [SECRET] } }, "f.json", {}),
  ],
  [
    "a Wi-Fi password that is a number",
    "86753091",
    () => parseConfig({ wifi: { ssid: "n", password: 86753091 }, mqtt: { host: "h" } }, "f.json", {}),
  ],
  [
    "a wifi section that is an array",
    SECRET,
    () => parseConfig({ wifi: ["n", SECRET], mqtt: { host: "h" } }, "f.json", {}),
  ],
  [
    "a top level that is an array",
    SECRET,
    () => parseConfig([{ wifi: { ssid: "n", password: SECRET } }], "f.json", {}),
  ],
  [
    "WIFI_PASSWORD in the environment over 64 bytes",
    SECRET,
    () => parseConfig({ wifi: { ssid: "n" }, mqtt: { host: "h" } }, "f.json", { WIFI_PASSWORD: SECRET.repeat(5) }),
  ],
  [
    "an unquoted password in the file",
    SECRET,
    () => loadConfig(writeRaw(`{"wifi":{"ssid":"n",\n  "password":${SECRET}"},"mqtt":{"host":"h"}}`), {}),
  ],
  [
    "a password cut short by the end of the file",
    SECRET,
    () => loadConfig(writeRaw(`{"wifi":{"ssid":"n","password":"${SECRET}`), {}),
  ],
];

function writeRaw(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "mcu-cfg-")), "device.json");
  writeFileSync(file, text);
  return file;
}

for (const [name, secret, mistake] of secretMistakes) {
  test(`config errors never show a password: ${name}`, () => {
    assert.throws(
      mistake,
      (err: unknown) =>
        err instanceof ConfigError &&
        !err.message.includes(secret.slice(0, 6)) &&
        /must be|not valid JSON/.test(err.message),
    );
  });
}

test("invalid JSON is located by line and column instead of quoted", () => {
  assert.throws(
    () => loadConfig(writeRaw(`{"wifi":{"ssid":"n",\n  "password":${SECRET}"},"mqtt":{"host":"h"}}`), {}),
    /is not valid JSON: invalid symbol at line 2, column 14/,
  );
});

test("device.example.json points editors at device.schema.json and passes the loader", () => {
  const example = JSON.parse(readFileSync("device.example.json", "utf8")) as { $schema?: string };
  assert.equal(example.$schema, "./device.schema.json");
  assert.equal(loadConfig("device.example.json", {}).id, "kitchen");
});

test("the config loader's rules are device.schema.json's: a limit changed in the schema is the loader's", () => {
  const schema = JSON.parse(readFileSync("device.schema.json", "utf8")) as {
    properties: { mqtt: { properties: { keepalive: { maximum: number } } } };
  };
  const max = schema.properties.mqtt.properties.keepalive.maximum;
  const ok = { wifi: { ssid: "n" }, mqtt: { host: "h", keepalive: max } };
  assert.equal(parseConfig(ok, "f", {}).mqtt.keepalive, max);
  assert.throws(
    () => parseConfig({ ...ok, mqtt: { host: "h", keepalive: max + 1 } }, "f", {}),
    new RegExp(`"mqtt\\.keepalive" must be a whole number from 0 to ${max}`),
  );
});

test("a module over the RAM budget fails the build and says how to fix it", async () => {
  await assert.rejects(
    buildFirmware({
      configFile: writeConfig({ wifi: { ssid: "n" }, mqtt: { host: "h" } }),
      outDir: mkdtempSync(join(tmpdir(), "mcu-b-")),
      ramBudget: 500,
      log: () => {},
    }),
    (err: unknown) =>
      err instanceof BuildError && /over the 500-byte budget/.test(err.message) && /--ram-budget/.test(err.message),
  );
});
