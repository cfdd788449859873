// The emulated board's Lua runtime and console: boot, REPL, modules, restart and panic, checked
// against NodeMCU's documented behaviour.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { Board } from "../../tools/emulator/board.ts";
import { testBoard } from "../helpers/test-board.ts";
import { waitForMatch as until } from "../helpers/wait.ts";

function board(files: Record<string, string> = {}, modules?: string[]): { b: Board; out: () => string; dir: string } {
  const t = testBoard({ files, modules });
  return { b: t.board, out: t.text, dir: t.flashDir };
}

test("boots with the NodeMCU 3.0 banner, reports a missing init.lua and prompts", async () => {
  const { out } = board({}, ["bit", "file", "gpio", "mqtt", "net", "node", "rtcmem", "sjson", "tmr", "uart", "wifi"]);
  await until(out, /> $/);
  assert.match(
    out(),
    /\r\nNodeMCU 3\.0\.0\.0 \r\n\tbranch: .*\r\n\tSSL: false\r\n\tbuild type: float\r\n.*\tmodules: bit,file,gpio,mqtt,net,node,rtcmem,sjson,tmr,uart,wifi\r\n build .* powered by Lua 5\.1\.4 on SDK 3\.0\.1-dev\(fce080e\)\r\ncannot open init\.lua: \r\n> $/s,
  );
});

test("the REPL echoes input, answers =expr, continues chunks with >> and prints errors as the device does", async () => {
  const { b, out } = board();
  await until(out, /> $/);
  b.input("=1+1\r\n");
  await until(out, /=1\+1\r\n2\r\n> $/);
  b.input("for i = 1, 2 do\r\n");
  await until(out, />> $/);
  b.input("print(i * 10) end\r\n");
  await until(out, /10\r\n20\r\n> $/);
  b.input("nosuch()\n");
  await until(
    out,
    /Lua error: \tstdin:1: attempt to call global 'nosuch' \(a nil value\)\r\nstack traceback:\r\n\tstdin:1: in main chunk\r\n\t\[C\]: \?\r\n> $/,
  );
  b.input("x = = 1\n");
  await until(out, /Lua error: \tstdin:1: unexpected symbol near '='\r\n> $/);
});

test("typed lines longer than the 256-byte buffer lose their beginning", async () => {
  const { b, out } = board();
  await until(out, /> $/);
  b.input("x".repeat(255) + "print('tail')\r\n");
  await until(out, /tail\r\n> $/);
});

test("the firmware sees no io, os or debug, a math without trig, and read-only modules", async () => {
  const { b, out } = board();
  await until(out, /> $/);
  b.input("print(io, os, debug, math.sin, math.log, math.floor(2.5))\n");
  await until(out, /nil\tnil\tnil\tnil\tnil\t2\r\n> $/);
  b.input("tmr.create = nil\n");
  await until(out, /read-only table tmr/);
});

test("tmr: documented return values and errors; timers fire and single ones unregister", async () => {
  const { b, out } = board();
  await until(out, /> $/);
  b.input("t = tmr.create() print(t:start(), t:state())\n");
  await until(out, /false\tnil\r\n> $/);
  b.input("print(t:alarm(20, tmr.ALARM_SINGLE, function(tm) print('fired', tm == t) end), t:start())\n");
  await until(out, /true\tfalse\r\n> fired\ttrue\r\n/);
  b.input("print(t:state()) print(pcall(t.register, t, 0, 0, print))\n");
  await until(out, /nil\r\nfalse\t.*Range: 1-0x68D7A3\r\n> $/);
});

test("files written at the REPL survive node.restart(), and so does RTC memory", async () => {
  const { b, out, dir } = board();
  await until(out, /> $/);
  b.input('f = file.open("data.bin", "w") print(f:write("ab\\0\\255cd")) f:close() rtcmem.write32(5, 1234, 99)\n');
  await until(out, /true\r\n> $/);
  b.input("node.restart()\n");
  await until(out, /cannot open init\.lua: \r\n> [\s\S]*cannot open init\.lua: \r\n> $/);
  assert.deepEqual(readFileSync(join(dir, "data.bin")), Buffer.from([0x61, 0x62, 0, 0xff, 0x63, 0x64]));
  b.input('print(#file.getcontents("data.bin"), rtcmem.read32(5, 2)) print(node.bootreason())\n');
  await until(out, /6\t1234\t99\r\n2\t4\r\n> $/);
  b.input('print(file.list()["data.bin"], pcall(file.open, ("n"):rep(32)))\n');
  await until(out, /6\tfalse\t.*filename invalid\r\n/);
});

test("an error at boot is printed and the REPL still starts; require loads modules from flash", async () => {
  const { b, out } = board({
    "init.lua": 'local m = require("mod") print("mod says", m.hi) error("boom at boot")',
    "mod.lua": 'return { hi = "hello" }',
  });
  await until(out, /mod says\thello\r\ninit\.lua:1: boom at boot\r\nstack traceback:[\s\S]*> $/);
  b.input("=node.heap() > 30000\n");
  await until(out, /true\r\n> $/);
});

test("an error in a protected callback goes to the default onerror handler: printed, then a restart", async () => {
  const { b, out } = board();
  let panics = 0;
  b.on("panic", () => panics++);
  await until(out, /> $/);
  b.input('node.task.post(function() error("in a task") end)\n');
  await until(out, /in a task/);
  // Protected task errors go to the default onerror handler: print, then restart after 2 s.
  await until(out, /cannot open init\.lua: \r\n> [\s\S]*cannot open init\.lua: \r\n> $/, 4000);
  assert.equal(panics, 0);
});

test('running out of heap fails with NodeMCU\'s "not enough memory"; in a callback the board restarts', async () => {
  const { b, out } = board();
  await until(out, /> $/);
  b.input("t = {} for i = 1, 100000 do t[i] = ('x'):rep(50) .. i end\n");
  await until(out, /Lua error: \tnot enough memory\r\n> $/);
  b.input("t = nil collectgarbage()\n");
  b.input("=node.heap() > 35000\n");
  await until(out, /true\r\n> $/);
  b.input(
    "tmr.create():alarm(10, tmr.ALARM_SINGLE, function() local u = {} for i = 1, 100000 do u[i] = ('y'):rep(50) .. i end end)\n",
  );
  await until(out, /not enough memory[\s\S]*NodeMCU 3\.0\.0\.0[\s\S]*> $/, 5000);
});

test("bit works on signed 32-bit values; gpio levels are recorded; encoder only when built in", async () => {
  const { b, out } = board({}, ["bit", "file", "gpio", "node", "tmr", "uart"]);
  await until(out, /> $/);
  b.input(
    "print(bit.band(0xff, 0x0f), bit.bor(1, 2, 4), bit.bxor(5, 1), bit.bnot(0), bit.lshift(1, 31), bit.rshift(-1, 28), bit.arshift(-16, 2), bit.isset(5, 2))\n",
  );
  await until(out, /15\t7\t4\t-1\t-2147483648\t15\t-4\ttrue\r\n> $/);
  b.input("gpio.mode(4, gpio.OUTPUT) gpio.write(4, gpio.HIGH) print(gpio.read(4), encoder)\n");
  await until(out, /1\tnil\r\n> $/);
  assert.equal(b.gpio.get(4), 1);
  const withEncoder = board({}, ["encoder", "file", "node", "tmr", "uart"]);
  await until(withEncoder.out, /modules: encoder,file,node,tmr,uart\r\n[\s\S]*> $/);
  withEncoder.b.input(
    'print(encoder.toHex("\\0\\255A"), encoder.fromBase64(encoder.toBase64("hi")), pcall(encoder.fromHex, "zz"))\n',
  );
  await until(withEncoder.out, /00ff41\thi\tfalse\t.*Invalid hex string\r\n> $/);
});

test("uart.on delivers raw blocks of n bytes and, with run_input 0, keeps them from the REPL", async () => {
  const { b, out } = board();
  await until(out, /> $/);
  b.input(
    'got = {} uart.on("data", 4, function(d) got[#got + 1] = d if #got == 2 then uart.on("data") print("blocks", got[1], got[2]) end end, 0)\n',
  );
  await until(out, /end, 0\)\r\n> $/);
  const before = out().length;
  b.input("ab\ncdef\r");
  // Blocks "ab\nc" and "def\r"; print sends "\n" as "\r\n" and drops a bare "\r".
  await until(out, /blocks\tab\r\nc\tdef\r\n/);
  assert.doesNotMatch(out().slice(before), /Lua error/);
  b.input("=1\n");
  await until(out, /1\r\n> $/);
});

test("sjson: encodes by NodeMCU's rules (empty table is [], arrays by integer keys) and decodes with sjson.NULL", async () => {
  const { b, out } = board();
  await until(out, /> $/);
  b.input('print(sjson.encode({}), sjson.encode({1, 2, "x"}), sjson.encode({a = true}), sjson.encode({[3] = 1}))\n');
  await until(out, /\[\]\t\[1,2,"x"\]\t\{"a":true\}\t\[null,null,1\]\r\n> $/);
  b.input('t = sjson.decode(\'{"k":[1,null,"s"],"n":2.5}\') print(t.k[1], t.k[2] == sjson.NULL, t.k[3], t.n)\n');
  await until(out, /1\ttrue\ts\t2\.5\r\n> $/);
  b.input('print(pcall(sjson.decode, "{bad"))\n');
  await until(out, /false\t.*JSON parse error/);
});

test("net: a TCP client socket connects once Wi-Fi is up, sends, receives and is closed", async () => {
  const { createServer } = await import("node:net");
  const server = createServer((s) => s.on("data", (d) => s.end(Buffer.concat([Buffer.from("echo:"), d]))));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  const { b, out } = board();
  await until(out, /> $/);
  b.input(
    'wifi.setmode(wifi.STATION) wifi.sta.config({ ssid = "emulated", pwd = "nodemcu-emulator", got_ip_cb = function(T) print("ip", T.IP) end })\n',
  );
  await until(out, /ip\t192\.168\.4\.2\r\n/);
  b.input(
    `sk = net.createConnection() sk:on("connection", function(s) s:send("hi\\0there") end) sk:on("receive", function(s, d) print("got", #d, (d:gsub("%z", "0"))) end) sk:on("disconnection", function() print("closed") end) sk:connect(${port}, "127.0.0.1")\n`,
  );
  await until(out, /got\t13\techo:hi0there\r\nclosed\r\n/);
  server.close();
});
