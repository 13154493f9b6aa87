-- wrk script for bench/api.sh. The request comes from the environment:
--   BENCH_MODE  need | list | post | evaluation | report
--   BENCH_TOKEN the bearer token, BENCH_MAX_ID the largest need or tender id
-- It prints one line "RESULT requests seconds non2xx socket_errors p50_us p99_us max_us".
local mode = os.getenv("BENCH_MODE") or "need"
local max_id = tonumber(os.getenv("BENCH_MAX_ID") or "1")
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("BENCH_TOKEN") or "")
wrk.headers["Accept"] = "application/json"
-- What a browser sends: the kept answers (evaluation, report) then come compressed.
wrk.headers["Accept-Encoding"] = "gzip, deflate, br"

-- wrk.format uses the headers it is given instead of wrk.headers, not with them.
post_headers = { ["Authorization"] = wrk.headers["Authorization"], ["Accept"] = "application/json",
                 ["Accept-Encoding"] = wrk.headers["Accept-Encoding"], ["Content-Type"] = "application/json" }

local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
end

function init(args)
  math.randomseed(seed * 7919 + os.time())
end

local body = '{"cpv":"44810000-1","title":"Peinture (banc)","quantity":"120","unit":"l",' ..
             '"reference_unit_price":"7.80","department":"02","period_start":"2027-01-01",' ..
             '"period_end":"2027-12-31","status":"submitted"}'

function request()
  if mode == "need" then
    return wrk.format("GET", "/v1/needs/" .. math.random(1, max_id))
  elseif mode == "list" then
    return wrk.format("GET", "/v1/needs?limit=50")
  elseif mode == "post" then
    return wrk.format("POST", "/v1/needs", post_headers, body)
  elseif mode == "evaluation" then
    return wrk.format("GET", "/v1/tenders/" .. math.random(1, max_id) .. "/evaluation")
  else
    return wrk.format("GET", "/v1/reports/savings?group_by=member")
  end
end

function done(summary, latency, requests)
  io.write(string.format("RESULT %d %.3f %d %d %.0f %.0f %.0f\n", summary.requests, summary.duration / 1e6,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
