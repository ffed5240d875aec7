#!/usr/bin/env bash
# make bench (its last part), or make bench-postgresql: issue 35's figures on
# PostgreSQL beside SQLite's, at PG_SIZES stores × 8 days (default 14,000 and
# 140,000; the data sets of bench/scale.sh, polls in random order): the
# import (polls/s, the command's peak RSS) into a new database of each
# engine, and the standard report on the command line, each the median of
# RUNS (one import alone of 14,000 stores took 4.2 to 5.6 s). The
# PostgreSQL server is a throwaway cluster on this machine
# (tests/postgresql/cluster.sh: fsync off, defaults otherwise), so its CPU
# shares the cores with the command. Then on PostgreSQL: the daily rollups
# (`rollup` of every date, once) and a period of the data's whole dates from
# them and from polls (`report --no-rollups`), and the standard report with
# another server's help. Writes the section "PostgreSQL" of BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-build/uptime-monitor}
CACHE=${BENCH_CACHE:-/var/tmp/uptime-monitor-bench}
RUNS=${RUNS:-3}
PG_SIZES=${PG_SIZES:-"14000 140000"}
mkdir -p "$CACHE"
source bench/common.sh
export PGOPTIONS="-c client_min_messages=warning"  # no notices from DROP DATABASE IF EXISTS

# shared_buffers as a PostgreSQL server is set up (a quarter of the memory, at
# most what the data needs): with the default 128 MB, every report reads the
# polls from the kernel's page cache, which this machine's memory reclaimer
# empties within minutes (the 14,000-store report took 1.1 to 1.9 s instead
# of 0.8).
PG_SERVER_OPTIONS="-c shared_buffers=4GB" tests/postgresql/cluster.sh start "$WORK/pg"
trap 'tests/postgresql/cluster.sh stop "$WORK/pg"; cleanup' EXIT
base=$(cat "$WORK/pg/url")

# imports ENGINE DB DIR: "median_seconds peak_rss_kb" of RUNS imports of DIR,
# each into a new database DB (a file, or on PostgreSQL bench_$stores); the
# last one stays.
imports() {
  : > "$WORK/imports"
  for _ in $(seq "$RUNS"); do
    if [ "$1" = PostgreSQL ]; then
      psql "$base" -qc "DROP DATABASE IF EXISTS bench_$stores" -c "CREATE DATABASE bench_$stores" > /dev/null
    else
      rm -f "$2"*
    fi
    timed "$BIN" import --db "$2" --data "$3" >> "$WORK/imports"
  done
  echo "$(cut -d' ' -f1 "$WORK/imports" | median) $(cut -d' ' -f2 "$WORK/imports" | sort -n | tail -1)"
}

# reports DB: "median_seconds peak_rss_kb" of RUNS standard reports.
reports() {
  "$BIN" report --db "$1" --out /dev/null 2> /dev/null  # warm-up: caches
  : > "$WORK/reports"
  for _ in $(seq "$RUNS"); do timed "$BIN" report --db "$1" --out /dev/null >> "$WORK/reports"; done
  echo "$(cut -d' ' -f1 "$WORK/reports" | median) $(cut -d' ' -f2 "$WORK/reports" | sort -n | tail -1)"
}

{
echo "| stores | polls | engine | import, random order | polls/s | standard report, CLI |"
echo "|---|---|---|---|---|---|"
for stores in $PG_SIZES; do
  dir=$(scale_data "$stores")
  random=$(shuffled "$(basename "$dir")-random" "$dir")
  polls=$(($(wc -l < "$random/store_status.csv") - 1))
  url=${base/\/uptime\?/\/bench_$stores\?}
  for engine in PostgreSQL SQLite; do
    db=$url
    [ "$engine" = SQLite ] && db=$WORK/s-$stores.db
    echo "$stores stores: $engine import and report..." >&2
    read -r import_s import_rss <<< "$(imports "$engine" "$db" "$random")"
    # What autovacuum does by itself within minutes of a large import; before
    # it, a store's newest poll before the week is read from the table, not
    # from the index alone (140,000 stores: 7.1 s instead of 5.6).
    if [ "$engine" = PostgreSQL ]; then psql "$db" -qc "VACUUM ANALYZE"; fi
    read -r report_s report_rss <<< "$(reports "$db")"
    awk -v s="$stores" -v p="$polls" -v e="$engine" -v is="$import_s" -v ir="$import_rss" \
      -v rs="$report_s" -v rr="$report_rss" 'BEGIN {
      printf "| %d | %d | %s | %.1f s, %d MB | %.2f M | %.2f s, %d MB |\n",
        s, p, e, is, ir / 1024, p / is / 1e6, rs, rr / 1024 }'
  done
  # The daily rollups of every date, then a period of the whole dates but
  # the last (the data ends at midnight UTC: its last local date is not
  # settled anywhere west of UTC) from them and from polls.
  rolled=$(timed "$BIN" rollup --db "$url" | cut -d' ' -f1)
  last=$(date -u -d "$(date -u +%F) - 2 days" +%F)
  first=$(date -u -d "$last - 6 days" +%F)
  period() {
    "$BIN" report --db "$url" --from-date "$first" --to-date "$last" "$@" --out /dev/null 2> /dev/null
    for _ in $(seq "$RUNS"); do
      timed "$BIN" report --db "$url" --from-date "$first" --to-date "$last" "$@" --out /dev/null
    done | cut -d' ' -f1 | median
  }
  echo "$stores $rolled $(period) $(period --no-rollups)" >> "$WORK/rollups"
  # Two servers: a report computed by one process alone, with one worker,
  # and with another server's helper (its one worker) taking parts of it
  # (storage/postgresql/pg_report_parts.hpp).
  alone=$(for _ in $(seq "$RUNS"); do timed "$BIN" report --db "$url" --threads 1 --out /dev/null; done |
    cut -d' ' -f1 | median)
  "$BIN" serve --db "$url" --port 0 --threads 1 --standard-report-every 0 > "$WORK/helper.out" 2> "$WORK/helper.err" &
  helper=$!
  until grep -q '^listening on' "$WORK/helper.out"; do
    kill -0 "$helper" 2> /dev/null || { cat "$WORK/helper.err" >&2; exit 1; }
    sleep 0.2
  done
  helped=$(for _ in $(seq "$RUNS"); do timed "$BIN" report --db "$url" --threads 1 --out /dev/null; done |
    cut -d' ' -f1 | median)
  kill -TERM "$helper"
  wait "$helper" || true
  echo "$stores $alone $helped" >> "$WORK/two_servers"
  rm -f "$WORK/s-$stores.db"*
  psql "$base" -qc "DROP DATABASE bench_$stores" > /dev/null
done
} | tee "$WORK/postgresql.md"
{
echo
echo "Two servers (the standard report on PostgreSQL with one worker: computed by its process alone, and with a server on the same database taking parts of it with its one worker; median of $RUNS runs):"
echo
echo "| stores | one process | with another server's helper | faster by |"
echo "|---|---|---|---|"
while read -r stores alone helped; do
  awk -v s="$stores" -v a="$alone" -v h="$helped" 'BEGIN { printf "| %d | %.2f s | %.2f s | %.2fx |\n", s, a, h, a / h }'
done < "$WORK/two_servers"
echo
echo "Daily rollups on PostgreSQL (\`rollup\` of every date once, after the import; then a period of 7 local dates, the data's last whole ones, from the rollups and from the polls, \`report --no-rollups\`; median of $RUNS runs after a warm-up each):"
echo
echo "| stores | roll-up, every date | 7 dates from rollups | 7 dates from polls |"
echo "|---|---|---|---|"
while read -r stores rolled from_rollups from_polls; do
  awk -v s="$stores" -v r="$rolled" -v a="$from_rollups" -v p="$from_polls" \
    'BEGIN { printf "| %d | %.1f s | %.2f s | %.2f s |\n", s, r, a, p }'
done < "$WORK/rollups"
} | tee -a "$WORK/postgresql.md"

{ printf 'On %s cores (%s), PostgreSQL %s on the same machine (a throwaway cluster, `fsync=off`, `shared_buffers=4GB` (the default 128 MB leaves every report reading the polls from the page cache, which this machine empties within minutes: the 14,000-store report then took 1.1 to 1.9 s), other settings the defaults: it shares the two cores with the command), the data sets of "At scale" with their polls in random order. Import: into a new database, median of %s runs (RSS: the command'\''s, not the server'\''s); the standard report: median of %s runs after a warm-up, RSS the peak; on PostgreSQL after `VACUUM ANALYZE`, which autovacuum does by itself within minutes of an import (right after one, the 140,000-store report took 7.1 s). The targets of issue 35: import at least 0.5 M polls/s at 14,000 stores; the report at most 1 s at 14,000 stores and 6 s at 140,000.\n\n' \
    "$(nproc)" "$(date -u +%F)" "$(psql "$base" -Atc 'SHOW server_version' | cut -d' ' -f1)" "$RUNS" "$RUNS"
  cat "$WORK/postgresql.md"; } > "$WORK/section.md"
python3 bench/benchmarks_section.py 'PostgreSQL (`bench/postgresql.sh`, `make bench-postgresql`)' "$WORK/section.md"
