// Whoever can publish on the broker must not drive the terminal of whoever reads mcu's output:
// every string from the broker (topics, payloads, retained statuses) is escaped in every verb's
// output, and --json stays valid JSON that parses back to the same strings (issue 24, point 7).
// The embedded broker (aedes) passes control characters in topics, which Mosquitto refuses.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { after, before, test } from "node:test";
import { MqttClient } from "../../host/mqtt/index.ts";
import { type Broker, startAedes } from "../helpers/broker.ts";
import { mcu, mcuBin } from "../helpers/cli.ts";
import { waitFor } from "../helpers/wait.ts";

/** OSC 0 (set the window title), and CSI as its one-character C1 form (U+009B). */
const TITLE = "x\x1b]0;PWNED\x07";
const CSI = "\u009b31mred";
/** Anything a terminal acts on: C0 but the line break, DEL, C1. */
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

let broker: Broker;
let pub: MqttClient;
before(async () => {
  mcuBin();
  broker = await startAedes();
  pub = new MqttClient({ host: broker.host, port: broker.port, clientId: "escape-publisher" });
  await pub.connect();
  await pub.publish(
    "esc/dev1/status",
    JSON.stringify({ state: `on${TITLE}`, ip: CSI, version: `v${TITLE}`, heap: 1 }),
    { qos: 1, retain: true },
  );
});
after(async () => {
  await pub.end();
  await broker.stop();
});

/** Runs `mcu serve` until it has printed `lines` lines, publishing `send` once it has subscribed. */
async function serve(args: string[], send: [string, string][]): Promise<{ out: string; err: string }> {
  const child = spawn(process.execPath, [
    mcuBin(),
    "serve",
    "--broker",
    broker.url,
    "--count",
    String(send.length),
    ...args,
  ]);
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString("latin1")));
  child.stderr.on("data", (d: Buffer) => (err += d.toString("latin1")));
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  assert.ok(await waitFor(() => err.includes("subscribed to")), err);
  for (const [t, p] of send) await pub.publish(t, p, { qos: 1 });
  assert.equal(await exited, 0, err);
  return { out: Buffer.from(out, "latin1").toString("utf8"), err };
}

test("serve escapes control characters in topics and payloads", async () => {
  const { out } = await serve(["--topic", "raw/#"], [[`raw/${TITLE}`, `${TITLE}${CSI}`]]);
  assert.doesNotMatch(out, RAW);
  assert.match(out, /raw\/x\\x1b\]0;PWNED\\x07 x\\x1b\]0;PWNED\\x07\\x9b31mred/);
});

test("serve --json is valid JSON with no raw control character, and parses back to the topic and payload", async () => {
  const { out } = await serve(
    ["--topic", "raw/#", "--json"],
    [
      [`raw/${CSI}`, CSI],
      [`raw/${TITLE}`, TITLE],
    ],
  );
  assert.doesNotMatch(out, RAW);
  const [first, second] = out
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { topic: string; payload: string; encoding: string });
  assert.deepEqual([first!.topic, first!.payload, first!.encoding], [`raw/${CSI}`, CSI, "utf8"]);
  assert.equal(second!.topic, `raw/${TITLE}`);
  assert.equal(Buffer.from(second!.payload, "base64").toString(), TITLE);
});

test("devices escapes retained statuses in its table and in --json", async () => {
  const table = await mcu(["devices", "--broker", broker.url, "--prefix", "esc"]);
  assert.equal(table.code, 0, table.stderr);
  const shown = Buffer.from(table.stdout, "latin1").toString("utf8");
  assert.doesNotMatch(shown, RAW);
  assert.match(shown, /onx\\x1b\]0;PWNED\\x07/);
  assert.match(shown, /\\x9b31mred/);
  const json = await mcu(["devices", "--broker", broker.url, "--prefix", "esc", "--json"]);
  const text = Buffer.from(json.stdout, "latin1").toString("utf8");
  assert.doesNotMatch(text, RAW);
  const [row] = JSON.parse(text) as { state: string; ip: string; version: string }[];
  assert.deepEqual([row!.state, row!.ip, row!.version], [`on${TITLE}`, CSI, `v${TITLE}`]);
});

test("send --wait escapes the echo it prints", async () => {
  const board = new MqttClient({ host: broker.host, port: broker.port, clientId: "escape-board" });
  await board.connect();
  board.on("message", (m: { payload: Buffer }) => void board.publish("esc/dev1/out", m.payload, { qos: 1 }));
  await board.subscribe("esc/dev1/in", 1);
  try {
    const r = await mcu([
      "send",
      "--broker",
      broker.url,
      "--prefix",
      "esc",
      "--device",
      "dev1",
      "--wait",
      `${TITLE}${CSI}`,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const shown = Buffer.from(r.stdout, "latin1").toString("utf8");
    assert.doesNotMatch(shown, RAW);
    assert.match(shown, /echo from dev1 in [\d.]+ ms: x\\x1b\]0;PWNED\\x07\\x9b31mred/);
  } finally {
    await board.end();
  }
});

test("ping's lines carry nothing of the echo but its length", async () => {
  const board = new MqttClient({ host: broker.host, port: broker.port, clientId: "escape-pinged" });
  await board.connect();
  board.on(
    "message",
    (m: { payload: Buffer }) =>
      void board.publish("esc/dev2/out", Buffer.concat([m.payload, Buffer.from(TITLE)]), { qos: 1 }),
  );
  await board.subscribe("esc/dev2/in", 1);
  try {
    const r = await mcu([
      "ping",
      "--broker",
      broker.url,
      "--prefix",
      "esc",
      "--device",
      "dev2",
      "--count",
      "2",
      "--interval",
      "0",
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout + r.stderr, RAW);
    assert.match(r.stdout, /2 received/);
  } finally {
    await board.end();
  }
});

test("an error message shows what it quotes escaped", async () => {
  const r = await mcu(["devices", "--broker", broker.url, "--prefix", `bad${TITLE}`]);
  assert.equal(r.code, 2);
  assert.doesNotMatch(r.stderr, RAW);
  assert.match(r.stderr, /topic prefix "badx\\x1b\]0;PWNED\\x07" contains a character/);
});
