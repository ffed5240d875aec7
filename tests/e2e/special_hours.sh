# Special hours over HTTP (SPEC §7): ingested as CSV and JSON, honoured by
# the next report and the store detail, counted in /metrics, removed again.
source "$(dirname "$0")/lib.sh" "$@"

start_server --db "$WORK/u.db" --data "$FIXTURES/demo"
loaded_metric() {  # special hours rows this server loaded (first-start import included)
  curl -s "$BASE/metrics" > "$WORK/metrics"
  sed -n 's/^uptime_monitor_ingest_rows_total{dataset="special_hours",outcome="loaded"} //p' "$WORK/metrics"
}
LOADED_AT_START=$(loaded_metric)
STORE=$(sed -n 2p "$FIXTURES/demo/store_status.csv" | cut -d, -f1)
row_of() {  # row_of REPORT_ID: the CSV row of $STORE
  request GET "/get_report/$1"
  grep "^$STORE," <<< "$BODY"
}
trigger
wait_report "$REPORT_ID"
BEFORE=$(row_of "$REPORT_ID")
[ -n "$BEFORE" ] || fail "no row for $STORE"

# Every local date of the week (and two around it) closed: no business time.
csv="store_id,date,start_time_local,end_time_local"
for day in $(seq 15 27); do csv+=$'\n'"$STORE,2023-01-$day,,"; done
csv+=$'\n'"$STORE,2023-02-30,,"
request POST /ingest/special_hours -H 'Content-Type: text/csv' --data-binary "$csv"
expect_status 200 "special hours CSV"
[ "$(json_field loaded)" = 13 ] && [ "$(json_field rejected)" = 1 ] || fail "special hours: $BODY"
grep -q "body:15: bad date '2023-02-30'" <<< "$BODY" || fail "bad date not named: $BODY"
trigger
wait_report "$REPORT_ID"
[ "$(row_of "$REPORT_ID")" = "$STORE,0.00,0.00,0.00,0.00,0.00,0.00" ] || fail "closed week: $(row_of "$REPORT_ID")"

# The store detail lists the special dates of its week.
request GET "/stores/$STORE"
expect_status 200 "store detail"
printf '%s' "$BODY" | python3 -c '
import json, sys
d = json.load(sys.stdin)
dates = [s["date"] for s in d["special_dates"]]
assert "2023-01-20" in dates and all(s["closed"] for s in d["special_dates"]), d["special_dates"]
assert all(t["state"] == "closed" for t in d["timeline"]), d["timeline"][:3]
' || fail "store detail special dates: $BODY"

# JSON: one date replaced by a shift; the others stay closed.
request POST /ingest/special_hours -H 'Content-Type: application/json' --data-binary \
  "[{\"store_id\": \"$STORE\", \"date\": \"2023-01-20\", \"start_time_local\": \"10:00\", \"end_time_local\": \"12:00\"}]"
expect_status 200 "special hours JSON"
trigger
wait_report "$REPORT_ID"
row=$(row_of "$REPORT_ID")
week=$(awk -F, '{printf "%.2f", $4 + $7}' <<< "$row")  # up + down over the week
[ "$week" = "2.00" ] || fail "one 2-hour shift in a closed week: $row"

[ "$(loaded_metric)" = $((${LOADED_AT_START:-0} + 14)) ] || fail "special hours not counted: $(grep special "$WORK/metrics")"

# Removing them: one date, then a range; the report is as before.
request DELETE "/stores/$STORE/special_hours/2023-01-20"
expect_status 200 "delete one special date"
[ "$(json_field deleted)" = 1 ] || fail "delete one: $BODY"
request DELETE "/stores/$STORE/special_hours?from_date=2023-01-01&to_date=2023-01-31"
expect_status 200 "delete a range"
[ "$(json_field deleted)" = 12 ] || fail "delete a range: $BODY"
request DELETE "/stores/$STORE/special_hours?from_date=2023-01-31&to_date=2023-01-01"
expect_json_error 400 "a range backwards"
request DELETE "/stores/nobody/special_hours/2023-01-20"
expect_json_error 404 "an unknown store"
request DELETE "/stores/$STORE/special_hours/2023-13-45"
expect_json_error 400 "a malformed date in the path"
grep -q "2023-13-45" <<< "$BODY" || fail "the 400 does not name the date: $BODY"
trigger
wait_report "$REPORT_ID"
[ "$(row_of "$REPORT_ID")" = "$BEFORE" ] || fail "after removal: $(row_of "$REPORT_ID"), before: $BEFORE"
stop_server
echo "special_hours: ok"
