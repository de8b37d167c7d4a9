-- Dropping a table that views read: the error, its DETAIL lines and the CASCADE notice.
CREATE TABLE base(a int);
CREATE VIEW v1 AS SELECT a FROM base;
CREATE VIEW v2 AS SELECT a FROM v1;
DROP TABLE base;
DROP TABLE base CASCADE;
