// `mcu emulate` with a bad --load, --flash or --serial: a message saying what is wrong, exit 2,
// and no stack trace.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { mcu, type Run } from "../helpers/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "mcu-emulate-args-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const flash = join(dir, "flash");
const regular = join(dir, "notes.txt");
writeFileSync(regular, "keep me");

function assertUsageError(run: Run, message: RegExp): void {
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, message);
  assert.doesNotMatch(run.stderr, /unexpected error|\n\s+at /);
}

test("emulate --load with a folder that does not exist says so and exits 2", async () => {
  assertUsageError(
    await mcu(["emulate", "--flash", flash, "--load", "/nonexistent"]),
    /^mcu emulate: --load \/nonexistent: no such folder; give the folder mcu build writes/,
  );
});

test("emulate --serial in a folder that does not exist says so and exits 2", async () => {
  assertUsageError(
    await mcu(["emulate", "--flash", flash, "--serial", "/nonexistent/dir/tty"]),
    /^mcu emulate: --serial \/nonexistent\/dir\/tty: the folder \/nonexistent\/dir does not exist; choose another path/,
  );
});

test("emulate --serial on an existing regular file refuses it, exits 2 and leaves the file alone", async () => {
  assertUsageError(
    await mcu(["emulate", "--flash", flash, "--serial", regular]),
    /--serial .*notes\.txt exists and is not a link; choose a path/,
  );
  assert.equal(readFileSync(regular, "utf8"), "keep me");
  assertUsageError(
    await mcu(["emulate", "--flash", flash, "--serial", join(regular, "tty")]),
    /notes\.txt is not a folder; choose another path/,
  );
});

test("emulate --flash on a regular file says it is not a folder and exits 2", async () => {
  assertUsageError(
    await mcu(["emulate", "--flash", regular]),
    /^mcu emulate: --flash .*notes\.txt: not a folder; give a folder/,
  );
});
