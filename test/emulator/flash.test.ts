// The emulated board's flash is SPIFFS's flat namespace inside one host folder: no board file
// name reaches a file outside it, and every name SPIFFS can hold comes back byte for byte.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { after, test } from "node:test";
import { mcu } from "../helpers/cli.ts";
import { testBoard } from "../helpers/test-board.ts";
import { waitForMatch as until } from "../helpers/wait.ts";

const root = mkdtempSync(join(tmpdir(), "mcu-spiffs-"));
after(() => rmSync(root, { recursive: true, force: true }));

/**
 * Boots a board on `flashDir` and runs `script` there from a file (typed lines are cut at 256
 * bytes); the script deletes its own file first. Returns what it printed.
 */
async function runOnBoard(flashDir: string, script: string): Promise<string> {
  const b = testBoard({ flashDir, files: { "t.lua": `file.remove("t.lua")\n${script}\nprint("END")\n` } });
  try {
    await until(b.text, /> $/);
    b.board.input('dofile("t.lua")\n');
    await until(b.text, /\r\nEND\r\n> $/);
    return b.text();
  } finally {
    b.stop();
  }
}

/** Every file under `dir`, as paths relative to it. */
function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).sort();
}

test("a script on the board cannot write, read, stat, rename or remove a file outside its flash folder", async () => {
  const home = join(root, "escape");
  const flash = join(home, "a", "b", "flash");
  mkdirSync(flash, { recursive: true });
  writeFileSync(join(home, "a", "secret.txt"), "host secret");
  writeFileSync(join(flash, "inside.txt"), "board file");
  const up = "../".repeat(relative("/", flash).split("/").length);
  const out = await runOnBoard(
    flash,
    `f = file.open("../../escaped.txt", "w") f:write("x") f:close()
     print("read", file.getcontents("${up}etc/hostname"))
     print("stat", pcall(file.stat, "${up}etc/passwd"))
     print("seen", file.exists("${up}etc/passwd"))
     print("secret", file.exists("../secret.txt"), file.getcontents("../secret.txt"), file.rename("../secret.txt", "stolen.txt"))
     file.remove("../secret.txt")
     print("out", file.rename("inside.txt", "../moved.txt"))`,
  );
  assert.match(out, /\r\nread\tnil\r\n/, "/etc/hostname was read");
  // file.stat checks the whole name's length: a deep temp folder makes it "filename invalid".
  assert.match(out, /\r\nstat\t(true\tnil|false\t[^\r]*filename invalid)\r\n/, "/etc/passwd was seen");
  assert.match(out, /\r\nseen\tfalse\r\n/, "/etc/passwd was seen");
  assert.match(out, /\r\nsecret\tfalse\tnil\tfalse\r\n/, "a file outside the flash was seen");
  assert.match(out, /\r\nout\ttrue\r\n/);
  // Outside the flash folder nothing changed; "../../escaped.txt" and "../moved.txt" are plain names in it.
  assert.deepEqual(
    tree(home).filter((p) => !p.startsWith(join("a", "b", "flash"))),
    ["a", join("a", "b"), join("a", "secret.txt")],
  );
  assert.equal(readFileSync(join(home, "a", "secret.txt"), "utf8"), "host secret");
  const board = await runOnBoard(flash, `for k, v in pairs(file.list()) do print("has", k, v) end`);
  assert.deepEqual(board.match(/has\t.*?\r\n/g)?.sort(), [
    "has\t../../escaped.txt\t1\r\n",
    "has\t../moved.txt\t10\r\n",
  ]);
});

test("board file names of any bytes (1 to 31 of them) round-trip exactly through open, list, exists, stat, rename and remove", async () => {
  const flash = join(root, "names");
  // In Lua, "\226\130\172" is the UTF-8 of "€"; \1 and \255 are no text at all.
  const out = await runOnBoard(
    flash,
    String.raw`local names = { "\226\130\172.lua", "a\1b.lua", ".", "..", "...", "%41", "A", "a b", "a/b", ":", "\255", "~", ".hidden",
       "init.lua", ("%"):rep(31), ("\255"):rep(31) }
     local bad = {}
     local function check(ok, n, what) if not ok then bad[#bad + 1] = what .. ":" .. (n:gsub("%W", function(c) return "\\" .. c:byte() end)) end end
     for _, n in ipairs(names) do check(file.putcontents("/FLASH/" .. n, n), n, "put") end
     local list, count = file.list(), 0
     for _ in pairs(list) do count = count + 1 end
     check(count == #names, tostring(count), "count")
     for i, n in ipairs(names) do
       check(list[n] == #n, n, "list") check(file.getcontents(n) == n, n, "get") check(file.exists(n), n, "exists")
       local st = file.stat(n) check(st and st.size == #n, n, "stat")
       check(file.rename(n, "r" .. i) and not file.exists(n), n, "rename")
       check(file.rename("r" .. i, n) and file.getcontents(n) == n, n, "back")
     end
     for _, n in ipairs(names) do file.remove(n) check(not file.exists(n), n, "remove") end
     print("bad", table.concat(bad, " "), next(file.list()))`,
  );
  assert.match(out, /\r\nbad\t\tnil\r\n/);
  assert.deepEqual(readdirSync(flash), [], "remove left host files behind");
});

test("the flash folder keeps plain names as they are and escapes the others, so folders from earlier versions still work", async () => {
  const flash = join(root, "plain");
  mkdirSync(flash);
  writeFileSync(join(flash, "init.lua"), "print('from init')");
  writeFileSync(join(flash, "config.lua"), "return 1");
  const out = await runOnBoard(
    flash,
    `file.putcontents("\\226\\130\\172 x", "1") file.putcontents("..", "2") print("cfg", dofile("config.lua"))`,
  );
  assert.match(out, /\r\ncfg\t1\r\n/);
  assert.deepEqual(readdirSync(flash).sort(), ["%2E%2E", "%E2%82%AC%20x", "config.lua", "init.lua"]);
});

test("a name typed at the REPL reaches the flash as the bytes typed (the uploader's commands come this way)", async () => {
  const flash = join(root, "typed");
  const b = testBoard({ flashDir: flash });
  try {
    await until(b.text, /> $/);
    b.board.input(
      Buffer.from('file.putcontents("€.lua", "x") for k in pairs(file.list()) do print("typed", #k) end\n', "utf8"),
    );
    await until(b.text, /\r\ntyped\t\d+\r\n> $/);
  } finally {
    b.stop();
  }
  assert.match(b.text(), /\r\ntyped\t7\r\n/);
  assert.deepEqual(readdirSync(flash), ["%E2%82%AC.lua"]);
});

test("names longer than SPIFFS's 31 bytes fail as NodeMCU's file module does: 'filename invalid' for the base name, nil from SPIFFS", async () => {
  const flash = join(root, "long");
  const n31 = "n".repeat(31);
  const out = await runOnBoard(
    flash,
    String.raw`print("base", pcall(file.open, "${n31}x", "w"))
     print("path", file.open("d/${n31}", "w"), file.exists("d/${n31}"), file.rename("d/${n31}", "y"))
     print("stat", pcall(file.stat, "d/${n31}"))
     print("drive", file.putcontents("/FLASH/${n31}", ""), file.exists("${n31}"), file.open("/SD0/x", "w"), file.exists("/SD0/x"))
     print("slash", file.putcontents("/FLASH//x", ""), file.list()["/x"], file.exists("/x"))
     print("nul", pcall(file.open, "a\0b", "w"))`,
  );
  assert.match(out, /\r\nbase\tfalse\t[^\r]*filename invalid\r\n/);
  assert.match(out, /\r\npath\tnil\tfalse\tfalse\r\n/);
  assert.match(out, /\r\nstat\tfalse\t[^\r]*filename invalid\r\n/);
  assert.match(out, /\r\ndrive\ttrue\ttrue\tnil\tfalse\r\n/);
  // "/FLASH//x" is the object "/x", which file.open("/x") cannot name: "/x" asks for drive "x".
  assert.match(out, /\r\nslash\ttrue\t0\tfalse\r\n/);
  assert.match(out, /\r\nnul\tfalse\t[^\r]*filename invalid\r\n/);
  assert.deepEqual(readdirSync(flash).sort(), ["%2Fx", n31]);
});

test("emulate --load copies files into the flash under the same name encoding, and refuses a name SPIFFS cannot hold", async () => {
  const build = join(root, "build");
  const flash = join(root, "loaded");
  mkdirSync(build);
  writeFileSync(join(build, "€ x.lua"), "return 'euro'");
  writeFileSync(join(build, "init.lua"), "print('booted ' .. dofile('€ x.lua'))");
  let kill = () => {};
  const run = await mcu(["emulate", "--flash", flash, "--load", build], {
    onSpawn: (k) => (kill = k),
    onStdout: (text) => /booted euro\r\n> $/.test(text) && kill(),
  });
  assert.match(run.stdout, /booted euro\r\n> $/);
  assert.deepEqual(readdirSync(flash).sort(), ["%E2%82%AC%20x.lua", "init.lua"]);

  writeFileSync(join(build, `${"l".repeat(28)}.lua`), "");
  const long = await mcu(["emulate", "--flash", flash, "--load", build]);
  assert.equal(long.code, 2);
  assert.match(long.stderr, /"l{28}\.lua" is longer than the 31 bytes of a SPIFFS file name; rename it/);
  assert.doesNotMatch(long.stderr, /unexpected error/);
});
