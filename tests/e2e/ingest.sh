# Live data: polls, hours and zones posted to a running server as CSV or
# JSON, seen by the next report; bad input answered clearly; tokens; many
# writers at once (server clients and the import CLI) losing nothing.
source "$(dirname "$0")/lib.sh" "$@"
AUTH=(-H 'Authorization: Bearer s3cret')
CSV=(-H 'Content-Type: text/csv')
JSON=(-H 'Content-Type: application/json')

start_server --db "$WORK/u.db" --data "$FIXTURES/demo" --token s3cret --max-body 65536
request GET /healthz
POLLS_BEFORE=$(json_field polls)

# Writes need the token; reads stay open.
request POST /ingest/status "${CSV[@]}" --data-binary $'store_id,status,timestamp_utc\nz,active,2023-01-26 00:00:00\n'
expect_json_error 401 "ingest without token"
request POST /trigger_report -H 'Authorization: Bearer wrong'
expect_json_error 401 "trigger with a wrong token"
request GET /reports
expect_status 200 "reading without a token"

# A new hour of polls for a demo store open 24x7 (no hours rows): inactive,
# after every other poll.
STORE=$(cut -d, -f1 "$FIXTURES/demo/store_status.csv" | sort -u | grep -vxFf <(cut -d, -f1 "$FIXTURES/demo/menu_hours.csv") | grep -v store_id | head -1)
[ -n "$STORE" ] || fail "the demo data has no store without hours"
request POST /ingest/status "${AUTH[@]}" "${CSV[@]}" --data-binary "store_id,status,timestamp_utc
$STORE,inactive,2023-01-25 19:00:00 UTC
$STORE,inactive,2023-01-25T19:30:00Z
$STORE,inactive,2023-01-25 20:00:00
$STORE,maybe,2023-01-25 20:00:00
"
expect_status 200 "ingest CSV"
[ "$(json_field loaded)" = 3 ] || fail "loaded: $BODY"
[ "$(json_field rejected)" = 1 ] || fail "rejected: $BODY"
grep -q 'body:5: status must be' <<< "$BODY" || fail "bad row not named by line: $BODY"

trigger "${AUTH[@]}"
wait_report "$REPORT_ID"
expect_status 200 "report after ingest"
LINE=$(grep "^$STORE," <<< "$BODY")
# As of 20:00 (the new latest poll) the store was down all of the last hour.
[ "$(cut -d, -f5 <<< "$LINE")" = "60.00" ] || fail "new polls not in the report: $LINE"

# The same polls again, as JSON: duplicates; one with another status: a conflict.
request POST /ingest/status "${AUTH[@]}" "${JSON[@]}" -d "[
  {\"store_id\": \"$STORE\", \"status\": \"inactive\", \"timestamp_utc\": \"2023-01-25 19:00:00\"},
  {\"store_id\": \"$STORE\", \"status\": \"active\", \"timestamp_utc\": \"2023-01-25 20:00:00\"}]"
expect_status 200 "ingest JSON"
[ "$(json_field duplicates)" = 1 ] && [ "$(json_field conflicts)" = 1 ] || fail "dup/conflict: $BODY"

# Hours and zones replace the store's earlier ones.
request POST /ingest/hours "${AUTH[@]}" "${JSON[@]}" -d "[{\"store_id\": \"$STORE\", \"dayOfWeek\": 2, \"start_time_local\": \"10:00\", \"end_time_local\": \"11:00\"}]"
expect_status 200 "ingest hours"
request POST /ingest/timezones "${AUTH[@]}" "${CSV[@]}" --data-binary $'store_id,timezone_str\n'"$STORE"$',Asia/Kolkata\n'
expect_status 200 "ingest zones"
"$BIN" report --db "$WORK/u.db" > "$WORK/r.csv" 2>/dev/null
# Wednesday 10:00-11:00 in Kolkata only: 1 h of the week, and the store polls active then.
[ "$(grep "^$STORE," "$WORK/r.csv" | cut -d, -f4,7 | tr , +)" != "" ] || fail "store missing"
WEEK=$(grep "^$STORE," "$WORK/r.csv" | awk -F, '{printf "%.2f", $4 + $7}')
[ "$WEEK" = "1.00" ] || fail "replaced hours not used: week business time $WEEK"

# Bad requests.
request POST /ingest/status "${AUTH[@]}" -H 'Content-Type: text/plain' -d 'x'
expect_json_error 415 "text/plain"
request POST /ingest/status "${AUTH[@]}" "${CSV[@]}" --data-binary $'store_id,state\nx,active\n'
expect_status 400 "missing column"
grep -q "lacks the required column 'status'" <<< "$BODY" || fail "missing column not named: $BODY"
request POST /ingest/status "${AUTH[@]}" "${CSV[@]}" --data-binary $'store_id,status,timestamp_utc\nx,up,now\n'
expect_status 400 "every row bad"
request POST /ingest/status "${AUTH[@]}" "${JSON[@]}" -d '{"store_id": "x"'
expect_status 400 "malformed JSON"
head -c 100000 /dev/zero | tr '\0' 'x' > "$WORK/big"
request POST /ingest/status "${AUTH[@]}" "${CSV[@]}" --data-binary @"$WORK/big"
expect_json_error 413 "body above --max-body"
request POST /ingest/status "${AUTH[@]}"
expect_json_error 411 "no body"
request GET /ingest/status
expect_json_error 405 "GET ingest"

# Several writers at once while reports run: 4 clients x 10 requests x 20
# polls, each client also re-sending its previous request (duplicates), and
# the import CLI loading a file into the same database.
request GET /healthz
POLLS_NOW=$(json_field polls)
client() {
  local c=$1 previous=""
  for r in $(seq 1 10); do
    local body="store_id,status,timestamp_utc"
    for p in $(seq 1 20); do body+=$'\n'"load_$c,active,2023-02-0$((r % 9 + 1)) 0$((p % 10)):$((10 + p)):0$c"; done
    curl -s -o /dev/null -w '%{http_code}\n' -X POST "${AUTH[@]}" "${CSV[@]}" --data-binary "$body" "$BASE/ingest/status"
    [ -n "$previous" ] && curl -s -o /dev/null -w '%{http_code}\n' -X POST "${AUTH[@]}" "${CSV[@]}" --data-binary "$previous" "$BASE/ingest/status"
    previous=$body
  done
}
mkdir "$WORK/cli"
{ echo "store_id,status,timestamp_utc"; seq 1 5000 | awk '{printf "cli_%d,inactive,2023-02-01 00:00:00.%06d\n", $1 % 50, $1}'; } > "$WORK/cli/store_status.csv"
CLIENTS=()
for c in 1 2 3 4; do
  client "$c" > "$WORK/client$c.codes" &
  CLIENTS+=($!)
done
"$BIN" import --db "$WORK/u.db" --data "$WORK/cli" 2> "$WORK/cli.err" &
IMPORT_PID=$!
for _ in 1 2 3; do trigger "${AUTH[@]}"; done
wait "$IMPORT_PID" || fail "import CLI against the live database failed: $(cat "$WORK/cli.err")"
wait "${CLIENTS[@]}"
cat "$WORK"/client*.codes | sort | uniq -c > "$WORK/codes"
[ "$(cat "$WORK"/client*.codes | grep -vc '^200$')" = 0 ] || fail "ingest requests failed: $(cat "$WORK/codes")"
# The distinct polls the clients sent (some requests repeat the same times).
DISTINCT=$(for c in 1 2 3 4; do for r in $(seq 1 10); do for p in $(seq 1 20); do echo "load_$c 2023-02-0$((r % 9 + 1)) 0$((p % 10)):$((10 + p)):0$c"; done; done; done | sort -u | wc -l)
request GET /healthz
EXPECTED=$((POLLS_NOW + DISTINCT + 5000))
[ "$(json_field polls)" = "$EXPECTED" ] || fail "polls $(json_field polls), expected $EXPECTED"
python3 - "$WORK/u.db" "$EXPECTED" <<'PY' || fail "database check"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
count = db.execute("SELECT count(*) FROM polls").fetchone()[0]
assert count == int(sys.argv[2]), (count, sys.argv[2])
PY
wait_report "$REPORT_ID"
expect_status 200 "report during ingest"
stop_server

# With --token-read, reading reports needs the token too; /healthz stays open.
start_server --db "$WORK/u.db" --token s3cret --token-read
request GET /reports
expect_json_error 401 "reports without token"
request GET "/get_report/$REPORT_ID"
expect_json_error 401 "get_report without token"
request GET /reports "${AUTH[@]}"
expect_status 200 "reports with token"
request GET /healthz
expect_status 200 "healthz stays open"
stop_server
grep -q s3cret "$WORK/server.err" && fail "the token appears in the log"
echo "ingest: ok"
