# Crash safety: kill -9 during an import and during a large ingest request,
# each held just before its commit (UPTIME_TEST_HOLD_IMPORT), when all its
# rows are written but not committed. Afterwards the database passes
# integrity_check, no file or request is half there, and the import can be
# run again to completion.
source "$(dirname "$0")/lib.sh" "$@"

"$BIN" generate --stores 2000 --days 8 --seed 6 --out "$WORK/data" 2>/dev/null
POLLS=$(($(wc -l < "$WORK/data/store_status.csv") - 1))

db_count() { db_value "$WORK/u.db" "$1"; }  # SQL -> one value of u.db

# kill -9 when the polls file is read and written, before its commit.
touch "$WORK/hold"
UPTIME_TEST_HOLD_IMPORT=$WORK/hold "$BIN" import --db "$WORK/u.db" --data "$WORK/data" 2> "$WORK/import.err" &
IMPORT=$!
polls_held() { grep -q "held by UPTIME_TEST_HOLD_IMPORT" "$WORK/import.err"; }
wait_for "the import to hold before the polls' commit" polls_held
kill -9 "$IMPORT"
wait "$IMPORT" 2>/dev/null || true
rm "$WORK/hold"
# The zones and hours files had committed; of the polls file, nothing.
[ "$(db_count 'SELECT count(*) FROM polls')" = 0 ] || fail "a killed import left polls behind"
[ "$(db_count 'SELECT poll_count FROM data_state')" = 0 ] || fail "poll count moved"
[ "$(db_count 'SELECT count(*) FROM business_hours')" -gt 0 ] || fail "hours file lost"

# Run again: everything loads.
"$BIN" import --db "$WORK/u.db" --data "$WORK/data" 2> "$WORK/import2.err" || fail "re-import failed"
[ "$(db_count 'SELECT count(*) FROM polls')" = "$POLLS" ] || fail "re-import incomplete"

# kill -9 while the server holds a large ingest request, its rows written but
# not committed: none of it is there.
touch "$WORK/hold"
UPTIME_TEST_HOLD_IMPORT=$WORK/hold start_server --db "$WORK/u.db"
{
  echo "store_id,status,timestamp_utc"
  seq 0 199999 | awk '{printf "crash_%d,active,2023-02-01 00:00:00.%06d\n", $1 % 500, $1}'
} > "$WORK/body.csv"
curl -s -o /dev/null -X POST -H 'Content-Type: text/csv' --data-binary @"$WORK/body.csv" "$BASE/ingest/status" &
CLIENT=$!
ingest_held() { grep -q "held by UPTIME_TEST_HOLD_IMPORT" "$WORK/server.err"; }
wait_for "the ingest to hold before its commit" ingest_held
kill_server
wait "$CLIENT" 2>/dev/null || true
AFTER=$(db_count 'SELECT count(*) FROM polls')
[ "$AFTER" = "$POLLS" ] || fail "an uncommitted ingest request is visible: $AFTER polls, $POLLS before"
[ "$(db_count 'SELECT poll_count FROM data_state')" = "$AFTER" ] || fail "poll_count disagrees with the table"

# The server starts again on the same file and serves.
rm "$WORK/hold"
start_server --db "$WORK/u.db"
request GET /healthz
expect_status 200 "healthz after crashes"
[ "$(json_field polls)" = "$AFTER" ] || fail "healthz polls $(json_field polls), table $AFTER"
stop_server
echo "crash: ok"
