#!/usr/bin/env bash
# make load: for LOAD_SECONDS (default 60), all at once on loopback: wrk on
# GET /get_report/<id>, GET /healthz, POST /ingest/status (new polls) and
# POST /trigger_report. Reports requests/s, p99 latency, errors, the
# server's RSS (peak and at the end) and the write-ahead log's size (largest
# seen, sampled each second, and at the end); checks that every poll acknowledged is stored and that
# nothing failed but by design (429 when the report queue is full). Writes the
# table into BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-build/uptime-monitor}
SECONDS_LOAD=${LOAD_SECONDS:-60}
source bench/common.sh

"$BIN" generate --stores 2000 --days 8 --seed 2 --out "$WORK/data" 2>/dev/null
# --keep-reports 0: the report downloaded all along is the oldest of ~1,500.
start_server --db "$WORK/u.db" --data "$WORK/data" --queue 4 --keep-reports 0
polls() { curl -s "$BASE/healthz" | sed 's/.*"polls":\([0-9]*\).*/\1/'; }
POLLS_BEFORE=$(polls)
ID=$(curl -s -X POST "$BASE/trigger_report" | sed 's/.*"report_id":"\([^"]*\)".*/\1/')
wait_report "$ID"

echo "load: $SECONDS_LOAD s against $BASE ..." >&2
D="${SECONDS_LOAD}s"
wrk -t1 -c8 -d"$D" --latency "$BASE/get_report/$ID" > "$WORK/get_report" &
wrk -t1 -c4 -d"$D" --latency "$BASE/healthz" > "$WORK/healthz" &
wrk -t2 -c4 -d"$D" --latency -s bench/load/ingest.lua "$BASE/ingest/status" > "$WORK/ingest" &
wrk -t1 -c2 -d"$D" --latency -s bench/load/trigger.lua "$BASE/trigger_report" > "$WORK/trigger" &
WRKS=$(jobs -p | tail -4)
wal_bytes() { stat -c %s "$WORK/u.db-wal" 2>/dev/null || echo 0; }
WAL_MAX=0
while kill -0 $WRKS 2>/dev/null; do
  w=$(wal_bytes); [ "$w" -gt "$WAL_MAX" ] && WAL_MAX=$w
  sleep 1
done
wait $WRKS 2>/dev/null || true
sleep 1
POLLS_AFTER=$(polls)
RSS_KB=$(awk '/VmHWM/ {print $2}' "/proc/$SERVER_PID/status")
RSS_END_KB=$(awk '/VmRSS/ {print $2}' "/proc/$SERVER_PID/status")
WAL_END=$(wal_bytes)
DB_BYTES=$(stat -c %s "$WORK/u.db")
kill "$SERVER_PID"; wait "$SERVER_PID" || true; SERVER_PID=""

rps() { awk '/Requests\/sec/ {printf "%.0f", $2}' "$1"; }
p99() { awk '$1 == "99%" {print $2}' "$1"; }
errors() {  # non-2xx answers and socket errors wrk counted
  local non2xx socket
  non2xx=$(awk '/Non-2xx/ {print $NF}' "$1"); socket=$(awk -F'[ ,]+' '/Socket errors/ {print $4+$6+$8+$10}' "$1")
  echo "$(( ${non2xx:-0} + ${socket:-0} ))"
}
INGEST_OK=$(awk '/^INGEST_OK/ {print $2}' "$WORK/ingest")
INGEST_OTHER=$(awk '/^INGEST_OTHER/ {print $2}' "$WORK/ingest")
TRIGGER_OK=$(awk '/^TRIGGER_OK/ {print $2}' "$WORK/trigger")
TRIGGER_429=$(awk '/^TRIGGER_429/ {print $2}' "$WORK/trigger")
TRIGGER_OTHER=$(awk '/^TRIGGER_OTHER/ {print $2}' "$WORK/trigger")
ACKED=$((INGEST_OK * 10))
SENT=$(($(awk '/^INGEST_SENT/ {print $2}' "$WORK/ingest") * 10))
STORED=$((POLLS_AFTER - POLLS_BEFORE))

{
  echo "## Load (\`make load\`)"
  echo
  echo "$(date -u +%Y-%m-%d), $(nproc) cores, $SECONDS_LOAD s, all four at once against one server (2,000 stores, 8 days of polls), loopback, wrk."
  echo
  echo "| traffic | requests/s | p99 latency | errors |"
  echo "|---|---|---|---|"
  echo "| GET /get_report/<id> (CSV of 2,000 rows), 8 connections | $(rps "$WORK/get_report") | $(p99 "$WORK/get_report") | $(errors "$WORK/get_report") |"
  echo "| GET /healthz, 4 connections | $(rps "$WORK/healthz") | $(p99 "$WORK/healthz") | $(errors "$WORK/healthz") |"
  echo "| POST /ingest/status (10 new polls each), 4 connections | $(rps "$WORK/ingest") | $(p99 "$WORK/ingest") | $INGEST_OTHER |"
  echo "| POST /trigger_report, 2 connections | $(rps "$WORK/trigger") | $(p99 "$WORK/trigger") | $TRIGGER_OTHER (and $TRIGGER_429 × 429 by design, $TRIGGER_OK accepted) |"
  echo
  echo "Polls sent: $SENT, acknowledged (200): $ACKED, stored: $STORED — requests still in flight when"
  echo "wrk stopped may land unacknowledged. Server RSS: peak $((RSS_KB / 1024)) MB, $((RSS_END_KB / 1024)) MB"
  echo "after the run. Write-ahead log: at most $((WAL_MAX / 1048576)) MB during the run (sampled each"
  echo "second), $((WAL_END / 1048576)) MB after it, beside a $((DB_BYTES / 1048576)) MB database."
} > "$WORK/load.md"
cat "$WORK/load.md"

# Keep BENCHMARKS.md's other sections; replace the load section.
if [ -f BENCHMARKS.md ]; then
  awk '/^## Load/ {skip=1; next} /^## / {skip=0} !skip' BENCHMARKS.md > "$WORK/bench.md"
  # Trailing blank lines of the rest go, so that runs do not pile them up.
  { sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' "$WORK/bench.md"; echo; cat "$WORK/load.md"; } > BENCHMARKS.md
else
  cp "$WORK/load.md" BENCHMARKS.md
fi

status=0
# Nothing lost (every acknowledged poll is stored), nothing invented.
[ "$ACKED" -le "$STORED" ] && [ "$STORED" -le "$SENT" ] ||
  { echo "polls: $ACKED acknowledged, $STORED stored, $SENT sent" >&2; status=1; }
# The write-ahead log stays bounded (checkpointed past 64 MiB; some growth
# between checks is expected).
[ "$WAL_MAX" -le $((256 << 20)) ] || { echo "write-ahead log grew to $WAL_MAX bytes" >&2; status=1; }
for f in get_report healthz; do
  [ "$(errors "$WORK/$f")" = 0 ] || { echo "errors on $f" >&2; status=1; }
done
[ "${INGEST_OTHER:-1}" = 0 ] || { echo "ingest requests failed" >&2; status=1; }
[ "${TRIGGER_OTHER:-1}" = 0 ] || { echo "trigger requests failed (other than 429)" >&2; status=1; }
exit $status
