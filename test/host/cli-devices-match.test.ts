// mcu devices --match: a glob checked without backtracking, so a pattern of many stars against
// long ids ends at once instead of after hours (issue 24, point 11).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { globMatcher, globSteps } from "../../host/cli/glob.ts";
import { MqttClient } from "../../host/mqtt/index.ts";
import { type Broker, startMosquitto } from "../helpers/broker.ts";
import { mcu, mcuBin } from "../helpers/cli.ts";

let broker: Broker;
const LONG = "a".repeat(23); // the longest id there is
before(async () => {
  mcuBin();
  broker = await startMosquitto();
  const pub = new MqttClient({ host: broker.host, port: broker.port, clientId: "match-statuses" });
  await pub.connect();
  for (const id of [LONG, `${LONG.slice(1)}b`, "kitchen-1", "kitchen-2", "hall"])
    await pub.publish(`glob/${id}/status`, JSON.stringify({ state: "online" }), { qos: 1, retain: true });
  await pub.end();
});
after(() => broker.stop());

// As a regular expression (^.*.*…Z$) this backtracks through every way of sharing a 23-character
// id among 40 stars: about 10^17 steps (8 stars on 5,000 ids took 48 s).
const PATHOLOGICAL = `${"*".repeat(40)}Z`;

test("devices --match with a pattern that backtracks for hours against long ids lists at once", {
  timeout: 120_000,
}, async () => {
  const r = await mcu(["devices", "--broker", broker.url, "--prefix", "glob", "--json", "--match", PATHOLOGICAL]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), []);
  const kitchens = await mcu(["devices", "--broker", broker.url, "--prefix", "glob", "--json", "--match", "kitchen-?"]);
  assert.deepEqual(
    (JSON.parse(kitchens.stdout) as { id: string }[]).map((d) => d.id),
    ["kitchen-1", "kitchen-2"],
  );
});

test("the matcher makes at most id length × pattern length comparisons, whatever the pattern", () => {
  const ids = Array.from({ length: 200 }, (_, i) => "a".repeat(100 + i));
  for (const pattern of [
    PATHOLOGICAL,
    `${"*a".repeat(15)}*c`,
    `${"*".repeat(10_000)}Z`,
    `${"*?".repeat(50)}b`,
    `*${"a".repeat(60)}b*`,
  ]) {
    for (const id of ids) {
      globSteps.count = 0;
      assert.equal(globMatcher(pattern)(id), false, pattern);
      assert.ok(
        globSteps.count <= id.length * pattern.length,
        `${pattern.slice(0, 20)}…: ${globSteps.count} steps on ${id.length} characters`,
      );
    }
  }
});

test("the matcher agrees with the glob's meaning: * any characters (none too), ? exactly one", () => {
  const cases: [string, string, boolean][] = [
    ["kitchen-*", "kitchen-", true],
    ["kitchen-*", "kitchen-12", true],
    ["kitchen-*", "hall", false],
    ["*-1", "kitchen-1", true],
    ["*-1", "kitchen-12", false],
    ["k?t*n-?", "kitchen-3", true],
    ["?", "", false],
    ["", "", true],
    ["*", "", true],
    ["a*b*c", "abc", true],
    ["a*b*c", "acb", false],
    ["a*ab", "aab", true],
    ["a*a", "a", false],
    ["*x*x*", "xx", true],
    ["*x*x*", "x", false],
    ["caf?", "café", true],
    ["a.b", "axb", false],
    ["(a|b)", "(a|b)", true],
  ];
  for (const [pattern, id, expected] of cases) assert.equal(globMatcher(pattern)(id), expected, `${pattern} on ${id}`);
});
