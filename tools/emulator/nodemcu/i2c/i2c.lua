-- i2c: NodeMCU's i2c module (app/modules/i2c.c) on the default build's software master; the
-- devices on the bus are the host's (i2c.ts, ../../hardware/devices/).
local rt = __rt
local sys = rt.sys
local error, type, char, concat, select = error, type, string.char, table.concat, select
local integer = rt.checkint

local i2c = { SLOW = 100000, FAST = 400000, FASTPLUS = 1000000, TRANSMITTER = 0, RECEIVER = 1 }
-- NUM_I2C is 1 with I2C_MASTER_OLD_VERSION (app/platform/cpu_esp8266.h:22-26); MOD_CHECK_ID.
local function id(v, fname)
  v = integer(v, 1, fname)
  if v ~= 0 then error("i2c " .. (v % 4294967296) .. " does not exist", 3) end
  return v
end
local function gpio(pin)
  if pin < 0 or pin >= 13 then error("gpio " .. (pin % 4294967296) .. " does not exist", 3) end
end

function i2c.setup(bus, sda, scl, speed)
  id(bus, "setup")
  sda, scl = integer(sda, 2, "setup"), integer(scl, 3, "setup")
  gpio(sda) gpio(scl)
  if sda == 0 then error("i2c SDA on D0 is not supported", 2) end -- i2c.c:18-19
  speed = integer(speed, 4, "setup")
  if speed <= 0 then error("wrong arg range", 2) end
  return sys("i2c.setup", bus, sda, scl, speed) + 0
end
function i2c.start(bus) id(bus, "start") sys("i2c.start") end
function i2c.stop(bus) id(bus, "stop") sys("i2c.stop") end
function i2c.address(bus, address, direction)
  id(bus, "address")
  address, direction = integer(address, 2, "address"), integer(direction, 3, "address")
  if address < 0 or address > 127 then error("wrong arg range", 2) end -- i2c.c:62-63
  return sys("i2c.address", address, direction == 0 and 0 or 1)
end
-- i2c.write (i2c.c:70-125): numbers, tables of numbers and strings, sent in order until a NACK.
function i2c.write(bus, ...)
  id(bus, "write")
  local n = select("#", ...)
  if n < 1 then error("wrong arg type", 2) end
  local parts = {}
  for i = 1, n do
    local v = select(i, ...)
    if type(v) == "number" then
      v = integer(v, i + 1, "write")
      if v < 0 or v > 255 then error("wrong arg range", 2) end
      parts[i] = char(v)
    elseif type(v) == "table" then
      local t = {}
      for j = 1, #v do
        local b = integer(v[j], -1, "write")
        if b < 0 or b > 255 then error("wrong arg range", 2) end
        t[j] = char(b)
      end
      parts[i] = concat(t)
    elseif type(v) == "string" then
      parts[i] = v
    else
      error("bad argument #" .. (i + 1) .. " to 'write' (string expected, got " .. type(v) .. ")", 2)
    end
  end
  return sys("i2c.write", concat(parts)) + 0
end
function i2c.read(bus, size)
  id(bus, "read")
  size = integer(size, 2, "read") % 4294967296
  if size == 0 then return end
  return sys("i2c.read", size)
end

rt.modules.i2c = i2c
