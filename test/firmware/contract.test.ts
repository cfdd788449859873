// The topic contract as the host sees it (JavaScript).
import assert from "node:assert/strict";
import { test } from "node:test";
import * as C from "../../firmware/src/contract.ts";
import * as N from "../../host/names.ts";
import { boardPayloadLimit } from "../../host/payload-limits.ts";
import { onlineStatus } from "../helpers/status.ts";

test("topics follow <prefix>/<id>/<leaf> with the default prefix", () => {
  assert.equal(C.topic(C.DEFAULT_PREFIX, "kitchen", C.IN), "nodemcu/kitchen/in");
  assert.equal(C.topic(C.DEFAULT_PREFIX, "kitchen", C.OUT), "nodemcu/kitchen/out");
  assert.equal(C.topic("home/esp", "kitchen", C.STATUS), "home/esp/kitchen/status");
  assert.equal(N.allDevices("nodemcu", C.STATUS), "nodemcu/+/status");
});

test("device ids: wildcards, separators, spaces, empty and overlong ids are refused with a reason", () => {
  assert.equal(N.idError("kitchen-1_a.b"), undefined);
  for (const bad of [
    "a+b",
    "a#",
    "a/b",
    "a b",
    "tab\there",
    "",
    "x".repeat(N.MAX_ID_LENGTH + 1),
    "del\x7f",
    "caf\u00e9",
  ]) {
    const why = N.idError(bad);
    assert.ok(why, `expected ${JSON.stringify(bad)} to be refused`);
    assert.match(why, /device id/);
  }
  assert.match(N.idError("")!, /must not be empty/);
  assert.match(N.idError("a+b")!, /not allowed/);
  assert.match(N.idError("x".repeat(N.MAX_ID_LENGTH + 1))!, new RegExp(`at most ${N.MAX_ID_LENGTH}`));
  assert.match(N.idError(42)!, /must be a string/);
  assert.equal(N.idError("x".repeat(N.MAX_ID_LENGTH)), undefined);
});

test("prefixes may hold inner slashes but not wildcards or outer slashes", () => {
  assert.equal(N.prefixError("home/esp"), undefined);
  assert.match(N.prefixError("/home")!, /must not start or end/);
  assert.match(N.prefixError("home/")!, /must not start or end/);
  assert.match(N.prefixError("ho+me")!, /not allowed/);
});

test("deviceOf reads the id back from a contract topic and rejects others", () => {
  assert.equal(N.deviceOf("nodemcu", C.STATUS, "nodemcu/kitchen/status"), "kitchen");
  assert.equal(N.deviceOf("home/esp", C.OUT, "home/esp/k1/out"), "k1");
  assert.equal(N.deviceOf("nodemcu", C.STATUS, "nodemcu/kitchen/out"), undefined);
  assert.equal(N.deviceOf("nodemcu", C.STATUS, "nodemcu//status"), undefined);
  assert.equal(N.deviceOf("nodemcu", C.STATUS, "nodemcu/a/b/status"), undefined);
  assert.equal(N.deviceOf("nodemcu", C.STATUS, "other/kitchen/status"), undefined);
});

test("status payloads are JSON with the documented fields", () => {
  assert.deepEqual(JSON.parse(onlineStatus("0.1.0+abc", "192.168.1.7", 31000, 2, 3, "broker.lan", 8883)), {
    state: "online",
    version: "0.1.0+abc",
    ip: "192.168.1.7",
    heap: 31000,
    overflows: 2,
    dropped: 3,
    broker: "broker.lan:8883",
  });
  assert.deepEqual(JSON.parse(C.OFFLINE_PAYLOAD), { state: "offline" });
});

test("backoff doubles from the base, caps at 30 s and jitters down by at most half", () => {
  assert.equal(C.backoffMs(0, 0), C.BASE_BACKOFF_MS);
  assert.equal(C.backoffMs(1, 0), 2 * C.BASE_BACKOFF_MS);
  assert.equal(C.backoffMs(3, 0), 8 * C.BASE_BACKOFF_MS);
  assert.equal(C.backoffMs(20, 0), C.MAX_BACKOFF_MS);
  assert.equal(C.backoffMs(1000, 0.999999), Math.floor(C.MAX_BACKOFF_MS / 2 + (C.MAX_BACKOFF_MS * 0.000001) / 2));
  for (let a = 0; a < 12; a++) {
    const hi = C.backoffMs(a, 0);
    const lo = C.backoffMs(a, 0.9999);
    assert.ok(lo >= hi / 2 && lo <= hi, `attempt ${a}: ${lo} not within [${hi / 2}, ${hi}]`);
  }
});

test("the board's payload limit is the largest payload whose whole PUBLISH fits in maxMessageLength", () => {
  const lengthBytes = (n: number) => (n < 128 ? 1 : n < 16384 ? 2 : n < 2097152 ? 3 : 4);
  const packet = (t: string, qos: number, payload: number) => {
    const rest = 2 + t.length + (qos > 0 ? 2 : 0) + payload;
    return 1 + lengthBytes(rest) + rest;
  };
  for (let max = 1; max <= 65535; max += 13) {
    for (const t of ["a", "nodemcu/kitchen/in"]) {
      for (const qos of [0, 1]) {
        const p = boardPayloadLimit(max, t, qos);
        if (p > 0 || packet(t, qos, 0) <= max)
          assert.ok(packet(t, qos, p) <= max, `max ${max} ${t} qos ${qos}: ${p} does not fit`);
        assert.ok(packet(t, qos, p + 1) > max, `max ${max} ${t} qos ${qos}: ${p + 1} would fit too`);
      }
    }
  }
  assert.equal(boardPayloadLimit(1024, "nodemcu/kitchen/in", 1), 999);
});
