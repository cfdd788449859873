// mcu send and mcu serve, run as a user runs them (the bundled CLI) against a real Mosquitto.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { IN, MESSAGE_QOS, OUT, topic } from "../../firmware/src/contract.ts";
import { type Message, MqttClient } from "../../host/mqtt/index.ts";
import { boardEchoLimit, boardPayloadLimit } from "../../host/payload-limits.ts";
import { type Broker, startAedes, startMosquitto } from "../helpers/broker.ts";
import { mcuBin } from "../helpers/cli.ts";
import { writeConfig } from "../helpers/firmware.ts";
import { flood } from "../helpers/flood.ts";
import { waitFor, waitForMatch } from "../helpers/wait.ts";

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
  return new Promise<Run>((resolve) =>
    child.on("close", (code) => resolve({ code, stdout: Buffer.concat(out), stderr: err })),
  );
}

const untilSubscribed = (stderr: () => string) => waitForMatch(stderr, /subscribed to/);

/** Waits until `check` holds, up to a generous bound; the caller asserts what it waited for. */
const until = (check: () => boolean, ms = 20000) => waitFor(check, ms);

/** A test client subscribed to `filter`, collecting payloads. */
async function subscriber(b: Broker, filter: string) {
  const c = new MqttClient({ host: b.host, port: b.port, clientId: `sub-${process.pid}-${filter}` });
  const got: Message[] = [];
  c.on("message", (m: Message) => got.push(m));
  await c.connect();
  await c.subscribe(filter, 1);
  return { got, client: c };
}

function serveInBackground(args: string[]) {
  const child = spawn(process.execPath, ["dist/mcu.js", "serve", "--broker", broker.url, ...args]);
  const out: Buffer[] = [];
  let err = "";
  child.stdout.on("data", (d: Buffer) => out.push(d));
  child.stderr.on("data", (d: Buffer) => (err += d));
  const done = new Promise<Run>((resolve) =>
    child.on("close", (code) => resolve({ code, stdout: Buffer.concat(out), stderr: err })),
  );
  return { done, kill: () => child.kill("SIGINT"), stderr: () => err };
}

test("binary payloads go send → broker → serve --json byte for byte", async () => {
  const payloads = [
    Buffer.from([0, 1, 0, 255]),
    Buffer.from([0xc3, 0x28, 0xa0, 0xa1]),
    Buffer.alloc(0),
    Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
    Buffer.from("plain text"),
  ];
  const serve = serveInBackground([
    "--device",
    "bin1",
    "--json",
    "--count",
    String(payloads.length),
    "--timeout",
    "20",
  ]);
  await untilSubscribed(serve.stderr);
  for (const p of payloads) {
    const r = await mcu(["send", "--broker", broker.url, "--topic", "nodemcu/bin1/out", "--whole"], { input: p });
    assert.equal(r.code, 0, r.stderr);
  }
  const r = await serve.done;
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout
    .toString()
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { topic: string; payload: string; encoding: string });
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
  const r = await mcu(["send", "--broker", broker.url, "--device", "echo1", "--wait", "--timeout", "10"], {
    input: "alpha\r\nbeta\n\nlast",
  });
  board.kill();
  await board.done;
  assert.equal(r.code, 0, r.stderr);
  const echoes = r.stdout.toString().trim().split("\n");
  assert.equal(echoes.length, 4);
  // Split on "\n" only: the "\r" stays in the message, and the echo shows it escaped.
  assert.match(echoes[0]!, /^echo from echo1 in \d+(\.\d+)? ms: alpha\\r$/);
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
  let denied = await mcu(["send", "--broker", secured.url, "--username", "pc", "--device", "k", "hi"], {
    env: { MQTT_PASSWORD: "wrong" },
  });
  for (let i = 0; i < 2 && denied.code === 1; i++) {
    denied = await mcu(["send", "--broker", secured.url, "--username", "pc", "--device", "k", "hi"], {
      env: { MQTT_PASSWORD: "wrong" },
    });
  }
  assert.ok(denied.code === 4 || denied.code === 5, `exit ${denied.code}: ${denied.stderr}`);
  assert.match(denied.stderr, /bad user name or password|not authorized/);
  const ok = await mcu(["send", "--broker", secured.url, "--username", "pc", "--device", "k", "--verbose", "hi"], {
    env: { MQTT_PASSWORD: "pc-secret-9" },
  });
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
  writeFileSync(
    hook,
    `process.on("exit", () => require("fs").writeFileSync(${JSON.stringify(report)}, JSON.stringify([...process.moduleLoadList, ...Object.keys(require.cache)])))`,
  );
  const loaded = async (args: string[]) => {
    const out = openSync(join(dir, "output"), "w");
    await new Promise((resolve) =>
      spawn(process.execPath, ["-r", hook, "dist/mcu.js", ...args], { stdio: ["ignore", out, out] }).on(
        "close",
        resolve,
      ),
    );
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
    const child = spawn(process.execPath, [
      "dist/mcu.js",
      "serve",
      "--broker",
      aedes.url,
      "--device",
      "ae",
      "--count",
      "1",
      "--timeout",
      "10",
    ]);
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
  const configFile = writeConfig({
    id: "small",
    wifi: { ssid: "n" },
    mqtt: { host: broker.host, port: broker.port, maxMessageLength: 200 },
  });
  const limit = boardPayloadLimit(200, topic("nodemcu", "small", IN), MESSAGE_QOS);
  const fits = await mcu(["send", "--config", configFile, "x".repeat(limit)]);
  assert.equal(fits.code, 0, fits.stderr);
  assert.doesNotMatch(fits.stderr, /warning/);
  const over = await mcu(["send", "--config", configFile, "x".repeat(limit + 1)]);
  assert.equal(over.code, 0, over.stderr);
  assert.match(
    over.stderr,
    new RegExp(
      `warning: message 1 is ${limit + 1} bytes; small takes at most ${limit} on its in topic \\(maxMessageLength 200 in the config file\\), so the board will drop it`,
    ),
  );
  const other = await mcu(["send", "--config", configFile, "--device", "other", "x".repeat(limit + 1)]);
  assert.doesNotMatch(other.stderr, /warning/, "another device's limit is not known");
});

test("send warns when the configured board takes a payload in but cannot echo it (NodeMCU's 1460-byte build buffer)", async () => {
  const configFile = writeConfig({
    id: "wide",
    wifi: { ssid: "n" },
    mqtt: { host: broker.host, port: broker.port, maxMessageLength: 2048 },
  });
  const echo = boardEchoLimit(topic("nodemcu", "wide", OUT), MESSAGE_QOS);
  assert.ok(echo < boardPayloadLimit(2048, topic("nodemcu", "wide", IN), MESSAGE_QOS));
  const fits = await mcu(["send", "--config", configFile, "x".repeat(echo)]);
  assert.doesNotMatch(fits.stderr, /warning/);
  const over = await mcu(["send", "--config", configFile, "x".repeat(echo + 1)]);
  assert.equal(over.code, 0, over.stderr);
  assert.match(
    over.stderr,
    new RegExp(`warning: message 1 is ${echo + 1} bytes; wide takes it in but can echo at most ${echo} .*dropped`),
  );
});

test("piped send waits for room instead of overflowing the client's queue: 1,500 lines at QoS 1 all arrive", async () => {
  const sub = await subscriber(broker, "p5/lines");
  const numbers = Array.from({ length: 1500 }, (_, i) => String(i + 1));
  const r = await mcu(["send", "--broker", broker.url, "--topic", "p5/lines"], { input: numbers.join("\n") + "\n" });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, "");
  await until(() => sub.got.length >= numbers.length);
  assert.deepEqual(
    sub.got.map((m) => m.payload.toString()),
    numbers,
  );
  await sub.client.end();
});

test("piped lines are bytes split on \\n only: invalid UTF-8, NUL and \\r arrive as sent", async () => {
  const sub = await subscriber(broker, "p6/bytes");
  // A 200 KB line spans several reads of the pipe; the last line has no "\n".
  const long = Buffer.from(Array.from({ length: 200_000 }, (_, i) => 0x80 + (i % 128)));
  const lines = [
    Buffer.from("caf\xe9\xff\x00end", "latin1"),
    Buffer.from("a\rb\r"),
    Buffer.alloc(0),
    long,
    Buffer.from("tail"),
  ];
  const input = Buffer.concat(lines.flatMap((l) => [l, Buffer.from("\n")]).slice(0, -1));
  const r = await mcu(["send", "--broker", broker.url, "--topic", "p6/bytes"], { input });
  assert.equal(r.code, 0, r.stderr);
  await until(() => sub.got.length >= lines.length);
  assert.deepEqual(
    sub.got.map((m) => m.payload),
    lines,
  );
  await sub.client.end();
});

test("serve respects stdout backpressure: at QoS 0 it drops and counts, at QoS 1 it stops reading the broker", async () => {
  const total = 500;
  for (const qos of [0, 1]) {
    const t = `p7/q${qos}`;
    const child = spawn(process.execPath, [
      "dist/mcu.js",
      "serve",
      "--broker",
      broker.url,
      "--topic",
      t,
      "--qos",
      String(qos),
      "--verbose",
    ]);
    try {
      let err = "";
      child.stderr.on("data", (d: Buffer) => (err += d));
      const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
      await until(() => /subscribed to/.test(err));
      // 4 MB of output while nobody reads serve's stdout: far over what the pipe and node's stream hold.
      const pub = new MqttClient({ host: broker.host, port: broker.port, clientId: `flood-${process.pid}-${qos}` });
      await pub.connect();
      await Promise.all(Array.from({ length: total }, (_, i) => pub.publish(t, `${i} `.padEnd(8192, "x"), { qos: 1 })));
      await pub.end();
      await until(() => /stdout is full/.test(err));
      assert.match(
        err,
        qos === 0
          ? /stdout is full \(its reader is behind\): dropping QoS 0 messages until it drains/
          : /stopped reading from the broker until it drains/,
      );
      let lines = 0;
      child.stdout.on("data", (d: Buffer) => (lines += d.toString().split("\n").length - 1));
      if (qos === 0) await until(() => /dropped \d+ message\(s\) while stdout was full/.test(err));
      else await until(() => lines === total);
      child.kill("SIGINT");
      assert.equal(await closed, 0, err);
      if (qos === 0) {
        const dropped = Number(/dropped (\d+) message\(s\) in all because stdout was full/.exec(err)?.[1]);
        assert.ok(dropped > 0 && lines + dropped <= total, `${lines} printed, ${dropped} dropped of ${total}: ${err}`);
      } else {
        assert.equal(lines, total, "at QoS 1 nothing is dropped");
        assert.doesNotMatch(err, /dropped/);
      }
    } finally {
      child.kill();
    }
  }
});

test("serve prints every QoS 0 message of a burst as fast as the broker sends it, while its reader keeps up", async () => {
  // A stream's write() says "hold on" past 16 KB, which one chunk of a fast burst is: serve once
  // took that for a reader that had fallen behind and dropped thousands of 100,000.
  const total = 100_000;
  const child = spawn(process.execPath, [
    "dist/mcu.js",
    "serve",
    "--broker",
    broker.url,
    "--topic",
    "p7/burst",
    "--qos",
    "0",
    "--count",
    String(total),
    "--timeout",
    "120",
  ]);
  let err = "";
  let lines = 0;
  child.stderr.on("data", (d: Buffer) => (err += d));
  child.stdout.on("data", (d: Buffer) => {
    for (let i = d.indexOf(10); i !== -1; i = d.indexOf(10, i + 1)) lines++;
  });
  const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
  try {
    await until(() => /subscribed to/.test(err));
    await flood(broker.port, "p7/burst", total, (i) => `message ${i} ${"x".repeat(40)}`);
    assert.equal(await closed, 0, err);
    assert.doesNotMatch(err, /dropped/);
    assert.equal(lines, total);
  } finally {
    child.kill();
  }
});

test("serve without --json escapes control characters in topics and payloads", async () => {
  // Mosquitto refuses control characters in topics; aedes passes them on, as some brokers do.
  const aedes = await startAedes();
  try {
    const serve = spawn(process.execPath, [
      "dist/mcu.js",
      "serve",
      "--broker",
      aedes.url,
      "--topic",
      "p10/#",
      "--count",
      "3",
      "--timeout",
      "10",
    ]);
    let out = "";
    let err = "";
    serve.stdout.on("data", (d) => (out += d));
    serve.stderr.on("data", (d) => (err += d));
    const closed = new Promise<number | null>((resolve) => serve.on("close", resolve));
    await until(() => /subscribed to/.test(err));
    const pub = new MqttClient({ host: aedes.host, port: aedes.port, clientId: "p10" });
    await pub.connect();
    await pub.publish("p10/\u001b]0;title\u0007", "plain", { qos: 1 });
    await pub.publish("p10/c1", "red\u009b31m", { qos: 1 });
    await pub.publish("p10/esc", "\u001b[2Jgone\r\n", { qos: 1 });
    await pub.end();
    assert.equal(await closed, 0, err);
    assert.doesNotMatch(
      out,
      /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/,
      "a raw control character reached the terminal",
    );
    assert.match(out, / p10\/\\x1b\]0;title\\x07 plain\n/);
    assert.match(out, / p10\/c1 red\\x9b31m\n/);
    assert.match(out, / p10\/esc \\x1b\[2Jgone\\r\\n\n/);
  } finally {
    await aedes.stop();
  }
});

test("mqtts:// to a plain MQTT port names TLS instead of a bare connection reset", async () => {
  const r = await mcu(["send", "--broker", `mqtts://127.0.0.1:${broker.port}`, "--topic", "t", "hi"]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /TLS handshake with 127\.0\.0\.1:\d+ failed \(.+\): is the broker's port TLS\?/);
});

test("topics with characters brokers refuse (control characters, non-characters) are exit 2 before connecting", async () => {
  const cases: [string, string, RegExp][] = [
    [
      "send",
      "a\u0001b",
      /--topic: topic contains U\+0001, a control character, at character 2: MQTT brokers refuse it/,
    ],
    ["send", "room/\u001b[31m", /contains U\+001B, a control character, at character 6/],
    ["send", "a\u007f", /contains U\+007F, a control character/],
    ["send", "x\uffff", /contains U\+FFFF, a Unicode non-character/],
    ["serve", "a/\u0085/#", /--topic: topic filter contains U\+0085, a control character/],
  ];
  for (const [verb, t, message] of cases) {
    // The broker is down on purpose: the check must come before connecting.
    const r = await mcu([verb, "--broker", "mqtt://127.0.0.1:1", "--topic", t, ...(verb === "send" ? ["hi"] : [])]);
    assert.equal(r.code, 2, `${verb} --topic ${JSON.stringify(t)}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
});

test("a payload over MQTT's largest packet is exit 2 naming the limit", async () => {
  const dir = mkdtempSync(join(tmpdir(), "mcu-big-"));
  try {
    const file = join(dir, "300MB.bin");
    writeFileSync(file, "");
    truncateSync(file, 300 * 1024 * 1024); // sparse: no 300 MB written to disk
    const r = await mcu(["send", "--broker", broker.url, "--topic", "big", "--file", file]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /the message is 314572800 bytes; an MQTT packet holds at most 268435455 bytes after its header/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
