-- gpio: NodeMCU's gpio module (app/modules/gpio.c). Pins, levels and the interrupt counting are
-- kept by the board (host half: gpio.ts), where the host drives inputs and sees outputs.
local rt = __rt
local sys, E = rt.sys, rt.E
local error, type, select, tostring = error, type, select, tostring

local gpio = { OUTPUT = 1, INPUT = 0, OPENDRAIN = 3, INT = 2, HIGH = 1, LOW = 0, PULLUP = 1, FLOAT = 0 }
local NPINS = 13 -- GPIO_PIN_NUM (app/platform/cpu_esp8266.h:15)

local integer, argcheck = rt.checkint, rt.argcheck
-- MOD_CHECK_ID (app/platform/platform.h:307-309).
local function exists(pin) if pin < 0 or pin >= NPINS then error("gpio " .. pin .. " does not exist", 3) end end

local callbacks = {}

function gpio.mode(pin, m, pullup)
  pin, m = integer(pin, 1, "mode"), integer(m, 2, "mode")
  pullup = pullup == nil and 0 or integer(pullup, 3, "mode")
  argcheck(pin >= 0 and pin < NPINS and (m ~= 2 or pin > 0), 1, "mode", "Invalid pin") -- gpio.c:149
  argcheck(m == 0 or m == 1 or m == 2 or m == 3, 2, "mode", "wrong arg type") -- gpio.c:150-154
  if m ~= 2 then callbacks[pin] = nil end -- gpio.c:168-173
  sys("gpio.mode", pin, m, pullup ~= 0 and 1 or 0)
end
function gpio.write(pin, level)
  pin, level = integer(pin, 1, "write"), integer(level, 2, "write")
  exists(pin)
  argcheck(level == 0 or level == 1, 2, "write", "wrong level type") -- gpio.c:198
  sys("gpio.write", pin, level)
end
function gpio.read(pin)
  pin = integer(pin, 1, "read")
  exists(pin)
  return sys("gpio.read", pin) + 0
end

-- gpio.trig (gpio.c:92-139): "none" clears; no function keeps the old one, if any.
local TYPES = { none = 0, up = 1, down = 2, both = 3, low = 4, high = 5 }
function gpio.trig(pin, kind, ...)
  pin = integer(pin, 1, "trig")
  argcheck(pin > 0 and pin < NPINS, 1, "trig", "Invalid interrupt pin")
  if kind == nil then kind = "none" end
  local t = TYPES[kind]
  if type(kind) ~= "string" or not t then error("bad argument #2 to 'trig' (invalid option '" .. tostring(kind) .. "')", 2) end
  local fn, nargs = ..., select("#", ...)
  if t == 0 then
    callbacks[pin] = nil
  elseif not (fn == nil and nargs == 0 and callbacks[pin]) then
    if type(fn) ~= "function" then
      callbacks[pin] = nil
      argcheck(false, 3, "trig", "invalid callback type")
    end
    callbacks[pin] = fn
  end
  sys("gpio.trig", pin, t)
end

-- gpio.serout (gpio.c:259-317), by its effect: the pin is driven from `level`, toggling after
-- each delay, `repeats` times over; it ends at the last level written. Without a fifth argument it
-- blocks (no time passes here); with one, the sequence runs on the hardware timer and a function
-- there is called once it ends. A new serout replaces one still running.
local seroutdone
function gpio.serout(pin, level, delays, repeats, done)
  pin, level = integer(pin, 1, "serout"), integer(level, 2, "serout")
  repeats = repeats == nil and 1 or integer(repeats, 4, "serout")
  argcheck(pin >= 0 and pin < NPINS, 1, "serout", "Invalid pin")
  argcheck(level == 0 or level == 1, 2, "serout", "Wrong level type")
  argcheck(type(delays) == "table" and #delays < 256, 3, "serout", "Invalid delay_times")
  local total = 0
  for i = 1, #delays do total = total + integer(delays[i], 3, "serout") end
  local times = repeats < 1 and 1 or repeats
  local writes = #delays * times
  local last = writes == 0 and -1 or (writes % 2 == 1 and level or 1 - level)
  seroutdone = type(done) == "function" and done or nil
  sys("gpio.serout", pin, last, done ~= nil and total * times or -1)
end
function E.seroutdone() if seroutdone then local fn = seroutdone seroutdone = nil E.protected(fn) end end

-- The task the ISR posts (gpio.c:36-89): the callback gets the level, the interrupt's time in µs
-- (31 bits) and how many interrupts it stands for. gpio.c runs it again when the ISR counted more
-- between posting and this point; here the ISR cannot run in between, so once is all. A level
-- interrupt is enabled again only after a callback that did not raise.
function E.gpio(pin, level, when)
  local fn = callbacks[pin]
  if not fn then return end
  local count = sys("gpio.take", pin) + 0
  if E.protected(fn, level, when, count) then sys("gpio.rearm", pin) end
end

rt.modules.gpio = gpio
