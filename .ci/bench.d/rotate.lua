-- wrk script: rotates through prepared requests so no two consecutive requests are the same.
--   WRK_OUT=out.json wrk -s rotate.lua URL -- REQUESTS_FILE post|get|inm
-- REQUESTS_FILE has one request a line: a JSON body (post), a path with its query string
-- (get), or an ETag, a tab and such a path (inm: If-None-Match). Each wrk thread walks the list from its own offset; every response is checked for a
-- 200/304 status and for GraphQL errors, and done() writes the summary as JSON to $WRK_OUT.
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  local file, mode = args[1], args[2]
  requests = {}
  for line in io.lines(file) do
    if #line > 0 then
      if mode == "get" then
        table.insert(requests, wrk.format("GET", line, { ["Accept"] = "application/json" }))
      elseif mode == "inm" then
        -- "ETAG<tab>path": a revalidation, answered 304 Not Modified.
        local etag, path = string.match(line, "^([^\t]+)\t(.+)$")
        table.insert(requests, wrk.format("GET", path, {
          ["Accept"] = "application/json", ["If-None-Match"] = etag }))
      else
        table.insert(requests, wrk.format("POST", nil, {
          ["Content-Type"] = "application/json", ["Accept"] = "application/json" }, line))
      end
    end
  end
  -- Threads start half a list apart (two threads), so they do not send the same request at once.
  at = math.floor(id * #requests / 2)
  bad_status = 0
  graphql_errors = 0
end

function request()
  at = at + 1
  return requests[(at % #requests) + 1]
end

function response(status, headers, body)
  if status ~= 200 and status ~= 304 then
    bad_status = bad_status + 1
  elseif body and string.find(body, '"errors"', 1, true) then
    graphql_errors = graphql_errors + 1
  end
end

function done(summary, latency, requests)
  local bad, errors = 0, 0
  for _, thread in ipairs(threads) do
    bad = bad + (thread:get("bad_status") or 0)
    errors = errors + (thread:get("graphql_errors") or 0)
  end
  local e = summary.errors
  local out = io.open(os.getenv("WRK_OUT"), "w")
  out:write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "bad_status": %d, "graphql_errors": %d, "socket_errors": %d, "timeouts": %d}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    bad, errors, e.connect + e.read + e.write, e.timeout))
  out:close()
end
