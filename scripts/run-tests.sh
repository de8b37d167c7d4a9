#!/usr/bin/env bash
# Runs every test of `make test`:
#   1. the GoogleTest unit tests of every part (ctest),
#   2. the sqllogictest suites (ours and the SQLite corpus files we pass) in-process,
#   3. the SQLite corpus sample with PostgreSQL's known differences, TPC-H at SF 0.1 compared
#      with PostgreSQL, and random queries on PostgreSQL 15 and Tessera compared
#      (scripts/fuzz-sql.sh, a fixed seed),
#   4. the same suites over the wire against a running server, plus the psql client test and
#      the restart test; then crash recovery: SIGKILL at random moments, restart, compare,
#   5. the unit tests and the sqllogictest suites again in an ASan+UBSan build,
#   6. the storage, executor and session (concurrency) unit tests in a ThreadSanitizer build.
# Usage: scripts/run-tests.sh BUILD_DIR ASAN_BUILD_DIR TSAN_BUILD_DIR
# Environment: TESSERA_SKIP_ASAN=1 / TESSERA_SKIP_TSAN=1 skip steps 5 / 6 (quick local runs).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
asan=${2:-build-asan}
tsan=${3:-build-tsan}
jobs=$(nproc)
# A unit test binary that runs longer than this has hung: it fails instead of using up the budget.
test_timeout=${TESSERA_TEST_TIMEOUT:-900}

shared=${TESSERA_SHARED:-$(cd .. && pwd)/shared}
corpus=()
if [ -d "$shared/sqllogictest/sqlite/test" ]; then
  for f in select1 select2 select3; do corpus+=("$shared/sqllogictest/sqlite/test/$f.test"); done
else
  echo "run-tests: $shared/sqllogictest not found; the SQLite corpus files are skipped" >&2
fi
suites=(sqllogictest/suites)

passed_steps=0
failed_steps=0
started=$SECONDS
# Each step prints the minutes and seconds since the start, so a slow step shows in the log.
step() { local t=$((SECONDS - started)); echo; printf '=== [%d:%02d] %s\n' $((t / 60)) $((t % 60)) "$*"; }
# check CMD...: runs one test step and counts it.
check() {
  if "$@"; then
    passed_steps=$((passed_steps + 1))
  else
    failed_steps=$((failed_steps + 1))
    echo "FAILED STEP: $*"
  fi
}

step "unit tests"
check ctest --test-dir "$build" --output-on-failure --timeout "$test_timeout" -j "$jobs"

step "sqllogictest, in-process"
check "$build/tessera-sqllogictest" "${suites[@]}" "${corpus[@]}"
# Features not built yet must fail with 0A000, and Tessera's own extensions (which PostgreSQL
# lacks) work: those records are `onlyif tessera`, skipped for 'postgresql'.
check "$build/tessera-sqllogictest" --engine tessera sqllogictest/suites/unsupported sqllogictest/suites/extensions
# The runner's known-differences list: a listed failure counts as known, a listed pass and an
# unlisted failure fail (sqllogictest/corpus/selftest/known.test says which record is which).
known_selftest() {
  local out
  out=$("$build/tessera-sqllogictest" --corpus-root sqllogictest/corpus/selftest \
    --known-differences sqllogictest/corpus/selftest/known-differences.txt sqllogictest/corpus/selftest/known.test || true)
  grep -q '^records: 0 passed, 2 failed, 1 known differences' <<<"$out" &&
    grep -q 'known.test:10: passes here, but PostgreSQL 15 fails it' <<<"$out" &&
    grep -q 'known.test:15: wrong result' <<<"$out"
}
check known_selftest

step "the SQLite corpus sample (sqllogictest/corpus/sample.txt), outcomes as PostgreSQL 15's"
check bash scripts/sqllogictest-corpus.sh "$build" tessera sample

step "TPC-H at SF 0.1: the 22 queries on Tessera and PostgreSQL 15 compared"
check bash scripts/tpch-check.sh "$build" 0.1

step "differential fuzzing against PostgreSQL 15 (fixed seed)"
check bash scripts/fuzz-sql.sh "$build" 3000 20261206

step "sqllogictest and clients, over the wire"
port=$(bash scripts/free-port.sh)
datadir=$(mktemp -d)
"$build/tessera" --host 127.0.0.1 --port "$port" --data "$datadir" > "$datadir/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$datadir"' EXIT
for _ in $(seq 1 100); do
  if pg_isready -q -h 127.0.0.1 -p "$port" 2>/dev/null; then break; fi
  sleep 0.1
done
check "$build/tessera-sqllogictest" --connect "127.0.0.1:$port" "${suites[@]}" "${corpus[@]}"
check bash test/clients/psql_test.sh 127.0.0.1 "$port"
check bash test/clients/data_directory_lock_test.sh "$build/tessera" "$datadir"
check bash test/clients/restart_test.sh "$build/tessera"
kill "$server"
wait "$server" 2>/dev/null || true
trap - EXIT
rm -rf "$datadir"

step "crash recovery (SIGKILL at random moments)"
check timeout 300 "$build/tessera-crash-test" --server "$build/tessera" --iterations 20 --seed 20261207

if [ "${TESSERA_SKIP_ASAN:-0}" != "1" ]; then
  step "ASan+UBSan build: unit tests and our suites"
  if [ ! -f "$asan/build.ninja" ]; then
    cmake -S . -B "$asan" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DTESSERA_SANITIZE=ON -DTESSERA_SIMD_STATIC=ON > /dev/null
  fi
  # Only what this step runs: the unit tests and the sqllogictest runner.
  asan_targets=$(ninja -C "$asan" -t targets all | grep -oE '^(test-[a-z]+|tessera-sqllogictest):' | tr -d ':' | sort -u)
  cmake --build "$asan" -j "$jobs" --target $asan_targets
  step "ASan+UBSan: running the unit tests and our suites"
  export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1
  check ctest --test-dir "$asan" --output-on-failure --timeout "$test_timeout" -j "$jobs"
  check "$asan/tessera-sqllogictest" "${suites[@]}" "${corpus[@]}"
fi

if [ "${TESSERA_SKIP_TSAN:-0}" != "1" ]; then
  step "ThreadSanitizer build: storage, executor and session tests"
  if [ ! -f "$tsan/build.ninja" ]; then
    cmake -S . -B "$tsan" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTESSERA_TSAN=ON -DTESSERA_SIMD_STATIC=ON > /dev/null
  fi
  cmake --build "$tsan" -j "$jobs" --target test-storage test-executor test-main
  step "ThreadSanitizer: running the tests"
  # A data race or lock-order inversion fails the test binary (exit code 66).
  export TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1"
  check timeout "$test_timeout" "$tsan/test-storage"
  check timeout "$test_timeout" "$tsan/test-executor"
  check timeout "$test_timeout" "$tsan/test-main"
fi

step "done"
echo "steps: $passed_steps passed, $failed_steps failed"
[ "$failed_steps" -eq 0 ]
