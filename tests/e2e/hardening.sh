# Issue 13's findings, each reproduced against the real binary: bytes that are
# not UTF-8, compressed and endless bodies, deep and wide JSON, made-up
# methods, slow clients, polls from the far future, pipelining, duplicate
# lengths, log injection, OPTIONS, years before 1, backups piling up, the
# token in a file, a port already taken and databases that keep nothing.
source "$(dirname "$0")/lib.sh" "$@"

start_server --db "$WORK/u.db" --data "$FIXTURES/demo" --max-body 4194304 --timeout 3 \
  --keep-backups 2 --backup-dir "$WORK/backups"
SERVER=$SERVER_PID
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$SERVER/status"; }
alive() { kill -0 "$SERVER" 2>/dev/null || fail "server died: $1"; }
is_json() { printf '%s' "$BODY" | python3 -c 'import json,sys; json.load(sys.stdin)' || fail "not JSON ($1): $BODY"; }

# 1, 8. Bytes that are not UTF-8 anywhere in a request: a JSON error, and the server lives.
for path in "/%FF" "/stores/%FF" "/get_report/%FF" "/get_report?report_id=%FF" "/%C3%28" \
            "/reports?%FF=1" "/stores/a%FF%FE?as_of=%FF"; do
  request GET "$path"
  is_json "GET $path"
  alive "GET $path"
done
request POST "/trigger_report?as_of=%FF"
expect_json_error 400 "as_of=%FF"
head_answer=$(curl -s -I "$BASE/%FF")
grep -q '^HTTP/1.1 404' <<< "$head_answer" || fail "HEAD /%FF: $head_answer"
alive "HEAD /%FF"
printf 'store_id,status,timestamp_utc\nok\xc3\xa9,active,2023-01-25 17:00:00\nbad\xff,active,2023-01-25 17:00:00\n' > "$WORK/bad.csv"
request POST /ingest/status -H 'Content-Type: text/csv' --data-binary @"$WORK/bad.csv"
expect_status 200 "ingest with a non-UTF-8 id"
grep -q 'body:3: store_id is not valid UTF-8 text' <<< "$BODY" || fail "non-UTF-8 id not named: $BODY"
trigger
wait_report "$REPORT_ID"
request GET "/get_report/$REPORT_ID?format=json"
expect_status 200 "JSON report after odd ids"
is_json "JSON report"

# 2. A small gzip body that inflates to 100 MB, on a route without a body and
# on one with: refused, never inflated.
RSS_BEFORE=$(rss_kb)
head -c 100000000 /dev/zero | gzip -c > "$WORK/big.gz"
# (A POST to /healthz is a 405 first: the route table speaks before body rules.)
request POST /healthz -H 'Content-Encoding: gzip' --data-binary @"$WORK/big.gz"
expect_json_error 405 "gzip body to /healthz"
request GET /healthz -H 'Content-Encoding: gzip' --data-binary @"$WORK/big.gz" -X GET
expect_json_error 415 "gzip body with GET /healthz"
request POST /ingest/status -H 'Content-Type: text/csv' -H 'Content-Encoding: gzip' --data-binary @"$WORK/big.gz"
expect_json_error 415 "gzip body to /ingest/status"

# 3. PUT (and DELETE) with no length and 200 MB behind: no body, 405 at once.
python3 - "$PORT" <<'PY' || fail "a PUT without length was read"
import socket, sys
for method in (b"PUT", b"DELETE", b"PATCH"):
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
    s.sendall(method + b" /reports HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    s.settimeout(10)
    chunk = b"x" * (1 << 20)
    try:
        for _ in range(200):
            s.sendall(chunk)
    except OSError:
        pass  # the server answered and closed: what we want
    answer = s.recv(200)
    assert answer.startswith(b"HTTP/1.1 405"), answer
PY
RSS_AFTER=$(rss_kb)
[ $((RSS_AFTER - RSS_BEFORE)) -lt 60000 ] || fail "memory grew by $((RSS_AFTER - RSS_BEFORE)) KB for bodies never read"

# 4. 1 MB of '[' and an object with 120,000 keys: answered, and /healthz answers meanwhile.
head -c 1000000 /dev/zero | tr '\0' '[' > "$WORK/deep.json"
request POST /ingest/status -H 'Content-Type: application/json' --data-binary @"$WORK/deep.json"
expect_json_error 400 "deep JSON"
grep -q 'nested deeper than 64 levels' <<< "$BODY" || fail "deep JSON: $BODY"
request POST /trigger_report -H 'Content-Type: application/json' --data-binary @"$WORK/deep.json"
expect_json_error 400 "deep JSON options"
python3 - > "$WORK/wide.json" <<'PY'
import json
row = {"store_id": "wide", "status": "active", "timestamp_utc": "2023-01-25 17:00:00"}
row.update({"k%d" % i: 1 for i in range(120000)})
print(json.dumps([row]))
PY
curl -s -o "$WORK/wide.out" -X POST "$BASE/ingest/status" -H 'Content-Type: application/json' \
  --data-binary @"$WORK/wide.json" &
WIDE=$!
for _ in 1 2 3; do
  curl -s -m "$WAIT_LIMIT" -o /dev/null -w '%{http_code}' "$BASE/healthz" | grep -q 200 || fail "healthz starved by a wide JSON body"
done
wait "$WIDE"
grep -q '"loaded":1' "$WORK/wide.out" || fail "wide JSON: $(cat "$WORK/wide.out")"

# 5. Made-up methods: refused, and counted under one label.
python3 - "$PORT" <<'PY' || fail "made-up methods"
import socket, sys
for i in range(2000):
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
    s.sendall(b"M%d /reports HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" % i)
    assert s.recv(100).startswith(b"HTTP/1.1 501"), i
    s.close()
PY
curl -s -o "$WORK/metrics" "$BASE/metrics"
METRICS_BYTES=$(wc -c < "$WORK/metrics")
[ "$METRICS_BYTES" -lt 60000 ] || fail "/metrics grew to $METRICS_BYTES bytes"
grep -q 'method="other",status="501"} 2000' "$WORK/metrics" || fail "made-up methods not counted as other"

# 6. Slow clients: 200 connections (within one address's 256) sending a header byte every half second
# while /healthz keeps answering; each is cut off (408) within the timeout.
python3 - "$PORT" "$BASE" "$WAIT_LIMIT" <<'PY' || fail "slow clients"
import socket, sys, threading, time, urllib.request
port, limit = int(sys.argv[1]), float(sys.argv[3])
socks = []
for _ in range(200):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /healthz HTTP/1.1\r\nX: ")
    socks.append(s)
for _ in range(5):
    for s in socks:
        try:
            s.send(b"a")
        except OSError:
            pass  # already cut off (a busy machine took more than the timeout)
    with urllib.request.urlopen(sys.argv[2] + "/healthz", timeout=limit) as answer:
        assert answer.status == 200
    time.sleep(0.5)
s = socks[0]
s.settimeout(limit)
answer = s.recv(100)
assert answer.startswith(b"HTTP/1.1 408"), answer
for s in socks:
    s.close()
PY

# 7. A poll from the far future is a bad row; an operator can delete polls.
request POST /ingest/status -H 'Content-Type: text/csv' --data-binary \
  $'store_id,status,timestamp_utc\ntypo,active,9999-12-31 23:59:59\nok,active,2023-01-25 17:30:00'
expect_status 200 "future poll"
grep -q "body:2: timestamp_utc 9999-12-31T23:59:59.000000Z is later than the server's clock allows" <<< "$BODY" \
  || fail "future poll not rejected: $BODY"
request DELETE "/stores/ok/polls?from=2023-01-25%2017:00:00"
expect_status 200 "delete polls"
[ "$(json_field deleted)" = 1 ] || fail "delete polls: $BODY"
request DELETE "/stores/ok/polls"
expect_json_error 400 "delete polls without a range"
request DELETE "/stores/nobody/polls?to=2023-01-25%2017:00:00"
expect_json_error 404 "delete polls of an unknown store"

# 13. Pipelined requests both answered; two different lengths refused.
python3 - "$PORT" <<'PY' || fail "pipelining or duplicate lengths"
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /reports HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
data = b""
while True:
    chunk = s.recv(65536)
    if not chunk:
        break
    data += chunk
assert data.count(b"HTTP/1.1 200") == 2, data[:300]
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"POST /ingest/status HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd")
assert s.recv(100).startswith(b"HTTP/1.1 400")
PY
# A newline in a path cannot forge a log line.
request GET "/nope%0AGET%20/forged%20200"
expect_json_error 404 "path with a newline"
grep -q '^GET /forged' "$WORK/server.err" && fail "a path injected a log line"
grep -q 'GET /nope\\x0AGET /forged 200 404' "$WORK/server.err" || fail "the path was not logged escaped"
# Refused requests are logged with their own duration.
line=$(grep 'POST /ingest/status 400' "$WORK/server.err" | tail -1)
ms=$(sed -n 's/.* 400 \([0-9.]*\) ms.*/\1/p' <<< "$line")
python3 -c "import sys; assert 0 <= float(sys.argv[1]) < 120000, sys.argv[1]" "$ms" || fail "refused request logged with $ms ms"
# OPTIONS on a real route, and on a path that is none.
request OPTIONS /reports
expect_status 204 "OPTIONS /reports"
grep -qi '^allow: GET, HEAD, OPTIONS' <<< "$HEADERS" || fail "OPTIONS without Allow: $HEADERS"
request OPTIONS /nope
expect_json_error 404 "OPTIONS /nope"
# Years before 1 are written as ISO 8601 expanded years.
request POST /ingest/status -H 'Content-Type: text/csv' --data-binary \
  $'store_id,status,timestamp_utc\nancient,active,0001-01-01 00:30:00'
request GET "/stores/ancient?as_of=0001-01-02%2000:00:00"
expect_status 200 "store in year 1"
[ "$(printf '%s' "$BODY" | python3 -c 'import json,sys; print(json.load(sys.stdin)["week"]["start"])')" = "+0000-12-26T00:00:00.000000Z" ] \
  || fail "year 0 printed wrong: $BODY"
# Backups beyond --keep-backups are removed.
for _ in 1 2 3 4; do request POST /admin/backup; expect_status 200 "backup"; done
[ "$(ls "$WORK/backups" | wc -l)" = 2 ] || fail "backups kept: $(ls "$WORK/backups")"

# expect_exit CODE PATTERN ARGS...: the binary run with ARGS exits CODE and
# says PATTERN (case-insensitive) on stderr.
expect_exit() {
  local want=$1 pattern=$2 code=0
  shift 2
  "$BIN" "$@" > /dev/null 2> "$WORK/exit.err" || code=$?
  [ "$code" = "$want" ] || fail "'$*' exited $code, not $want: $(cat "$WORK/exit.err")"
  grep -qi "$pattern" "$WORK/exit.err" || fail "'$*' did not say '$pattern': $(cat "$WORK/exit.err")"
}

# 11. The same port again: refused, exit 1.
expect_exit 1 'address already in use' serve --db "$WORK/other.db" --port "$PORT"

# 6 again: SIGTERM does not wait for a client that never finishes. The
# server gives a request 600 s to arrive; it must stop long before that.
stop_server
start_server --db "$WORK/u.db" --timeout 600
SERVER=$SERVER_PID
python3 - "$PORT" "$SERVER" "$WAIT_LIMIT" <<'PY' || fail "shutdown waited for a slow client"
import os, signal, socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"GET /healthz HTTP/1.1\r\nX: ")
os.kill(int(sys.argv[2]), signal.SIGTERM)
# Gone within the wait limit, far below the 600 s the request had.
start = time.time()
while time.time() - start < float(sys.argv[3]):
    try:
        if open("/proc/%s/stat" % sys.argv[2]).read().split()[2] == "Z":
            break
    except FileNotFoundError:
        break  # exited, and reaped by the shell
    time.sleep(0.05)
else:
    raise AssertionError("still running after SIGTERM")
PY
wait "$SERVER" || fail "server exited with $? after SIGTERM"
SERVER_PID=""

# 12. Databases that would keep nothing are refused.
for db in "" ":memory:" "file::memory:"; do
  expect_exit 2 "wants the path of a database file" import --db "$db" --data "$FIXTURES/demo"
done

# 13. The token from a file: not in the process list, and required.
printf 's3cret-from-file\n' > "$WORK/token"
start_server --db "$WORK/u.db" --token-file "$WORK/token"
tr '\0' ' ' < "/proc/$SERVER_PID/cmdline" | grep -q s3cret && fail "the token is visible in the process list"
request POST /admin/backup
expect_json_error 401 "backup without the token"
request GET "/stores/%FF"
is_json "GET /stores/%FF with a token set"
request POST /trigger_report -H 'Authorization: Bearer s3cret-from-file'
expect_status 200 "trigger with the token from the file"
stop_server
echo "hardening: ok"
