#!/usr/bin/env bash
# The fleet now (issue 32, docs/rules.md §10) at FLEET_SIZES stores × 8 days
# (default 14,000 and 140,000; `make bench-scale` adds 1,000,000): start-up
# to serving (the live state read from the polls), an hourly batch of live
# polls for every store POSTed twice (all active, then 3 % inactive: alerts
# and incidents), GET /fleet, a sorted and filtered page of 100 stores, the
# first page of /incidents, and the server's RSS. Medians of RUNS; a table on
# stdout, and in BENCHMARKS.md as its section "The fleet now" (in place of the
# one there). BIN=<an older binary> ONLY_INGEST=1 measures the ingest alone,
# to compare, and writes nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-build/uptime-monitor}
CACHE=${BENCH_CACHE:-/var/tmp/uptime-monitor-bench}
RUNS=${RUNS:-7}
# Each size is STORES or STORES:DAYS (days of polls per store, 8 unless
# given; 1000000:1 sets up a million stores in minutes).
FLEET_SIZES=${FLEET_SIZES:-"14000 140000"}
ONLY_INGEST=${ONLY_INGEST:-0}
mkdir -p "$CACHE"
source bench/common.sh

# latency PATH: the median seconds of RUNS GETs (after one to warm up), and
# the bytes of the answer.
latency() {
  curl -s -o /dev/null "$BASE$1"
  for _ in $(seq "$RUNS"); do curl -s -o /dev/null -w '%{time_total}\n' "$BASE$1"; done | median
}
bytes() { curl -s "$BASE$1" | wc -c; }
ms() { awk -v s="$1" 'BEGIN { printf "%.1f ms", s * 1000 }'; }

# batch FILE AGO STATUS_EVERY DATA: one poll per store of DATA, AGO ago
# ('3 minutes'); every Nth inactive (0: none).
batch() {
  local when
  when=$(date -u -d "$2 ago" '+%Y-%m-%d %H:%M:%S')
  { echo "store_id,status,timestamp_utc"
    awk -F, -v when="$when" -v every="$3" 'NR > 1 && !seen[$1]++ {
      print $1 "," ((every > 0 && ++n % every == 0) ? "inactive" : "active") "," when }' "$4"
  } > "$1"
}

{
echo "| stores × days | start-up to serving | ingest of an hourly batch: first / 3 % down / back up (polls/s) | GET /fleet | page of 100, sorted and filtered | GET /incidents | server RSS |"
echo "|---|---|---|---|---|---|---|"
for size in $FLEET_SIZES; do
  sized_data_set "$size"
  stores=$STORES days=$DAYS name=$NAME dir=$DIR
  # One database per binary: an older one cannot open a newer schema.
  db=$(database "fleet-$name-$(realpath "$BIN" | md5sum | cut -c1-8)" "$dir")
  cp "$db" "$WORK/f.db"
  echo "$stores stores: serving..." >&2
  start=$(date +%s.%N)
  # (An older binary, ONLY_INGEST=1, knows no --standard-report-every.)
  if [ "$ONLY_INGEST" = 1 ]; then
    start_server --db "$WORK/f.db"
  else
    start_server --db "$WORK/f.db" --standard-report-every 0
  fi
  started=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f s", b - a }')
  live=$(sed -n 's/.*live state of the stores read in \([0-9.]*\) s.*/\1/p' "$WORK/serve.err")
  # Three batches a minute apart: the first takes the fleet from the old
  # data to live; the second has 3 % inactive, the third brings them back.
  batch "$WORK/first.csv" '3 minutes' 0 "$dir/store_status.csv"
  batch "$WORK/down.csv" '2 minutes' 33 "$dir/store_status.csv"
  batch "$WORK/up.csv" '1 minute' 0 "$dir/store_status.csv"
  polls=$(($(wc -l < "$WORK/up.csv") - 1))
  ingest_s=()
  for file in first down up; do
    t=$(curl -s -o /dev/null -w '%{time_total}' -H 'Content-Type: text/csv' \
      --data-binary @"$WORK/$file.csv" "$BASE/ingest/status")
    ingest_s+=("$t")
  done
  rate=$(awk -v n="$polls" -v a="${ingest_s[0]}" -v b="${ingest_s[1]}" -v c="${ingest_s[2]}" \
    'BEGIN { printf "%.0f / %.0f / %.0f", n / a, n / b, n / c }')
  if [ "$ONLY_INGEST" = 1 ]; then
    echo "| $stores × $days | $started | $rate | | | | |"
    kill "$SERVER_PID"; wait "$SERVER_PID" || true; SERVER_PID=""
    continue
  fi
  id=$(curl -s -X POST "$BASE/trigger_report" | sed 's/.*"report_id":"\([^"]*\)".*/\1/')
  wait_report "$id"
  until curl -s "$BASE/fleet" | grep -q "\"report_id\":\"$id\""; do sleep 0.2; done
  fleet=$(latency /fleet)
  page="/stores?sort=uptime_percent&order=asc&q=7&state=up&limit=100"
  page_s=$(latency "$page")
  page_b=$(bytes "$page")
  since_s=$(latency "/stores?sort=since&order=desc&limit=100")
  incidents=$(latency "/incidents?limit=100")
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$SERVER_PID/status")
  echo "| $stores × $days | $started (live state ${live} s) | $rate | $(ms "$fleet") | $(ms "$page_s"), $((page_b / 1024)) KB (by since, unfiltered: $(ms "$since_s")) | $(ms "$incidents") | $((rss / 1024)) MB |"
  kill "$SERVER_PID"; wait "$SERVER_PID" || true; SERVER_PID=""
done
} | tee "$WORK/fleet.md"
[ "$ONLY_INGEST" = 1 ] && exit 0
# BENCHMARKS.md: this section replaced (or added before the load section).
{ printf 'On %s cores, medians of %s requests; data sets from `generate --seed 1` (stores × days of polls). Start-up is launch to listening, the live state'\''s part in brackets; an hourly batch is one poll per store, posted as CSV; three a minute apart: all active (the fleet goes from the 2023 data'\''s '\''not live'\'' to live: every store'\''s opening window is read), 3 %% inactive (alerts, incidents), all active again (recoveries). The page is `sort=uptime_percent&q=7&state=up`; RSS after all of it.\n\n' "$(nproc)" "$RUNS"; cat "$WORK/fleet.md"; } > "$WORK/section.md"
python3 bench/benchmarks_section.py 'The fleet now (`bench/fleet.sh`, `make bench-fleet`)' "$WORK/section.md"
