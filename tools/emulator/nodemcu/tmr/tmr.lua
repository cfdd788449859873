-- tmr: NodeMCU's tmr module (host half: tmr.ts). The host runs the clock and one
-- timeout per armed timer, and calls E.fire(id) when it expires.
-- Like NodeMCU, an armed timer is held (its registry self-reference) and an idle one is garbage
-- once the firmware drops it.
local rt = __rt
local sys, E = rt.sys, rt.E
local error, type, setmetatable = error, type, setmetatable

local armed, ntimers = {}, 0
local Timer = {}
Timer.__index = Timer
local MAXMS = 6870947
local function checkms(ms) if type(ms) ~= "number" or ms < 1 or ms > MAXMS then error("Range: 1-0x68D7A3", 3) end end
function Timer:register(ms, mode, fn)
  checkms(ms)
  if mode ~= 0 and mode ~= 1 and mode ~= 2 then error("Invalid mode", 2) end
  if type(fn) ~= "function" then error("Must be function", 2) end
  self:stop()
  self.ms, self.mode, self.fn = ms, mode, fn
end
function Timer:start(restart)
  if restart ~= nil and type(restart) ~= "boolean" then error("boolean expected", 2) end
  if not self.fn then return false end
  if self.running and not restart then return false end
  self.running = true
  armed[self.id] = self
  sys("tmr.arm", self.id, self.ms)
  return true
end
function Timer:alarm(ms, mode, fn)
  self:register(ms, mode, fn)
  return self:start()
end
function Timer:stop()
  local was = self.running == true
  if was then sys("tmr.disarm", self.id) end
  self.running = false
  armed[self.id] = nil
  return was
end
function Timer:unregister()
  self:stop()
  self.fn = nil
end
function Timer:interval(ms)
  checkms(ms)
  if not self.fn then return end
  self.ms = ms
  if self.running then sys("tmr.arm", self.id, ms) end
end
function Timer:state()
  if not self.fn then return nil end
  return self.running, self.mode
end
function E.fire(id)
  local t = armed[id]
  if not t or not t.running then return end
  local fn = t.fn
  if t.mode == 1 then sys("tmr.arm", t.id, t.ms)
  elseif t.mode == 0 then t.running = false t.fn = nil armed[id] = nil
  else t.running = false armed[id] = nil end
  E.protected(fn, t)
end

local tmr = { ALARM_SINGLE = 0, ALARM_AUTO = 1, ALARM_SEMI = 2 }
function tmr.create()
  ntimers = ntimers + 1
  return setmetatable({ id = ntimers }, Timer)
end
function tmr.now() return sys("tmr.now") + 0 end
function tmr.time() return math.floor((sys("tmr.now") + 0) / 1000000) end
function tmr.delay(us) if type(us) ~= "number" or us <= 0 then error("wrong arg range", 2) end end
-- Feeds the software watchdog (../../runtime/repl.lua): the running job starts its count again.
function tmr.wdclr() sys("runtime.feed") end
function tmr.softwd(n)
  if type(n) ~= "number" then error("bad argument #1 to 'softwd' (number expected, got " .. (n == nil and "no value" or type(n)) .. ")", 2) end
  sys("tmr.softwd", n)
end
-- CCOUNT counts CPU cycles: microseconds times the clock in MHz, in 32 bits.
function tmr.ccount() return (sys("tmr.now") * rt.cpufreq()) % 4294967296 end

rt.modules.tmr = tmr
