// The CLI kit's option validators and table printer: one message shape for every number option,
// and the layouts of `mcu devices`, `mcu build` and `mcu ls` as they were before they shared it.
import assert from "node:assert/strict";
import { test } from "node:test";
import { CliError, EXIT, number, table, wholeNumber } from "../../host/kit/index.ts";

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof CliError && err.exitCode === EXIT.usage, String(err));
    return err.message;
  }
  assert.fail("accepted");
}

test("number options: absent is undefined, in range is the number, anything else is exit 2 saying what is wanted", () => {
  assert.equal(wholeNumber("qos", undefined, { min: 0, max: 2 }), undefined);
  assert.equal(wholeNumber("qos", "2", { min: 0, max: 2 }), 2);
  assert.equal(number("timeout", "0.5", { positive: true, unit: "seconds" }), 0.5);
  assert.equal(
    refusal(() => wholeNumber("qos", "3", { min: 0, max: 2 })),
    '--qos must be a whole number from 0 to 2, got "3"',
  );
  assert.equal(
    refusal(() => wholeNumber("heap", "1.5", { min: 4096 })),
    '--heap must be a whole number of at least 4096, got "1.5"',
  );
  assert.equal(
    refusal(() => wholeNumber("ram-budget", "0", { positive: true, unit: "bytes" })),
    '--ram-budget must be a positive whole number of bytes, got "0"',
  );
  assert.equal(
    refusal(() => number("timeout", "Infinity", { positive: true, unit: "seconds" })),
    '--timeout must be a positive number of seconds, got "Infinity"',
  );
  assert.equal(
    refusal(() => number("interval", "", { min: 0, max: 10 })),
    '--interval must be a number from 0 to 10, got ""',
  );
  assert.match(
    refusal(() => wholeNumber("count", "ten", { min: 1 })),
    /^--count must be a whole number of at least 1/,
  );
});

test("table: columns as wide as their widest cell, right-aligned numbers, short rows, trailing spaces trimmed", () => {
  // mcu devices: headers, two spaces between columns.
  const devices = table(
    [["kitchen", "online", "", "40000"]],
    ["id", "state", "ip", "heap"].map((header) => ({ header })),
  );
  assert.deepEqual(devices, ["id       state   ip  heap", "kitchen  online      40000"]);
  // mcu build: indented, one space, fixed minimum widths, a total row without the ram cell.
  const build = table(
    [
      ["init.lua", "812", "3120"],
      ["total", "812"],
    ],
    [
      { header: "file", minWidth: 20 },
      { header: "bytes", align: "right", minWidth: 7 },
      { header: "ram", align: "right", minWidth: 9 },
    ],
    { indent: "  ", gap: " " },
  );
  assert.deepEqual(build, [
    `  ${"file".padEnd(20)} ${"bytes".padStart(7)} ${"ram".padStart(9)}`,
    `  ${"init.lua".padEnd(20)} ${"812".padStart(7)} ${"3120".padStart(9)}`,
    `  ${"total".padEnd(20)} ${"812".padStart(7)}`,
  ]);
  // mcu ls: no headers.
  assert.deepEqual(table([["a.lua", "12"]], [{ minWidth: 4 }, { align: "right", minWidth: 7 }]), [
    `a.lua  ${"12".padStart(7)}`,
  ]);
  assert.deepEqual(table([], [{ minWidth: 4 }]), []);
});
