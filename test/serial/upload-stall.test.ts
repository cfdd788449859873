// An upload whose process is paused (SIGSTOP, Ctrl-Z) longer than the board's receiver waits:
// whatever the timing, the file's bytes never reach the Lua interpreter. The receiver locks the
// console instead of handing it back, and the woken uploader unlocks it and sends the file again.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { mcuBin } from "../helpers/cli.ts";
import { ptyBoard } from "../helpers/pty-board.ts";
import { waitFor } from "../helpers/wait.ts";

/** 60 KB of Lua that would delete victim.lua, line after line, if any of it ran. */
function hostileFile(): Buffer {
  const line = 'file.remove("victim.lua") print("RAN-FILE-BYTES")\n';
  return Buffer.from(line.repeat(Math.ceil(60_000 / line.length)));
}

test("a paused upload never turns the file into REPL input; it resumes, unlocks the board and completes", async () => {
  const dir = mkdtempSync(join(tmpdir(), "mcu-stall-"));
  const pb = ptyBoard({ baud: 115200 });
  try {
    writeFileSync(join(pb.flashDir, "victim.lua"), "-- must survive");
    const data = hostileFile();
    writeFileSync(join(dir, "big60.lua"), data);
    assert.ok(await waitFor(() => /> $/.test(pb.text())), "the board never prompted");

    const child = spawn(process.execPath, [resolve(mcuBin()), "upload", "--port", pb.link, join(dir, "big60.lua")], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.on("close", (code) => r(code)));

    // Pause it once a few blocks are through, and keep it paused until the board has given up.
    const start = pb.received();
    assert.ok(await waitFor(() => pb.received() - start > 5000, 30000), "the upload never started");
    child.kill("SIGSTOP");
    assert.ok(
      await waitFor(() => /#K \d+ upload cut/.test(pb.text()), 15000),
      `the board's receiver did not lock the console: ${pb.text().slice(-300)}`,
    );
    child.kill("SIGCONT");

    const code = await exited;
    assert.equal(code, 0, stderr);
    assert.match(stderr, /the transfer stalled and the board stopped listening; sending it again/);
    assert.doesNotMatch(pb.text(), /RAN-FILE-BYTES/, "file bytes ran at the REPL");
    assert.equal(readFileSync(join(pb.flashDir, "victim.lua"), "utf8"), "-- must survive");
    assert.deepEqual(readFileSync(join(pb.flashDir, "big60.lua")), data);
  } finally {
    pb.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
