# A bounded report queue (429 with Retry-After beyond it), and a clean stop:
# SIGTERM lets the running report finish, the process exits 0, and the
# report is Complete after the restart.
source "$(dirname "$0")/lib.sh" "$@"

"$BIN" generate --stores 20000 --days 8 --seed 4 --out "$WORK/data" 2>/dev/null
"$BIN" import --db "$WORK/u.db" --data "$WORK/data" 2>/dev/null

# One report runs at a time on one thread; one more may wait.
start_server --db "$WORK/u.db" --threads 1 --queue 1
# Three triggers back to back (milliseconds, while one report takes ~0.4 s):
# the first runs, the second waits, the third finds the queue full.
for n in 1 2 3; do
  curl -s -o "$WORK/trigger$n" -D "$WORK/trigger$n.headers" -w '%{http_code}\n' -X POST "$BASE/trigger_report" >> "$WORK/codes"
done
[ "$(tr '\n' ' ' < "$WORK/codes")" = "200 200 429 " ] || fail "trigger codes: $(tr '\n' ' ' < "$WORK/codes")"
grep -qi '^retry-after: [0-9]' "$WORK/trigger3.headers" || fail "429 without Retry-After"
grep -q '"error"' "$WORK/trigger3" || fail "429 without a JSON error"
BODY=$(cat "$WORK/trigger1"); FIRST=$(json_field report_id)
BODY=$(cat "$WORK/trigger2"); SECOND=$(json_field report_id)
request GET "/get_report/$SECOND"
grep -q '"stage":"Queued"' <<< "$BODY" || grep -q '"stage":"Running"' <<< "$BODY" || fail "second report: $BODY"
wait_report "$FIRST"
expect_status 200 "first report"
wait_report "$SECOND"
expect_status 200 "second report"

# SIGTERM while a report runs: it finishes, then the process exits 0.
trigger
RUNNING=$REPORT_ID
wait_running "$RUNNING"
stop_server
grep -q "report $RUNNING: Complete" "$WORK/server.err" || fail "running report did not finish before exit"

start_server --db "$WORK/u.db" --threads 1
request GET "/get_report/$RUNNING"
expect_status 200 "report finished during shutdown"
stop_server
echo "queue_and_shutdown: ok"
