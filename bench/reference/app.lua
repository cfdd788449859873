-- Hand-written reference echo app in plain NodeMCU Lua, with the firmware's duties (bench/README.md).
local cfg = require("config")
package.loaded.config = nil
local id = cfg.id or string.format("esp-%06x", node.chipid())
local base = cfg.prefix .. "/" .. id .. "/"
local tin, tout, tstatus = base .. "in", base .. "out", base .. "status"
local host, port, tls, version, maxlen = cfg.host, cfg.port, cfg.tls, cfg.version, cfg.maxlen
local up, busy, attempt, overflows, dropped = false, false, 0, 0, 0
local retry = tmr.create()
local m = mqtt.Client(id, cfg.keepalive, cfg.user or "", cfg.password or "", 0, maxlen)

local function status()
  m:publish(tstatus, string.format('{"state":"online","version":"%s","ip":"%s","heap":%d,"overflows":%d,"dropped":%d,"broker":"%s:%d"}',
    version, wifi.sta.getip() or "", node.heap(), overflows, dropped, host, port), 1, 1)
end

local connect
local function later()
  if not up then return end
  local d = 1000 * 2 ^ math.min(attempt, 5)
  if d > 30000 then d = 30000 end
  d = d - math.floor(d / 2 * node.random())
  attempt = attempt + 1
  print("mqtt: retrying in " .. d .. " ms")
  retry:alarm(d, tmr.ALARM_SINGLE, connect)
end

connect = function()
  if busy or not up then return end
  busy = true
  m:connect(host, port, tls, function(c)
    attempt = 0
    rtcmem.write32(64, 0)
    print("mqtt: connected")
    -- QoS 0 in and out: a flood must not queue a PUBACK per message (docs/reliability.md, "Floods").
    c:subscribe(tin, 0)
    status()
  end, function(_, r)
    busy = false
    print("mqtt: connect failed, reason " .. r)
    later()
  end)
end

m:lwt(tstatus, '{"state":"offline"}', 1, 1)
m:on("message", function(c, _, data)
  if node.heap() < 8192 or not c:publish(tout, data or "", 0, 0) then dropped = dropped + 1 end
end)
m:on("overflow", function(_, t)
  overflows = overflows + 1
  print("mqtt: message on " .. t .. " too long, dropped")
  status()
end)
m:on("offline", function() busy = false print("mqtt: offline") later() end)

local ev = wifi.eventmon
ev.register(ev.STA_CONNECTED, function(T) print("wifi: connected to " .. T.SSID .. " on channel " .. T.channel) end)
ev.register(ev.STA_DISCONNECTED, function(T)
  print("wifi: disconnected from " .. T.SSID .. ", reason " .. T.reason)
  up = false
  retry:stop()
end)
ev.register(ev.STA_GOT_IP, function(T) print("wifi: got ip " .. T.IP) up, attempt = true, 0 connect() end)

print("app: " .. id .. " joining " .. cfg.ssid)
wifi.setmode(wifi.STATION)
wifi.sta.config({ ssid = cfg.ssid, pwd = cfg.pwd, auto = true, save = false })
