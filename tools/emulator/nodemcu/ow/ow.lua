-- ow: NodeMCU's ow module (app/modules/ow.c); each pin's bus and its devices are the host's
-- (ow.ts, ../../hardware/devices/).
local rt = __rt
local sys = rt.sys
local error, type, char, concat = error, type, string.char, table.concat
local integer, argcheck = rt.checkint, rt.argcheck

local NPINS = 13 -- NUM_OW = GPIO_PIN_NUM (app/platform/cpu_esp8266.h:28)
local function id(pin, fname)
  pin = integer(pin, 1, fname)
  if pin < 0 or pin >= NPINS then error("ow " .. (pin % 4294967296) .. " does not exist", 3) end -- MOD_CHECK_ID
  return pin
end
local function checkstring(v, n, fname)
  if type(v) == "number" then return tostring(v) end
  if type(v) ~= "string" then error("bad argument #" .. n .. " to '" .. fname .. "' (string expected, got " .. type(v) .. ")", 3) end
  return v
end
local function power(v) return type(v) == "number" and v ~= 0 end -- ow.c:89-92; power is not modelled

local ow = {}
function ow.setup(pin)
  if integer(pin, 1, "setup") == 0 then error("no 1-wire for D0", 2) end -- ow.c:13-14
  sys("ow.setup", id(pin, "setup"))
end
function ow.reset(pin) return sys("ow.reset", id(pin, "reset")) + 0 end
function ow.skip(pin) sys("ow.write", id(pin, "skip"), char(0xCC)) end
-- ow.select (ow.c:41-77): 8 bytes as a table or a string, then Match ROM.
function ow.select(pin, rom)
  pin = id(pin, "select")
  if type(rom) == "table" then
    if #rom ~= 8 then error("wrong arg range", 2) end
    local b = {}
    for i = 1, 8 do
      local v = integer(rom[i], -1, "select")
      if v > 255 then error("wrong arg range", 2) end
      b[i] = char(v % 256)
    end
    rom = concat(b)
  else
    rom = checkstring(rom, 2, "select")
    if #rom ~= 8 then error("wrong arg range", 2) end
  end
  sys("ow.write", pin, char(0x55) .. rom)
end
function ow.write(pin, v, pw)
  pin, v = id(pin, "write"), integer(v, 2, "write")
  if v > 255 then error("wrong arg range", 2) end
  power(pw)
  sys("ow.write", pin, char(v % 256))
end
function ow.write_bytes(pin, buf, pw)
  pin, buf = id(pin, "write_bytes"), checkstring(buf, 2, "write_bytes")
  power(pw)
  sys("ow.write", pin, buf)
end
function ow.read(pin) return (sys("ow.read", id(pin, "read"), 1)):byte() end
function ow.read_bytes(pin, size)
  pin, size = id(pin, "read_bytes"), integer(size, 2, "read_bytes") % 4294967296
  if size == 0 then return end
  argcheck(size <= 256, 2, "read_bytes", "Attempt to read too many characters") -- LUAL_BUFFERSIZE (app/lua/luaconf.h:519)
  return sys("ow.read", pin, size)
end
function ow.depower(pin) id(pin, "depower") end
function ow.reset_search(pin) sys("ow.reset_search", id(pin, "reset_search")) end
function ow.target_search(pin, code)
  pin, code = id(pin, "target_search"), integer(code, 2, "target_search")
  if code > 255 then error("wrong arg range", 2) end
  sys("ow.target_search", pin, code % 256)
end
function ow.search(pin, alarm)
  pin = id(pin, "search")
  return sys("ow.search", pin, (type(alarm) == "number" and alarm ~= 0) and 1 or 0)
end
function ow.crc8(buf)
  buf = checkstring(buf, 1, "crc8")
  if #buf > 255 then error("wrong arg range", 2) end
  return sys("ow.crc8", buf) + 0
end
function ow.crc16(buf, crc)
  buf = checkstring(buf, 1, "crc16")
  crc = type(crc) == "number" and crc or 0
  if #buf > 65535 or crc > 65535 then error("wrong arg range", 2) end
  return sys("ow.crc16", buf, crc % 65536) + 0
end
-- ow.check_crc16 (ow.c:240-267): the CRC as the device sends it, inverted, low byte first.
function ow.check_crc16(buf, inv0, inv1, crc)
  buf = checkstring(buf, 1, "check_crc16")
  inv0, inv1 = integer(inv0, 2, "check_crc16") % 256, integer(inv1, 3, "check_crc16") % 256
  crc = type(crc) == "number" and crc or 0
  if #buf > 255 or crc > 65535 then error("wrong arg range", 2) end
  local c = 65535 - (sys("ow.crc16", buf, crc % 65536) + 0)
  return c % 256 == inv0 and math.floor(c / 256) == inv1
end
function ow.set_timings() end

rt.modules.ow = ow
