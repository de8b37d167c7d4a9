-- The walking-skeleton acceptance session: a table, a grouped query, then every kind of
-- bad statement followed by a statement that must still work in the same session.
CREATE TABLE t(a int, b text); INSERT INTO t VALUES (1,'x'),(2,'y'),(3,'x'); SELECT b, count(*), sum(a) FROM t WHERE a > 0 GROUP BY b ORDER BY b;
SELEC 1;
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM nosuch;
\echo :LAST_ERROR_SQLSTATE
SELECT nosuch FROM t;
\echo :LAST_ERROR_SQLSTATE
SELECT a / 0 FROM t;
\echo :LAST_ERROR_SQLSTATE
SELECT a FROM t WHERE b;
\echo :LAST_ERROR_SQLSTATE
SELECT b + 1 FROM t;
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) AS still_works FROM t;
