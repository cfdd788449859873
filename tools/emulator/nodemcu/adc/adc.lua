-- adc: NodeMCU's adc module (app/modules/adc.c); the host sets what the pin and supply read
-- (host half: adc.ts).
local rt = __rt
local sys = rt.sys
local error = error

local integer, argcheck = rt.checkint, rt.argcheck

local adc = { INIT_ADC = 0, INIT_VDD33 = 255 }
function adc.read(id)
  id = integer(id, 1, "read")
  if id ~= 0 then error("adc " .. (id % 4294967296) .. " does not exist", 2) end -- NUM_ADC 1, MOD_CHECK_ID (adc.c:14)
  return sys("adc.read") + 0
end
function adc.readvdd33() return sys("adc.readvdd33") + 0 end
function adc.force_init_mode(mode)
  mode = integer(mode, 1, "force_init_mode") % 256 -- a uint8_t (adc.c:30)
  argcheck(mode == 0 or mode == 255, 1, "force_init_mode", "Invalid mode") -- adc.c:35
  return sys("adc.force", mode)
end

rt.modules.adc = adc
