-- How the board runs Lua: the REPL, the heap limit and boot, entry points the host calls
-- (../board.ts).
local rt = __rt
local sys, E, dbg, traceback = rt.sys, rt.E, rt.debug, rt.traceback
local error, tostring = error, tostring

-- A line typed at the REPL: "=x" means "return x"; an unfinished chunk asks for more.
function E.repl(chunk)
  if chunk:sub(1, 1) == "=" then chunk = "return " .. chunk:sub(2) end
  local f, e = loadstring(chunk, "=stdin")
  if not f then
    if e:find("'<eof>'$") then return "more" end
    print("Lua error: ", e)
    return "done"
  end
  local r = { xpcall(f, traceback) }
  if not r[1] then
    -- The device's traceback ends at the chunk; ours would go on into this runtime.
    print("Lua error: ", (tostring(r[2]):gsub("\n\t%[C%]: in function 'xpcall'.*$", "\n\t[C]: ?")))
    collectgarbage()
    return "done"
  end
  if #r > 1 then print(unpack(r, 2, #r)) end
  return "done"
end

-- The heap is finite: every few thousand instructions the board checks what Lua holds and, past
-- the limit even after a full collection (NodeMCU's emergency GC), fails the allocation. The
-- board moves the limit as C modules take and give back heap (mqtt's queued packets).
-- The same hook is the software watchdog: a job that runs on past it (a loop that never returns to
-- the SDK) resets the chip. The host is asked every 64th time (a call costs more than the memory
-- check). Once it has fired, the hook runs at every instruction and raises each time, so a pcall
-- inside the loop cannot hold it off: the loop's own instructions raise outside it.
local limit, fired
-- Whether the host channel is on the stack (__sys or its escape function, both in the VM's
-- prelude, or the chunk that stores its reply): a call of the hook's own there would overwrite
-- that call's parts or the reply it is about to return.
local function inChannel()
  local level = 3
  local at = dbg.getinfo(level, "S")
  while at do
    if at.source == "=prelude" or at.source == "=sys" then return true end
    level = level + 1
    at = dbg.getinfo(level, "S")
  end
  return false
end
local function check()
  local count = collectgarbage
  local n = 0
  return function()
    if fired then error("watchdog", 0) end
    if count("count") * 1024 > limit then
      count("collect")
      if count("count") * 1024 > limit then error("not enough memory", 0) end
    end
    n = n + 1
    if n >= 64 and not inChannel() then
      n = 0
      if sys("runtime.overrun") then
        fired = true
        dbg.sethook(check(), "", 1)
        error("watchdog", 0)
      end
    end
  end
end
function E.limit(bytes)
  if not limit then dbg.sethook(check(), "", 2000) end
  limit = bytes
end

-- Boot: run the startup command (node.startupcommand; "@init.lua" by default) as pmain does
-- (app/lua53/lua.c:244-264): "@name" loads that file, "!name" an LFS module (this board has no LFS),
-- anything else is Lua source named "=INIT". A load or run error is printed, and the REPL starts.
function E.boot()
  local init = sys("sysparam.get", "rcr.initstr") or "@init.lua"
  local f, err
  if init:sub(1, 1) == "!" then
    f, err = nil, "cannot load LFS." .. init:sub(2)
  elseif init:sub(1, 1) == "@" then
    local name = init:sub(2)
    -- luaL_loadfile's message for a missing file ends in the (empty) errno text.
    if not sys("file.exists", name) then sys("runtime.print", "cannot open " .. name .. ": \n") return end
    f, err = loadfile(name)
  else
    f, err = loadstring(init, "=INIT")
  end
  if not f then print(err) return end
  local ok, e = xpcall(f, traceback)
  if not ok then print(e) end
end
