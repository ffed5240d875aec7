#!/usr/bin/env bash
# /healthz latency while many clients download a large report (issue 30, 10):
# a report of 140,000 stores (one day of polls), CLIENTS (64) clients each
# downloading it over and over, as browsers and curl --compressed do (gzip
# JSON), for DURATION seconds (30), and /healthz asked every 100 ms from another
# process meanwhile. Prints the downloads finished, the 503s, the /healthz
# latencies and the server's peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-build/uptime-monitor}
CACHE=${BENCH_CACHE:-/var/tmp/uptime-monitor-bench}
CLIENTS=${CLIENTS:-64}
SECONDS_RUN=${DURATION:-30}
mkdir -p "$CACHE"
source bench/common.sh
DATA=$(data_set stores140k-1d 140000 1)
DB=$(database stores140k-1d "$DATA")
cp "$DB" "$WORK/u.db"
start_server --db "$WORK/u.db"
ID=$(curl -s -X POST "$BASE/trigger_report" | python3 -c 'import json,sys; print(json.load(sys.stdin)["report_id"])')
wait_report "$ID"
python3 - "$BASE" "$ID" "$CLIENTS" "$SECONDS_RUN" "$SERVER_PID" <<'PY'
import http.client, sys, threading, time, urllib.parse
base, report, clients, seconds, pid = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
host = urllib.parse.urlparse(base)
stop = time.time() + seconds
counts = {"whole": 0, "busy": 0, "cut": 0, "bytes": 0}
lock = threading.Lock()
def download():
    while time.time() < stop:
        try:
            c = http.client.HTTPConnection(host.hostname, host.port, timeout=120)
            c.request("GET", f"/get_report/{report}?format=json", headers={"Accept-Encoding": "gzip"})
            r = c.getresponse()
            body = r.read()
            with lock:
                if r.status == 503: counts["busy"] += 1
                else: counts["whole"] += 1; counts["bytes"] += len(body)
            if r.status == 503: time.sleep(float(r.getheader("Retry-After", "1")))
            c.close()
        except Exception:
            with lock: counts["cut"] += 1
def rss():
    with open(f"/proc/{pid}/status") as f:
        return next(int(l.split()[1]) for l in f if l.startswith("VmHWM"))
threads = [threading.Thread(target=download) for _ in range(clients)]
for t in threads: t.start()
latencies = []
while time.time() < stop:
    start = time.time()
    c = http.client.HTTPConnection(host.hostname, host.port, timeout=300)
    c.request("GET", "/healthz"); c.getresponse().read(); c.close()
    latencies.append(time.time() - start)
    time.sleep(0.1)
for t in threads: t.join()
latencies.sort()
pick = lambda q: latencies[min(len(latencies) - 1, int(len(latencies) * q))] * 1000
print(f"{clients} clients, {seconds:.0f} s: {counts['whole']} whole downloads "
      f"({counts['bytes'] / 1e9:.1f} GB), {counts['busy']} answered 503, {counts['cut']} cut off")
print(f"/healthz meanwhile: {len(latencies)} requests, median {pick(0.5):.0f} ms, "
      f"99th {pick(0.99):.0f} ms, largest {latencies[-1] * 1000:.0f} ms; server peak RSS {rss() / 1024:.0f} MB")
PY
