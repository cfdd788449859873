// `mcu ota` (the bundle in dist/) on a fleet of emulated boards running the real firmware, on a
// real Mosquitto: --canary boards first, then --parallel at a time; a failed canary stops the rollout.
// FLEET boards, on Mosquitto and on the embedded broker: in npm test a small fleet of 12 with
// --parallel 4 --canary 2; under SOAK=1 (npm run test:soak) the 200 with its --parallel 20
// --canary 5 (about 3.5 minutes each on 2 cores); OTA_FLEET=N picks another size.
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { BoardResult } from "../../tools/ota/update.ts";
import { type Broker, startAedes, startMosquitto } from "../helpers/broker.ts";
import { mcu } from "../helpers/cli.ts";
import { buildOnce, type FlashedBoard, flashedBoard } from "../helpers/firmware.ts";
import { waitUntil } from "../helpers/wait.ts";

const FLEET = Number(process.env.OTA_FLEET ?? (process.env.SOAK ? 200 : 12));
/** The flags for its 200 boards (--parallel 20 --canary 5); fewer boards, fewer at once. */
const [PARALLEL, CANARY] = FLEET >= 200 ? [20, 5] : [4, 2];
/** Updates over MQTT are opt-in (device.json "ota"): the fleet is built with them. */
const OTA = { ota: {} };

/** A build folder: the test build with app.lua prefixed by `appPrefix`, under `version`. */
async function variantBuild(version: string, appPrefix: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "mcu-ota-build-"));
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  cpSync((await buildOnce(OTA)).outDir, dir, { recursive: true });
  const app = join(dir, "app.lua");
  writeFileSync(app, Buffer.concat([Buffer.from(appPrefix), readFileSync(app)]));
  const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as { version: string };
  writeFileSync(join(dir, "manifest.json"), JSON.stringify({ ...manifest, version }));
  return dir;
}

let broker: Broker;
const boards: FlashedBoard[] = [];
before(async () => {
  broker = await startMosquitto();
});
after(async () => {
  powerOff();
  await broker.stop();
});

function powerOff(): void {
  for (const b of boards.splice(0)) b.board.powerOff();
}

async function fleet(name: string, n: number, on: Broker = broker): Promise<string[]> {
  const ids = Array.from({ length: n }, (_, i) => `${name}${i + 1}`);
  for (const id of ids) boards.push(await flashedBoard(id, on, { extra: OTA }));
  const mine = boards.slice(-n);
  await waitUntil("the fleet online", () => mine.every((b) => b.out().includes("mqtt: connected")), 60000 + n * 1000);
  return ids;
}

for (const kind of ["mosquitto", "embedded"] as const) {
  test(`${FLEET} boards on ${kind} with --parallel ${PARALLEL} --canary ${CANARY}: every board runs the new version`, {
    timeout: 300_000 + FLEET * 15_000,
  }, async () => {
    const on = kind === "mosquitto" ? broker : await startAedes();
    try {
      const ids = await fleet(`fleet-${kind}-`, FLEET, on);
      const dir = await variantBuild("2.0.0+fleet", "local _fleet=1\n");
      const r = await mcu([
        "ota",
        "--devices",
        ids.join(","),
        "--build",
        dir,
        "--parallel",
        String(PARALLEL),
        "--canary",
        String(CANARY),
        "--json",
        "--broker",
        on.url,
      ]);
      assert.equal(r.code, 0, r.stderr + r.stdout);
      const results = JSON.parse(r.stdout) as BoardResult[];
      assert.deepEqual(results.map((x) => x.id).sort(), [...ids].sort());
      for (const x of results) {
        assert.equal(x.outcome, "updated", `${x.id}: ${x.error}`);
        assert.deepEqual(x.sent, ["app.lua"]);
      }
      // The canaries went first, one at a time.
      assert.deepEqual(
        results.slice(0, CANARY).map((x) => x.id),
        ids.slice(0, CANARY),
      );
    } finally {
      powerOff();
      if (on !== broker) await on.stop();
    }
  });
}

test("a canary that does not come online stops the rollout: the other boards are not touched", {
  timeout: 300_000,
}, async () => {
  const ids = await fleet("canary", 3);
  const dir = await variantBuild("3.0.0+broken", 'error("broken on purpose")\n');
  const r = await mcu(["ota", "--devices", ids.join(","), "--build", dir, "--canary", "1", "--broker", broker.url]);
  assert.equal(r.code, 1, r.stderr + r.stdout);
  assert.match(r.stdout, /canary1: rolledback: 3\.0\.0\+broken did not reach the broker/);
  assert.match(r.stdout, /canary2 +failed/);
  for (const b of boards.slice(-2)) assert.equal(b.out().match(/received; restarting/g), null);
});

test("bad arguments: one way of naming boards, a build folder", async () => {
  const none = await mcu(["ota", "--broker", broker.url]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /name the boards with one of --device ID, --devices a,b or --all/);
  const nobuild = await mcu(["ota", "--device", "x", "--build", "/nonexistent", "--broker", broker.url]);
  assert.equal(nobuild.code, 2);
  assert.match(nobuild.stderr, /holds no build \(manifest\.json\): run mcu build first/);
});
