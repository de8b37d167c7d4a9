#!/usr/bin/env bash
# Differential query fuzzing: runs tessera-fuzz-sql (the same random queries on PostgreSQL 15
# and on Tessera, in-process) against the throwaway PostgreSQL cluster of
# scripts/pg-test-cluster.sh, which it starts when it is not running and then stops again.
#
# Usage: scripts/fuzz-sql.sh BUILD_DIR [QUERIES] [SEED]
#   `make test` runs a fixed seed; `make fuzz-sql N=100000 SEED=7` any number.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
queries=${2:-3000}
seed=${3:-20261206}

port=$(bash scripts/pg-test-cluster.sh port)
started=0
if ! pg_isready -q -h 127.0.0.1 -p "$port" 2>/dev/null; then
  # Without a PostgreSQL to compare with there is nothing to run: say so loudly, but do not
  # fail the machine's other tests for it.
  if ! bash scripts/pg-test-cluster.sh start >/dev/null 2>"${TMPDIR:-/tmp}/fuzz-sql-pg.err"; then
    echo "fuzz-sql: SKIPPED: the PostgreSQL 15 test cluster could not be started:" >&2
    cat "${TMPDIR:-/tmp}/fuzz-sql-pg.err" >&2
    exit 0
  fi
  started=1
fi
cleanup() { if [ "$started" = 1 ]; then bash scripts/pg-test-cluster.sh stop || true; fi; }
trap cleanup EXIT
"$build/tessera-fuzz-sql" --pg "127.0.0.1:$port" --queries "$queries" --seed "$seed"
