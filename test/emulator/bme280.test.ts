// i2c with a simulated BME280: a driver written here the way NodeMCU's drivers work (register
// reads over i2c, calibration words, a forced measurement, the datasheet's compensation) reads
// back what the host set.
import assert from "node:assert/strict";
import { test } from "node:test";
import { IO_MODULES, replBoard } from "../helpers/test-board.ts";

// The driver, on the board's flash (typed lines are cut at the console's 256 bytes). Temperature
// with the datasheet's integer formula (as app/modules/bme280.c:158-168), pressure and humidity
// with its floating-point ones (datasheet section 8.1).
const DRIVER = `local A = 0x76
local function rd(reg, n)
  i2c.start(0) i2c.address(0, A, i2c.TRANSMITTER) i2c.write(0, reg)
  i2c.start(0) i2c.address(0, A, i2c.RECEIVER)
  local s = i2c.read(0, n) i2c.stop(0) return s
end
local function wr(reg, v) i2c.start(0) i2c.address(0, A, i2c.TRANSMITTER) i2c.write(0, reg, v) i2c.stop(0) end
local function u16(s, i) return s:byte(i) + s:byte(i + 1) * 256 end
local function s16(s, i) local v = u16(s, i) return v > 32767 and v - 65536 or v end
local function sr(v, n) return math.floor(v / 2 ^ n) end
print('speed', i2c.setup(0, 2, 1, i2c.SLOW))
local id = rd(0xD0, 1):byte()
local c, e = rd(0x88, 26), rd(0xE1, 7)
local T1, T2, T3 = u16(c, 1), s16(c, 3), s16(c, 5)
local P = {} for i = 1, 9 do P[i] = i == 1 and u16(c, 7) or s16(c, 5 + 2 * i) end
local H1, H2, H3, H6 = c:byte(26), s16(e, 1), e:byte(3), e:byte(7)
local H4 = e:byte(4) * 16 + e:byte(5) % 16
local H5 = e:byte(6) * 16 + math.floor(e:byte(5) / 16)
wr(0xF2, 1) wr(0xF4, 0x25)
local d = rd(0xF7, 8)
local adcP = sr(d:byte(1) * 65536 + d:byte(2) * 256 + d:byte(3), 4)
local adcT = sr(d:byte(4) * 65536 + d:byte(5) * 256 + d:byte(6), 4)
local adcH = d:byte(7) * 256 + d:byte(8)
local dd = sr(adcT, 4) - T1
local fine = sr((sr(adcT, 3) - T1 * 2) * T2, 11) + sr(sr(dd * dd, 12) * T3, 14)
local v1 = fine / 2 - 64000
local v2 = v1 * v1 * P[6] / 32768 + v1 * P[5] * 2
v2 = v2 / 4 + P[4] * 65536
v1 = (1 + (P[3] * v1 * v1 / 524288 + P[2] * v1) / 524288 / 32768) * P[1]
local p = (1048576 - adcP - v2 / 4096) * 6250 / v1
p = p + (P[9] * p * p / 2147483648 + p * P[8] / 32768 + P[7]) / 16
local h = fine - 76800
h = (adcH - (H4 * 64 + H5 / 16384 * h)) * (H2 / 65536 * (1 + H6 / 67108864 * h * (1 + H3 / 67108864 * h)))
h = h * (1 - H1 * h / 524288)
print('bme', ('%x'):format(id), sr(fine * 5 + 128, 8) / 100, ('%.1f'):format(p / 100), ('%.1f'):format(h))
print('absent', i2c.address(0, 0x40, i2c.TRANSMITTER), i2c.write(0, 1), i2c.read(0, 2) == '\\255\\255')
i2c.stop(0)`;

const board = await replBoard({ files: { "bme.lua": DRIVER }, modules: IO_MODULES });

test("a BME280 on i2c gives the host's temperature, pressure and humidity through the compensation", async () => {
  board.io.setBme280(21.37, 45.2, 1002.5);
  const out = await board.run("dofile('bme.lua')", /absent.*\r\n/);
  assert.match(out, /speed\t100000\r\n/);
  const m = out.match(/bme\t60\t([-\d.]+)\t([\d.]+)\t([\d.]+)\r\n/);
  assert.ok(m, out);
  assert.equal(Number(m[1]), 21.37);
  assert.ok(Math.abs(Number(m[2]) - 1002.5) <= 0.2, `pressure ${m[2]}`);
  assert.ok(Math.abs(Number(m[3]) - 45.2) <= 0.2, `humidity ${m[3]}`);
  assert.match(out, /absent\tfalse\t0\ttrue\r\n/);
});

test("a new temperature shows at the next forced measurement, negative too", async () => {
  board.io.setBme280(-7.5);
  await board.run("dofile('bme.lua')", /bme\t60\t-7\.5\t/);
});
