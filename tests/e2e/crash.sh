# Crash safety: kill -9 during a large import and during a large ingest
# request. Afterwards the database passes integrity_check, no file or
# request is half there, and the import can be run again to completion.
source "$(dirname "$0")/lib.sh" "$@"

"$BIN" generate --stores 20000 --days 8 --seed 6 --out "$WORK/data" 2>/dev/null
POLLS=$(($(wc -l < "$WORK/data/store_status.csv") - 1))

db_count() {  # SQL -> number, read straight from the file
  python3 - "$WORK/u.db" "$1" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok", "integrity_check failed"
print(db.execute(sys.argv[2]).fetchone()[0])
PY
}

# kill -9 while the polls file is half read (its progress lines show it).
"$BIN" import --db "$WORK/u.db" --data "$WORK/data" 2> "$WORK/import.err" &
IMPORT=$!
for _ in $(seq 1 600); do
  grep -q "store_status.csv: 500000 rows read" "$WORK/import.err" && break
  sleep 0.01
done
grep -q "store_status.csv: 500000 rows read" "$WORK/import.err" || fail "import never got half way"
kill -9 "$IMPORT"
wait "$IMPORT" 2>/dev/null || true
# The zones and hours files had committed; of the polls file, nothing.
[ "$(db_count 'SELECT count(*) FROM polls')" = 0 ] || fail "a killed import left polls behind"
[ "$(db_count 'SELECT poll_count FROM data_state')" = 0 ] || fail "poll count moved"
[ "$(db_count 'SELECT count(*) FROM business_hours')" -gt 0 ] || fail "hours file lost"

# Run again: everything loads.
"$BIN" import --db "$WORK/u.db" --data "$WORK/data" 2> "$WORK/import2.err" || fail "re-import failed"
[ "$(db_count 'SELECT count(*) FROM polls')" = "$POLLS" ] || fail "re-import incomplete"

# kill -9 while the server loads a large ingest request: all of it or none.
start_server --db "$WORK/u.db"
{
  echo "store_id,status,timestamp_utc"
  seq 0 199999 | awk '{printf "crash_%d,active,2023-02-01 00:00:00.%06d\n", $1 % 500, $1}'
} > "$WORK/body.csv"
curl -s -o /dev/null -X POST -H 'Content-Type: text/csv' --data-binary @"$WORK/body.csv" "$BASE/ingest/status" &
CLIENT=$!
# Loading 200,000 rows takes a few hundred milliseconds: kill somewhere in it.
# Whenever the kill lands, the request must be all there or not at all.
sleep 0.15
kill_server
wait "$CLIENT" 2>/dev/null || true
AFTER=$(db_count 'SELECT count(*) FROM polls')
[ "$AFTER" = "$POLLS" ] || [ "$AFTER" = "$((POLLS + 200000))" ] || fail "half an ingest request is visible: $AFTER polls"
[ "$(db_count 'SELECT poll_count FROM data_state')" = "$AFTER" ] || fail "poll_count disagrees with the table"

# The server starts again on the same file and serves.
start_server --db "$WORK/u.db"
request GET /healthz
expect_status 200 "healthz after crashes"
[ "$(json_field polls)" = "$AFTER" ] || fail "healthz polls $(json_field polls), table $AFTER"
stop_server
echo "crash: ok"
