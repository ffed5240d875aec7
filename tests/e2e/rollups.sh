# Daily rollups (docs/rollups.md) against the real binary: a period of local
# dates answered from rollups equals the same answered from polls alone
# (report --no-rollups) after the server's first roll-up, after late polls,
# and after kill -9 while a roll-up holds just before its commit
# (UPTIME_TEST_HOLD_ROLLUP): nothing lost, nothing counted twice.
source "$(dirname "$0")/lib.sh" "$@"

"$BIN" generate --stores 300 --days 10 --seed 9 --out "$WORK/data" 2>/dev/null
"$BIN" import --db "$WORK/u.db" --data "$WORK/data" 2>/dev/null || fail "import failed"

db() { db_value "$WORK/u.db" "$1"; }  # SQL -> one value of u.db
FROM=$(db "SELECT date(min(at_us) / 1000000, 'unixepoch', '-1 day') FROM polls")
TO=$(db "SELECT date(max(at_us) / 1000000, 'unixepoch', '+1 day') FROM polls")
MIDDLE=$(db "SELECT datetime((min(at_us) + max(at_us)) / 2000000, 'unixepoch') FROM polls")
period() {  # the report of the dates FROM..TO, from rollups unless --no-rollups
  "$BIN" report --db "$WORK/u.db" --from-date "$FROM" --to-date "$TO" "$@" 2>/dev/null
}
same_as_polls() {  # WHAT [ARGS]: the period from rollups equals the period from polls
  local what=$1
  shift
  period --no-rollups "$@" > "$WORK/from_polls.csv"
  period "$@" > "$WORK/from_rollups.csv"
  cmp -s "$WORK/from_polls.csv" "$WORK/from_rollups.csv" ||
    fail "$what: the period from rollups differs from polls: $(diff "$WORK/from_polls.csv" "$WORK/from_rollups.csv" | head -5)"
}
out_of_date() { db "SELECT count(*) FROM stores WHERE rollup_from_us IS NOT NULL"; }
all_rolled_up() { [ "$(out_of_date)" = 0 ]; }
holds() { grep -c "held by UPTIME_TEST_HOLD_ROLLUP" "$WORK/server.err" || true; }
HOLD=$WORK/hold

# kill -9 while the first roll-up holds before its commit: none of it is there.
touch "$HOLD"
UPTIME_TEST_HOLD_ROLLUP=$HOLD start_server --db "$WORK/u.db"
first_hold() { [ "$(holds)" -ge 1 ]; }
wait_for "the first roll-up to hold before its commit" first_hold
kill_server
[ "$(db 'SELECT count(*) FROM daily_rollups')" = 0 ] || fail "an uncommitted roll-up left rows"
[ "$(out_of_date)" = 300 ] || fail "an uncommitted roll-up cleared marks: $(out_of_date) stores out of date"
same_as_polls "after kill -9 in the first roll-up"
period --no-rollups > "$WORK/before_late.csv"

# Started again, the server rolls every store up.
rm "$HOLD"
UPTIME_TEST_HOLD_ROLLUP=$HOLD start_server --db "$WORK/u.db"
wait_for "every store to be rolled up" all_rolled_up
[ "$(db 'SELECT count(*) FROM daily_rollups')" -gt 2000 ] || fail "too few rollups"
same_as_polls "after the roll-up"

# Late polls in the middle of the data: the roll-up they cause holds, the
# server is killed; the figures follow the late polls before, while held and after.
{
  echo "store_id,status,timestamp_utc"
  db "SELECT group_concat(store_id, char(10)) FROM (SELECT store_id FROM stores LIMIT 50)" |
    awk -v at="$MIDDLE" '{ print $0 ",inactive," at " UTC" }'
} > "$WORK/late.csv"
HELD_BEFORE=$(holds)
touch "$HOLD"
request POST /ingest/status -H 'Content-Type: text/csv' --data-binary @"$WORK/late.csv"
expect_status 200 "late polls"
late_hold() { [ "$(holds)" -gt "$HELD_BEFORE" ]; }
wait_for "the roll-up of the late polls to hold" late_hold
same_as_polls "while the roll-up of late polls holds"
request GET /metrics
grep -q '^uptime_monitor_rollup_stores_out_of_date 50$' <<< "$BODY" ||
  fail "/metrics does not count the 50 stores waiting: $(grep rollup <<< "$BODY")"
cmp -s "$WORK/before_late.csv" "$WORK/from_polls.csv" && fail "the late polls changed no figure"
kill_server
[ "$(out_of_date)" = 50 ] || fail "$(out_of_date) stores out of date after kill -9, expected 50"
same_as_polls "after kill -9 in the roll-up of late polls"

rm "$HOLD"
start_server --db "$WORK/u.db"
wait_for "the late polls to be rolled up" all_rolled_up
same_as_polls "after the late polls were rolled up"
stop_server

# `rollup` with other rules makes every date anew with them.
"$BIN" rollup --db "$WORK/u.db" --max-gap 2h 2> "$WORK/rollup.err" || fail "rollup failed"
grep -q "rolled up [0-9]* local dates of 300 stores" "$WORK/rollup.err" ||
  fail "rollup did not roll up the 300 stores: $(cat "$WORK/rollup.err")"
[ "$(db 'SELECT max_gap_s FROM rollup_rules')" = 7200 ] || fail "the rules were not recorded"
same_as_polls "rolled up with max_gap 2h" --max-gap 2h
echo "rollups: ok"
