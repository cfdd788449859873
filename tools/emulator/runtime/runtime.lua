-- The runtime's prelude, loaded first into each emulated board's Lua state (runtime.ts lists
-- the load order). Anything that needs the host (flash, clock, console, restart) goes through the
-- synchronous `__sys` channel as sys("module.call", ...), served by that module's host half
-- (../nodemcu/<module>/<module>.ts); events (timer expiry, serial input) come back through
-- `__E.*` entry points the board calls. The module files share what they need through `__rt`, which
-- globals.lua removes before any firmware runs.
local sys, dbg = __sys, debug
local pcall, error, type, tostring, select, concat, setmetatable = pcall, error, type, tostring, select, table.concat, setmetatable
__sys = nil
local E = {}
__E = E

-- Built-in modules are read-only tables on the device (ROTables).
local function rotable(name, t)
  return setmetatable({}, { __index = t, __newindex = function() error("attempt to write to a read-only table " .. name, 2) end, __metatable = false })
end

local output
-- Console output: NUL ends a print as on the device (puts); "\n" becomes "\r\n" on the wire.
function print(...)
  local n = select("#", ...)
  local parts = {}
  for i = 1, n do
    local v = select(i, ...)
    parts[i] = type(v) == "number" and string.format("%.14g", v) or tostring(v)
  end
  local s = concat(parts, "\t", 1, n)
  local z = s:find("%z")
  if z then s = s:sub(1, z - 1) end
  s = s .. "\n"
  -- node.output: the redirect takes the text and says whether the UART gets it too (node.c:373-393).
  if output and not output(s) then return end
  sys("runtime.print", s)
end

-- Protected callbacks (tmr, uart, wifi events, tasks) report errors through node.setonerror.
local onerror
local function report(msg)
  if onerror then
    local ok, e = pcall(onerror, msg)
    if not ok then sys("runtime.panic", tostring(e)) end
  else
    print(msg)
    sys("runtime.restartLater", 2000)
  end
end
local function traceback(e, level)
  -- NodeMCU reports running out of memory without a traceback.
  if e == "not enough memory" then return e end
  return dbg.traceback(tostring(e), level or 2)
end
-- A board's traceback ends at the firmware's callback; ours would go on through this runtime's
-- xpcall into the emulator's own files (emulator/*.lua), which no board has.
local function callbackTraceback(e)
  local t = traceback(e, 3):gsub("\n\t%[C%]: in function 'xpcall'\n.*$", "")
  return (t:gsub("\n\t%(tail call%): %?$", ""))
end
function E.protected(fn, ...)
  local args, n = { ... }, select("#", ...)
  local ok, e = xpcall(function() return fn(unpack(args, 1, n)) end, callbackTraceback)
  if not ok then report(e) end
  return ok
end

-- The C modules' argument checks, raised at the caller of the module function as luaL_argerror
-- (app/lua/lauxlib.c:197-212) raises them. An integer argument is read as lua_tointeger reads it
-- (app/lua/lapi.c): a number or a numeric string, converted by lua_number2integer, which on the
-- ESP8266 is a C cast (app/lua/luaconf.h: not the Pentium trick) and so truncates toward zero.
local floor, tonumber = math.floor, tonumber
local function argerror(n, fname, msg) error("bad argument #" .. n .. " to '" .. fname .. "' (" .. msg .. ")", 4) end
local function truncate(x) return x >= 0 and floor(x) or -floor(-x) end
-- lua_tointeger: anything that is not a number reads as 0.
local function tointeger(v)
  local x = tonumber(v)
  return x and truncate(x) or 0
end
-- luaL_checkinteger (lauxlib.c): anything that is not a number raises.
local function checkint(v, n, fname)
  local x = tonumber(v)
  if x == nil then argerror(n, fname, "number expected, got " .. (v == nil and "no value" or type(v))) end
  return truncate(x)
end

__rt = {
  sys = sys,
  debug = dbg,
  E = E,
  rotable = rotable,
  traceback = traceback,
  setonerror = function(fn) onerror = fn end,
  checkint = checkint,
  tointeger = tointeger,
  argcheck = function(ok, n, fname, msg) if not ok then argerror(n, fname, msg) end end,
  setoutput = function(fn) output = fn end,
  -- Each module file adds its table here; globals.lua installs those the build has.
  modules = {},
}
