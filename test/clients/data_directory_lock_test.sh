#!/usr/bin/env bash
# A second server on a data directory a running server uses must refuse to start, saying why.
# Usage: test/clients/data_directory_lock_test.sh TESSERA_BINARY DATA_DIRECTORY (of a running server)
set -uo pipefail
binary=$1
datadir=$2
port=$(bash "$(dirname "$0")/../../scripts/free-port.sh")
out=$(timeout 20 "$binary" --host 127.0.0.1 --port "$port" --data "$datadir" 2>&1)
status=$?
if [ "$status" -ne 1 ]; then
  echo "data_directory_lock_test: second server exited with $status, expected 1: $out" >&2
  exit 1
fi
if ! grep -q "lock file \"$datadir/tessera.lock\" is held by another server" <<<"$out" ||
   ! grep -q "HINT:  Is another server (PID [0-9]*) running in data directory" <<<"$out"; then
  echo "data_directory_lock_test: unexpected message: $out" >&2
  exit 1
fi
echo "data_directory_lock_test: a second server on the same data directory is refused"
