-- wrk script of tests/faults/soak_test.py: mixed reads and writes. Per thread it
-- counts the needs the server acknowledged (201) and sums their quantities, read
-- back from the response bodies; done() prints them with the status counts:
--   SOAK requests acknowledged quantity_sum status5xx other_non2xx socket_errors p99_us max_us
-- and writes each acknowledged need ("t1 n42=1234;") to SOAK_ACK_FILE.
-- Environment: SOAK_BUYER, SOAK_OFFICER, SOAK_FINANCE (tokens), SOAK_MAX_NEED (largest need id to read),
-- SOAK_NONCE (optional: a prefix of the Idempotency-Keys, for several runs on one database).
local buyer = "Bearer " .. os.getenv("SOAK_BUYER")
local officer = "Bearer " .. os.getenv("SOAK_OFFICER")
local finance = "Bearer " .. os.getenv("SOAK_FINANCE")
local max_need = tonumber(os.getenv("SOAK_MAX_NEED") or "1")
local nonce = os.getenv("SOAK_NONCE") or ""  -- sets apart the Idempotency-Keys of runs on one database

local threads = {}
local count = 0
function setup(thread)
  count = count + 1
  thread:set("id", count)
  table.insert(threads, thread)
end

acknowledged, quantity_sum, status5xx, other = 0, 0, 0, 0
acked = ""  -- "t<thread>n<seq>=<quantity>;" for each acknowledged need
local sent = 0
function init(args)
  math.randomseed(id * 104729)
end

function request()
  sent = sent + 1
  local r = math.random(100)
  if r <= 15 then
    local body = string.format('{"cpv":"44810000-1","title":"Soak t%d n%d","quantity":"%d","unit":"l",' ..
      '"reference_unit_price":"7.80","department":"02","period_start":"2027-01-01",' ..
      '"period_end":"2027-12-31","status":"submitted"}', id, sent, 1 + (sent * 7919 + id) % 5000)
    return wrk.format("POST", "/v1/needs", { ["Authorization"] = buyer, ["Content-Type"] = "application/json",
      ["Idempotency-Key"] = string.format("soak-%s%d-%d", nonce, id, sent) }, body)
  elseif r <= 70 then
    return wrk.format("GET", "/v1/needs/" .. math.random(1, max_need), { ["Authorization"] = officer })
  elseif r <= 85 then
    return wrk.format("GET", "/v1/needs?limit=20", { ["Authorization"] = buyer })
  elseif r <= 95 then
    return wrk.format("GET", "/v1/tenders/1/evaluation", { ["Authorization"] = officer, ["Accept-Encoding"] = "gzip" })
  else
    return wrk.format("GET", "/v1/reports/savings?group_by=member",
      { ["Authorization"] = finance, ["Accept-Encoding"] = "gzip" })
  end
end

function response(status, headers, body)
  if status == 201 then
    local quantity = body:match('"quantity":"(%d+)"')
    local title = body:match('"title":"Soak (t%d+ n%d+)"')
    if title and quantity then
      acknowledged = acknowledged + 1
      quantity_sum = quantity_sum + tonumber(quantity)
      acked = acked .. title .. "=" .. quantity .. ";"
    end
  elseif status >= 500 then
    status5xx = status5xx + 1
  elseif status >= 300 then
    other = other + 1
  end
end

function done(summary, latency, requests)
  local a, q, s5, o = 0, 0, 0, 0
  local file = io.open(os.getenv("SOAK_ACK_FILE"), "w")
  for _, thread in ipairs(threads) do
    file:write(thread:get("acked"))
    a = a + thread:get("acknowledged")
    q = q + thread:get("quantity_sum")
    s5 = s5 + thread:get("status5xx")
    o = o + thread:get("other")
  end
  file:close()
  local errors = summary.errors
  io.write(string.format("SOAK %d %d %d %d %d %d %.0f %.0f\n", summary.requests, a, q, s5, o,
    errors.connect + errors.read + errors.write + errors.timeout, latency:percentile(99), latency.max))
end
