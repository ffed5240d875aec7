# A primary and its streaming standby, as Patroni keeps them
# (docs/deployments.md), reached through one URL naming both hosts with
# target_session_attrs=read-write: the import goes to the primary; once the
# primary is killed and the standby promoted, the same URL reaches the new
# primary, whose report is the old one's bytes and which takes imports.
# Starts its own two clusters (tests/postgresql/cluster.sh for the primary).
source "$(dirname "$0")/../e2e/lib.sh" "$@"

bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_server() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
standby=$(mktemp -d /tmp/uptime-standby-XXXXXX)
[ "$(id -u)" = 0 ] && chown postgres "$standby"
stop_clusters() {
  as_server "$bin/pg_ctl" -D "$standby/data" -m immediate -w stop > /dev/null 2>&1 || true
  rm -rf "$standby"
  "$(dirname "$0")/cluster.sh" stop "$WORK/primary" > /dev/null 2>&1 || true
}
# cleanup (lib.sh) takes the script's exit status from $?: kept through the stops.
trap 'status=$?; stop_clusters; (exit $status); cleanup' EXIT

"$(dirname "$0")/cluster.sh" start "$WORK/primary" || fail "primary"
primary=$(cat "$WORK/primary/cluster")
as_server "$bin/pg_basebackup" -h "$primary" -p 5432 -U postgres -D "$standby/data" -R -c fast \
  > "$WORK/basebackup.log" 2>&1 || fail "pg_basebackup: $(cat "$WORK/basebackup.log")"
# max_connections as the primary's (cluster.sh): a standby may not have fewer.
as_server "$bin/pg_ctl" -D "$standby/data" -l "$standby/server.log" -w -t 60 \
  -o "-c listen_addresses='' -k $standby -p 5433 -c fsync=off -c max_connections=400" start > /dev/null ||
  fail "standby: $(cat "$standby/server.log")"
as_server "$bin/psql" -h "$standby" -p 5433 -U postgres -Atc "SELECT pg_is_in_recovery()" uptime |
  grep -qx t || fail "the standby is not in recovery"

url="postgresql:///uptime?host=$primary,$standby&port=5432,5433&user=postgres&target_session_attrs=read-write"
"$BIN" import --db "$url" --data "$FIXTURES/demo" 2> /dev/null || fail "import through both hosts"
"$BIN" report --db "$url" --out "$WORK/before.csv" 2> /dev/null || fail "report before failover"
lsn=$(psql "postgresql:///uptime?host=$primary&port=5432&user=postgres" -Atc "SELECT pg_current_wal_lsn()")
replayed() {
  [ "$(psql "postgresql:///uptime?host=$standby&port=5433&user=postgres" -Atc \
    "SELECT pg_last_wal_replay_lsn() >= '$lsn'")" = t ]
}
wait_for "the standby to replay the import" replayed

# The primary dies; until the standby is promoted nothing takes writes, and
# the error says where it looked.
as_server "$bin/pg_ctl" -D "$primary/data" -m immediate -w stop > /dev/null || fail "kill the primary"
code=0
"$BIN" report --db "$url" --out /dev/null 2> "$WORK/err" || code=$?
[ "$code" = 1 ] && [ "$(wc -l < "$WORK/err")" = 1 ] || fail "no primary: $code $(cat "$WORK/err")"
grep -q "cannot connect to PostgreSQL at $primary,$standby:5432,5433/uptime" "$WORK/err" ||
  fail "no primary: $(cat "$WORK/err")"
as_server "$bin/pg_ctl" -D "$standby/data" -w promote > /dev/null || fail "promote"

"$BIN" report --db "$url" --out "$WORK/after.csv" 2> /dev/null || fail "report after failover"
cmp -s "$WORK/before.csv" "$WORK/after.csv" || fail "the report changed with the failover"
"$BIN" import --db "$url" --data "$FIXTURES/demo" 2> "$WORK/again" || fail "import after failover"
grep -q "15528 rows read, 0 loaded, 15528 duplicates" "$WORK/again" || fail "again: $(cat "$WORK/again")"
echo "postgresql failover: ok"
