-- file: NodeMCU's file module on SPIFFS (host half: file.ts over ../../machine/flash.ts). The
-- host holds the open files; a Lua file object carries its handle number.
local rt = __rt
local sys = rt.sys
local error, type, tostring, concat, setmetatable = error, type, tostring, table.concat, setmetatable

local File = {}
File.__index = File
-- As file.c:211 does: no NUL, and at most 31 bytes after the last "/" (else ":", vfs.c:436-449),
-- or in the whole name for file.stat (file.c:383). Longer names SPIFFS refuses with nil.
local function checkname(name, whole)
  if type(name) ~= "string" then error("bad argument #1 (string expected, got " .. type(name) .. ")", 3) end
  local base = whole and name or name:match("/([^/]*)$") or name:match(":([^:]*)$") or name
  if #base > 31 or name:find("%z") or #name == 0 then error("filename invalid", 3) end
end
local file = {}
local current
function file.open(name, mode)
  checkname(name)
  mode = mode or "r"
  local h = sys("file.open", name, mode)
  if not h then return nil end
  local fd = setmetatable({ h = h + 0 }, File)
  current = fd
  return fd
end
function File:close() if self.h then sys("file.close", self.h) self.h = nil end end
function File:read(n)
  if not self.h then error("file closed", 2) end
  if type(n) == "string" then return sys("file.readTo", self.h, n) end
  return sys("file.read", self.h, n or 1024)
end
function File:readline() return self:read("\n") end
function File:write(s)
  if not self.h then return nil end
  return sys("file.write", self.h, tostring(s)) and true or nil
end
function File:writeline(s) return self:write(tostring(s) .. "\n") end
function File:seek(whence, off) return sys("file.seek", self.h, whence or "cur", off or 0) end
-- file.c:344-354: true, or nil when the flush fails; a closed file has no fd: "open a file first".
function File:flush()
  if not self.h then error("open a file first", 2) end
  return sys("file.flush", self.h) or nil
end
local function cur() if not current or not current.h then error("open a file first", 3) end return current end
function file.close() if current then current:close() end end
function file.read(n) return cur():read(n) end
function file.readline() return cur():readline() end
function file.write(s) return cur():write(s) end
function file.writeline(s) return cur():writeline(s) end
function file.seek(w, o) return cur():seek(w, o) end
function file.flush() return cur():flush() end
function file.list(pattern)
  local t = {}
  local names = { sys("file.list") }
  for i = 1, #names, 2 do
    if not pattern or names[i]:match(pattern) then t[names[i]] = names[i + 1] + 0 end
  end
  return t
end
function file.remove(name) checkname(name) sys("file.remove", name) end
function file.rename(a, b) checkname(a) checkname(b) return sys("file.rename", a, b) == true end
function file.exists(name) checkname(name) return sys("file.exists", name) == true end
function file.stat(name)
  checkname(name, true)
  local size = sys("file.size", name)
  if not size then return nil end
  return { size = size + 0, name = name, is_dir = false, is_rdonly = false, is_hidden = false, is_sys = false, is_arch = false,
    time = { year = 1970, mon = 1, day = 1, hour = 0, min = 0, sec = 0 } }
end
function file.fsinfo() local r, u, t = sys("file.fsinfo") return r + 0, u + 0, t + 0 end
function file.getcontents(name)
  local f = file.open(name, "r")
  if not f then return nil end
  local parts = {}
  while true do
    local s = f:read(1024)
    if not s then break end
    parts[#parts + 1] = s
  end
  f:close()
  return concat(parts)
end
function file.putcontents(name, s)
  local f = file.open(name, "w")
  if not f then return nil end
  local ok = f:write(s)
  f:close()
  return ok
end
function file.format() sys("file.format") end
-- file.c:189-198: where SPIFFS sits in flash and its size, as the partition table says.
function file.fscfg()
  local pt = rt.modules.node.getpartitiontable()
  return pt.spiffs_addr, pt.spiffs_size
end
-- file.c:91-121: the "rtc" callback gives FatFS its file times; SPIFFS keeps none, so on this
-- board it is accepted and never called.
function file.on(event, fn)
  if event ~= "rtc" and event ~= nil then error("bad argument #1 to 'on' (invalid option '" .. tostring(event) .. "')", 2) end
  if fn ~= nil and type(fn) ~= "function" then error("Callback should be function or nil", 2) end
end

rt.modules.file = file
