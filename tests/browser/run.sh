#!/bin/bash
# The page in a real browser: starts the binary on fixtures/browser and runs
# page_test.cjs in Debian's chromium. Exits 77 (CTest: skipped) with the reason
# when chromium, node or playwright-core is missing; `make test` installs them.
# Usage: run.sh BINARY FIXTURES_DIR NODE_MODULES_PARENT SCREENSHOT_DIR
source "$(dirname "$0")/../e2e/lib.sh" "$1" "$2"
MODULES=$(realpath "$3")/node_modules
SHOTS=$(realpath -m "$4")

skip() { echo "SKIPPED: $* (make test installs it)"; exit 77; }
[ -x /usr/bin/chromium ] || skip "no /usr/bin/chromium"
command -v node > /dev/null || skip "no node"
[ -d "$MODULES/playwright-core" ] || skip "no playwright-core in $MODULES"
[ -d "$MODULES/axe-core" ] || skip "no axe-core in $MODULES"

mkdir -p "$SHOTS"
# Another origin on loopback: a plain file server, for the CORS check.
mkdir "$WORK/elsewhere"
printf '<!doctype html><html lang="en"><link rel="icon" href="data:,"><title>elsewhere</title></html>\n' > "$WORK/elsewhere/index.html"
python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$WORK/elsewhere" > "$WORK/elsewhere.out" 2>&1 &
ELSEWHERE_PID=$!
# cleanup (lib.sh) takes the script's exit status from $?: kept through the kills.
trap 'status=$?; kill $ELSEWHERE_PID ${MANY_PID:-} 2>/dev/null; (exit $status); cleanup' EXIT
for _ in $(seq 1 2400); do
  ELSEWHERE_PORT=$(sed -n 's/.* port \([0-9]*\) .*/\1/p' "$WORK/elsewhere.out")
  [ -n "$ELSEWHERE_PORT" ] && break
  sleep 0.05
done
[ -n "$ELSEWHERE_PORT" ] || fail "the file server for another origin did not start"
ELSEWHERE=http://127.0.0.1:$ELSEWHERE_PORT
# A second server with 250 generated stores, for paging, that lets the page
# test's other origin call it (CORS).
# Its newest polls are now, so the server is live.
"$BIN" generate --stores 250 --days 8 --seed 1 --end "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --out "$WORK/many" > /dev/null
start_server --db "$WORK/many.db" --data "$WORK/many" --cors-origin "$ELSEWHERE" --standard-report-every 15m
MANY_BASE=$BASE
MANY_PID=$SERVER_PID
start_server --db "$WORK/u.db" --data "$FIXTURES/browser" --standard-report-every 15m
node "$(dirname "$0")/page_test.cjs" "$BASE" "$MANY_BASE" "$ELSEWHERE" "$MODULES" "$SHOTS" || fail "browser test"
stop_server
SERVER_PID=$MANY_PID
stop_server
