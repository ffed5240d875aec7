# A database made by an old version (fixtures/upgrade/schema3-4362a15.sql,
# schema 3) served by this one: it migrates at start; its finished report's
# CSV is still served, byte for byte; its figures were never kept as rows
# (sql/013_report_rows.sql), so a JSON answer is a 409 that says how to get
# them, and a report triggered now answers in JSON as usual.
source "$(dirname "$0")/lib.sh" "$@"

DB="$WORK/old.db"
python3 - "$FIXTURES/upgrade/schema3-4362a15.sql" "$DB" <<'PY' || fail "loading the old dump"
import sqlite3, sys
sqlite3.connect(sys.argv[2]).executescript(open(sys.argv[1]).read())
PY
start_server --db "$DB"

request GET "/reports"
expect_status 200 "/reports"
OLD=$(printf '%s' "$BODY" | python3 -c 'import json,sys; print(json.load(sys.stdin)["reports"][0]["report_id"])')
request GET "/get_report/$OLD"
expect_status 200 "the old report's CSV"
grep -q '^5153706603835915733,38.45,4.60,54.33,0.00,3.90,5.17$' <<< "$BODY" \
  || fail "the old report's CSV changed: $BODY"
request GET "/get_report/$OLD?format=json"
expect_json_error 409 "the old report as JSON"
grep -q "format=csv" <<< "$BODY" && grep -q "trigger it again" <<< "$BODY" \
  || fail "the 409 does not say what to do: $BODY"

trigger
wait_report "$REPORT_ID"
request GET "/get_report/$REPORT_ID?format=json"
expect_status 200 "a new report as JSON"
[ "$(printf '%s' "$BODY" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["rows"]))')" = 3 ] \
  || fail "the new report's rows: $BODY"
stop_server
