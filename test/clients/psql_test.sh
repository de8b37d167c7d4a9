#!/usr/bin/env bash
# Runs each test/clients/psql/*.sql through the real psql against a server and compares the
# output with the .out file beside it (recorded from PostgreSQL 15).
# Usage: psql_test.sh HOST PORT
set -u
host=$1
port=$2
dir=$(cd "$(dirname "$0")" && pwd)/psql
passed=0
failed=0
for sql in "$dir"/*.sql; do
  expected="${sql%.sql}.out"
  actual=$(psql -X -h "$host" -p "$port" -U tessera -d tessera -v ON_ERROR_STOP=0 -f "$sql" 2>&1 | sed -E 's/^psql:[^:]+:[0-9]+: //')
  if [ "$actual" == "$(cat "$expected")" ]; then
    echo "PASS $(basename "$sql")"
    passed=$((passed + 1))
  else
    echo "FAIL $(basename "$sql")"
    diff <(echo "$actual") "$expected" | head -40
    failed=$((failed + 1))
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
