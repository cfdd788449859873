// mcu serve --share GROUP: several serves in one shared subscription split the messages between
// them, each message printed by exactly one, on a stock Mosquitto.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { after, before, test } from "node:test";
import { MqttClient } from "../../host/mqtt/index.ts";
import { type Broker, startMosquitto } from "../helpers/broker.ts";
import { mcu, mcuBin } from "../helpers/cli.ts";
import { waitFor } from "../helpers/wait.ts";

let broker: Broker;
before(async () => {
  mcuBin();
  broker = await startMosquitto();
});
after(() => broker.stop());

interface Serve {
  child: ChildProcess;
  out: () => string;
  err: () => string;
}

function serve(args: string[]): Serve {
  const child = spawn(process.execPath, ["dist/mcu.js", "serve", "--broker", broker.url, ...args]);
  let out = "";
  let err = "";
  child.stdout!.on("data", (d: Buffer) => (out += d));
  child.stderr!.on("data", (d: Buffer) => (err += d));
  return { child, out: () => out, err: () => err };
}

const payloads = (s: Serve) =>
  s
    .out()
    .split("\n")
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { payload: string }).payload);

test("two serves sharing a group print every message exactly once between them, each a share", async () => {
  const a = serve(["--topic", "shared/+/out", "--share", "printers", "--json"]);
  const b = serve(["--topic", "shared/+/out", "--share", "printers", "--json"]);
  try {
    assert.ok(
      await waitFor(() => [a, b].every((s) => s.err().includes("subscribed to $share/printers/shared/+/out")), 20000),
      a.err() + b.err(),
    );
    const pub = new MqttClient({ host: broker.host, port: broker.port, clientId: "share-publisher" });
    await pub.connect();
    const sent = Array.from({ length: 200 }, (_, i) => `m${i}`);
    for (const [i, m] of sent.entries()) await pub.publish(`shared/dev${i % 4}/out`, m, { qos: 1 });
    await pub.end();
    assert.ok(
      await waitFor(() => payloads(a).length + payloads(b).length >= sent.length, 20000),
      `${payloads(a).length} + ${payloads(b).length}`,
    );
    const all = [...payloads(a), ...payloads(b)];
    assert.deepEqual([...all].sort(), [...sent].sort(), "a message was lost or printed twice");
    assert.ok(payloads(a).length > 0 && payloads(b).length > 0, "one serve got every message: nothing was shared");
  } finally {
    a.child.kill("SIGINT");
    b.child.kill("SIGINT");
  }
});

test("--share refuses a group name MQTT does not allow", async () => {
  for (const bad of ["", "a/b", "a+", "#"]) {
    const r = await mcu(["serve", "--broker", broker.url, "--all", "--share", bad]);
    assert.equal(r.code, 2, bad);
    assert.match(r.stderr, /a group name is one or more characters without/);
  }
});

test("--share refuses before connecting a group brokers refuse: a control character, or too long for a topic", async () => {
  const long = "g".repeat(70_000);
  const tooLong = await mcu(["serve", "--broker", broker.url, "--all", "--share", long]);
  assert.equal(tooLong.code, 2, tooLong.stderr);
  assert.match(tooLong.stderr, /would be 70\d{3} bytes long; MQTT allows 65535: use a shorter group name/);
  assert.ok(tooLong.stderr.length < 1000, "the message repeats the whole group name");
  const control = await mcu(["serve", "--broker", broker.url, "--all", "--share", "print\x01ers"]);
  assert.equal(control.code, 2, control.stderr);
  assert.match(control.stderr, /the group name contains U\+0001, a control character, at character 6/);
  assert.doesNotMatch(control.stderr, /\x01/);
  // A group that fits alone but not with a long filter.
  const filter = `t/${"f".repeat(40_000)}`;
  const both = await mcu(["serve", "--broker", broker.url, "--topic", filter, "--share", "g".repeat(30_000)]);
  assert.equal(both.code, 2, both.stderr);
  assert.match(both.stderr, /bytes long; MQTT allows 65535/);
});
