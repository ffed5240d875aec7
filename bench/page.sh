#!/usr/bin/env bash
# The page in headless Chromium (issue 33) at PAGE_SIZES stores (default
# 14,000 and 140,000 × 8 days; add 1000000:1): from navigation to the status
# line and to the first table painted, the bytes transferred before it, a
# filter keystroke and a page change to paint, on a desktop viewport; and an
# owner's link to its store view on a throttled phone (4× CPU, 9 Mbit/s,
# 150 ms). Each server is first made live by a batch of polls with 3 %
# inactive (so the home has open incidents). Medians of RUNS; a table on
# stdout and in BENCHMARKS.md as its section "The page" (in place of the one
# there). Needs chromium and build/browser/node_modules (`make test-deps`).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-build/uptime-monitor}
CACHE=${BENCH_CACHE:-/var/tmp/uptime-monitor-bench}
RUNS=${RUNS:-5}
PAGE_SIZES=${PAGE_SIZES:-"14000 140000"}
MODULES=$(realpath "${MODULES:-build/browser/node_modules}")
mkdir -p "$CACHE"
source bench/common.sh
# Databases are kept per schema (the newest migration), not per binary: the
# page is measured, not the import.
SCHEMA=$(ls sql/[0-9]*.sql | tail -1 | sed 's|sql/0*\([0-9]*\)_.*|\1|')

{
echo "| stores × days | status line | first table | transferred before it | filter keystroke → paint | next page → paint | owner's store, throttled phone |"
echo "|---|---|---|---|---|---|---|"
for size in $PAGE_SIZES; do
  sized_data_set "$size"
  stores=$STORES days=$DAYS name=$NAME dir=$DIR
  db="$CACHE/page-$name-schema$SCHEMA.db"
  if [ ! -f "$db.done" ]; then
    echo "importing $name..." >&2
    rm -f "$db" "$db-wal" "$db-shm"
    "$BIN" import --db "$db" --data "$dir" 2> /dev/null
    touch "$db.done"
  fi
  cp "$db" "$WORK/p.db"
  echo "$stores stores: serving..." >&2
  start_server --db "$WORK/p.db" --standard-report-every 0
  # One poll per store a minute ago, every 33rd inactive: live, with incidents.
  when=$(date -u -d '1 minute ago' '+%Y-%m-%d %H:%M:%S')
  awk -F, -v when="$when" 'BEGIN { print "store_id,status,timestamp_utc" }
    NR > 1 && !seen[$1]++ { print $1 "," (++n % 33 == 0 ? "inactive" : "active") "," when }' \
    "$dir/store_status.csv" > "$WORK/batch.csv"
  curl -s -o /dev/null -H 'Content-Type: text/csv' --data-binary @"$WORK/batch.csv" "$BASE/ingest/status"
  id=$(curl -s -X POST "$BASE/trigger_report" | sed 's/.*"report_id":"\([^"]*\)".*/\1/')
  wait_report "$id"
  until curl -s "$BASE/fleet" | grep -q "\"report_id\":\"$id\""; do sleep 0.2; done
  row=$(node bench/page_bench.cjs "$BASE" "$MODULES" "$RUNS")
  echo "| $stores × $days | $row |"
  kill "$SERVER_PID"; wait "$SERVER_PID" || true; SERVER_PID=""
done
} | tee "$WORK/page.md"
# BENCHMARKS.md: this section replaced (or added before the load section).
{ printf 'Debian'\''s chromium, headless, on %s cores shared with the server; medians of %s cold loads (a new browser context each). Desktop viewport 1366×900: from navigation to the status line and to the first table of stores painted (in-page `performance.now()` at the next frame), the bytes transferred until then (the page and its API answers), a filter keystroke and a next-page click to the table painted again. The owner'\''s link (`/#token=…`, one store) on a 390×844 phone with 4× CPU slowdown, 9 Mbit/s and 150 ms latency, to the store'\''s headline painted. The server is made live first by one poll per store, 3 %% inactive.\n\n' "$(nproc)" "$RUNS"; cat "$WORK/page.md"; } > "$WORK/section.md"
python3 bench/benchmarks_section.py 'The page (`bench/page.sh`, `make bench-page`)' "$WORK/section.md"
