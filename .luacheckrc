-- luacheck (Debian/Ubuntu package lua-check) over the hand-written Lua: the emulator's NodeMCU
-- modules (tools/emulator/nodemcu, tools/emulator/runtime) and the benchmark's reference firmware (bench/reference).
-- npm test runs it: test/emulator/lua-lint.test.ts fails on any warning.
std = "lua51"
max_line_length = 160

-- The modules NodeMCU firmware finds as globals.
local nodemcu = { "bit", "encoder", "file", "gpio", "mqtt", "net", "node", "rtcmem", "sjson", "tmr", "uart", "wifi" }

-- The emulator's runtime: each file is a chunk loaded in turn (tools/emulator/runtime/runtime.ts), sharing
-- the prelude's internals through the global __rt: the fields below, where a module adds its
-- __E entry points and its table to modules. The emulated functions keep NodeMCU's
-- parameter names even where the emulation ignores them.
local writable = { read_only = false, other_fields = true }
-- cpufreq: node.lua sets it, tmr.lua reads it (tmr.ccount follows node.setcpufreq).
local rt = { fields = { sys = {}, debug = { other_fields = true }, E = writable, rotable = {}, traceback = {}, setonerror = {}, checkint = {}, tointeger = {}, argcheck = {},
  setoutput = {}, cpufreq = { read_only = false }, modules = writable } }
files["tools/emulator"] = { read_globals = { __rt = rt }, unused_args = false }
-- The prelude takes the host channel __sys, sets up the entry points __E and replaces print.
files["tools/emulator/runtime/runtime.lua"] = { globals = { "__sys", "__E", "__rt", "print" } }
-- node.compile reads and writes through the file module, as the firmware sees it.
files["tools/emulator/nodemcu/node/node.lua"] = { read_globals = { "file" } }
-- The globals the device shows: no io, os or debug, read-only libraries, loadfile and dofile
-- from flash; __rt goes.
files["tools/emulator/runtime/globals.lua"] = {
  globals = { "__rt", "io", "os", "debug", "math", "string", "table", "coroutine", "loadfile", "dofile" },
}

files["bench/reference"] = { read_globals = nodemcu }
-- The reference sensor reads a DS18B20 through ow, a module of its board's build.
local sensor = { "ow" }
for _, m in ipairs(nodemcu) do sensor[#sensor + 1] = m end
files["bench/reference/sensor.lua"] = { read_globals = sensor }
-- abort() is a global on purpose: typed at the REPL, it stops the app from starting.
files["bench/reference/init.lua"] = { globals = { "abort" } }
