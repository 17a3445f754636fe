-- Entra's Create User (Microsoft's documented body), a new userName per request, for wrk:
--   wrk -t2 -c32 -d20s -s src/bench/wrk/entra-create.lua -H "Authorization: Bearer $TOKEN" "$BASE/Users"
-- $BASE is Roster's tenant URL (http://127.0.0.1:8080/scim/v2) or any SCIM 2.0 server's, e.g. Ory Polis's
-- http://127.0.0.1:5225/api/scim/v2.0/<directory id>. Each thread numbers its own users, so no two requests collide.
-- Globals, not locals: setup() runs in wrk's main state and sets each thread's own thread_id.
counter = 0
thread_id = 0
next_thread = 0
run = os.time()

function setup(thread)
  thread:set("thread_id", next_thread)
  next_thread = next_thread + 1
end

function request()
  counter = counter + 1
  local user = string.format("wrk%d.t%d.u%d@scim.bench.test", run, thread_id, counter)
  local body = string.format([[{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],"externalId":"ext-%d-%d-%d","userName":"%s","active":true,"emails":[{"primary":true,"type":"work","value":"%s"}],"meta":{"resourceType":"User"},"name":{"formatted":"Given Family","familyName":"Family","givenName":"Given"},"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Dept","employeeNumber":"%d"},"roles":[]}]],
    run, thread_id, counter, user, user, counter)
  -- wrk.format uses the headers it is given instead of wrk.headers (the -H options): copy them in, or the request goes
  -- without its Authorization header and every answer is a 401.
  local headers = {}
  for name, value in pairs(wrk.headers) do
    headers[name] = value
  end
  headers["Content-Type"] = "application/scim+json"
  return wrk.format("POST", nil, headers, body)
end
