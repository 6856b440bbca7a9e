-- Shared by the wrk scripts (loaded with dofile): keeps wrk's threads and, once the run is done, prints the one
-- RESULT line the benchmark scripts parse, with the new sessions every thread counted in its global new_sessions.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function done(summary, latency, requests)
  local created = 0
  for _, thread in ipairs(threads) do
    created = created + thread:get("new_sessions")
  end
  io.write(string.format("RESULT requests=%d seconds=%.3f p50_us=%d p99_us=%d p999_us=%d errors=%d new_sessions=%d\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(99),
    latency:percentile(99.9), summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout, created))
end
