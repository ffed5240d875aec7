# Helpers for the end-to-end tests: start the real binary on a free loopback
# port with a temporary database, talk to it with curl, check answers.
# Usage from a test: source lib.sh "$@"   (arguments: BINARY FIXTURES_DIR)
set -euo pipefail
# Debian's tools first: a version manager's python3 shim (pyenv's) on PATH
# made each python3 call here take 0.35 s instead of 0.03 s, the tests'
# largest cost.
export PATH="/usr/bin:/bin:$PATH"

BIN=$1
FIXTURES=$2
WORK=$(mktemp -d)
SERVER_PID=""
PORT=""
BASE=""
# Seconds any wait below gives its condition before the test fails: waits
# poll for a condition, so a slow or busy machine makes a test longer, never
# failed (UPTIME_TEST_WAIT_LIMIT changes it).
export WAIT_LIMIT=${UPTIME_TEST_WAIT_LIMIT:-120}  # python3 helpers read it too

# Every JSON answer request() receives is checked against the OpenAPI
# document when the test ends (openapi_answers.py): a test whose answers
# drift from the document fails.
OPENAPI_DOC=$(dirname "$FIXTURES")/src/server/web/openapi.json
ANSWERS=$WORK/answers.tsv

cleanup() {
  local code=$?
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then kill -9 "$SERVER_PID" 2>/dev/null || true; fi
  drop_pg_databases
  if [ "$code" = 0 ] && [ -f "$ANSWERS" ] &&
     ! python3 "$(dirname "${BASH_SOURCE[0]}")/openapi_answers.py" "$OPENAPI_DOC" "$ANSWERS"; then
    echo "FAIL: answers that do not match $OPENAPI_DOC (above)" >&2
    code=1
  fi
  rm -rf "$WORK"
  exit "$code"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  if [ -f "$WORK/server.err" ]; then echo "--- server log:" >&2; tail -20 "$WORK/server.err" >&2; fi
  exit 1
}

# With UPTIME_TEST_ENGINE=postgresql (CTest's e2e_postgresql.* runs), the
# binary keeps its data in PostgreSQL instead: $BIN becomes a wrapper that
# turns each --db PATH into a fresh database of its own on the tests'
# cluster (its URL in the file $UPTIME_TEST_POSTGRESQL), the same one each
# time the PATH comes back (a restart, a command beside the server), dropped
# at exit. Tests that read the SQLite file themselves do not run this way
# (tests/CMakeLists.txt lists those that do). The databases made are listed
# in a file: server_db runs in the wrapper, a process of its own.
server_db() {
  if [ "${UPTIME_TEST_ENGINE:-sqlite}" != postgresql ]; then
    printf '%s' "$1"
    return
  fi
  local base name
  base=$(cat "$UPTIME_TEST_POSTGRESQL")
  name="e2e_${TEST_NAME}_$(printf '%s' "$1" | sha1sum | cut -c1-8)"
  if ! grep -qx "$name" "$WORK/pg_databases" 2> /dev/null; then
    psql "$base" -qc "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name" > /dev/null 2>&1 ||
      fail "cannot create database $name"
    echo "$name" >> "$WORK/pg_databases"
  fi
  printf '%s' "${base/\/uptime\?/\/$name\?}"
}
drop_pg_databases() {
  local base name
  [ -f "$WORK/pg_databases" ] || return 0
  base=$(cat "$UPTIME_TEST_POSTGRESQL")
  while read -r name; do
    psql "$base" -qc "DROP DATABASE IF EXISTS $name WITH (FORCE)" > /dev/null 2>&1 || true
  done < "$WORK/pg_databases"
}

# remove_db PATH: the database at PATH is gone (its file, its write-ahead
# log; on PostgreSQL, its database): the next start begins empty.
remove_db() {
  rm -f "$1" "$1-wal" "$1-shm"
  if [ "${UPTIME_TEST_ENGINE:-sqlite}" = postgresql ]; then
    local url
    url=$(server_db "$1")
    psql "$url" -qc "DROP SCHEMA public CASCADE" -c "CREATE SCHEMA public" > /dev/null ||
      fail "cannot empty the database of $1"
  fi
}

if [ "${UPTIME_TEST_ENGINE:-sqlite}" = postgresql ]; then
  export WORK UPTIME_TEST_POSTGRESQL UPTIME_TEST_ENGINE REAL_BIN=$BIN
  TEST_NAME=$(basename "$0" .sh)
  export TEST_NAME
  export -f server_db fail
  BIN=$WORK/uptime-monitor
  cat > "$BIN" <<'WRAPPER'
#!/usr/bin/env bash
set -euo pipefail
args=()
while [ $# -gt 0 ]; do
  if [ "$1" = --db ] && [ $# -gt 1 ]; then
    args+=(--db "$(server_db "$2")")
    shift 2
  else
    args+=("$1")
    shift
  fi
done
exec "$REAL_BIN" "${args[@]}"
WRAPPER
  chmod +x "$BIN"
fi

# wait_for WHAT COMMAND...: runs COMMAND until it succeeds, for at most
# WAIT_LIMIT seconds; then fails naming WHAT.
wait_for() {
  local what=$1
  shift
  local deadline=$((SECONDS + WAIT_LIMIT))
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || fail "waited ${WAIT_LIMIT} s for $what"
    sleep 0.05
  done
}

# db_value FILE SQL: the first column of the first row of SQL, read straight
# from the database file, which must pass integrity_check first.
db_value() {
  python3 - "$1" "$2" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok", "integrity_check failed"
print(db.execute(sys.argv[2]).fetchone()[0])
PY
}

# start_server ARGS... : serve on a free port (--port 0), wait until it listens.
# The server's own standard reports are held off (a test counting reports or
# holding the queue must not race them); a test of them passes
# --standard-report-every, which wins as the later flag.
start_server() {
  : > "$WORK/server.out"
  "$BIN" serve --port 0 --standard-report-every 0 "$@" > "$WORK/server.out" 2>> "$WORK/server.err" &
  SERVER_PID=$!
  server_listens() {
    PORT=$(sed -n 's|^listening on http://127.0.0.1:\([0-9]*\)/$|\1|p' "$WORK/server.out")
    [ -n "$PORT" ] && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || fail "server exited at start"
    return 1
  }
  wait_for "the server to print its port" server_listens
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
  # Kept for the OpenAPI check: JSON answers up to 1 MB.
  if grep -qi '^content-type: application/json' "$WORK/headers" &&
     [ "$(stat -c %s "$WORK/body")" -le 1048576 ]; then
    ANSWER_COUNT=$((${ANSWER_COUNT:-0} + 1))
    cp "$WORK/body" "$WORK/answer.$ANSWER_COUNT"
    printf '%s\t%s\t%s\t%s\n' "$method" "$path" "$STATUS" "$WORK/answer.$ANSWER_COUNT" >> "$ANSWERS"
  fi
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
  report_ended() {
    request GET "/get_report/$1"
    [ "$STATUS" != 200 ] || ! grep -q '"status":"Running"' <<< "$BODY"
  }
  wait_for "report $1 to end" report_ended "$1"
}

# wait_running ID: polls get_report until the report is seen running (not queued).
wait_running() {
  report_running() {
    request GET "/get_report/$1"
    grep -q '"stage":"Running"' <<< "$BODY"
  }
  wait_for "report $1 to be running" report_running "$1"
}
