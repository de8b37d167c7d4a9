-- COPY through psql: COPY FROM STDIN with inline data (text and CSV), errors in the data (the
-- session stays usable and nothing of the failed COPY is inserted), COPY TO STDOUT, and
-- psql's \copy both ways through a client-side file.
CREATE TABLE copy_items(id integer, name text, price numeric(8,2) DEFAULT 0);
COPY copy_items (id, name) FROM STDIN;
1	nut
2	bolt\twith tab
\.
COPY copy_items FROM STDIN WITH (FORMAT csv, HEADER true);
id,name,price
3,"gear, large",12.50
4,"say ""hi""",
\.
SELECT * FROM copy_items ORDER BY id;
COPY copy_items FROM STDIN;
5	washer	1
6	washer	x
\.
\echo :LAST_ERROR_SQLSTATE
COPY copy_items FROM STDIN WITH CSV;
7,"open quote
\.
\echo :LAST_ERROR_SQLSTATE
COPY copy_items (id, name) FROM STDIN;
8
\.
\echo :LAST_ERROR_SQLSTATE
COPY copy_items (id) FROM STDIN;
9	extra
\.
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) AS still_four FROM copy_items;
COPY copy_items TO STDOUT;
COPY (SELECT id, name FROM copy_items WHERE id > 2 ORDER BY id) TO STDOUT WITH CSV HEADER FORCE QUOTE *;
\copy copy_items TO '/tmp/tessera_psql_copy_test.csv' WITH (FORMAT csv)
CREATE TABLE copy_back(id integer, name text, price numeric(8,2));
\copy copy_back FROM '/tmp/tessera_psql_copy_test.csv' WITH (FORMAT csv)
SELECT * FROM copy_back ORDER BY id;
DROP TABLE copy_back;
DROP TABLE copy_items;
