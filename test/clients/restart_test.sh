#!/usr/bin/env bash
# Committed data and objects survive a SIGKILL of the server; a transaction still open when the
# server dies leaves nothing behind. Through psql: a table with a primary key, a view, a
# sequence and a serial column are created and filled, one transaction is left uncommitted,
# the server is killed (no clean shutdown) and restarted on the same data directory.
# Usage: test/clients/restart_test.sh TESSERA_BINARY
set -uo pipefail
binary=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
server=""
holder=""
cleanup() {
  if [ -n "$holder" ]; then kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null; fi
  if [ -n "$server" ]; then kill -9 "$server" 2>/dev/null; wait "$server" 2>/dev/null; fi
  exec 3>&- 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "restart_test: $*" >&2
  echo "restart_test: server log:" >&2
  sed 's/^/  /' "$work/server.log" >&2
  exit 1
}

port=$(bash "$root/scripts/free-port.sh")
start_server() {
  "$binary" --host 127.0.0.1 --port "$port" --data "$work/data" >>"$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 300); do
    if pg_isready -q -h 127.0.0.1 -p "$port" 2>/dev/null; then return 0; fi
    if ! kill -0 "$server" 2>/dev/null; then fail "the server exited while starting"; fi
    sleep 0.1
  done
  fail "the server did not accept connections within 30 s"
}
kill_server() {
  kill -9 "$server"
  wait "$server" 2>/dev/null
  server=""
}
sql() { psql -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U tessera -d tessera "$@"; }
# expect NAME EXPECTED SQL: the query's output must be EXPECTED.
expect() {
  local got
  got=$(sql -c "$3" 2>&1) || fail "$1: $3 failed: $got"
  [ "$got" = "$2" ] || fail "$1: $3 returned '$got', expected '$2'"
}

start_server
sql <<'SQL' >/dev/null || fail "setting up the committed state failed"
CREATE TABLE items (id integer PRIMARY KEY, name text NOT NULL, qty integer DEFAULT 1);
CREATE VIEW big_items AS SELECT id, name FROM items WHERE qty > 1;
CREATE SEQUENCE ticket;
CREATE TABLE events (id serial PRIMARY KEY, what text);
INSERT INTO items VALUES (1, 'one', 1), (2, 'two', 2), (3, 'three', 3);
BEGIN;
INSERT INTO items (id, name) VALUES (4, 'four');
UPDATE items SET qty = 5 WHERE id = 1;
DELETE FROM items WHERE id = 2;
INSERT INTO events (what) VALUES ('a'), ('b'), ('c');
COMMIT;
SELECT nextval('ticket'), nextval('ticket'), nextval('ticket');
SQL

# A second session: a transaction that changes every object and is still open at the kill.
mkfifo "$work/open.sql"
psql -X -q -At -h 127.0.0.1 -p "$port" -U tessera -d tessera <"$work/open.sql" >"$work/open.out" 2>&1 &
holder=$!
exec 3>"$work/open.sql"
cat >&3 <<'SQL'
BEGIN;
INSERT INTO items VALUES (100, 'uncommitted', 7);
DELETE FROM items WHERE id = 3;
UPDATE items SET name = 'changed' WHERE id = 1;
INSERT INTO events (what) VALUES ('uncommitted');
CREATE TABLE uncommitted_table (a integer);
SELECT 'open';
SQL
for _ in $(seq 1 100); do
  if grep -q '^open$' "$work/open.out" 2>/dev/null; then break; fi
  sleep 0.1
done
grep -q '^open$' "$work/open.out" || fail "the open transaction did not run: $(cat "$work/open.out")"

kill_server
exec 3>&-
wait "$holder" 2>/dev/null
holder=""
start_server

expect "committed rows" "1|one|5
3|three|3
4|four|1" "SELECT id, name, qty FROM items ORDER BY id"
expect "the view" "1|one
3|three" "SELECT * FROM big_items ORDER BY id"
expect "the serial column's rows" "1|a
2|b
3|c" "SELECT id, what FROM events ORDER BY id"
out=$(sql -c "SELECT * FROM uncommitted_table" 2>&1) && fail "the table created by the open transaction exists"
grep -q 'does not exist' <<<"$out" || fail "SELECT from the uncommitted table: unexpected error: $out"
expect "nextval continues past the values handed out" "t" "SELECT nextval('ticket') > 3"
expect "the serial column continues past its committed values" "t" \
  "INSERT INTO events (what) VALUES ('after') RETURNING id > 3"
out=$(sql -c "INSERT INTO items VALUES (1, 'duplicate', 1)" 2>&1) && fail "the primary key accepted a duplicate"
grep -q 'duplicate key value violates unique constraint' <<<"$out" || fail "duplicate key: unexpected error: $out"
sql -c "INSERT INTO items VALUES (5, 'five', 9)" >/dev/null || fail "inserting after the restart failed"
expect "new rows" "1|one
3|three
5|five" "SELECT * FROM big_items ORDER BY id"

# What the recovered server committed survives the next crash too, whether a checkpoint
# holds it or the log after the checkpoint.
sql -c "CHECKPOINT" >/dev/null || fail "CHECKPOINT failed"
sql -c "INSERT INTO items VALUES (6, 'six', 1)" -c "DELETE FROM items WHERE id = 4" >/dev/null ||
  fail "writing after the checkpoint failed"
last_ticket=$(sql -c "SELECT nextval('ticket')") || fail "nextval failed"
kill_server
start_server
expect "rows after a second restart" "1|one|5
3|three|3
5|five|9
6|six|1" "SELECT id, name, qty FROM items ORDER BY id"
expect "events after a second restart" "a b c after" "SELECT string_agg(what, ' ' ORDER BY id) FROM events"
expect "nextval after a second restart" "t" "SELECT nextval('ticket') > $last_ticket"
echo "restart_test: committed data, a view, a sequence and a serial column survive SIGKILL (with and without a checkpoint); an open transaction does not"
