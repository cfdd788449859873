// Firmware updates over MQTT (firmware/src/ota.ts, tools/ota/update.ts) on emulated boards running
// the real firmware, against a real Mosquitto and the embedded broker.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { STATUS, topic } from "../../firmware/src/contract.ts";
import { OTA_IN, OTA_MANIFEST_ASK, OTA_STATUS } from "../../firmware/src/otacontract.ts";
import { MqttClient } from "../../host/mqtt/index.ts";
import { readBuildFiles } from "../../tools/compiler/manifest.ts";
import type { Board } from "../../tools/emulator/board.ts";
import { RECOMMENDED_BUILD } from "../../tools/nodemcu/builds.ts";
import { updateBoard } from "../../tools/ota/update.ts";
import { type Broker, startAedes, startMosquitto } from "../helpers/broker.ts";
import { mcu } from "../helpers/cli.ts";
import { buildOnce, type FlashedBoard, flashedBoard, writeConfig } from "../helpers/firmware.ts";
import { buildFolder, OTA, variant } from "../helpers/ota-builds.ts";
import { waitUntil } from "../helpers/wait.ts";

/** A file on the board's flash, or undefined. */
function boardFile(board: Board, name: string): Buffer | undefined {
  const h = board.flash.open(name, "r");
  if (h === null) return undefined;
  try {
    return board.flash.read(h, 1 << 20) ?? Buffer.alloc(0);
  } finally {
    board.flash.close(h);
  }
}

/** Updates over MQTT are opt-in: every board here is built with them. */

/** A shared secret for the HMAC test, and what its boards are built with. */
const SECRET = "s3cret-for-the-ota-hmac-test";
const SIGNED = { ota: { secret: SECRET } };

/** Waits until the board has connected `times` times in all. */
async function online(b: FlashedBoard, times = 1): Promise<void> {
  await waitUntil("the board online", () => (b.out().match(/mqtt: connected/g)?.length ?? 0) >= times, 30000);
}

for (const kind of ["mosquitto", "embedded"] as const) {
  describe(`mcu ota on ${kind}`, () => {
    let broker: Broker;
    let client: MqttClient;
    const boards: FlashedBoard[] = [];
    before(async () => {
      broker = kind === "mosquitto" ? await startMosquitto() : await startAedes();
      client = new MqttClient({ host: broker.host, port: broker.port, clientId: `ota-test-${kind}` });
      await client.connect();
    });
    after(async () => {
      for (const b of boards) b.board.powerOff();
      await client.end({ force: true });
      await broker.stop();
    });

    test("one board: only the changed file is sent, swapped in, and the board comes online with the new version", async () => {
      const b = await flashedBoard(`ota-one-${kind}`, broker, { extra: OTA });
      boards.push(b);
      await online(b);
      const before = readBuildFiles((await buildOnce(OTA)).outDir);
      const fw = await variant("9.9.9+update", "local _ota_probe=1\n");
      const seen: number[] = [];
      const r = await updateBoard(client, `ota-one-${kind}`, fw, { prefix: "nodemcu", progress: (n) => seen.push(n) });
      assert.equal(r.outcome, "updated", r.error);
      assert.deepEqual(r.sent, ["app.lua"]);
      assert.equal(r.from, before.version);
      assert.ok(seen.length > 0, "progress was reported");
      const app = fw.files.find((f) => f.name === "app.lua")!.data;
      assert.deepEqual(boardFile(b.board, "app.lua"), app);
      // Settled: the backups are gone once the new firmware is online, and the state says so.
      await waitUntil(
        "the update settled",
        () => boardFile(b.board, "ota.st")?.toString() === "updated 9.9.9+update",
        10000,
      ).catch((e) => {
        throw new Error(`${e.message}\n${b.out().slice(-1500)}`);
      });
      assert.deepEqual(
        b.board.flash
          .list()
          .map(([n]) => n)
          .filter((n) => n.includes("~")),
        [],
      );
      assert.match(boardFile(b.board, "config.lua")!.toString(), /version="9\.9\.9\+update"/);
      // A second run finds nothing to send.
      const again = await updateBoard(client, `ota-one-${kind}`, fw, { prefix: "nodemcu" });
      assert.equal(again.outcome, "current");
    });

    test("an app that crashes at start is rolled back after N boots, and the status says so", async () => {
      const id = `ota-bad-${kind}`;
      const b = await flashedBoard(id, broker, { extra: OTA });
      boards.push(b);
      await online(b);
      const old = boardFile(b.board, "app.lua");
      const fw = await variant("6.6.6+broken", 'error("broken on purpose")\n');
      const r = await updateBoard(client, id, fw, { prefix: "nodemcu" });
      assert.equal(r.outcome, "rolledback", r.error);
      assert.deepEqual(boardFile(b.board, "app.lua"), old);
      assert.match(b.out(), /update 6\.6\.6\+broken did not reach the broker in 2 boots; previous firmware restored/);
      // Asked for its manifest, the board reports the rollback, retained, on its OTA status.
      const statuses: string[] = [];
      const watcher = new MqttClient({ host: broker.host, port: broker.port, clientId: `ota-watch-${kind}` });
      await watcher.connect();
      watcher.on("message", (m) => statuses.push(m.payload.toString()));
      await watcher.subscribe(topic("nodemcu", id, OTA_STATUS), 1);
      await watcher.subscribe(topic("nodemcu", id, STATUS), 1);
      await watcher.publish(topic("nodemcu", id, OTA_IN), OTA_MANIFEST_ASK, { qos: 1 });
      await waitUntil(
        "the rollback reported",
        () => statuses.some((s) => s.includes('"ota":"rolledback","version":"6.6.6+broken"')),
        10000,
      );
      await watcher.end({ force: true });
    });

    test("an update that would replace the boot guard is refused, and nothing is written", async () => {
      const id = `ota-refuse-${kind}`;
      const b = await flashedBoard(id, broker, { extra: OTA });
      boards.push(b);
      await online(b);
      const init = boardFile(b.board, "init.lua");
      const answers: string[] = [];
      client.on("message", (m) => {
        if (m.topic === topic("nodemcu", id, OTA_STATUS)) answers.push(m.payload.toString());
      });
      await client.subscribe(topic("nodemcu", id, OTA_STATUS), 1);
      // What a rogue publisher (not mcu ota, which never sends it) could try: a new init.lua.
      await client.publish(topic("nodemcu", id, OTA_IN), "b 6.6.6+rogue - init.lua 5 1 0", { qos: 1 });
      await waitUntil("the refusal", () => answers.find((a) => a.includes('"ota":"refused"')), 10000);
      assert.match(answers.find((a) => a.includes("refused"))!, /"version":"6\.6\.6\+rogue"/);
      assert.deepEqual(boardFile(b.board, "init.lua"), init);
      assert.deepEqual(
        b.board.flash
          .list()
          .map(([n]) => n)
          .filter((n) => n.includes("~")),
        [],
      );
    });

    test("a board with a secret refuses an update with a wrong or no HMAC and a replayed one, and takes a signed one; the secret is never shown", async () => {
      const id = `ota-hmac-${kind}`;
      const b = await flashedBoard(id, broker, { extra: SIGNED, modules: [...RECOMMENDED_BUILD, "crypto"] });
      boards.push(b);
      await online(b);
      const old = boardFile(b.board, "app.lua");
      const fw = await variant("8.8.8+signed", "local _signed=1\n", SIGNED);
      const noTemps = () =>
        b.board.flash
          .list()
          .map(([n]) => n)
          .filter((n) => n.includes("~"));
      for (const secret of ["a-wrong-secret-of-some-length", undefined]) {
        const r = await updateBoard(client, id, fw, { prefix: "nodemcu", secret });
        assert.equal(r.outcome, "failed");
        assert.match(r.error!, /refused the update/);
        assert.deepEqual(boardFile(b.board, "app.lua"), old, "nothing written");
        assert.deepEqual(noTemps(), []);
      }
      // Nothing of the update stays loaded, config.lua (with the secret) included.
      b.board.input(
        Buffer.from(
          "print('loaded:', package.loaded.config, package.loaded.ota, package.loaded.otamac, package.loaded.otasum)\n",
        ),
      );
      await waitUntil("the REPL's answer", () => b.out().includes("loaded:\tnil\tnil\tnil\tnil"), 5000);
      // The right secret, through the CLI reading it from device.json: updated; the begin it sent is recorded.
      const begins: string[] = [];
      const spy = new MqttClient({ host: broker.host, port: broker.port, clientId: `ota-spy-${kind}` });
      await spy.connect();
      spy.on("message", (m) => m.payload.toString().startsWith("b ") && begins.push(m.payload.toString()));
      await spy.subscribe(topic("nodemcu", id, OTA_IN), 1);
      const config = writeConfig({
        id,
        wifi: { ssid: "emulated", password: "x" },
        mqtt: { host: broker.host, port: broker.port },
        ...SIGNED,
      });
      const r = await mcu(["ota", "--config", config, "--device", id, "--build", buildFolder(fw)]);
      assert.equal(r.code, 0, r.stderr + r.stdout);
      assert.match(r.stdout, /updated .* -> 8\.8\.8\+signed/);
      assert.deepEqual(boardFile(b.board, "app.lua"), fw.files.find((f) => f.name === "app.lua")!.data);
      await waitUntil("the signed begin seen", () => begins.length > 0, 5000);
      assert.ok(!begins[0]!.includes(SECRET));
      // Replayed as recorded, the signed begin is refused: its nonce is used up.
      await online(b, 2);
      const answers: string[] = [];
      // Only an answer sent now counts, not one the broker kept from the refusals above.
      spy.on(
        "message",
        (m) => m.topic === topic("nodemcu", id, OTA_STATUS) && !m.retain && answers.push(m.payload.toString()),
      );
      await spy.subscribe(topic("nodemcu", id, OTA_STATUS), 1);
      await spy.publish(topic("nodemcu", id, OTA_IN), begins[0]!, { qos: 1 });
      await waitUntil(
        "the replay refused",
        () => answers.some((a) => a.includes('"ota":"refused","version":"8.8.8+signed"')),
        10000,
      );
      await spy.end({ force: true });
      for (const text of [r.stdout, r.stderr, b.out()]) assert.ok(!text.includes(SECRET), "the secret is not printed");
    });

    /** Starts an update, cuts it with `cut` once the first chunk is asked for, then retries it. */
    async function interrupted(id: string, cut: (b: FlashedBoard) => Promise<MqttClient>): Promise<void> {
      const b = await flashedBoard(id, broker, { mqtt: { keepalive: 5 }, extra: OTA });
      boards.push(b);
      await online(b);
      const old = boardFile(b.board, "app.lua");
      const fw = await variant(`7.7.7+${id}`, "local _retry=1\n");
      let cutting: Promise<MqttClient> | undefined;
      // One run's token for both tries: the retry is the same PC starting over, which the board lets
      // restart the update it holds (another run's begin would wait until the board dropped it).
      const token = `retry${kind}`;
      const first = await updateBoard(client, id, fw, {
        prefix: "nodemcu",
        token,
        answerMs: 5000,
        progress: () => {
          cutting ??= cut(b);
        },
      }).catch((err: Error) => ({ outcome: "failed", error: err.message }));
      assert.equal(first.outcome, "failed");
      client = await cutting!;
      assert.deepEqual(boardFile(b.board, "app.lua"), old, "the old firmware is intact");
      assert.equal(boardFile(b.board, "ota.st"), undefined, "no swap began");
      await online(b, 2);
      const retry = await updateBoard(client, id, fw, { prefix: "nodemcu", token });
      assert.equal(retry.outcome, "updated", retry.error);
      assert.deepEqual(boardFile(b.board, "app.lua"), fw.files.find((f) => f.name === "app.lua")!.data);
    }

    async function reconnect(): Promise<MqttClient> {
      await client.end({ force: true });
      const c = new MqttClient({ host: broker.host, port: broker.port, clientId: `ota-test-${kind}` });
      await c.connect();
      return c;
    }

    test("the broker killed mid-update: old firmware intact, and a retry completes", async () => {
      await interrupted(`ota-kill-${kind}`, async () => {
        await broker.restart("SIGKILL");
        return reconnect();
      });
    });

    test("the board reset mid-update: old firmware intact, and a retry completes", async () => {
      await interrupted(`ota-reset-${kind}`, async (b) => {
        b.board.powerOff();
        b.board.boot();
        return client;
      });
    });
  });
}
