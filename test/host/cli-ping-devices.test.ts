// mcu ping and mcu devices, run as the bundled CLI against a real Mosquitto.

import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { after, before, test } from "node:test";
import { IN, OFFLINE_PAYLOAD, OUT, STATUS, topic } from "../../firmware/src/contract.ts";
import { percentile } from "../../host/cli/percentile.ts";
import { summary } from "../../host/cli/ping.ts";
import { type Message, MqttClient } from "../../host/mqtt/index.ts";
import { type Broker, startMosquitto } from "../helpers/broker.ts";
import { mcuBin } from "../helpers/cli.ts";
import { onlineStatus } from "../helpers/status.ts";

let broker: Broker;
const children: ChildProcess[] = [];
const closers: (() => Promise<unknown>)[] = [];

before(async () => {
  mcuBin(); // never rebuild dist/ while other test files run the CLI from it
  broker = await startMosquitto();
});
after(async () => {
  for (const c of children) c.kill("SIGINT");
  for (const close of closers) await close();
  await broker.stop();
});

function run(args: string[], on: Broker = broker): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, ["dist/mcu.js", ...args, "--broker", on.url]);
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (err += d));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, out, err })));
}

/** A PC playing the board: `mcu serve --echo`, resolved once it is subscribed. */
function echoBoard(id: string): Promise<void> {
  const child = spawn(process.execPath, ["dist/mcu.js", "serve", "--echo", "--device", id, "--broker", broker.url]);
  children.push(child);
  let err = "";
  return new Promise((resolve, reject) => {
    child.stderr.on("data", (d) => {
      err += d;
      if (/subscribed to/.test(err)) resolve();
    });
    child.on("close", () => reject(new Error(`echo board exited: ${err}`)));
  });
}

test("ping: a line per reply and a ping(8)-style summary", async () => {
  await echoBoard("pinger");
  const r = await run(["ping", "--device", "pinger", "--count", "5", "--interval", "20", "--size", "64"]);
  assert.equal(r.code, 0, r.err);
  const replies = r.out.split("\n").filter((l) => /^64 bytes from pinger: seq=\d+ time=[\d.]+ ms$/.test(l));
  assert.equal(replies.length, 5);
  assert.match(
    r.out,
    /--- pinger ping statistics ---\n5 sent, 5 received, 0 lost \(0%\), 0 duplicates\nrtt min\/avg\/p50\/p99\/max = [\d.]+\/[\d.]+\/[\d.]+\/[\d.]+\/[\d.]+ ms/,
  );
});

/**
 * A board that echoes every message twice, back to back on one connection. (Two separate echo
 * boards made the last duplicate a race: ping ends once every request has its reply, as
 * ping(8) does, and a second board's copy could come after that.)
 */
async function doubleEchoBoard(id: string, on: Broker): Promise<void> {
  const c = new MqttClient({ host: on.host, port: on.port, clientId: `double-${id}` });
  await c.connect();
  c.on("message", (m: Message) => {
    for (let i = 0; i < 2; i++) c.publish(topic("nodemcu", id, OUT), m.payload, { qos: 1 }).catch(() => {});
  });
  await c.subscribe(topic("nodemcu", id, IN), 1);
  closers.push(() => c.end());
}

test("ping: duplicated echoes are matched to their request and counted", async () => {
  // On a stock Mosquitto the broker's Nagle can hold the second of two back-to-back copies until
  // the PC's delayed ACK (~40 ms), after ping has had its last reply and ended (seen in a CI run:
  // 2 of 3 duplicates). This test is about matching duplicates, so its broker sends at once.
  const tuned = await startMosquitto({ tcpNoDelay: true });
  closers.push(() => tuned.stop());
  await doubleEchoBoard("twice", tuned);
  const r = await run(["ping", "--device", "twice", "--count", "3", "--interval", "20"], tuned);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /3 sent, 3 received, 0 lost \(0%\), 3 duplicates/);
  assert.equal(r.out.split("\n").filter((l) => l.endsWith("(DUP!)")).length, 3);
});

test("ping: no device answering is exit 27 with everything lost", async () => {
  const r = await run(["ping", "--device", "nobody", "--count", "2", "--interval", "10", "--timeout", "0.3"]);
  assert.equal(r.code, 27);
  assert.match(r.out, /2 sent, 0 received, 2 lost \(100%\)/);
});

test("ping statistics: nearest-rank percentiles", () => {
  const s = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(percentile(s, 50), 50);
  assert.equal(percentile(s, 99), 99);
  assert.equal(percentile([7], 99), 7);
  assert.match(
    summary("x", 4, [1, 2, 3], 0),
    /4 sent, 3 received, 1 lost \(25%\), 0 duplicates\nrtt min\/avg\/p50\/p99\/max = 1\.000\/2\.000\/2\.000\/3\.000\/3\.000 ms/,
  );
});

test("devices lists retained statuses, online and offline, and survives a bad one", async () => {
  const c = new MqttClient({ host: broker.host, port: broker.port, clientId: "status-writer" });
  await c.connect();
  await c.publish(topic("fleet", "k1", STATUS), onlineStatus("9.9.9+x", "10.1.2.3", 31337, 0, 0), {
    qos: 1,
    retain: true,
  });
  await c.publish(topic("fleet", "k2", STATUS), OFFLINE_PAYLOAD, { qos: 1, retain: true });
  await c.publish(topic("fleet", "k3", STATUS), "not json", { qos: 1, retain: true });
  await c.end();
  const r = await run(["devices", "--prefix", "fleet", "--json"]);
  assert.equal(r.code, 0, r.err);
  const rows = JSON.parse(r.out) as { id: string; state: string; ip: string; heap: number | null; version: string }[];
  assert.deepEqual(
    rows.map((x) => [x.id, x.state]),
    [
      ["k1", "online"],
      ["k2", "offline"],
      ["k3", "invalid status"],
    ],
  );
  assert.deepEqual(rows[0], {
    id: "k1",
    state: "online",
    ip: "10.1.2.3",
    heap: 31337,
    version: "9.9.9+x",
    changed: "retained",
  });
  const text = await run(["devices", "--prefix", "fleet"]);
  assert.match(
    text.out,
    /^id\s+state\s+ip\s+heap\s+version\s+changed\nk1\s+online\s+10\.1\.2\.3\s+31337\s+9\.9\.9\+x\s+retained/,
  );
});

test("devices escapes control characters in statuses; --json keeps them exact", async () => {
  const state = "\u001b[31mPWNED\u001b]0;title\u0007";
  const c = new MqttClient({ host: broker.host, port: broker.port, clientId: "evil-writer" });
  await c.connect();
  await c.publish(topic("evil", "k9", STATUS), JSON.stringify({ state, ip: "10.0.0.9\u009b", version: "1\r\n2" }), {
    qos: 1,
    retain: true,
  });
  await c.end();
  const text = await run(["devices", "--prefix", "evil"]);
  assert.equal(text.code, 0, text.err);
  assert.doesNotMatch(
    text.out,
    /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/,
    "a raw control character reached the terminal",
  );
  assert.match(text.out, /\nk9\s+\\x1b\[31mPWNED\\x1b\]0;title\\x07\s+10\.0\.0\.9\\x9b\s+1\\r\\n2\s+retained\n/);
  const json = await run(["devices", "--prefix", "evil", "--json"]);
  assert.equal((JSON.parse(json.out) as { state: string }[])[0]!.state, state);
});
