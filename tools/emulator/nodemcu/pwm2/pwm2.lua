-- pwm2: NodeMCU's pwm2 module (app/modules/pwm2.c) over the software PWM driver's bookkeeping
-- (host half: pwm2.ts). Arguments are read with lua_tointeger: anything else is 0.
local rt = __rt
local sys = rt.sys
local error, select = error, select
local argcheck, toint = rt.argcheck, rt.tointeger

local NPINS = 12 -- pin > 0 and pin <= GPIO_PIN_NUM (pwm2.c:35): 13 is past the driver's pin tables
local function checkpin(pin, n, fname)
  argcheck(pin > 0 and pin <= NPINS + 1, n, fname, "invalid pin number")
  if pin > NPINS then error("the emulator does not model pwm2 on pin 13: the driver indexes past its pin table (undefined on a board)", 3) end
end

local pwm2 = {}
-- pwm2.c:46-68: the Hz form passes (fractions, freq), the seconds form (freq, fractions).
local function setup(fname, hz)
  return function(pin, freq, resolution, duty, fractions)
    if sys("pwm2.started") then error("pwm2 : already started, stop it before setting up pins.", 2) end
    pin, freq, resolution, duty = toint(pin), toint(freq), toint(resolution), toint(duty)
    fractions = fractions == nil and 1 or rt.checkint(fractions, 5, fname)
    checkpin(pin, 1, fname)
    argcheck(freq > 0, 2, fname, "invalid frequency")
    argcheck(resolution > 0, 3, fname, "invalid frequency resolution")
    argcheck(duty >= 0 and duty <= resolution, 4, fname, "invalid duty")
    argcheck(fractions > 0, 5, fname, "invalid frequency fractions")
    local divisable, divisor = freq, fractions
    if hz then divisable, divisor = fractions, freq end
    if not sys("pwm2.setup", pin, divisable, divisor, resolution, duty) then
      error("the emulator does not model pwm2 at this frequency and resolution: 80 MHz gives less than one tick a step, and the driver divides by zero", 2)
    end
  end
end
pwm2.setup_pin_hz, pwm2.setup_pin_sec = setup("setup_pin_hz", true), setup("setup_pin_sec", false)

-- pwm2.c:78-96: pairs of pin and duty until a pin is missing.
function pwm2.set_duty(...)
  local n = select("#", ...)
  local pos = 0
  while true do
    pos = pos + 1
    local pin = pos <= n and select(pos, ...) ~= nil and rt.checkint((select(pos, ...)), pos, "set_duty") or -1
    if pin == -1 then break end
    checkpin(pin, pos, "set_duty")
    pos = pos + 1
    local duty = pos <= n and select(pos, ...) ~= nil and rt.checkint((select(pos, ...)), pos, "set_duty") or -1
    argcheck(duty >= 0 and duty <= sys("pwm2.resolution", pin) + 0, pos, "set_duty", "invalid duty")
    if sys("pwm2.resolution", pin) + 0 == 0 then error("pwm2 : pin=" .. pin .. " is not setup yet", 2) end
    sys("pwm2.duty", pin, duty)
  end
end

-- pwm2.c:98-112 checks each pin given but releases pin 2 whatever they are (pwm2.c:109).
function pwm2.release_pin(...)
  if sys("pwm2.started") then error("pwm2 : pwm is started, stop it first.", 2) end
  local pos = 0
  while true do
    pos = pos + 1
    local v = select(pos, ...)
    local pin = pos <= select("#", ...) and v ~= nil and rt.checkint(v, pos, "release_pin") or -1
    if pin == -1 then break end
    checkpin(pin, pos, "release_pin")
    sys("pwm2.release", 2)
  end
end

function pwm2.start() return sys("pwm2.start") end
function pwm2.stop() sys("pwm2.stop") end
function pwm2.get_timer_data()
  local started, cpu, ticks = sys("pwm2.timer")
  return started, cpu + 0, ticks + 0
end
function pwm2.get_pin_data(pin)
  pin = rt.checkint(pin, 1, "get_pin_data")
  checkpin(pin, 1, "get_pin_data")
  local a, b, c, d, e, f, g = sys("pwm2.pin", pin)
  return a + 0, b + 0, c + 0, d + 0, e + 0, f + 0, g + 0
end

rt.modules.pwm2 = pwm2
