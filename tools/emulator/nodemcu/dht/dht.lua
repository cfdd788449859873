-- dht: NodeMCU's dht module (app/modules/dht.c); the sensors are the host's (dht.ts).
local rt = __rt
local sys = rt.sys
local error = error
local integer = rt.checkint

local dht = { OK = 0, ERROR_CHECKSUM = -1, ERROR_TIMEOUT = -2 }
-- dht_type per read function (app/dht/dht.h:49-54, dht.c:31-68).
local function reader(fname, type)
  return function(pin)
    pin = integer(pin, 1, fname)
    if pin < 1 or pin > 12 then error("dht " .. (pin % 4294967296) .. " does not exist", 2) end -- platform_dht_exists (dht.c:13-16)
    local status, t, h, tdec, hdec = sys("dht.read", pin, type)
    return status + 0, t + 0, h + 0, tdec + 0, hdec + 0
  end
end
dht.read, dht.read11, dht.read12, dht.readxx = reader("read", 3), reader("read11", 0), reader("read12", 1), reader("readxx", 3)

rt.modules.dht = dht
