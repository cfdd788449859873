// The hand-written Lua (the emulator's NodeMCU modules and the benchmark's reference firmware)
// passes luacheck under the repository's .luacheckrc without a single warning.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const DIRS = ["tools/emulator", "bench/reference"];

test("luacheck finds nothing to warn about in tools/emulator and bench/reference", () => {
  const r = spawnSync("luacheck", ["--config", ".luacheckrc", "--no-color", "--codes", ...DIRS], {
    cwd: root,
    encoding: "utf8",
  });
  if ((r.error as NodeJS.ErrnoException | undefined)?.code === "ENOENT") {
    assert.fail("luacheck is not on the PATH: install it (Debian/Ubuntu package lua-check, which CI installs)");
  }
  assert.ifError(r.error);
  assert.equal(r.status, 0, `luacheck found problems:\n${r.stdout}${r.stderr}`);
  const files = DIRS.flatMap((d) =>
    readdirSync(join(root, d), { recursive: true }).filter((f) => String(f).endsWith(".lua")),
  );
  assert.match(r.stdout, new RegExp(`Total: 0 warnings / 0 errors in ${files.length} files`));
});
