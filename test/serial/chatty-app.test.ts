// A board whose app prints all the time, on a slow line: at 9600 baud a long REPL line takes a
// quarter second to echo, and the app's lines land inside the echo. The uploader must not
// depend on an unbroken echo.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { mcu, mcuBin } from "../helpers/cli.ts";
import { ptyBoard } from "../helpers/pty-board.ts";
import { waitFor } from "../helpers/wait.ts";

test("mcu upload at 9600 baud to a board whose app prints every 100 ms", async () => {
  mcuBin();
  const dir = mkdtempSync(join(tmpdir(), "mcu-chatty-"));
  const flashDir = join(dir, "flash");
  const pb = ptyBoard({ baud: 9600, flashDir });
  try {
    // The app starts from the REPL, as it would from init.lua after a boot pause nobody stopped.
    assert.ok(await waitFor(() => /> $/.test(pb.text())), "the board never prompted");
    pb.board.input(Buffer.from('tmr.create():alarm(100, tmr.ALARM_AUTO, function() print("app: still here") end)\r\n'));
    assert.ok(await waitFor(() => (pb.text().match(/app: still here/g) ?? []).length >= 3), "the app never printed");

    const data = Buffer.from("-- uploaded while the app chatters\n".repeat(20));
    writeFileSync(join(dir, "chatter.lua"), data);
    const r = await mcu(["upload", "--port", pb.link, "--baud", "9600", join(dir, "chatter.lua")]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readFileSync(join(flashDir, "chatter.lua")), data);
  } finally {
    pb.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
