#!/usr/bin/env bash
# Start (or stop) a throwaway PostgreSQL cluster on 127.0.0.1 for the test suite.
# Usage: .ci/postgres.sh start DIR PORT   |   .ci/postgres.sh stop DIR
# PostgreSQL refuses to run as root, so the cluster belongs to the `postgres` system user.
set -euo pipefail
action=$1
dir=$2
bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_postgres() { if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }
case "$action" in
  start)
    port=$3
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
    as_postgres "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
    as_postgres "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-h 127.0.0.1 -p $port -k $dir -F" start
    as_postgres "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres tablero_test
    ;;
  stop)
    as_postgres "$bindir/pg_ctl" -D "$dir/data" -m fast stop || true
    ;;
esac
