// ow with a simulated DS18B20: ROM search, CRCs, Convert T and Read Scratchpad at the bus's time
// slots, so that NodeMCU's own lua_modules/ds18b20 driver (read from the NodeMCU mirror at test
// time, not kept in this repo) reads the temperature the host set.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { test } from "node:test";
import { IO_MODULES, replBoard } from "../helpers/test-board.ts";

const MIRROR = "/work/.mirror/nodemcu+nodemcu-firmware/repo";
const driver = existsSync(MIRROR)
  ? execFileSync("git", ["-C", MIRROR, "show", "36cbf9f:lua_modules/ds18b20/ds18b20.lua"], { encoding: "latin1" })
  : undefined;

// Test code on the board's flash: typed lines are cut at the console's 256 bytes.
const hex = "local function hex(s) return (s:gsub('.', function(c) return ('%02x'):format(c:byte()) end)) end\n";
const files: Record<string, string> = {
  "search.lua": `${hex}ow.setup(3) ow.reset_search(3) local found = {}
repeat
  local a = ow.search(3)
  if a then found[#found + 1] = hex(a) .. (ow.crc8(a:sub(1, 7)) == a:byte(8) and '+' or '-') end
until not a
print('roms', #found, table.concat(found, ' '))`,
  "scratch.lua": `ow.reset_search(3) local a = ow.search(3)
ow.reset(3) ow.select(3, a) ow.write(3, 0x44, 1)
tmr.create():alarm(750, tmr.ALARM_SINGLE, function()
  ow.reset(3) ow.select(3, a) ow.write(3, 0xBE, 1)
  local d = ow.read_bytes(3, 9)
  local raw = d:byte(1) + d:byte(2) * 256
  if raw > 32767 then raw = raw - 65536 end
  print('t', raw / 16, ow.crc8(d:sub(1, 8)) == d:byte(9))
end)`,
  "driver.lua": `${hex}local t = require('ds18b20')
t:read_temp(function(temps)
  local out = {}
  for addr, v in pairs(temps) do out[#out + 1] = hex(addr) .. '=' .. v end
  table.sort(out)
  print('temps', table.concat(out, ' '))
end, 3, t.C)`,
};
if (driver) files["ds18b20.lua"] = driver;
const board = await replBoard({ files, modules: IO_MODULES });

test("a search finds each device once, with a valid CRC, then nil; reset answers presence", async () => {
  const rom1 = board.io.setDs18b20(3, 21.5, 0x1234);
  const rom2 = board.io.setDs18b20(3, 30, 0x99);
  await board.run("dofile('search.lua')", /roms\t2\t[0-9a-f]{16}\+ [0-9a-f]{16}\+\r\n/);
  const line = board.text().match(/roms\t2\t(\S+)\+ (\S+)\+/)!;
  assert.deepEqual([line[1], line[2]].sort(), [rom1, rom2].sort());
  await board.run("print('presence', ow.reset(3), ow.reset(4))", /presence\t1\t0\r\n/);
});

test("Convert T, then Read Scratchpad of one device, gives the host's temperature with a good CRC", async () => {
  board.io.setDs18b20(3, -10.125, 0x1234);
  await board.run("dofile('scratch.lua')", /t\t-10\.125\ttrue\r\n/);
});

test("NodeMCU's ds18b20 Lua driver reads the temperatures the host set", {
  skip: driver ? false : "no NodeMCU mirror",
}, async () => {
  const rom = board.io.setDs18b20(3, 22.25, 0x1234);
  board.io.setDs18b20(3, 30.5, 0x99);
  await board.run("dofile('driver.lua')", /temps\t\S+=\S+ \S+=\S+\r\n/, 5000);
  const temps = Object.fromEntries(
    [...board.text().matchAll(/([0-9a-f]{16})=([-\d.]+)/g)].map((m) => [m[1], Number(m[2])]),
  );
  assert.equal(temps[rom], 22.25);
  assert.ok(Object.values(temps).includes(30.5));
});
