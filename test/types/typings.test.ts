// @types/nodemcu: correct calls compile, each marked misuse is a real error, and calls come out
// of TypeScriptToLua with `.` for module functions and `:` for methods, as the device expects.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { before, test } from "node:test";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import * as tstl from "typescript-to-lua";

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, "fixtures");
const okFile = join(fixtures, "ok.ts");
const misuseFile = join(fixtures, "misuse.ts");
const MARK = "// @ts-expect-error";

let options: tstl.CompilerOptions;

before(() => {
  // The firmware's own settings (lib ESNext, only the Lua typings), so the fixtures see what firmware code sees.
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(here, "../../firmware/tsconfig.json"),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(ts.flattenDiagnosticMessageText(d.messageText, "\n")),
    },
  );
  options = { ...(parsed!.options as tstl.CompilerOptions), rootDir: fixtures, noEmit: false, outDir: join(fixtures, "out") };
});

/** Type-checks in-memory files (path -> text) with the firmware's settings. */
function diagnostics(files: Map<string, string>): readonly ts.Diagnostic[] {
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  host.readFile = (f) => files.get(f) ?? readFile(f);
  host.fileExists = (
    (exists) => (f: string) =>
      files.has(f) || exists(f)
  )(host.fileExists.bind(host));
  const program = ts.createProgram([...files.keys()], options, host);
  return ts.getPreEmitDiagnostics(program);
}

function describe(ds: readonly ts.Diagnostic[]): string {
  return ds
    .map(
      (d) =>
        `${d.file?.fileName ?? ""}:${d.file ? d.file.getLineAndCharacterOfPosition(d.start!).line + 1 : 0} ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`,
    )
    .join("\n");
}

test("correct calls and the marked misuses both compile cleanly", () => {
  const ds = diagnostics(
    new Map([
      [okFile, readFileSync(okFile, "utf8")],
      [misuseFile, readFileSync(misuseFile, "utf8")],
    ]),
  );
  assert.equal(ds.length, 0, describe(ds));
});

test("every @ts-expect-error marks a real error: without the mark, that line fails", () => {
  const lines = readFileSync(misuseFile, "utf8").split("\n");
  const marks = lines.flatMap((l, i) => (l.trimStart().startsWith(MARK) ? [i] : []));
  assert.ok(marks.length >= 20, `only ${marks.length} misuse cases`);
  // One program holds a variant per mark, each with that one mark blanked out.
  const variants = new Map<string, string>();
  for (const i of marks) {
    const copy = [...lines];
    copy[i] = "";
    variants.set(join(fixtures, `misuse_variant_${i}.ts`), copy.join("\n"));
  }
  const ds = diagnostics(variants);
  for (const i of marks) {
    const file = join(fixtures, `misuse_variant_${i}.ts`);
    const hit = ds.some((d) => d.file?.fileName === file && d.file.getLineAndCharacterOfPosition(d.start!).line === i + 1);
    assert.ok(hit, `line ${i + 2} of misuse.ts (${lines[i]!.slice(MARK.length).trim()}) compiles without its mark`);
  }
});

test("methods compile to `:` calls, module functions to `.` calls, callbacks take no self", () => {
  const out = new Map<string, string>();
  const result = tstl.transpileFiles([okFile], options, (name, text) => out.set(name, text));
  assert.equal(result.diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error).length, 0, describe(result.diagnostics));
  const lua = [...out.entries()].find(([n]) => n.endsWith("ok.lua"))?.[1];
  assert.ok(lua, `no ok.lua among ${[...out.keys()]}`);
  for (const call of [
    "t:register(",
    "t:start(",
    "t:alarm(",
    "timer:stop(",
    "m:lwt(",
    "m:on(",
    "m:connect(",
    "c:subscribe(",
    "client:publish(",
    "fd:write(",
    "fd:seek(",
    "sk:on(",
    "s:send(",
  ]) {
    assert.ok(lua.includes(call), `expected ${call}`);
  }
  for (const call of [
    "tmr.create(",
    "node.heap(",
    "node.task.post(",
    "wifi.sta.config(",
    "wifi.eventmon.register(",
    "mqtt.Client(",
    "file.open(",
    "file.fsinfo(",
    "uart.on(",
    "rtcmem.read32(",
    "sjson.encode(",
    "bit.band(",
    "bit.lshift(",
    "string.format(",
    "net.createConnection(",
  ]) {
    assert.ok(lua.includes(call), `expected ${call}`);
  }
  assert.doesNotMatch(lua, /function\(self/, "a callback was given a self parameter");
  assert.doesNotMatch(lua, /(tmr|node|wifi|mqtt|file|uart|gpio|rtcmem|sjson|bit|encoder|net):/, "a module function was called as a method");
  assert.match(lua, /reason\["4WAY_HANDSHAKE_TIMEOUT"\]/);
});
