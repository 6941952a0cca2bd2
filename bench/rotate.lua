-- wrk script: cycle through the request paths listed (one per line) in the file named by
-- the WRK_PATHS environment variable.
local paths = {}
local n = 0

init = function(args)
  for line in io.lines(os.getenv("WRK_PATHS")) do
    n = n + 1
    paths[n] = line
  end
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end

request = function()
  return wrk.format("GET", paths[math.random(n)])
end
