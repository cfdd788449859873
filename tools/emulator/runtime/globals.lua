-- The globals the device shows, and what it lacks. Loaded last: it installs the modules the
-- build has (node.info's build_config and the boot banner list the same), as read-only tables.
local rt = __rt
local sys, rotable, file = rt.sys, rt.rotable, rt.modules.file
local error = error

-- A module of the build that the emulator does not re-create (spi, …) is there, as on the
-- board, but any use of it stops with a message saying so.
local function unmodelled(m)
  return setmetatable({}, { __index = function(_, k)
    error("the emulator does not model NodeMCU's " .. m .. " module (" .. m .. "." .. tostring(k) .. ")", 2)
  end })
end
for _, m in ipairs({ sys("runtime.modules") }) do
  _G[m] = rotable(m, rt.modules[m] or unmodelled(m))
end
io, os, debug = nil, nil, nil
package.loaded.io, package.loaded.os, package.loaded.debug = nil, nil, nil
local m5 = {}
for _, k in ipairs({ "abs", "ceil", "floor", "max", "min", "pow", "random", "randomseed", "sqrt", "pi", "huge" }) do m5[k] = math[k] end
math = rotable("math", m5)
package.loaded.math = math
string, table, coroutine = rotable("string", string), rotable("table", table), rotable("coroutine", coroutine)

-- Files come from the board's flash: require tries name.lc, then name.lua.
function loadfile(name)
  local src = file.getcontents(name)
  if not src then return nil, "cannot open " .. name end
  return loadstring(src, "@" .. name)
end
function dofile(name)
  local f, e = loadfile(name)
  if not f then error(e, 2) end
  return f()
end
package.path = "?.lc;?.lua"
package.loaders = { package.loaders[1], function(name)
  for _, ext in ipairs({ ".lc", ".lua" }) do
    if file.exists(name .. ext) then
      local f, e = loadfile(name .. ext)
      if not f then error(e, 2) end
      return f
    end
  end
  return "\n\tno file '" .. name .. ".lc'\n\tno file '" .. name .. ".lua'"
end }

-- The module files' shared table goes: the firmware sees none of the runtime's internals.
__rt = nil
