# Periods (SPEC §9) through the binary: period reports over HTTP and the CLI,
# their JSON form and listing, bad periods, and GET /stores/<id>/days, whose
# every day must equal the period report of that one date — checked for every
# store of fixtures/browser (New York, Tokyo, Chicago; a special date), for
# each date of its week, in two sets of options.
source "$(dirname "$0")/lib.sh" "$@"

start_server --db "$WORK/u.db" --data "$FIXTURES/browser"

# Each day of /days against the report of that single date.
for options in "" "&interpolation=previous&max_gap=30m"; do
  request GET "/stores/outage-store/days?from_date=2023-01-18&to_date=2023-01-26$options"
  expect_status 200 "days"
  for store in night-store outage-store steady-store; do
    request GET "/stores/$store/days?from_date=2023-01-18&to_date=2023-01-26$options"
    expect_status 200 "days of $store"
    printf '%s' "$BODY" > "$WORK/days-$store.json"
  done
  for date in 2023-01-18 2023-01-19 2023-01-20 2023-01-21 2023-01-22 2023-01-23 2023-01-24 2023-01-25 2023-01-26; do
    trigger "?from_date=$date&to_date=$date$options"
    wait_report "$REPORT_ID"
    request GET "/get_report/$REPORT_ID"
    expect_status 200 "period report for $date"
    cp "$WORK/body" "$WORK/report.csv"
    python3 - "$WORK" "$date" <<'PY' || fail "days differ from the period report of $date ($options)"
import csv, json, sys
work, date = sys.argv[1], sys.argv[2]
rows = list(csv.DictReader(open(work + "/report.csv")))
assert len(rows) == 3, rows
for row in rows:
    days = json.load(open(work + "/days-" + row["store_id"] + ".json"))["days"]
    day = [d for d in days if d["date"] == date][0]
    assert day["start"] == row["period_start"] and day["end"] == row["period_end"], (day, row)
    for key in ("business_hours", "uptime_hours", "downtime_hours", "unknown_hours"):
        if key in row:
            assert "%.2f" % day[key] == row[key], (key, day, row)
        else:
            assert key not in day, (key, day)
    percent = "" if day["uptime_percent"] is None else "%.2f" % day["uptime_percent"]
    assert percent == row["uptime_percent"], (day, row)
PY
  done
done

# A special date is marked; the default range is the 30 local dates ending with
# the local date of now (2023-01-25 23:00 UTC is still the 25th in Chicago).
request GET "/stores/steady-store/days"
printf '%s' "$BODY" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert (d["from_date"], d["to_date"], len(d["days"])) == ("2022-12-27", "2023-01-25", 30), d
closed = [x for x in d["days"] if x["special"]]
assert [x["date"] for x in closed] == ["2023-01-22"] and closed[0]["business_hours"] == 0, closed
assert closed[0]["uptime_percent"] is None
' || fail "default days: $BODY"
request GET "/stores/night-store/days"  # Tokyo: now is already the 26th there
[ "$(json_field to_date)" = 2023-01-26 ] || fail "Tokyo's today: $BODY"
request GET "/stores/nobody/days"
expect_json_error 404 "days of an unknown store"
request GET "/stores/steady-store/days?from_date=2023-02-30&to_date=2023-03-01"
expect_json_error 400 "days with a bad date"
request GET "/stores/steady-store/days?from=2023-01-20T00:00:00Z&to=2023-01-21T00:00:00Z"
expect_json_error 400 "days with a UTC period"

# A UTC period report; its JSON form carries the same figures; /reports lists
# the period.
trigger -H 'Content-Type: application/json' --data '{"from": "2023-01-24 12:00:00", "to": "2023-01-30T00:00:00Z", "max_gap": "2h"}'
wait_report "$REPORT_ID"
UTC_ID=$REPORT_ID
request GET "/get_report/$UTC_ID"
[ "$(head -1 <<< "$BODY")" = "store_id,period_start,period_end,business_hours,uptime_hours,downtime_hours,unknown_hours,uptime_percent" ] \
  || fail "period CSV header: $BODY"
grep -q "^outage-store,2023-01-24T12:00:00.000000Z,2023-01-25T23:00:00.000000Z,16.00,14.00,2.00,0.00,87.50$" <<< "$BODY" \
  || fail "outage-store over the UTC period: $BODY"
cp "$WORK/body" "$WORK/report.csv"
request GET "/get_report/$UTC_ID?format=json"
printf '%s' "$BODY" | python3 -c '
import csv, json, sys
d = json.load(sys.stdin)
assert d["period"] == {"from": "2023-01-24T12:00:00.000000Z", "to": "2023-01-30T00:00:00.000000Z"}, d["period"]
rows = {r["store_id"]: r for r in csv.DictReader(open(sys.argv[1]))}
for item in d["rows"]:
    row = rows[item["store_id"]]
    for key, value in row.items():
        got = item[key]
        text = got if isinstance(got, str) else ("" if got is None else "%.2f" % got)
        assert text == value, (key, item, row)
' "$WORK/report.csv" || fail "JSON period report: $BODY"
request GET "/reports?limit=1"
printf '%s' "$BODY" | python3 -c '
import json, sys
r = json.load(sys.stdin)["reports"][0]
assert r["period"]["to"] == "2023-01-30T00:00:00.000000Z" and r["max_gap"] == "2h", r
' || fail "reports list: $BODY"

# Bad periods are a 400 naming the problem.
bad_period() {  # QUERY WORDS...: the error holds every word
  local query=$1
  shift
  request POST "/trigger_report?$query"
  expect_json_error 400 "$query"
  for word in "$@"; do grep -q -- "$word" <<< "$BODY" || fail "$query: '$word' not in $BODY"; done
}
bad_period "from=2023-01-20%2000:00:00" "'from' and 'to' come together"
bad_period "to_date=2023-01-20" "'from_date' and 'to_date' come together"
bad_period "from=2023-01-21T00:00:00Z&to=2023-01-20T00:00:00Z" "'from' must be before 'to'"
bad_period "from=2023-01-20T00:00:00Z&to=2023-01-20T00:00:00Z" "'from' must be before 'to'"
bad_period "from_date=2023-01-21&to_date=2023-01-20" "'from_date' must not be after 'to_date'"
bad_period "from_date=2023-01-01&to_date=2024-02-05" "400 dates"
bad_period "from=2023-01-01T00:00:00Z&to=2024-02-05T00:00:01Z" "400 days"
bad_period "from_date=2023-1-20&to_date=2023-01-21" "from_date" "2023-1-20"
bad_period "from_date=2023-01-20&to_date=2023-01-21&from=2023-01-20T00:00:00Z&to=2023-01-21T00:00:00Z" "not both"
request POST "/trigger_report?from_date=2023-01-01&to_date=2024-02-04"  # 400 dates exactly
expect_status 200 "a 400-date period"
stop_server

# The CLI: the same period report as the server's, and usage errors.
"$BIN" report --db "$WORK/u.db" --from "2023-01-24 12:00:00" --to "2023-01-30T00:00:00Z" --max-gap 2h \
  > "$WORK/cli.csv" 2> /dev/null || fail "report --from --to"
cmp -s "$WORK/cli.csv" "$WORK/report.csv" || fail "CLI period report differs: $(diff "$WORK/cli.csv" "$WORK/report.csv")"
for args in "--from-date 2023-01-20" "--from 2023-01-20T00:00:00Z --to-date 2023-01-21" \
            "--from-date 2023-01-22 --to-date 2023-01-21" "--to 2023-01-21T00:00:00Z"; do
  code=0
  # shellcheck disable=SC2086
  "$BIN" report --db "$WORK/u.db" $args > /dev/null 2> "$WORK/err" || code=$?
  [ "$code" = 2 ] && grep -q "period" "$WORK/err" || fail "report $args: exit $code, $(cat "$WORK/err")"
done
echo "periods: ok"
