-- sjson: NodeMCU's sjson module. encode walks Lua tables by NodeMCU's rules; decode is parsed on
-- the host (sjson.ts) and comes back as a Lua table constructor.
local rt = __rt
local sys = rt.sys
local pcall, error, type, tostring, tonumber, concat, setmetatable = pcall, error, type, tostring, tonumber, table.concat, setmetatable

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
-- sjson.encoder(table, opts): the text is read in pieces, read(n) giving up to n bytes (default
-- 1024, at least 1) and nil at the end (sjson.c:638-690, 920-981). The C encoder walks the table
-- as it is read; this one encodes it at the first read, so functions in it run then.
local Encoder = {}
Encoder.__index = Encoder
function Encoder:read(n)
  if type(n) ~= "number" then n = 1024 elseif n < 1 then n = 1 end
  if not self.text then
    local ok, r = pcall(encode, self.value, self.depth)
    if not ok then error(r, 2) end
    self.text, self.value = r, nil
  end
  local piece = self.text:sub(self.at, self.at + n - 1)
  self.at = self.at + #piece
  if piece == "" then return nil end
  return piece
end
function sjson.encoder(v, opts)
  if type(v) ~= "table" then error("bad argument #1 to 'encoder' (table expected, got " .. (v == nil and "no value" or type(v)) .. ")", 2) end
  local depth = type(opts) == "table" and tonumber(opts.depth) or 0
  if depth == 0 then depth = 20 elseif depth < 4 then depth = 4 elseif depth > 1000 then depth = 1000 end
  return setmetatable({ value = v, depth = depth, at = 1 }, Encoder)
end
function sjson.decode(text, opts)
  local src, err = sys("sjson.decode", tostring(text))
  if err then error(err, 2) end
  local null = NULL
  if opts and opts.null ~= nil then null = opts.null end
  return setfenv(assert(loadstring(src)), { N = null })()
end

-- sjson.decoder(opts): text written in pieces; the write that completes the value returns it,
-- result() gives it afterwards ("decode not complete" before); after a parse error every write
-- fails (sjson.c:403-506).
local Decoder = {}
Decoder.__index = Decoder
function Decoder:write(text)
  if type(text) ~= "string" and type(text) ~= "number" then error("bad argument #2 to 'write' (string expected, got " .. type(text) .. ")", 2) end
  if self.failed then error("JSON parse error: previous call", 2) end
  if self.done then return self.value end
  self.text = self.text .. text
  local src, err = sys("sjson.decode", self.text)
  if err and err:find("^Incomplete") then return end
  if err then self.failed = true error(err, 2) end
  self.done = true
  self.value = setfenv(assert(loadstring(src)), { N = self.null })()
  return self.value
end
function Decoder:result()
  if not self.done then error("decode not complete", 2) end
  return self.value
end
function sjson.decoder(opts)
  local null = NULL
  if type(opts) == "table" and opts.null ~= nil then null = opts.null end
  return setmetatable({ text = "", null = null }, Decoder)
end

rt.modules.sjson = sjson
