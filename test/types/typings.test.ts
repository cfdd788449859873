// @types/nodemcu: correct calls compile, each marked misuse is a real error, and calls come out
// of TypeScriptToLua with `.` for module functions and `:` for methods, as the device expects.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { before, test } from "node:test";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import * as tstl from "typescript-to-lua";

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, "fixtures");
const MARK = "// @ts-expect-error";
/** The fixtures: ok*.ts must compile cleanly, misuse*.ts mark each line that must not. */
const fixtureFiles = (prefix: string) =>
  readdirSync(fixtures)
    .filter((f) => f.startsWith(prefix) && f.endsWith(".ts"))
    .map((f) => join(fixtures, f));
const okFiles = fixtureFiles("ok");
const misuseFiles = fixtureFiles("misuse");

let options: tstl.CompilerOptions;

before(() => {
  // The firmware's own settings (lib ESNext, only the Lua typings, and its "tstl" block: Lua 5.1,
  // noImplicitSelf, noResolvePaths), so the fixtures see what firmware code sees.
  const parsed = tstl.parseConfigFileWithSystem(join(here, "../../firmware/tsconfig.json"));
  assert.equal(parsed.errors.length, 0, describe(parsed.errors));
  options = { ...parsed.options, rootDir: fixtures, noEmit: false, outDir: join(fixtures, "out") };
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
  const ds = diagnostics(new Map([...okFiles, ...misuseFiles].map((f) => [f, readFileSync(f, "utf8")])));
  assert.equal(ds.length, 0, describe(ds));
});

test("every @ts-expect-error marks a real error: without the mark, that line fails", () => {
  // One program holds a variant per mark, each with that one mark blanked out.
  const variants = new Map<string, string>();
  const cases: { file: string; line: number; what: string }[] = [];
  for (const misuseFile of misuseFiles) {
    const lines = readFileSync(misuseFile, "utf8").split("\n");
    const name = basename(misuseFile, ".ts");
    for (const [i, l] of lines.entries()) {
      if (!l.trimStart().startsWith(MARK)) continue;
      const copy = [...lines];
      copy[i] = "";
      const file = join(fixtures, `${name}_variant_${i}.ts`);
      variants.set(file, copy.join("\n"));
      cases.push({ file, line: i + 1, what: `line ${i + 2} of ${name}.ts (${l.trim().slice(MARK.length).trim()})` });
    }
  }
  assert.ok(cases.length >= 90, `only ${cases.length} misuse cases`);
  const ds = diagnostics(variants);
  for (const { file, line, what } of cases) {
    const hit = ds.some(
      (d) => d.file?.fileName === file && d.file.getLineAndCharacterOfPosition(d.start!).line === line,
    );
    assert.ok(hit, `${what} compiles without its mark`);
  }
});

test("methods compile to `:` calls, module functions to `.` calls, callbacks take no self", () => {
  const out = new Map<string, string>();
  const result = tstl.transpileFiles(okFiles, options, (name, text) => out.set(name, text));
  assert.equal(
    result.diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error).length,
    0,
    describe(result.diagnostics),
  );
  assert.equal(out.size, okFiles.length, `Lua for ${okFiles.length} fixtures, got ${[...out.keys()]}`);
  const lua = [...out.values()].join("\n");
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
    "pulser:start(",
    "pulser:getstate(",
    "udp:listen(",
    "conn:dns(",
    "srv:getaddr(",
    "enc:read(",
    "dec:write(",
    "ts:connect(",
    "entry:handler(",
    "hasher:update(",
    "p:unread(",
    "p:reader(",
    "ds:read_temp(",
    "sensor:read(",
    "sensor:startreadout(",
    "disp:drawStr(",
    "spiDisp:setFont(",
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
    "adc.read(",
    "dht.read11(",
    "i2c.write(",
    "ow.search(",
    "spi.send(",
    "gpio.pulse.build(",
    "wifi.ap.dhcp.config(",
    "net.dns.setdnsserver(",
    "rtctime.get(",
    "sntp.sync(",
    "http.delete(",
    "pwm2.set_duty(",
    "tls.cert.verify(",
    "enduser_setup.start(",
    "cron.schedule(",
    "crypto.new_hash(",
    "struct.unpack(",
    "pipe.create(",
    "bme280.read(",
    'require("ds18b20")',
    'require("bme280").setup(',
    "ds.enable_debug(",
    "u8g2.ssd1306_i2c_128x64_noname(",
  ]) {
    assert.ok(lua.includes(call), `expected ${call}`);
  }
  assert.doesNotMatch(lua, /function\(self/, "a callback was given a self parameter");
  assert.doesNotMatch(
    lua,
    /\b(tmr|node|wifi|mqtt|file|uart|gpio|rtcmem|sjson|bit|encoder|net|adc|dht|i2c|ow|spi|rtctime|sntp|http|pwm|pwm2|ws2812|tls|enduser_setup|mdns|cron|crypto|struct|pipe|bme280|u8g2|cert|dns|ap|dhcp|pulse|sta|eventmon|task|egc|LFS):\w+\(/,
    "a module function was called as a method",
  );
  assert.match(lua, /reason\["4WAY_HANDSHAKE_TIMEOUT"\]/);
});
