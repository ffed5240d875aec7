#!/usr/bin/env bash
# make bench: generates the benchmark data sets once (cached outside the
# repo), then measures import (in time order and in random order, 14,000 and
# 140,000 stores), report (CLI and server, 1 and 2 threads), memory, long
# history, scaling with the number of stores and HTTP overhead, with the
# release build. Prints one table and writes it to BENCHMARKS.md. Medians of RUNS.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-build/uptime-monitor}
CACHE=${BENCH_CACHE:-/var/tmp/uptime-monitor-bench}
RUNS=${RUNS:-7}
SCALING=${SCALING:-"1400 14000 140000"}
mkdir -p "$CACHE"
source bench/common.sh

LOOP=$(data_set loop 14000 8)
LONG=$(data_set long 14000 70)
POLLS=$(($(wc -l < "$LOOP/store_status.csv") - 1))

echo "import: $RUNS runs of $POLLS polls, in time order and in random order..." >&2
read -r IMPORT_S IMPORT_RSS <<< "$(import_time loop "$LOOP" "$RUNS")"
read -r RANDOM_S RANDOM_RSS <<< "$(import_time random "$(shuffled loop-random "$LOOP")" "$RUNS")"

LOOP_DB=$(database loop "$LOOP")
LONG_DB=$(database long "$LONG")

report_time() {  # DB -> median seconds; the runs stay in $WORK/report
  "$BIN" report --db "$1" --out /dev/null 2>/dev/null  # warm-up: file cache
  : > "$WORK/report"
  for _ in $(seq "$RUNS"); do timed "$BIN" report --db "$1" --out /dev/null >> "$WORK/report"; done
  cut -d' ' -f1 "$WORK/report" | median
}
# The loop report, the same with max_gap 2h (SPEC §8) and the long one
# alternate, so that a slow moment of the machine falls on all alike.
echo "report (CLI), loop, loop with max_gap and ten weeks of history..." >&2
for db in "$LOOP_DB" "$LONG_DB"; do "$BIN" report --db "$db" --out /dev/null 2>/dev/null; done
: > "$WORK/loop"; : > "$WORK/gap"; : > "$WORK/long"
for _ in $(seq "$RUNS"); do
  timed "$BIN" report --db "$LOOP_DB" --out /dev/null >> "$WORK/loop"
  timed "$BIN" report --db "$LOOP_DB" --max-gap 2h --out /dev/null >> "$WORK/gap"
  timed "$BIN" report --db "$LONG_DB" --out /dev/null >> "$WORK/long"
done
GAP_S=$(cut -d' ' -f1 "$WORK/gap" | median)
REPORT_S=$(cut -d' ' -f1 "$WORK/loop" | median)
LOOP_RSS=$(cut -d' ' -f2 "$WORK/loop" | sort -n | tail -1)
LONG_S=$(cut -d' ' -f1 "$WORK/long" | median)

# Periods (SPEC §9): the last 30 local dates of 14,000 stores with 35 days of
# polls (every poll of the period is read), and 400 dates of 1,400 stores
# with 400 days of polls.
echo "period reports..." >&2
P30_DB=$(database period30 "$(data_set period30 14000 35)")
P400_DB=$(database period400 "$(data_set period400 1400 400)")
last_dates() {  # DB DAYS -> "--from-date X --to-date Y": the last DAYS UTC dates before the latest poll
  local latest
  latest=$("$BIN" report --db "$1" --out /dev/null 2>&1 | sed -n 's/^report as of \([0-9-]*\)T.*/\1/p')
  echo "--from-date $(date -u -d "$latest - $2 days" +%F) --to-date $(date -u -d "$latest - 1 day" +%F)"
}
P30_ARGS=$(last_dates "$P30_DB" 30)
P400_ARGS=$(last_dates "$P400_DB" 400)
: > "$WORK/p30"; : > "$WORK/p400"
# shellcheck disable=SC2086
for db_args in "$P30_DB $P30_ARGS" "$P400_DB $P400_ARGS"; do
  set -- $db_args
  "$BIN" report --db "$@" --out /dev/null 2>/dev/null  # warm-up: file cache
done
for _ in $(seq "$RUNS"); do
  # shellcheck disable=SC2086
  timed "$BIN" report --db "$P30_DB" $P30_ARGS --out /dev/null >> "$WORK/p30"
  # shellcheck disable=SC2086
  timed "$BIN" report --db "$P400_DB" $P400_ARGS --out /dev/null >> "$WORK/p400"
done
P30_S=$(cut -d' ' -f1 "$WORK/p30" | median)
P30_RSS=$(cut -d' ' -f2 "$WORK/p30" | sort -n | tail -1)
P400_S=$(cut -d' ' -f1 "$WORK/p400" | median)
P400_RSS=$(cut -d' ' -f2 "$WORK/p400" | sort -n | tail -1)

declare -A SCALE
for stores in $SCALING; do
  echo "report with $stores stores..." >&2
  if [ "$stores" = 14000 ]; then SCALE[$stores]=$REPORT_S; continue; fi
  dir=$(data_set "scale-$stores" "$stores" 8)
  SCALE[$stores]=$(report_time "$(database "scale-$stores" "$dir")")
done

# The large set: 140,000 stores × 8 days imported in random order (3 runs at
# most: each takes half a minute here), and the report with 1 and 2 threads.
LARGE=$(data_set scale-140000 140000 8)
LARGE_POLLS=$(($(wc -l < "$LARGE/store_status.csv") - 1))
echo "import of $LARGE_POLLS polls in random order..." >&2
read -r LARGE_S LARGE_RSS <<< "$(import_time large "$(shuffled scale-140000-random "$LARGE")" \
  "$((RUNS < 3 ? RUNS : 3))")"
LARGE_DB=$(database scale-140000 "$LARGE")
declare -A THREADS_S THREADS_RSS
for threads in 1 2; do
  for set in loop large; do
    db=$LOOP_DB
    [ "$set" = large ] && db=$LARGE_DB
    : > "$WORK/threads"
    for _ in $(seq "$RUNS"); do
      timed "$BIN" report --db "$db" --threads "$threads" --out /dev/null >> "$WORK/threads"
    done
    THREADS_S[$set-$threads]=$(cut -d' ' -f1 "$WORK/threads" | median)
    THREADS_RSS[$set-$threads]=$(cut -d' ' -f2 "$WORK/threads" | sort -n | tail -1)
  done
done

echo "server..." >&2
start_server --db "$LOOP_DB"
: > "$WORK/server"
for _ in $(seq "$RUNS"); do
  start=$(date +%s.%N)
  id=$(curl -s -X POST "$BASE/trigger_report" | sed 's/.*"report_id":"\([^"]*\)".*/\1/')
  wait_report "$id"
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l >> "$WORK/server"
done
SERVER_S=$(median < "$WORK/server")
SERVER_RSS=$(awk '/VmHWM/ {print $2}' "/proc/$SERVER_PID/status")
if command -v wrk > /dev/null; then
  HTTP_RPS=$(wrk -t2 -c16 -d5s "$BASE/get_report/$id" | awk '/Requests\/sec/ {printf "%.0f", $2}')
  HTTP_WHAT="wrk -t2 -c16 -d5s GET /get_report/<id> (CSV of 14,000 rows)"
else
  HTTP_RPS="n/a"; HTTP_WHAT="wrk not installed"
fi
kill "$SERVER_PID"; wait "$SERVER_PID" || true; SERVER_PID=""

fmt() { printf '%.3f' "$1"; }
MB() { echo "$(( $1 / 1024 )) MB"; }
RATE=$(echo "$POLLS / $IMPORT_S" | bc)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
RATIO=$(ratio "$LONG_S" "$REPORT_S")
GAP_RATIO=$(ratio "$GAP_S" "$REPORT_S")
CPU=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
{
  echo "# Benchmarks"
  echo
  echo "\`make bench\` on $(date -u +%Y-%m-%d), $(nproc) cores ($CPU), $(free -g | awk '/Mem:/ {print $2}') GiB."
  echo "Data from \`uptime-monitor generate --seed 1\`: $POLLS polls of 14,000 stores over 8 days"
  echo "(\"loop\"), and the same stores over 70 days (\"long\"). Medians of $RUNS runs; RSS is the peak."
  echo
  echo "| measure | result | target |"
  echo "|---|---|---|"
  echo "| import, CSV on disk → committed database | $(fmt "$IMPORT_S") s, $RATE polls/s | ≥ 1,000,000 polls/s |"
  echo "| import, the same rows in random order | $(fmt "$RANDOM_S") s, $(echo "$POLLS / $RANDOM_S" | bc) polls/s | ≥ 1,000,000 polls/s |"
  echo "| import peak RSS (time / random order) | $(MB "$IMPORT_RSS") / $(MB "$RANDOM_RSS") | ≤ 300 MB |"
  echo "| import, 140,000 stores × 8 days ($LARGE_POLLS polls) in random order | $(fmt "$LARGE_S") s, $(echo "$LARGE_POLLS / $LARGE_S" | bc) polls/s, peak RSS $(MB "$LARGE_RSS") | ≥ 800,000 polls/s, ≤ 300 MB |"
  echo "| report, CLI (loop) | $(fmt "$REPORT_S") s | ≤ 0.5 s |"
  echo "| report, CLI (loop), max_gap 2h | $(fmt "$GAP_S") s ($GAP_RATIO × without) | ≤ 1.1 × without |"
  echo "| report, CLI peak RSS | $(MB "$LOOP_RSS") | ≤ 300 MB |"
  echo "| report, server trigger → Complete | $(fmt "$SERVER_S") s | ≤ 0.7 s |"
  echo "| server peak RSS (after $RUNS reports) | $(MB "$SERVER_RSS") | ≤ 300 MB |"
  echo "| period report, 30 local dates, 14,000 stores × 35 days of polls | $(fmt "$P30_S") s, peak RSS $(MB "$P30_RSS") | ≤ 1.2 s, ≤ 300 MB |"
  echo "| period report, 400 local dates, 1,400 stores × 400 days of polls | $(fmt "$P400_S") s, peak RSS $(MB "$P400_RSS") | ≤ 2 s, ≤ 300 MB |"
  echo "| report on 70 days of history | $(fmt "$LONG_S") s ($RATIO × loop) | ≤ 1.3 × loop |"
  for stores in $SCALING; do
    echo "| report, $stores stores × 8 days | $(fmt "${SCALE[$stores]}") s | near-linear |"
  done
  for threads in 1 2; do
    echo "| report, CLI, --threads $threads: loop / 140,000 stores | $(fmt "${THREADS_S[loop-$threads]}") s / $(fmt "${THREADS_S[large-$threads]}") s, peak RSS $(MB "${THREADS_RSS[loop-$threads]}") / $(MB "${THREADS_RSS[large-$threads]}") | ≤ 300 MB |"
  done
  echo "| HTTP: $HTTP_WHAT | $HTTP_RPS requests/s | |"
} > "$WORK/table.md"
cat "$WORK/table.md"
# Keep the load section `make load` wrote, if any.
LOAD_SECTION=""
[ -f BENCHMARKS.md ] && LOAD_SECTION=$(awk '/^## Load/ {keep=1} keep' BENCHMARKS.md)
{ cat "$WORK/table.md" bench/notes.md; [ -n "$LOAD_SECTION" ] && printf '\n%s\n' "$LOAD_SECTION"; } > BENCHMARKS.md
# Then the fleet's section (bench/fleet.sh writes it in).
bench/fleet.sh
