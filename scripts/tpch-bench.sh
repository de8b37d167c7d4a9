#!/usr/bin/env bash
# The TPC-H benchmark of `make bench`: the 22 queries of ../shared/bench/tpch/queries/, unchanged,
# on Tessera, DuckDB and PostgreSQL 15 over the same rows, two threads each.
#   1. Tessera: a server on a free port with a fresh data directory; `CALL tpch_generate(SF)`
#      (timed), then each query TPCH_RUNS times in one psql session (\timing: a local TCP round
#      trip and the transfer of the result are included) — the hot times;
#   2. the generated tables are written to '|'-separated files (SELECT * through psql), and
#      lineitem once more as CSV (COPY lineitem TO STDOUT WITH (FORMAT csv));
#   3. Tessera's size after `CHECKPOINT`: the data files (DATA/tables/*.rg), the log (wal.log)
#      and lineitem's data files alone (files are named `<storage id>-<row group>.rg`; the
#      header of each holds its rows and columns, and lineitem's storage id is the one whose
#      files have lineitem's column count and exactly the rows tessera_storage lists for
#      lineitem's row groups of the same numbers); lineitem's compression per column from
#      tessera_storage (compressed and uncompressed bytes of its segments, the ratio, the
#      encodings with their share of rows; data files add LZ4 over these);
#   4. Tessera's COPY speed: server-side `COPY lineitem2 FROM 'lineitem.tbl' WITH (FORMAT
#      text, DELIMITER '|')` into `CREATE TABLE lineitem2 (LIKE lineitem)`, timed with its
#      commit (one autocommit statement from psql), then the same from the CSV file; both
#      tables are dropped again;
#   5. cold: the server is stopped (SIGTERM: a clean shutdown checkpoints) and started again on
#      the same data directory (both timed), then each query runs once, in order: data files
#      are read on first use (the operating system's page cache may still hold them), so a
#      column an earlier query read is in memory for the later ones;
#   6. DuckDB (@duckdb/node-api, bench/tpch_duckdb.mjs): threads = 2, a fresh database file
#      loaded from the files (the COPY of lineitem timed alone), CHECKPOINT, the file's size,
#      lineitem's blocks and compression per column (pragma_storage_info), each query
#      TPCH_RUNS times (hot), then the file opened again and each query once (cold), then
#      lineitem's CSV loaded into a new table (timed);
#   7. PostgreSQL 15 (scripts/pg-test-cluster.sh): the files loaded with \copy (lineitem's
#      timed alone), primary keys and indexes on the join columns (PostgreSQL runs correlated
#      subqueries as per-row subplans), ANALYZE, max_parallel_workers_per_gather = 1,
#      statement_timeout = TPCH_PG_TIMEOUT; pg_database_size, pg_total_relation_size and
#      pg_relation_size of lineitem; the CSV \copy into a new table (timed);
# then prints per query the best hot time of each engine, the cold times of Tessera and DuckDB,
# the ratios Tessera/DuckDB and Tessera/PostgreSQL (below 1: Tessera is faster) and their
# geometric means, and a block with lineitem's load speed (rows/s) and the sizes on disk with
# their ratios. Results are compared with PostgreSQL's by scripts/tpch-check.sh (SF 0.1 in make
# test), not here. DuckDB and PostgreSQL are skipped with a message when they cannot run.
#
# Usage: scripts/tpch-bench.sh BUILD_DIR [SF]   (SF default 1)
# Environment: TPCH_RUNS (default 3), TPCH_PG_TIMEOUT (default 300s), TPCH_PG_DB (the PostgreSQL
# database, created afresh and dropped at the end; default tessera_tpch_bench).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
sf=${2:-1}
runs=${TPCH_RUNS:-3}
pg_timeout=${TPCH_PG_TIMEOUT:-300s}
pg_db=${TPCH_PG_DB:-tessera_tpch_bench}
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

# The psql script that runs every query $1 times, with markers for scripts/psql-times.awk.
timing_script() {
  echo '\o /dev/null'
  echo '\timing on'
  for q in "$queries"/q*.sql; do
    echo "\\echo query $(basename "$q" .sql)"
    for _ in $(seq 1 "$1"); do echo "\\i $q"; done
  done
}
timing_script "$runs" >"$work/queries.psql"
timing_script 1 >"$work/cold.psql"

# Facts for the summary, as `NAME ENGINE VALUE` lines in $work/facts; cold times as
# `QUERY MS ENGINE` lines in $work/cold.
fact() { echo "$1 $2 $3" >>"$work/facts"; }
touch "$work/facts" "$work/cold"
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# --- Tessera -------------------------------------------------------------------------------
port=$(bash scripts/free-port.sh)
start_tessera() {
  "$build/tessera" --host 127.0.0.1 --port "$port" --data "$work/data" >>"$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 600); do
    if pg_isready -q -h 127.0.0.1 -p "$port" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "tpch-bench: the Tessera server did not start:" >&2
  tail -n 5 "$work/server.log" >&2
  exit 1
}
stop_tessera() {
  kill "$server"
  wait "$server" 2>/dev/null || true
  server=""
}
start_tessera
tessera() { psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U tessera -d tessera "$@"; }
start=$(now_ms)
tessera -c "CALL tpch_generate($sf)"
echo "Tessera: CALL tpch_generate($sf): $(($(now_ms) - start)) ms"
tessera -f "$work/queries.psql" >"$work/tessera.times"
awk -f scripts/psql-times.awk "$work/tessera.times" | sed 's/$/ tessera/' >"$work/times"

tables=(region nation part supplier partsupp customer orders lineitem)
mkdir -p "$work/tbl"
for t in "${tables[@]}"; do tessera -At -F'|' -c "SELECT * FROM $t" >"$work/tbl/$t.tbl"; done
tessera -c "COPY lineitem TO STDOUT WITH (FORMAT csv)" >"$work/tbl/lineitem.csv"
lineitem_rows=$(wc -l <"$work/tbl/lineitem.tbl")
fact lineitem_rows all "$lineitem_rows"

# Sizes after a checkpoint; lineitem's data files found by their headers (see the top).
tessera -c "CHECKPOINT"
tessera -At -F' ' -c "SELECT DISTINCT row_group, rows FROM tessera_storage
                      WHERE table_name = 'lineitem' AND schema_name = current_schema()" >"$work/lineitem.groups"
lineitem_columns=$(tessera -At -c "SELECT count(DISTINCT column_name) FROM tessera_storage
                                   WHERE table_name = 'lineitem' AND schema_name = current_schema()")
: >"$work/rg.files"
for f in "$work/data/tables"/*.rg; do
  [ -e "$f" ] || continue
  name=$(basename "$f" .rg)
  # Header: magic (8), version (4), storage id (8), first row id (8), rows (u32), columns (u32).
  read -r rows columns < <(od -An -t u4 -j 28 -N 8 "$f")
  echo "${name%-*} ${name#*-} $rows $columns $(stat -c %s "$f")" >>"$work/rg.files"
done
data_bytes=$(awk '{ s += $5 } END { print s + 0 }' "$work/rg.files")
wal_bytes=$(stat -c %s "$work/data/wal.log")
lineitem_bytes=$(awk -v columns="$lineitem_columns" '
  FNR == NR { rows[$1] = $2; next }
  { files[$1]++; bytes[$1] += $5; if ($4 != columns || !($2 in rows) || rows[$2] != $3) bad[$1] = 1 }
  END { for (id in files) if (!(id in bad)) { n++; b = bytes[id] } print (n == 1 ? b : "") }
' "$work/lineitem.groups" "$work/rg.files")
echo "Tessera after CHECKPOINT: $(wc -l <"$work/rg.files") data files, $data_bytes bytes; wal.log $wal_bytes bytes;" \
     "lineitem's data files ${lineitem_bytes:-(none found)}${lineitem_bytes:+ bytes}"
fact db_bytes tessera "$((data_bytes + wal_bytes))"
fact data_bytes tessera "$data_bytes"
fact wal_bytes tessera "$wal_bytes"
[ -z "$lineitem_bytes" ] || fact lineitem_bytes tessera "$lineitem_bytes"
echo "Tessera lineitem compression per column (tessera_storage: all row groups, in-memory encodings):"
tessera -At -F'|' -c "SELECT column_name, encoding, rows, compressed_bytes, uncompressed_bytes FROM tessera_storage
                      WHERE table_name = 'lineitem' AND schema_name = current_schema()" | awk -F'|' '
  !($1 in total) { order[++n] = $1 }
  {
    total[$1] += $3; comp[$1] += $4; raw[$1] += $5
    # A row group lists its encodings by rows, most first; its rows count for the first.
    m = split($2, e, ","); share[$1, e[1]] += $3
    for (i = 1; i <= m; i++) if (!(($1, e[i]) in seen)) { seen[$1, e[i]] = 1; encs[$1] = encs[$1] (encs[$1] == "" ? "" : ",") e[i] }
  }
  END {
    printf "  %-16s %14s %14s %7s  %s\n", "column", "compressed", "uncompressed", "ratio",
           "encodings (the main one of each row group: its share of rows; also: others used)"
    for (i = 1; i <= n; i++) {
      c = order[i]; m = split(encs[c], list, ","); text = ""; rest = ""
      for (j = 1; j <= m; j++) {
        if ((c, list[j]) in share) text = text (text == "" ? "" : ", ") sprintf("%s %.0f%%", list[j], 100 * share[c, list[j]] / total[c])
        else rest = rest (rest == "" ? "; also: " : ", ") list[j]
      }
      text = text rest
      printf "  %-16s %14d %14d %7.2f  %s\n", c, comp[c], raw[c], comp[c] ? raw[c] / comp[c] : 0, text
      tc += comp[c]; tr += raw[c]
    }
    printf "  %-16s %14d %14d %7.2f\n", "total", tc, tr, tc ? tr / tc : 0
  }'

# COPY speed: each file into a fresh table like lineitem (one autocommit statement each).
copy_into() {  # FORMAT_NAME FILE OPTIONS
  tessera -c "CREATE TABLE lineitem2 (LIKE lineitem)"
  local start
  start=$(now_ms)
  tessera -c "COPY lineitem2 FROM '$2' WITH ($3)"
  local ms=$(($(now_ms) - start))
  echo "Tessera: COPY lineitem2 FROM $1 ($lineitem_rows rows): $ms ms"
  fact "copy_${1}_ms" tessera "$ms"
  tessera -c "DROP TABLE lineitem2"
}
copy_into text "$work/tbl/lineitem.tbl" "FORMAT text, DELIMITER '|'"
copy_into csv "$work/tbl/lineitem.csv" "FORMAT csv"

# Cold: a clean restart on the same data directory, then each query once.
start=$(now_ms)
stop_tessera
stopped=$(now_ms)
start_tessera
echo "Tessera restart: shutdown (with its checkpoint) $((stopped - start)) ms, start until ready $(($(now_ms) - stopped)) ms"
tessera -f "$work/cold.psql" >"$work/tessera.cold"
awk -f scripts/psql-times.awk "$work/tessera.cold" | awk '{ print $1, $2, "tessera" }' >>"$work/cold"
stop_tessera

# --- DuckDB --------------------------------------------------------------------------------
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "DuckDB skipped: node or npm is not installed"
elif [ ! -d bench/node/node_modules/@duckdb/node-api ] &&
     ! (cd bench/node && npm ci --no-audit --no-fund >"$work/npm.log" 2>&1); then
  echo "DuckDB skipped: npm ci in bench/node failed:"
  tail -n 5 "$work/npm.log"
elif mkdir -p "$work/duckdb" &&
     node bench/tpch_duckdb.mjs --schema "$schema" --data "$work/tbl" --queries "$queries" --threads 2 --runs "$runs" \
       --db-dir "$work/duckdb" --csv "$work/tbl/lineitem.csv" >"$work/duckdb.out" 2>&1; then
  grep -v -e '^tpch,' -e '^tpch_cold,' -e '^fact,' "$work/duckdb.out"
  awk -F, '/^tpch,/ { print $2, $3, $4, "duckdb" }' "$work/duckdb.out" >>"$work/times"
  awk -F, '/^tpch_cold,/ { print $2, $3, "duckdb" }' "$work/duckdb.out" >>"$work/cold"
  awk -F, '/^fact,/ { print $2, "duckdb", $3 }' "$work/duckdb.out" >>"$work/facts"
  rm -rf "$work/duckdb"
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
  pg_admin() { psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U tessera -d postgres "$@"; }
  pg() { psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U tessera -d "$pg_db" "$@"; }
  pg_admin -c "DROP DATABASE IF EXISTS $pg_db" -c "CREATE DATABASE $pg_db"
  start=$(date +%s%N)
  pg -f "$schema" >/dev/null
  for t in "${tables[@]}"; do
    copy_start=$(now_ms)
    pg -c "\\copy $t FROM '$work/tbl/$t.tbl' WITH (FORMAT text, DELIMITER '|')"
    if [ "$t" = lineitem ]; then fact copy_text_ms postgres "$(($(now_ms) - copy_start))"; fi
  done
  pg -f scripts/tpch-pg-keys.sql >/dev/null
  echo "PostgreSQL: load, keys, indexes and VACUUM (FREEZE, ANALYZE): $((($(date +%s%N) - start) / 1000000)) ms"
  read -r db_bytes total_bytes heap_bytes < <(pg -At -F' ' -c "SELECT pg_database_size(current_database()),
    pg_total_relation_size('lineitem'), pg_relation_size('lineitem')")
  echo "PostgreSQL: pg_database_size $db_bytes bytes; lineitem: pg_total_relation_size $total_bytes bytes" \
       "(with its indexes), pg_relation_size $heap_bytes bytes"
  fact db_bytes postgres "$db_bytes"
  fact lineitem_bytes postgres "$heap_bytes"
  fact lineitem_total_bytes postgres "$total_bytes"
  pg -c "CREATE TABLE lineitem_csv (LIKE lineitem)"
  copy_start=$(now_ms)
  pg -c "\\copy lineitem_csv FROM '$work/tbl/lineitem.csv' WITH (FORMAT csv)"
  fact copy_csv_ms postgres "$(($(now_ms) - copy_start))"
  pg -c "DROP TABLE lineitem_csv"
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
  pg_admin -c "DROP DATABASE $pg_db"
fi

# --- Summary -------------------------------------------------------------------------------
echo
awk '
  FILENAME == ARGV[1] { best[$1, $4] = $2; if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 }; next }
  { cold[$1, $3] = $2 }
  function cell(v) { return v == "" ? sprintf("%10s", "-") : sprintf("%10.1f", v) }
  function ratio(a, b) { return (a == "" || b == "" || b <= 0) ? sprintf("%9s", "-") : sprintf("%9.2f", a / b) }
  function add(key, a, b) { if (a != "" && b != "" && b > 0) { l[key] += log(a / b); k[key]++ } }
  function mean(key) { return k[key] ? sprintf("%.2f", exp(l[key] / k[key])) : "-" }
  END {
    printf "%-7s %10s %10s %10s %10s %10s %9s %9s %9s\n", "query", "tessera_ms", "t_cold_ms", "duckdb_ms", "d_cold_ms",
           "postgres_ms", "vs_duckdb", "vs_pg", "cold_vs_d"
    for (i = 1; i <= n; i++) {
      q = order[i]; t = best[q, "tessera"]; d = best[q, "duckdb"]; p = best[q, "postgres"]
      tc = cold[q, "tessera"]; dc = cold[q, "duckdb"]
      printf "%-7s %s %s %s %s %s %s %s %s\n", q, cell(t), cell(tc), cell(d), cell(dc), cell(p),
             ratio(t, d), ratio(t, p), ratio(tc, dc)
      add("d", t, d); add("p", t, p); add("c", tc, dc)
    }
    printf "%-7s %10s %10s %10s %10s %10s %9s %9s %9s\n", "geomean", "", "", "", "", "", mean("d"), mean("p"), mean("c")
  }' "$work/times" "$work/cold"

echo
awk '
  { v[$1, $2] = $3 }
  function num(x) { return x == "" ? "-" : x }
  function ratio(a, b) { return (a == "" || b == "" || b <= 0) ? "-" : sprintf("%.2f", a / b) }
  function speed(ms) { return (ms == "" || ms <= 0) ? "" : sprintf("%.0f", rows * 1000 / ms) }
  function mb(b) { return b == "" ? "" : sprintf("%.1f", b / 1e6) }
  function line(label, t, d, p) {
    printf "%-34s %12s %12s %12s %9s %9s\n", label, num(t), num(d), num(p), ratio(t, d), ratio(t, p)
  }
  END {
    rows = v["lineitem_rows", "all"]
    if (("lineitem_rows", "duckdb") in v && v["lineitem_rows", "duckdb"] != rows) {
      printf "WARNING: DuckDB loaded %s lineitem rows, not %s\n", v["lineitem_rows", "duckdb"], rows
    }
    printf "Load and size (lineitem: %d rows; rows/s: above 1 Tessera is faster; MB: below 1 Tessera is smaller)\n", rows
    printf "%-34s %12s %12s %12s %9s %9s\n", "", "tessera", "duckdb", "postgres", "vs_duckdb", "vs_pg"
    split("text csv", formats, " ")
    for (i = 1; i <= 2; i++) {
      f = formats[i]
      line("COPY lineitem, " f " (rows/s)", speed(v["copy_" f "_ms", "tessera"]), speed(v["copy_" f "_ms", "duckdb"]),
           speed(v["copy_" f "_ms", "postgres"]))
    }
    line("database on disk (MB)", mb(v["db_bytes", "tessera"]), mb(v["db_bytes", "duckdb"]), mb(v["db_bytes", "postgres"]))
    line("lineitem on disk (MB)", mb(v["lineitem_bytes", "tessera"]), mb(v["lineitem_bytes", "duckdb"]),
         mb(v["lineitem_bytes", "postgres"]))
    printf "%-34s %12s %12s %12s\n", "lineitem with indexes (MB)", "", "", num(mb(v["lineitem_total_bytes", "postgres"]))
    printf "Tessera: database = data files %s MB + wal.log %s MB, lineitem = its data files (its last partial\n",
           num(mb(v["data_bytes", "tessera"])), num(mb(v["wal_bytes", "tessera"]))
    printf "row group is in the log); DuckDB: the database file after CHECKPOINT, lineitem = the distinct blocks\n"
    printf "of its segments; PostgreSQL: pg_database_size (with indexes), lineitem = pg_relation_size.\n"
  }' "$work/facts"
