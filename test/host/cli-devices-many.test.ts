// mcu devices with many boards: 5,000 retained statuses on a stock Mosquitto, listed in id order
// (dev2 before dev10), filtered by --state and --match.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { MqttClient } from "../../host/mqtt/index.ts";
import { type Broker, startMosquitto } from "../helpers/broker.ts";
import { mcu, mcuBin } from "../helpers/cli.ts";

const BOARDS = 5000;
let broker: Broker;
const stateOf = (i: number) => (i % 3 === 0 ? "offline" : "online");

before(async () => {
  mcuBin();
  broker = await startMosquitto();
  const pub = new MqttClient({ host: broker.host, port: broker.port, clientId: "many-statuses" });
  await pub.connect();
  for (let i = 0; i < BOARDS; i += 250) {
    const batch = Array.from({ length: Math.min(250, BOARDS - i) }, (_, k) => i + k);
    await Promise.all(
      batch.map((n) =>
        pub.publish(`fleet/dev${n}/status`, JSON.stringify({ state: stateOf(n), heap: n }), { qos: 1, retain: true }),
      ),
    );
  }
  await pub.end();
});
after(() => broker.stop());

interface Row {
  id: string;
  state: string;
}

async function devices(args: string[]): Promise<Row[]> {
  const r = await mcu(["devices", "--broker", broker.url, "--prefix", "fleet", "--timeout", "20", "--json", ...args]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Row[];
}

test("5,000 retained statuses are all listed, in id order with numbers compared as numbers", async () => {
  const rows = await devices([]);
  assert.equal(rows.length, BOARDS);
  assert.deepEqual(
    rows.map((r) => r.id),
    Array.from({ length: BOARDS }, (_, i) => `dev${i}`),
  );
});

test("--state and --match keep the devices asked for, and nothing else", async () => {
  const rows = await devices(["--state", "offline", "--match", "dev1?"]);
  const expected = Array.from({ length: 10 }, (_, i) => 10 + i).filter((n) => stateOf(n) === "offline");
  assert.deepEqual(
    rows.map((r) => r.id),
    expected.map((n) => `dev${n}`),
  );
  assert.ok(rows.every((r) => r.state === "offline"));
  const none = await mcu(["devices", "--broker", broker.url, "--prefix", "fleet", "--match", "nothing-*"]);
  assert.equal(none.code, 0, none.stderr);
  assert.match(none.stdout, new RegExp(`no devices under fleet/ that match \\(${BOARDS} in all\\)`));
});
