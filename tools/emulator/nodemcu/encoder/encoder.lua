-- encoder: a C module on the device; the host does the work (encoder.ts).
local rt = __rt
local sys = rt.sys
local error, tostring = error, tostring

local encoder = {}
for _, f in ipairs({ "toBase64", "fromBase64", "toHex", "fromHex" }) do
  local call = "encoder." .. f
  encoder[f] = function(s)
    local out, err = sys(call, tostring(s))
    if err then error(err, 2) end
    return out
  end
end

rt.modules.encoder = encoder
