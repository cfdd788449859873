-- pwm: NodeMCU's pwm module (app/modules/pwm.c); the channels and clock are kept by the board
-- (host half: pwm.ts), where the host sees each pin's clock and duty.
local rt = __rt
local sys = rt.sys
local error = error
local integer = rt.checkint

local NPINS, DEPTH = 13, 1023 -- NUM_PWM = GPIO_PIN_NUM, NORMAL_PWM_DEPTH (app/platform/cpu_esp8266.h:18, platform.h:173)
local function id(pin, fname)
  pin = integer(pin, 1, fname)
  if pin < 0 or pin >= NPINS then error("pwm " .. (pin % 4294967296) .. " does not exist", 3) end -- MOD_CHECK_ID
  return pin
end

local pwm = {}
function pwm.setup(pin, clock, duty)
  pin = integer(pin, 1, "setup")
  if pin == 0 then error("no pwm for D0", 2) end -- pwm.c:16-17
  pin = id(pin, "setup")
  clock = integer(clock, 2, "setup")
  if clock <= 0 then error("wrong arg range", 2) end
  duty = integer(duty, 3, "setup")
  if duty < 0 or duty > DEPTH then error("wrong arg range", 2) end -- unsigned: negative is over (pwm.c:22-25)
  local real = sys("pwm.setup", pin, clock, duty) + 0
  if real == 0 then error("too many pwms.", 2) end
  return real
end
function pwm.close(pin) sys("pwm.close", id(pin, "close")) end
function pwm.start(pin)
  if not sys("pwm.start", id(pin, "start")) then error("Unable to start PWM output", 2) end -- pwm.c:50-52
end
function pwm.stop(pin) sys("pwm.stop", id(pin, "stop")) end
function pwm.setclock(pin, clock)
  pin = id(pin, "setclock")
  clock = integer(clock, 2, "setclock")
  if clock <= 0 then error("wrong arg range", 2) end
  return sys("pwm.setclock", pin, clock) + 0
end
function pwm.getclock(pin) return sys("pwm.getclock", id(pin, "getclock")) + 0 end
function pwm.setduty(pin, duty)
  pin = id(pin, "setduty")
  duty = integer(duty, 2, "setduty")
  if duty > DEPTH then error("wrong arg range", 2) end -- signed: a negative duty passes (pwm.c:104-106)
  return sys("pwm.setduty", pin, duty) + 0
end
function pwm.getduty(pin) return sys("pwm.getduty", id(pin, "getduty")) + 0 end

rt.modules.pwm = pwm
