# Unknown time (SPEC §8) through the binary: a server default max_gap, a
# request's own or none, bad values, the CSV, JSON and store detail, the
# reports list, and the CLI. One 24x7 store in UTC polled at 08:00 (active)
# and 20:00 (inactive), as of 21:00: with max_gap 2h (nearest) it is known
# up 07:00-09:00 and down 19:00-21:00, unknown otherwise.
source "$(dirname "$0")/lib.sh" "$@"

mkdir "$WORK/data"
cat > "$WORK/data/store_status.csv" <<'CSV'
store_id,status,timestamp_utc
a,active,2023-01-25 08:00:00 UTC
a,inactive,2023-01-25 20:00:00 UTC
b,active,2023-01-25 21:00:00 UTC
CSV
printf 'store_id,day,start_time_local,end_time_local\n' > "$WORK/data/menu_hours.csv"
printf 'store_id,timezone_str\na,UTC\nb,UTC\n' > "$WORK/data/timezones.csv"

PLAIN_HEADER="store_id,uptime_last_hour,uptime_last_day,uptime_last_week,downtime_last_hour,downtime_last_day,downtime_last_week"
GAP_HEADER="$PLAIN_HEADER,unknown_last_hour,unknown_last_day,unknown_last_week"
A_2H="a,0.00,2.00,2.00,60.00,2.00,2.00,0.00,20.00,164.00"
A_PLAIN="a,0.00,17.00,161.00,60.00,7.00,7.00"  # up until the midpoint, 14:00

start_server --db "$WORK/u.db" --data "$WORK/data" --max-gap 2h
csv_of() {  # csv_of REPORT_ID: header and row a
  request GET "/get_report/$1"
  expect_status 200 "report $1"
  sed -n '1p;/^a,/p' <<< "$BODY"
}

# The server's default applies to a request that gives none...
trigger
wait_report "$REPORT_ID"
[ "$(csv_of "$REPORT_ID")" = "$GAP_HEADER"$'\n'"$A_2H" ] || fail "default max_gap: $(csv_of "$REPORT_ID")"
DEFAULT_ID=$REPORT_ID
# ... and max_gap=none turns it off: the report of SPEC §5, byte for byte.
trigger "?max_gap=none"
wait_report "$REPORT_ID"
[ "$(csv_of "$REPORT_ID")" = "$PLAIN_HEADER"$'\n'"$A_PLAIN" ] || fail "max_gap=none: $(csv_of "$REPORT_ID")"
NONE_ID=$REPORT_ID
# A JSON body's own value; previous: known from each poll to 90 min after it.
trigger -H 'Content-Type: application/json' --data '{"max_gap": "90m", "interpolation": "previous"}'
wait_report "$REPORT_ID"
[ "$(csv_of "$REPORT_ID" | sed -n 2p)" = "a,0.00,1.50,1.50,60.00,1.00,1.00,0.00,21.50,165.50" ] \
  || fail "max_gap 90m previous: $(csv_of "$REPORT_ID")"
JSON_ID=$REPORT_ID

# The JSON form carries the unknown figures; the list names each max_gap.
request GET "/get_report/$DEFAULT_ID?format=json"
printf '%s' "$BODY" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["max_gap"] == "2h", d["max_gap"]
a = [r for r in d["rows"] if r["store_id"] == "a"][0]
assert a["unknown_last_day"] == 20.0 and a["unknown_last_week"] == 164.0, a
' || fail "JSON report: $BODY"
request GET "/get_report/$NONE_ID?format=json"
printf '%s' "$BODY" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["max_gap"] is None and "unknown_last_day" not in d["rows"][0], d
' || fail "JSON report without max_gap: $BODY"
request GET "/reports"
printf '%s' "$BODY" | python3 -c '
import json, sys
gaps = {r["report_id"]: r["max_gap"] for r in json.load(sys.stdin)["reports"]}
ids = sys.argv[1:]
assert [gaps[i] for i in ids] == ["2h", None, "90m"], gaps
' "$DEFAULT_ID" "$NONE_ID" "$JSON_ID" || fail "reports list: $BODY"

# Bad values are a 400 naming the parameter.
for bad in 3d 169h 0m 90 -1h; do
  request POST "/trigger_report?max_gap=$bad"
  expect_json_error 400 "max_gap=$bad"
  grep -q "max_gap" <<< "$BODY" || fail "max_gap=$bad: error does not name it: $BODY"
done
request GET "/stores/a?max_gap=soon"
expect_json_error 400 "store detail max_gap=soon"

# The store detail: unknown per window, the uptime percent over known time,
# unknown segments, and outages that never include unknown time.
request GET "/stores/a"
expect_status 200 "store detail"
printf '%s' "$BODY" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["max_gap"] == "2h", d["max_gap"]
day = d["windows"]["last_day"]
assert (day["uptime"], day["downtime"], day["unknown"], day["business"]) == (2.0, 2.0, 20.0, 24.0), day
assert day["uptime_percent"] == 50.0 and abs(day["unknown_percent"] - 83.33) < 1e-9, day
states = [(s["state"], s["start"][8:16], s["end"][8:16]) for s in d["timeline"]]
assert states == [("unknown", "18T21:00", "25T07:00"), ("up", "25T07:00", "25T09:00"),
                  ("unknown", "25T09:00", "25T19:00"), ("down", "25T19:00", "25T21:00")], states
assert [(o["start"][11:16], o["end"][11:16]) for o in d["outages"]] == [("19:00", "21:00")], d["outages"]
' || fail "store detail with max_gap: $BODY"
request GET "/stores/a?max_gap=none"
printf '%s' "$BODY" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["max_gap"] is None and "unknown" not in d["windows"]["last_day"], d["windows"]
assert all(s["state"] != "unknown" for s in d["timeline"]), d["timeline"]
' || fail "store detail max_gap=none: $BODY"
stop_server

# The CLI: --max-gap on report, and a usage error naming a bad one.
"$BIN" report --db "$WORK/u.db" --max-gap 2h > "$WORK/cli.csv" 2> /dev/null || fail "report --max-gap"
[ "$(sed -n '1p;/^a,/p' "$WORK/cli.csv")" = "$GAP_HEADER"$'\n'"$A_2H" ] || fail "CLI report: $(cat "$WORK/cli.csv")"
"$BIN" report --db "$WORK/u.db" > "$WORK/plain.csv" 2> /dev/null || fail "report"
[ "$(sed -n '1p;/^a,/p' "$WORK/plain.csv")" = "$PLAIN_HEADER"$'\n'"$A_PLAIN" ] || fail "CLI plain report"
code=0
"$BIN" report --db "$WORK/u.db" --max-gap 8d > /dev/null 2> "$WORK/err" || code=$?
[ "$code" = 2 ] && grep -q -- "--max-gap" "$WORK/err" || fail "bad --max-gap: exit $code, $(cat "$WORK/err")"
echo "unknown_time: ok"
