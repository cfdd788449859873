-- mqtt: NodeMCU's mqtt module (host half: mqtt.ts and mqtt-session.ts, NodeMCU's client
-- re-written over a real TCP connection). The host calls E.mqtt(id, event, ...) for each callback.
local rt = __rt
local sys, E = rt.sys, rt.E
local error, type, tostring, setmetatable = error, type, tostring, setmetatable

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
  else c.clientid = string.format("NodeMCU_%x", sys("node.chipid")) end
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
-- luaL_check* messages for the arguments the C functions check.
local function check(v, n, fname, want)
  if want == "string" and (type(v) == "string" or type(v) == "number") then return tostring(v) end
  if want == "number" and (type(v) == "number" or (type(v) == "string" and tonumber(v))) then return math.floor(tonumber(v)) end
  local got = v == nil and "no value" or type(v)
  error("bad argument #" .. n .. " to '" .. fname .. "' (" .. want .. " expected, got " .. got .. ")", 3)
end
-- The host (mqtt.ts) knows whether the TCP link is up (mqtt.c:98: not the MQTT session).
local function need(self) if not sys("mqtt.connected", self.id) then error("not connected", 3) end end
function Client:connect(host, ...)
  local a, i = { ... }, 1
  local port, secure = 1883, false
  if type(a[i]) == "number" then port = a[i] i = i + 1 end
  if type(a[i]) == "boolean" then secure = a[i] i = i + 1 elseif type(a[i]) == "number" then secure = a[i] ~= 0 i = i + 1 end
  -- mqtt_socket_connect's refusals, in its order (mqtt.c:1050, 1082-1086): a build without
  -- CLIENT_SSL_ENABLE refuses a secure connect.
  if sys("mqtt.connected", self.id) then error("already connected", 2) end
  if secure and not sys("runtime.build") then error("ssl not available", 2) end
  local w = self.will or {}
  sys("mqtt.connect", self.id, host, port, secure, self.clientid, self.keepalive, self.user or "", self.pass or "", self.clean and 1 or 0,
    w[1] or "", w[2] or "", w[3] or 0, w[4] and 1 or 0, self.maxlen)
  -- The connfail callback is read from the slot after the connect callback's, whatever that holds (mqtt.c:1089-1103).
  if type(a[i]) == "function" then self.cb.connect = a[i] end
  if type(a[i + 1]) == "function" then self.cb.connfail = a[i + 1] end
end
function Client:close() sys("mqtt.close", self.id) end
function Client:publish(topic, payload, qos, retain, cb)
  need(self)
  topic = check(topic, 1, "publish", "string")
  payload = check(payload, 2, "publish", "string")
  qos, retain = check(qos, 3, "publish", "number"), check(retain, 4, "publish", "number")
  if type(cb) == "function" then self.cb.puback = cb end
  return sys("mqtt.publish", self.id, topic, payload, qos, retain) == true
end
function Client:subscribe(topic, qos, cb)
  need(self)
  local list = {}
  if type(topic) == "table" then
    cb = qos
    for t, q in pairs(topic) do list[#list + 1] = check(t, 1, "subscribe", "string") list[#list + 1] = check(q, 1, "subscribe", "number") end
    if #list == 0 then error("no topics found", 2) end
  else
    list = { check(topic, 1, "subscribe", "string"), check(qos, 2, "subscribe", "number") }
  end
  if type(cb) == "function" then self.cb.suback = cb end
  return sys("mqtt.subscribe", self.id, unpack(list)) == true
end
function Client:unsubscribe(topic, cb)
  need(self)
  local list = {}
  if type(topic) == "table" then
    for t in pairs(topic) do list[#list + 1] = check(t, 1, "unsubscribe", "string") end
    if #list == 0 then error("no topics found", 2) end
  else
    list = { check(topic, 1, "unsubscribe", "string") }
  end
  if type(cb) == "function" then self.cb.unsuback = cb end
  return sys("mqtt.unsubscribe", self.id, unpack(list)) == true
end
-- The host runs these inside its own jobs, as the C code's lua_call: unprotected, so an error
-- in one panics the board.
function E.mqtt(id, event, ...)
  local c = clients[id]
  local fn = c and c.cb[event]
  if fn then fn(c, ...) end
end

rt.modules.mqtt = mqtt
