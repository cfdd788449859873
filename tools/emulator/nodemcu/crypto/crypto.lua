-- crypto: NodeMCU's crypto module (app/modules/crypto.c), the digests and HMACs it has; the host
-- computes them (crypto.ts). Not in NodeMCU's default build (app/include/user_modules.h:24):
-- a board needs it named, e.g. --modules recommended,crypto.
local rt = __rt
local sys = rt.sys
local error, type, tostring, setmetatable = error, type, tostring, setmetatable

-- luaL_checklstring: a string, or a number as its text (app/modules/crypto.c:36, 84, 250, 252).
local function checkstring(v, n, fname)
  local t = type(v)
  if t == "number" then return tostring(v) end
  if t ~= "string" then
    error("bad argument #" .. n .. " to '" .. fname .. "' (string expected, got " .. (v == nil and "no value" or t) .. ")", 3)
  end
  return v
end

local function answer(out, err)
  if err then error(err, 3) end
  return out
end

local crypto = {}

-- crypto.sha1(str): the raw 20-byte digest (app/modules/crypto.c:30-45).
function crypto.sha1(s)
  return answer(sys("crypto.hash", "SHA1", checkstring(s, 1, "sha1")))
end

-- crypto.hash(mech, str): the raw digest; mech is MD5, SHA1, SHA256, SHA384 or SHA512 in any case
-- (app/crypto/digests.c:57-79, SHA2_ENABLE in app/include/user_config.h:130), else
-- "unknown hash mech" (app/modules/crypto.c:71, 78-91).
function crypto.hash(mech, s)
  mech = checkstring(mech, 1, "hash")
  return answer(sys("crypto.hash", mech, checkstring(s, 2, "hash")))
end

-- crypto.hmac(mech, str, key): the raw HMAC (app/modules/crypto.c:244-260; keys longer than the
-- block are hashed first, app/crypto/digests.c:159-167, as RFC 2104 says).
function crypto.hmac(mech, s, key)
  mech = checkstring(mech, 1, "hmac")
  s = checkstring(s, 2, "hmac")
  return answer(sys("crypto.hmac", mech, s, checkstring(key, 3, "hmac")))
end

-- crypto.fhash(mech, filename): the raw digest of a file's bytes (app/modules/crypto.c:210-238);
-- "file does not exist" when it cannot be opened.
function crypto.fhash(mech, name)
  mech = checkstring(mech, 1, "fhash")
  return answer(sys("crypto.fhash", mech, checkstring(name, 2, "fhash")))
end

-- The rest of the C module (mask, new_hash, new_hmac, encrypt, decrypt) is not re-created:
-- a call stops with a message saying so (docs/emulator.md).
setmetatable(crypto, { __index = function(_, k)
  error("the emulator does not model NodeMCU's crypto." .. tostring(k), 2)
end })

rt.modules.crypto = crypto
