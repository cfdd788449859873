// Upload progress lines: rates print rounded, in B/s or KB/s.
import assert from "node:assert/strict";
import { test } from "node:test";
import { fileProgress } from "../../tools/serial/progress.ts";

test("an upload's rate prints as a whole number of B/s, not a long fraction", async () => {
  let out = "";
  const stream = {
    isTTY: false,
    write: (s: string) => {
      out += s;
      return true;
    },
  } as unknown as NodeJS.WriteStream;
  const bar = fileProgress("tiny.lua", stream);
  // One byte over a few milliseconds is a rate under 1 KB/s, and almost never a whole number.
  await new Promise((r) => setTimeout(r, 7));
  bar.done(1);
  assert.match(out, /tiny\.lua\s+1 B in \d+\.\d\d s \(\d+ B\/s\), verified\n$/);
});
