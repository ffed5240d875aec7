# Issue 30: no client, receiver or page elsewhere can lock others out.
# Bodies promised but never sent, a client holding body memory, idle
# connections around an upload, pages elsewhere and other Host names, the
# failed-token lockout behind a proxy, and the ingest role and tags.
source "$(dirname "$0")/lib.sh" "$@"

start_server --db "$WORK/u.db" --data "$FIXTURES/browser" --timeout 300 --log-format json \
  --allowed-host uptime.example.com --trusted-proxy 127.0.0.9
SERVER=$SERVER_PID
CSV=$'store_id,status,timestamp_utc\nlockout-store,active,2023-01-25 17:00:00\n'

# 1. Four connections that each promise a 64 MB body and send nothing hold
# no memory: an ingest beside them is answered at once, not 503.
python3 - "$PORT" "$BASE" "$CSV" <<'PY' || fail "promised bodies locked out an ingest"
import os, socket, sys, urllib.request
port, base, csv = int(sys.argv[1]), sys.argv[2], sys.argv[3].encode()
promises = []
for _ in range(4):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"POST /ingest/status HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/csv\r\n"
              b"Content-Length: 67108864\r\n\r\n")
    promises.append(s)
request = urllib.request.Request(base + "/ingest/status", data=csv,
                                 headers={"Content-Type": "text/csv"})
with urllib.request.urlopen(request, timeout=float(os.environ["WAIT_LIMIT"])) as answer:
    assert answer.status == 200, answer.status
PY

# 1. One address may hold half of the body memory (128 MB of 256 MB): its
# third 60 MB body is refused (503) while another address's ingest is not.
python3 - "$PORT" "$CSV" <<'PY' || fail "one address held every body byte"
import os, socket, sys
port, csv = int(sys.argv[1]), sys.argv[2].encode()
def upload_from(source, length, send):
    s = socket.create_connection(("127.0.0.1", port), source_address=(source, 0))
    s.sendall(b"POST /ingest/status HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/csv\r\n"
              b"Content-Length: %d\r\n\r\n" % length)
    s.sendall(send)
    return s
def answer(s):
    s.settimeout(float(os.environ["WAIT_LIMIT"]))
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    return data
held = [upload_from("127.0.0.2", 64 << 20, b"x" * (60 << 20)) for _ in range(2)]
third = upload_from("127.0.0.2", 64 << 20, b"x" * (10 << 20))
refused = answer(third)
assert refused.startswith(b"HTTP/1.1 503"), refused[:200]
other = upload_from("127.0.0.3", len(csv), csv)
accepted = answer(other)
assert accepted.startswith(b"HTTP/1.1 200"), accepted[:200]
PY
kill -0 "$SERVER" || fail "server died holding bodies"

# 5. 1,100 idle connections from five addresses around a 20 MB upload in
# progress: idle ones are closed to make room, never the upload; and one
# address keeps at most 256 open.
python3 - "$PORT" "$BASE" <<'PY' || fail "idle connections evicted an upload"
import os, resource, socket, sys, urllib.request
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 8192), hard))
port, base = int(sys.argv[1]), sys.argv[2]
import datetime
first, minute = datetime.datetime(2022, 1, 1), datetime.timedelta(minutes=1)
lines, size, n = [b"store_id,status,timestamp_utc\n"], 0, 0
while size < 20 << 20:  # 20 MB of polls, a minute apart
    line = (first + n * minute).strftime("upload-store,active,%Y-%m-%d %H:%M:00\n").encode()
    lines.append(line)
    size += len(line)
    n += 1
body = b"".join(lines)
upload = socket.create_connection(("127.0.0.1", port))
upload.sendall(b"POST /ingest/status HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/csv\r\n"
               b"Content-Length: %d\r\n\r\n" % len(body))
half = len(body) // 2
upload.sendall(body[:half])
idle = []
for n in range(1100):
    idle.append(socket.create_connection(("127.0.0.1", port), source_address=("127.0.0.%d" % (4 + n % 5), 0)))
# Connections are handed over in the order accepted: once this is answered,
# every idle one before it was seen (and the oldest closed to make room).
with urllib.request.urlopen(base + "/healthz", timeout=float(os.environ["WAIT_LIMIT"])) as answer:
    assert answer.status == 200
upload.sendall(body[half:])
upload.settimeout(float(os.environ["WAIT_LIMIT"]))
data = b""
while b"\r\n\r\n" not in data:
    chunk = upload.recv(65536)
    assert chunk, "the upload's connection was closed"
    data += chunk
assert data.startswith(b"HTTP/1.1 200"), data[:300]
# Per address: 300 idle from one more address leave at most 256 of them open.
crowd = [socket.create_connection(("127.0.0.1", port), source_address=("127.0.0.10", 0)) for _ in range(300)]
with urllib.request.urlopen(base + "/healthz", timeout=float(os.environ["WAIT_LIMIT"])) as answer:
    assert answer.status == 200
closed = 0
for s in crowd:
    s.setblocking(False)
    try:
        if s.recv(1) == b"":
            closed += 1
    except BlockingIOError:
        pass
assert closed >= 300 - 256, closed
PY

# 2. Pages elsewhere: a state-changing request from another origin, or
# cross-site without Origin, is refused before anything happens; the
# server's own page and clients without Origin are not.
request POST /ingest/status -H 'Content-Type: text/csv' -H 'Origin: http://evil.example' --data-binary "$CSV"
expect_json_error 403 "ingest from another origin"
grep -q "may not change data here" <<< "$BODY" || fail "cross-origin refusal: $BODY"
printf '%s' "$CSV" > "$WORK/polls.csv"
request POST /ingest/status -H 'Origin: http://evil.example' -F "file=@$WORK/polls.csv"
expect_json_error 403 "multipart upload from another origin"
request POST /admin/tokens -H 'Content-Type: application/json' -H 'Sec-Fetch-Site: cross-site' \
  --data '{"name": "planted", "role": "admin"}'
expect_json_error 403 "first admin token from a cross-site request"
request DELETE "/stores/outage-store/polls?to=2030-01-01%2000:00:00" -H 'Origin: null'
expect_json_error 403 "delete from an opaque origin"
request GET /admin/tokens
grep -q planted <<< "$BODY" && fail "a cross-site request created a token"
request POST /trigger_report -H 'Content-Type: text/plain' --data '{"max_gap": "2h"}'
expect_json_error 415 "JSON options declared text/plain"
request POST /admin/webhooks -H 'Content-Type: text/plain' \
  --data '{"url": "http://127.0.0.1:9/x", "secret": "0123456789abcdef"}'
expect_json_error 415 "a webhook declared text/plain"
request POST /trigger_report -H "Origin: $BASE" -H 'Content-Type: application/json' --data '{}'
expect_status 200 "the server's own page triggers"
request POST /trigger_report
expect_status 200 "curl triggers (no Origin)"
request GET /healthz -H "Origin: http://evil.example"
expect_status 200 "a read from another origin (CORS keeps its answer from the page)"

# 2. DNS rebinding: a Host that is not this server's is refused; loopback
# names, the bound address and --allowed-host names are not.
request GET /stores -H 'Host: evil.example'
expect_json_error 421 "Host evil.example"
grep -q -- "--allowed-host" <<< "$BODY" || fail "421 does not say how to allow a name: $BODY"
request POST /ingest/status -H 'Host: attacker.example:8080' -H 'Content-Type: text/csv' --data-binary "$CSV"
expect_json_error 421 "ingest to Host attacker.example"
for host in "localhost:$PORT" "127.0.0.1:$PORT" "uptime.example.com" "UPTIME.example.com:443" "app.localhost"; do
  request GET /healthz -H "Host: $host"
  expect_status 200 "Host $host"
done

# 6. The ingest role may not change who owns what: tags are an admin's.
"$BIN" token create --db "$WORK/u.db" --name admin --role admin > "$WORK/admin" 2> /dev/null
"$BIN" token create --db "$WORK/u.db" --name poller --role ingest > "$WORK/poller" 2> /dev/null
request POST /ingest/tags -H "Authorization: Bearer $(cat "$WORK/poller")" -H 'Content-Type: text/csv' \
  --data-binary $'store_id,tag\noutage-store,mine\n'
expect_json_error 403 "tags with an ingest token"

# 3. Behind a trusted proxy each client has its own failures: one client's
# wrong tokens lock out that client, not the others behind the proxy; a
# right token is accepted even from the locked-out client; no token at all
# is not a failure. The proxy here is 127.0.0.9. (A reader token exists, so
# reading needs a token.)
"$BIN" token create --db "$WORK/u.db" --name reader --role reader > /dev/null 2>&1
proxied() {  # proxied CLIENT TOKEN: GET /reports through the "proxy"
  STATUS=$(curl -s -o "$WORK/body" -w '%{http_code}' --interface 127.0.0.9 \
    -H "X-Forwarded-For: 198.51.100.1, $1" -H "Authorization: Bearer $2" "$BASE/reports")
}
for _ in $(seq 1 30); do
  STATUS=$(curl -s -o /dev/null -w '%{http_code}' --interface 127.0.0.9 -H 'X-Forwarded-For: 203.0.113.7' "$BASE/reports")
  [ "$STATUS" = 401 ] || fail "a request without a token: $STATUS"
done
for _ in $(seq 1 21); do proxied 203.0.113.5 wrong; [ "$STATUS" = 401 ] || fail "wrong token: $STATUS"; done
proxied 203.0.113.5 wrong
[ "$STATUS" = 429 ] || fail "the guessing client is not refused: $STATUS"
proxied 203.0.113.6 wrong
[ "$STATUS" = 401 ] || fail "another client behind the proxy is locked out: $STATUS"
proxied 203.0.113.7 wrong
[ "$STATUS" = 401 ] || fail "requests without a token counted as failures: $STATUS"
proxied 203.0.113.5 "$(cat "$WORK/admin")"
[ "$STATUS" = 200 ] || fail "a right token from the locked-out client: $STATUS"
# The log names the client the proxy forwarded for; an address that is not
# a trusted proxy is not believed.
grep '"status":429' "$WORK/server.err" | grep -q '"remote_addr":"203.0.113.5"' \
  || fail "the 429 is not logged with the forwarded client"
STATUS=$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Forwarded-For: 203.0.113.5' \
  -H "Authorization: Bearer wrong" "$BASE/reports")
[ "$STATUS" = 401 ] || fail "X-Forwarded-For believed from an untrusted peer: $STATUS"

stop_server
echo "lockouts: ok"
