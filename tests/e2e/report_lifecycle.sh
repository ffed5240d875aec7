# Trigger -> poll -> download, compared with the `report` CLI; both
# get_report forms; JSON format; the error answers of the API.
source "$(dirname "$0")/lib.sh" "$@"

start_server --db "$WORK/u.db" --data "$FIXTURES/demo"

request GET /healthz
expect_status 200 healthz
[ "$(json_field status)" = ok ] || fail "healthz: $BODY"
[ "$(json_field polls)" -gt 1000 ] || fail "healthz polls: $BODY"

# The seed's curl session: POST with no body at all, then get_report.
STATUS=$(curl -s -o "$WORK/body" -w '%{http_code}' -X POST "$BASE/trigger_report")
[ "$STATUS" = 200 ] || fail "curl -X POST /trigger_report: $STATUS $(cat "$WORK/body")"
REPORT_ID=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["report_id"])' "$WORK/body")
[[ "$REPORT_ID" =~ ^[A-Za-z0-9_-]{22,}$ ]] || fail "report id not URL-safe or too short: $REPORT_ID"

wait_report "$REPORT_ID"
expect_status 200 "finished report"
grep -qi '^content-type: text/csv' <<< "$HEADERS" || fail "report not text/csv"
grep -qi "^content-disposition: attachment; filename=\"report-$REPORT_ID.csv\"" <<< "$HEADERS" || fail "no Content-Disposition"
printf '%s\n' "$BODY" > "$WORK/server.csv"

# The same report through the CLI, same as_of: byte for byte.
request GET "/get_report/$REPORT_ID?format=json"
expect_status 200 "json report"
AS_OF=$(json_field as_of)
[ -n "$AS_OF" ] || fail "json report has no as_of: $BODY"
[ "$(json_field stores_reported)" = 100 ] || fail "stores_reported: $(json_field stores_reported)"
"$BIN" report --db "$WORK/u.db" --as-of "$AS_OF" --out "$WORK/cli.csv" 2>/dev/null
cmp "$WORK/server.csv" "$WORK/cli.csv" || fail "server CSV differs from the CLI's"
ROWS=$(printf '%s' "$BODY" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["rows"]))')
[ "$ROWS" = 100 ] || fail "json rows: $ROWS"

# The query form of get_report gives the same CSV.
curl -s "$BASE/get_report?report_id=$REPORT_ID" > "$WORK/query.csv"
cmp "$WORK/server.csv" "$WORK/query.csv" || fail "get_report?report_id= differs"
# Accept: application/json also selects JSON.
request GET "/get_report/$REPORT_ID" -H 'Accept: application/json'
[ "$(json_field status)" = Complete ] || fail "Accept json: $BODY"

# Options by JSON body and by query, against the CLI.
trigger -H 'Content-Type: application/json' -d '{"as_of": "2023-01-24 12:00:00 UTC", "interpolation": "previous"}'
wait_report "$REPORT_ID"
expect_status 200 "as_of report"
printf '%s\n' "$BODY" > "$WORK/previous.csv"
"$BIN" report --db "$WORK/u.db" --as-of "2023-01-24 12:00:00 UTC" --interpolation previous > "$WORK/cli-previous.csv" 2>/dev/null
cmp "$WORK/previous.csv" "$WORK/cli-previous.csv" || fail "as_of/previous report differs from the CLI's"
trigger "?as_of=2023-01-24T12:00:00Z&interpolation=previous"
wait_report "$REPORT_ID"
printf '%s\n' "$BODY" > "$WORK/previous-query.csv"
cmp "$WORK/previous.csv" "$WORK/previous-query.csv" || fail "query options differ from body options"

# Reports list, newest first.
request GET "/reports?limit=2"
expect_status 200 reports
printf '%s' "$BODY" | python3 -c '
import json,sys
d=json.load(sys.stdin); r=d["reports"]
assert len(r)==2, r
assert r[0]["created"]>=r[1]["created"], r
assert all(x["status"]=="Complete" for x in r), r
assert "next_before" in d' || fail "reports list: $BODY"

# Errors: JSON bodies with fitting statuses.
request GET /get_report/no-such-report
expect_json_error 404 "unknown id"
request GET "/get_report?report_id=..%2F..%2Fetc%2Fpasswd"
expect_json_error 404 "path-like id"
request GET /get_report
expect_json_error 400 "get_report without id"
request GET /trigger_report
expect_json_error 405 "GET trigger_report"
grep -qi '^allow: POST' <<< "$HEADERS" || fail "405 without Allow: POST"
request DELETE "/get_report/$REPORT_ID"
expect_json_error 405 "DELETE get_report"
grep -qi '^allow: GET' <<< "$HEADERS" || fail "405 without Allow: GET"
request GET /no/such/path
expect_json_error 404 "unknown path"
request POST /trigger_report -H 'Content-Type: application/json' -d '{"as_of": "yesterday"}'
expect_json_error 400 "bad as_of"
grep -q "as_of" <<< "$BODY" || fail "400 does not name as_of: $BODY"
request POST "/trigger_report?interpolation=linear"
expect_json_error 400 "bad interpolation"
grep -q "interpolation" <<< "$BODY" || fail "400 does not name interpolation: $BODY"
request POST /trigger_report -H 'Content-Type: application/json' -d '{"as_of": '
expect_json_error 400 "malformed JSON"
request POST /trigger_report -H 'Content-Type: application/json' -d '{"as_of": 1e99999}'
expect_json_error 400 "number out of range"
request POST /trigger_report -H 'Content-Type: application/json' -d '{"asof": "2023-01-24 12:00:00"}'
expect_json_error 400 "unknown parameter"
request GET "/reports?limit=0"
expect_json_error 400 "bad limit"

stop_server
grep -q "GET /healthz 200" "$WORK/server.err" || fail "no request log line"
grep -q "report $REPORT_ID: Complete" "$WORK/server.err" || fail "no report log line"
echo "report_lifecycle: ok"
