-- rtcmem: NodeMCU's rtcmem module (app/modules/rtcmem.c), 128 32-bit slots the host keeps across
-- restarts (host half: ../modules/rtcmem.ts).
local rt = __rt
local sys = rt.sys
local select, type, tonumber, error, floor = select, type, tonumber, error, math.floor

local SLOTS = 128 -- RTC_USER_MEM_NUM_DWORDS
local rtcmem = {}
local function checkinteger(v, fname)
  local n = tonumber(v)
  if n == nil then error("bad argument #1 to '" .. fname .. "' (number expected, got " .. (v == nil and "no value" or type(v)) .. ")", 3) end
  return floor(n)
end
-- lua_tointeger: a non-number reads as 0.
local function tointeger(v) return floor(tonumber(v) or 0) end

-- As many of the n slots from idx as exist, each as a signed 32-bit integer (rtcmem.c:7-23).
function rtcmem.read32(idx, ...)
  idx = checkinteger(idx, "read32")
  local n = select("#", ...) == 0 and 1 or tointeger((...))
  local out, k = {}, 0
  while n > 0 and idx >= 0 and idx < SLOTS do
    local v = sys("rtcmem.read", idx) + 0
    k = k + 1
    out[k] = v >= 2147483648 and v - 4294967296 or v
    idx, n = idx + 1, n - 1
  end
  return unpack(out, 1, k)
end
-- Every value or none: a write past the last slot is refused before any is written (rtcmem.c:26-38).
function rtcmem.write32(idx, ...)
  idx = checkinteger(idx, "write32")
  local n = select("#", ...)
  if idx + n > SLOTS then error("bad argument #1 to 'write32' (RTC mem would overrun)", 2) end
  for i = 1, n do
    if idx + i - 1 >= 0 then sys("rtcmem.write", idx + i - 1, tointeger((select(i, ...)))) end
  end
end

rt.modules.rtcmem = rtcmem
