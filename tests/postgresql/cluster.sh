#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: `cluster.sh start DIR` makes
# one in DIR (initdb, a Unix socket in DIR only: no TCP port, so nothing else
# on the machine is touched or in the way), creates its database and writes
# its URL to DIR/url; `cluster.sh stop DIR` stops it and removes DIR. As
# root, the server runs as the `postgres` user (it refuses to run as root);
# when that user cannot reach DIR (a build folder under a private home), the
# cluster lives in a folder of /tmp that DIR/cluster names.
set -euo pipefail
command=$1
dir=$(mkdir -p "$2" && cd "$2" && pwd)

bin=$(ls -d /usr/lib/postgresql/*/bin 2> /dev/null | sort -V | tail -1)
[ -n "$bin" ] || { echo "cluster.sh: PostgreSQL is not installed (make deps installs it)" >&2; exit 1; }

as_server() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$command" in
  start)
    [ -f "$dir/cluster" ] && "$0" stop "$dir"
    mkdir -p "$dir"
    cluster="$dir/cluster.d"
    if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -w "$dir" 2> /dev/null; then
      chown postgres "$dir" 2> /dev/null || true
      runuser -u postgres -- test -w "$dir" 2> /dev/null || cluster=$(mktemp -d /tmp/uptime-pg-XXXXXX)
    fi
    mkdir -p "$cluster"
    [ "$(id -u)" = 0 ] && chown postgres "$cluster"
    echo "$cluster" > "$dir/cluster"
    as_server "$bin/initdb" -D "$cluster/data" -U postgres --auth=trust --no-sync -E UTF8 \
      > "$cluster/initdb.log" 2>&1 || { cat "$cluster/initdb.log" >&2; exit 1; }
    # fsync off: a test cluster is thrown away, and fsync made it several times slower.
    # max_connections 400: tests run at once (make test: twice the cores) each
    # start servers of about ten connections, and the default 100 ran out.
    # PG_SERVER_OPTIONS: more settings (the benchmarks' shared_buffers).
    as_server "$bin/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w -t 60 \
      -o "-c listen_addresses='' -k $cluster -p 5432 -c fsync=off -c full_page_writes=off -c max_connections=400 ${PG_SERVER_OPTIONS:-}" start \
      > /dev/null || { cat "$cluster/server.log" >&2; exit 1; }
    as_server "$bin/createdb" -h "$cluster" -p 5432 -U postgres uptime
    echo "postgresql:///uptime?host=$cluster&port=5432&user=postgres" > "$dir/url"
    ;;
  stop)
    [ -f "$dir/cluster" ] || exit 0
    cluster=$(cat "$dir/cluster")
    as_server "$bin/pg_ctl" -D "$cluster/data" -m fast -w stop > /dev/null 2>&1 || true
    rm -rf "$cluster" "$dir"
    ;;
  *)
    echo "usage: cluster.sh start|stop DIR" >&2
    exit 2
    ;;
esac
