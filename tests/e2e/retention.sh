# Retention with daily rollups (docs/rollups.md): the server deletes only the
# polls of rolled-up dates; kill -9 while a batch holds before its commit
# (UPTIME_TEST_HOLD_RETENTION) loses nothing; afterwards every date still
# reads as before (from its rollup), and what needs deleted polls gets a 400
# (or a rejected row, or a usage error on the command line) that says why.
source "$(dirname "$0")/lib.sh" "$@"

"$BIN" generate --stores 200 --days 12 --seed 5 --out "$WORK/data" 2>/dev/null
"$BIN" import --db "$WORK/u.db" --data "$WORK/data" 2>/dev/null || fail "import failed"
"$BIN" rollup --db "$WORK/u.db" 2>/dev/null || fail "rollup failed"

db() { db_value "$WORK/u.db" "$1"; }  # SQL -> one value of u.db
FROM=$(db "SELECT date(min(at_us) / 1000000, 'unixepoch', '-1 day') FROM polls")
TO=$(db "SELECT date(max(at_us) / 1000000, 'unixepoch', '-1 day') FROM polls")
period() {  # the report of the dates FROM..TO
  "$BIN" report --db "$WORK/u.db" --from-date "$FROM" --to-date "$TO" "$@" 2>> "$WORK/report.err"
}
period --no-rollups > "$WORK/before.csv"
period > "$WORK/from_rollups.csv"
cmp -s "$WORK/before.csv" "$WORK/from_rollups.csv" || fail "rollups differ from polls before retention"
POLLS=$(db "SELECT count(*) FROM polls")
frozen() { db "SELECT count(*) FROM stores WHERE frozen_through_day IS NOT NULL"; }

# kill -9 while the first batch of retention holds before its commit.
touch "$WORK/hold"
UPTIME_TEST_HOLD_RETENTION=$WORK/hold start_server --db "$WORK/u.db" --keep-polls-days 8
retention_held() { grep -q "held by UPTIME_TEST_HOLD_RETENTION" "$WORK/server.err"; }
wait_for "retention to hold before its commit" retention_held
kill_server
rm "$WORK/hold"
[ "$(db 'SELECT count(*) FROM polls')" = "$POLLS" ] || fail "an uncommitted retention batch deleted polls"
[ "$(frozen)" = 0 ] || fail "an uncommitted retention batch froze dates"
[ "$(db 'SELECT polls_deleted_before_us FROM data_state')" = None ] || fail "the line moved"
period --no-rollups > "$WORK/after_kill.csv"
cmp -s "$WORK/before.csv" "$WORK/after_kill.csv" || fail "the figures changed after kill -9"

# Started again, retention thins every store; the dates still read the same.
start_server --db "$WORK/u.db" --keep-polls-days 8
all_frozen() { [ "$(frozen)" = "$(db 'SELECT count(*) FROM stores WHERE first_poll_us IS NOT NULL')" ]; }
wait_for "retention to thin every store" all_frozen
AFTER=$(db "SELECT count(*) FROM polls")
[ "$AFTER" -lt "$POLLS" ] || fail "retention deleted nothing"
[ "$(db 'SELECT poll_count FROM data_state')" = "$AFTER" ] || fail "poll_count disagrees with the table"
period > "$WORK/after.csv"
cmp -s "$WORK/before.csv" "$WORK/after.csv" ||
  fail "the dates read differently after retention: $(diff "$WORK/before.csv" "$WORK/after.csv" | head -4)"

# What needs the deleted polls is refused, saying which option and why.
STORE=$(db "SELECT store_id FROM stores WHERE first_poll_us IS NOT NULL LIMIT 1")
request POST "/trigger_report?from_date=$FROM&to_date=$TO&max_gap=2h"
expect_json_error 400 "a period with max_gap over deleted polls"
grep -q "max_gap=2h" <<< "$BODY" && grep -q "keep-polls-days" <<< "$BODY" ||
  fail "the 400 does not say which option and why: $BODY"
request POST "/trigger_report?from=${FROM}T00:00:00Z&to=${TO}T00:00:00Z"
expect_json_error 400 "a UTC period over deleted polls"
request GET "/stores/$STORE/days?from_date=$FROM&to_date=$TO&interpolation=previous"
expect_json_error 400 "a store's days with other options over deleted polls"
request GET "/stores/$STORE/days?from_date=$FROM&to_date=$TO"
expect_status 200 "a store's days from rollups"
request POST "/trigger_report?from_date=$FROM&to_date=$TO"
expect_status 200 "a period of dates from rollups"
# A poll where polls were deleted is a rejected row.
request POST /ingest/status -H 'Content-Type: text/csv' \
  --data-binary "$(printf 'store_id,status,timestamp_utc\n%s,inactive,%s 10:00:00 UTC\n' "$STORE" "$FROM")"
expect_json_error 400 "an old poll"
grep -q "deleted by retention" <<< "$BODY" || fail "the rejection does not say why: $BODY"
stop_server

if period --no-rollups > /dev/null; then fail "report --no-rollups over deleted polls succeeded"; fi
grep -q "no-rollups" "$WORK/report.err" || fail "report does not say why: $(tail -2 "$WORK/report.err")"
echo "retention: ok"
