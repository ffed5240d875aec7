-- POST /ingest/status with 10 new polls per request, unique per thread and
-- request; counts answers by status.
local counter, thread_id = 0, 0
local statuses = {}
function setup(thread)
  thread:set("id", #threads_seen + 1)
  table.insert(threads_seen, thread)
end
threads_seen = {}
function init(args)
  thread_id = id
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "text/csv"
end
function request()
  counter = counter + 1
  sent = counter
  local lines = { "store_id,status,timestamp_utc" }
  for i = 1, 10 do
    lines[#lines + 1] = string.format("load_%d_%d,active,2023-03-01 00:00:00.%06d",
                                      thread_id, counter, i)
  end
  return wrk.format(nil, nil, nil, table.concat(lines, "\n") .. "\n")
end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  ok = statuses[200] or 0
  other = 0
  for s, n in pairs(statuses) do if s ~= 200 then other = other + n end end
end
function done(summary, latency, requests)
  local ok_total, other_total, sent_total = 0, 0, 0
  for _, thread in ipairs(threads_seen) do
    ok_total = ok_total + (thread:get("ok") or 0)
    other_total = other_total + (thread:get("other") or 0)
    sent_total = sent_total + (thread:get("sent") or 0)
  end
  io.write(string.format("INGEST_OK %d\nINGEST_OTHER %d\nINGEST_SENT %d\n", ok_total, other_total, sent_total))
end
