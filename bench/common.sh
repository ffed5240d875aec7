# Shared by bench/run.sh and bench/load.sh: a scratch folder removed on exit,
# and the server started on a free loopback port.
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

# wait_report ID: waits until the report is no longer running.
wait_report() {
  while curl -s "$BASE/get_report/$1" | head -c 200 | grep -q '"status":"Running"'; do sleep 0.005; done
}
