# Helpers for the end-to-end tests: start the real binary on a free loopback
# port with a temporary database, talk to it with curl, check answers.
# Usage from a test: source lib.sh "$@"   (arguments: BINARY FIXTURES_DIR)
set -euo pipefail

BIN=$1
FIXTURES=$2
WORK=$(mktemp -d)
SERVER_PID=""
PORT=""
BASE=""

cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then kill -9 "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  if [ -f "$WORK/server.err" ]; then echo "--- server log:" >&2; tail -20 "$WORK/server.err" >&2; fi
  exit 1
}

# start_server ARGS... : serve on a free port (--port 0), wait until it listens.
start_server() {
  : > "$WORK/server.out"
  "$BIN" serve --port 0 "$@" > "$WORK/server.out" 2>> "$WORK/server.err" &
  SERVER_PID=$!
  for _ in $(seq 1 200); do
    PORT=$(sed -n 's|^listening on http://127.0.0.1:\([0-9]*\)/$|\1|p' "$WORK/server.out")
    [ -n "$PORT" ] && break
    kill -0 "$SERVER_PID" 2>/dev/null || fail "server exited at start"
    sleep 0.05
  done
  [ -n "$PORT" ] || fail "server did not print its port"
  BASE="http://127.0.0.1:$PORT"
}

# stop_server: SIGTERM, and it must exit 0.
stop_server() {
  kill -TERM "$SERVER_PID"
  wait "$SERVER_PID" || fail "server exited with $? after SIGTERM"
  SERVER_PID=""
}

# kill_server: kill -9, as a crash would.
kill_server() {
  kill -9 "$SERVER_PID"
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

# request METHOD PATH [curl args...]: sets STATUS and BODY (and HEADERS).
request() {
  local method=$1 path=$2
  shift 2
  STATUS=$(curl -s -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' -X "$method" "$@" "$BASE$path")
  BODY=$(cat "$WORK/body")
  HEADERS=$(cat "$WORK/headers")
}

expect_status() {
  [ "$STATUS" = "$1" ] || fail "$2: expected HTTP $1, got $STATUS: $BODY"
}

# json_field FIELD: the field of BODY (a JSON object), printed as text.
json_field() {
  printf '%s' "$BODY" | python3 -c 'import json,sys; v=json.load(sys.stdin).get(sys.argv[1]); print("" if v is None else v)' "$1"
}

# expect_json_error STATUS WHAT: BODY is {"error": "..."} with that status.
expect_json_error() {
  expect_status "$1" "$2"
  printf '%s' "$BODY" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert isinstance(d.get("error"), str) and d["error"], d' \
    || fail "$2: body is not a JSON error: $BODY"
  grep -qi '^content-type: application/json' <<< "$HEADERS" || fail "$2: not served as JSON"
}

# trigger [?QUERY] [curl args...]: POST /trigger_report, sets REPORT_ID.
trigger() {
  local query=""
  if [ $# -gt 0 ] && [ "${1:0:1}" = "?" ]; then query=$1; shift; fi
  request POST "/trigger_report$query" "$@"
  expect_status 200 "trigger_report"
  REPORT_ID=$(json_field report_id)
  [ -n "$REPORT_ID" ] || fail "no report_id in $BODY"
}

# wait_report ID: polls get_report until it is no longer Running; leaves STATUS/BODY.
wait_report() {
  for _ in $(seq 1 600); do
    request GET "/get_report/$1"
    if [ "$STATUS" != 200 ] || ! grep -q '"status":"Running"' <<< "$BODY"; then return 0; fi
    sleep 0.05
  done
  fail "report $1 still running"
}

# wait_running ID: polls get_report until the report is seen running (not queued).
wait_running() {
  for _ in $(seq 1 400); do
    request GET "/get_report/$1"
    grep -q '"stage":"Running"' <<< "$BODY" && return 0
    sleep 0.01
  done
  fail "never saw report $1 running: $BODY"
}
