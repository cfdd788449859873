// A config error names the field and the rule, never the value of a field that is or may hold a
// secret, whatever its type; ota.secret's rule is said as it is: 16 to 64 bytes (issue 24, 12).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { ConfigError, parseConfig } from "../../host/config.ts";
import { mcu, mcuBin } from "../helpers/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "mcu-cfg-secret-"));
before(() => mcuBin());
after(() => rmSync(dir, { recursive: true, force: true }));

const SECRET = "MYSECRET-0123456789abcdef";
const base = () => ({ wifi: { ssid: "n" }, mqtt: { host: "h" } }) as Record<string, unknown>;

/** Runs a host verb as a user would, on a device.json holding `config`. */
async function withConfig(config: unknown) {
  const file = join(dir, `device-${Math.random().toString(16).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(config));
  return mcu(["devices", "--config", file, "--broker", "mqtt://127.0.0.1:1"]);
}

test('"ota" given as the secret string is refused without echoing it (exit 2)', async () => {
  const r = await withConfig({ ...base(), ota: SECRET });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /"ota" must be an object \(got a string of 25 bytes; the value is not shown\)/);
  assert.ok(!r.stderr.includes("MYSECRET"), r.stderr);
});

test("a secret too short or too long is refused with the real rule, 16 to 64 bytes", async () => {
  for (const secret of ["abcde", "x".repeat(15), "x".repeat(65), "é".repeat(40)]) {
    const r = await withConfig({ ...base(), ota: { secret } });
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /"ota\.secret" must be a string of 16 to 64 bytes \(got a string of \d+ bytes; the value is not shown\)/,
      secret,
    );
    assert.ok(!r.stderr.includes(secret.slice(0, 5)), r.stderr);
  }
  assert.equal(parseConfig({ ...base(), ota: { secret: "x".repeat(16) } }, "f", {}).ota?.secret, "x".repeat(16));
  assert.equal(parseConfig({ ...base(), ota: { secret: "x".repeat(64) } }, "f", {}).ota?.secret, "x".repeat(64));
});

test("no config error shows a value of a secret-bearing field, whatever its type", () => {
  const values: unknown[] = [SECRET, 8675309123, true, [SECRET], { nested: SECRET }, null];
  const place: [string, (v: unknown) => unknown][] = [
    ["ota", (v) => ({ ...base(), ota: v })],
    ["ota.secret", (v) => ({ ...base(), ota: { secret: v } })],
    ["wifi", (v) => ({ mqtt: { host: "h" }, wifi: v })],
    ["wifi.password", (v) => ({ mqtt: { host: "h" }, wifi: { ssid: "n", password: v } })],
    ["mqtt", (v) => ({ wifi: { ssid: "n" }, mqtt: v })],
    ["mqtt.password", (v) => ({ wifi: { ssid: "n" }, mqtt: { host: "h", password: v } })],
    ["(top level)", (v) => v],
  ];
  for (const [field, make] of place) {
    for (const v of values) {
      let message = "";
      try {
        parseConfig(make(v), "f.json", {});
      } catch (err) {
        assert.ok(err instanceof ConfigError, String(err));
        message = err.message;
      }
      if (message === "") continue; // a value that is valid there
      for (const shown of [SECRET.slice(0, 8), "8675309", "true"])
        assert.ok(!message.includes(shown), `${field} = ${JSON.stringify(v)}: ${message}`);
    }
  }
});
