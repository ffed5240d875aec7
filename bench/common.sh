# Shared by the scripts of bench/: a scratch folder removed on exit, the
# server started on a free loopback port, and the cached data sets and timing
# of bench/run.sh and bench/sweep.sh (they need BIN and CACHE set).
TIME_BIN=${TIME_BIN:-/usr/bin/time}
WORK=$(mktemp -d)
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# start_server ARGS...: `serve --port 0 ARGS`; sets SERVER_PID, PORT and BASE.
start_server() {
  "$BIN" serve --port 0 "$@" > "$WORK/serve.out" 2> "$WORK/serve.err" &
  SERVER_PID=$!
  PORT=""
  for _ in $(seq 200); do
    PORT=$(sed -n 's|^listening on http://127.0.0.1:\([0-9]*\)/$|\1|p' "$WORK/serve.out")
    [ -n "$PORT" ] && break
    sleep 0.05
  done
  [ -n "$PORT" ] || { echo "server did not start: $(tail -3 "$WORK/serve.err")" >&2; exit 1; }
  BASE="http://127.0.0.1:$PORT"
}

# wait_report ID: waits until the report is no longer running, asking every
# 5 ms on one kept-alive connection. (A curl, head and grep started every 5 ms
# took a share of the two cores: at a million stores the server's report
# measured 27 s with them, 19.5 s without.)
wait_report() {
  python3 - "$BASE" "$1" <<'PY'
import http.client, sys, time, urllib.parse
base, report_id = sys.argv[1], sys.argv[2]
url = urllib.parse.urlsplit(base)
connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
while True:
    connection.request("GET", "/get_report/" + report_id)
    answer = connection.getresponse()
    head = answer.read(200)  # a finished report's answer may be its whole CSV: not read
    if b'"status":"Running"' not in head and b'"status":"Queued"' not in head:
        break
    answer.read()
    time.sleep(0.005)
PY
}

# data_set NAME STORES DAYS: generated once, kept in the cache.
data_set() {
  local dir="$CACHE/$1"
  if [ ! -f "$dir/.done" ]; then
    echo "generating $1 ($2 stores, $3 days)..." >&2
    rm -rf "$dir"
    "$BIN" generate --stores "$2" --days "$3" --seed 1 --out "$dir" >&2
    touch "$dir/.done"
  fi
  echo "$dir"
}

# sized_data_set SIZE: SIZE is STORES or STORES:DAYS (8 days unless given);
# sets STORES, DAYS, NAME (the cache's name: loop for the real size) and DIR,
# the data set's folder (data_set).
sized_data_set() {
  STORES=${1%%:*}
  DAYS=8
  [ "$1" = "$STORES" ] || DAYS=${1#*:}
  NAME=scale-$STORES
  [ "$DAYS" = 8 ] || NAME=$NAME-${DAYS}d
  [ "$STORES" = 14000 ] && [ "$DAYS" = 8 ] && NAME=loop
  DIR=$(data_set "$NAME" "$STORES" "$DAYS")
}

# shuffled NAME DIR: DIR's files with the rows of store_status.csv in random
# order (the same order every time), as real exports come; kept in the cache.
# Each row goes to one of 16 files at random, and each file is shuffled: a
# uniform shuffle in a sixteenth of shuf's memory (a million stores × 8 days
# is 9 GB of polls).
shuffled() {
  local dir="$CACHE/$1"
  if [ ! -f "$dir/.done" ]; then
    echo "shuffling the polls of $2 into $1..." >&2
    rm -rf "$dir"
    mkdir -p "$dir/parts"
    cp "$2"/menu_hours.csv "$2"/timezones.csv "$dir"/
    [ -f "$2/special_hours.csv" ] && cp "$2/special_hours.csv" "$dir"/
    tail -n +2 "$2/store_status.csv" |
      awk -v parts="$dir/parts" 'BEGIN { srand(1) } { print > (parts "/" int(rand() * 16)) }'
    { head -1 "$2/store_status.csv"
      for part in "$dir"/parts/*; do shuf --random-source=<(yes 1) "$part"; done
    } > "$dir/store_status.csv"
    rm -rf "$dir/parts"
    touch "$dir/.done"
  fi
  echo "$dir"
}

# A database of a data set, imported again whenever the binary changed.
database() {
  local db="$CACHE/$1.db"
  if [ ! -f "$db.done" ] || [ "$BIN" -nt "$db.done" ]; then
    rm -f "$db" "$db-wal" "$db-shm"
    "$BIN" import --db "$db" --data "$2" 2>/dev/null
    touch "$db.done"
  fi
  echo "$db"
}

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# timed CMD...: "seconds peak_rss_kb" of one run (wall clock to the
# millisecond; GNU time, $TIME_BIN, gives the peak RSS).
timed() {
  local start end rss
  start=$(date +%s.%N)
  rss=$("$TIME_BIN" -f "%M" "$@" 2>&1 >/dev/null | tail -1)
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" -v rss="$rss" 'BEGIN { printf "%.3f %s\n", b - a, rss }'
}

# import_time NAME DIR RUNS: "median_seconds peak_rss_kb" of importing DIR
# into a new database.
import_time() {
  : > "$WORK/import-$1"
  for _ in $(seq "$3"); do
    rm -f "$WORK/i.db"*
    timed "$BIN" import --db "$WORK/i.db" --data "$2" >> "$WORK/import-$1"
  done
  rm -f "$WORK/i.db"*
  echo "$(cut -d' ' -f1 "$WORK/import-$1" | median) $(cut -d' ' -f2 "$WORK/import-$1" | sort -n | tail -1)"
}

# scale_data STORES: the data set of STORES × 8 days ending at today's
# midnight (UTC), in $CACHE, so the live polls of bench/scale.sh follow on
# from it as they would in service; generated once a day (an older one is
# deleted), its generation's "seconds peak_rss_kb" kept beside it.
scale_data() {
  local today name dir
  today=$(date -u +%F)
  name=scale8-$1-$today
  dir="$CACHE/$name"
  if [ ! -f "$dir/.done" ]; then
    rm -rf "$CACHE/scale8-$1-"*
    echo "generating $name..." >&2
    timed "$BIN" generate --stores "$1" --days 8 --seed 1 --end "$today 00:00:00" --out "$dir" \
      > "$WORK/generated"
    mv "$WORK/generated" "$dir/.generated"
    touch "$dir/.done"
  fi
  echo "$dir"
}
