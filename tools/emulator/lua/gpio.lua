-- gpio: NodeMCU's gpio module. Pin levels are kept by the board (host half: ../modules/gpio.ts),
-- so tests can see what the firmware drives.
local rt = __rt
local sys = rt.sys
local error, type = error, type

local gpio = { OUTPUT = 1, INPUT = 0, OPENDRAIN = 3, INT = 2, HIGH = 1, LOW = 0, PULLUP = 1, FLOAT = 0 }
local function checkpin(pin) if type(pin) ~= "number" or pin < 0 or pin > 12 then error("wrong pin num.", 3) end end
function gpio.mode(pin, m, pullup) checkpin(pin) sys("gpio.mode", pin, m) end
function gpio.write(pin, level) checkpin(pin) sys("gpio.write", pin, level) end
function gpio.read(pin) checkpin(pin) return sys("gpio.read", pin) + 0 end
function gpio.trig(pin) checkpin(pin) if pin == 0 then error("no interrupt for D0", 2) end end

rt.modules.gpio = gpio
