# The clients people already have, against the real binary: axios' and
# requests' Accept headers get the CSV, POST /get_report with the id in a JSON
# or form body, trailing slashes, /health, {"error","detail"}, routing before
# body rules, multipart uploads, CORS, and /openapi.json.
source "$(dirname "$0")/lib.sh" "$@"

start_server --db "$WORK/u.db" --data "$FIXTURES/browser" --cors-origin http://127.0.0.1:3000
trigger
wait_report "$REPORT_ID"
CSV_HEADER="store_id,uptime_last_hour,uptime_last_day,uptime_last_week,downtime_last_hour,downtime_last_day,downtime_last_week"

# The versioned base: every route also under /api/v1 (and the page at /api/v1/).
request GET "/api/v1/get_report/$REPORT_ID"
[ "$(head -1 <<< "$BODY")" = "$CSV_HEADER" ] || fail "/api/v1/get_report: $(head -c 200 <<< "$BODY")"
request POST "/api/v1/trigger_report/"
expect_status 200 "POST /api/v1/trigger_report/"
request POST /api/v1/ingest/status -H 'Content-Type: text/csv' --data-binary $'store_id,status,timestamp_utc\nv1-store,active,2023-01-25 17:00:00\n'
expect_status 200 "POST /api/v1/ingest/status (a body, admitted before it is read)"
request GET /api/v1/
expect_status 200 "the page at /api/v1/"
request GET /api/v1/nope
expect_json_error 404 "an unknown path under /api/v1"
request GET /api/v2/healthz
expect_json_error 404 "another version"

# Content negotiation: equal preference keeps the CSV the contract promises.
for accept in "application/json, text/plain, */*" "*/*" "text/csv, application/json" ""; do
  request GET "/get_report/$REPORT_ID" -H "Accept: $accept"
  [ "$(head -1 <<< "$BODY")" = "$CSV_HEADER" ] || fail "Accept '$accept' did not get the CSV: $(head -c 200 <<< "$BODY")"
done
request GET "/get_report/$REPORT_ID" -H "Accept: application/json"
[ "$(json_field status)" = Complete ] || fail "Accept: application/json did not get JSON"
request GET "/get_report/$REPORT_ID?format=csv" -H "Accept: application/json"
[ "$(head -1 <<< "$BODY")" = "$CSV_HEADER" ] || fail "format=csv did not win over Accept"

# POST /get_report with the id in a JSON body, a form body or the query; trailing slashes.
request POST /get_report -H 'Content-Type: application/json' --data "{\"report_id\": \"$REPORT_ID\"}"
[ "$(head -1 <<< "$BODY")" = "$CSV_HEADER" ] || fail "POST /get_report with JSON: $STATUS $BODY"
request POST /get_report --data-urlencode "report_id=$REPORT_ID"
[ "$(head -1 <<< "$BODY")" = "$CSV_HEADER" ] || fail "POST /get_report with a form: $STATUS $BODY"
request POST "/get_report/?report_id=$REPORT_ID&format=json"
[ "$(json_field status)" = Complete ] || fail "POST /get_report/ with the query: $STATUS $BODY"
request POST /get_report -H 'Content-Type: application/json' --data '{}'
expect_json_error 400 "POST /get_report without an id"
request GET "/get_report/?report_id=$REPORT_ID"
expect_status 200 "GET /get_report/?report_id="
request POST /trigger_report/
expect_status 200 "POST /trigger_report/"
for path in /health /health/ /healthz/; do
  request GET "$path"
  [ "$(json_field status)" = ok ] || fail "GET $path: $STATUS $BODY"
done

# Errors carry "error" and "detail", the same text.
request GET "/get_report/nope"
printf '%s' "$BODY" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["error"] == d["detail"] != "", d' \
  || fail "error body: $BODY"

# Routing answers before any body rule: no length, too long, a bad type.
request POST /nowhere -H 'Transfer-Encoding: chunked' --data x
expect_json_error 404 "POST /nowhere chunked"
request PUT /trigger_report -H 'Transfer-Encoding: chunked' --data x
expect_json_error 405 "PUT /trigger_report chunked"
grep -qi '^allow: POST, OPTIONS' <<< "$HEADERS" || fail "405 without Allow: $HEADERS"
request POST /nowhere -H 'Content-Encoding: gzip' --data x
expect_json_error 404 "POST /nowhere gzip"
request POST /ingest/status -H 'Transfer-Encoding: chunked' --data x
expect_json_error 411 "POST /ingest/status chunked"

# Uploads the usual way: multipart/form-data, one file part of any name.
printf 'store_id,status,timestamp_utc\nnew-store,active,2023-01-25 22:00:00 UTC\nnew-store,maybe,2023-01-25 22:10:00 UTC\n' > "$WORK/polls.csv"
request POST /ingest/status -F "upload=@$WORK/polls.csv"
expect_status 200 "multipart upload"
[ "$(json_field loaded)" = 1 ] && [ "$(json_field rejected)" = 1 ] || fail "multipart counts: $BODY"
grep -q 'polls.csv:3' <<< "$BODY" || fail "the bad line is not named: $BODY"
request POST /ingest/status -F "a=@$WORK/polls.csv" -F "b=@$WORK/polls.csv"
expect_json_error 400 "two file parts"

# CORS: an allowed origin's preflight and request; another origin gets none.
request OPTIONS /trigger_report -H 'Origin: http://127.0.0.1:3000' -H 'Access-Control-Request-Method: POST'
expect_status 204 "preflight"
grep -qi '^access-control-allow-origin: http://127.0.0.1:3000' <<< "$HEADERS" || fail "preflight headers: $HEADERS"
grep -qi '^access-control-allow-headers: Authorization, Content-Type' <<< "$HEADERS" || fail "allowed headers: $HEADERS"
request GET /reports -H 'Origin: http://elsewhere.example'
if grep -qi '^access-control-allow-origin' <<< "$HEADERS"; then fail "another origin allowed: $HEADERS"; fi
request OPTIONS /nowhere -H 'Origin: http://127.0.0.1:3000'
expect_json_error 404 "OPTIONS on an unknown path"

# The API's description.
request GET /openapi.json
expect_status 200 "openapi.json"
printf '%s' "$BODY" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["openapi"] == "3.1.0" and "/trigger_report" in d["paths"], list(d)' \
  || fail "openapi.json: $(head -c 200 <<< "$BODY")"
stop_server

# '*' with a token is refused at start.
code=0
"$BIN" serve --db "$WORK/u.db" --port 0 --token secret --cors-origin '*' > /dev/null 2> "$WORK/err" || code=$?
[ "$code" = 2 ] && grep -q "not allowed with a token" "$WORK/err" || fail "--cors-origin '*' with a token: exit $code $(cat "$WORK/err")"
echo "clients: ok"
