-- net: NodeMCU's net module, TCP client sockets over host TCP (host half: ../modules/net.ts).
-- The host calls E.net(id, event, ...); callbacks run unprotected, as on the device.
local rt = __rt
local sys, E = rt.sys, rt.E
local error, tostring, setmetatable = error, tostring, setmetatable

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
function Socket:connect(port, host) sys("net.connect", self.id, port, host) end
function Socket:send(data, cb)
  if cb then self.cb.sent = cb end
  sys("net.send", self.id, tostring(data))
end
function Socket:close() sys("net.close", self.id) end
function Socket:getpeer() return sys("net.getpeer", self.id) end
function E.net(id, event, ...)
  local sk = sockets[id]
  if not sk then return end
  local fn = sk.cb[event]
  if fn then fn(sk, ...) end
end

rt.modules.net = net
