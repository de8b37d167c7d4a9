-- Transaction blocks: visibility inside the block, rollback, the aborted state.
CREATE TABLE acct(id int, balance bigint);
BEGIN;
INSERT INTO acct VALUES (1, 100), (2, 50);
SELECT count(*) FROM acct;
ROLLBACK;
SELECT count(*) FROM acct;
BEGIN;
INSERT INTO acct VALUES (1, 100);
SELECT 1/0;
SELECT count(*) FROM acct;
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
SELECT count(*) FROM acct;
BEGIN;
INSERT INTO acct VALUES (3, 7);
COMMIT;
SELECT id, balance FROM acct ORDER BY id;
DROP TABLE acct;
