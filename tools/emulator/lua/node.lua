-- node: NodeMCU's node module (host half: ../modules/node.ts).
local rt = __rt
local sys, E, rotable = rt.sys, rt.E, rt.rotable
local error, type = error, type
local strdump = string.dump

local node = {}
function node.heap() return sys("node.heap") + 0 end
function node.chipid() return sys("node.chipid") + 0 end
function node.flashid() return 1458400 end
function node.flashsize() return 4194304 end
-- node.info(group) tables as NodeMCU 3.0 fills them (flash_size in KB); no group is deprecated.
local INFO = {
  hw = function() return { chip_id = node.chipid(), flash_id = 1458400, flash_size = 4096, flash_mode = 0, flash_speed = 40000000 } end,
  sw_version = function()
    return { git_branch = "release", git_commit_id = "0000000000000000000000000000000000000000", git_release = "3.0.0-release_emulated",
      git_commit_dts = "202402250000", node_version_major = 3, node_version_minor = 0, node_version_revision = 0 }
  end,
  -- app/modules/node.c:288-297
  build_config = function()
    local ssl, number_type = sys("runtime.build")
    return { ssl = ssl, lfs_size = 0, modules = table.concat({ sys("runtime.modules") }, ","), number_type = number_type }
  end,
  lfs = function() return { lfs_size = 0 } end,
}
function node.info(group)
  if group == nil then
    print("Warning, deprecated API! node.info() without parameter. It will be removed in the next version. See documentation for details.")
    return 3, 0, 0, node.chipid(), 1458400, 4096, 0, 40000000
  end
  local f = INFO[group]
  if not f then error("invalid group", 2) end
  return f()
end
function node.restart() sys("node.restart") end
function node.bootreason() return sys("node.bootreason") end
-- With no arguments an integer build answers 0, the only integer in [0, 1) (app/modules/node.c:691-693).
local integral = select(2, sys("runtime.build")) == "integer"
function node.random(m, n)
  if m == nil then return integral and 0 or math.random() end
  return math.random(m, n)
end
node.setonerror = rt.setonerror
function node.compile(name)
  if type(name) ~= "string" or not name:match("%.lua$") then error("not a .lua file", 2) end
  local src = file.getcontents(name)
  if not src then error("cannot open " .. name, 2) end
  local f, e = loadstring(src, "@" .. name)
  if not f then error(e, 2) end
  file.putcontents(name:sub(1, -5) .. ".lc", strdump(f))
end
function node.input(line) sys("node.input", line) end
function node.stripdebug(level) return level or 1 end

-- node.task.post: the host queues the task behind what is already queued, then calls E.task.
local tasks = { LOW_PRIORITY = 0, MEDIUM_PRIORITY = 1, HIGH_PRIORITY = 2 }
local posted, nposted = {}, 0
function tasks.post(prio, fn)
  if fn == nil then prio, fn = 1, prio end
  if type(fn) ~= "function" then error("bad argument #2 to 'post' (function expected)", 2) end
  nposted = nposted + 1
  posted[nposted] = fn
  sys("node.post", nposted, prio)
end
function E.task(id, prio)
  local fn = posted[id]
  posted[id] = nil
  if fn then E.protected(fn, prio) end
end
node.task = rotable("node.task", tasks)
node.egc = rotable("node.egc", { NOT_ACTIVE = 0, ON_ALLOC_FAILURE = 1, ON_MEM_LIMIT = 2, ALWAYS = 3, setmode = function() end,
  meminfo = function() local k = collectgarbage("count") * 1024 return k, k end })

rt.modules.node = node
