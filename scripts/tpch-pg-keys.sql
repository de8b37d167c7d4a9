-- Primary keys and join-column indexes for the TPC-H tables on PostgreSQL (scripts/tpch-check.sh,
-- scripts/tpch-bench.sh): PostgreSQL runs correlated subqueries (q2, q17, q20, q21) as per-row
-- subplans, which without them scan a whole table per outer row.
ALTER TABLE region ADD PRIMARY KEY (r_regionkey);
ALTER TABLE nation ADD PRIMARY KEY (n_nationkey);
ALTER TABLE part ADD PRIMARY KEY (p_partkey);
ALTER TABLE supplier ADD PRIMARY KEY (s_suppkey);
ALTER TABLE partsupp ADD PRIMARY KEY (ps_partkey, ps_suppkey);
ALTER TABLE customer ADD PRIMARY KEY (c_custkey);
ALTER TABLE orders ADD PRIMARY KEY (o_orderkey);
ALTER TABLE lineitem ADD PRIMARY KEY (l_orderkey, l_linenumber);
CREATE INDEX ON lineitem (l_partkey, l_suppkey);
CREATE INDEX ON orders (o_custkey);
VACUUM (FREEZE, ANALYZE);
