-- wrk script of the HTTP benchmark: every request carries the cookie of one of the sessions in cookies.txt
-- (made over HTTP by MakeSessions), chosen at random; a response that sets a session cookie means the server did
-- not find the session, and is counted as a new session (it must stay 0), unless it names a session of the file:
-- Jetty sets the cookie again when the session id's worker name is not the answering node's (a session that moved
-- between nodes), with the same id.
local cookies = {}
local known = {}
for line in io.lines(os.getenv("COOKIES") or "cookies.txt") do
  cookies[#cookies + 1] = line
  known[(line:gsub("%..*$", ""))] = true
end
if #cookies == 0 then
  error("no cookies to replay")
end

dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "report.lua")

function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)
  new_sessions = 0
end

function request()
  local cookie = cookies[math.random(#cookies)]
  return wrk.format("GET", "/s", { ["Cookie"] = "JSESSIONID=" .. cookie })
end

function response(status, headers, body)
  local set = headers["Set-Cookie"]
  if set ~= nil then
    local id = set:match("JSESSIONID=([^;.]*)")
    if id == nil or not known[id] then
      new_sessions = new_sessions + 1
    end
  end
end
