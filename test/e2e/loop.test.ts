// The used-by flow with nothing stubbed, on a real Mosquitto and on the embedded broker:
// ./flash.sh onto `mcu emulate` over a pty → Wi-Fi → broker → mcu send --wait / serve / ping /
// devices → echo; online status, then the offline will when the board's process is killed.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { type Broker, startAedes, startMosquitto } from "../helpers/broker.ts";
import { flashSh, mcu, mcuBin } from "../helpers/cli.ts";
import { writeConfig } from "../helpers/firmware.ts";
import { waitFor } from "../helpers/wait.ts";

const dir = mkdtempSync(join(tmpdir(), "mcu-e2e-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** `mcu emulate` in its own process with its console on a pty at `link`. */
async function emulator(name: string): Promise<{ link: string; proc: ChildProcess }> {
  const link = join(dir, `tty-${name}`);
  const proc = spawn(process.execPath, [mcuBin(), "emulate", "--flash", join(dir, `flash-${name}`), "--serial", link], {
    stdio: "ignore",
  });
  assert.ok(await waitFor(() => existsSync(link)), "the emulator did not create its serial link");
  return { link, proc };
}

/** Polls `mcu devices --json` until the device's retained state is `state`. */
async function statusIs(broker: Broker, id: string, state: string): Promise<boolean> {
  return waitFor(async () => {
    const d = await mcu(["devices", "--broker", broker.url, "--json", "--timeout", "0.3"]);
    return d.stdout.includes(`"id":"${id}"`) && d.stdout.includes(`"state":"${state}"`);
  }, 15000);
}

function loop(name: string, start: () => Promise<Broker>): void {
  describe(`the whole loop on ${name}`, () => {
    test("flash, online, send/serve/ping/devices echo, offline by the will when the board dies", async () => {
      const broker = await start();
      const id = `e2e-${name}`;
      const board = await emulator(name);
      try {
        const config = writeConfig({
          id,
          wifi: { ssid: "emulated", password: "nodemcu-emulator" },
          mqtt: { host: "127.0.0.1", port: broker.port },
        });
        const flash = await flashSh([
          "--port",
          board.link,
          "--config",
          config,
          "--out",
          join(dir, `build-${name}`),
          "--no-monitor",
        ]);
        assert.equal(flash.code, 0, flash.stderr);
        assert.match(flash.stdout, /uploaded \d+ file\(s\)/);

        const conn = ["--broker", broker.url, "--device", id];
        // The board comes online: its retained status says so.
        assert.ok(await statusIs(broker, id, "online"), "the board never came online");

        // Three messages: the retained status, then the two echoes.
        let subscribed = false;
        const serve = mcu(["serve", ...conn, "--json", "--count", "3", "--timeout", "20"], {
          onStdout: (out) => (subscribed = out.includes("/status")),
        });
        assert.ok(await waitFor(() => subscribed), "serve never received the retained status");
        const sent = await mcu(["send", ...conn, "--wait", "--timeout", "10", "héllo board"]);
        assert.equal(sent.code, 0, sent.stderr);
        assert.match(Buffer.from(sent.stdout, "latin1").toString(), /echo from e2e-\S+ in [\d.]+ ms: héllo board/);
        const binary = Buffer.from([0, 1, 0xff, 0xfe, 0x80, 0x0d, 0x0a, 0]);
        const file = join(dir, `binary-${name}.bin`);
        writeFileSync(file, binary);
        const more = await mcu(["send", ...conn, "--wait", "--timeout", "10", "--file", file]);
        assert.equal(more.code, 0, more.stderr);
        const served = await serve;
        assert.equal(served.code, 0, served.stderr);
        const lines = served.stdout
          .trim()
          .split("\n")
          .map(
            (l) =>
              JSON.parse(Buffer.from(l, "latin1").toString()) as { topic: string; payload: string; encoding?: string },
          );
        const echoes = lines.filter((l) => l.topic.endsWith("/out"));
        assert.deepEqual(
          echoes.map((e) => Buffer.from(e.payload, e.encoding === "base64" ? "base64" : "utf8")),
          [Buffer.from("héllo board"), binary],
          `serve saw ${JSON.stringify(lines)}`,
        );

        const ping = await mcu(["ping", ...conn, "--count", "3", "--interval", "50"]);
        assert.equal(ping.code, 0, ping.stderr);
        assert.match(ping.stdout, /3 sent, 3 received, 0 lost/);

        // Power lost: the broker publishes the will, and devices shows it.
        board.proc.kill("SIGKILL");
        assert.ok(await statusIs(broker, id, "offline"), "the offline will never came");
      } finally {
        board.proc.kill("SIGKILL");
        await broker.stop();
      }
    });
  });
}

loop("mosquitto", () => startMosquitto());
loop("aedes", () => startAedes());
