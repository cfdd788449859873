-- rtcmem: NodeMCU's rtcmem module (app/modules/rtcmem.c), 128 32-bit slots the host keeps across
-- restarts (host half: rtcmem.ts).
local rt = __rt
local sys = rt.sys
local select, error = select, error
-- luaL_checkinteger and lua_tointeger (rtcmem.c:9-10, 28, 35), truncating toward zero.
local checkint, tointeger = rt.checkint, rt.tointeger

local SLOTS = 128 -- RTC_USER_MEM_NUM_DWORDS
local rtcmem = {}

-- As many of the n slots from idx as exist, each as a signed 32-bit integer (rtcmem.c:7-23).
function rtcmem.read32(idx, ...)
  idx = checkint(idx, 1, "read32")
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
  idx = checkint(idx, 1, "write32")
  local n = select("#", ...)
  if idx + n > SLOTS then error("bad argument #1 to 'write32' (RTC mem would overrun)", 2) end
  for i = 1, n do
    if idx + i - 1 >= 0 then sys("rtcmem.write", idx + i - 1, tointeger((select(i, ...)))) end
  end
end

rt.modules.rtcmem = rtcmem
