-- wifi: NodeMCU's wifi module, station mode (host half: wifi.ts, with the simulated access
-- point). The host calls E.wifi(event, info) for wifi.eventmon events.
local rt = __rt
local sys, E, rotable = rt.sys, rt.E, rt.rotable
local error, type, tostring, tonumber, floor = error, type, tostring, tonumber, math.floor
local checkint = rt.checkint

local wifi = { NULLMODE = 0, STATION = 1, SOFTAP = 2, STATIONAP = 3, STA_IDLE = 0, STA_CONNECTING = 1, STA_WRONGPWD = 2, STA_APNOTFOUND = 3,
  STA_FAIL = 4, STA_GOTIP = 5, COUNTRY_AUTO = 0, COUNTRY_MANUAL = 1, OPEN = 0, WPA_PSK = 2, WPA2_PSK = 3, WPA_WPA2_PSK = 4 }
local handlers = {}
local WIFI_MODE_CHANGED = 8

-- What the SDK keeps in its system parameter flash (sysparam "sdk.*"): the saved station configs
-- (up to the AP limit, with the one in use), the opmode, auto-connect. node.restore clears them.
local function load(key, default)
  local v = sys("sysparam.get", key)
  if not v then return default end
  return setfenv(assert(loadstring("return " .. v)), {})()
end
local function save(key, v) sys("sysparam.set", key, v) end
local function serialize(ap) return string.format("{ssid=%q,pwd=%q,bssid=%s}", ap.ssid, ap.pwd, ap.bssid and string.format("%q", ap.bssid) or "nil") end
local function saveaps(aps, cur)
  local parts = {}
  for i, ap in ipairs(aps) do parts[i] = serialize(ap) end
  save("sdk.aps", "{" .. table.concat(parts, ",") .. "}")
  save("sdk.apcur", cur)
end
local aps, apcur = load("sdk.aps", {}), load("sdk.apcur", 1)
local aplimit = load("sdk.aplimit", 1)
local mode = load("sdk.mode", 1)
local auto = load("sdk.auto", 1)
-- The config in use: the saved one in use at boot, until wifi.sta.config{save=false} replaces it.
local current = aps[apcur]

local function hasSta(m) return m == 1 or m == 3 end
local function connect() if current and current.ssid ~= "" and hasSta(mode) then sys("wifi.connect", current.ssid, current.pwd) end end

function wifi.setmode(m, tosave)
  m = checkint(m, 1, "setmode")
  if m ~= 0 and m ~= 1 and m ~= 2 and m ~= 3 then error("bad argument #1 to 'setmode' (Invalid mode)", 2) end
  if tosave ~= nil and type(tosave) ~= "boolean" then error("bad argument #2 to 'setmode' (boolean expected, got " .. type(tosave) .. ")", 2) end
  if tosave ~= false then save("sdk.mode", m) end
  local old = mode
  mode = m
  if old ~= m then
    -- The SDK reports EVENT_OPMODE_CHANGED (wifi_eventmon.c:226-229); the station stops or, with
    -- auto-connect on, joins again.
    sys("wifi.modechanged", old, m)
    if not hasSta(m) then sys("wifi.disconnect") elseif not hasSta(old) and auto == 1 then connect() end
  end
  return m
end
function wifi.getmode() return mode end
function wifi.getdefaultmode() return load("sdk.mode", 1) end
function wifi.getchannel() return sys("wifi.channel") + 0 end
-- Radio settings the emulated link does not depend on, kept as the SDK answers them
-- (wifi.c:391-425, 526-543): 802.11n by default, tx power 1-82, auto sleep in NULLMODE on.
wifi.PHYMODE_B, wifi.PHYMODE_G, wifi.PHYMODE_N = 1, 2, 3
wifi.NONE_SLEEP, wifi.LIGHT_SLEEP, wifi.MODEM_SLEEP = 0, 1, 2
local phymode, nullsleep, sleeptype = 3, true, 2
function wifi.setphymode(m)
  m = checkint(m, 1, "setphymode")
  if m ~= 1 and m ~= 2 and m ~= 3 then error("wrong arg type", 2) end
  phymode = m
  return m
end
function wifi.getphymode() return phymode end
function wifi.setmaxtxpower(p)
  p = checkint(p, 1, "setmaxtxpower")
  if p <= 0 or p >= 83 then error("bad argument #1 to 'setmaxtxpower' (tx power out of range (0->82))", 2) end
  return p
end
function wifi.nullmodesleep(on)
  if on ~= nil then nullsleep = on and true or false end
  return nullsleep
end
-- wifi.c:218-333; the SDK's default country is CN, channels 1-13, policy auto.
local country = { country = "CN", start_ch = 1, end_ch = 13, policy = 0 }
function wifi.getcountry() return { country = country.country, start_ch = country.start_ch, end_ch = country.end_ch, policy = country.policy } end
function wifi.setcountry(t)
  if type(t) ~= "table" then error("bad argument #1 to 'setcountry' (Table not found!)", 2) end
  local function bad(msg) error("bad argument #1 to 'setcountry' (" .. msg .. ")", 3) end
  local c = { country = "CN", start_ch = 1, policy = 0 }
  if t.country ~= nil then
    if type(t.country) ~= "string" then bad("country: must be string") end
    if not t.country:match("^%a%a$") then bad("country: country code must be 2 chars") end
    c.country = t.country:upper()
  end
  for _, k in ipairs({ "start_ch", "end_ch" }) do
    if t[k] ~= nil then
      if type(t[k]) ~= "number" then bad(k .. ": must be a number") end
      if t[k] < 1 or t[k] > 14 then bad(k .. ": Range:1-14") end
      c[k] = checkint(t[k], 1, "setcountry")
    end
  end
  if c.end_ch and c.end_ch < c.start_ch then bad("end_ch: can't be less than start_ch") end
  c.end_ch = c.end_ch or 13
  if t.policy ~= nil then
    if type(t.policy) ~= "number" then bad("policy: must be a number") end
    if t.policy ~= 0 and t.policy ~= 1 then bad("policy: must be 0 or 1") end
    c.policy = t.policy
  end
  country = c
  return true
end
local eventmon = { STA_CONNECTED = 0, STA_DISCONNECTED = 1, STA_AUTHMODE_CHANGE = 2, STA_GOT_IP = 3, STA_DHCP_TIMEOUT = 4,
  AP_STACONNECTED = 5, AP_STADISCONNECTED = 6, AP_PROBEREQRECVED = 7, WIFI_MODE_CHANGED = 8 }
function eventmon.register(ev, fn)
  if type(ev) ~= "number" or ev < 0 or ev > 9 then error("valid wifi events:0-10", 2) end
  handlers[ev] = fn
end
eventmon.unregister = eventmon.register
eventmon.reason = rotable("wifi.eventmon.reason", { UNSPECIFIED = 1, AUTH_EXPIRE = 2, AUTH_LEAVE = 3, ASSOC_EXPIRE = 4, ASSOC_TOOMANY = 5,
  NOT_AUTHED = 6, NOT_ASSOCED = 7, ASSOC_LEAVE = 8, ASSOC_NOT_AUTHED = 9, DISASSOC_PWRCAP_BAD = 10, DISASSOC_SUPCHAN_BAD = 11, IE_INVALID = 13,
  MIC_FAILURE = 14, ["4WAY_HANDSHAKE_TIMEOUT"] = 15, GROUP_KEY_UPDATE_TIMEOUT = 16, IE_IN_4WAY_DIFFERS = 17, GROUP_CIPHER_INVALID = 18,
  PAIRWISE_CIPHER_INVALID = 19, AKMP_INVALID = 20, UNSUPP_RSN_IE_VERSION = 21, INVALID_RSN_IE_CAP = 22, ["802_1X_AUTH_FAILED"] = 23,
  CIPHER_SUITE_REJECTED = 24, BEACON_TIMEOUT = 200, NO_AP_FOUND = 201, AUTH_FAIL = 202, ASSOC_FAIL = 203, HANDSHAKE_TIMEOUT = 204 })
wifi.eventmon = rotable("wifi.eventmon", eventmon)
local sta = {}
local MAC_FMT = "^%x%x:%x%x:%x%x:%x%x:%x%x:%x%x$"
-- wifi.c:873-1107: save and auto default to true; a saved config joins the SDK's AP list.
function sta.config(cfg)
  if type(cfg) ~= "table" then error("bad argument #1 to 'config' (config table not found!)", 2) end
  local function bad(msg) error("bad argument #1 to 'config' (" .. msg .. ")", 3) end
  if cfg.ssid == nil then bad("ssid required") end
  if type(cfg.ssid) ~= "string" and type(cfg.ssid) ~= "number" then bad("ssid:not string") end
  if #tostring(cfg.ssid) > 32 then bad("ssid: length:0-32") end
  if cfg.pwd ~= nil and type(cfg.pwd) ~= "string" and type(cfg.pwd) ~= "number" then bad("pwd:not string") end
  if cfg.pwd ~= nil and #tostring(cfg.pwd) > 64 then bad("pwd: length:0-64") end
  if cfg.bssid ~= nil and (type(cfg.bssid) ~= "string" or #cfg.bssid ~= 17) then bad("bssid: FF:FF:FF:FF:FF:FF") end
  if cfg.auto ~= nil and type(cfg.auto) ~= "boolean" then bad("auto:not boolean") end
  if cfg.save ~= nil and type(cfg.save) ~= "boolean" then bad("save:not boolean") end
  -- The firmware reads connect_cb/disconnect_cb (the docs' connected_cb are never read).
  local map = { connect_cb = 0, disconnect_cb = 1, authmode_change_cb = 2, got_ip_cb = 3, dhcp_timeout_cb = 4 }
  for k, ev in pairs(map) do
    if cfg[k] ~= nil then
      if type(cfg[k]) ~= "function" then bad(k .. ":not function") end
      handlers[ev] = cfg[k]
    end
  end
  current = { ssid = tostring(cfg.ssid), pwd = cfg.pwd and tostring(cfg.pwd) or "", bssid = cfg.bssid and cfg.bssid:lower() }
  sys("wifi.disconnect")
  if cfg.save ~= false then
    local at = #aps + 1
    for i, ap in ipairs(aps) do if ap.ssid == current.ssid then at = i end end
    if at > aplimit then at = apcur end
    aps[at], apcur = current, at
    saveaps(aps, apcur)
  end
  auto = cfg.auto == false and 0 or 1
  save("sdk.auto", auto)
  if auto == 1 then connect() end
  return true
end
-- wifi.c:846-871: an empty config saved, auto-connect off, the station left.
function sta.clearconfig()
  sys("wifi.disconnect")
  current = { ssid = "", pwd = "" }
  aps[apcur] = current
  saveaps(aps, apcur)
  auto = 0
  save("sdk.auto", 0)
  return true
end
function sta.connect(cb)
  if type(cb) == "function" then handlers[0] = cb end
  connect()
end
function sta.disconnect(cb)
  if type(cb) == "function" then handlers[1] = cb end
  sys("wifi.disconnect")
end
-- Saved in flash by the SDK (wifi_station_set_auto_connect); it decides the join at boot.
function sta.autoconnect(a)
  a = checkint(a, 1, "autoconnect")
  if a ~= 0 and a ~= 1 then error("bad argument #1 to 'autoconnect' (0 or 1)", 2) end
  auto = a
  save("sdk.auto", a)
end
-- wifi.c:770-832: always four values (or a table with true); a config never set reads as empty.
local function getconfig(ap, new)
  ap = ap or { ssid = "", pwd = "" }
  local bssid = ap.bssid or "00:00:00:00:00:00"
  if new == true then
    return { ssid = ap.ssid, pwd = ap.pwd ~= "" and ap.pwd or nil, bssid_set = ap.bssid ~= nil, bssid = bssid }
  end
  return ap.ssid, ap.pwd, ap.bssid and 1 or 0, bssid
end
function sta.getconfig(new) return getconfig(current, new) end
function sta.getdefaultconfig(new) local saved = load("sdk.aps", {}) return getconfig(saved[load("sdk.apcur", 1)], new) end
function sta.getapinfo()
  local t = { qty = #aps }
  for i, ap in ipairs(aps) do t[i] = { ssid = ap.ssid, pwd = ap.pwd ~= "" and ap.pwd or nil, bssid = ap.bssid } end
  return t
end
function sta.getapindex() return apcur end
function sta.setaplimit(n)
  n = checkint(n, 1, "setaplimit")
  if n < 1 or n > 5 then error("bad argument #1 to 'setaplimit' (Valid range: 1-5)", 2) end
  aplimit = n
  save("sdk.aplimit", n)
  return true
end
-- wifi_station_ap_change: false for an index with no saved AP; else it switches and rejoins.
function sta.changeap(i)
  i = checkint(i, 1, "changeap")
  if i < 1 or i > 5 then error("bad argument #1 to 'changeap' (Valid range: 1-5)", 2) end
  if not aps[i] then return false end
  apcur, current = i, aps[i]
  save("sdk.apcur", i)
  sys("wifi.disconnect")
  connect()
  return true
end
-- wifi.c:1151-1307 and wifi_scan_done (wifi.c:78-130): the callback gets the access points the
-- scan found, keyed by SSID ("authmode,rssi,bssid,channel") or with format 1 by BSSID
-- ("ssid,rssi,authmode,channel").
local scans, nscans = {}, 0
function sta.getap(cfg, format, cb)
  if mode == 2 then error("Can't list ap in SOFTAP mode", 2) end
  if type(cfg) == "function" then cfg, format, cb = nil, 0, cfg
  elseif type(cfg) == "number" then cfg, format, cb = nil, cfg, format
  elseif type(cfg) == "table" and type(format) == "function" then format, cb = 0, format
  elseif cfg ~= nil and type(cfg) ~= "table" then error("wrong arg type", 2) end
  if format ~= nil and format ~= 0 and format ~= 1 then error("wrong arg type", 2) end
  if type(cfg) == "table" then
    if cfg.ssid ~= nil and #tostring(cfg.ssid) > 32 then error("ssid:<32", 2) end
    if cfg.bssid ~= nil and #tostring(cfg.bssid) ~= 17 then error("bad argument #1 to 'getap' (MAC:FF:FF:FF:FF:FF:FF)", 2) end
    if cfg.channel ~= nil and (cfg.channel < 0 or cfg.channel > 13) then error("channel: 0 or 1-13", 2) end
  end
  if type(cb) ~= "function" then return end
  nscans = nscans + 1
  scans[nscans] = { cfg = cfg or {}, format = format or 0, cb = cb }
  sys("wifi.scan", nscans)
end
function E.scanned(id, ssid, bssid, channel, rssi, authmode)
  local s = scans[id]
  scans[id] = nil
  local t, f = {}, s.cfg
  local match = ssid and (f.ssid == nil or f.ssid == ssid) and (f.bssid == nil or f.bssid:lower() == bssid)
    and (f.channel == nil or f.channel == 0 or f.channel == channel)
  if match then
    if s.format == 1 then t[bssid] = string.format("%s,%d,%d,%d", ssid, rssi, authmode, channel)
    else t[ssid] = string.format("%d,%d,%s,%d", authmode, rssi, bssid, channel) end
  end
  E.protected(s.cb, t)
end
-- wifi.c:628-661: the given fields replace the station's address, and DHCP stops.
local static
function sta.setip(t)
  if type(t) ~= "table" then error("wrong arg type", 2) end
  local ip, nm, gw = sta.getip()
  static = { ip = t.ip or ip or "0.0.0.0", netmask = t.netmask or nm or "0.0.0.0", gateway = t.gateway or gw or "0.0.0.0" }
  return true
end
function sta.getip()
  if static and static.ip ~= "0.0.0.0" then return static.ip, static.netmask, static.gateway end
  local ip = sys("wifi.ip")
  if not ip then return nil end
  return ip, "255.255.255.0", (ip:gsub("%d+$", "1"))
end
function sta.getbroadcast()
  local ip = sta.getip()
  if not ip then return nil end
  return (ip:gsub("%d+$", "255"))
end
-- wifi.c:1345-1362: the station's power saving (modem sleep by default).
function sta.sleeptype(t)
  if type(t) == "number" then
    if t ~= 0 and t ~= 1 and t ~= 2 then error("bad argument #1 to 'sleeptype' (range:0-2)", 2) end
    sleeptype = t
  end
  return sleeptype
end
function sta.status() return sys("wifi.status") + 0 end
-- wifi.c:1373-1385: the SDK answers 31 when not associated, and that reads as nil.
function sta.getrssi() if sys("wifi.ip") then return -52 end return nil end
-- The station MAC: Espressif's OUI and the chip id, until setmac (not kept across a restart).
local chip = sys("node.chipid") + 0
local mac = string.format("5c:cf:7f:%02x:%02x:%02x", floor(chip / 65536) % 256, floor(chip / 256) % 256, chip % 256)
function sta.getmac() return mac end
-- wifi.c:557-566; the SDK refuses a multicast address (low bit of the first byte set).
function sta.setmac(m)
  if type(m) ~= "string" and type(m) ~= "number" then error("bad argument #1 to 'setmac' (string expected, got " .. type(m) .. ")", 2) end
  if #tostring(m) ~= 17 then error("bad argument #1 to 'setmac' (MAC:FF:FF:FF:FF:FF:FF)", 2) end
  if not m:match(MAC_FMT) or tonumber(m:sub(1, 2), 16) % 2 == 1 or not hasSta(mode) then return false end
  mac = m:lower()
  return true
end
-- NodeMCU names the station NODE-XXXXXX from the MAC at boot (wifi.c:1967-2000); sethostname
-- checks RFC 952/1123 (wifi.c:1316-1342).
local hostname = string.format("NODE-%02X%02X%02X", floor(chip / 65536) % 256, floor(chip / 256) % 256, chip % 256)
function sta.gethostname() return hostname end
function sta.sethostname(name)
  if type(name) ~= "string" and type(name) ~= "number" then error("bad argument #1 to 'sethostname' (string expected, got " .. type(name) .. ")", 2) end
  name = tostring(name)
  if #name == 0 or #name > 32 or not name:match("^%w[%w%-]*$") or not name:match("%w$") then error("bad argument #1 to 'sethostname' (Invalid hostname)", 2) end
  hostname = name
  return true
end
wifi.sta = rotable("wifi.sta", sta)
-- At boot the SDK joins the saved access point when auto-connect is on.
if auto == 1 then connect() end
function E.wifi(ev, t)
  local fn = handlers[ev]
  if fn then E.protected(fn, t) end
end
function E.modechanged(old, new) E.wifi(WIFI_MODE_CHANGED, { old_mode = old, new_mode = new }) end

rt.modules.wifi = wifi
