#!/usr/bin/env bash
# Daily rollups (docs/rollups.md, issue 34) at ROLLUP_SIZES stores × days
# (default 1,400 × 400, 14,000 × 35 and 140,000 × 8; add 1000000:8 for a
# million stores): the first roll-up of an imported database (seconds, dates,
# bytes of database per date), the roll-up after a late poll for every store
# in the middle of the data, and the period of every settled date (at most
# 400) from polls alone (--no-rollups) and from rollups, both checked equal.
# Medians of RUNS; a table on stdout, and in BENCHMARKS.md as its section
# "Daily rollups".
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-build/uptime-monitor}
CACHE=${BENCH_CACHE:-/var/tmp/uptime-monitor-bench}
RUNS=${RUNS:-5}
ROLLUP_SIZES=${ROLLUP_SIZES:-"1400:400 14000:35 140000:8"}
mkdir -p "$CACHE"
source bench/common.sh

seconds() { awk -v s="$1" 'BEGIN { printf "%.2f s", s }'; }
db_bytes() { stat -c %s "$1"; }
# "median_seconds peak_rss_kb" of RUNS runs of the period report, ARGS added.
period_time() {
  : > "$WORK/runs"
  for _ in $(seq "$RUNS"); do
    timed "$BIN" report --db "$WORK/r.db" --from-date "$FROM" --to-date "$TO" "$@" --out /dev/null >> "$WORK/runs"
  done
  echo "$(cut -d' ' -f1 "$WORK/runs" | median) $(cut -d' ' -f2 "$WORK/runs" | sort -n | tail -1)"
}

{
echo "| stores × days | first roll-up | database per date | roll-up after a late poll per store | period of the settled dates: from polls | from rollups |"
echo "|---|---|---|---|---|---|"
for size in $ROLLUP_SIZES; do
  sized_data_set "$size"
  stores=$STORES days=$DAYS dir=$DIR
  db=$(database "rollups-$NAME" "$dir")
  cp "$db" "$WORK/r.db"
  rm -f "$WORK/r.db-wal" "$WORK/r.db-shm"
  echo "$stores stores × $days days: rolling up..." >&2
  before=$(db_bytes "$WORK/r.db")
  read -r first_s _ <<< "$(timed "$BIN" rollup --db "$WORK/r.db")"
  "$BIN" report --db "$WORK/r.db" --out /dev/null 2> "$WORK/as_of"
  dates=$(python3 - "$WORK/r.db" <<'PY'
import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM daily_rollups").fetchone()[0])
PY
)
  per_date=$(( ($(db_bytes "$WORK/r.db") - before) / dates ))
  # The period: every date before the latest poll's UTC date, at most 400.
  latest=$(sed -n 's/^report as of \([0-9-]*\)T.*/\1/p' "$WORK/as_of")
  span=$(( days - 1 < 400 ? days - 1 : 400 ))
  FROM=$(date -u -d "$latest - $span days" +%F)
  TO=$(date -u -d "$latest - 1 day" +%F)
  # A late poll per store, inactive, in the middle of the data: every store
  # is rolled up again from there.
  middle=$(date -u -d "$latest - $(( days / 2 )) days" '+%Y-%m-%d 12:34:56')
  mkdir -p "$WORK/late"
  { echo "store_id,status,timestamp_utc"
    awk -F, -v at="$middle" 'NR > 1 && !seen[$1]++ { print $1 ",inactive," at }' "$dir/store_status.csv"
  } > "$WORK/late/store_status.csv"
  "$BIN" import --db "$WORK/r.db" --data "$WORK/late" 2>/dev/null
  read -r late_s _ <<< "$(timed "$BIN" rollup --db "$WORK/r.db")"
  echo "$stores stores: periods $FROM to $TO..." >&2
  "$BIN" report --db "$WORK/r.db" --from-date "$FROM" --to-date "$TO" --no-rollups --out "$WORK/polls.csv" 2>/dev/null
  "$BIN" report --db "$WORK/r.db" --from-date "$FROM" --to-date "$TO" --out "$WORK/rollups.csv" 2>/dev/null
  cmp -s "$WORK/polls.csv" "$WORK/rollups.csv" || { echo "the period from rollups differs from polls" >&2; exit 1; }
  read -r polls_s polls_rss <<< "$(period_time --no-rollups)"
  read -r rollups_s rollups_rss <<< "$(period_time)"
  echo "| $stores × $days | $(seconds "$first_s") ($dates dates) | $per_date B | $(seconds "$late_s") | $(seconds "$polls_s"), $((polls_rss / 1024)) MB ($span date$([ "$span" = 1 ] || echo s)) | $(seconds "$rollups_s"), $((rollups_rss / 1024)) MB |"
done
} | tee "$WORK/rollups.md"
{ printf 'On %s cores; data sets from `generate --seed 1`, imported, then `uptime-monitor rollup` (what the server does in the background) timed: first over all the data, then after one late poll per store in the middle of its data (each store rolled up again from there). The period reports are `report --from-date --to-date` over every settled date (at most 400), medians of %s runs, from polls alone (`--no-rollups`) and from rollups; both gave the same bytes. The period from polls reads every poll of the period; from rollups, two rows per store.\n\n' "$(nproc)" "$RUNS"; cat "$WORK/rollups.md"; } > "$WORK/section.md"
python3 bench/benchmarks_section.py 'Daily rollups (`bench/rollups.sh`, `make bench-rollups`)' "$WORK/section.md"
