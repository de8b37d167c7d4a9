#!/usr/bin/env bash
# The TPC-H benchmark of `make bench`: the 22 queries of ../shared/bench/tpch/queries/, unchanged,
# on Tessera, DuckDB and PostgreSQL 15 over the same rows, two threads each.
#   1. Tessera: a server on a free port with a fresh data directory; `CALL tpch_generate(SF)`
#      (timed), then each query TPCH_RUNS times in one psql session (\timing: a local TCP round
#      trip and the transfer of the result are included);
#   2. the generated tables are written to '|'-separated files (SELECT * through psql);
#   3. DuckDB (@duckdb/node-api, bench/tpch_duckdb.mjs): threads = 2, a fresh in-memory
#      database loaded from the files, each query TPCH_RUNS times in-process;
#   4. PostgreSQL 15 (scripts/pg-test-cluster.sh): the files loaded with \copy, primary keys and
#      indexes on the join columns (PostgreSQL runs correlated subqueries as per-row subplans),
#      ANALYZE, max_parallel_workers_per_gather = 1, statement_timeout = TPCH_PG_TIMEOUT;
# then prints per query the best time of each engine, the ratios Tessera/DuckDB and
# Tessera/PostgreSQL (below 1: Tessera is faster) and their geometric means. Results are
# compared with PostgreSQL's by scripts/tpch-check.sh (SF 0.1 in make test), not here.
# DuckDB and PostgreSQL are skipped with a message when they cannot run.
#
# Usage: scripts/tpch-bench.sh BUILD_DIR [SF]   (SF default 1)
# Environment: TPCH_RUNS (default 3), TPCH_PG_TIMEOUT (default 300s).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
sf=${2:-1}
runs=${TPCH_RUNS:-3}
pg_timeout=${TPCH_PG_TIMEOUT:-300s}
shared=${TESSERA_SHARED:-$(cd .. && pwd)/shared}
queries="$shared/bench/tpch/queries"
schema="$shared/bench/tpch/schema.sql"
if [ ! -d "$queries" ]; then
  echo "tpch-bench: SKIPPED: $queries not found" >&2
  exit 0
fi

work=$(mktemp -d)
server=""
pg_started=0
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  if [ "$pg_started" = 1 ]; then bash scripts/pg-test-cluster.sh stop >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "TPC-H at SF $sf: best of $runs runs per query, 2 threads per engine"
echo "Machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); Tessera $(git describe --always --dirty 2>/dev/null || echo unknown)"

# The psql script that runs every query `runs` times, with markers for scripts/psql-times.awk.
timing_script() {
  echo '\o /dev/null'
  echo '\timing on'
  for q in "$queries"/q*.sql; do
    echo "\\echo query $(basename "$q" .sql)"
    for _ in $(seq 1 "$runs"); do echo "\\i $q"; done
  done
}
timing_script >"$work/queries.psql"

# --- Tessera -------------------------------------------------------------------------------
port=$(bash scripts/free-port.sh)
"$build/tessera" --host 127.0.0.1 --port "$port" --data "$work/data" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do
  if pg_isready -q -h 127.0.0.1 -p "$port" 2>/dev/null; then break; fi
  sleep 0.1
done
tessera() { psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U tessera -d tessera "$@"; }
start=$(date +%s%N)
tessera -c "CALL tpch_generate($sf)"
echo "Tessera: CALL tpch_generate($sf): $((($(date +%s%N) - start) / 1000000)) ms"
tessera -f "$work/queries.psql" >"$work/tessera.times"
awk -f scripts/psql-times.awk "$work/tessera.times" | sed 's/$/ tessera/' >"$work/times"

tables=(region nation part supplier partsupp customer orders lineitem)
mkdir -p "$work/tbl"
for t in "${tables[@]}"; do tessera -At -F'|' -c "SELECT * FROM $t" >"$work/tbl/$t.tbl"; done
kill "$server"
wait "$server" 2>/dev/null || true
server=""

# --- DuckDB --------------------------------------------------------------------------------
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "DuckDB skipped: node or npm is not installed"
elif [ ! -d bench/node/node_modules/@duckdb/node-api ] &&
     ! (cd bench/node && npm ci --no-audit --no-fund >"$work/npm.log" 2>&1); then
  echo "DuckDB skipped: npm ci in bench/node failed:"
  tail -n 5 "$work/npm.log"
elif node bench/tpch_duckdb.mjs --schema "$schema" --data "$work/tbl" --queries "$queries" --threads 2 --runs "$runs" \
       >"$work/duckdb.out" 2>&1; then
  grep -v '^tpch,' "$work/duckdb.out"
  awk -F, '/^tpch,/ { print $2, $3, $4, "duckdb" }' "$work/duckdb.out" >>"$work/times"
else
  echo "DuckDB run failed; its numbers are left out:"
  tail -n 5 "$work/duckdb.out"
fi

# --- PostgreSQL ----------------------------------------------------------------------------
pg_was_running=0
if pg_isready -q -h 127.0.0.1 -p "${PG_TEST_PORT:-54329}" 2>/dev/null; then pg_was_running=1; fi
if ! command -v psql >/dev/null || ! pg_port=$(bash scripts/pg-test-cluster.sh start 2>"$work/pg.err" | tail -n 1); then
  echo "PostgreSQL skipped: the test cluster did not start"
else
  if [ "$pg_was_running" = 0 ]; then pg_started=1; fi
  pg_admin() { psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U tessera -d tessera "$@"; }
  pg() { psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U tessera -d tessera_tpch_bench "$@"; }
  pg_admin -c "DROP DATABASE IF EXISTS tessera_tpch_bench" -c "CREATE DATABASE tessera_tpch_bench"
  start=$(date +%s%N)
  pg -f "$schema" >/dev/null
  for t in "${tables[@]}"; do pg -c "\\copy $t FROM '$work/tbl/$t.tbl' WITH (FORMAT text, DELIMITER '|')"; done
  pg -f scripts/tpch-pg-keys.sql >/dev/null
  echo "PostgreSQL: load, keys, indexes and VACUUM (FREEZE, ANALYZE): $((($(date +%s%N) - start) / 1000000)) ms"
  {
    echo "SET max_parallel_workers_per_gather = 1;"
    echo "SET statement_timeout = '$pg_timeout';"
    echo '\set ON_ERROR_STOP 0'
    cat "$work/queries.psql"
  } >"$work/pg.psql"
  PGOPTIONS="-c client_min_messages=warning" pg -f "$work/pg.psql" >"$work/pg.times" 2>"$work/pg.err" || true
  if grep -q "canceling statement" "$work/pg.err"; then
    echo "PostgreSQL: some runs hit statement_timeout = $pg_timeout (their time is left out):"
    grep -c "canceling statement" "$work/pg.err"
  fi
  awk -f scripts/psql-times.awk "$work/pg.times" | sed 's/$/ postgres/' >>"$work/times"
  pg_admin -c "DROP DATABASE tessera_tpch_bench"
fi

# --- Summary -------------------------------------------------------------------------------
echo
awk '
  { best[$1, $4] = $2; if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 } }
  function cell(v) { return v == "" ? sprintf("%10s", "-") : sprintf("%10.1f", v) }
  function ratio(a, b) { return (a == "" || b == "" || b <= 0) ? sprintf("%9s", "-") : sprintf("%9.2f", a / b) }
  END {
    printf "%-6s %10s %10s %10s %9s %9s\n", "query", "tessera_ms", "duckdb_ms", "postgres_ms", "vs_duckdb", "vs_pg"
    for (i = 1; i <= n; i++) {
      q = order[i]; t = best[q, "tessera"]; d = best[q, "duckdb"]; p = best[q, "postgres"]
      printf "%-6s %s %s %s %s %s\n", q, cell(t), cell(d), cell(p), ratio(t, d), ratio(t, p)
      if (t != "" && d != "" && d > 0) { ld += log(t / d); nd++ }
      if (t != "" && p != "" && p > 0) { lp += log(t / p); np++ }
    }
    printf "%-6s %10s %10s %10s %9s %9s\n", "geomean", "", "", "", nd ? sprintf("%.2f", exp(ld / nd)) : "-",
           np ? sprintf("%.2f", exp(lp / np)) : "-"
  }' "$work/times"
