# Webhooks through the binary, with receivers on loopback
# (webhook_receiver.py) that check every signature: live polls give
# store.down and store.recovered once each, in order, with the payload's
# fields; a receiver answering 500 gets the event once more and then never
# again; a kill -9 before a delivery is recorded sends it after the restart;
# 2,000 stores going down in one ingest are all delivered, never more than
# --webhook-concurrency at once; the admin API refuses bad webhooks.
source "$(dirname "$0")/lib.sh" "$@"

SECRET=e2e-secret-0123456789
RECEIVER="$(dirname "$0")/webhook_receiver.py"
RECEIVER_PIDS=()
# At exit: the receivers go first (kill -9, then waited for), so that none
# still writes into $WORK while cleanup removes it.
stop_receivers() {
  for pid in "${RECEIVER_PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  for pid in "${RECEIVER_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
# cleanup (lib.sh) takes the script's exit status from $?: kept through stop_receivers.
trap 'status=$?; stop_receivers; (exit $status); cleanup' EXIT

# start_receiver NAME [options]: a receiver logging to $WORK/NAME.log; sets RECEIVER_PORT.
start_receiver() {
  local name=$1
  shift
  python3 "$RECEIVER" "$SECRET" "$WORK/$name.log" "$WORK/$name.port" "$@" &
  RECEIVER_PIDS+=($!)
  wait_for "receiver $name to start" test -f "$WORK/$name.port"
  RECEIVER_PORT=$(cat "$WORK/$name.port")
  : >> "$WORK/$name.log"
}
# wait_lines NAME N: until NAME's log holds N requests.
wait_lines() {
  lines_at_least() { [ "$(wc -l < "$WORK/$1.log")" -ge "$2" ]; }
  wait_for "$1 to receive $2 requests" lines_at_least "$1" "$2"
}
# add_webhook JSON: POST /admin/webhooks; sets WEBHOOK_ID.
add_webhook() {
  request POST /admin/webhooks -H 'Content-Type: application/json' --data-binary "$1"
  expect_status 200 "webhook $1"
  WEBHOOK_ID=$(json_field id)
}
ago() { date -u -d "$1 ago" '+%Y-%m-%d %H:%M:%S'; }
ingest() {
  request POST /ingest/status -H 'Content-Type: text/csv' --data-binary "store_id,status,timestamp_utc"$'\n'"$1"
  expect_status 200 "ingest"
}

start_receiver main
MAIN_PORT=$RECEIVER_PORT
start_receiver flaky --fail-first
FLAKY_PORT=$RECEIVER_PORT
start_server --db "$WORK/u.db" --public-url https://uptime.example/
PUBLIC="https://uptime.example/#store"

# Bad webhooks: a clear 400 each, nothing stored.
for bad in '{"url":"ftp://x","secret":"0123456789abcdef"}' \
           '{"url":"http://127.0.0.1:1/","secret":"short"}' \
           '{"url":"http://127.0.0.1:1/"}' \
           '{"url":"http://127.0.0.1:1/","secret":"0123456789abcdef","events":["store.up"]}' \
           '{"url":"http://127.0.0.1:1/","secret":"0123456789abcdef","stores":["a"],"tag":"t"}' \
           '{"url":"http://127.0.0.1:1/","secret":"0123456789abcdef","colour":"red"}'; do
  request POST /admin/webhooks -H 'Content-Type: application/json' --data-binary "$bad"
  expect_json_error 400 "webhook $bad"
done

add_webhook "{\"url\":\"http://127.0.0.1:$MAIN_PORT/hook?team=ops\",\"secret\":\"$SECRET\"}"
MAIN_ID=$WEBHOOK_ID
add_webhook "{\"url\":\"http://127.0.0.1:$FLAKY_PORT/\",\"secret\":\"$SECRET\",\"events\":[\"store.down\"],\"stores\":[\"flaky\"]}"
FLAKY_ID=$WEBHOOK_ID
request GET /admin/webhooks
expect_status 200 "list webhooks"
grep -q "$SECRET" <<< "$BODY" && fail "a listed webhook shows its secret: $BODY"
[ "$(printf '%s' "$BODY" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["webhooks"]))')" = 2 ] || fail "webhooks: $BODY"

# A 24x7 store (no hours): down, again down (nothing), back up; a backfill: nothing.
# The instants are taken together, so the downtime (1,140 s) does not grow
# with the time the ingests between them take on a loaded machine.
AT=("$(ago '30 minutes')" "$(ago '20 minutes')" "$(ago '10 minutes')" "$(ago '1 minute')")
ingest "live,active,${AT[0]}"
ingest "live,inactive,${AT[1]}"
ingest "live,inactive,${AT[2]}"
ingest "live,active,${AT[3]}"
ingest "old,inactive,2023-01-25 10:00:00"
wait_lines main 2
sleep 1  # nothing more may come
python3 - "$WORK/main.log" "$PUBLIC" <<'PY' || fail "main receiver: $(cat "$WORK/main.log")"
import json, sys
lines = [json.loads(line) for line in open(sys.argv[1])]
assert [(l["store_id"], l["type"]) for l in lines] == [("live", "store.down"), ("live", "store.recovered")], lines
assert all(l["signature_ok"] for l in lines), lines
down, recovered = lines[0]["body"], lines[1]["body"]
assert down["store_url"] == sys.argv[2] + "=live", down
assert down["timezone"] == "America/Chicago" and down["at_local"][-6:] in ("-06:00", "-05:00"), down
assert recovered["incident_start"] == down["at"], recovered
assert abs(recovered["downtime_seconds"] - 1140) <= 2, recovered
PY

# 500 then 200: delivered on the second attempt, about a second later, and never again.
ingest "flaky,inactive,$(ago '1 minute')"
wait_lines flaky 2
sleep 3
[ "$(wc -l < "$WORK/flaky.log")" = 2 ] || fail "flaky receiver: $(cat "$WORK/flaky.log")"
python3 - "$WORK/flaky.log" <<'PY' || fail "flaky receiver: $(cat "$WORK/flaky.log")"
import json, sys
lines = [json.loads(line) for line in open(sys.argv[1])]
assert [l["status"] for l in lines] == [500, 200], lines
assert lines[0]["event_id"] == lines[1]["event_id"] and all(l["signature_ok"] for l in lines), lines
PY
request GET "/admin/alerts?store_id=flaky"
printf '%s' "$BODY" > "$WORK/alerts.json"
python3 - "$FLAKY_ID" "$WORK/alerts.json" <<'PY' || fail "alerts of flaky: $BODY"
import json, sys
body = json.load(open(sys.argv[2]))
[event] = body["events"]
[delivery] = [d for d in event["deliveries"] if d["webhook"] == int(sys.argv[1])]
assert delivery["state"] == "delivered" and delivery["attempts"] == 2 and delivery["last_status"] == 200, delivery
assert [i["store_id"] for i in body["open_incidents"]] == ["flaky"], body["open_incidents"]
PY
request GET /metrics
grep -q '^uptime_monitor_webhook_deliveries_total{outcome="retry"} 1$' <<< "$BODY" || fail "metrics: no retry counted"

# kill -9 while a delivery is in flight (the receiver holds it 3 s): the
# event is committed, its delivery not recorded; after the restart it arrives.
request DELETE "/admin/webhooks/$MAIN_ID"
expect_status 200 "delete webhook"
request DELETE "/admin/webhooks/$FLAKY_ID"
expect_status 200 "delete webhook"
start_receiver slow --delay 3
add_webhook "{\"url\":\"http://127.0.0.1:$RECEIVER_PORT/\",\"secret\":\"$SECRET\"}"
ingest "crash,inactive,$(ago '1 minute')"
kill_server
start_server --db "$WORK/u.db"
wait_lines slow 2
python3 - "$WORK/slow.log" <<'PY' || fail "slow receiver: $(cat "$WORK/slow.log")"
import json, sys
lines = [json.loads(line) for line in open(sys.argv[1])]
assert {l["store_id"] for l in lines} == {"crash"} and len({l["event_id"] for l in lines}) == 1, lines
PY
marked_delivered() {
  request GET "/admin/alerts?store_id=crash"
  printf '%s' "$BODY" | grep -q '"state":"delivered"'
}
wait_for "the crash store's event to be marked delivered" marked_delivered
request DELETE "/admin/webhooks/$WEBHOOK_ID"
expect_status 200 "delete webhook"
request DELETE "/admin/webhooks/$WEBHOOK_ID"
expect_json_error 404 "delete a deleted webhook"
stop_server

# 2,000 stores down in one ingest: every event delivered once, at most 4 at a time.
start_receiver bulk --delay 0.01
start_server --db "$WORK/u.db" --webhook-concurrency 4
add_webhook "{\"url\":\"http://127.0.0.1:$RECEIVER_PORT/\",\"secret\":\"$SECRET\",\"events\":[\"store.down\"]}"
NOW=$(ago '1 minute')
seq 1 2000 | sed "s/.*/bulk-&,inactive,$NOW/" > "$WORK/bulk.csv"
request POST /ingest/status -H 'Content-Type: text/csv' --data-binary @<(printf 'store_id,status,timestamp_utc\n'; cat "$WORK/bulk.csv")
expect_status 200 "bulk ingest"
wait_lines bulk 2000
kill -TERM "${RECEIVER_PIDS[-1]}"
wait "${RECEIVER_PIDS[-1]}" || true  # it writes bulk.log.max_in_flight, then exits
python3 - "$WORK/bulk.log" "$(cat "$WORK/bulk.log.max_in_flight")" <<'PY' || fail "bulk receiver"
import json, sys
lines = [json.loads(line) for line in open(sys.argv[1])]
assert len(lines) == 2000 and len({l["event_id"] for l in lines}) == 2000, len(lines)
assert {l["type"] for l in lines} == {"store.down"} and all(l["signature_ok"] for l in lines)
most = int(sys.argv[2])
assert 1 < most <= 4, f"{most} requests at once"
print(f"webhooks: 2,000 delivered, at most {most} at once")
PY
request GET /metrics
grep -q '^uptime_monitor_webhook_outbox_depth 0$' <<< "$BODY" || fail "outbox not empty: $(grep outbox <<< "$BODY")"
stop_server
echo "webhooks: ok"
