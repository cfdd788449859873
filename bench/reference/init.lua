-- Hand-written reference: the boot guard in plain NodeMCU Lua (see bench/README.md).
local SLOT, MAGIC, LIMIT = 64, 0x6d637562, 3
local magic, count = rtcmem.read32(SLOT, 2)
local _, reason = node.bootreason()
if magic ~= MAGIC or reason == 0 or reason == 6 then count = 0 end
if count >= LIMIT then
  rtcmem.write32(SLOT, MAGIC, count)
  print("boot: autostart stopped after " .. count .. " crashes; rtcmem.write32(64, 0) node.restart() to retry")
else
  rtcmem.write32(SLOT, MAGIC, count + 1)
  local t = tmr.create()
  function abort() t:unregister() abort = nil print("boot: aborted") end
  print("boot: starting app in 1500 ms; type abort() to stay in the REPL")
  t:alarm(1500, tmr.ALARM_SINGLE, function() abort = nil dofile("app.lua") end)
end
