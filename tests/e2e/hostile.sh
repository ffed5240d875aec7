# Hostile HTTP input: oversized bodies (memory stays bounded), huge headers,
# garbage requests, odd ids, store ids full of CSV and SQL syntax, a slow
# client, and two thousand idle connections while /healthz keeps answering.
source "$(dirname "$0")/lib.sh" "$@"

start_server --db "$WORK/u.db" --data "$FIXTURES/demo" --max-body 1048576 --timeout 2
rss_kb() { awk '/VmHWM/ {print $2}' "/proc/$SERVER_PID/status"; }
RSS_START=$(rss_kb)

# A 200 MB body with Content-Length: refused without being read.
head -c 200000000 /dev/zero > "$WORK/big"
request POST /ingest/status -H 'Content-Type: text/csv' --data-binary @"$WORK/big"
expect_json_error 413 "200 MB body"
# The same chunked: refused before it is read (only Content-Length bodies are taken).
request POST /ingest/status -H 'Content-Type: text/csv' -H 'Transfer-Encoding: chunked' --data-binary @"$WORK/big"
expect_json_error 411 "chunked 200 MB body"
RSS_NOW=$(rss_kb)
[ $((RSS_NOW - RSS_START)) -lt 50000 ] || fail "memory grew by $((RSS_NOW - RSS_START)) KB for refused bodies"
rm -f "$WORK/big"

# A 100 KB header line, and garbage instead of HTTP: answered or dropped, never fatal.
request GET /healthz -H "X-Big: $(head -c 100000 /dev/zero | tr '\0' a)"
[ "$STATUS" -ge 400 ] || fail "huge header accepted: HTTP $STATUS"
printf 'NOT HTTP AT ALL\r\n\r\n\x00\xff\xfe' | curl -s -m 5 "telnet://127.0.0.1:$PORT" > /dev/null 2>&1 || true
request GET /healthz
expect_status 200 "healthz after garbage"

# Report ids that look like paths or SQL: 404, nothing else.
for id in "..%2F..%2Fetc%2Fpasswd" "%27%20OR%20%271%27%3D%271" "1%3B%20DROP%20TABLE%20reports" "%00" "$(head -c 300 /dev/zero | tr '\0' x)"; do
  request GET "/get_report/$id"
  expect_json_error 404 "report id $id"
  request GET "/get_report?report_id=$id"
  expect_json_error 404 "report_id=$id"
done

# Store ids with quotes, commas and SQL: stored and reported literally. Ids
# with a newline or CR are bad rows: SPEC §1 allows no control characters.
python3 - > "$WORK/odd.json" <<'PY'
import json
ids = ['a,b', 'say "hi"', "'; DROP TABLE polls; --", ' padded ', 'two\nlines', 'cr\rhere']
print(json.dumps([{"store_id": i, "status": "inactive", "timestamp_utc": "2023-01-25 18:00:00"} for i in ids]))
PY
request POST /ingest/status -H 'Content-Type: application/json' --data-binary @"$WORK/odd.json"
expect_status 200 "odd store ids"
[ "$(json_field loaded)" = 4 ] && [ "$(json_field rejected)" = 2 ] || fail "odd ids: $BODY"
grep -q 'body:5: store_id contains a control character' <<< "$BODY" || fail "newline id not named: $BODY"
trigger
wait_report "$REPORT_ID"
expect_status 200 "report with odd ids"
printf '%s\n' "$BODY" > "$WORK/report.csv"
python3 - "$WORK/report.csv" <<'PY' || fail "odd store ids not reported literally"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='')))
ids = {r[0] for r in rows[1:]}
for i in ['a,b', 'say "hi"', "'; DROP TABLE polls; --", ' padded ']:
    assert i in ids, repr(i)
raw = open(sys.argv[1], newline='').read()
assert '"a,b",' in raw and '"say ""hi""",' in raw and "\n'; DROP TABLE polls; --," in raw and ' padded ,' in raw
PY
request GET /healthz
[ "$(json_field polls)" -gt 6 ] || fail "polls table damaged: $BODY"

# A slow client that never finishes its request is cut off (--timeout 2).
python3 - "$PORT" <<'PY' || fail "a stalled request was not cut off"
import os, socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # no blank line: never ends
s.settimeout(float(os.environ["WAIT_LIMIT"]))  # a timeout here fails the test
data = s.recv(1000)
while data:
    data = s.recv(1000)
PY

# Two thousand idle connections: /healthz still answers (the newest
# connection is served first; how long it took is printed, not judged).
python3 - "$PORT" "$BASE" <<'PY' || fail "healthz starved by idle connections"
import os, resource, socket, sys, time, urllib.request
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
idle = []
for _ in range(2000):
    idle.append(socket.create_connection(("127.0.0.1", int(sys.argv[1]))))
time.sleep(0.2)
start = time.time()
with urllib.request.urlopen(sys.argv[2] + "/healthz", timeout=float(os.environ["WAIT_LIMIT"])) as answer:
    assert answer.status == 200
took = time.time() - start
for s in idle:
    s.close()
print("healthz with 2000 idle connections: %.3f s" % took)
PY

stop_server
echo "hostile: ok"
