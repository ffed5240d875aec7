#!/usr/bin/env bash
# /healthz latency while a 25 MB CSV ingest is written (issue 14): starts the
# release binary on a fresh database, posts 800,000 polls of 8,000 stores in
# one request, and asks /healthz every 10 ms meanwhile. Prints the ingest time
# and the median and largest /healthz latency.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-build/uptime-monitor}
source bench/common.sh
python3 - "$WORK/big.csv" <<'PY'
import random, sys
random.seed(1)
with open(sys.argv[1], "w") as f:
    f.write("store_id,status,timestamp_utc\n")
    for s in range(8000):
        for h in range(100):
            f.write("s%d,%s,2023-01-%02d %02d:%02d:00\n" % (
                s, "active" if random.random() < 0.9 else "inactive", 1 + h // 24, h % 24,
                random.randint(0, 59)))
PY
start_server --db "$WORK/u.db"
# The ingest from curl, the health checks from another process: one client
# process doing both would measure its own threads.
( start=$(date +%s.%N)
  curl -s -o /dev/null -X POST "$BASE/ingest/status" -H 'Content-Type: text/csv' --data-binary @"$WORK/big.csv"
  echo "ingest of $(($(stat -c %s "$WORK/big.csv") >> 20)) MB: $(echo "$(date +%s.%N) - $start" | bc) s"
  touch "$WORK/done" ) &
INGEST=$!
python3 - "$BASE" "$WORK/done" <<'PY'
import os, sys, time, urllib.request
base, done = sys.argv[1], sys.argv[2]
latencies = []
while not os.path.exists(done):
    start = time.time()
    urllib.request.urlopen(base + "/healthz", timeout=30).read()
    latencies.append(time.time() - start)
    time.sleep(0.01)
latencies.sort()
print("/healthz meanwhile: %d requests, median %.1f ms, 95th %.1f ms, largest %.1f ms" % (
    len(latencies), latencies[len(latencies) // 2] * 1000,
    latencies[len(latencies) * 95 // 100] * 1000, latencies[-1] * 1000))
PY
wait "$INGEST"
