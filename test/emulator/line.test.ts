// The paced serial line: bytes arrive in order, complete, and no faster than the baud rate allows.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import { Line } from "../../tools/emulator/front/line.ts";

test("a 9600-baud line delivers every byte in order, in paced pieces rather than at once", async () => {
  const data = randomBytes(2000);
  const got: Buffer[] = [];
  await new Promise<void>((resolve) => {
    const line = new Line(9600, (b) => {
      got.push(b);
      if (Buffer.concat(got).length === data.length) resolve();
    });
    for (let i = 0; i < data.length; i += 100) line.send(data.subarray(i, i + 100));
  });
  assert.deepEqual(Buffer.concat(got), data);
  // Nothing is owed at the start, so the first send cannot go out whole.
  assert.ok(got.length > 1, `delivered in ${got.length} piece(s)`);
});

test("without a baud rate bytes pass straight through", () => {
  const got: Buffer[] = [];
  new Line(undefined, (b) => got.push(b)).send(Buffer.from("now"));
  assert.deepEqual(got, [Buffer.from("now")]);
});
