#!/bin/bash
# make fresh-check: the README's first steps on a new machine. Builds a
# minbase Debian 12 root with debootstrap, from the package source apt uses
# on this machine and trusting the certificates it trusts; inside it runs the
# set-up line of the README (the `apt-get install` one near its top), clones
# HEAD of this repository, runs `make run` until it listens and answers
# /healthz, then `make test`. Prints what passed and failed, with timings;
# exits 1 if anything failed. Needs root. FRESH_ROOT: where the root goes
# (made anew); FRESH_SUITE: bookworm.
set -uo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
ROOT=${FRESH_ROOT:-/var/tmp/uptime-monitor-fresh}
SUITE=${FRESH_SUITE:-bookworm}
PORT=18089
LOG=$ROOT.log
[ "$(id -u)" = 0 ] || { echo "fresh-check: needs root (debootstrap, chroot)" >&2; exit 1; }

results=()
failed=0
note() { results+=("$1"); echo "== $1"; }
step() {  # step NAME COMMAND...: runs it, notes pass/fail and the time
  local name=$1 started=$SECONDS
  shift
  if "$@" >> "$LOG" 2>&1; then
    note "ok    $name ($((SECONDS - started)) s)"
  else
    note "FAIL  $name ($((SECONDS - started)) s; see $LOG)"
    failed=1
  fi
}

# The package source apt uses here: the first deb URI of the main suite.
mirror=$(sed -n 's/^URIs: *\([^ ]*\).*/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v security | head -1)
[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" && $3 !~ /security/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null)
[ -n "$mirror" ] || { echo "fresh-check: no Debian package source found in /etc/apt" >&2; exit 1; }

unmount() {
  for m in dev/shm dev/pts dev sys proc src; do
    mountpoint -q "$ROOT/$m" 2>/dev/null && umount -l "$ROOT/$m"
  done
}
trap unmount EXIT
unmount
rm -rf "$ROOT"
: > "$LOG"
echo "fresh-check: $SUITE minbase from $mirror into $ROOT (log: $LOG)"

command -v debootstrap > /dev/null || { apt-get update -q && apt-get install -y -q debootstrap; } >> "$LOG" 2>&1
step "debootstrap --variant=minbase $SUITE" debootstrap --variant=minbase "$SUITE" "$ROOT" "$mirror"
[ "$failed" = 0 ] || { printf '%s\n' "${results[@]}"; exit 1; }

# The same sources, apt settings and certificates as this machine.
cp /etc/apt/sources.list.d/*.sources "$ROOT/etc/apt/sources.list.d/" 2>/dev/null || true
[ -f /etc/apt/sources.list ] && cp /etc/apt/sources.list "$ROOT/etc/apt/"
cp /etc/apt/apt.conf.d/99* "$ROOT/etc/apt/apt.conf.d/" 2>/dev/null || true
mkdir -p "$ROOT/usr/local/share/ca-certificates" "$ROOT/etc/ssl/certs"
cp /usr/local/share/ca-certificates/* "$ROOT/usr/local/share/ca-certificates/" 2>/dev/null || true
cp /etc/ssl/certs/ca-certificates.crt "$ROOT/etc/ssl/certs/" 2>/dev/null || true
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
mkdir -p "$ROOT/src"
for m in proc sys dev dev/pts dev/shm; do mount --bind "/$m" "$ROOT/$m"; done
mount --bind "$REPO" "$ROOT/src"

in_root() {  # a login-like shell in the new root, with a plain environment
  chroot "$ROOT" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt /bin/bash -c "$1"
}

setup=$(head -30 "$REPO/README.md" | grep -o '`apt-get[^`]*`' | head -1 | tr -d '`')
[ -n "$setup" ] || { note "FAIL  the README names no apt-get set-up line near its top"; failed=1; }
step "README set-up: $setup" in_root "export DEBIAN_FRONTEND=noninteractive; $setup"
step "git clone HEAD" in_root "git config --global --add safe.directory '*' && git clone -q /src /root/uptime-monitor"

started=$SECONDS
in_root "cd /root/uptime-monitor && exec make run PORT=$PORT DB=/root/demo.db" > "$ROOT.run.log" 2>&1 &
run_pid=$!
listening=""
while kill -0 "$run_pid" 2>/dev/null && [ $((SECONDS - started)) -lt 1200 ]; do
  if grep -q "^listening on" "$ROOT.run.log"; then listening=1; break; fi
  sleep 2
done
if [ -n "$listening" ] && curl -sf "http://127.0.0.1:$PORT/healthz" > /dev/null; then
  note "ok    make run: listening and /healthz answered ($((SECONDS - started)) s)"
else
  note "FAIL  make run: no answer after $((SECONDS - started)) s (see $ROOT.run.log)"
  failed=1
fi
[ "$(grep -c "listening on" "$ROOT.run.log")" -le 1 ] || { note "FAIL  make run printed 'listening on' more than once"; failed=1; }
pkill -TERM -f "uptime-monitor serve --db /root/demo.db" 2>/dev/null
wait "$run_pid" 2>/dev/null

started=$SECONDS
in_root "cd /root/uptime-monitor && make test" > "$ROOT.test.log" 2>&1
code=$?
summary=$(grep -E "tests passed|tests failed" "$ROOT.test.log" | tail -1)
if [ "$code" = 0 ]; then
  note "ok    make test: $summary ($((SECONDS - started)) s)"
else
  note "FAIL  make test exited $code: ${summary:-no summary} ($((SECONDS - started)) s; see $ROOT.test.log)"
  failed=1
fi
grep -E "Skipped|Not Run" "$ROOT.test.log" | sed 's/^/      /'

echo
echo "fresh-check on $SUITE minbase:"
printf '  %s\n' "${results[@]}"
exit "$failed"
