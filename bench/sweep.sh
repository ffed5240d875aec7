#!/usr/bin/env bash
# make sweep: the import (rows in random order) and the report with 1, 2, 4, …
# threads, up to the cores of this machine, at 14,000 and 140,000 stores × 8
# days: where the time goes as the data and the cores grow. Prints one
# markdown table (for bench/notes.md when run on a machine of many cores).
# Data sets are cached like bench/run.sh's. Medians of RUNS (default 3); the
# 140,000-store import runs LARGE_IMPORT_RUNS times (default 1, ~25 s each).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-build/uptime-monitor}
CACHE=${BENCH_CACHE:-/var/tmp/uptime-monitor-bench}
RUNS=${RUNS:-3}
LARGE_IMPORT_RUNS=${LARGE_IMPORT_RUNS:-1}
mkdir -p "$CACHE"
source bench/common.sh

THREADS=""
for threads in 1 2 4 8 16 32 64; do
  [ "$threads" -le "$(nproc)" ] && THREADS="$THREADS $threads"
done
MOST=${THREADS##* }

header="| stores | polls | import, random order | import peak RSS |"
rule="|---|---|---|---|"
for threads in $THREADS; do
  header="$header report, $threads thread$([ "$threads" = 1 ] || echo s) |"
  rule="$rule---|"
done
echo "$header report peak RSS, 1 / $MOST threads |"
echo "$rule---|"
for stores in 14000 140000; do
  name=scale-$stores
  [ "$stores" = 14000 ] && name=loop  # bench/run.sh's name for the same set
  dir=$(data_set "$name" "$stores" 8)
  polls=$(($(wc -l < "$dir/store_status.csv") - 1))
  runs=$RUNS
  [ "$stores" = 140000 ] && runs=$LARGE_IMPORT_RUNS
  echo "import of $stores stores in random order ($runs runs)..." >&2
  read -r import_s import_rss <<< "$(import_time "$stores" "$(shuffled "$name-random" "$dir")" "$runs")"
  db=$(database "$name" "$dir")
  "$BIN" report --db "$db" --out /dev/null 2>/dev/null  # warm-up: file cache
  row="| $stores | $polls | $import_s s ($(awk -v p="$polls" -v s="$import_s" 'BEGIN { printf "%.2f", p / s / 1e6 }') M/s) | $((import_rss / 1024)) MB |"
  for threads in $THREADS; do
    echo "report of $stores stores with $threads threads..." >&2
    : > "$WORK/report"
    for _ in $(seq "$RUNS"); do
      timed "$BIN" report --db "$db" --threads "$threads" --out /dev/null >> "$WORK/report"
    done
    row="$row $(cut -d' ' -f1 "$WORK/report" | median) s |"
    rss=$(($(cut -d' ' -f2 "$WORK/report" | sort -n | tail -1) / 1024))
    [ "$threads" = 1 ] && rss_one=$rss
  done
  echo "$row $rss_one MB / $rss MB |"
done
