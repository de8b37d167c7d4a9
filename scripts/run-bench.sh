#!/usr/bin/env bash
# Runs the benchmark of `make bench` (builds nothing; make does) and compares Tessera with DuckDB
# and PostgreSQL on the same data in the same run:
#   1. tessera-bench (in-process): loads BENCH_ROWS generated rows into t(a, b, c, d, g) with 1
#      and with 2 worker threads (a fresh database each), runs each query BENCH_RUNS times, and
#      writes the load SQL and the queries so the other engines use exactly the same ones;
#   2. DuckDB through @duckdb/node-api (bench/duckdb_bench.mjs; `npm ci` in bench/node when
#      node_modules is missing), threads = 1 and 2, a fresh in-memory database each;
#   3. PostgreSQL 15 (scripts/pg-test-cluster.sh), in a database `tessera_bench` that is
#      dropped afterwards, with max_parallel_workers_per_gather = 0 and 1 for 1 and 2 threads;
#      timed with psql's \timing, so its times include a local TCP round trip;
# then checks that all engines return the same results and prints a summary: per query and
# thread count the best time of each engine and the ratios Tessera/DuckDB and
# Tessera/PostgreSQL (time over time: below 1 means Tessera is faster);
#   4. the slow-client benchmark (tessera-bench --slow-clients): one session's query alone and
#      beside two clients that do not read their large results, and the ratio;
#   5. TPC-H at SF TPCH_SF (default 1) on Tessera, DuckDB and PostgreSQL (scripts/tpch-bench.sh):
#      hot and cold query times, lineitem's COPY speed, sizes on disk, compression per column.
# DuckDB and PostgreSQL are skipped with a message when they cannot run.
#
# Usage: scripts/run-bench.sh BUILD_DIR
# Environment: BENCH_ROWS (default 10000000), BENCH_RUNS (default 5), SLOW_CLIENT_ROWS (default 4000000),
# TPCH_SF (default 1), TPCH_RUNS (default 3).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
rows=${BENCH_ROWS:-10000000}
runs=${BENCH_RUNS:-5}
threads=(1 2)

bench_bin="$build/tessera-bench"
if [ ! -x "$bench_bin" ]; then
  echo "run-bench: $bench_bin not found; build it first (make bench)" >&2
  exit 1
fi

work=$(mktemp -d)
pg_started=0
cleanup() {
  if [ "$pg_started" = 1 ]; then bash scripts/pg-test-cluster.sh stop || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

section() { echo; echo "=== $*"; }

echo "Benchmark: $rows rows, best of $runs runs per query, threads ${threads[*]}"
echo "Machine: $(nproc) cores, $(uname -srm), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "Tessera: $(git describe --always --dirty 2>/dev/null || echo unknown)"
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
if awk '{ exit !($1 >= 1.0) }' /proc/loadavg; then
  echo "NOTE: the machine is busy (load average >= 1): times are noisy and 2-thread speedups understated"
fi

# --- Tessera -------------------------------------------------------------------------------
section "Tessera ($bench_bin)"
"$bench_bin" --rows "$rows" --runs "$runs" --threads "$(IFS=,; echo "${threads[*]}")" \
  --sql-out "$work/load.sql" --queries-out "$work/queries.tsv" --check-dir "$work/check" \
  | tee "$work/tessera.out"

# --- DuckDB --------------------------------------------------------------------------------
section "DuckDB (@duckdb/node-api)"
duckdb_ok=0
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "DuckDB skipped: node or npm is not installed"
elif [ ! -d bench/node/node_modules/@duckdb/node-api ] &&
     ! (cd bench/node && npm ci --no-audit --no-fund >"$work/npm.log" 2>&1); then
  echo "DuckDB skipped: npm ci in bench/node failed:"
  tail -n 5 "$work/npm.log"
else
  echo "@duckdb/node-api $(node -p "require('./bench/node/node_modules/@duckdb/node-api/package.json').version")"
  if node bench/duckdb_bench.mjs --sql "$work/load.sql" --queries "$work/queries.tsv" --rows "$rows" \
       --runs "$runs" --threads "$(IFS=,; echo "${threads[*]}")" --check-dir "$work/check" \
       | tee "$work/duckdb.out"; then
    duckdb_ok=1
  else
    echo "DuckDB run failed; its numbers are left out"
  fi
fi

# --- PostgreSQL ----------------------------------------------------------------------------
section "PostgreSQL (scripts/pg-test-cluster.sh)"

# Best and median (ms) per query of a psql \timing log (scripts/psql-times.awk).
pg_times() { awk -f scripts/psql-times.awk "$1"; }

# Loads and times PostgreSQL listening on 127.0.0.1:$1. Runs with errexit in a background job
# (see below), so any failing command ends it.
run_postgres() {
  local port=$1
  export PGOPTIONS="-c client_min_messages=warning"
  local admin=(psql -X -q -h 127.0.0.1 -p "$port" -U tessera -v ON_ERROR_STOP=1 -d tessera)
  local psql=(psql -X -q -h 127.0.0.1 -p "$port" -U tessera -v ON_ERROR_STOP=1 -d tessera_bench)
  "${admin[@]}" -c "DROP DATABASE IF EXISTS tessera_bench" -c "CREATE DATABASE tessera_bench"
  "${psql[@]}" -Atc "SELECT version()"
  echo "jit = $("${psql[@]}" -Atc "SHOW jit"), shared_buffers = $("${psql[@]}" -Atc "SHOW shared_buffers"), work_mem = $("${psql[@]}" -Atc "SHOW work_mem")"

  local start end load_ms
  start=$(date +%s%N)
  "${psql[@]}" -f "$work/load.sql"
  end=$(date +%s%N)
  load_ms=$(( (end - start) / 1000 ))
  load_ms=$(awk -v us="$load_ms" 'BEGIN { printf "%.3f", us / 1000 }')
  start=$(date +%s%N)
  "${psql[@]}" -c "VACUUM (FREEZE, ANALYZE) t"
  end=$(date +%s%N)
  local count
  count=$("${psql[@]}" -Atc "SELECT count(*) FROM t")
  if [ "$count" != "$rows" ]; then
    echo "PostgreSQL: loaded table has $count rows, expected $rows"
    return 1
  fi
  echo "load: $load_ms ms (then VACUUM (FREEZE, ANALYZE): $(( (end - start) / 1000000 )) ms, not counted)"
  echo "table size: $("${psql[@]}" -Atc "SELECT pg_size_pretty(pg_table_size('t'))")"
  # Warm the cache so the first timed query does not read the table from disk.
  "${psql[@]}" -Atc "SELECT count(*) FROM t" >/dev/null

  local lines=() t workers name sql script
  lines+=("bench,load,1,$load_ms,$(awk -v r="$rows" -v ms="$load_ms" 'BEGIN { printf "%.0f", r * 1000 / ms }'),postgres")
  for t in "${threads[@]}"; do
    workers=$((t - 1))
    echo
    echo "== $t thread$([ "$t" = 1 ] || echo s) (max_parallel_workers_per_gather = $workers)"
    script="$work/pg-t$t.sql"
    {
      echo "SET max_parallel_workers_per_gather = $workers;"
      echo '\o /dev/null'
      echo '\timing on'
    } >"$script"
    while IFS=$'\t' read -r name sql; do
      # The result, for the cross-engine check, and the plan's worker count.
      "${psql[@]}" -At -F '|' -c "SET max_parallel_workers_per_gather = $workers" -c "$sql" \
        | LC_ALL=C sort >"$work/check/postgres-$name-t$t.txt"
      local planned
      planned=$("${psql[@]}" -At -c "SET max_parallel_workers_per_gather = $workers" \
        -c "EXPLAIN (COSTS OFF) $sql" | sed -n 's/.*Workers Planned: \([0-9]*\).*/\1/p' | head -n 1)
      echo "  $name: workers planned: ${planned:-0}"
      echo "\\echo query $name" >>"$script"
      for _ in $(seq 1 "$runs"); do echo "$sql;" >>"$script"; done
    done <"$work/queries.tsv"
    "${psql[@]}" -f "$script" >"$work/pg-t$t.times"
    local best median
    while read -r name best median; do
      printf "  %-13s best %9.1f ms  median %9.1f ms  %14.0f rows/s\n" "$name" "$best" "$median" \
        "$(awk -v r="$rows" -v ms="$best" 'BEGIN { printf "%.0f", r * 1000 / ms }')"
      lines+=("bench,$name,$t,$best,$(awk -v r="$rows" -v ms="$best" 'BEGIN { printf "%.0f", r * 1000 / ms }'),postgres")
    done < <(pg_times "$work/pg-t$t.times")
  done
  "${admin[@]}" -c "DROP DATABASE tessera_bench"
  echo
  printf '%s\n' "${lines[@]}"
}

postgres_ok=0
pg_port=${PG_TEST_PORT:-54329}
if ! command -v psql >/dev/null || ! command -v pg_isready >/dev/null; then
  echo "PostgreSQL skipped: psql is not installed"
else
  pg_was_running=0
  if pg_isready -q -h 127.0.0.1 -p "$pg_port" 2>/dev/null; then pg_was_running=1; fi
  if ! pg_port=$(bash scripts/pg-test-cluster.sh start 2>"$work/pg-start.log" | tail -n 1); then
    echo "PostgreSQL skipped: the test cluster did not start:"
    tail -n 5 "$work/pg-start.log"
  else
    if [ "$pg_was_running" = 0 ]; then pg_started=1; fi
    # A background job, so errexit applies inside (it does not in an `if` condition).
    run_postgres "$pg_port" > >(tee "$work/postgres.out") 2>&1 &
    if wait $!; then
      postgres_ok=1
    else
      echo "PostgreSQL run failed; its numbers are left out"
    fi
  fi
fi

# --- Results check -------------------------------------------------------------------------
section "Results check (sorted result rows compared with Tessera's, 1 thread)"
mismatch=0
while IFS=$'\t' read -r name _; do
  reference="$work/check/tessera-$name-t1.txt"
  for file in "$work/check/"*"-$name-t"*.txt; do
    if ! cmp -s "$reference" "$file"; then
      echo "  MISMATCH: $(basename "$file") differs from $(basename "$reference")"
      diff "$reference" "$file" | head -n 6 | sed 's/^/    /'
      mismatch=1
    fi
  done
  echo "  $name: $(ls "$work/check/"*"-$name-t"*.txt | xargs -n1 basename | sed 's/-'"$name"'-t/@/; s/\.txt$//' | tr '\n' ' ')checked"
done <"$work/queries.tsv"
if [ "$mismatch" = 0 ]; then echo "  all engines return the same results"; fi

# --- Summary -------------------------------------------------------------------------------
section "Summary: best of $runs, $rows rows; ratio = Tessera time / other time (< 1: Tessera faster)"
{
  grep -h '^bench,' "$work/tessera.out" | awk -F, 'NF == 5 { print $0 ",tessera" }'
  if [ "$duckdb_ok" = 1 ]; then grep -h '^bench,.*,duckdb$' "$work/duckdb.out"; fi
  if [ "$postgres_ok" = 1 ]; then grep -h '^bench,.*,postgres$' "$work/postgres.out"; fi
} | awk -F, '
  { key = $2 SUBSEP $3; ms[key, $6] = $4; rps[key, $6] = $5
    if (!(key in seen)) { seen[key] = 1; order[++n] = key } }
  function cell(key, engine) { return ((key, engine) in ms) ? sprintf("%10.1f", ms[key, engine]) : sprintf("%10s", "-") }
  function ratio(key, engine) {
    return ((key, engine) in ms && ms[key, engine] > 0) ? sprintf("%9.2f", ms[key, "tessera"] / ms[key, engine]) : sprintf("%9s", "-")
  }
  END {
    printf "%-13s %7s %10s %10s %10s %9s %9s %15s\n", "query", "threads", "tessera ms", "duckdb ms", "pg ms", "T/duckdb", "T/pg", "tessera rows/s"
    for (i = 1; i <= n; i++) {
      key = order[i]; split(key, part, SUBSEP)
      printf "%-13s %7s %s %s %s %s %s %15.0f\n", part[1], part[2], cell(key, "tessera"), cell(key, "duckdb"),
             cell(key, "postgres"), ratio(key, "duckdb"), ratio(key, "postgres"), rps[key, "tessera"]
    }
  }'

# --- Slow clients ---------------------------------------------------------------------------
# One session's query timed alone and beside two connections whose clients stopped reading a
# large result; a slow client must stall only its own query (ratio near 1).
section "Slow clients (tessera-bench --slow-clients)"
"$bench_bin" --slow-clients --rows "${SLOW_CLIENT_ROWS:-4000000}" --runs "$runs"

# --- TPC-H ----------------------------------------------------------------------------------
section "TPC-H at SF ${TPCH_SF:-1} (scripts/tpch-bench.sh)"
bash scripts/tpch-bench.sh "$build" "${TPCH_SF:-1}"

echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
