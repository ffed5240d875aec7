# Two servers on one PostgreSQL database (docs/postgresql.md, "Several
# servers"): the first imports the demo data at its first start; polls
# ingested through either reach the other's live state (/stores/{id}, /fleet)
# and its store page; a webhook registered on one delivers what either
# raises; backups are refused (409: pg_dump's); exactly one holds the
# workers' lease (the alerts' clock, webhook delivery, the standard reports),
# and when it is killed (-9) during an outage the other takes the lease over
# and delivers the store.down raised through it: at least once, none lost.
# Then a report triggered on one server, its own workers held, is computed by
# another server's helper and is SQLite's, byte for byte. Needs the tests'
# cluster: its URL in $UPTIME_TEST_POSTGRESQL (a file), set by CTest.
source "$(dirname "$0")/../e2e/lib.sh" "$@"
source "$(dirname "$0")/database.sh"
fresh_database two_servers

SECRET=servers-secret-0123456789
RECEIVER="$(dirname "$0")/../e2e/webhook_receiver.py"
declare -A PID BASE_OF
RECEIVER_PID=""
stop_all() {
  for pid in "${PID[@]}" $RECEIVER_PID; do kill -9 "$pid" 2> /dev/null || true; done
  for pid in "${PID[@]}" $RECEIVER_PID; do wait "$pid" 2> /dev/null || true; done
}
trap 'status=$?; stop_all; psql "$base" -qc "DROP DATABASE IF EXISTS $DATABASE_NAME WITH (FORCE)" > /dev/null 2>&1; (exit $status); cleanup' EXIT

# serve NAME ARGS...: a server on a free port logging to $WORK/NAME.err;
# sets PID[NAME] and BASE_OF[NAME].
serve() {
  local name=$1
  shift
  "$BIN" serve --port 0 --standard-report-every 0 --db "$url" "$@" \
    > "$WORK/$name.out" 2> "$WORK/$name.err" &
  PID[$name]=$!
  listens() {
    local port
    port=$(sed -n 's|^listening on http://127.0.0.1:\([0-9]*\)/$|\1|p' "$WORK/$1.out")
    [ -n "$port" ] && BASE_OF[$1]="http://127.0.0.1:$port" && return 0
    kill -0 "${PID[$1]}" 2> /dev/null || fail "server $1 exited at start: $(cat "$WORK/$1.err")"
    return 1
  }
  wait_for "server $name to listen" listens "$name"
}
# on NAME METHOD PATH [curl args...]: request() against server NAME.
on() {
  BASE=${BASE_OF[$1]}
  shift
  request "$@"
}
ingest() {
  on "$1" POST /ingest/status -H 'Content-Type: text/csv' \
    --data-binary "store_id,status,timestamp_utc"$'\n'"$2"
  expect_status 200 "ingest $2 on $1"
}
ago() { date -u -d "$1 ago" '+%Y-%m-%d %H:%M:%S'; }
# live_state NAME STORE: sets STATE, the store's state now as server NAME
# sees it ("none" before its live state knows the store). Not in $(...):
# request() counts the answers it keeps.
live_state() {
  on "$1" GET "/stores/$2"
  [ "$STATUS" = 200 ] || { STATE="HTTP $STATUS"; return; }
  STATE=$(printf '%s' "$BODY" |
    python3 -c 'import json,sys; print(json.load(sys.stdin).get("live", {}).get("state", "none"))')
}
# holder: the server whose log says it runs the workers now.
holder() {
  local name
  for name in "${!PID[@]}"; do
    [ "$(grep -c "this server runs the alerts' clock" "$WORK/$name.err")" -gt \
      "$(grep -c "lease lost" "$WORK/$name.err")" ] && echo "$name"
  done
}
# received STORE: the receiver got STORE's store.down.
received() {
  python3 - "$WORK/hooks.log" "$1" <<'PY'
import json, sys
lines = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
sys.exit(0 if any(l["store_id"] == sys.argv[2] and l["type"] == "store.down" for l in lines) else 1)
PY
}

python3 "$RECEIVER" "$SECRET" "$WORK/hooks.log" "$WORK/hooks.port" &
RECEIVER_PID=$!
wait_for "the receiver to start" test -f "$WORK/hooks.port"
: >> "$WORK/hooks.log"

serve one --data "$FIXTURES/demo"
serve two
grep -q "importing" "$WORK/two.err" && fail "the second server imported the data again"
on two GET /healthz
expect_status 200 "health on two"
[ "$(json_field polls)" = 15528 ] || fail "two sees $(json_field polls) polls: $BODY"
on two POST /admin/backup
expect_json_error 409 "a backup of PostgreSQL"
grep -q "pg_dump" <<< "$BODY" || fail "the backup's refusal: $BODY"

# One lease holder, whichever started first.
wait_for "one server to hold the lease" test -n "$(holder)"
[ "$(holder | wc -l)" = 1 ] || fail "more than one lease holder: $(holder)"
HOLDER=$(holder)
OTHER=$([ "$HOLDER" = one ] && echo two || echo one)

on two POST /admin/webhooks -H 'Content-Type: application/json' \
  --data-binary "{\"url\":\"http://127.0.0.1:$(cat "$WORK/hooks.port")/\",\"secret\":\"$SECRET\"}"
expect_status 200 "webhook on two"

# A 24x7 store (no hours) heard through one: up on two within moments.
ingest one "solo,active,$(ago '3 minutes')"
started=$SECONDS
up_on_two() { live_state two solo && [ "$STATE" = up ]; }
wait_for "two to see solo up" up_on_two
echo "two saw one's ingest after $((SECONDS - started)) s (at most ~1 s expected)"
# ... and down on one after an ingest through two; the event delivered.
ingest two "solo,inactive,$(ago '1 minute')"
down_on_one() { live_state one solo && [ "$STATE" = down ]; }
wait_for "one to see solo down" down_on_one
wait_for "solo's store.down delivered" received solo
on one GET /fleet
expect_status 200 "fleet on one"
on one GET /incidents
expect_status 200 "incidents on one"
grep -q '"store_id":"solo"' <<< "$BODY" || fail "one's incidents lack solo: $BODY"

# The lease holder killed during an outage: the other takes over and
# delivers the store.down raised through it.
kill -9 "${PID[$HOLDER]}"
wait "${PID[$HOLDER]}" 2> /dev/null || true
unset "PID[$HOLDER]"
ingest "$OTHER" "outage,inactive,$(ago '1 minute')"
wait_for "$OTHER to take the lease over" test "$(holder)" = "$OTHER"
wait_for "outage's store.down delivered by $OTHER" received outage
live_state "$OTHER" outage
[ "$STATE" = down ] || fail "outage is $STATE on $OTHER"
python3 - "$WORK/hooks.log" <<'PY' || fail "deliveries: $(cat "$WORK/hooks.log")"
import json, sys
lines = [json.loads(line) for line in open(sys.argv[1])]
assert all(l["signature_ok"] for l in lines), lines
assert {(l["store_id"], l["type"]) for l in lines} == {("solo", "store.down"), ("outage", "store.down")}, lines
PY

# A report triggered on one, its parts held from one's own workers: two's
# helper computes them, and the report is the one SQLite's `report` gives.
one_pid=${PID[$OTHER]}
kill -TERM "$one_pid"
wait "$one_pid" || fail "$OTHER exited with $? after SIGTERM"
unset "PID[$OTHER]"
: > "$WORK/hold"
UPTIME_TEST_HOLD_REPORT_PARTS=$WORK/hold serve held
serve helper
AS_OF=2023-01-25T18:00:00Z
on held POST "/trigger_report?as_of=$AS_OF"
expect_status 200 "trigger on held"
REPORT_ID=$(json_field report_id)
# 102 stores: the demo's 100, and solo and outage, read with no data before AS_OF.
helped() { grep -q "reports: computed 102 stores of another server's report" "$WORK/helper.err"; }
wait_for "the helper to compute the report's stores" helped
rm "$WORK/hold"
BASE=${BASE_OF[held]}
wait_report "$REPORT_ID"
on held GET "/get_report/$REPORT_ID?format=csv"
expect_status 200 "the report's CSV"
printf '%s\n' "$BODY" > "$WORK/shared.csv"
"$BIN" import --db "$WORK/lite.db" --data "$FIXTURES/demo" 2> /dev/null || fail "import into SQLite"
"$BIN" report --db "$WORK/lite.db" --as-of "$AS_OF" --out "$WORK/lite.csv" 2> /dev/null || fail "report on SQLite"
cmp -s "$WORK/shared.csv" "$WORK/lite.csv" ||
  fail "the shared report differs from SQLite's: $(diff "$WORK/shared.csv" "$WORK/lite.csv" | head -5)"
echo "postgresql servers: ok"
