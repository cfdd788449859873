-- uart: NodeMCU's uart module on the console (host half: uart.ts over ../../machine/console.ts).
-- uart.on("data") capture happens on the host, which calls E.data with each block.
local rt = __rt
local sys, E = rt.sys, rt.E
local error, type, select = error, type, select

local uart = { PARITY_NONE = 0, PARITY_EVEN = 1, PARITY_ODD = 2, STOPBITS_1 = 1, STOPBITS_2 = 2, STOPBITS_1_5 = 3, DIR_RX = 0, DIR_TX = 1 }
local ondata
-- uart.c l_uart_setup: five integers (an unknown id: MOD_CHECK_ID, platform.h:307), echo optional; only UART0 receives, so only its format
-- paces the console's input. Returns the speed set.
local function int(v, i)
  if type(v) ~= "number" then error("bad argument #" .. i .. " to 'setup' (number expected, got " .. type(v) .. ")", 3) end
  return v - v % 1
end
local configs = {}
function uart.setup(id, baud, databits, parity, stopbits, echo)
  id, baud, databits, parity, stopbits = int(id, 1), int(baud, 2), int(databits, 3), int(parity, 4), int(stopbits, 5)
  if id ~= 0 and id ~= 1 then error("uart " .. id .. " does not exist", 2) end
  if type(echo) == "number" then sys("uart.echo", echo ~= 0) end
  if id == 0 then sys("uart.setup", baud, databits, parity, stopbits) else configs[1] = { baud, databits, parity, stopbits } end
  return baud
end
-- uart.c l_uart_getconfig: what setup set (UART0 starts at 115200 8N1).
function uart.getconfig(id)
  id = int(id, 1)
  if id ~= 0 and id ~= 1 then error("uart " .. id .. " does not exist", 2) end
  if id == 0 then
    local c = { sys("uart.config") }
    return c[1] + 0, c[2] + 0, c[3] + 0, c[4] + 0
  end
  local c = configs[1] or { 115200, 8, 0, 1 }
  return c[1], c[2], c[3], c[4]
end
function uart.write(id, ...)
  for i = 1, select("#", ...) do
    local v = select(i, ...)
    if type(v) == "number" then
      if v < 0 or v > 255 then error("invalid number", 2) end
      v = string.char(v)
    end
    sys("uart.write", v)
  end
end
function uart.on(event, n, fn, run_input)
  if event ~= "data" then error("invalid callback name", 2) end
  if fn == nil then ondata = nil sys("uart.on") return end
  if type(n) == "number" and (n < 0 or n >= 256) then error("wrong arg range", 2) end
  ondata = fn
  sys("uart.on", n, run_input == nil and 1 or run_input)
end
function E.data(s) if ondata then E.protected(ondata, s) end end

rt.modules.uart = uart
