-- POST /trigger_report; 200 and 429 (queue full) are both answers by design.
threads_seen = {}
function setup(thread) table.insert(threads_seen, thread) end
function init(args) wrk.method = "POST" end
local counts = {}
function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
  ok = counts[200] or 0
  busy = counts[429] or 0
  other = 0
  for s, n in pairs(counts) do if s ~= 200 and s ~= 429 then other = other + n end end
end
function done(summary, latency, requests)
  local ok_total, busy_total, other_total = 0, 0, 0
  for _, thread in ipairs(threads_seen) do
    ok_total = ok_total + (thread:get("ok") or 0)
    busy_total = busy_total + (thread:get("busy") or 0)
    other_total = other_total + (thread:get("other") or 0)
  end
  io.write(string.format("TRIGGER_OK %d\nTRIGGER_429 %d\nTRIGGER_OTHER %d\n", ok_total, busy_total, other_total))
end
