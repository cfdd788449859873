-- sjson: NodeMCU's sjson module. encode walks Lua tables by NodeMCU's rules; decode is parsed on
-- the host (../modules/sjson.ts) and comes back as a Lua table constructor.
local rt = __rt
local sys = rt.sys
local pcall, error, type, tostring, concat = pcall, error, type, tostring, table.concat

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
  local src, err = sys("sjson.decode", tostring(text))
  if err then error(err, 2) end
  local null = NULL
  if opts and opts.null ~= nil then null = opts.null end
  return setfenv(assert(loadstring(src)), { N = null })()
end

rt.modules.sjson = sjson
