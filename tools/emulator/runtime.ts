// The NodeMCU C modules, re-created in Lua inside each emulated board's state. Anything that needs
// the host (flash, clock, console, restart) goes through the synchronous `__sys` channel; events
// (timer expiry, serial input) come back through `__E.*` entry points the board calls.
// The user's globals end up as on the device: no io, os or debug, and math without trig or log.

export const RUNTIME = String.raw`
local sys, dbg, strdump = __sys, debug, string.dump
local pcall, error, type, tostring, select, concat, setmetatable = pcall, error, type, tostring, select, table.concat, setmetatable
__sys = nil
local E = {}
__E = E

-- Built-in modules are read-only tables on the device (ROTables).
local function rotable(name, t)
  return setmetatable({}, { __index = t, __newindex = function() error("attempt to write to a read-only table " .. name, 2) end, __metatable = false })
end

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
  sys("out", s .. "\n")
end

-- Protected callbacks (tmr, uart, wifi events, tasks) report errors through node.setonerror.
local onerror
local function report(msg)
  if onerror then
    local ok, e = pcall(onerror, msg)
    if not ok then sys("panic", tostring(e)) end
  else
    print(msg)
    sys("restart_later", 2000)
  end
end
local function traceback(e)
  -- NodeMCU reports running out of memory without a traceback.
  if e == "not enough memory" then return e end
  return dbg.traceback(tostring(e), 2)
end
function E.protected(fn, ...)
  local args, n = { ... }, select("#", ...)
  local ok, e = xpcall(function() return fn(unpack(args, 1, n)) end, traceback)
  if not ok then report(e) end
end

-- node ------------------------------------------------------------------------------------
local node = {}
function node.heap() return sys("heap") + 0 end
function node.chipid() return sys("chipid") + 0 end
function node.flashid() return 1458400 end
function node.flashsize() return 4194304 end
-- node.info(group) tables as NodeMCU 3.0 fills them (flash_size in KB); no group is deprecated.
local INFO = {
  hw = function() return { chip_id = node.chipid(), flash_id = 1458400, flash_size = 4096, flash_mode = 0, flash_speed = 40000000 } end,
  sw_version = function()
    return { git_branch = "release", git_commit_id = "0000000000000000000000000000000000000000", git_release = "3.0.0-release_emulated",
      git_commit_dts = "202402250000", node_version_major = 3, node_version_minor = 0, node_version_revision = 0 }
  end,
  build_config = function() return { ssl = false, lfs_size = 0, modules = table.concat({ sys("modules") }, ","), number_type = "float" } end,
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
function node.restart() sys("restart") end
function node.bootreason() return sys("bootreason") end
function node.random(m, n)
  if m == nil then return math.random() end
  return math.random(m, n)
end
function node.setonerror(fn) onerror = fn end
function node.compile(name)
  if type(name) ~= "string" or not name:match("%.lua$") then error("not a .lua file", 2) end
  local src = file.getcontents(name)
  if not src then error("cannot open " .. name, 2) end
  local f, e = loadstring(src, "@" .. name)
  if not f then error(e, 2) end
  file.putcontents(name:sub(1, -5) .. ".lc", strdump(f))
end
function node.input(line) sys("input", line) end
function node.stripdebug(level) return level or 1 end
local tasks = { LOW_PRIORITY = 0, MEDIUM_PRIORITY = 1, HIGH_PRIORITY = 2 }
local posted, nposted = {}, 0
function tasks.post(prio, fn)
  if fn == nil then prio, fn = 1, prio end
  if type(fn) ~= "function" then error("bad argument #2 to 'post' (function expected)", 2) end
  nposted = nposted + 1
  posted[nposted] = fn
  sys("task", nposted, prio)
end
function E.task(id, prio)
  local fn = posted[id]
  posted[id] = nil
  if fn then E.protected(fn, prio) end
end
node.task = rotable("node.task", tasks)
node.egc = rotable("node.egc", { NOT_ACTIVE = 0, ON_ALLOC_FAILURE = 1, ON_MEM_LIMIT = 2, ALWAYS = 3, setmode = function() end, meminfo = function() local k = collectgarbage("count") * 1024 return k, k end })

-- tmr -------------------------------------------------------------------------------------
-- Like NodeMCU, an armed timer is held (its registry self-reference) and an idle one is garbage
-- once the firmware drops it.
local armed, ntimers = {}, 0
local Timer = {}
Timer.__index = Timer
local MAXMS = 6870947
local function checkms(ms) if type(ms) ~= "number" or ms < 1 or ms > MAXMS then error("Range: 1-0x68D7A3", 3) end end
function Timer:register(ms, mode, fn)
  checkms(ms)
  if mode ~= 0 and mode ~= 1 and mode ~= 2 then error("Invalid mode", 2) end
  if type(fn) ~= "function" then error("Must be function", 2) end
  self:stop()
  self.ms, self.mode, self.fn = ms, mode, fn
end
function Timer:start(restart)
  if restart ~= nil and type(restart) ~= "boolean" then error("boolean expected", 2) end
  if not self.fn then return false end
  if self.running and not restart then return false end
  self.running = true
  armed[self.id] = self
  sys("tmr_arm", self.id, self.ms)
  return true
end
function Timer:alarm(ms, mode, fn)
  self:register(ms, mode, fn)
  return self:start()
end
function Timer:stop()
  local was = self.running == true
  if was then sys("tmr_disarm", self.id) end
  self.running = false
  armed[self.id] = nil
  return was
end
function Timer:unregister()
  self:stop()
  self.fn = nil
end
function Timer:interval(ms)
  checkms(ms)
  if not self.fn then return end
  self.ms = ms
  if self.running then sys("tmr_arm", self.id, ms) end
end
function Timer:state()
  if not self.fn then return nil end
  return self.running, self.mode
end
function E.fire(id)
  local t = armed[id]
  if not t or not t.running then return end
  local fn = t.fn
  if t.mode == 1 then sys("tmr_arm", t.id, t.ms)
  elseif t.mode == 0 then t.running = false t.fn = nil armed[id] = nil
  else t.running = false armed[id] = nil end
  E.protected(fn, t)
end
local tmr = { ALARM_SINGLE = 0, ALARM_AUTO = 1, ALARM_SEMI = 2 }
function tmr.create()
  ntimers = ntimers + 1
  return setmetatable({ id = ntimers }, Timer)
end
function tmr.now() return sys("now") + 0 end
function tmr.time() return math.floor((sys("now") + 0) / 1000000) end
function tmr.delay(us) if type(us) ~= "number" or us <= 0 then error("wrong arg range", 2) end end
function tmr.wdclr() end
function tmr.softwd() end
function tmr.ccount() return (sys("now") * 80) % 4294967296 end

-- rtcmem ----------------------------------------------------------------------------------
local rtcmem = {}
function rtcmem.read32(idx, n)
  n = n or 1
  if idx < 0 or idx + n > 128 then return end
  local out = {}
  for i = 1, n do out[i] = sys("rtc_read", idx + i - 1) + 0 end
  return unpack(out, 1, n)
end
function rtcmem.write32(idx, ...)
  for i = 1, select("#", ...) do sys("rtc_write", idx + i - 1, (select(i, ...))) end
end

-- file ------------------------------------------------------------------------------------
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
  local h = sys("fopen", name, mode)
  if not h then return nil end
  local fd = setmetatable({ h = h + 0 }, File)
  current = fd
  return fd
end
function File:close() if self.h then sys("fclose", self.h) self.h = nil end end
function File:read(n)
  if not self.h then error("file closed", 2) end
  if type(n) == "string" then return sys("freadto", self.h, n) end
  return sys("fread", self.h, n or 1024)
end
function File:readline() return self:read("\n") end
function File:write(s)
  if not self.h then return nil end
  return sys("fwrite", self.h, tostring(s)) and true or nil
end
function File:writeline(s) return self:write(tostring(s) .. "\n") end
function File:seek(whence, off) return sys("fseek", self.h, whence or "cur", off or 0) end
function File:flush() return true end
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
  local names = { sys("flist") }
  for i = 1, #names, 2 do
    if not pattern or names[i]:match(pattern) then t[names[i]] = names[i + 1] + 0 end
  end
  return t
end
function file.remove(name) checkname(name) sys("fremove", name) end
function file.rename(a, b) checkname(a) checkname(b) return sys("frename", a, b) == true end
function file.exists(name) checkname(name) return sys("fexists", name) == true end
function file.stat(name)
  checkname(name, true)
  local size = sys("fsize", name)
  if not size then return nil end
  return { size = size + 0, name = name, is_dir = false, is_rdonly = false, is_hidden = false, is_sys = false, is_arch = false,
    time = { year = 1970, mon = 1, day = 1, hour = 0, min = 0, sec = 0 } }
end
function file.fsinfo() local r, u, t = sys("fsinfo") return r + 0, u + 0, t + 0 end
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
function file.format() sys("fformat") end

-- uart ------------------------------------------------------------------------------------
local uart = { PARITY_NONE = 0, PARITY_EVEN = 1, PARITY_ODD = 2, STOPBITS_1 = 1, STOPBITS_2 = 2, STOPBITS_1_5 = 3, DIR_RX = 0, DIR_TX = 1 }
local ondata
function uart.setup(id, baud, databits, parity, stopbits, echo)
  if echo ~= nil then sys("echo", echo ~= 0) end
  sys("baud", baud)
  return baud
end
function uart.write(id, ...)
  for i = 1, select("#", ...) do
    local v = select(i, ...)
    if type(v) == "number" then
      if v < 0 or v > 255 then error("invalid number", 2) end
      v = string.char(v)
    end
    sys("raw", v)
  end
end
function uart.on(event, n, fn, run_input)
  if event ~= "data" then error("invalid callback name", 2) end
  if fn == nil then ondata = nil sys("uart_on") return end
  if type(n) == "number" and (n < 0 or n >= 256) then error("wrong arg range", 2) end
  ondata = fn
  sys("uart_on", n, run_input == nil and 1 or run_input)
end
function E.data(s) if ondata then E.protected(ondata, s) end end
function uart.getconfig() return 115200, 8, 0, 1 end


-- wifi (station) -------------------------------------------------------------------------
local wifi = { NULLMODE = 0, STATION = 1, SOFTAP = 2, STATIONAP = 3, STA_IDLE = 0, STA_CONNECTING = 1, STA_WRONGPWD = 2, STA_APNOTFOUND = 3, STA_FAIL = 4, STA_GOTIP = 5 }
local mode = 1
local handlers = {}
function wifi.setmode(m, save)
  if m ~= 0 and m ~= 1 and m ~= 2 and m ~= 3 then error("Invalid mode", 2) end
  mode = m
  return m
end
function wifi.getmode() return mode end
local eventmon = { STA_CONNECTED = 0, STA_DISCONNECTED = 1, STA_AUTHMODE_CHANGE = 2, STA_GOT_IP = 3, STA_DHCP_TIMEOUT = 4,
  AP_STACONNECTED = 5, AP_STADISCONNECTED = 6, AP_PROBEREQRECVED = 7, WIFI_MODE_CHANGED = 8 }
function eventmon.register(ev, fn)
  if type(ev) ~= "number" or ev < 0 or ev > 9 then error("valid wifi events:0-10", 2) end
  handlers[ev] = fn
end
eventmon.unregister = eventmon.register
eventmon.reason = rotable("wifi.eventmon.reason", { UNSPECIFIED = 1, AUTH_EXPIRE = 2, AUTH_LEAVE = 3, ASSOC_EXPIRE = 4, ASSOC_TOOMANY = 5, NOT_AUTHED = 6,
  NOT_ASSOCED = 7, ASSOC_LEAVE = 8, ASSOC_NOT_AUTHED = 9, DISASSOC_PWRCAP_BAD = 10, DISASSOC_SUPCHAN_BAD = 11, IE_INVALID = 13, MIC_FAILURE = 14,
  ["4WAY_HANDSHAKE_TIMEOUT"] = 15, GROUP_KEY_UPDATE_TIMEOUT = 16, IE_IN_4WAY_DIFFERS = 17, GROUP_CIPHER_INVALID = 18, PAIRWISE_CIPHER_INVALID = 19,
  AKMP_INVALID = 20, UNSUPP_RSN_IE_VERSION = 21, INVALID_RSN_IE_CAP = 22, ["802_1X_AUTH_FAILED"] = 23, CIPHER_SUITE_REJECTED = 24,
  BEACON_TIMEOUT = 200, NO_AP_FOUND = 201, AUTH_FAIL = 202, ASSOC_FAIL = 203, HANDSHAKE_TIMEOUT = 204 })
wifi.eventmon = rotable("wifi.eventmon", eventmon)
local sta = {}
local stacfg
function sta.config(cfg)
  if type(cfg) ~= "table" then error("config table not found!", 2) end
  if type(cfg.ssid) ~= "string" then error("ssid required", 2) end
  if #cfg.ssid > 32 then error("ssid: length:0-32", 2) end
  -- The firmware reads connect_cb/disconnect_cb (the docs' connected_cb are never read).
  local map = { connect_cb = 0, disconnect_cb = 1, authmode_change_cb = 2, got_ip_cb = 3, dhcp_timeout_cb = 4 }
  for k, ev in pairs(map) do if cfg[k] then handlers[ev] = cfg[k] end end
  stacfg = { ssid = cfg.ssid, pwd = cfg.pwd or "" }
  sys("wifi_disconnect")
  if cfg.auto ~= false then sys("wifi_connect", stacfg.ssid, stacfg.pwd) end
  return true
end
function sta.connect(cb)
  if cb then handlers[0] = cb end
  if stacfg then sys("wifi_connect", stacfg.ssid, stacfg.pwd) end
end
function sta.disconnect(cb)
  if cb then handlers[1] = cb end
  sys("wifi_disconnect")
end
function sta.autoconnect() end
function sta.getip()
  local ip = sys("wifi_ip")
  if not ip then return nil end
  return ip, "255.255.255.0", (ip:gsub("%d+$", "1"))
end
function sta.status() return sys("wifi_status") + 0 end
function sta.getrssi() if sys("wifi_ip") then return -52 end return nil end
function sta.getmac() return string.format("5c:cf:7f:%02x:%02x:%02x", (sys("chipid") / 65536) % 256, (sys("chipid") / 256) % 256, sys("chipid") % 256) end
wifi.sta = rotable("wifi.sta", sta)
function E.wifi(ev, t)
  local fn = handlers[ev]
  if fn then E.protected(fn, t) end
end

-- mqtt ------------------------------------------------------------------------------------
local mqtt = { CONN_FAIL_SERVER_NOT_FOUND = -5, CONN_FAIL_NOT_A_CONNACK_MSG = -4, CONN_FAIL_DNS = -3, CONN_FAIL_TIMEOUT_RECEIVING = -2,
  CONN_FAIL_TIMEOUT_SENDING = -1, CONNACK_ACCEPTED = 0, CONNACK_REFUSED_PROTOCOL_VER = 1, CONNACK_REFUSED_ID_REJECTED = 2,
  CONNACK_REFUSED_SERVER_UNAVAILABLE = 3, CONNACK_REFUSED_BAD_USER_OR_PASS = 4, CONNACK_REFUSED_NOT_AUTHORIZED = 5 }
local clients, nclients = {}, 0
local Client = {}
Client.__index = Client
local EVENTS = { connect = true, connfail = true, offline = true, message = true, overflow = true, puback = true, suback = true, unsuback = true }
-- mqtt_socket_client reads arguments by type and only moves on when one matches.
function mqtt.Client(...)
  local a, i = { ... }, 1
  local c = setmetatable({ cb = {} }, Client)
  if type(a[i]) == "string" or type(a[i]) == "number" then c.clientid = tostring(a[i]) i = i + 1
  else c.clientid = string.format("NodeMCU_%x", sys("chipid")) end
  if type(a[i]) == "number" then c.keepalive = a[i] i = i + 1 end
  if type(a[i]) == "string" or type(a[i]) == "number" then c.user = tostring(a[i]) i = i + 1
    if type(a[i]) == "string" or type(a[i]) == "number" then c.pass = tostring(a[i]) i = i + 1 end
  end
  if type(a[i]) == "number" then c.clean = a[i] ~= 0 i = i + 1 end
  if type(a[i]) == "number" then c.maxlen = a[i] end
  if not c.keepalive or c.keepalive == 0 then c.keepalive = 60 end
  if not c.maxlen or c.maxlen == 0 then c.maxlen = 1024 end
  nclients = nclients + 1
  c.id = nclients
  clients[nclients] = c
  return c
end
function Client:lwt(topic, message, qos, retain)
  self.will = { topic, message, (qos or 0) % 4, (retain or 0) ~= 0 }
end
function Client:on(event, fn)
  if not EVENTS[event] then error("bad argument #2 to 'on' (invalid option '" .. tostring(event) .. "')", 2) end
  if type(fn) ~= "function" then error("bad argument #3 to 'on' (function expected)", 2) end
  self.cb[event] = fn
end
function Client:connect(host, ...)
  if self.connected then error("already connected", 2) end
  local a, i = { ... }, 1
  local port, secure = 1883, false
  if type(a[i]) == "number" then port = a[i] i = i + 1 end
  if type(a[i]) == "boolean" then secure = a[i] i = i + 1 elseif type(a[i]) == "number" then i = i + 1 end
  if type(a[i]) == "function" then self.cb.connect = a[i] i = i + 1 end
  if type(a[i]) == "function" then self.cb.connfail = a[i] end
  local w = self.will or {}
  sys("mqtt_connect", self.id, host, port, secure, self.clientid, self.keepalive, self.user or "", self.pass or "", self.clean and 1 or 0,
    w[1] or "", w[2] or "", w[3] or 0, w[4] and 1 or 0, self.maxlen)
end
function Client:close() sys("mqtt_close", self.id) end
local function need(self) if not self.connected then error("not connected", 3) end end
function Client:publish(topic, payload, qos, retain, cb)
  need(self)
  if cb then self.cb.puback = cb end
  return sys("mqtt_publish", self.id, topic, tostring(payload), qos, retain) == true
end
function Client:subscribe(topic, qos, cb)
  need(self)
  local list = {}
  if type(topic) == "table" then
    cb = qos
    for t, q in pairs(topic) do list[#list + 1] = t list[#list + 1] = q end
    if #list == 0 then error("no topics found", 2) end
  else
    list = { topic, qos }
  end
  if cb then self.cb.suback = cb end
  return sys("mqtt_subscribe", self.id, unpack(list)) == true
end
function Client:unsubscribe(topic, cb)
  need(self)
  local list = {}
  if type(topic) == "table" then for t in pairs(topic) do list[#list + 1] = t end else list = { topic } end
  if cb then self.cb.unsuback = cb end
  return sys("mqtt_unsubscribe", self.id, unpack(list)) == true
end
-- MQTT callbacks run unprotected on the device (plain lua_call): an error in one panics.
function E.mqtt(id, event, ...)
  local c = clients[id]
  if not c then return end
  if event == "connect" then c.connected = true elseif event == "offline" or event == "connfail" then c.connected = false end
  local fn = c.cb[event]
  if fn then fn(c, ...) end
end

-- bit: 32-bit operations; results are signed 32-bit numbers as on the device -------------
local TWO32, TWO31 = 4294967296, 2147483648
local function u32(v) return math.floor(v) % TWO32 end
local function s32(v) v = u32(v) if v >= TWO31 then return v - TWO32 end return v end
local function bitwise(a, b, op)
  a, b = u32(a), u32(b)
  local r, p = 0, 1
  for _ = 1, 32 do
    local x, y = a % 2, b % 2
    if op(x, y) then r = r + p end
    a, b, p = (a - x) / 2, (b - y) / 2, p * 2
  end
  return r
end
local function fold(op)
  return function(a, ...)
    local r = u32(a)
    for i = 1, select("#", ...) do r = bitwise(r, (select(i, ...)), op) end
    return s32(r)
  end
end
local bit = {
  band = fold(function(x, y) return x == 1 and y == 1 end),
  bor = fold(function(x, y) return x == 1 or y == 1 end),
  bxor = fold(function(x, y) return x ~= y end),
  bnot = function(v) return s32(TWO32 - 1 - u32(v)) end,
  lshift = function(v, n) return s32(u32(v) * 2 ^ n) end,
  rshift = function(v, n) return s32(math.floor(u32(v) / 2 ^ n)) end,
  arshift = function(v, n) return s32(math.floor(s32(v) / 2 ^ n)) end,
  bit = function(n) return s32(2 ^ n) end,
  isset = function(v, n) return math.floor(u32(v) / 2 ^ n) % 2 == 1 end,
  isclear = function(v, n) return math.floor(u32(v) / 2 ^ n) % 2 == 0 end,
}
function bit.set(v, ...) for i = 1, select("#", ...) do v = bit.bor(v, bit.bit((select(i, ...)))) end return s32(v) end
function bit.clear(v, ...) for i = 1, select("#", ...) do v = bit.band(v, bit.bnot(bit.bit((select(i, ...))))) end return s32(v) end

-- gpio: pin levels are kept by the board, so tests can see what the firmware drives --------
local gpio = { OUTPUT = 1, INPUT = 0, OPENDRAIN = 3, INT = 2, HIGH = 1, LOW = 0, PULLUP = 1, FLOAT = 0 }
local function checkpin(pin) if type(pin) ~= "number" or pin < 0 or pin > 12 then error("wrong pin num.", 3) end end
function gpio.mode(pin, m, pullup) checkpin(pin) sys("gpio_mode", pin, m) end
function gpio.write(pin, level) checkpin(pin) sys("gpio_write", pin, level) end
function gpio.read(pin) checkpin(pin) return sys("gpio_read", pin) + 0 end
function gpio.trig(pin) checkpin(pin) if pin == 0 then error("no interrupt for D0", 2) end end

-- encoder: a C module on the device; the host does the work ------------------------------
local encoder = {}
for _, f in ipairs({ "toBase64", "fromBase64", "toHex", "fromHex" }) do
  encoder[f] = function(s)
    local out, err = sys("encoder", f, tostring(s))
    if err then error(err, 2) end
    return out
  end
end

-- sjson: encode walks Lua tables by NodeMCU's rules; decode is parsed on the host and comes back
-- as a Lua table constructor -----------------------------------------------------------------
local NULL = newproxy and newproxy() or {}
local sjson = { NULL = NULL }
local function quote(str)
  return '"' .. str:gsub('[%c"]', function(c)
    local named = { ['"'] = '\\"', ["\n"] = "\\n", ["\t"] = "\\t", ["\r"] = "\\r", ["\b"] = "\\b", ["\f"] = "\\f" }
    return named[c] or string.format("\\u%04x", c:byte())
  end) .. '"'
end
local function encode(v, depth, null)
  local t = type(v)
  if v == nil or v == NULL then return "null" end
  if t == "boolean" then return tostring(v) end
  if t == "number" then
    if v ~= v or v == math.huge or v == -math.huge then return "null" end
    return string.format("%.19g", v)
  end
  if t == "string" then return quote(v) end
  if t == "function" then return encode(v(), depth, null) end
  if t ~= "table" then error(string.format("Cannot encode type %d", ({ userdata = 7, thread = 8 })[t] or 2), 0) end
  if depth <= 0 then error("Too deep", 0) end
  local max, isarray = 0, true
  for k in pairs(v) do
    if type(k) == "number" and k > 0 and k == math.floor(k) then
      if k > max then max = k end
    else
      isarray = false
    end
  end
  local parts = {}
  if isarray then
    for i = 1, max do parts[i] = encode(v[i], depth - 1, null) end
    return "[" .. concat(parts, ",") .. "]"
  end
  for k, x in pairs(v) do parts[#parts + 1] = quote(tostring(k)) .. ":" .. encode(x, depth - 1, null) end
  return "{" .. concat(parts, ",") .. "}"
end
function sjson.encode(v, opts)
  local depth = opts and opts.depth or 20
  if depth < 4 then depth = 4 elseif depth > 1000 then depth = 1000 end
  local ok, r = pcall(encode, v, depth)
  if not ok then error(r, 2) end
  return r
end
function sjson.decode(text, opts)
  local src, err = sys("sjson_decode", tostring(text))
  if err then error(err, 2) end
  local null = NULL
  if opts and opts.null ~= nil then null = opts.null end
  return setfenv(assert(loadstring(src)), { N = null })()
end

-- net: TCP client sockets over host TCP; callbacks run unprotected, as on the device -------
local net = { TCP = 1, UDP = 2 }
local sockets, nsockets = {}, 0
local Socket = {}
Socket.__index = Socket
local SOCKET_EVENTS = { connection = true, reconnection = true, disconnection = true, receive = true, sent = true }
function net.createConnection()
  nsockets = nsockets + 1
  local sk = setmetatable({ id = nsockets, cb = {} }, Socket)
  sockets[nsockets] = sk
  return sk
end
function Socket:on(event, fn)
  if not SOCKET_EVENTS[event] then error("unknown event: " .. tostring(event), 2) end
  self.cb[event] = fn
end
function Socket:connect(port, host) sys("net_connect", self.id, port, host) end
function Socket:send(data, cb)
  if cb then self.cb.sent = cb end
  sys("net_send", self.id, tostring(data))
end
function Socket:close() sys("net_close", self.id) end
function Socket:getpeer() return sys("net_peer", self.id) end
function E.net(id, event, ...)
  local sk = sockets[id]
  if not sk then return end
  local fn = sk.cb[event]
  if fn then fn(sk, ...) end
end

-- The globals the device shows, and what it lacks.
local installed = { node = node, tmr = tmr, rtcmem = rtcmem, file = file, uart = uart, wifi = wifi, mqtt = mqtt, bit = bit, gpio = gpio, encoder = encoder, sjson = sjson, net = net }
for _, m in ipairs({ sys("modules") }) do
  if installed[m] then _G[m] = rotable(m, installed[m]) end
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
-- the limit even after a full collection (NodeMCU's emergency GC), fails the allocation.
function E.limit(bytes)
  local count, collect = collectgarbage, collectgarbage
  dbg.sethook(function()
    if count("count") * 1024 > bytes then
      collect("collect")
      if count("count") * 1024 > bytes then error("not enough memory", 0) end
    end
  end, "", 2000)
end

-- Boot: run init.lua, as pmain does with LUA_INIT_STRING "@init.lua".
function E.boot()
  local f, e = loadfile("init.lua")
  if not f then sys("out", "cannot open init.lua: \n") return end
  local ok, err = xpcall(f, traceback)
  if not ok then print(err) end
end
`;
