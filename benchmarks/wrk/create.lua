-- wrk script of the creation benchmark: every request comes without a cookie, so the servlet creates a session and
-- sets its three attributes (the "user" attribute signs it in where that is the user attribute). Counts the
-- responses that set a session cookie as new sessions: it should equal the requests.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "report.lua")

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
