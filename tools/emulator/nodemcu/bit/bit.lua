-- bit: NodeMCU's bit module, 32-bit operations in plain Lua 5.1; results are signed 32-bit
-- numbers as on the device. It needs nothing from the host.
local rt = __rt
local select = select

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

rt.modules.bit = bit
