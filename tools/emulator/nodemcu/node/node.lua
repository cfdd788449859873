-- node: NodeMCU's node module (host half: node.ts).
local rt = __rt
local sys, E, rotable = rt.sys, rt.E, rt.rotable
local error, type, select, tostring, floor = error, type, select, tostring, math.floor
local checkint = rt.checkint
local strdump = string.dump

local node = {}
function node.heap() return sys("node.heap") + 0 end
function node.chipid() return sys("node.chipid") + 0 end
function node.flashid() return 1458400 end
function node.flashsize() return 4194304 end
-- node.info(group) tables as NodeMCU 3.0 fills them (flash_size in KB); no group is deprecated.
local INFO = {
  hw = function() return { chip_id = node.chipid(), flash_id = 1458400, flash_size = 4096, flash_mode = 0, flash_speed = 40000000 } end,
  sw_version = function()
    return { git_branch = "release", git_commit_id = "0000000000000000000000000000000000000000", git_release = "3.0.0-release_emulated",
      git_commit_dts = "202402250000", node_version_major = 3, node_version_minor = 0, node_version_revision = 0 }
  end,
  -- app/modules/node.c:288-297
  build_config = function()
    local ssl, number_type = sys("runtime.build")
    return { ssl = ssl, lfs_size = 0, modules = table.concat({ sys("runtime.modules") }, ","), number_type = number_type }
  end,
  lfs = function() return { lfs_size = 0 } end,
}
function node.info(group)
  if group == nil then
    print("Warning, deprecated API! node.info() without parameter. It will be removed in the next version. See documentation for details.")
    return 3, 0, 0, node.chipid(), 1458400, 4096, 0, 40000000
  end
  local f = INFO[group]
  if not f then error("invalid group", 2) end
  return f()
end
function node.restart() sys("node.restart") end
function node.bootreason() return sys("node.bootreason") end
-- node.c:636-715: os_random(), the chip's hardware generator (here the host's, node.ts),
-- 32 bits a draw (lua_Unsigned is 32-bit, app/lua/lua.h:113). No argument is a float in [0,1), or 0
-- on an integer build (the only integer in [0, 1), node.c:691-693); one is 1..n; two are m..n;
-- more is an error. A range is drawn as node_random_range does, by rejection.
local integral = select(2, sys("runtime.build")) == "integer"
local function draw() return sys("node.random") + 0 end
local TWO32 = 4294967296
-- lua_Unsigned to lua_Integer (32-bit, two's complement).
local function signed(v) v = v % TWO32 if v >= 2147483648 then return v - TWO32 end return v end
function node.random(...)
  local n = select("#", ...)
  if n == 0 then return integral and 0 or draw() / TWO32 end
  if n > 2 then error("wrong number of arguments", 2) end
  local l, u = 1, checkint((...), 1, "random")
  if n == 2 then l, u = u, checkint((select(2, ...)), 2, "random") end
  if l > u then error("bad argument #2 to 'random' (interval is empty)", 2) end
  local range = (u + 1 - l) % TWO32
  local v
  if range >= 2147483647 then
    repeat v = draw() until v < range
    return signed(v + l)
  end
  if range == 1 then return l end
  if range == 0 then return signed(draw()) end
  local limit = (math.floor(2147483648 / math.floor((range + 1) / 2)) - 1) * range
  repeat v = draw() until v < limit
  return signed(v % range + l)
end
node.setonerror = rt.setonerror
function node.compile(name)
  if type(name) ~= "string" or not name:match("%.lua$") then error("not a .lua file", 2) end
  local src = file.getcontents(name)
  if not src then error("cannot open " .. name, 2) end
  local f, e = loadstring(src, "@" .. name)
  if not f then error(e, 2) end
  file.putcontents(name:sub(1, -5) .. ".lc", strdump(f))
end
function node.input(line) sys("node.input", line) end
function node.stripdebug(level) return level or 1 end

-- node.task.post: each post asks the host for one turn behind what is already queued; a turn runs
-- the oldest task of the highest priority waiting, as the SDK's three task queues do
-- (node.c:495-509, luaL_posttask; user_interface.h: higher priority first).
local tasks = { LOW_PRIORITY = 0, MEDIUM_PRIORITY = 1, HIGH_PRIORITY = 2 }
local queues = { [0] = {}, {}, {} }
local function post(prio, fn)
  local q = queues[prio]
  q[#q + 1] = fn
  sys("node.post")
end
function tasks.post(prio, fn)
  if type(prio) == "number" then
    prio = checkint(prio, 1, "post")
    if prio < 0 or prio > 2 then error("bad argument #1 to 'post' (invalid  priority)", 2) end
  else
    prio, fn = 1, prio
  end
  if type(fn) ~= "function" then error("bad argument #" .. (fn == prio and 1 or 2) .. " to 'post' (function expected, got " .. type(fn) .. ")", 2) end
  post(prio, fn)
end
function E.task()
  for prio = 2, 0, -1 do
    local q = queues[prio]
    if q[1] then
      local fn = table.remove(q, 1)
      return E.protected(fn, prio)
    end
  end
end
node.task = rotable("node.task", tasks)
node.egc = rotable("node.egc", { NOT_ACTIVE = 0, ON_ALLOC_FAILURE = 1, ON_MEM_LIMIT = 2, ALWAYS = 3, setmode = function() end,
  meminfo = function() local k = collectgarbage("count") * 1024 return k, k end })

-- CPU clock: 80 MHz at boot unless node.startup asked for 160 (user_main.c:136-140); setcpufreq
-- takes anything but 160 as 80 (node.c:512-527).
node.CPU80MHZ, node.CPU160MHZ = 80, 160
local STARTUP_NO_BANNER, STARTUP_CPU_FREQ_MAX, STARTUP_DELAY_MOUNT = 1, 2, 4 -- platform.h:357-359
local function startopt() return (sys("sysparam.get", "rcr.startup") or 0) + 0 end
local function bit(v, b) return floor(v / b) % 2 == 1 end
local cpufreq = bit(startopt(), STARTUP_CPU_FREQ_MAX) and 160 or 80
rt.cpufreq = function() return cpufreq end
function node.setcpufreq(mhz)
  cpufreq = checkint(mhz, 1, "setcpufreq") == 160 and 160 or 80
  return cpufreq
end
function node.getcpufreq() return cpufreq end

-- Deep sleep: the board goes quiet once the running Lua returns and wakes through reset (reason 5)
-- after `us`; no number is no sleep; option must be 0-4 (node.c:169-205).
function node.dsleep(us, option, instant)
  if type(option) == "number" and (option < 0 or option > 4) then error("bad argument #2 to 'dsleep' (wrong option value)", 2) end
  if type(us) ~= "number" then return end
  if us < 0 or us >= 36000000000 then error("bad argument #1 to 'dsleep' (invalid time value)", 2) end
  sys("node.dsleep", floor(us))
end
-- node.c:162-166: the RTC clock period (system_rtc_clock_cali_proc, Q12 us; RTC_CALI below is a
-- typical one) times the 31-bit RTC counter.
local RTC_CALI = 23552 -- 5.75 us: a typical ESP8266 RTC period (the doc's 3.5-3.8 hours)
function node.dsleepMax() return floor(RTC_CALI * (0x80000000 - 1) / 0x1000) end

-- system_restore: the SDK's saved Wi-Fi settings back to defaults, used from the next boot.
function node.restore() sys("sysparam.restore") end

-- The startup command (RCR INITSTR) and options, kept in flash across restarts (node.c:61-153).
function node.startupcommand(cmd)
  if type(cmd) ~= "string" and type(cmd) ~= "number" then error("bad argument #1 to 'startupcommand' (string expected, got " .. type(cmd) .. ")", 2) end
  sys("sysparam.set", "rcr.initstr", tostring(cmd))
  return true
end
function node.startup(t)
  local opt = startopt()
  if t ~= nil then
    if type(t) ~= "table" then error("bad argument #1 to 'startup' (table expected, got " .. type(t) .. ")", 2) end
    local entries = 0
    for k, v in pairs(t) do
      if type(k) == "string" or type(k) == "number" then
        entries = entries + 1
        if k == "command" then sys("sysparam.set", "rcr.initstr", tostring(v)) end
        local function flag(b, on) opt = (bit(opt, b) and opt - b or opt) + (on and b or 0) end
        if k == "banner" then flag(STARTUP_NO_BANNER, not v) end
        if k == "frequency" then flag(STARTUP_CPU_FREQ_MAX, v == 160) end
        if k == "delay_mount" then flag(STARTUP_DELAY_MOUNT, v and true or false) end
      end
    end
    if entries > 0 then sys("sysparam.set", "rcr.startup", opt) else
      sys("sysparam.set", "rcr.startup")
      sys("sysparam.set", "rcr.initstr")
      opt = 0
    end
  end
  return { command = sys("sysparam.get", "rcr.initstr"), banner = not bit(opt, STARTUP_NO_BANNER), delay_mount = bit(opt, STARTUP_DELAY_MOUNT),
    frequency = bit(opt, STARTUP_CPU_FREQ_MAX) and 160 or 80 }
end

-- Partition table (node.c:860-990). This board has no LFS partition; SPIFFS sits at 0x100000 as
-- node.c:953-955 places one that fits below it. setpartitiontable writes the table and hangs until
-- the watchdog resets the board (node.c:985); the values then read back, but SPIFFS keeps its size.
local FLASH_SIZE, SECTOR = 4194304, 4096
local function ptable()
  local pt = sys("sysparam.get", "rcr.pt")
  local v = {}
  if pt then for n in pt:gmatch("%d+") do v[#v + 1] = n + 0 end end
  if not v[1] then v = { 0, 0, 0x100000, select(3, sys("file.fsinfo")) + 0 } end
  return v
end
local PT_KEYS = { lfs_addr = 1, lfs_size = 2, spiffs_addr = 3, spiffs_size = 4 }
function node.getpartitiontable()
  local v = ptable()
  return { lfs_addr = v[1], lfs_size = v[2], spiffs_addr = v[3], spiffs_size = v[4] }
end
function node.setpartitiontable(t)
  if type(t) ~= "table" then error("bad argument #1 to 'setpartitiontable' (must be table)", 2) end
  local v = ptable()
  for k, x in pairs(t) do
    if type(k) ~= "string" or type(x) ~= "number" or not PT_KEYS[k] then error("bad argument #1 to 'setpartitiontable' (invalid partition setting)", 2) end
    v[PT_KEYS[k]] = x
  end
  if t.spiffs_size and not t.spiffs_addr then v[3] = v[4] <= FLASH_SIZE - 0x3000 - 0x100000 and 0x100000 or v[1] + v[2] end
  local last = 0
  for i = 1, 3, 2 do
    if v[i + 1] > 0 then
      if v[i] % SECTOR ~= 0 or v[i + 1] % SECTOR ~= 0 or v[i] < last or v[i] + v[i + 1] > FLASH_SIZE then error("Partition value out of range", 2) end
      last = v[i] + v[i + 1]
    end
  end
  sys("sysparam.set", "rcr.pt", table.concat(v, ","))
  sys("node.hang")
end

-- node.LFS on a board without an LFS partition: list and get answer nil, reload says why, and any
-- other name is an LFS module lookup, so nil (node.c:786-846, lflash.c:206-208).
node.LFS = setmetatable({}, { __index = function(_, k)
  if k == "list" or k == "get" then return function() return nil end end
  if k == "reload" then return function() return "No LFS partition allocated" end end
  return nil
end, __newindex = function() error("attempt to write to a read-only table node.LFS", 2) end, __metatable = false })

-- The deprecated names of LFS.get and LFS.reload (node.c:793-805).
function node.flashindex(name) return node.LFS.get(name) end
function node.flashreload(img)
  print("Warning, deprecated API! node.flashreload. It will be removed soon. Use node.LFS interface instead. See documentation for details.")
  return node.LFS.reload(img)
end

-- node.output(fn, serial): printed text goes to fn through a pipe, as a medium-priority task
-- (node.c:396-413); serial 0 keeps it off the UART.
function node.output(fn, serial)
  if type(fn) ~= "function" then rt.setoutput(nil) return end
  local keep = not (type(serial) == "number" and serial == 0)
  local buf, waiting = {}, false
  local pipe = { read = function() local s = table.concat(buf) buf = {} if s ~= "" then return s end end }
  rt.setoutput(function(s)
    buf[#buf + 1] = s
    if not waiting then
      waiting = true
      post(1, function() waiting = false fn(pipe) end)
    end
    return keep
  end)
end

rt.modules.node = node
