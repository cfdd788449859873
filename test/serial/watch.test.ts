// ./flash.sh --watch on an app folder (mcu new): a saved edit is built and flashed, only the files
// it changed go up, and the board runs the new code; a build that fails is shown and the board
// keeps its last good build.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { flashSh, mcu, mcuBin } from "../helpers/cli.ts";
import { ptyBoard } from "../helpers/pty-board.ts";
import { waitFor } from "../helpers/wait.ts";

const dir = mkdtempSync(join(tmpdir(), "mcu-watch-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("./flash.sh --watch: a saved edit reaches the board (only what it changed is uploaded); a broken build leaves the board alone", async () => {
  mcuBin();
  const app = join(dir, "w");
  assert.equal((await mcu(["new", app])).code, 0);
  writeFileSync(
    join(app, "device.json"),
    JSON.stringify({
      id: "w",
      wifi: { ssid: "emulated", password: "nodemcu-emulator" },
      mqtt: { host: "127.0.0.1", port: 1 },
    }),
  );
  const pb = ptyBoard();
  let out = "";
  let kill = () => {};
  const done = flashSh(["--app", app, "--port", pb.link, "--watch"], {
    onSpawn: (k) => (kill = k),
    onStdout: (s) => (out = s),
  });
  try {
    // What the board itself printed: the console flash.sh shows starts at a line boundary and may
    // drop the app's first line when it follows the "> " prompt the port opened into.
    assert.ok(
      await waitFor(() => /restarted into firmware/.test(out) && pb.text().includes("app: w joining"), 60000),
      `the first flash never ran the app:\n${out}`,
    );

    const source = join(app, "src", "app.ts");
    // The template is one call of the session library (docs/session.md): the edit adds a line.
    writeFileSync(source, `${readFileSync(source, "utf8")}print("app: w watching");\n`);
    if (
      !(await waitFor(
        () => out.split("restarted into firmware").length === 3 && pb.text().includes("app: w watching"),
        60000,
      ))
    ) {
      kill();
      assert.fail(
        `the edit never ran on the board:\n${out.slice(-2000)}\nstderr: ${(await done).stderr}\nboard: ${pb.text().slice(-1500)}`,
      );
    }
    const round = out.slice(out.indexOf("changed; building"));
    const uploaded = [...round.matchAll(/^ {2}(\S+)\s+[\d.]+ K?B in .*verified$/gm)].map((m) => m[1]).sort();
    // Only app.lua: a --watch build's version is "+watch", so config.lua stays as it was.
    assert.deepEqual(uploaded, ["app.lua"], round);
    assert.match(readFileSync(join(pb.flashDir, "app.lua"), "latin1"), /watching/);

    writeFileSync(source, "this is not TypeScript (\n");
    assert.ok(
      await waitFor(
        () => /does not compile[\s\S]*keeps the build it had/.test(out.slice(out.lastIndexOf("changed; building"))),
        60000,
      ),
      out.slice(-2000),
    );
    assert.match(
      readFileSync(join(pb.flashDir, "app.lua"), "latin1"),
      /watching/,
      "the board's app changed after a failed build",
    );
    assert.doesNotMatch(out.slice(out.lastIndexOf("changed; building")), /uploaded/);
  } finally {
    kill();
    await done;
    pb.close();
  }
});
