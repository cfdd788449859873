-- Hand-written reference sensor node in plain NodeMCU Lua, with the sensor example's duties (bench/README.md).
local cfg = require("config")
package.loaded.config = nil
local id = cfg.id or string.format("esp-%06x", node.chipid())
local base = cfg.prefix .. "/" .. id .. "/"
local tin, tout, tstatus = base .. "in", base .. "out", base .. "status"
local host, port, tls, version = cfg.host, cfg.port, cfg.tls, cfg.version
local up, busy, attempt, overflows, dropped, failed = false, false, 0, 0, 0, 0
local retry, convert = tmr.create(), tmr.create()
local m = mqtt.Client(id, cfg.keepalive, cfg.user or "", cfg.password or "", 0, cfg.maxlen)

local function status()
  m:publish(tstatus, string.format('{"state":"online","version":"%s","ip":"%s","heap":%d,"overflows":%d,"dropped":%d,"broker":"%s:%d","failedReads":%d}',
    version, wifi.sta.getip() or "", node.heap(), overflows, dropped, host, port, failed), 1, 1)
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
  if node.heap() < 8192 then dropped = dropped + 1 return end
  local on = data == "relay on" and 1 or data == "relay off" and 0
  if not on then return end
  gpio.write(1, on) -- the relay on D1; gpio.HIGH is 1
  if not c:publish(tout, '{"relay":' .. on .. "}", 0, 0) then dropped = dropped + 1 end
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

-- A DS18B20 on D3: convert T (0x44), 750 ms, read the scratchpad (0xbe); byte 9 is the CRC of 1-8.
gpio.mode(1, gpio.OUTPUT)
gpio.write(1, gpio.LOW)
ow.setup(3)
tmr.create():alarm(2000, tmr.ALARM_AUTO, function()
  if ow.reset(3) == 0 then failed = failed + 1 return end
  ow.skip(3)
  ow.write(3, 0x44, 1)
  convert:alarm(750, tmr.ALARM_SINGLE, function()
    ow.reset(3)
    ow.skip(3)
    ow.write(3, 0xbe, 1)
    local pad = ow.read_bytes(3, 9)
    if ow.crc8(pad:sub(1, 8)) ~= pad:byte(9) then failed = failed + 1 return end
    local t = pad:byte(1) + pad:byte(2) * 256
    if t >= 0x8000 then t = t - 0x10000 end
    -- publish raises outside a session: a reading taken then is not sent.
    pcall(m.publish, m, tout, '{"t":' .. t / 16 .. "}", 0, 0)
  end)
end)

print("sensor: " .. id .. " joining " .. cfg.ssid)
wifi.setmode(wifi.STATION)
wifi.sta.config({ ssid = cfg.ssid, pwd = cfg.pwd, auto = true, save = false })
