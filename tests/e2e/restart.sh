# Reports outlive the process: a finished one is served after a restart; one
# that was running when the process was killed is Failed, and new ones work.
source "$(dirname "$0")/lib.sh" "$@"

"$BIN" generate --stores 300 --days 8 --seed 3 --out "$WORK/data" 2>/dev/null
"$BIN" import --db "$WORK/u.db" --data "$WORK/data" 2>/dev/null

start_server --db "$WORK/u.db" --threads 1
trigger
wait_report "$REPORT_ID"
expect_status 200 "first report"
FINISHED=$REPORT_ID
printf '%s\n' "$BODY" > "$WORK/first.csv"
stop_server

# Restart: the finished report is still there, byte for byte.
start_server --db "$WORK/u.db" --threads 1
request GET "/get_report/$FINISHED"
expect_status 200 "report after restart"
printf '%s\n' "$BODY" > "$WORK/again.csv"
cmp "$WORK/first.csv" "$WORK/again.csv" || fail "report changed across restart"

# kill -9 while a report runs: the report is held running
# (UPTIME_TEST_HOLD_REPORTS) so the kill lands while it runs.
stop_server
touch "$WORK/hold"
UPTIME_TEST_HOLD_REPORTS=$WORK/hold start_server --db "$WORK/u.db" --threads 1
trigger
INTERRUPTED=$REPORT_ID
wait_running "$INTERRUPTED"
kill_server
python3 - "$WORK/u.db" <<'PY' || fail "database damaged by kill -9 during a report"
import sqlite3, sys
assert sqlite3.connect(sys.argv[1]).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
PY
start_server --db "$WORK/u.db" --threads 1
request GET "/get_report/$INTERRUPTED"
expect_status 500 "interrupted report"
[ "$(json_field status)" = Failed ] || fail "interrupted report not Failed: $BODY"
grep -q "interrupted by restart" <<< "$BODY" || fail "no restart reason: $BODY"

trigger
wait_report "$REPORT_ID"
expect_status 200 "report after the crash"
printf '%s\n' "$BODY" > "$WORK/after.csv"
cmp "$WORK/first.csv" "$WORK/after.csv" || fail "report after crash differs"
request GET /healthz
expect_status 200 "healthz after crash"
stop_server
echo "restart: ok"
