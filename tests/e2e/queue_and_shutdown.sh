# A bounded report queue (429 with Retry-After beyond it), and a clean stop:
# SIGTERM lets the running report finish, the process exits 0, and the
# report is Complete after the restart. Reports are held while they run
# (UPTIME_TEST_HOLD_REPORTS), so what the test sees never depends on how
# fast the machine computes them.
source "$(dirname "$0")/lib.sh" "$@"

"$BIN" generate --stores 300 --days 8 --seed 4 --out "$WORK/data" 2>/dev/null
"$BIN" import --db "$WORK/u.db" --data "$WORK/data" 2>/dev/null
HOLD=$WORK/hold-reports
export UPTIME_TEST_HOLD_REPORTS=$HOLD

# One report runs at a time on one thread; one more may wait.
touch "$HOLD"
start_server --db "$WORK/u.db" --threads 1 --queue 1
trigger
FIRST=$REPORT_ID
wait_running "$FIRST"
# The first is held running: the second waits, the third finds the queue full.
for n in 2 3; do
  curl -s -o "$WORK/trigger$n" -D "$WORK/trigger$n.headers" -w '%{http_code}\n' -X POST "$BASE/trigger_report" >> "$WORK/codes"
done
[ "$(tr '\n' ' ' < "$WORK/codes")" = "200 429 " ] || fail "trigger codes: $(tr '\n' ' ' < "$WORK/codes")"
grep -qi '^retry-after: [0-9]' "$WORK/trigger3.headers" || fail "429 without Retry-After"
grep -q '"error"' "$WORK/trigger3" || fail "429 without a JSON error"
BODY=$(cat "$WORK/trigger2"); SECOND=$(json_field report_id)
request GET "/get_report/$SECOND"
grep -q '"stage":"Queued"' <<< "$BODY" || fail "second report not queued: $BODY"
request GET "/get_report/$FIRST"
grep -q '"stage":"Running"' <<< "$BODY" || fail "first report not running: $BODY"
rm "$HOLD"
wait_report "$FIRST"
expect_status 200 "first report"
wait_report "$SECOND"
expect_status 200 "second report"

# SIGTERM while a report runs: it finishes, then the process exits 0.
touch "$HOLD"
trigger
RUNNING=$REPORT_ID
wait_running "$RUNNING"
kill -TERM "$SERVER_PID"
stopping() { grep -q ": stopping" "$WORK/server.err"; }
wait_for "the server to take SIGTERM" stopping
rm "$HOLD"
wait "$SERVER_PID" || fail "server exited with $? after SIGTERM"
SERVER_PID=""
grep -q "report $RUNNING: Complete" "$WORK/server.err" || fail "running report did not finish before exit"

unset UPTIME_TEST_HOLD_REPORTS
start_server --db "$WORK/u.db" --threads 1
request GET "/get_report/$RUNNING"
expect_status 200 "report finished during shutdown"
stop_server
echo "queue_and_shutdown: ok"
