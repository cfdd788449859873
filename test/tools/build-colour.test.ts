// A failed build's diagnostics are coloured for a terminal only: piped (a CI log, | less, a file)
// they carry no ANSI escape; FORCE_COLOR asks for colour anyway (issue 24, point 16a).
import assert from "node:assert/strict";
import { appendFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { mcu, mcuBin } from "../helpers/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "mcu-colour-"));
const app = join(dir, "app");
before(async () => {
  mcuBin();
  assert.equal((await mcu(["new", app])).code, 0);
  appendFileSync(join(app, "src", "app.ts"), '\nconst wrong: number = "text";\nprint(wrong);\n');
});
after(() => rmSync(dir, { recursive: true, force: true }));

const plain = { FORCE_COLOR: undefined, NO_COLOR: undefined };

test("a build with a type error, its output piped, has no ANSI escape and says where the error is", async () => {
  const r = await mcu(["build", "--app", app, "--out", join(dir, "out1")], { env: plain });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /src\/app\.ts:\d+:\d+ - error TS2322: Type 'string' is not assignable to type 'number'/);
  assert.doesNotMatch(r.stderr + r.stdout, /\x1b/);
});

test("FORCE_COLOR=1 colours it even piped, and NO_COLOR does not", async () => {
  const forced = await mcu(["build", "--app", app, "--out", join(dir, "out2")], {
    env: { ...plain, FORCE_COLOR: "1" },
  });
  assert.equal(forced.code, 1, forced.stderr);
  assert.match(forced.stderr, /\x1b\[\d+m/);
  assert.doesNotMatch(forced.stderr, /\\x1b/, "the colour escaped as text");
  const no = await mcu(["build", "--app", app, "--out", join(dir, "out3")], { env: { ...plain, NO_COLOR: "1" } });
  assert.equal(no.code, 1, no.stderr);
  assert.doesNotMatch(no.stderr, /\x1b/);
});
