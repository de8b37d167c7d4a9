#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for differential tests (sqllogictest --connect).
#
#   scripts/pg-test-cluster.sh start   # initdb if needed, start if not running; prints the port
#   scripts/pg-test-cluster.sh stop    # stops the cluster (the data directory is kept)
#   scripts/pg-test-cluster.sh port    # prints the port
#   scripts/pg-test-cluster.sh status  # exits 0 when the cluster is running
#   scripts/pg-test-cluster.sh destroy # stops the cluster and deletes its data directory
#
# Listens on 127.0.0.1 only, trust authentication, with a database `tessera` owned by a
# superuser role `tessera`. PostgreSQL refuses to run as root, so when invoked as root the
# server binaries run as the `postgres` OS user.
# Environment: PG_TEST_PORT (default 54329), PG_TEST_DATA (default /tmp/tessera-pg-<uid>),
# PG_BIN (default /usr/lib/postgresql/15/bin).
set -euo pipefail

PORT="${PG_TEST_PORT:-54329}"
DATA="${PG_TEST_DATA:-/tmp/tessera-pg-$(id -u)}"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
LOG="${DATA}.log"

# Runs a command as the cluster's OS user.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

is_running() {
  [ -f "$DATA/PG_VERSION" ] && as_owner "$PG_BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

start() {
  if [ ! -f "$DATA/PG_VERSION" ]; then
    mkdir -p "$DATA"
    if [ "$(id -u)" -eq 0 ]; then
      chown postgres:postgres "$DATA"
    fi
    chmod 700 "$DATA"
    as_owner "$PG_BIN/initdb" -D "$DATA" --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
      --username=postgres >/dev/null
  fi
  if ! is_running; then
    : >"$LOG"
    if [ "$(id -u)" -eq 0 ]; then
      chown postgres:postgres "$LOG"
    fi
    as_owner "$PG_BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $PORT -c unix_socket_directories=$DATA -c fsync=off" \
      start >/dev/null
  fi
  # Create the role and database on first start (idempotent).
  local psql=("$PG_BIN/psql" -X -q -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1)
  if [ "$(as_owner "${psql[@]}" -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'tessera'")" != "1" ]; then
    as_owner "${psql[@]}" -c "CREATE ROLE tessera SUPERUSER LOGIN"
  fi
  if [ "$(as_owner "${psql[@]}" -tAc "SELECT 1 FROM pg_database WHERE datname = 'tessera'")" != "1" ]; then
    as_owner "${psql[@]}" -c "CREATE DATABASE tessera OWNER tessera"
  fi
  echo "$PORT"
}

stop() {
  if is_running; then
    as_owner "$PG_BIN/pg_ctl" -D "$DATA" -w -m fast stop >/dev/null
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  port) echo "$PORT" ;;
  status) is_running ;;
  destroy) stop; rm -rf "$DATA" "$LOG" ;;
  *)
    echo "usage: $0 start|stop|status|port|destroy" >&2
    exit 2
    ;;
esac
