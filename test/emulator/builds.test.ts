// The emulated board's NodeMCU build: which modules it has (a module outside the build is nil),
// SSL or not, float or integer numbers, shown in the banner and node.info("build_config") alike;
// and `mcu emulate`'s --modules, --ssl and --number.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import type { Board, BoardOptions } from "../../tools/emulator/board.ts";
import { DEFAULT_BUILD, parseModules, RECOMMENDED_BUILD, UPLOADER_MODULES } from "../../tools/nodemcu/builds.ts";
import { mcu } from "../helpers/cli.ts";
import { replBoard } from "../helpers/test-board.ts";
import { waitForMatch as until } from "../helpers/wait.ts";

const dir = mkdtempSync(join(tmpdir(), "mcu-builds-"));
after(() => rmSync(dir, { recursive: true, force: true }));
async function board(opts: Omit<BoardOptions, "flashDir">): Promise<{ b: Board; out: () => string }> {
  const { modules, ...rest } = opts;
  const t = await replBoard({ modules, board: rest });
  return { b: t.board, out: t.text };
}

/** Types a line at the board's REPL and waits for its output and the next prompt. */
async function repl(b: { b: Board; out: () => string }, line: string, answer: RegExp): Promise<void> {
  b.b.input(`${line}\r\n`);
  await until(b.out, new RegExp(`${answer.source}\\r\\n> $`));
}

test("NodeMCU's default build: the banner lists user_modules.h's modules, rtcmem and sjson are nil, spi is there but not modelled", async () => {
  const b = await board({ modules: parseModules("default") });
  assert.match(
    b.out(),
    /\tSSL: false\r\n\tbuild type: float\r\n.*\r\n\tmodules: adc,bit,dht,file,gpio,i2c,mqtt,net,node,ow,spi,tmr,uart,wifi\r\n/,
  );
  await repl(
    b,
    "print(rtcmem, sjson, type(spi), node.info('build_config').modules)",
    /nil\tnil\ttable\tadc,bit,dht,file,gpio,i2c,mqtt,net,node,ow,spi,tmr,uart,wifi/,
  );
  await repl(
    b,
    "print(pcall(function() return spi.setup(1) end))",
    /false\tstdin:1: the emulator does not model NodeMCU's spi module \(spi\.setup\)/,
  );
});

test("the banner lists modules in NodeMCU's order (uart before u8g2), as tools/update_buildinfo.sh does", async () => {
  const b = await board({ modules: ["u8g2", "uart", "node", "file"] });
  assert.match(b.out(), /\tmodules: file,node,uart,u8g2\r\n/);
});

test('without --ssl a secure MQTT connect raises "ssl not available"; with it the banner and node.info say SSL', async () => {
  const plain = await board({});
  await repl(
    plain,
    'c = mqtt.Client("x") print(pcall(c.connect, c, "127.0.0.1", 8883, true))',
    /false\tssl not available/,
  );
  // The deprecated number form of the flag is read the same way (app/modules/mqtt.c:1073-1080).
  await repl(plain, 'print(pcall(c.connect, c, "127.0.0.1", 8883, 1))', /false\tssl not available/);
  await repl(plain, "print(node.info('build_config').ssl)", /false/);
  const ssl = await board({ ssl: true });
  assert.match(ssl.out(), /\tSSL: true\r\n/);
  await repl(ssl, "print(node.info('build_config').ssl)", /true/);
  await repl(ssl, 'c = mqtt.Client("x") print(pcall(c.connect, c, "127.0.0.1", 8883, true))', /true/);
});

test("an integer build: its banner and node.info say integer, and node.random() is 0", async () => {
  const b = await board({ numberType: "integer" });
  assert.match(b.out(), /\tbuild type: integer\r\n/);
  await repl(
    b,
    "print(node.info('build_config').number_type, node.random(), node.random(), node.random(1, 1))",
    /integer\t0\t0\t1/,
  );
  const float = await board({});
  await repl(float, "r = node.random() print(node.info('build_config').number_type, r >= 0 and r < 1)", /float\ttrue/);
});

test("README.md names the recommended build and what the firmware and uploader need, as tools/nodemcu/builds.ts does", () => {
  const readme = readFileSync("README.md", "utf8");
  assert.ok(readme.includes(`\`${RECOMMENDED_BUILD.join(" ")}\``), `README names ${RECOMMENDED_BUILD.join(" ")}`);
  for (const m of UPLOADER_MODULES) assert.ok(RECOMMENDED_BUILD.includes(m), `${m} is in the recommended build`);
  assert.ok(!DEFAULT_BUILD.includes("rtcmem") && !DEFAULT_BUILD.includes("sjson"));
});

test("emulate --modules with an unknown module, or --number with a bad type, is a usage error naming what it takes", async () => {
  const flash = join(dir, "cli-flash");
  const bad = await mcu(["emulate", "--flash", flash, "--modules", "file,mqtt,jsonx"]);
  assert.equal(bad.code, 2, bad.stderr);
  assert.match(
    bad.stderr,
    /--modules file,mqtt,jsonx: not NodeMCU module: jsonx; give "default", "recommended" or a comma list of: adc,.*,sjson,.*,xpt2046\n/,
  );
  const number = await mcu(["emulate", "--flash", flash, "--number", "double"]);
  assert.equal(number.code, 2, number.stderr);
  assert.match(number.stderr, /--number double: give "float" or "integer"/);
  for (const r of [bad, number]) assert.doesNotMatch(r.stderr, /\n\s+at /);
});
