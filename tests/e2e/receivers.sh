# Issue 30: a webhook receiver cannot take the server's memory or its
# senders (hostile_receiver.py). One that drips its answer a byte a second
# holds at most --webhook-receiver-concurrency senders, each attempt ends at
# its deadline, and another receiver gets its events meanwhile; an answer of
# 1.5 GB or of endless header fields costs the server no memory; https is
# verified; a URL with an empty port is refused; URLs are listed and logged
# redacted.
source "$(dirname "$0")/lib.sh" "$@"

SECRET=e2e-secret-0123456789
HOSTILE="$(dirname "$0")/hostile_receiver.py"
RECEIVER_PIDS=()
stop_receivers() {
  for pid in "${RECEIVER_PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  for pid in "${RECEIVER_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
# cleanup (lib.sh) takes the script's exit status from $?: kept through stop_receivers.
trap 'status=$?; stop_receivers; (exit $status); cleanup' EXIT

# start_receiver NAME SCRIPT ARGS...: sets RECEIVER_PORT; NAME's log is $WORK/NAME.log.
start_receiver() {
  local name=$1 script=$2
  shift 2
  python3 "$script" "$@" &
  RECEIVER_PIDS+=($!)
  wait_for "receiver $name to start" test -f "$WORK/$name.port"
  RECEIVER_PORT=$(cat "$WORK/$name.port")
  : >> "$WORK/$name.log"
}
add_webhook() {  # add_webhook URL: sets WEBHOOK_ID
  request POST /admin/webhooks -H 'Content-Type: application/json' \
    --data-binary "{\"url\": \"$1\", \"secret\": \"$SECRET\"}"
  expect_status 200 "webhook $1"
  WEBHOOK_ID=$(json_field id)
}
ago() { date -u -d "$1 ago" '+%Y-%m-%d %H:%M:%S'; }
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$SERVER_PID/status"; }
# deliveries WEBHOOK: "state status error" of each of its deliveries, one a line.
deliveries() {
  curl -s "$BASE/admin/alerts?limit=1000" | python3 -c '
import json, sys
for event in json.load(sys.stdin)["events"]:
    for d in event["deliveries"]:
        if d["webhook"] == int(sys.argv[1]):
            print(d["state"], d["last_status"], d["last_error"])' "$1"
}
# wait_delivery WEBHOOK PATTERN: until one of its deliveries matches.
wait_delivery() {
  delivery_like() { deliveries "$1" | grep -q -- "$2"; }
  wait_for "webhook $1 to have a delivery like '$2'" delivery_like "$1" "$2"
}

start_receiver drip "$HOSTILE" drip "$WORK/drip.log" "$WORK/drip.port"
DRIP=$RECEIVER_PORT
start_receiver main "$(dirname "$0")/webhook_receiver.py" "$SECRET" "$WORK/main.log" "$WORK/main.port"
MAIN=$RECEIVER_PORT
# A long deadline first: no attempt to the dripping receiver ends while the
# senders it holds are counted.
start_server --db "$WORK/u.db" --webhook-timeout 120

# A URL whose port is empty is refused; the listing and the log show
# receivers without their path and query, which often hold a secret.
request POST /admin/webhooks -H 'Content-Type: application/json' \
  --data-binary "{\"url\": \"http://127.0.0.1:/x\", \"secret\": \"$SECRET\"}"
expect_json_error 400 "a URL with an empty port"
grep -q "empty port" <<< "$BODY" || fail "empty port not named: $BODY"
add_webhook "http://127.0.0.1:$DRIP/hooks/path-secret-1?token=query-secret-2"
DRIP_HOOK=$WEBHOOK_ID
add_webhook "http://127.0.0.1:$MAIN/main"
MAIN_HOOK=$WEBHOOK_ID
request GET /admin/webhooks
grep -q "\"url\":\"http://127.0.0.1:$DRIP/…\"" <<< "$BODY" || fail "webhook not listed redacted: $BODY"

# Ten stores go down at once: both webhooks want every event.
rows="store_id,status,timestamp_utc"
for n in $(seq 1 10); do rows+=$'\n'"store-$n,inactive,$(ago '1 minute')"; done
request POST /ingest/status -H 'Content-Type: text/csv' --data-binary "$rows"
expect_status 200 "ten stores down"

# The main receiver gets all ten while the dripping one holds its senders.
main_got_ten() { [ "$(wc -l < "$WORK/main.log")" -ge 10 ]; }
wait_for "the main receiver to get all ten behind a dripping one" main_got_ten
# It never held more than its share of the senders.
[ "$(cat "$WORK/drip.log.max_in_flight")" -le 4 ] || fail "the dripping receiver held $(cat "$WORK/drip.log.max_in_flight") senders"
# With a short deadline, each attempt to it ends there, whatever it sends.
stop_server
start_server --db "$WORK/u.db" --webhook-timeout 2
wait_delivery "$DRIP_HOOK" "no answer within the deadline"
request DELETE "/admin/webhooks/$DRIP_HOOK"
expect_status 200 "delete the dripping webhook"

# 1.5 GB of answer, and header fields without end: the status is enough,
# and the server's memory stays where it was.
start_receiver huge "$HOSTILE" huge "$WORK/huge.log" "$WORK/huge.port"
HUGE=$RECEIVER_PORT
start_receiver headers "$HOSTILE" headers "$WORK/headers.log" "$WORK/headers.port"
HEADERS_PORT=$RECEIVER_PORT
add_webhook "http://127.0.0.1:$HUGE/huge"
HUGE_HOOK=$WEBHOOK_ID
add_webhook "http://127.0.0.1:$HEADERS_PORT/headers"
HEADERS_HOOK=$WEBHOOK_ID
RSS_BEFORE=$(rss_kb)
request POST /ingest/status -H 'Content-Type: text/csv' --data-binary \
  "store_id,status,timestamp_utc"$'\n'"store-1,active,$(ago '30 seconds')"
expect_status 200 "a store recovers"
wait_delivery "$HUGE_HOOK" "delivered 200"
wait_delivery "$HEADERS_HOOK" "longer than 16 KiB"
RSS_AFTER=$(rss_kb)
[ $((RSS_AFTER - RSS_BEFORE)) -lt 65536 ] || fail "memory grew by $((RSS_AFTER - RSS_BEFORE)) KB for hostile answers"
request DELETE "/admin/webhooks/$HUGE_HOOK"
request DELETE "/admin/webhooks/$HEADERS_HOOK"

# https: a certificate nobody vouches for is refused; one the server is told
# to trust (SSL_CERT_FILE) is accepted, and the pending delivery goes out.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" \
  -addext "subjectAltName=IP:127.0.0.1" -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2> /dev/null \
  || fail "openssl could not make a certificate"
start_receiver tls "$HOSTILE" tls "$WORK/tls.log" "$WORK/tls.port" "$WORK/cert.pem" "$WORK/key.pem"
add_webhook "https://127.0.0.1:$RECEIVER_PORT/tls"
TLS_HOOK=$WEBHOOK_ID
request POST /ingest/status -H 'Content-Type: text/csv' --data-binary \
  "store_id,status,timestamp_utc"$'\n'"store-2,active,$(ago '20 seconds')"
wait_delivery "$TLS_HOOK" "certificate not trusted"
stop_server
# Exported: where the caller's environment had no SSL_CERT_FILE (a fresh
# machine), a plain assignment never reached the server. A long deadline
# first: no attempt to the dripping receiver ends while the senders it holds
# are counted.
export SSL_CERT_FILE="$WORK/cert.pem"
start_server --db "$WORK/u.db" --webhook-timeout 120
wait_delivery "$TLS_HOOK" "delivered 200"
stop_server
for secret in path-secret-1 query-secret-2; do
  if grep -q "$secret" "$WORK/server.err"; then fail "the log shows a webhook URL's $secret"; fi
done
echo "receivers: ok"
