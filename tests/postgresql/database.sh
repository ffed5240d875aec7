# Sourced by the PostgreSQL e2e tests after e2e/lib.sh: `fresh_database NAME`
# makes an empty database NAME on the tests' cluster (its URL in the file
# $UPTIME_TEST_POSTGRESQL, set by CTest), sets $base (the cluster's URL) and
# $url (the new database's), and drops it at exit.
fresh_database() {
  DATABASE_NAME=$1
  base=$(cat "$UPTIME_TEST_POSTGRESQL")
  psql "$base" -qc "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" > /dev/null
  url=${base/\/uptime\?/\/$1\?}
  [ "$url" != "$base" ] || fail "cannot make the database's URL from $base"
  # cleanup (lib.sh) takes the script's exit status from $?: kept through the drop.
  trap 'status=$?; psql "$base" -qc "DROP DATABASE IF EXISTS $DATABASE_NAME WITH (FORCE)" > /dev/null 2>&1; (exit $status); cleanup' EXIT
}
