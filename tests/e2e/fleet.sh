# The fleet now through the binary (docs/rules.md §10): an inactive poll
# ingested while serving is the store's state at once, in /fleet, the store
# view and the open incident, all "down since" the same instant; a custom
# report never becomes the landing report, and the server makes a standard
# one by itself; an owner's summary, lists and incidents hold only its
# stores; the state after a restart equals the state before; days before a
# store's first poll have no figures, nor does a period; lists page, sort
# and filter, and refuse bad parameters by name.
source "$(dirname "$0")/lib.sh" "$@"

ago() { date -u -d "$1 ago" '+%Y-%m-%d %H:%M:%S'; }  # a UTC timestamp some time ago
DB="$WORK/u.db"
OWNER=$("$BIN" token create --db "$DB" --create-db --name owner --role owner --stores live-a 2> /dev/null) \
  || fail "token create"
ADMIN=$("$BIN" token create --db "$DB" --name ops --role admin 2> /dev/null) || fail "admin token"
start_server --db "$DB"
as() {  # as SECRET METHOD PATH [curl args...]
  local secret=$1
  shift
  request "$@" -H "Authorization: Bearer $secret"
}
ingest() {
  as "$ADMIN" POST /ingest/status -H 'Content-Type: text/csv' \
    --data-binary "store_id,status,timestamp_utc"$'\n'"$1"
  expect_status 200 "ingest $1"
}
# field EXPRESSION: a Python expression over the JSON BODY (`d`), printed.
field() { printf '%s' "$BODY" | python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

# Two 24x7 stores (no hours: open now), both up, then one inactive poll.
ingest "live-a,active,$(ago '40 minutes')"
ingest "live-b,active,$(ago '30 minutes')"
as "$ADMIN" GET /fleet
expect_status 200 "fleet"
[ "$(field 'd["by_state"]["up"], d["by_state"]["down"], d["live"]')" = "2 0 True" ] \
  || fail "fleet before: $BODY"
DOWN_AT=$(ago '1 minute')
ingest "live-a,inactive,$DOWN_AT"
# No wait: the ingest's answer comes after the live state took the poll.
as "$ADMIN" GET /fleet
[ "$(field 'd["by_state"]["up"], d["by_state"]["down"], d["new_incidents_last_hour"]')" = "1 1 1" ] \
  || fail "fleet after the inactive poll: $BODY"
as "$ADMIN" GET /stores/live-a
expect_status 200 "store view"
SINCE=$(field 'd["live"]["since"]')
[ "$(field 'd["live"]["state"]')" = down ] || fail "store view state: $BODY"
[ "${SINCE:0:19}" = "${DOWN_AT/ /T}" ] || fail "down since $SINCE, the poll was at $DOWN_AT"
as "$ADMIN" GET "/incidents?state=open"
expect_status 200 "incidents"
[ "$(field 'd["total"], d["rows"][0]["store_id"], d["rows"][0]["start"]')" = "1 live-a $SINCE" ] \
  || fail "open incident: $BODY"
as "$ADMIN" GET "/stores?state=down"
[ "$(field 'd["total"], d["rows"][0]["store_id"], d["rows"][0]["since"]')" = "1 live-a $SINCE" ] \
  || fail "stores down: $BODY"

# An owner of live-a sees live-a only, and nothing of the fleet's size.
as "$OWNER" GET /fleet
expect_status 200 "owner fleet"
[ "$(field 'sum(d["by_state"].values()), d["by_state"]["down"]')" = "1 1" ] || fail "owner fleet: $BODY"
as "$OWNER" GET "/stores?limit=10"
[ "$(field 'd["total"], [r["store_id"] for r in d["rows"]]')" = "1 ['live-a']" ] \
  || fail "owner stores: $BODY"
as "$OWNER" GET "/incidents"
[ "$(field 'd["total"], {r["store_id"] for r in d["rows"]}')" = "1 {'live-a'}" ] \
  || fail "owner incidents: $BODY"
as "$OWNER" GET /stores/live-b
expect_json_error 403 "owner, another store"

# History: a store first polled on 2023-01-20 has no figures before it.
as "$ADMIN" POST /ingest/status -H 'Content-Type: text/csv' --data-binary $'store_id,status,timestamp_utc
late,active,2023-01-20 12:00:00
late,active,2023-01-20 13:00:00
late,inactive,2023-01-21 12:00:00'
expect_status 200 "ingest late"
as "$ADMIN" GET "/stores/late/days?from_date=2023-01-18&to_date=2023-01-21&as_of=2023-01-22T00:00:00Z"
expect_status 200 "days"
[ "$(field '[(x["date"], x["no_data"], "uptime_hours" in x) for x in d["days"]], d["data_since"]')" = \
  "[('2023-01-18', True, False), ('2023-01-19', True, False), ('2023-01-20', False, True), ('2023-01-21', False, True)] 2023-01-20T12:00:00.000000Z" ] \
  || fail "days before the first poll: $BODY"
as "$ADMIN" GET "/stores/never/days"
expect_json_error 404 "unknown store's days"
as "$ADMIN" POST /ingest/hours -H 'Content-Type: text/csv' \
  --data-binary $'store_id,dayOfWeek,start_time_local,end_time_local\nhours-only,0,09:00:00,17:00:00'
expect_status 200 "hours of a store never polled"
as "$ADMIN" GET "/stores/hours-only/days"
[ "$(field 'd["has_data"], d["data_since"], d["message"], all(x["no_data"] for x in d["days"])')" = \
  "False None no poll from this store yet True" ] || fail "never polled: $BODY"
as "$ADMIN" GET "/stores?state=no_data"
[ "$(field '[r["store_id"] for r in d["rows"]]')" = "['hours-only']" ] || fail "no data: $BODY"
as "$ADMIN" POST "/trigger_report?from_date=2023-01-18&to_date=2023-01-21" 
expect_status 200 "period report"
PERIOD=$(json_field report_id)
wait_report "$PERIOD"
as "$ADMIN" GET "/get_report/$PERIOD?format=json"
[ "$(field '[r["period_start"] for r in d["rows"] if r["store_id"] == "late"]')" = \
  "['2023-01-20T12:00:00.000000Z']" ] || fail "period clipped to the first poll: $BODY"

# The landing report: standard ones only. A custom one (a period, above;
# a max gap, here) finishing later does not replace it.
as "$ADMIN" POST /trigger_report
STANDARD=$(json_field report_id)
wait_report "$STANDARD"
as "$ADMIN" POST "/trigger_report?max_gap=90m"
CUSTOM=$(json_field report_id)
wait_report "$CUSTOM"
landing_is() {
  as "$ADMIN" GET /fleet
  [ "$(field 'd["report_id"]')" = "$1" ]
}
wait_for "the landing report" landing_is "$STANDARD"
as "$ADMIN" GET /reports
kinds=$(printf '%s' "$BODY" | python3 -c '
import json, sys
kinds = {r["report_id"]: r["kind"] for r in json.load(sys.stdin)["reports"]}
print(kinds[sys.argv[1]], kinds[sys.argv[2]], kinds[sys.argv[3]])' "$STANDARD" "$CUSTOM" "$PERIOD")
[ "$kinds" = "standard custom custom" ] || fail "report kinds: $kinds"
as "$ADMIN" GET /stores
[ "$(field 'd["report_id"]')" = "$STANDARD" ] || fail "the whole /stores answer: $BODY"

# Names: given while serving, shown in the lists, the store view and the
# incidents, and matched by q; the report CSV does not change.
as "$ADMIN" POST /ingest/stores -H 'Content-Type: text/csv' \
  --data-binary $'store_id,name\nlive-a,Pizza Palace Main St\nlive-b,Taco Town'
expect_status 200 "names"
as "$ADMIN" GET "/stores?q=Palace"
[ "$(field '[(r["store_id"], r["name"]) for r in d["rows"]]')" = "[('live-a', 'Pizza Palace Main St')]" ] \
  || fail "q by name: $BODY"
as "$ADMIN" GET /stores/live-a
[ "$(field 'd["name"]')" = "Pizza Palace Main St" ] || fail "store view name: $BODY"
as "$ADMIN" GET "/incidents?state=open"
[ "$(field 'd["rows"][0]["name"]')" = "Pizza Palace Main St" ] || fail "incident name: $BODY"
as "$ADMIN" GET "/get_report/$STANDARD?format=json&sort=store_id&order=desc&limit=2&q=Taco"
[ "$(field 'd["total"], [r["store_id"] for r in d["rows"]], d["status"]')" = "1 ['live-b'] Complete" ] \
  || fail "a page of a report's rows: $BODY"
as "$ADMIN" GET "/get_report/$STANDARD?format=json&sort=downtime_last_hour&order=desc&limit=1"
[ "$(field 'd["total"], len(d["rows"]), d["offset"], d["limit"]')" = "3 1 0 1" ] \
  || fail "a report page: $BODY"
as "$ADMIN" GET "/get_report/$STANDARD?format=json&sort=colour"
expect_json_error 400 "a report page sorted by an unknown column"
as "$ADMIN" GET "/get_report/$STANDARD"
grep -q "Pizza" <<< "$BODY" && fail "a name in the report CSV: $BODY"

# Pages: sorted, filtered, counted; bad parameters named.
as "$ADMIN" GET "/stores?sort=store_id&order=desc&limit=2&offset=1"
[ "$(field 'd["total"], [r["store_id"] for r in d["rows"]]')" = "4 ['live-a', 'late']" ] \
  || fail "page: $BODY"
as "$ADMIN" GET "/stores?q=live&sort=since"
[ "$(field '[r["store_id"] for r in d["rows"]]')" = "['live-b', 'live-a']" ] || fail "q: $BODY"
for bad in "sort=colour" "state=sleepy" "offset=-1" "limit=5000" "order=up"; do
  as "$ADMIN" GET "/stores?$bad"
  expect_json_error 400 "/stores?$bad"
  grep -q "'${bad%%=*}'" <<< "$BODY" || fail "$bad: the error does not name the parameter: $BODY"
done
as "$ADMIN" GET "/incidents?state=gone"
expect_json_error 400 "incidents state"

# The state after a restart equals the state before.
snapshot() {
  as "$ADMIN" GET "/stores?limit=100"
  field '[(r["store_id"], r["state"], r["since"], r["latest_poll"]) for r in d["rows"]]'
  as "$ADMIN" GET /fleet
  field 'd["by_state"], d["data_since"], d["newest_poll"]'
}
BEFORE=$(snapshot)
stop_server
start_server --db "$DB"
[ "$(snapshot)" = "$BEFORE" ] || fail "after a restart: $(snapshot), before: $BEFORE"
stop_server

# By itself the server makes a standard report when there is none.
remove_db "$DB"
start_server --db "$DB" --standard-report-every 15m
ingest_plain() {
  request POST /ingest/status -H 'Content-Type: text/csv' \
    --data-binary "store_id,status,timestamp_utc"$'\n'"$1"
  expect_status 200 "ingest $1"
}
ingest_plain "solo,active,$(ago '5 minutes')"
has_landing() {
  request GET /fleet
  [ -n "$(json_field report_id)" ]
}
wait_for "a standard report made by the server" has_landing
LANDING=$(json_field report_id)
request GET "/get_report/$LANDING?format=json"
[ "$(json_field kind)" = standard ] || fail "the server's own report: $BODY"
stop_server
echo "fleet: ok"
