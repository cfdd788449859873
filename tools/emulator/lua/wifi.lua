-- wifi: NodeMCU's wifi module, station mode (host half: ../modules/wifi.ts over the simulated
-- access point in ../network.ts). The host calls E.wifi(event, info) for wifi.eventmon events.
local rt = __rt
local sys, E, rotable = rt.sys, rt.E, rt.rotable
local error, type = error, type

local wifi = { NULLMODE = 0, STATION = 1, SOFTAP = 2, STATIONAP = 3, STA_IDLE = 0, STA_CONNECTING = 1, STA_WRONGPWD = 2, STA_APNOTFOUND = 3,
  STA_FAIL = 4, STA_GOTIP = 5 }
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
eventmon.reason = rotable("wifi.eventmon.reason", { UNSPECIFIED = 1, AUTH_EXPIRE = 2, AUTH_LEAVE = 3, ASSOC_EXPIRE = 4, ASSOC_TOOMANY = 5,
  NOT_AUTHED = 6, NOT_ASSOCED = 7, ASSOC_LEAVE = 8, ASSOC_NOT_AUTHED = 9, DISASSOC_PWRCAP_BAD = 10, DISASSOC_SUPCHAN_BAD = 11, IE_INVALID = 13,
  MIC_FAILURE = 14, ["4WAY_HANDSHAKE_TIMEOUT"] = 15, GROUP_KEY_UPDATE_TIMEOUT = 16, IE_IN_4WAY_DIFFERS = 17, GROUP_CIPHER_INVALID = 18,
  PAIRWISE_CIPHER_INVALID = 19, AKMP_INVALID = 20, UNSUPP_RSN_IE_VERSION = 21, INVALID_RSN_IE_CAP = 22, ["802_1X_AUTH_FAILED"] = 23,
  CIPHER_SUITE_REJECTED = 24, BEACON_TIMEOUT = 200, NO_AP_FOUND = 201, AUTH_FAIL = 202, ASSOC_FAIL = 203, HANDSHAKE_TIMEOUT = 204 })
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
  sys("wifi.disconnect")
  if cfg.auto ~= false then sys("wifi.connect", stacfg.ssid, stacfg.pwd) end
  return true
end
function sta.connect(cb)
  if cb then handlers[0] = cb end
  if stacfg then sys("wifi.connect", stacfg.ssid, stacfg.pwd) end
end
function sta.disconnect(cb)
  if cb then handlers[1] = cb end
  sys("wifi.disconnect")
end
function sta.autoconnect() end
function sta.getip()
  local ip = sys("wifi.ip")
  if not ip then return nil end
  return ip, "255.255.255.0", (ip:gsub("%d+$", "1"))
end
function sta.status() return sys("wifi.status") + 0 end
function sta.getrssi() if sys("wifi.ip") then return -52 end return nil end
function sta.getmac()
  return string.format("5c:cf:7f:%02x:%02x:%02x", (sys("node.chipid") / 65536) % 256, (sys("node.chipid") / 256) % 256, sys("node.chipid") % 256)
end
wifi.sta = rotable("wifi.sta", sta)
function E.wifi(ev, t)
  local fn = handlers[ev]
  if fn then E.protected(fn, t) end
end

rt.modules.wifi = wifi
