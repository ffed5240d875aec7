# Large downloads: a finished report's answer is made once per format,
# encoding and scope and shared (gzip when the client takes it, the same
# rows either way); large answers are bounded in number (503 with
# Retry-After past --max-downloads) while small requests are still answered.
source "$(dirname "$0")/lib.sh" "$@"

# 40,000 stores: a JSON answer of about 11 MB, more than the kernel buffers
# of one connection hold, so a client that reads nothing holds its download.
"$BIN" generate --out "$WORK/data" --stores 40000 --days 1 --seed 7 > /dev/null || fail "generate"
"$BIN" import --db "$WORK/u.db" --data "$WORK/data" 2> /dev/null || fail "import"
start_server --db "$WORK/u.db" --max-downloads 1 --timeout 600
trigger
wait_report "$REPORT_ID"
expect_status 200 "the report"

# The same rows whatever the encoding; gzip only when asked for.
for format in csv json; do
  url="$BASE/get_report/$REPORT_ID?format=$format"
  curl -s -D "$WORK/plain.h" -o "$WORK/plain" "$url" || fail "$format download"
  curl -s -D "$WORK/gzip.h" -H 'Accept-Encoding: gzip' -o "$WORK/packed" "$url" || fail "$format gzip download"
  grep -qi '^content-encoding' "$WORK/plain.h" && fail "$format: gzip sent unasked"
  grep -qi '^content-encoding: gzip' "$WORK/gzip.h" || fail "$format: no gzip when asked: $(cat "$WORK/gzip.h")"
  grep -qi '^vary: accept-encoding' "$WORK/gzip.h" || fail "$format: no Vary"
  gunzip -c "$WORK/packed" | cmp -s - "$WORK/plain" || fail "$format: gzip answer differs from the plain one"
  [ "$(stat -c %s "$WORK/packed")" -lt "$(stat -c %s "$WORK/plain")" ] || fail "$format: gzip is not smaller"
  # Asked again: the same bytes.
  curl -s "$url" | cmp -s - "$WORK/plain" || fail "$format: a second download differs"
done
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["rows"]) == d["stores_reported"] > 39000, d["stores_reported"]' \
  "$WORK/plain" || fail "the JSON rows"
[ "$(stat -c %s "$WORK/plain")" -gt 8000000 ] || fail "the JSON answer is smaller than the hold below needs"

# A client that asks for the JSON and reads nothing holds the one place.
python3 - "$PORT" "$REPORT_ID" "$WORK/held" << 'PY' &
import socket, sys, time
port, report, flag = int(sys.argv[1]), sys.argv[2], sys.argv[3]
client = socket.socket()
client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
client.connect(("127.0.0.1", port))
client.sendall(f"GET /get_report/{report}?format=json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
client.recv(1024)  # the answer has begun
open(flag, "w").close()
while True:  # read nothing more until killed
    time.sleep(1)
PY
HOLDER=$!
wait_for "the held download to begin" test -f "$WORK/held"
request GET "/get_report/$REPORT_ID?format=json"
expect_json_error 503 "a second large download while one is held"
grep -qi '^retry-after: 2' <<< "$HEADERS" || fail "503 without Retry-After: $HEADERS"
request GET /stores
expect_json_error 503 "/stores of 40,000 stores while a download is held"
# Small answers do not wait for downloads.
request GET /healthz
expect_status 200 "healthz during a download"
request GET "/get_report/$REPORT_ID?format=csv" -r 0-99
[ "$STATUS" = 503 ] || fail "a range of a large report is still a large download: $STATUS"
kill "$HOLDER"
wait "$HOLDER" 2> /dev/null || true

# The place is given back once the held connection ends.
download_served() {
  request GET "/get_report/$REPORT_ID?format=json"
  [ "$STATUS" = 200 ]
}
wait_for "the place to be given back" download_served
cmp -s "$WORK/body" "$WORK/plain" || fail "the download after the hold differs"
stop_server
echo "downloads: OK"
