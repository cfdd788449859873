// mcu build says what maxMessageLength allows each way: in, what the limit lets through; out,
// what NodeMCU's 1460-byte build buffer (app/modules/mqtt.c:20) lets it echo.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DeviceConfig } from "../../host/config.ts";
import { messageLimits } from "../../tools/compiler/build.ts";

const config = (maxMessageLength: number): DeviceConfig => ({
  id: "kitchen",
  prefix: "nodemcu",
  wifi: { ssid: "n", password: "p" },
  mqtt: {
    host: "h",
    port: 1883,
    brokers: [{ host: "h", port: 1883 }],
    failback: 0,
    tls: false,
    keepalive: 60,
    maxMessageLength,
  },
});

test("at the default 1024 the board echoes everything it takes in", () => {
  // 1024 - 1 type byte - 2 length bytes - 2 + 18 topic bytes (nodemcu/kitchen/in); QoS 0, no packet id
  assert.equal(
    messageLimits(config(1024)),
    "build: maxMessageLength 1024: the board takes messages of up to 1001 bytes and echoes up to 1001",
  );
});

test("at 2048 it takes in more than it can echo, and says so", () => {
  // In: 2048 - 1 - 2 - 2 - 18; echo: 1460 - 3 header bytes - 2 + 19 topic bytes (QoS 0: no packet id).
  assert.equal(
    messageLimits(config(2048)),
    "build: maxMessageLength 2048: the board takes messages of up to 2025 bytes and echoes up to 1436; longer ones arrive but are not echoed (counted as dropped)",
  );
});
