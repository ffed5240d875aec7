# Alerts through the binary: polls ingested as they happen (timestamps near
# the machine's clock) raise store.down once and store.recovered with its
# downtime, listed by GET /admin/alerts; a backfill raises nothing; the
# events survive a kill -9 (they are written in the ingest's transaction).
source "$(dirname "$0")/lib.sh" "$@"

ago() { date -u -d "$1 ago" '+%Y-%m-%d %H:%M:%S'; }  # a UTC timestamp some time ago
start_server --db "$WORK/u.db"
ingest() {
  request POST /ingest/status -H 'Content-Type: text/csv' --data-binary "store_id,status,timestamp_utc"$'\n'"$1"
  expect_status 200 "ingest $1"
}
# A 24x7 store (no hours): open now, whatever the time of day.
# (Instants taken together: the downtime must not grow with the ingests' time.)
AT=("$(ago '30 minutes')" "$(ago '20 minutes')" "$(ago '10 minutes')" "$(ago '1 minute')")
ingest "live,active,${AT[0]}"
ingest "live,inactive,${AT[1]}"
ingest "live,inactive,${AT[2]}"
ingest "live,active,${AT[3]}"
ingest "old,inactive,2023-01-25 10:00:00"
alerts() {
  request GET "/admin/alerts"
  expect_status 200 "alerts"
  printf '%s' "$BODY" | python3 -c 'import json,sys; print(" ".join(e["store_id"] + ":" + e["type"] for e in reversed(json.load(sys.stdin)["events"])))'
}
[ "$(alerts)" = "live:store.down live:store.recovered" ] || fail "events: $(alerts)"
request GET "/admin/alerts"
printf '%s' "$BODY" | python3 -c '
import json, sys
recovered = json.load(sys.stdin)["events"][0]
assert abs(recovered["downtime_seconds"] - 1140) <= 2, recovered  # 19 minutes down
' || fail "recovery: $BODY"
# kill -9 right after an ingest: its event is there after the restart.
ingest "live,inactive,$(ago '30 seconds')"
kill_server
start_server --db "$WORK/u.db"
[ "$(alerts)" = "live:store.down live:store.recovered live:store.down" ] || fail "after kill -9: $(alerts)"
stop_server
echo "alerts: ok"
