# GET /stores/<id>: a store's week, with figures equal to its report row and
# known outages; the errors; store ids that need URL encoding; GET / serves
# the page with nothing from outside; the token guards /stores with --token-read.
source "$(dirname "$0")/lib.sh" "$@"

start_server --db "$WORK/u.db" --data "$FIXTURES/browser" --token s3cret --token-read
AUTH=(-H "Authorization: Bearer s3cret")

# outage-store (fixtures/browser/README.md): New York, 09:00-17:00 daily,
# down 1 h, 1 h and 2 h in the week to 2023-01-25 23:00 UTC.
request GET /stores/outage-store "${AUTH[@]}"
expect_status 200 "store detail"
python3 - "$BODY" <<'PY' || fail "store detail: $BODY"
import json, sys
d = json.loads(sys.argv[1])
assert d["store_id"] == "outage-store" and d["timezone"] == "America/New_York", d
assert d["as_of"] == "2023-01-25T23:00:00.000000Z" and d["interpolation"] == "nearest"
assert d["windows"]["last_week"] == {"unit": "hours", "uptime": 52.0, "downtime": 4.0,
                                     "business": 56.0, "uptime_percent": 92.86}, d["windows"]
assert [o["duration_seconds"] for o in d["outages"]] == [3600.0, 3600.0, 7200.0]
assert d["outages"][2]["start_local"] == "2023-01-24T11:30:00-05:00"
states = [s["state"] for s in d["timeline"]]
assert states.count("down") == 3 and states.count("up") == 10 and states.count("closed") == 8
assert d["timeline"][0]["start"] == d["week"]["start"] and d["timeline"][-1]["end"] == d["week"]["end"]
assert all(a["end"] == b["start"] and a["state"] != b["state"] for a, b in zip(d["timeline"], d["timeline"][1:]))
assert [day["weekday"] for day in d["days"]] == ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
PY

# Every store's figures equal its report row, in both interpolations.
for mode in nearest previous; do
  "$BIN" report --db "$WORK/u.db" --interpolation $mode --out "$WORK/$mode.csv" 2>/dev/null
  tail -n +2 "$WORK/$mode.csv" | while IFS=, read -r store up_h up_d up_w down_h down_d down_w; do
    request GET "/stores/$store?interpolation=$mode" "${AUTH[@]}"
    expect_status 200 "store $store"
    got=$(python3 -c 'import json,sys; w=json.loads(sys.argv[1])["windows"]; print(",".join("%.2f" % w[k][f] for f in ("uptime","downtime") for k in ("last_hour","last_day","last_week")))' "$BODY")
    [ "$got" = "$up_h,$up_d,$up_w,$down_h,$down_d,$down_w" ] || fail "$store ($mode): API $got, report $up_h,$up_d,$up_w,$down_h,$down_d,$down_w"
  done
done

# as_of before every poll: the store is known, with no data yet.
request GET "/stores/night-store?as_of=2023-01-01%2000:00:00" "${AUTH[@]}"
expect_status 200 "store before its polls"
[ "$(json_field has_data)" = False ] || fail "has_data: $BODY"

# A browser accepts brotli, which Debian's httplib would use at its slowest
# setting: it gets gzip instead (decoded here by --compressed).
request GET /stores/outage-store "${AUTH[@]}" -H 'Accept-Encoding: gzip, deflate, br' --compressed
expect_status 200 "store detail, compressed"
grep -qi '^content-encoding: gzip' <<< "$HEADERS" || fail "not gzip: $HEADERS"
[ "$(json_field store_id)" = outage-store ] || fail "compressed body: $BODY"
request GET /stores/outage-store "${AUTH[@]}" -H 'Accept-Encoding: br'
if grep -qi '^content-encoding' <<< "$HEADERS"; then fail "answered a br-only client with $(grep -i '^content-encoding' <<< "$HEADERS")"; fi

# Errors.
request GET /stores/no-such-store "${AUTH[@]}"
expect_json_error 404 "unknown store"
request GET "/stores/outage-store?interpolation=sideways" "${AUTH[@]}"
expect_json_error 400 "bad interpolation"
request GET "/stores/outage-store?as_of=yesterday" "${AUTH[@]}"
expect_json_error 400 "bad as_of"
request GET "/stores/outage-store?colour=red" "${AUTH[@]}"
expect_json_error 400 "unknown parameter"
request POST /stores/outage-store "${AUTH[@]}" -H 'Content-Type: application/json' -d '{}'
expect_json_error 405 "POST to a store"
grep -qi '^allow: GET' <<< "$HEADERS" || fail "405 without Allow: GET"
request GET /stores/outage-store
expect_json_error 401 "store without the token (--token-read)"

# A store id with a slash, a space and non-ASCII text, URL-encoded in the path.
request POST /ingest/status "${AUTH[@]}" -H 'Content-Type: text/csv' \
  --data-binary $'store_id,status,timestamp_utc\n"a/b c é",inactive,2023-01-25 22:00:00 UTC\n'
expect_status 200 "ingest odd store id"
request GET "/stores/a%2Fb%20c%20%C3%A9" "${AUTH[@]}"
expect_status 200 "store id with / and space"
[ "$(json_field store_id)" = "a/b c é" ] || fail "store id came back as $(json_field store_id)"

# The page: HTML, open without the token, nothing loaded from elsewhere.
request GET /
expect_status 200 "page"
grep -qi '^content-type: text/html' <<< "$HEADERS" || fail "page not text/html"
grep -q '<title>Store uptime</title>' <<< "$BODY" || fail "page has no title"
if grep -Eiq '(src|href)="(https?:)?//' <<< "$BODY"; then fail "page loads something from elsewhere"; fi
request POST / -H 'Content-Type: text/plain' -d x
expect_json_error 405 "POST /"

stop_server
echo "stores: ok"
