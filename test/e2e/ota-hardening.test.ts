// Issue 24's OTA points: what a publisher on ota/in or a retained answer must not be able to do to
// a board or to mcu ota. The receiver is called directly on an emulated board for the single
// inputs (test/helpers/ota-lab.ts); the rest runs the real firmware against a real Mosquitto.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { statSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { topic } from "../../firmware/src/contract.ts";
import { OTA_IN, OTA_STATUS } from "../../firmware/src/otacontract.ts";
import { MqttClient } from "../../host/mqtt/index.ts";
import type { Board } from "../../tools/emulator/board.ts";
import { RECOMMENDED_BUILD } from "../../tools/nodemcu/builds.ts";
import { updateBoard } from "../../tools/ota/update.ts";
import { adler32 } from "../../tools/serial/adler32.ts";
import { type Broker, startMosquitto } from "../helpers/broker.ts";
import { mcu } from "../helpers/cli.ts";
import { type FlashedBoard, flashedBoard, writeConfig } from "../helpers/firmware.ts";
import { buildFolder, OTA, variant } from "../helpers/ota-builds.ts";
import { type OtaLab, otaLab } from "../helpers/ota-lab.ts";
import { waitUntil } from "../helpers/wait.ts";

const SECRET = "s3cret-for-the-ota-hardening-test";
const SIGNED = { ota: { secret: SECRET } };

/** "size a b": a file's size and Adler-32 halves, as a begin command names them. */
function sig(data: Buffer): string {
  const s = adler32(data);
  return `${data.length} ${s % 65536} ${Math.floor(s / 65536)}`;
}

function boardFile(board: Board, name: string): Buffer | undefined {
  const h = board.flash.open(name, "r");
  if (h === null) return undefined;
  try {
    return board.flash.read(h, 1 << 22) ?? Buffer.alloc(0);
  } finally {
    board.flash.close(h);
  }
}

function writeBoardFile(board: Board, name: string, data: Buffer): void {
  const h = board.flash.open(name, "w")!;
  board.flash.write(h, data);
  board.flash.close(h);
}

/** The first answer with code `code`, parsed. */
function answer(answers: string[], code: string): Record<string, unknown> | undefined {
  for (const a of answers) {
    const o = JSON.parse(a) as Record<string, unknown>;
    if (o.ota === code) return o;
  }
  return undefined;
}

describe("the board's receiver, called directly", () => {
  const labs: OtaLab[] = [];
  after(() => {
    for (const l of labs) l.close();
  });
  async function lab(extra: object): Promise<OtaLab> {
    const l = await otaLab(extra);
    labs.push(l);
    return l;
  }

  test("point 2: the issue's inputs panic neither a board with a secret nor one without", async () => {
    for (const extra of [SIGNED, OTA]) {
      const l = await lab(extra);
      const app = boardFile(l.board, "app.lua")!;
      const wide = (n: number) => `b 1.0 - t ${Array.from({ length: n }, (_, k) => `f${k}.lua 1 1 1 -`).join(" ")}`;
      const inputs = [
        "b",
        "   b   ",
        "b 1 - app.lua abc 1 2",
        `b 1 - ${"x".repeat(30)} 5 1 0`,
        "b 1 -",
        "d",
        "d 1 0",
        "m m",
        "",
        wide(17),
        wide(90),
      ];
      for (const input of inputs) {
        const r = l.send(input);
        assert.equal(r.error, undefined, `${JSON.stringify(input)} on ${JSON.stringify(extra)}: ${r.error}`);
      }
      // Version 1%9, the whole file sent: refused up front, or taken; never a panic, no n~ file left.
      const r = l.send(`b 1%9 - app.lua ${sig(app)}`);
      assert.equal(r.error, undefined, r.error);
      if (answer(r.answers, "accepted"))
        assert.equal(l.send(Buffer.concat([Buffer.from("d 1 0\n"), app])).error, undefined);
      assert.deepEqual(
        l.names().filter((n) => n.startsWith("n~")),
        [],
      );
      // Still answers: its manifest is JSON.
      const m = l.send("m");
      assert.equal(m.error, undefined);
      assert.ok(answer(m.answers, "manifest"));
    }
  });

  test("point 3: /FLASH/init.lua, /FLASHconfig.lua and other drives are refused", async () => {
    const l = await lab(OTA);
    // The same begin naming a file it may write is taken: the refusals below are for the names.
    assert.ok(answer(l.send("b 3.0.0 - t1 new.lua 5 1 0 -").answers, "accepted"));
    assert.ok(answer(l.send("b 3.0.0 - t1 /FLASH/new.lua 5 1 0 -").answers, "accepted"));
    for (const name of [
      "/FLASH/init.lua",
      "/FLASHinit.lua",
      "/FLASH/config.lua",
      "/FLASHconfig.lua",
      "/FLASH/n~app.lua",
      "/FLASH/ota.st",
      "/SD0/app.lua",
      "+app.lua",
    ]) {
      const r = l.send(`b 3.0.0 - t1 ${name} 5 1 0 -`);
      assert.equal(r.error, undefined);
      assert.ok(answer(r.answers, "refused"), `${name}: ${r.answers.join(" ")}`);
    }
  });

  test("point 4: the same file twice in one begin is refused, however it is named", async () => {
    const l = await lab(OTA);
    const app = boardFile(l.board, "app.lua")!;
    assert.ok(answer(l.send(`b 4.0.0 - t1 app.lua ${sig(app)} - other.lua ${sig(app)} -`).answers, "accepted"));
    for (const second of ["app.lua", "/FLASH/app.lua", "/FLASHapp.lua"]) {
      const r = l.send(`b 4.0.0 - t1 app.lua ${sig(app)} - ${second} ${sig(app)} -`);
      assert.ok(answer(r.answers, "refused"), `${second}: ${r.answers.join(" ")}`);
    }
    assert.deepEqual(boardFile(l.board, "app.lua"), app);
  });

  test("point 7: the manifest is valid JSON whatever the board's file names hold", async () => {
    const l = await lab(OTA);
    const names = [
      'q"x.lua',
      "back\\slash",
      "tab\there",
      "esc\x1b]0;PWNED\x07",
      "semi;colon 1 2 3",
      "hi\xe9\xff",
      "per%cent",
    ];
    for (const n of names) writeBoardFile(l.board, n, Buffer.from("x"));
    const r = l.send("m");
    assert.equal(r.error, undefined);
    const m = answer(r.answers, "manifest") as { files: string };
    const { parseManifest } = await import("../../tools/ota/update.ts");
    const parsed = parseManifest(Buffer.from(r.answers.find((a) => a.includes('"manifest"'))!, "latin1"));
    assert.ok(parsed, m.files);
    for (const n of names) assert.equal(parsed.files.get(n), "1 121 121", n);
  });
});

test("point 7: every string from a board or the broker is escaped in mcu ota's lines and --json", async () => {
  const { line, safeJson } = await import("../../tools/ota/verb.ts");
  const r = {
    id: "k\x1b[2J",
    outcome: "rolledback" as const,
    from: "1\x1b]0;PWNED\x07",
    to: "2",
    sent: ["app.lua"],
    bytes: 1,
    error: "rolled back to \x9b31m",
  };
  for (const text of [line(r), safeJson([r])]) {
    assert.doesNotMatch(text, /[\x00-\x09\x0b-\x1f\x7f-\x9f]/, JSON.stringify(text));
  }
  assert.deepEqual(JSON.parse(safeJson([r])), [r]);
});

describe("point 6: node.random on the emulated board", () => {
  /** node.random's first two numbers on a fresh board in a fresh process (an emulator start). */
  async function firstDraws(seed?: number): Promise<string> {
    const code = `
      const { emulatedBoard } = await import("./tools/testing/board.ts");
      const b = emulatedBoard({ board: { ${seed === undefined ? "" : `randomSeed: ${seed}`} } });
      const r = b.board.exec("return node.random(1, 2147483647) .. ' ' .. node.random(1, 2147483647)", 1);
      process.stdout.write(r.values[0].toString());
      b.stop();
      process.exit(0);`;
    const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  }

  test("draws on the host's generator: two emulator starts give different nonces; a fixed seed repeats them", async () => {
    const [a, b] = [await firstDraws(), await firstDraws()];
    assert.match(a, /^\d+ \d+$/);
    assert.notEqual(a, b, "two emulator starts drew the same numbers");
    assert.equal(await firstDraws(7), await firstDraws(7));
  });
});

/** Bytes of `length` that run `code` and have the Adler-32 `target`: code, then a comment whose bytes are tuned. */
function forge(code: string, length: number, target: number): Buffer {
  const M = 65521;
  const head = Buffer.from(`${code}\n--`);
  const F = length - head.length;
  const fill = new Int32Array(F).fill(109);
  const sums = (b: Buffer) => {
    const s = adler32(b);
    return [s % 65536, Math.floor(s / 65536)] as const;
  };
  const bytes = () => Buffer.concat([head, Buffer.from(Array.from(fill))]);
  // A: the byte sum, spread over the filler.
  let [a] = sums(bytes());
  let da = ((((target % 65536) - a) % M) + M) % M;
  if (da > M / 2) da -= M;
  for (let i = 0; i < F; i++) fill[i]! += Math.trunc(da / F) + (i < Math.abs(da % F) ? Math.sign(da) : 0);
  [a] = sums(bytes());
  assert.equal(a, target % 65536);
  // B: +k at p and -k at q (q > p) keeps A and adds k*(q-p) to B.
  const [, b] = sums(bytes());
  const db = (((Math.floor(target / 65536) - b) % M) + M) % M;
  const k = Math.floor(db / (F - 1));
  fill[0]! += k;
  fill[F - 1]! -= k;
  const r = db - k * (F - 1);
  if (r > 0) {
    fill[1]! += 1;
    fill[1 + r]! -= 1;
  }
  const out = bytes();
  assert.equal(adler32(out), target);
  assert.ok(!out.subarray(head.length).includes(10) && !out.subarray(head.length).includes(13));
  return out;
}

describe("mcu ota and the board over Mosquitto", () => {
  let broker: Broker;
  let client: MqttClient;
  const boards: FlashedBoard[] = [];
  before(async () => {
    broker = await startMosquitto();
    client = new MqttClient({ host: broker.host, port: broker.port, clientId: "ota-hardening" });
    await client.connect();
  });
  after(async () => {
    for (const b of boards) b.board.powerOff();
    await client.end({ force: true });
    await broker.stop();
  });
  async function board(id: string, extra: object = OTA, modules?: readonly string[]): Promise<FlashedBoard> {
    const b = await flashedBoard(id, broker, { extra, modules });
    boards.push(b);
    await waitUntil(`${id} online`, () => b.out().includes("mqtt: connected"), 30000);
    return b;
  }

  test("point 1: chunks forged with the same size and Adler-32 during a signed update are not run", async () => {
    const id = "ota-forge";
    const b = await board(id, SIGNED, [...RECOMMENDED_BUILD, "crypto"]);
    const old = boardFile(b.board, "app.lua")!;
    const fw = await variant("1.1.1+genuine", `-- ${"g".repeat(3000)}\n`, SIGNED);
    const genuine = fw.files.find((f) => f.name === "app.lua")!.data;
    const forged = forge('file.putcontents("pwned.txt", "pwned")', genuine.length, adler32(genuine));
    // The attacker sees the begin on ota/in and sends its whole file at once, before mcu ota's first chunk.
    const attacker = new MqttClient({ host: broker.host, port: broker.port, clientId: "ota-attacker" });
    await attacker.connect();
    let started = false;
    let sent = false;
    attacker.on("message", async (m) => {
      if (started || !m.payload.toString("latin1").startsWith("b ")) return;
      started = true;
      for (let at = 0; at < forged.length; at += 500) {
        await attacker.publish(
          topic("nodemcu", id, OTA_IN),
          Buffer.concat([Buffer.from(`d 1 ${at}\n`), forged.subarray(at, at + 500)]),
          { qos: 1 },
        );
      }
      sent = true;
    });
    await attacker.subscribe(topic("nodemcu", id, OTA_IN), 1);
    // mcu ota's chunks leave only after the attacker's.
    const gated = new Proxy(client, {
      get(target, prop, receiver) {
        if (prop !== "publish") return Reflect.get(target, prop, receiver);
        return async (t: string, payload: Buffer | string, o: object) => {
          if (Buffer.from(payload).subarray(0, 2).toString() === "d ")
            await waitUntil("the forged chunks sent", () => sent, 10000);
          return target.publish(t, payload, o as never);
        };
      },
    });
    const r = await updateBoard(gated, id, fw, { prefix: "nodemcu", secret: SECRET, onlineMs: 20000 });
    await attacker.end({ force: true });
    assert.equal(boardFile(b.board, "pwned.txt"), undefined, "the forged code ran");
    assert.equal(r.outcome, "failed");
    assert.match(r.error ?? "", /did not verify/);
    assert.deepEqual(boardFile(b.board, "app.lua"), old);
  });

  test("point 5: a temp file left by a reset mid-update is gone after the next boot", async () => {
    const b = await board("ota-temps");
    writeBoardFile(b.board, "n~big.lua", Buffer.alloc(1_500_000, 0x2d));
    writeBoardFile(b.board, "o~app.lua", Buffer.from("stale backup"));
    b.board.powerOff();
    b.board.boot();
    await waitUntil("online again", () => (b.out().match(/mqtt: connected/g)?.length ?? 0) >= 2, 30000);
    assert.deepEqual(
      b.board.flash
        .list()
        .map(([n]) => n)
        .filter((n) => n.includes("~")),
      [],
    );
  });

  test("point 8: config.lua stays 0600 on the emulator's flash folder after an update", async () => {
    const b = await board("ota-mode");
    const fw = await variant("8.0.0+mode", "local _mode=1\n");
    const r = await updateBoard(client, "ota-mode", fw, { prefix: "nodemcu" });
    assert.equal(r.outcome, "updated", r.error);
    assert.equal(statSync(join(b.board.flash.dir, "config.lua")).mode & 0o777, 0o600);
  });

  test('point 7: a bad retained answer and a board file named q"x.lua stop no mcu ota, and nothing raw reaches the terminal', async () => {
    const id = "ota-retained";
    const b = await board(id);
    writeBoardFile(b.board, 'q"x.lua', Buffer.from("-- quoted"));
    await client.publish(topic("nodemcu", id, OTA_STATUS), Buffer.from("x\x1b]0;PWNED\x07"), { qos: 1, retain: true });
    const fw = await variant("7.0.0+escape", "local _esc=1\n");
    const config = writeConfig({
      id,
      wifi: { ssid: "emulated", password: "x" },
      mqtt: { host: broker.host, port: broker.port },
      ...OTA,
    });
    const r = await mcu(["ota", "--config", config, "--device", id, "--build", buildFolder(fw)]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /updated .* -> 7\.0\.0\+escape/);
    assert.ok(!(r.stdout + r.stderr).includes("\x1b]"), "an escape sequence reached the terminal");
    await client.publish(topic("nodemcu", id, OTA_STATUS), "", { qos: 1, retain: true });
  });

  test("a board with the first OTA receiver is sent no begin (it would crash it), and mcu ota says to flash it over serial", async () => {
    const id = "ota-old-board";
    // Plays a board of the first exchange: a manifest without "proto".
    const old = new MqttClient({ host: broker.host, port: broker.port, clientId: id });
    await old.connect();
    const got: string[] = [];
    old.on("message", (m) => {
      got.push(m.payload.toString("latin1"));
      if (m.payload.toString() === "m") {
        const manifest =
          '{"ota":"manifest","version":"0.1.0+old","free":3000000,"maxlen":1024,"files":"app.lua 1 1 1;","last":"","nonce":5}';
        void old.publish(topic("nodemcu", id, OTA_STATUS), manifest, { qos: 0 });
      }
    });
    await old.subscribe(topic("nodemcu", id, OTA_IN), 1);
    const r = await updateBoard(client, id, await variant("2.0.0+new", "local _new=1\n"), {
      prefix: "nodemcu",
      answerMs: 5000,
    });
    await old.end({ force: true });
    assert.equal(r.outcome, "failed");
    assert.match(r.error ?? "", /first OTA receiver.*over serial/);
    assert.ok(!got.some((p) => p.startsWith("b ")), "a begin was sent");
  });

  test("point 13: two mcu ota runs at once to one board: the first finishes, the second waits", async () => {
    const id = "ota-twice";
    await board(id);
    const [fa, fb] = [
      await variant("13.0.0+first", "local _first=1\n"),
      await variant("13.0.0+second", "local _second=1\n"),
    ];
    const [one, two] = await Promise.all([
      updateBoard(client, id, fa, { prefix: "nodemcu" }),
      updateBoard(client, id, fb, { prefix: "nodemcu" }),
    ]);
    const text = `${one.outcome} ${one.error ?? ""} / ${two.outcome} ${two.error ?? ""}`;
    // Whichever the board took first finishes; the other waits for it and then updates, or says another update holds the board.
    assert.ok(one.outcome === "updated" || two.outcome === "updated", text);
    for (const r of [one, two]) assert.ok(r.outcome === "updated" || /another update/.test(r.error ?? ""), text);
  });

  test("point 16b: Ctrl-C of mcu ota says which boards were left how", async () => {
    const id = "ota-sigint";
    await board(id);
    const fw = await variant("16.0.0+sigint", `-- ${"s".repeat(20000)}\n`);
    const config = writeConfig({
      id,
      wifi: { ssid: "emulated", password: "x" },
      mqtt: { host: broker.host, port: broker.port },
      ...OTA,
    });
    const seen: string[] = [];
    const spy = new MqttClient({ host: broker.host, port: broker.port, clientId: "ota-sigint-spy" });
    await spy.connect();
    spy.on("message", (m) => seen.push(m.payload.toString()));
    await spy.subscribe(topic("nodemcu", id, OTA_STATUS), 0);
    const child = spawn(
      process.execPath,
      ["dist/mcu.js", "ota", "--config", config, "--device", id, "--build", buildFolder(fw)],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const running = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
      child.on("close", (code) => resolve({ code, stdout, stderr })),
    );
    await waitUntil("the transfer under way", () => seen.some((s) => s.includes('"ota":"progress"')), 20000);
    child.kill("SIGINT");
    const r = await running;
    await spy.end({ force: true });
    assert.equal(r.code, 130, r.stderr);
    assert.match(r.stderr, new RegExp(`${id}: interrupted`));
  });
});
