-- wrk script: each request picks a random path from the file named by URLS (one path per line),
-- and counts every answer that is not a 200.
local paths = {}
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(os.getenv("URLS") or "bench/urls.txt") do
    if #line > 0 then table.insert(paths, line) end
  end
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
  not_ok = 0
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end

function response(status, headers, body)
  if status ~= 200 then not_ok = not_ok + 1 end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + thread:get("not_ok") end
  io.write(string.format(
    "RESULT requests=%d duration_s=%.1f req_per_s=%.1f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f non_200=%d socket_errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000, bad,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout + summary.errors.status))
end
