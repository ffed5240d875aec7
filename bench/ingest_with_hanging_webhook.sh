#!/usr/bin/env bash
# Ingest latency with a webhook receiver that hangs (issue 21): 40 live
# ingests of 500 stores each, every one raising 500 alert events (the stores
# go down and up in turn), with no webhook, with one whose receiver answers
# at once, and with one whose receiver holds every request 30 s. Prints the
# median, 95th percentile and largest ingest time of each. Delivery runs
# apart from ingest: the last two match (the first writes no deliveries).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-build/uptime-monitor}
source bench/common.sh
SECRET=bench-secret-0123456789
RECEIVERS=()
trap 'kill -9 "${RECEIVERS[@]}" 2>/dev/null; cleanup' EXIT
# receiver NAME [--delay S]: a receiver on a free port, written to $WORK/NAME.port.
receiver() {
  local name=$1
  shift
  python3 tests/e2e/webhook_receiver.py "$SECRET" "$WORK/$name.log" "$WORK/$name.port" "$@" &
  RECEIVERS+=($!)
  disown  # killed at the end without a word from the shell
  for _ in $(seq 100); do [ -f "$WORK/$name.port" ] && break; sleep 0.05; done
}
receiver prompt
receiver hanging --delay 30

measure() {
  local label=$1 start
  start=$(date -u -d '45 minutes ago' +%s)
  : > "$WORK/$label.times"
  for round in $(seq 0 39); do
    local status=inactive
    [ $((round % 2)) = 1 ] && status=active
    local at
    at=$(date -u -d "@$((start + round * 60))" '+%Y-%m-%d %H:%M:%S')
    { echo "store_id,status,timestamp_utc"; seq 1 500 | sed "s/.*/s&,$status,$at/"; } > "$WORK/batch.csv"
    curl -s -o /dev/null -w '%{time_total}\n' -X POST "$BASE/ingest/status" \
      -H 'Content-Type: text/csv' --data-binary @"$WORK/batch.csv" >> "$WORK/$label.times"
  done
  sort -n "$WORK/$label.times" | awk -v label="$label" '{ t[NR] = $1 } END {
    printf "%-34s median %.1f ms, 95th %.1f ms, largest %.1f ms (%d ingests of 500 events)\n",
      label, t[int(NR / 2) + 1] * 1000, t[int(NR * 0.95)] * 1000, t[NR] * 1000, NR }'
}

# run LABEL [RECEIVER]: a fresh server, a webhook to RECEIVER if given, the ingests.
run() {
  start_server --db "$WORK/$RANDOM.db"
  if [ -n "${2:-}" ]; then
    curl -s -o /dev/null -X POST "$BASE/admin/webhooks" -H 'Content-Type: application/json' \
      --data-binary "{\"url\":\"http://127.0.0.1:$(cat "$WORK/$2.port")/\",\"secret\":\"$SECRET\"}"
  fi
  measure "$1"
  echo "  then $(curl -s "$BASE/metrics" | grep '^uptime_monitor_webhook_outbox_depth')"
  kill "$SERVER_PID"
  wait "$SERVER_PID" 2>/dev/null || true
}
run "no webhook:"
run "a receiver answering at once:" prompt
run "a receiver that hangs 30 s:" hanging
