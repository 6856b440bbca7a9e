-- wrk script of the creation benchmark: every request comes without a cookie, so the servlet creates a session and
-- sets its three attributes (the "user" attribute signs it in where that is the principal attribute). Counts the
-- responses that set a session cookie as new sessions: it should equal the requests.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  new_sessions = 0
end

function request()
  return wrk.format("GET", "/s")
end

function response(status, headers, body)
  if headers["Set-Cookie"] ~= nil then
    new_sessions = new_sessions + 1
  end
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
