#!/usr/bin/env bash
# make bench-scale: issue 34's figures at SCALE_SIZES stores × 8 days of
# polls (default 14,000, 140,000 and 1,000,000), so BENCHMARKS.md shows how
# each one grows with the fleet:
# - the data: `generate` (timed when it made the day's data set), import of
#   the polls in random order (polls/s, peak RSS, database bytes per poll),
#   the first roll-up, the standard report on the command line;
# - the server: start-up to serving and its RSS, the standard report in the
#   server, then LIVE_SECONDS (120) of live ingest of a poll per store per
#   minute in batches of 1,000 (bench/live_load.py) while /fleet and a
#   sorted, filtered page of 100 are read: the rate reached, ingest, /fleet
#   and page latencies, how late alerts were raised (--alert-after 1: a
#   store.down when its inactive poll is ingested; created minus the poll's
#   instant, which is the wall clock when its batch was sent), and the
#   server's RSS, peak and at the end.
# Writes two tables into BENCHMARKS.md, section "At scale".
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-build/uptime-monitor}
CACHE=${BENCH_CACHE:-/var/tmp/uptime-monitor-bench}
RUNS=${RUNS:-3}
LIVE_SECONDS=${LIVE_SECONDS:-120}
SCALE_SIZES=${SCALE_SIZES:-"14000 140000 1000000"}
mkdir -p "$CACHE"
source bench/common.sh

mb() { echo $(($1 / 1024)); }
seconds_between() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

{
echo "| stores | polls | generate | import, random order | database | first roll-up | standard report, CLI |"
echo "|---|---|---|---|---|---|---|"
} > "$WORK/data.md"
{
echo "| stores | start-up to serving | RSS serving | standard report in the server | live ingest reached (target) | ingest answer p50 / p99 | GET /fleet p50 / p99 | page p50 / p99 | alerts raised, latest | server RSS peak / end |"
echo "|---|---|---|---|---|---|---|---|---|---|"
} > "$WORK/serve.md"

for stores in $SCALE_SIZES; do
  dir=$(scale_data "$stores")
  polls=$(($(wc -l < "$dir/store_status.csv") - 1))
  read -r gen_s gen_rss < "$dir/.generated"
  random=$(shuffled "$(basename "$dir")-random" "$dir")

  echo "$stores stores: import ($polls polls, random order)..." >&2
  rm -f "$WORK/s.db"*
  read -r import_s import_rss <<< "$(timed "$BIN" import --db "$WORK/s.db" --data "$random")"
  db_bytes=$(stat -c %s "$WORK/s.db")
  echo "$stores stores: first roll-up..." >&2
  read -r rollup_s _ <<< "$(timed "$BIN" rollup --db "$WORK/s.db")"
  echo "$stores stores: standard report, $RUNS runs..." >&2
  "$BIN" report --db "$WORK/s.db" --out /dev/null 2>/dev/null  # warm-up: the file cache
  : > "$WORK/report"
  for _ in $(seq "$RUNS"); do timed "$BIN" report --db "$WORK/s.db" --out /dev/null >> "$WORK/report"; done
  report_s=$(cut -d' ' -f1 "$WORK/report" | median)
  report_rss=$(cut -d' ' -f2 "$WORK/report" | sort -n | tail -1)
  awk -v s="$stores" -v p="$polls" -v gs="$gen_s" -v gr="$(mb "$gen_rss")" -v is="$import_s" \
    -v ir="$(mb "$import_rss")" -v db="$db_bytes" -v rs="$rollup_s" -v ps="$report_s" \
    -v pr="$(mb "$report_rss")" 'BEGIN {
      printf "| %d | %d | %.1f s (%.2f M polls/s), %d MB | %.1f s, %.2f M polls/s, %d MB | %d MB, %.1f B a poll | %.1f s | %.2f s, %d MB |\n",
        s, p, gs, p / gs / 1e6, gr, is, p / is / 1e6, ir, db / 1048576, db / p, rs, ps, pr }' \
    >> "$WORK/data.md"

  echo "$stores stores: serving..." >&2
  start=$(date +%s.%N)
  start_server --db "$WORK/s.db" --standard-report-every 0 --alert-after 1
  started=$(seconds_between "$start" "$(date +%s.%N)")
  rss_serving=$(awk '/VmRSS/ {print $2}' "/proc/$SERVER_PID/status")
  start=$(date +%s.%N)
  id=$(curl -s -X POST "$BASE/trigger_report" | sed 's/.*"report_id":"\([^"]*\)".*/\1/')
  wait_report "$id"
  server_report=$(seconds_between "$start" "$(date +%s.%N)")
  until curl -s "$BASE/fleet" | grep -q "\"report_id\":\"$id\""; do sleep 0.2; done

  echo "$stores stores: live ingest for $LIVE_SECONDS s..." >&2
  since_us=$(($(date +%s%N) / 1000))
  rate=$(awk -v s="$stores" 'BEGIN { printf "%.1f", s / 60 }')
  python3 bench/live_load.py "$BASE" "$WORK/s.db" "$LIVE_SECONDS" --rate "$rate" > "$WORK/live.json"
  sleep 1
  rss_peak=$(awk '/VmHWM/ {print $2}' "/proc/$SERVER_PID/status")
  rss_end=$(awk '/VmRSS/ {print $2}' "/proc/$SERVER_PID/status")
  kill "$SERVER_PID"; wait "$SERVER_PID" || true; SERVER_PID=""
  python3 - "$WORK/live.json" "$WORK/s.db" "$since_us" "$stores" "$started" "$(mb "$rss_serving")" \
    "$server_report" "$(mb "$rss_peak")" "$(mb "$rss_end")" >> "$WORK/serve.md" <<'EOF'
import json, sqlite3, sys
live_path, db, since_us, stores, started, rss_serving, server_report, peak, end = sys.argv[1:]
live = json.load(open(live_path))
late = sorted(row[0] / 1e6 for row in sqlite3.connect(db).execute(
    "SELECT created_us - at_us FROM alert_events"
    " WHERE created_us >= ? AND type IN ('store.down', 'store.recovered')", (int(since_us),)))
latest = f"{len(late)}, {late[-1]:.2f} s" if late else "none"
pair = lambda part: f"{live[part]['median_ms']} / {live[part]['p99_ms']} ms"
errors = f" ({live['errors']} errors)" if live["errors"] else ""
print(f"| {stores} | {started} s | {rss_serving} MB | {server_report} s"
      f" | {live['polls_per_second']} polls/s ({live['target_polls_per_second']:.0f}){errors}"
      f" | {pair('ingest')} | {pair('fleet')} | {pair('page')} | {latest} | {peak} / {end} MB |")
EOF
  rm -f "$WORK/s.db"*
done
cat "$WORK/data.md" "$WORK/serve.md"
# BENCHMARKS.md: this section replaced (or added before the load section).
{ printf 'On %s cores (%s), %s × 8 days of polls from `generate --seed 1`. Import: the polls in random order into a new database; the database with its indexes, before any roll-up. The standard report: median of %s runs, RSS the peak. Serving: `serve --standard-report-every 0 --alert-after 1`; live ingest for %s s at a poll per store per minute (batches of 1,000 on 4 connections, each poll at the wall clock when its batch is sent, 1 %% of the stores inactive at a time, moving along) while one client reads `/fleet` and `/stores?sort=uptime_percent&q=7&state=up&limit=100` in turn; alerts: store.down and store.recovered raised during it, and the latest one behind its poll.\n\n' \
    "$(nproc)" "$(date -u +%F)" "$(echo "$SCALE_SIZES" | sed 's/ /, /g')" "$RUNS" "$LIVE_SECONDS"
  cat "$WORK/data.md"; echo; cat "$WORK/serve.md"; } > "$WORK/section.md"
python3 bench/benchmarks_section.py 'At scale (`bench/scale.sh`, `make bench-scale`)' "$WORK/section.md"
