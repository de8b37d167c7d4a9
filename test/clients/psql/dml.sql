-- UPDATE, DELETE, TRUNCATE and RETURNING through psql: command tags, returned rows, errors.
CREATE TABLE dml_items(id integer, name varchar(5), qty integer NOT NULL DEFAULT 0);
INSERT INTO dml_items VALUES (1, 'nut', 10), (2, 'bolt', 20), (3, 'gear', 30);
INSERT INTO dml_items(id, name) VALUES (4, 'cog') RETURNING *;
UPDATE dml_items SET qty = qty + 1 WHERE id <= 2;
UPDATE dml_items SET (name, qty) = ('spur', DEFAULT) WHERE id = 3 RETURNING id, name, qty;
UPDATE dml_items SET qty = 0 WHERE id > 100;
DELETE FROM dml_items WHERE id = 4 RETURNING name || '!' AS gone;
SELECT * FROM dml_items ORDER BY id;
UPDATE dml_items SET name = 'washer' WHERE id = 1;
UPDATE dml_items SET qty = NULL WHERE id = 1;
UPDATE dml_items SET nosuch = 1;
BEGIN;
DELETE FROM dml_items;
SELECT count(*) FROM dml_items;
ROLLBACK;
TRUNCATE dml_items;
SELECT count(*) FROM dml_items;
DROP TABLE dml_items;
