#!/bin/bash
# The Debian package on this machine: installs the .deb of `make package`
# with apt-get (which pulls its dependencies), checks what it put in place,
# then starts the binary as uptime-monitor.service would — its user, its
# environment file, its ExecStart and working folder — through systemd where
# systemd runs, by hand otherwise, and checks /healthz and a report.
# Leaves the machine as it found it. Skipped (77) unless root with apt-get.
# Usage: install.sh BUILD_DIR
set -euo pipefail
BUILD_DIR=$1
skip() { echo "SKIPPED: $*"; exit 77; }
fail() { echo "FAIL: $*" >&2; [ -f "${LOG:-/nonexistent}" ] && tail -20 "$LOG" >&2; exit 1; }
[ "$(id -u)" = 0 ] || skip "installing a package needs root"
command -v apt-get > /dev/null || skip "no apt-get: not a Debian system"
DEB=$(ls -t "$BUILD_DIR"/uptime-monitor_*_*.deb 2> /dev/null | head -1 || true)
[ -n "$DEB" ] || skip "no .deb in $BUILD_DIR (make package builds it)"
DEB=$(realpath "$DEB")

UNIT=/usr/lib/systemd/system/uptime-monitor.service
SETTINGS=/etc/default/uptime-monitor
STATE=/var/lib/uptime-monitor
WAS_INSTALLED=$(dpkg-query -W -f='${Status}' uptime-monitor 2> /dev/null | grep -c 'install ok installed' || true)
HAD_USER=$(getent passwd uptime-monitor > /dev/null && echo 1 || echo 0)
WORK=$(mktemp -d)
LOG=$WORK/server.err
TEST_DB=$STATE/package-test-$$.db
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill -9 "$SERVER_PID" 2> /dev/null || true
  rm -f "$TEST_DB" "$TEST_DB-wal" "$TEST_DB-shm"
  if [ "$WAS_INSTALLED" = 0 ]; then
    dpkg --purge uptime-monitor > /dev/null 2>&1 || true
    [ "$HAD_USER" = 0 ] && deluser --system --quiet uptime-monitor > /dev/null 2>&1 || true
    rmdir "$STATE" 2> /dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$DEB" > "$WORK/apt.log" 2>&1 \
  || { cat "$WORK/apt.log" >&2; fail "apt-get install $DEB"; }

# What the package put in place.
VERSION=$(dpkg-deb -f "$DEB" Version)
[ "$(/usr/bin/uptime-monitor --version)" = "uptime-monitor $VERSION" ] || fail "/usr/bin/uptime-monitor --version"
[ -f "$UNIT" ] || fail "no $UNIT"
for line in "User=uptime-monitor" "Restart=on-failure" "EnvironmentFile=-$SETTINGS" "StateDirectory=uptime-monitor"; do
  grep -qx "$line" "$UNIT" || fail "$UNIT lacks $line"
done
if command -v systemd-analyze > /dev/null; then
  systemd-analyze verify "$UNIT" 2> "$WORK/verify" || { cat "$WORK/verify" >&2; fail "systemd-analyze verify"; }
fi
getent passwd uptime-monitor | grep -q ":$STATE:" || fail "user uptime-monitor with home $STATE"
[ "$(stat -c %U:%a "$STATE")" = uptime-monitor:750 ] || fail "$STATE is $(stat -c %U:%a "$STATE")"
[ "$(stat -c %U:%G:%a "$SETTINGS")" = root:uptime-monitor:640 ] || fail "$SETTINGS is $(stat -c %U:%G:%a "$SETTINGS")"
grep -qx "UPTIME_DB=$STATE/uptime.db" "$SETTINGS" || fail "$SETTINGS: database not under $STATE"
dpkg-query -W -f='${Conffiles}' uptime-monitor | grep -q "$SETTINGS" || fail "$SETTINGS is not a conffile"

if [ -d /run/systemd/system ]; then
  # systemd runs here: the service itself, as installed.
  systemctl is-enabled --quiet uptime-monitor || fail "service not enabled"
  systemctl restart uptime-monitor
  PORT=$(sed -n 's/^UPTIME_PORT=//p' "$SETTINGS")
  for _ in $(seq 1 2400); do curl -sf "http://127.0.0.1:$PORT/healthz" > /dev/null && break; sleep 0.05; done
else
  # No systemd (a container): run the unit's ExecStart as its User, in its
  # WorkingDirectory, with its EnvironmentFile — on a free port and a test database.
  EXEC=$(sed -n 's/^ExecStart=//p' "$UNIT")
  RUN_AS=$(sed -n 's/^User=//p' "$UNIT")
  DIR=$(sed -n 's/^WorkingDirectory=//p' "$UNIT")
  mapfile -t ENVIRONMENT < <(grep -E '^[A-Z_]+=' "$SETTINGS")
  cd "$DIR"
  setpriv --reuid="$RUN_AS" --regid="$RUN_AS" --init-groups -- env -i PATH=/usr/bin:/bin "${ENVIRONMENT[@]}" UPTIME_PORT=0 UPTIME_DB="$TEST_DB" \
    $EXEC > "$WORK/server.out" 2> "$LOG" &
  SERVER_PID=$!
  for _ in $(seq 1 2400); do  # 120 s at most
    PORT=$(sed -n 's|^listening on http://127.0.0.1:\([0-9]*\)/$|\1|p' "$WORK/server.out")
    [ -n "$PORT" ] && break
    kill -0 "$SERVER_PID" 2> /dev/null || fail "the service's command exited at start"
    sleep 0.05
  done
  [ -n "$PORT" ] || fail "no port"
  [ "$(stat -c %U "$TEST_DB")" = "$RUN_AS" ] || fail "database not owned by $RUN_AS"
fi

BASE=http://127.0.0.1:$PORT
curl -sf "$BASE/healthz" | grep -q '"database":"ok"' || fail "/healthz"
curl -sf -H 'Content-Type: text/csv' --data-binary \
  $'store_id,status,timestamp_utc\npkg-store,active,2023-01-25 18:00:00 UTC\n' "$BASE/ingest/status" > /dev/null \
  || fail "ingest"
ID=$(curl -sf -X POST "$BASE/trigger_report" | python3 -c 'import json,sys; print(json.load(sys.stdin)["report_id"])')
for _ in $(seq 1 1200); do  # 120 s at most
  curl -s "$BASE/get_report/$ID" > "$WORK/report"
  grep -q Running "$WORK/report" || break
  sleep 0.1
done
grep -q '^pkg-store,60.00,' "$WORK/report" || [ -d /run/systemd/system ] || fail "report: $(cat "$WORK/report")"

if [ -n "$SERVER_PID" ]; then
  kill -TERM "$SERVER_PID"
  wait "$SERVER_PID" || fail "exit status $? after SIGTERM"
  SERVER_PID=""
fi
echo "package: $(basename "$DEB") installs and serves"
