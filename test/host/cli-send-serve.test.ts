// mcu send and mcu serve, run as a user runs them (the bundled CLI) against a real Mosquitto.
import { mcuBin } from "../helpers/pty-board.ts";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { IN, topic } from "../../firmware/src/contract.ts";
import { boardPayloadLimit } from "../../firmware/src/names.ts";
import { startAedes, startMosquitto, type Broker } from "../helpers/broker.ts";
import { writeConfig } from "../helpers/firmware.ts";

let broker: Broker;
let secured: Broker;

before(async () => {
  mcuBin(); // never rebuild dist/ while other test files run the CLI from it
  [broker, secured] = await Promise.all([startMosquitto(), startMosquitto({ users: { pc: "pc-secret-9" } })]);
});
after(() => Promise.all([broker.stop(), secured.stop()]));

interface Run {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

function mcu(args: string[], opts: { input?: Buffer | string; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  const child = spawn(process.execPath, ["dist/mcu.js", ...args], { env: { ...process.env, ...opts.env } });
  const out: Buffer[] = [];
  let err = "";
  child.stdout.on("data", (d: Buffer) => out.push(d));
  child.stderr.on("data", (d: Buffer) => (err += d));
  child.stdin.end(opts.input ?? "");
  return new Promise<Run>((resolve) => child.on("close", (code) => resolve({ code, stdout: Buffer.concat(out), stderr: err })));
}

async function untilSubscribed(stderr: () => string): Promise<void> {
  for (let i = 0; i < 100 && !/subscribed to/.test(stderr()); i++) await new Promise((r) => setTimeout(r, 50));
  assert.match(stderr(), /subscribed to/);
}

function serveInBackground(args: string[]) {
  const child = spawn(process.execPath, ["dist/mcu.js", "serve", "--broker", broker.url, ...args]);
  const out: Buffer[] = [];
  let err = "";
  child.stdout.on("data", (d: Buffer) => out.push(d));
  child.stderr.on("data", (d: Buffer) => (err += d));
  const done = new Promise<Run>((resolve) => child.on("close", (code) => resolve({ code, stdout: Buffer.concat(out), stderr: err })));
  return { done, kill: () => child.kill("SIGINT"), stderr: () => err };
}

test("binary payloads go send → broker → serve --json byte for byte", async () => {
  const payloads = [Buffer.from([0, 1, 0, 255]), Buffer.from([0xc3, 0x28, 0xa0, 0xa1]), Buffer.alloc(0), Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.from("plain text")];
  const serve = serveInBackground(["--device", "bin1", "--json", "--count", String(payloads.length), "--timeout", "20"]);
  await untilSubscribed(serve.stderr);
  for (const p of payloads) {
    const r = await mcu(["send", "--broker", broker.url, "--topic", "nodemcu/bin1/out", "--whole"], { input: p });
    assert.equal(r.code, 0, r.stderr);
  }
  const r = await serve.done;
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.toString().trim().split("\n").map((l) => JSON.parse(l) as { topic: string; payload: string; encoding: string });
  assert.equal(lines.length, payloads.length);
  lines.forEach((l, i) => {
    const got = Buffer.from(l.payload, l.encoding === "base64" ? "base64" : "utf8");
    assert.deepEqual(got, payloads[i], `message ${i}`);
    assert.equal(l.topic, "nodemcu/bin1/out");
  });
  assert.equal(lines[4]!.encoding, "utf8");
  assert.equal(lines[1]!.encoding, "base64");
});

test("piped lines are one message each; send --wait prints each echo from serve --echo", async () => {
  const board = serveInBackground(["--device", "echo1", "--echo"]);
  await untilSubscribed(board.stderr);
  const r = await mcu(["send", "--broker", broker.url, "--device", "echo1", "--wait", "--timeout", "10"], { input: "alpha\r\nbeta\n\nlast" });
  board.kill();
  await board.done;
  assert.equal(r.code, 0, r.stderr);
  const echoes = r.stdout.toString().trim().split("\n");
  assert.equal(echoes.length, 4);
  assert.match(echoes[0]!, /^echo from echo1 in \d+(\.\d+)? ms: alpha$/);
  assert.match(echoes[1]!, /: beta$/);
  assert.match(echoes[2]!, /ms: $/);
  assert.match(echoes[3]!, /: last$/);
});

test("exit codes: refused 1, bad credentials 4 or 5, timeout 27, bad arguments 2", async () => {
  const refused = await mcu(["send", "--broker", "mqtt://127.0.0.1:1", "--device", "k", "hi"]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /127\.0\.0\.1:1/);
  // Under load the refusal is now and then seen as a reset link (exit 1) instead of the CONNACK
  // code (open issue: the close races the CONNACK); up to 3 tries, one must report the refusal.
  let denied = await mcu(["send", "--broker", secured.url, "--username", "pc", "--device", "k", "hi"], { env: { MQTT_PASSWORD: "wrong" } });
  for (let i = 0; i < 2 && denied.code === 1; i++) {
    denied = await mcu(["send", "--broker", secured.url, "--username", "pc", "--device", "k", "hi"], { env: { MQTT_PASSWORD: "wrong" } });
  }
  assert.ok(denied.code === 4 || denied.code === 5, `exit ${denied.code}: ${denied.stderr}`);
  assert.match(denied.stderr, /bad user name or password|not authorized/);
  const ok = await mcu(["send", "--broker", secured.url, "--username", "pc", "--device", "k", "--verbose", "hi"], { env: { MQTT_PASSWORD: "pc-secret-9" } });
  assert.equal(ok.code, 0, ok.stderr);
  assert.doesNotMatch(ok.stderr + ok.stdout.toString(), /pc-secret-9/);
  const waited = await mcu(["send", "--broker", broker.url, "--device", "nobody", "--wait", "--timeout", "0.5", "hi"]);
  assert.equal(waited.code, 27);
  assert.match(waited.stderr, /1 echo\(es\) from nobody missing/);
  const silent = await mcu(["serve", "--broker", broker.url, "--device", "quiet", "--timeout", "0.5"]);
  assert.equal(silent.code, 27);
  // The later of two values wins, so each case overrides a good default.
  for (const bad of [["--qos", "3"], ["--password", "x"], ["--device", "a+b"], ["--bogus"], ["--broker", "http://x"]]) {
    const r = await mcu(["send", "--broker", broker.url, "--device", "k", ...bad, "hi"]);
    assert.equal(r.code, 2, `${bad.join(" ")}: ${r.stderr}`);
    assert.ok(r.stderr.length > 0);
  }
  // Topics by MQTT's rules, refused before connecting (the broker here is down on purpose).
  const topics: [string, string, RegExp][] = [
    ["send", "a/+", /--topic: topic "a\/\+" contains a wildcard \(\+ or #\): messages go to a single topic/],
    ["send", "home/#", /--topic: topic "home\/#" contains a wildcard/],
    ["send", "", /--topic: topic must not be empty/],
    ["serve", "a/#/b", /--topic: topic filter "a\/#\/b": # must be a whole level and the last one/],
    ["serve", "a/b+", /--topic: topic filter "a\/b\+": \+ must be a whole level/],
  ];
  for (const [verb, t, message] of topics) {
    const r = await mcu([verb, "--broker", "mqtt://127.0.0.1:1", "--topic", t, ...(verb === "send" ? ["hi"] : [])]);
    assert.equal(r.code, 2, `${verb} --topic ${JSON.stringify(t)}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
  const spaced = await mcu(["send", "--broker", broker.url, "--topic", "a topic/with spaces", "hi"]);
  assert.equal(spaced.code, 0, `spaces are legal in MQTT topics: ${spaced.stderr}`);
});

test("--help shows an example for each verb and exits 0", async () => {
  for (const verb of ["send", "serve", "build"]) {
    const r = await mcu([verb, "--help"]);
    assert.equal(r.code, 0);
    assert.match(r.stdout.toString(), new RegExp(`example[s]?:\\n\\s+mcu ${verb}`));
  }
});

test("the CLI loads the network stack and native addons only when a verb needs them", async () => {
  // A preload that writes, at exit, which of node's modules and which files were loaded. All of
  // the CLI's output goes to a file: node builds a pipe's stream on node:net.
  const dir = mkdtempSync(join(tmpdir(), "mcu-load-"));
  const hook = join(dir, "report.cjs");
  const report = join(dir, "loaded.json");
  writeFileSync(hook, `process.on("exit", () => require("fs").writeFileSync(${JSON.stringify(report)}, JSON.stringify([...process.moduleLoadList, ...Object.keys(require.cache)])))`);
  const loaded = async (args: string[]) => {
    const out = openSync(join(dir, "output"), "w");
    await new Promise((resolve) => spawn(process.execPath, ["-r", hook, "dist/mcu.js", ...args], { stdio: ["ignore", out, out] }).on("close", resolve));
    closeSync(out);
    return JSON.parse(readFileSync(report, "utf8")) as string[];
  };
  try {
    const help = await loaded(["--help"]);
    assert.ok(!help.includes("NativeModule net"), "--help loads node:net");
    assert.ok(!help.some((m) => /serialport|node-pty|lua-wasm/.test(m)), "--help loads a native addon");
    const send = await loaded(["send", "--broker", broker.url, "--topic", "t", "hi"]);
    assert.ok(send.includes("NativeModule net"), "send ran without node:net: the probe is broken");
    assert.ok(!send.some((m) => /serialport|node-pty|lua-wasm/.test(m)), "send loads a native addon");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("mqtts: the right CA connects, a wrong CA fails with a certificate message, --insecure skips the check", async () => {
  const tlsBroker = await startMosquitto({ tls: true });
  try {
    const url = `mqtts://127.0.0.1:${tlsBroker.tlsPort}`;
    const good = await mcu(["send", "--broker", url, "--ca", tlsBroker.caFile!, "--device", "k", "hi"]);
    assert.equal(good.code, 0, good.stderr);
    const wrong = await mcu(["send", "--broker", url, "--ca", tlsBroker.otherCaFile!, "--device", "k", "hi"]);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /TLS: certificate verify failed .* --ca FILE/);
    const insecure = await mcu(["send", "--broker", url, "--insecure", "--device", "k", "hi"]);
    assert.equal(insecure.code, 0, insecure.stderr);
  } finally {
    await tlsBroker.stop();
  }
});

test("the same send and serve work against the embedded aedes broker", async () => {
  const aedes = await startAedes();
  try {
    const child = spawn(process.execPath, ["dist/mcu.js", "serve", "--broker", aedes.url, "--device", "ae", "--count", "1", "--timeout", "10"]);
    let err = "";
    let out = "";
    child.stderr.on("data", (d) => (err += d));
    child.stdout.on("data", (d) => (out += d));
    const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
    await untilSubscribed(() => err);
    const sent = await mcu(["send", "--broker", aedes.url, "--topic", "nodemcu/ae/out", "over aedes"]);
    assert.equal(sent.code, 0, sent.stderr);
    assert.equal(await closed, 0);
    assert.match(out, / nodemcu\/ae\/out over aedes\n$/);
  } finally {
    await aedes.stop();
  }
});

test("send warns when a payload is over what the configured board takes, and still sends it", async () => {
  const configFile = writeConfig({ id: "small", wifi: { ssid: "n" }, mqtt: { host: broker.host, port: broker.port, maxMessageLength: 200 } });
  const limit = boardPayloadLimit(200, topic("nodemcu", "small", IN), 1);
  const fits = await mcu(["send", "--config", configFile, "x".repeat(limit)]);
  assert.equal(fits.code, 0, fits.stderr);
  assert.doesNotMatch(fits.stderr, /warning/);
  const over = await mcu(["send", "--config", configFile, "x".repeat(limit + 1)]);
  assert.equal(over.code, 0, over.stderr);
  assert.match(over.stderr, new RegExp(`warning: message 1 is ${limit + 1} bytes; small takes at most ${limit} on its in topic \\(maxMessageLength 200 in the config file\\), so the board will drop it`));
  const other = await mcu(["send", "--config", configFile, "--device", "other", "x".repeat(limit + 1)]);
  assert.doesNotMatch(other.stderr, /warning/, "another device's limit is not known");
});
