// The console starts at a line boundary: `mcu monitor` and ./flash.sh's console, opened while
// the board is mid-line (the rest of its restart banner still on the wire), show whole lines only.
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { buildFirmware } from "../../tools/compiler/build.ts";
import { lineStart } from "../../tools/serial/monitor.ts";
import { flashSh, mcuBin } from "../helpers/cli.ts";
import { writeConfig } from "../helpers/firmware.ts";
import { ptyBoard } from "../helpers/pty-board.ts";
import { waitFor } from "../helpers/wait.ts";

const dir = mkdtempSync(join(tmpdir(), "mcu-monitor-start-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("lineStart drops the tail of a line the port opened into, and nothing else", () => {
  let t = 0;
  const clock = () => t;
  const midLine = lineStart(clock);
  t = 5;
  assert.equal(midLine.take("ild 2024-02-25"), "");
  t = 500;
  assert.equal(midLine.take(" powered by Lua\r\ncannot open"), "cannot open");
  assert.equal(midLine.take(" init.lua\r\n"), " init.lua\r\n");
  const quiet = lineStart(clock);
  t = 700;
  assert.equal(quiet.take("mqtt: connected\r\n"), "mqtt: connected\r\n");
  const typed = lineStart(clock);
  typed.sync();
  assert.equal(typed.take("=1+1\r\n2\r\n> "), "=1+1\r\n2\r\n> ");
  const endless = lineStart(clock);
  assert.equal(endless.take("x".repeat(1000)), "");
  assert.equal(endless.take("y".repeat(100)), "y".repeat(100));
});

test("./flash.sh's console after the restart shows only whole lines of what the board printed", async () => {
  mcuBin();
  const out = join(dir, "build");
  await buildFirmware({
    configFile: writeConfig({
      id: "mid",
      wifi: { ssid: "emulated", password: "nodemcu-emulator" },
      mqtt: { host: "127.0.0.1", port: 1 },
    }),
    outDir: out,
    log: () => {},
  });
  // The board already holds the build, so the run goes straight to the restart; at 9600 baud its
  // banner is still on the wire when the upload's session lets go of the port and the console opens.
  const flashDir = join(dir, "flash");
  mkdirSync(flashDir);
  for (const f of readdirSync(out).filter((n) => n.endsWith(".lua"))) copyFileSync(join(out, f), join(flashDir, f));
  const pb = ptyBoard({ flashDir, baud: 9600 });
  try {
    assert.ok(await waitFor(() => /> $/.test(pb.text()), 20000), `no prompt: ${pb.text().slice(-200)}`);
    let kill = () => {};
    const done = flashSh(["--no-build", "--out", out, "--port", pb.link], {
      onSpawn: (k) => (kill = k),
      // Enough console to judge: up to the app's Wi-Fi address (whether the banner's last line made it whole or not).
      onStdout: (s) => /wifi: got ip[^\n]*\n/.test(s.split("restarted into firmware")[1] ?? "") && kill(),
    });
    const r = await done;
    const shown = r.stdout.split(/restarted into firmware[^\n]*\n/)[1];
    assert.ok(shown, `no console after the restart: ${r.stdout}\n${r.stderr}`);
    // A line may follow the REPL's "> " prompt, which ends no line; the console may start after it.
    const printed = new Set(
      pb
        .text()
        .split("\r\n")
        .flatMap((l) => [l, l.replace(/^(?:> )+/, "")]),
    );
    const lines = shown.split("\n").slice(0, -1);
    assert.ok(lines.length >= 2, `too little console: ${JSON.stringify(shown)}`);
    for (const line of lines)
      assert.ok(
        printed.has(line.replace(/\r$/, "")),
        `the console shows ${JSON.stringify(line)}, which is not a whole line the board printed`,
      );
  } finally {
    pb.close();
  }
});
