// ./flash.sh checks the board's NodeMCU build before the first byte: a missing module, a TLS
// config on a board without SSL and an integer build under a firmware that needs floats are each
// refused with exit 1 and what to build, and nothing reaches the board's flash; an integer build
// the firmware runs on is flashed with a warning of what changes there.
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { buildFirmware } from "../../tools/compiler/build.ts";
import { boardNeeds } from "../../tools/compiler/needs.ts";
import type { BoardOptions } from "../../tools/emulator/board.ts";
import { parseModules, RECOMMENDED_BUILD } from "../../tools/nodemcu/builds.ts";
import { flashSh, mcuBin, type Run } from "../helpers/cli.ts";
import { writeConfig } from "../helpers/firmware.ts";
import { ptyBoard } from "../helpers/pty-board.ts";
import { waitFor } from "../helpers/wait.ts";

const dir = mkdtempSync(join(tmpdir(), "mcu-preflight-"));
const plain = join(dir, "plain");
const tls = join(dir, "tls");
const floats = join(dir, "floats");
const config = (tlsOn: boolean) =>
  writeConfig({
    id: "pre",
    wifi: { ssid: "emulated", password: "nodemcu-emulator" },
    mqtt: { host: "127.0.0.1", tls: tlsOn },
  });

before(async () => {
  mcuBin();
  await buildFirmware({ configFile: config(false), outDir: plain, log: () => {} });
  await buildFirmware({ configFile: config(true), outDir: tls, log: () => {} });
  // The same build with a fraction in app.lua, its manifest's needs read from that Lua as the build would.
  cpSync(plain, floats, { recursive: true });
  writeFileSync(join(floats, "app.lua"), `${readFileSync(join(floats, "app.lua"), "utf8")}\nlocal half=0.5`);
  const files = new Map(["init.lua", "app.lua", "config.lua"].map((n) => [n, readFileSync(join(floats, n), "utf8")]));
  const manifest = JSON.parse(readFileSync(join(floats, "manifest.json"), "utf8"));
  manifest.needs = boardNeeds(files, false, manifest.needs.heap);
  writeFileSync(join(floats, "manifest.json"), JSON.stringify(manifest));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** ./flash.sh --no-build of `build` to a board of the given build; returns the run and the files the board's flash holds after it. */
async function flashTo(board: Partial<BoardOptions>, build: string): Promise<{ r: Run; files: string[] }> {
  const pb = ptyBoard(board);
  try {
    assert.ok(await waitFor(() => /> $/.test(pb.text())), `no prompt: ${pb.text().slice(-200)}`);
    const r = await flashSh(["--no-build", "--out", build, "--port", pb.link, "--no-monitor"]);
    return { r, files: readdirSync(pb.flashDir) };
  } finally {
    pb.close();
  }
}

function assertRefused(run: { r: Run; files: string[] }, message: RegExp): void {
  assert.equal(run.r.code, 1, run.r.stderr);
  assert.match(run.r.stderr, /step 4\/8 \(check the board\) failed: /);
  assert.match(run.r.stderr, message);
  assert.deepEqual(run.files, [], "the board's flash was written to");
  assert.doesNotMatch(run.r.stdout, /uploaded/);
}

test("a board with NodeMCU's default build (no rtcmem) is refused, naming the module and what to tick", async () => {
  const run = await flashTo({ modules: parseModules("default") }, plain);
  assertRefused(
    run,
    /the board's NodeMCU build lacks module rtcmem, which this firmware and the uploader use\. Build NodeMCU 3\.x with the modules adc bit dht file gpio i2c mqtt net node ow rtcmem spi tmr uart wifi \(tick them at https:\/\/nodemcu-build\.com/,
  );
  assert.match(
    run.r.stdout,
    /NodeMCU modules adc,bit,dht,file,gpio,i2c,mqtt,net,node,ow,spi,tmr,uart,wifi; SSL false; float build; \d+ bytes of heap and \d+ bytes of flash free/,
  );
});

test("several missing modules are all named", async () => {
  const run = await flashTo({ modules: ["file", "node", "tmr", "uart"] }, plain);
  assertRefused(run, /lacks modules mqtt, rtcmem, wifi, which/);
});

test("mqtt.tls true for a board without SSL is refused; the same build flashes onto an SSL build", async () => {
  assertRefused(
    await flashTo({ modules: RECOMMENDED_BUILD }, tls),
    /the config has mqtt\.tls true, but the board's NodeMCU build has no SSL .*"ssl not available".*set mqtt\.tls to false/,
  );
  const ok = await flashTo({ modules: RECOMMENDED_BUILD, ssl: true }, tls);
  assert.equal(ok.r.code, 0, ok.r.stderr);
  assert.match(ok.r.stdout, /SSL true; float build/);
  assert.ok(ok.files.includes("app.lua"));
});

test("an integer build is refused for a firmware that holds a fraction, and flashed with a warning for ours", async () => {
  assertRefused(
    await flashTo({ modules: RECOMMENDED_BUILD, numberType: "integer" }, floats),
    /the board runs an integer build of NodeMCU, which cannot load numbers this firmware holds \(app\.lua: 0\.5\); flash a float build of NodeMCU/,
  );
  const ok = await flashTo({ modules: RECOMMENDED_BUILD, numberType: "integer" }, plain);
  assert.equal(ok.r.code, 0, ok.r.stderr);
  assert.match(
    ok.r.stderr,
    /flash: warning: the board runs an integer build of NodeMCU: node\.random\(\) returns 0 there, so the reconnect backoff has no random jitter/,
  );
  assert.ok(ok.files.includes("app.lua"));
});

test("the build records the modules its Lua uses and no float need; a fraction or a number past 32 bits is one", () => {
  const needs = JSON.parse(readFileSync(join(plain, "manifest.json"), "utf8")).needs;
  assert.deepEqual(needs.modules, ["mqtt", "node", "rtcmem", "tmr", "wifi"]);
  assert.deepEqual([needs.ssl, needs.floats], [false, []]);
  assert.equal(JSON.parse(readFileSync(join(tls, "manifest.json"), "utf8")).needs.ssl, true);
  const lua = new Map([
    ["x.lua", "local a = 0.5 + 1e3 + 0xfe + 3000000000 + 7 print(sjson.encode({}), bit.band(a, 1), file)"],
  ]);
  assert.deepEqual(boardNeeds(lua, false, 0), {
    modules: ["bit", "file", "sjson"],
    ssl: false,
    floats: ["x.lua: 0.5", "x.lua: 1e3", "x.lua: 3000000000"],
    heap: 0,
  });
});
