-- rtcmem: NodeMCU's rtcmem module, 128 32-bit slots the host keeps across restarts (host half:
-- ../modules/rtcmem.ts).
local rt = __rt
local sys = rt.sys
local select = select

local rtcmem = {}
function rtcmem.read32(idx, n)
  n = n or 1
  if idx < 0 or idx + n > 128 then return end
  local out = {}
  for i = 1, n do out[i] = sys("rtcmem.read", idx + i - 1) + 0 end
  return unpack(out, 1, n)
end
function rtcmem.write32(idx, ...)
  for i = 1, select("#", ...) do sys("rtcmem.write", idx + i - 1, (select(i, ...))) end
end

rt.modules.rtcmem = rtcmem
