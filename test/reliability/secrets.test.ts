// Passwords never show: not in build output, not on the board's serial console while it is
// flashed, boots and comes online, not in its status, not in the host CLI's --verbose output;
// and the real config file is git-ignored.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { startMosquitto } from "../helpers/broker.ts";
import { flashSh, mcu } from "../helpers/cli.ts";
import { writeConfig } from "../helpers/firmware.ts";
import { ptyBoard } from "../helpers/pty-board.ts";
import { waitFor } from "../helpers/wait.ts";

const WIFI = "wifi-S3CRET-psk";
const MQTT = "mqtt-S3CRET-pw";

function assertClean(where: string, text: string): void {
  assert.ok(!text.includes(WIFI), `the Wi-Fi password shows in ${where}`);
  assert.ok(!text.includes(MQTT), `the broker password shows in ${where}`);
}

test("passwords stay out of build output, the serial console, status payloads and --verbose", async () => {
  const broker = await startMosquitto({ users: { board: MQTT, pc: MQTT } });
  const out = mkdtempSync(join(tmpdir(), "mcu-secrets-"));
  const pb = ptyBoard({ psk: WIFI });
  try {
    const config = writeConfig({
      id: "secret",
      wifi: { ssid: "emulated", password: WIFI },
      mqtt: { host: "127.0.0.1", port: broker.port, username: "board", password: MQTT },
    });
    const build = await mcu(["build", "--config", config, "--out", out]);
    assert.equal(build.code, 0, build.stderr);
    assertClean("mcu build output", build.stdout + build.stderr);

    const flash = await flashSh(["--port", pb.link, "--config", config, "--out", out, "--no-monitor"]);
    assert.equal(flash.code, 0, flash.stderr);
    assertClean("./flash.sh output", flash.stdout + flash.stderr);

    // It joined Wi-Fi and the broker with both passwords, and said nothing of them.
    assert.ok(await waitFor(() => pb.text().includes("mqtt: connected")), pb.text().slice(-300));
    assertClean("the board's serial console", pb.text());

    const devices = await mcu(
      ["devices", "--broker", broker.url, "--username", "pc", "--json", "--verbose", "--timeout", "1"],
      {
        env: { MQTT_PASSWORD: MQTT },
      },
    );
    assert.match(devices.stdout, /"id":"secret"/);
    assert.match(devices.stdout, /"state":"online"/);
    assertClean("the status payload and mcu devices --verbose", devices.stdout + devices.stderr);

    const sent = await mcu(
      [
        "send",
        "--broker",
        broker.url,
        "--username",
        "pc",
        "--device",
        "secret",
        "--wait",
        "--timeout",
        "5",
        "--verbose",
        "hi",
      ],
      {
        env: { MQTT_PASSWORD: MQTT },
      },
    );
    assert.equal(sent.code, 0, sent.stderr);
    assertClean("mcu send --verbose", sent.stdout + sent.stderr);
  } finally {
    pb.close();
    await broker.stop();
    rmSync(out, { recursive: true, force: true });
  }
});

test("the real device config is git-ignored; the example is committed", () => {
  assert.equal(spawnSync("git", ["check-ignore", "-q", "device.json"]).status, 0, "device.json is not git-ignored");
  assert.equal(
    spawnSync("git", ["ls-files", "--error-unmatch", "device.example.json"]).status,
    0,
    "device.example.json is not committed",
  );
});
