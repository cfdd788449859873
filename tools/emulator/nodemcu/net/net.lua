-- net: NodeMCU's net module over host sockets (host half: net.ts): TCP clients, TCP
-- servers, UDP sockets and DNS. The host calls E.net(id, event, ...); socket callbacks run
-- unprotected, as on the device (app/modules/net.c).
local rt = __rt
local sys, E = rt.sys, rt.E
local error, type, tostring, tonumber, setmetatable, getmetatable = error, type, tostring, tonumber, setmetatable, getmetatable

local net = { TCP = 1, UDP = 2 }
-- Open sockets by id: held while they have a connection, a listener or a lookup under way, as
-- net.c's self_ref holds them.
local sockets, nsockets = {}, 0
-- Each kind of socket has the methods of its net.c table (net.c:1019-1057).
local Client, Server, Udp = {}, {}, {}
Client.__index, Server.__index, Udp.__index = Client, Server, Udp
local function new(mt)
  nsockets = nsockets + 1
  local sk = setmetatable({ id = nsockets, cb = {}, ttlv = 255 }, mt)
  sockets[nsockets] = sk
  return sk
end

function net.createConnection() return new(Client) end
-- net.c:298-306: the first argument is the idle timeout in seconds (default 30); the docs'
-- createServer(net.TCP, 30) therefore sets 1 s.
function net.createServer(timeout)
  local sk = new(Server)
  sk.timeout = tonumber(timeout) or 30
  return sk
end
function net.createUDPSocket() return new(Udp) end

local CLIENT_EVENTS = { connection = true, reconnection = true, disconnection = true, receive = true, sent = true }
local UDP_EVENTS = { receive = true, sent = true, dns = true }
local function on(self, event, fn)
  local known = getmetatable(self) == Udp and UDP_EVENTS or CLIENT_EVENTS
  if type(event) ~= "string" then error("bad argument #2 to 'on' (string expected, got " .. type(event) .. ")", 2) end
  if not known[event] then error("invalid callback name", 2) end
  if fn ~= nil and type(fn) ~= "function" then error("invalid callback function", 2) end
  self.cb[event] = fn
end
Client.on, Udp.on = on, on

function Client:connect(port, host) sys("net.connect", self.id, port, host or "127.0.0.1") self.open = true end
function Client:send(data, cb)
  if type(cb) == "function" then self.cb.sent = cb end
  sys("net.send", self.id, tostring(data))
end
function Client:hold() end
function Client:unhold() end
function Client:getpeer() return sys("net.getpeer", self.id) end

-- server:listen(port, [ip], fn) and udp:listen(port, [ip]) (net.c:336-408).
local function listen(self, port, ip, fn)
  if self.listening then error("already listening", 2) end
  if type(port) ~= "number" then port, ip, fn = 0, port, ip end
  if type(ip) ~= "string" then ip, fn = "0.0.0.0", ip end
  if not ip:match("^%d+%.%d+%.%d+%.%d+$") then error("invalid IP address", 2) end
  if getmetatable(self) == Server then
    if type(fn) ~= "function" then error("need callback", 2) end
    self.accept = fn
  end
  local err = sys("net.listen", self.id, getmetatable(self) == Udp and "udp" or "tcp", port, ip)
  if err then error(err, 2) end
  self.listening, self.ip = true, ip
end
Server.listen, Udp.listen = listen, listen

local function close(self)
  if not self.listening and not self.open then error("not connected", 2) end
  sys("net.close", self.id)
  self.listening, self.open = false, false
end
Server.close, Udp.close = close, close
-- A client's close of a socket that is not open is ignored here (the emulator's earlier rule).
function Client:close() sys("net.close", self.id) self.open = false end

-- getaddr: the local port and address, nil, nil before it has one (net.c:676-708).
local function getaddr(self) return sys("net.getaddr", self.id) end
Client.getaddr, Server.getaddr, Udp.getaddr = getaddr, getaddr, getaddr

-- udp:send(port, ip, data[, fn]): an unbound socket binds to any port first; the sent callback
-- runs before send returns (net.c:505-565).
function Udp:send(port, ip, data, cb)
  if type(port) ~= "number" or port == 0 then error("need port", 2) end
  if type(ip) ~= "string" or not ip:match("^%d+%.%d+%.%d+%.%d+$") then error("invalid IP address", 2) end
  if data == nil or tostring(data) == "" then error("no data to send", 2) end
  if type(cb) == "function" then self.cb.sent = cb end
  if not self.listening then
    local err = sys("net.listen", self.id, "udp", 0, "0.0.0.0")
    if err then error(err, 2) end
    self.listening, self.ip = true, "0.0.0.0"
  end
  sys("net.sendto", self.id, port, ip, tostring(data))
  if self.cb.sent then self.cb.sent(self) end
end

-- socket:ttl([n]): the IP time-to-live, 255 by default (lwipopts.h:570); only on an open socket
-- (net.c:630-648). The value is kept, not applied to the host socket.
local function ttl(self, n)
  if not self.listening and not self.open then error("socket is not open/bound yet", 2) end
  if n ~= nil and n ~= -1 then self.ttlv = n end
  return self.ttlv
end
Client.ttl, Udp.ttl = ttl, ttl

-- DNS (net.c:592-628, 857-950): an address is answered at once, a name once the lookup ends.
local dnsServers = { [0] = "208.67.222.222" } -- lwIP's DNS_SERVER_ADDRESS (lwip/core/dns.c:92)
local function resolve(id, name)
  local ip = sys("net.resolve", id, name)
  if ip then E.net(id, "dns", ip) end
end
local function dns(self, name, fn)
  if type(name) ~= "string" and type(name) ~= "number" then error("bad argument #2 to 'dns' (string expected, got " .. type(name) .. ")", 2) end
  if type(fn) == "function" then self.cb.dns = fn end
  if not self.cb.dns then error("no callback specified", 2) end
  resolve(self.id, tostring(name))
end
Client.dns, Udp.dns = dns, dns
local lookups = {}
net.dns = rt.rotable("net.dns", {
  resolve = function(name, fn)
    if type(name) ~= "string" and type(name) ~= "number" then error("bad argument #1 to 'resolve' (string expected, got " .. type(name) .. ")", 2) end
    if type(fn) ~= "function" then error("bad argument #2 to 'resolve' (function expected, got " .. type(fn) .. ")", 2) end
    local sk = new(Client)
    lookups[sk.id] = fn
    resolve(sk.id, tostring(name))
  end,
  getdnsserver = function(i)
    i = i or 0
    if i >= 2 then error("server index out of range [0-1]", 2) end
    return dnsServers[i]
  end,
  setdnsserver = function(ip, i)
    i = i or 0
    if type(ip) ~= "string" or #ip > 16 or not ip:match("^%d+%.%d+%.%d+%.%d+$") or ip == "0.0.0.0" then error("invalid dns server ip", 2) end
    if i >= 2 then error("server index out of range [0-1]", 2) end
    dnsServers[i] = ip
  end,
})

-- net.ifinfo(0) (net.c:984-1016): the station interface; only while it has an address here.
function net.ifinfo(i)
  i = i or 0
  if i ~= 0 and i ~= 1 then return end
  if i == 1 then return nil end
  local ip, nm, gw = rt.modules.wifi.sta.getip()
  if not ip then return nil end
  local hw = rt.modules.wifi.sta.getmac():gsub("(%x%x):?", function(h) return string.char(tonumber(h, 16)) end)
  return { hwaddr = hw, ip = ip, netmask = nm, gateway = gw, dhcp = { server_ip = gw, client_ip = ip, ntp_server = "0.0.0.0" } }
end
-- net.multicastJoin/Leave (net.c:809-855): checked and accepted; the emulated network carries
-- no multicast, so nothing arrives.
local function multicast(ifip, group)
  if type(ifip) ~= "string" and type(ifip) ~= "number" then error("wrong arg type", 3) end
  ifip = tostring(ifip)
  if ifip == "" or ifip:lower() == "any" then ifip = "0.0.0.0" end
  if #ifip > 15 or #ifip < 7 then error("invalid if ip", 3) end
  if type(group) ~= "string" and type(group) ~= "number" then error("wrong arg type", 3) end
  if #tostring(group) > 15 or #tostring(group) < 7 then error("invalid multicast ip", 3) end
end
function net.multicastJoin(ifip, group) multicast(ifip, group) end
function net.multicastLeave(ifip, group) multicast(ifip, group) end

function E.net(id, event, ...)
  local sk = sockets[id]
  if not sk then return end
  if event == "dns" and lookups[id] then
    local fn = lookups[id]
    lookups[id], sockets[id] = nil, nil
    return fn(nil, ...)
  end
  local fn = sk.cb[event]
  if fn then fn(sk, ...) end
end
-- A server's new connection (the host numbers those apart from Lua's): a client socket for it, given to the listen callback, then its
-- connection event (net.c:263-289).
function E.accept(server, id)
  local srv = sockets[server]
  if not srv then return end
  local sk = setmetatable({ id = id, cb = {}, ttlv = 255, open = true }, Client)
  sockets[id] = sk
  srv.accept(sk)
  if sk.cb.connection then sk.cb.connection(sk) end
end

rt.modules.net = net
