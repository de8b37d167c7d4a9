#!/usr/bin/env bash
# Runs the SQLite sqllogictest corpus (../shared/sqllogictest/sqlite/test) and prints the counts
# per folder.
#
#   scripts/sqllogictest-corpus.sh BUILD_DIR tessera [sample|all]
#       Runs the files in-process on Tessera, with the known-differences file
#       (sqllogictest/corpus/known-differences.txt): a record PostgreSQL 15 fails must fail on
#       Tessera too and is counted as "known". Prints a table per folder (files, records run,
#       passed, failed, known, skipped) and exits non-zero when any record failed.
#   scripts/sqllogictest-corpus.sh BUILD_DIR postgresql [sample|all]
#       Runs the same files over the wire on PostgreSQL 15 (scripts/pg-test-cluster.sh), prints
#       the same table, and writes every record PostgreSQL fails to
#       sqllogictest/corpus/known-differences.txt (regenerating it), with PostgreSQL's reason.
#
# The file sets: `sample` (what `make test` runs) is select1-5, all of evidence/, and a fixed list
# of index/ and random/ files (sqllogictest/corpus/sample.txt); `all` is every *.test file.
# Environment: SLT_CORPUS (default ../shared/sqllogictest/sqlite/test), SLT_JOBS (parallel
# PostgreSQL runs, each in its own database; default 2), SLT_THREADS (in-process scheduler threads,
# default 2).
set -euo pipefail
cd "$(dirname "$0")/.."

build=${1:?usage: sqllogictest-corpus.sh BUILD_DIR tessera|postgresql [sample|all]}
engine=${2:?usage: sqllogictest-corpus.sh BUILD_DIR tessera|postgresql [sample|all]}
set_name=${3:-sample}
corpus=${SLT_CORPUS:-$(cd .. && pwd)/shared/sqllogictest/sqlite/test}
known=sqllogictest/corpus/known-differences.txt
gaps=sqllogictest/corpus/gaps.txt
runner="$build/tessera-sqllogictest"

if [ ! -d "$corpus" ]; then
  echo "sqllogictest-corpus: $corpus not found; the corpus is skipped" >&2
  exit 0
fi
if [ ! -x "$runner" ]; then
  echo "sqllogictest-corpus: $runner not found; build it first" >&2
  exit 1
fi

# The files, relative to the corpus root, in a stable order.
files=()
case "$set_name" in
  sample)
    while IFS= read -r line; do
      line=${line%%#*}
      line=$(echo "$line" | xargs)
      [ -n "$line" ] && files+=("$line")
    done < sqllogictest/corpus/sample.txt
    ;;
  all)
    while IFS= read -r f; do files+=("$f"); done < <(cd "$corpus" && find . -name '*.test' | sed 's|^\./||' | LC_ALL=C sort)
    ;;
  *)
    echo "sqllogictest-corpus: unknown set '$set_name' (sample or all)" >&2
    exit 2
    ;;
esac

# The folder a file's counts are reported under: select (select1-5), evidence, index/<kind>,
# random/<kind>.
folder_of() {
  case "$1" in
    select*.test) echo select ;;
    evidence/*) echo evidence ;;
    */*/*) echo "$1" | cut -d/ -f1-2 ;;
    *) dirname "$1" ;;
  esac
}

work=$(mktemp -d)
pg_started=0
cleanup() {
  if [ "$pg_started" = 1 ]; then bash scripts/pg-test-cluster.sh stop >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# Runs file number $1 and leaves its output in $work/out.$1 and failures in $work/fail.$1.
run_file() {
  local index=$1 db=$2
  local file=${files[$index]}
  if [ "$engine" = tessera ]; then
    local known_args=()
    [ -f "$known" ] && known_args=(--known-differences "$known")
    [ -f "$gaps" ] && known_args+=(--gaps "$gaps")
    "$runner" --threads "${SLT_THREADS:-2}" --corpus-root "$corpus" "${known_args[@]}" \
      --failure-log "$work/fail.$index" "$corpus/$file" >"$work/out.$index" 2>&1 || true
  else
    "$runner" --connect "127.0.0.1:$pg_port" --user tessera --dbname "$db" --corpus-root "$corpus" \
      --failure-log "$work/fail.$index" "$corpus/$file" >"$work/out.$index" 2>&1 || true
  fi
}

case "$engine" in
  tessera)
    for i in "${!files[@]}"; do run_file "$i" ""; done
    ;;
  postgresql)
    # Leave a cluster that was already running (others may be using it) running afterwards.
    if ! bash scripts/pg-test-cluster.sh status >/dev/null 2>&1; then pg_started=1; fi
    pg_port=$(bash scripts/pg-test-cluster.sh start | tail -n 1)
    jobs=${SLT_JOBS:-2}
    psql_admin() { psql -h 127.0.0.1 -p "$pg_port" -U tessera -d tessera -qAt -c "$1"; }
    for j in $(seq 1 "$jobs"); do
      psql_admin "DROP DATABASE IF EXISTS tessera_corpus_$j" >/dev/null
      psql_admin "CREATE DATABASE tessera_corpus_$j" >/dev/null
    done
    # Job j runs files j-1, j-1+jobs, ... in its own database.
    for j in $(seq 1 "$jobs"); do
      (
        for ((i = j - 1; i < ${#files[@]}; i += jobs)); do run_file "$i" "tessera_corpus_$j"; done
      ) &
    done
    wait
    for j in $(seq 1 "$jobs"); do psql_admin "DROP DATABASE IF EXISTS tessera_corpus_$j" >/dev/null; done
    ;;
  *)
    echo "sqllogictest-corpus: unknown engine '$engine' (tessera or postgresql)" >&2
    exit 2
    ;;
esac

# Per-folder totals from each file's summary line:
#   records: P passed, F failed, K known differences, G gaps (Q queries and S statements run, X skipped)
declare -A n_files n_run n_passed n_failed n_known n_gaps n_skipped
order=()
total_failed=0
for i in "${!files[@]}"; do
  folder=$(folder_of "${files[$i]}")
  if [ -z "${n_files[$folder]+x}" ]; then
    order+=("$folder")
    n_files[$folder]=0 n_run[$folder]=0 n_passed[$folder]=0 n_failed[$folder]=0 n_known[$folder]=0 n_gaps[$folder]=0
    n_skipped[$folder]=0
  fi
  summary=$(grep -E '^records: ' "$work/out.$i" | tail -n 1 || true)
  if [ -z "$summary" ]; then
    echo "sqllogictest-corpus: ${files[$i]}: the runner printed no summary:" >&2
    tail -n 5 "$work/out.$i" >&2
    total_failed=$((total_failed + 1))
    continue
  fi
  read -r passed failed known_count gap_count queries statements skipped < <(echo "$summary" |
    sed -E 's/records: ([0-9]+) passed, ([0-9]+) failed, ([0-9]+) known differences, ([0-9]+) gaps \(([0-9]+) queries and ([0-9]+) statements run, ([0-9]+) skipped\)/\1 \2 \3 \4 \5 \6 \7/')
  n_files[$folder]=$((n_files[$folder] + 1))
  n_run[$folder]=$((n_run[$folder] + passed + failed + known_count + gap_count))
  n_passed[$folder]=$((n_passed[$folder] + passed))
  n_failed[$folder]=$((n_failed[$folder] + failed))
  n_known[$folder]=$((n_known[$folder] + known_count))
  n_gaps[$folder]=$((n_gaps[$folder] + gap_count))
  n_skipped[$folder]=$((n_skipped[$folder] + skipped))
  total_failed=$((total_failed + failed))
  if [ "$engine" = tessera ] && [ "$failed" -gt 0 ]; then
    grep -vE '^(PASS|records:|[0-9]+ passed)' "$work/out.$i" | head -n 60
  fi
done

echo
echo "SQLite corpus on $engine ($set_name: ${#files[@]} files)"
printf '%-22s %6s %10s %10s %8s %8s %6s %10s\n' folder files run passed failed known gaps skipped
for folder in "${order[@]}"; do
  printf '%-22s %6d %10d %10d %8d %8d %6d %10d\n' "$folder" "${n_files[$folder]}" "${n_run[$folder]}" \
    "${n_passed[$folder]}" "${n_failed[$folder]}" "${n_known[$folder]}" "${n_gaps[$folder]}" "${n_skipped[$folder]}"
done

if [ "$engine" = postgresql ]; then
  {
    echo "# Records of the SQLite corpus that PostgreSQL 15 fails, with PostgreSQL's reason."
    echo "# Written by scripts/sqllogictest-corpus.sh BUILD_DIR postgresql $set_name; do not edit."
    echo "# Tessera must fail each of them too (tessera-sqllogictest --known-differences)."
    echo "# Format: <file relative to the corpus root>:<record line><TAB><reason>"
    if [ "$set_name" = sample ] && [ -f "$known" ]; then
      # Keep the entries of files outside the sample (from an earlier `all` run).
      sample_keys=$(printf '%s\n' "${files[@]}")
      grep -v '^#' "$known" | while IFS= read -r entry; do
        grep -qxF "${entry%%:*}" <<<"$sample_keys" || echo "$entry"
      done
    fi
    cat "$work"/fail.* 2>/dev/null
  } >"$work/known"
  { head -n 4 "$work/known"; tail -n +5 "$work/known" | LC_ALL=C sort -t: -k1,1 -k2,2n -u; } >"$known"
  echo
  echo "wrote $known ($(grep -vc '^#' "$known") records)"
  exit 0
fi
[ "$total_failed" -eq 0 ]
