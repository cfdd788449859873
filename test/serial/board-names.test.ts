// Board file names: what SPIFFS on NodeMCU takes (1 to 31 bytes; 30 through the uploader, whose
// temp name adds "_") is sent byte for byte and comes back the same through upload, ls, cat, run
// and rm; what it cannot hold, or what would look like a folder, is refused before the port opens.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { mcu, mcuBin } from "../helpers/cli.ts";
import { type PtyBoard, ptyBoard } from "../helpers/pty-board.ts";
import { waitFor } from "../helpers/wait.ts";

let pb: PtyBoard;
const dir = mkdtempSync(join(tmpdir(), "mcu-names-"));
const local = join(dir, "source.lua");

before(async () => {
  mcuBin();
  writeFileSync(local, 'print("ran " .. 42)');
  pb = ptyBoard();
  assert.ok(await waitFor(() => /> $/.test(pb.text())), "the board never prompted");
});
after(() => {
  pb.close();
  rmSync(dir, { recursive: true, force: true });
});

const accepted = ["€.lua", "two words.lua", 'quote"and\\slash.lua', "ünïcödé-名前.lua", "x".repeat(30), "€".repeat(10)];

for (const name of accepted) {
  test(`a board file name round-trips exactly: ${JSON.stringify(name)}`, async () => {
    const up = await mcu(["upload", "--port", pb.link, "--as", name, local]);
    assert.equal(up.code, 0, up.stderr);
    const ls = await mcu(["ls", "--port", pb.link, "--json"]);
    // The run helper keeps stdout as latin1 bytes; ls prints UTF-8.
    const names = (
      JSON.parse(Buffer.from(ls.stdout, "latin1").toString("utf8")) as { files: { name: string }[] }
    ).files.map((f) => f.name);
    assert.ok(names.includes(name), `${JSON.stringify(name)} not in ${JSON.stringify(names)}`);
    assert.ok(!names.some((n) => n.startsWith("_")), `a temp file was left: ${JSON.stringify(names)}`);
    const cat = await mcu(["cat", "--port", pb.link, name]);
    assert.equal(cat.stdout, 'print("ran " .. 42)');
    const run = await mcu(["run", "--port", pb.link, name]);
    assert.equal(run.stdout, "ran 42\n", run.stderr);
    const rm = await mcu(["rm", "--port", pb.link, name]);
    assert.equal(rm.code, 0, rm.stderr);
    const again = await mcu(["rm", "--port", pb.link, name]);
    assert.equal(again.code, 1, "removed twice");
  });
}

const refused: [string, RegExp][] = [
  ["a\x01b.lua", /holds a control character/],
  ["tab\there.lua", /holds a control character/],
  ["..", /is not a file name: the board's flash has no folders/],
  [".", /is not a file name/],
  ["dir/x.lua", /holds a "\/": the board's flash has no folders/],
  ["x".repeat(31), /is too long \(31 bytes\): names on the board hold 30 bytes here/],
  ["€".repeat(11), /is too long \(33 bytes\)/],
  ["", /cannot be empty/],
];

for (const [name, why] of refused) {
  test(`a name the board cannot hold is refused up front, exit 2: ${JSON.stringify(name)}`, async () => {
    pb.clearText();
    const up = await mcu(["upload", "--port", pb.link, "--as", name, local]);
    assert.equal(up.code, 2, up.stderr);
    assert.match(up.stderr, why);
    assert.equal(pb.text(), "", "the refused upload talked to the board");
  });
}
