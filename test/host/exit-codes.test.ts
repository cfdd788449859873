// The one exit-code path (host/kit/errors.ts errorReport, used by tools/cli/mcu.ts): every error
// of the project's domains carries its own exit status and is printed as its message alone;
// anything else is a bug, said in one short line with where to report it, the stack only with
// --verbose.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { ConfigError } from "../../host/config.ts";
import { CliError, EXIT, errorReport } from "../../host/kit/index.ts";
import { MqttError } from "../../host/mqtt/index.ts";
import { BuildError } from "../../tools/compiler/errors.ts";
import { SerialError } from "../../tools/serial/errors.ts";

const domain: [string, unknown, number][] = [
  ["a CliError", new CliError("bad --qos", EXIT.usage), EXIT.usage],
  [
    "a broker refusing the password",
    new MqttError("CONNACK", "refused: bad user name or password", { returnCode: 4 }),
    4,
  ],
  [
    "a broker refusing the client id (CONNACK 2, which would read as usage)",
    new MqttError("CONNACK", "refused", { returnCode: 2 }),
    7,
  ],
  ["a payload MQTT cannot carry", new MqttError("TOO_LARGE", "too large"), EXIT.usage],
  ["a refused connection", new MqttError("ECONNREFUSED", "connection refused"), EXIT.failure],
  ["a serial step that failed", new SerialError("NO_PROMPT", "no prompt"), EXIT.failure],
  ["a config file that cannot be used", new ConfigError("mqtt.port: must be a number"), EXIT.usage],
  ["an --out folder refused", new BuildError("--out x: refusing", EXIT.usage), EXIT.usage],
  ["a build that failed", new BuildError("does not compile"), EXIT.failure],
];

for (const [what, err, code] of domain) {
  test(`${what} exits ${code} with its message alone`, () => {
    const r = errorReport("mcu x", err, false);
    assert.equal(r.exitCode, code);
    assert.equal(r.text, `mcu x: ${(err as Error).message}`);
  });
}

test("a control character in a domain error's message is escaped; a styled one is kept", () => {
  assert.equal(errorReport("mcu x", new CliError("board \x1b[2Jsays", 1), false).text, "mcu x: board \\x1b[2Jsays");
  assert.equal(
    errorReport("mcu x", new BuildError("\x1b[31mred\x1b[0m", 1, true), false).text,
    "mcu x: \x1b[31mred\x1b[0m",
  );
});

test("any other error is a bug: one line, where to report it, the stack only with --verbose", () => {
  const err = new TypeError("cannot read properties of undefined");
  const quiet = errorReport("mcu x", err, false);
  assert.equal(quiet.exitCode, EXIT.failure);
  assert.match(
    quiet.text,
    /^mcu x: unexpected error: cannot read properties of undefined\n\(a bug in mcu: please report it/,
  );
  assert.doesNotMatch(quiet.text, /\n\s+at /);
  const loud = errorReport("mcu x", err, true);
  assert.match(loud.text, /\n\s+at .*exit-codes\.test\.ts/);
});

test("mcu prints a verb's domain error without a stack, and exits with its code", () => {
  const r = spawnSync(process.execPath, ["dist/mcu.js", "build", "--config", "/nonexistent/device.json"], {
    encoding: "utf8",
  });
  assert.equal(r.status, EXIT.usage, r.stderr);
  assert.match(r.stderr, /^mcu build: /);
  assert.doesNotMatch(r.stderr, /unexpected error|\n\s+at /);
});
