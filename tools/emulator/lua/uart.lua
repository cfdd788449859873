-- uart: NodeMCU's uart module on the console (host half: ../modules/uart.ts over ../console.ts).
-- uart.on("data") capture happens on the host, which calls E.data with each block.
local rt = __rt
local sys, E = rt.sys, rt.E
local error, type, select = error, type, select

local uart = { PARITY_NONE = 0, PARITY_EVEN = 1, PARITY_ODD = 2, STOPBITS_1 = 1, STOPBITS_2 = 2, STOPBITS_1_5 = 3, DIR_RX = 0, DIR_TX = 1 }
local ondata
function uart.setup(id, baud, databits, parity, stopbits, echo)
  if echo ~= nil then sys("uart.echo", echo ~= 0) end
  sys("uart.baud", baud)
  return baud
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
function uart.getconfig() return 115200, 8, 0, 1 end

rt.modules.uart = uart
