// Issue 24 point 2: no message on ota/in may panic a board, and no answer on ota/status may throw in
// mcu ota. 10,000 seeded cases (SOAK=1: 100,000; FUZZ_SEED=<n> replays) handed straight to the
// receiver on an emulated board's Lua runtime (test/helpers/ota-lab.ts), with and without a secret,
// a few hundred over a real Mosquitto to a booted board, and mcu ota's parsers of the board's answers.
import assert from "node:assert/strict";
import { copyFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { topic } from "../../firmware/src/contract.ts";
import { OTA_IN, OTA_STATUS } from "../../firmware/src/otacontract.ts";
import { MqttClient } from "../../host/mqtt/index.ts";
import { parseStatus } from "../../host/status.ts";
import { RECOMMENDED_BUILD } from "../../tools/nodemcu/builds.ts";
import { parseAnswer, parseManifest, signed } from "../../tools/ota/update.ts";
import { adler32 } from "../../tools/serial/adler32.ts";
import { type Broker, startMosquitto } from "../helpers/broker.ts";
import { buildOnce, flashedBoard } from "../helpers/firmware.ts";
import { fuzzSeed, mutate, randomBuffer, rng } from "../helpers/fuzz.ts";
import { type OtaLab, otaLab } from "../helpers/ota-lab.ts";
import { waitUntil } from "../helpers/wait.ts";

const SOAK = process.env.SOAK === "1";
const CASES = SOAK ? 100_000 : 10_000;
const OVER_MQTT = SOAK ? 2000 : 300;
const SECRET = "s3cret-for-the-ota-fuzz-test";
const OTA = { ota: {} };
const SIGNED = { ota: { secret: SECRET } };

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

const VERSIONS = [
  "1.0.0+a",
  "1%9",
  "%",
  "",
  '"',
  "v\\",
  "x".repeat(41),
  "2.0.0+b",
  "a b",
  "\x1b[31m",
  "\xff\xfe",
  "1.0.0+a\n",
];
const TOKENS = ["t1", "t2", "", "%d", '"q', "x".repeat(41), "-"];
const NAMES = [
  "app.lua",
  "init.lua",
  "config.lua",
  "/FLASH/init.lua",
  "/FLASHconfig.lua",
  "/FLASH//app.lua",
  "/SD0/app.lua",
  "n~app.lua",
  "o~app.lua",
  "ota.st",
  "+app.lua",
  "x".repeat(29),
  "x".repeat(30),
  'q"x.lua',
  "%s.lua",
  "a;b",
  "é.lua",
  "",
  "new.lua",
  "ota.lua",
];
const NUMBERS = ["0", "1", "5", "-1", "abc", "1e9", "99999999999999999999", "65535", "65536", "4194303", "0x10", " "];
const SHAS = ["-", "0".repeat(32), "0".repeat(64), "g".repeat(32), "ab", "A".repeat(32), "%x"];

/** A begin command: mostly well formed, with words drawn from what has broken boards before. */
function begin(r: () => number): string {
  const words = ["b", pick(r, VERSIONS), r() < 0.8 ? "-" : pick(r, ["0123abcd", "zz", ""]), pick(r, TOKENS)];
  // Mostly a few files; now and then more than a begin may name (OTA_MAX_FILES).
  for (let n = r() < 0.05 ? 17 + Math.floor(r() * 80) : Math.floor(r() * 4); n > 0; n--) {
    const data = randomBuffer(r, 40);
    const sum = adler32(data);
    const good = r() < 0.5;
    words.push(
      pick(r, NAMES),
      good ? String(data.length) : pick(r, NUMBERS),
      good ? String(sum % 65536) : pick(r, NUMBERS),
    );
    words.push(good ? String(Math.floor(sum / 65536)) : pick(r, NUMBERS), pick(r, SHAS));
  }
  // Now and then a word short or one too many.
  if (r() < 0.1) words.pop();
  if (r() < 0.1) words.push(pick(r, NAMES));
  return words.join(r() < 0.9 ? " " : pick(r, ["  ", "\t", " \n "]));
}

/** A chunk, usually for the file and offset the board last asked for. */
function chunk(r: () => number, asked: { file: number; at: number }): Buffer {
  const file = r() < 0.8 ? asked.file : pick(r, [0, 1, 2, -1, 99]);
  const at = r() < 0.8 ? asked.at : pick(r, [0, 1, 100, -5]);
  const head = r() < 0.9 ? `d ${file} ${at}\n` : pick(r, ["d ", "d 1", "d 1 0", "d x y\n", "d  1 0\n"]);
  return Buffer.concat([Buffer.from(head), randomBuffer(r, 60)]);
}

/** What a board takes on ota/in at the default max_message_length (1024) with this test's topic. */
const MAX_PAYLOAD = 990;

/** One case: a command, a mutation of one, or noise, cut to what the board's MQTT layer lets through. */
function payload(r: () => number, asked: { file: number; at: number }): Buffer {
  return anyPayload(r, asked).subarray(0, MAX_PAYLOAD);
}

function anyPayload(r: () => number, asked: { file: number; at: number }): Buffer {
  const x = r();
  if (x < 0.1) return Buffer.from(pick(r, ["m", "m ", " m", "M", "b", "   b   ", "d", ""]));
  if (x < 0.45) return Buffer.from(begin(r), "latin1");
  if (x < 0.8) return chunk(r, asked);
  if (x < 0.95) return mutate(r, Buffer.from(r() < 0.5 ? begin(r) : "d 1 0\nxyz", "latin1"));
  return randomBuffer(r, 200);
}

/** Every answer is JSON that mcu ota's parsers read without throwing; the last ask is remembered. */
function check(answers: string[], asked: { file: number; at: number }, what: string): void {
  for (const a of answers) {
    assert.doesNotThrow(() => JSON.parse(a), `${what}: not JSON: ${JSON.stringify(a)}`);
    const s = parseAnswer(Buffer.from(a, "latin1"));
    parseManifest(Buffer.from(a, "latin1"));
    if (s && (s.ota === "accepted" || s.ota === "progress")) Object.assign(asked, { file: s.file, at: s.at });
  }
}

describe("OTA fuzz", () => {
  const labs: OtaLab[] = [];
  after(() => {
    for (const l of labs) l.close();
  });

  for (const [label, extra, share] of [
    ["without a secret", OTA, 0.7],
    ["with a secret", SIGNED, 0.3],
  ] as const) {
    const n = Math.round(CASES * share);
    test(`${n} seeded cases on the receiver of a board ${label}: no panic, every answer JSON`, {
      timeout: SOAK ? 1_800_000 : 120_000,
    }, async () => {
      const seed = fuzzSeed();
      const r = rng(seed);
      const lab = await otaLab(extra);
      labs.push(lab);
      const build = (await buildOnce(extra)).outDir;
      const asked = { file: 1, at: 0 };
      for (let k = 0; k < n; k++) {
        let p = payload(r, asked);
        // With a secret, now and then a begin signed over the board's nonce, as mcu ota sends it.
        if (extra === SIGNED && p[0] === 0x62 && r() < 0.3) {
          const m = parseManifest(
            Buffer.from(lab.send("m").answers.find((a) => a.includes('"manifest"')) ?? "", "latin1"),
          );
          if (m) p = Buffer.from(signed(p.toString("latin1"), m.nonce, SECRET), "latin1");
        }
        const what = `case ${k} (FUZZ_SEED=${seed}): ${JSON.stringify(p.toString("latin1"))}`;
        const res = lab.send(p);
        assert.equal(res.error, undefined, `${what} panicked the board: ${res.error}`);
        check(res.answers, asked, what);
        // A case that completed an update swapped files in: the lab gets its files back.
        if (lab.names().includes("ota.st")) {
          for (const f of readdirSync(build))
            if (f.endsWith(".lua") && f !== "init.lua") copyFileSync(join(build, f), join(lab.board.flash.dir, f));
          for (const name of lab.names()) if (name === "ota.st" || name.includes("~")) lab.board.flash.remove(name);
          lab.board.exec("package.loaded.ota = nil package.loaded.otaswap = nil package.loaded.otasum = nil");
        }
      }
    });
  }

  test(`${CASES} seeded answers to mcu ota's parsers: none throws`, () => {
    const seed = fuzzSeed();
    const r = rng(seed);
    const valid = [
      '{"ota":"manifest","version":"1.0.0+a","free":3000000,"maxlen":1024,"files":"app.lua 10 1 2;q%22x.lua 1 121 121;","last":"updated%201","nonce":12345,"proto":2}',
      '{"ota":"progress","version":"1.0.0+a","bytes":10,"total":20,"file":1,"at":10,"by":"t1"}',
      '{"state":"online","version":"1.0.0+a","ip":"1.2.3.4","heap":1000}',
      "x\x1b]0;PWNED\x07",
      '{"ota":"manifest","files":null}',
      "[]",
      "null",
    ];
    for (let k = 0; k < CASES; k++) {
      const p = r() < 0.9 ? mutate(r, Buffer.from(pick(r, valid), "latin1")) : randomBuffer(r, 200);
      for (const parse of [parseManifest, parseAnswer, parseStatus]) {
        assert.doesNotThrow(() => parse(p), `FUZZ_SEED=${seed} case ${k}: ${JSON.stringify(p.toString("latin1"))}`);
      }
      const m = parseManifest(p);
      if (m) {
        assert.equal(typeof m.version, "string");
        assert.ok(Number.isSafeInteger(m.maxlen) && Number.isSafeInteger(m.nonce));
      }
    }
  });
});

describe("OTA fuzz over Mosquitto", () => {
  let broker: Broker;
  let client: MqttClient;
  before(async () => {
    broker = await startMosquitto();
    client = new MqttClient({ host: broker.host, port: broker.port, clientId: "ota-fuzz-pc" });
    await client.connect();
  });
  after(async () => {
    await client.end({ force: true });
    await broker.stop();
  });

  /** A board with a secret, online, its panics and its OTA answers collected (subscribed at `qos`). */
  async function signedBoard(id: string, qos: 0 | 1) {
    const b = await flashedBoard(id, broker, { extra: SIGNED, modules: [...RECOMMENDED_BUILD, "crypto"] });
    const panics: string[] = [];
    b.board.on("panic", (m: string) => panics.push(m));
    await waitUntil("the board online", () => b.out().includes("mqtt: connected"), 30000);
    const answers: string[] = [];
    client.on(
      "message",
      (m) => m.topic === topic("nodemcu", id, OTA_STATUS) && answers.push(m.payload.toString("latin1")),
    );
    await client.subscribe(topic("nodemcu", id, OTA_STATUS), qos);
    return { b, panics, answers };
  }

  test("a burst of 300 commands at once, before the board's answers leave: no panic, and it still answers", {
    timeout: 120_000,
  }, async () => {
    const id = "ota-burst";
    const { b, panics, answers } = await signedBoard(id, 0);
    try {
      const commands = ["m", `b 1.0.0+a - t1 x.lua 1 1 1 ${"0".repeat(32)}`, "d 1 0\nxyz"];
      await Promise.all(
        Array.from({ length: 300 }, (_, k) =>
          client.publish(topic("nodemcu", id, OTA_IN), commands[k % 3]!, { qos: 0 }),
        ),
      );
      // Then one more ask, answered once the burst is through.
      await waitUntil(
        "a manifest after the burst",
        async () => {
          const before = answers.length;
          await client.publish(topic("nodemcu", id, OTA_IN), "m", { qos: 1 });
          return waitUntil(
            "an answer",
            () => answers.slice(before).some((a) => parseManifest(Buffer.from(a, "latin1"))),
            2000,
          ).catch(() => false);
        },
        30000,
      );
      assert.deepEqual(panics, []);
    } finally {
      b.board.powerOff();
    }
  });

  test(`${OVER_MQTT} seeded messages on ota/in of a booted board with a secret: no panic, and it still answers`, {
    timeout: 300_000,
  }, async () => {
    const seed = fuzzSeed();
    const r = rng(seed);
    const id = "ota-fuzz";
    const { b, panics, answers } = await signedBoard(id, 1);
    try {
      const asked = { file: 1, at: 0 };
      const sent: Buffer[] = [];
      for (let k = 0; k < OVER_MQTT; k++) {
        sent.push(payload(r, asked));
        await client.publish(topic("nodemcu", id, OTA_IN), sent[k]!, { qos: 1 });
        const last = sent.slice(-3).map((p) => JSON.stringify(p.toString("latin1")));
        assert.deepEqual(panics, [], `FUZZ_SEED=${seed}, message ${k}; the last sent:\n${last.join("\n")}`);
      }
      const before = answers.length;
      await client.publish(topic("nodemcu", id, OTA_IN), "m", { qos: 1 });
      await waitUntil(
        "a manifest after the fuzz",
        () => answers.slice(before).some((a) => parseManifest(Buffer.from(a, "latin1"))),
        15000,
      ).catch((e: Error) => {
        throw new Error(
          `${e.message}\n${answers.length} answers, last: ${answers.slice(-3).join("\n")}\n${b.out().slice(-1500)}`,
        );
      });
      assert.deepEqual(panics, [], `FUZZ_SEED=${seed}`);
      check(answers, asked, `FUZZ_SEED=${seed}`);
      assert.doesNotMatch(b.out(), /PANIC/);
    } finally {
      b.board.powerOff();
    }
  });
});
