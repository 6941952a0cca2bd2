-- wrk script of bench/checkout.py: every request is one buyer's checkout of a cart filled
-- before the run. WRK_CARTS names a file of "token key" lines (a buyer's access token and the
-- Idempotency-Key of that cart's checkout); thread n of N takes lines n, n+N, n+2N, ... and
-- sends each once, so no cart is checked out twice. The address is the body of every request.
-- The order numbers received are written one a line to "$WRK_GIVEN.<thread>"; done() prints
-- one JSON line: status counts, orders received and latency percentiles (ms).
local threads = {}
local counter = 0

setup = function(thread)
  thread:set("id", counter)
  table.insert(threads, thread)
  counter = counter + 1
end

local carts = {}
local next_cart = 1
local body = '{"delivery_address":{"name":"Lena Becker","phone":"+4915112345678",'
  .. '"line1":"Hauptstr. 5","city":"Berlin","postal_code":"10115","country":"DE"}}'
statuses = {}
orders = 0
exhausted = 0

local given = nil

init = function(args)
  given = assert(io.open(os.getenv("WRK_GIVEN") .. "." .. id, "w"))
  given:setvbuf("line")
  local n = 0
  local nthreads = tonumber(os.getenv("WRK_THREADS"))
  for line in io.lines(os.getenv("WRK_CARTS")) do
    if n % nthreads == id then
      local token, key = line:match("^(%S+) (%S+)$")
      table.insert(carts, { token = token, key = key })
    end
    n = n + 1
  end
end

request = function()
  local cart = carts[next_cart]
  if cart == nil then
    -- More requests than carts: the cart is empty now (a 409 counted as "exhausted").
    exhausted = exhausted + 1
    cart = carts[#carts]
  end
  next_cart = next_cart + 1
  return wrk.format("POST", "/api/orders/checkout", {
    ["Authorization"] = "Bearer " .. cart.token,
    ["Idempotency-Key"] = cart.key,
    ["Content-Type"] = "application/json",
  }, body)
end

response = function(status, headers, response_body)
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
  if status == 201 then
    for number in response_body:gmatch('"number":"(HT%-[%d%-]+)"') do
      orders = orders + 1
      given:write(number, "\n")
    end
  end
end

done = function(summary, latency, requests)
  local counts = {}
  local total_orders, total_exhausted = 0, 0
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      counts[status] = (counts[status] or 0) + count
    end
    total_orders = total_orders + thread:get("orders")
    total_exhausted = total_exhausted + thread:get("exhausted")
  end
  local parts = {}
  for status, count in pairs(counts) do
    table.insert(parts, string.format('"%s":%d', status, count))
  end
  io.write(string.format(
    'WRK_RESULT {"statuses":{%s},"orders":%d,"exhausted":%d,"requests":%d,'
      .. '"duration_us":%d,"socket_errors":%d,"p50_ms":%.2f,"p90_ms":%.2f,"p99_ms":%.2f,'
      .. '"max_ms":%.2f,"mean_ms":%.2f}\n',
    table.concat(parts, ","), total_orders, total_exhausted, summary.requests,
    summary.duration,
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, latency.mean / 1000))
end
