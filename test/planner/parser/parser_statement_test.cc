// Statements other than plain queries.

#include "planner/parser/parser.h"

#include <gtest/gtest.h>

#include "test/planner/parser/parser_test_util.h"

namespace tessera::planner {
namespace {

using testing::parse_one;

template <typename T>
const T& as(const StatementPtr& statement) {
  EXPECT_EQ(statement->kind, T::kKind);
  return statement->as<T>();
}

TEST(ParserStatementTest, InsertValues) {
  auto statement = parse_one("INSERT INTO s.t1(e, c) VALUES(103, DEFAULT), (1, 2) RETURNING e, c AS x");
  const auto& insert = as<InsertStatement>(statement);
  EXPECT_EQ(insert.table, (std::vector<std::string>{"s", "t1"}));
  EXPECT_EQ(insert.columns, (std::vector<std::string>{"e", "c"}));
  ASSERT_TRUE(insert.source);
  EXPECT_EQ(insert.source->select_kind, SelectKind::kValues);
  EXPECT_EQ(insert.source->values_lists[0][1]->kind, ExprKind::kDefault);
  ASSERT_EQ(insert.returning.size(), 2u);
  EXPECT_EQ(insert.returning[1].alias, "x");
  EXPECT_FALSE(insert.default_values);
}

TEST(ParserStatementTest, InsertSelectAndDefaultValues) {
  auto select = parse_one("INSERT INTO t SELECT * FROM u WHERE a > 1");
  EXPECT_EQ(as<InsertStatement>(select).source->select_kind, SelectKind::kSimple);
  auto paren = parse_one("INSERT INTO t (SELECT 1)");
  EXPECT_TRUE(as<InsertStatement>(paren).columns.empty());
  auto defaults = parse_one("INSERT INTO t DEFAULT VALUES");
  EXPECT_TRUE(as<InsertStatement>(defaults).default_values);
  EXPECT_EQ(as<InsertStatement>(defaults).source, nullptr);
  auto with = parse_one("WITH w AS (SELECT 1) INSERT INTO t SELECT * FROM w");
  EXPECT_TRUE(as<InsertStatement>(with).with);
}

TEST(ParserStatementTest, UpdateAndDelete) {
  auto update = parse_one("UPDATE t AS x SET a = a + 1, b = DEFAULT FROM u WHERE x.id = u.id");
  const auto& u = as<UpdateStatement>(update);
  EXPECT_EQ(u.table, (std::vector<std::string>{"t"}));
  EXPECT_EQ(u.alias, "x");
  ASSERT_EQ(u.set.size(), 2u);
  EXPECT_EQ(u.set[0].column, "a");
  EXPECT_EQ(expr_to_string(*u.set[0].value), "(a + 1)");
  EXPECT_EQ(u.set[1].value->kind, ExprKind::kDefault);
  EXPECT_EQ(u.from.size(), 1u);
  EXPECT_TRUE(u.where);
  auto no_alias = parse_one("UPDATE t SET a = 1");
  EXPECT_EQ(as<UpdateStatement>(no_alias).alias, "");

  auto del = parse_one("DELETE FROM t y USING u WHERE y.a = u.a RETURNING *");
  const auto& d = as<DeleteStatement>(del);
  EXPECT_EQ(d.alias, "y");
  EXPECT_EQ(d.using_tables.size(), 1u);
  EXPECT_TRUE(d.where);
  EXPECT_EQ(d.returning.size(), 1u);
}

TEST(ParserStatementTest, CreateTable) {
  auto statement = parse_one(
      "CREATE TABLE IF NOT EXISTS t1(a INTEGER PRIMARY KEY, b varchar(10) NOT NULL DEFAULT 'x', "
      "c numeric(10,2) CONSTRAINT c_u UNIQUE, d timestamp with time zone NULL, e int8 CHECK (e > 0) "
      "REFERENCES u (id) ON DELETE CASCADE, f double precision, "
      "CONSTRAINT pk PRIMARY KEY (a, b), UNIQUE (c), FOREIGN KEY (e) REFERENCES u)");
  const auto& create = as<CreateTableStatement>(statement);
  EXPECT_TRUE(create.if_not_exists);
  EXPECT_EQ(create.name, (std::vector<std::string>{"t1"}));
  ASSERT_EQ(create.columns.size(), 6u);
  EXPECT_EQ(create.columns[0].type.name, "integer");
  EXPECT_TRUE(create.columns[0].primary_key);
  EXPECT_EQ(create.columns[1].type.name, "varchar");
  EXPECT_EQ(create.columns[1].type.modifiers, (std::vector<int>{10}));
  EXPECT_TRUE(create.columns[1].not_null);
  EXPECT_EQ(create.columns[1].default_value->as<ConstantExpr>().text, "x");
  EXPECT_EQ(create.columns[2].type.modifiers, (std::vector<int>{10, 2}));
  EXPECT_TRUE(create.columns[2].unique);
  EXPECT_EQ(create.columns[2].unique_name, "c_u");
  EXPECT_EQ(create.columns[0].primary_key_name, "");
  EXPECT_EQ(create.columns[3].type.name, "timestamptz");
  EXPECT_FALSE(create.columns[3].not_null);
  EXPECT_EQ(create.columns[4].type.name, "bigint");
  EXPECT_EQ(create.columns[4].checks.size(), 1u);
  ASSERT_TRUE(create.columns[4].references);
  EXPECT_EQ(create.columns[4].references->columns, (std::vector<std::string>{"id"}));
  EXPECT_EQ(create.columns[5].type.name, "double precision");
  ASSERT_EQ(create.constraints.size(), 3u);
  EXPECT_EQ(create.constraints[0].name, "pk");
  EXPECT_EQ(create.constraints[0].constraint_kind, TableConstraintKind::kPrimaryKey);
  EXPECT_EQ(create.constraints[0].columns, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(create.constraints[1].constraint_kind, TableConstraintKind::kUnique);
  EXPECT_EQ(create.constraints[2].constraint_kind, TableConstraintKind::kForeignKey);
}

TEST(ParserStatementTest, CreateTableAs) {
  auto statement = parse_one("CREATE TEMP TABLE t (x, y) AS SELECT 1, 2 WITH NO DATA");
  const auto& create = as<CreateTableStatement>(statement);
  EXPECT_TRUE(create.temporary);
  EXPECT_TRUE(create.columns.empty());
  EXPECT_EQ(create.as_column_names, (std::vector<std::string>{"x", "y"}));
  ASSERT_TRUE(create.as_query);
  EXPECT_TRUE(create.with_no_data);
}

TEST(ParserStatementTest, CreateView) {
  const std::string sql = "CREATE OR REPLACE VIEW v (a, b) AS SELECT x, y FROM t WHERE x > 1";
  auto statement = parse_one(sql);
  const auto& view = as<CreateViewStatement>(statement);
  EXPECT_TRUE(view.or_replace);
  EXPECT_FALSE(view.materialized);
  EXPECT_EQ(view.name, (std::vector<std::string>{"v"}));
  EXPECT_EQ(view.column_names, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(view.query_text, "SELECT x, y FROM t WHERE x > 1");
  EXPECT_EQ(view.text, sql);

  auto matview = parse_one(
      "CREATE MATERIALIZED VIEW IF NOT EXISTS mv AS SELECT a, sum(b) FROM t GROUP BY a WITH DATA;");
  const auto& mv = as<CreateViewStatement>(matview);
  EXPECT_TRUE(mv.materialized);
  EXPECT_TRUE(mv.if_not_exists);
  EXPECT_FALSE(mv.with_no_data);
  EXPECT_EQ(mv.query_text, "SELECT a, sum(b) FROM t GROUP BY a");
}

TEST(ParserStatementTest, CreateIndex) {
  auto statement = parse_one("CREATE UNIQUE INDEX IF NOT EXISTS i1 ON t1 USING btree (a DESC, (b + 1), lower(c))");
  const auto& index = as<CreateIndexStatement>(statement);
  EXPECT_TRUE(index.unique);
  EXPECT_TRUE(index.if_not_exists);
  EXPECT_EQ(index.name, "i1");
  EXPECT_EQ(index.method, "btree");
  ASSERT_EQ(index.columns.size(), 3u);
  EXPECT_EQ(index.columns[0].column, "a");
  EXPECT_EQ(index.columns[0].direction, SortDirection::kDesc);
  EXPECT_TRUE(index.columns[1].expr);
  EXPECT_TRUE(index.columns[2].expr);
  auto unnamed = parse_one("CREATE INDEX ON t (a)");
  EXPECT_EQ(as<CreateIndexStatement>(unnamed).name, "");
}

TEST(ParserStatementTest, DropTruncateRefresh) {
  auto drop = parse_one("DROP TABLE IF EXISTS a, s.b CASCADE");
  const auto& d = as<DropStatement>(drop);
  EXPECT_EQ(d.object_type, ObjectType::kTable);
  EXPECT_TRUE(d.if_exists);
  EXPECT_TRUE(d.cascade);
  ASSERT_EQ(d.names.size(), 2u);
  EXPECT_EQ(d.names[1], (std::vector<std::string>{"s", "b"}));
  EXPECT_EQ(as<DropStatement>(parse_one("DROP VIEW v")).object_type, ObjectType::kView);
  EXPECT_EQ(as<DropStatement>(parse_one("DROP MATERIALIZED VIEW v RESTRICT")).object_type,
            ObjectType::kMaterializedView);
  EXPECT_EQ(as<DropStatement>(parse_one("DROP INDEX i")).object_type, ObjectType::kIndex);

  auto truncate = parse_one("TRUNCATE TABLE a, b RESTART IDENTITY");
  EXPECT_EQ(as<TruncateStatement>(truncate).tables.size(), 2u);
  EXPECT_TRUE(as<TruncateStatement>(truncate).restart_identity);

  auto refresh = parse_one("REFRESH MATERIALIZED VIEW CONCURRENTLY mv");
  EXPECT_TRUE(as<RefreshMatViewStatement>(refresh).concurrently);
  EXPECT_EQ(as<RefreshMatViewStatement>(refresh).name, (std::vector<std::string>{"mv"}));
}

TEST(ParserStatementTest, Transactions) {
  auto kind = [](std::string_view sql) {
    auto statement = parse_one(sql);
    return as<TransactionStatement>(statement).transaction_kind;
  };
  EXPECT_EQ(kind("BEGIN"), TransactionKind::kBegin);
  EXPECT_EQ(kind("BEGIN WORK"), TransactionKind::kBegin);
  EXPECT_EQ(kind("BEGIN TRANSACTION"), TransactionKind::kBegin);
  EXPECT_EQ(kind("START TRANSACTION"), TransactionKind::kBegin);
  EXPECT_EQ(kind("COMMIT"), TransactionKind::kCommit);
  EXPECT_EQ(kind("COMMIT WORK"), TransactionKind::kCommit);
  EXPECT_EQ(kind("END"), TransactionKind::kCommit);
  EXPECT_EQ(kind("ROLLBACK"), TransactionKind::kRollback);
  EXPECT_EQ(kind("ABORT TRANSACTION"), TransactionKind::kRollback);
  EXPECT_EQ(kind("SAVEPOINT s1"), TransactionKind::kSavepoint);
  EXPECT_EQ(kind("RELEASE SAVEPOINT s1"), TransactionKind::kRelease);
  EXPECT_EQ(kind("ROLLBACK TO SAVEPOINT s1"), TransactionKind::kRollbackToSavepoint);
  auto modes = parse_one("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
  const auto& begin = as<TransactionStatement>(modes);
  EXPECT_EQ(begin.isolation_level, "repeatable read");
  EXPECT_EQ(begin.read_only, std::optional<bool>(true));
}

TEST(ParserStatementTest, Explain) {
  auto statement = parse_one("EXPLAIN ANALYZE VERBOSE SELECT 1");
  const auto& explain = as<ExplainStatement>(statement);
  EXPECT_TRUE(explain.analyze);
  EXPECT_TRUE(explain.verbose);
  ASSERT_TRUE(explain.statement);
  EXPECT_EQ(explain.statement->kind, StatementKind::kSelect);
  EXPECT_EQ(explain.statement->text, "SELECT 1");
  auto options = parse_one("EXPLAIN (ANALYZE false, COSTS OFF, FORMAT JSON) INSERT INTO t VALUES (1)");
  const auto& e = as<ExplainStatement>(options);
  EXPECT_FALSE(e.analyze);
  ASSERT_EQ(e.options.size(), 3u);
  EXPECT_EQ(e.options[1].name, "costs");
  EXPECT_EQ(e.options[1].value, "off");
  EXPECT_EQ(e.statement->kind, StatementKind::kInsert);
  auto paren = parse_one("EXPLAIN (SELECT 1)");
  EXPECT_EQ(as<ExplainStatement>(paren).statement->kind, StatementKind::kSelect);
}

TEST(ParserStatementTest, SetResetShow) {
  auto set = parse_one("SET search_path TO public, \"$user\"");
  const auto& s = as<VariableSetStatement>(set);
  EXPECT_EQ(s.set_kind, VariableSetKind::kValue);
  EXPECT_EQ(s.name, "search_path");
  ASSERT_EQ(s.values.size(), 2u);
  EXPECT_EQ(s.values[1]->as<ConstantExpr>().text, "$user");

  auto number = parse_one("SET LOCAL extra_float_digits = -3");
  EXPECT_TRUE(as<VariableSetStatement>(number).local);
  EXPECT_EQ(as<VariableSetStatement>(number).values[0]->as<ConstantExpr>().int_value, -3);

  auto session = parse_one("SET SESSION statement_timeout = '5s'");
  EXPECT_EQ(as<VariableSetStatement>(session).name, "statement_timeout");

  auto tz = parse_one("SET TIME ZONE 'UTC'");
  EXPECT_EQ(as<VariableSetStatement>(tz).name, "timezone");
  EXPECT_EQ(as<VariableSetStatement>(tz).values[0]->as<ConstantExpr>().text, "UTC");
  auto tz_local = parse_one("SET TIME ZONE LOCAL");
  EXPECT_EQ(as<VariableSetStatement>(tz_local).set_kind, VariableSetKind::kDefault);
  auto def = parse_one("SET datestyle TO DEFAULT");
  EXPECT_EQ(as<VariableSetStatement>(def).set_kind, VariableSetKind::kDefault);
  auto iso = parse_one("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE");
  EXPECT_EQ(as<VariableSetStatement>(iso).name, "default_transaction_isolation");
  EXPECT_EQ(as<VariableSetStatement>(iso).values[0]->as<ConstantExpr>().text, "serializable");

  auto reset = parse_one("RESET ALL");
  EXPECT_EQ(as<VariableSetStatement>(reset).set_kind, VariableSetKind::kResetAll);
  auto reset_one = parse_one("RESET work_mem");
  EXPECT_EQ(as<VariableSetStatement>(reset_one).set_kind, VariableSetKind::kReset);
  EXPECT_EQ(as<VariableSetStatement>(reset_one).name, "work_mem");

  EXPECT_EQ(as<VariableShowStatement>(parse_one("SHOW ALL")).name, "all");
  EXPECT_EQ(as<VariableShowStatement>(parse_one("SHOW server_version")).name, "server_version");
  EXPECT_EQ(as<VariableShowStatement>(parse_one("SHOW TIME ZONE")).name, "timezone");
  EXPECT_EQ(as<VariableShowStatement>(parse_one("SHOW TRANSACTION ISOLATION LEVEL")).name,
            "transaction_isolation");
}

TEST(ParserStatementTest, Copy) {
  auto from = parse_one("COPY t (a, b) FROM STDIN WITH (FORMAT csv, HEADER true, DELIMITER '|')");
  const auto& c = as<CopyStatement>(from);
  EXPECT_TRUE(c.is_from);
  EXPECT_EQ(c.columns, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(c.filename.empty());
  ASSERT_EQ(c.options.size(), 3u);
  EXPECT_EQ(c.options[0].name, "format");
  EXPECT_EQ(c.options[0].value, "csv");
  EXPECT_EQ(c.options[2].value, "|");
  auto to = parse_one("COPY (SELECT 1) TO STDOUT CSV HEADER");
  const auto& t = as<CopyStatement>(to);
  EXPECT_FALSE(t.is_from);
  EXPECT_TRUE(t.query);
  ASSERT_EQ(t.options.size(), 2u);
  EXPECT_EQ(t.options[0].value, "csv");
  auto file = parse_one("COPY t TO '/tmp/x.csv'");
  EXPECT_EQ(as<CopyStatement>(file).filename, "/tmp/x.csv");
  // The old option words psql and pg_dump send, FORCE NULL among them.
  auto legacy = parse_one(
      "COPY t FROM STDIN WITH CSV HEADER DELIMITER AS ';' NULL AS 'x' FORCE NOT NULL a, b FORCE NULL c");
  const auto& l = as<CopyStatement>(legacy);
  ASSERT_EQ(l.options.size(), 6u);
  EXPECT_EQ(l.options[2].name, "delimiter");
  EXPECT_EQ(l.options[2].value, ";");
  EXPECT_EQ(l.options[4].name, "force_not_null");
  EXPECT_EQ(l.options[4].value, "a,b");
  EXPECT_EQ(l.options[5].name, "force_null");
  EXPECT_EQ(l.options[5].value, "c");
  auto star = parse_one("COPY t TO STDOUT (FORMAT csv, FORCE_QUOTE *, HEADER)");
  const auto& s = as<CopyStatement>(star);
  ASSERT_EQ(s.options.size(), 3u);
  EXPECT_EQ(s.options[1].value, "*");
  EXPECT_TRUE(s.options[2].value.empty());
}

TEST(ParserStatementTest, PrepareExecuteDeallocate) {
  auto prepare = parse_one("PREPARE q (int, text) AS SELECT * FROM t WHERE a = $1 AND b = $2");
  const auto& p = as<PrepareStatement>(prepare);
  EXPECT_EQ(p.name, "q");
  ASSERT_EQ(p.param_types.size(), 2u);
  EXPECT_EQ(p.param_types[0].name, "integer");
  EXPECT_EQ(p.statement->text, "SELECT * FROM t WHERE a = $1 AND b = $2");
  auto execute = parse_one("EXECUTE q (1, 'x')");
  EXPECT_EQ(as<ExecuteStatement>(execute).params.size(), 2u);
  EXPECT_TRUE(as<DeallocateStatement>(parse_one("DEALLOCATE ALL")).all);
  EXPECT_EQ(as<DeallocateStatement>(parse_one("DEALLOCATE PREPARE q")).name, "q");
}

TEST(ParserStatementTest, InsertOnConflict) {
  auto nothing = parse_one("INSERT INTO t VALUES (1) ON CONFLICT DO NOTHING RETURNING a");
  const auto& n = as<InsertStatement>(nothing);
  ASSERT_NE(n.on_conflict, nullptr);
  EXPECT_FALSE(n.on_conflict->has_target);
  EXPECT_FALSE(n.on_conflict->do_update);
  EXPECT_EQ(n.returning.size(), 1u);
  auto update = parse_one(
      "INSERT INTO t AS x SELECT * FROM s ON CONFLICT (a, b) WHERE a > 0 DO UPDATE SET c = excluded.c, (d, e) = (1, 2) "
      "WHERE x.c < 3");
  const auto& u = as<InsertStatement>(update);
  ASSERT_NE(u.on_conflict, nullptr);
  EXPECT_EQ(u.on_conflict->columns, (std::vector<std::string>{"a", "b"}));
  EXPECT_NE(u.on_conflict->index_predicate, nullptr);
  EXPECT_TRUE(u.on_conflict->do_update);
  ASSERT_EQ(u.on_conflict->set.size(), 3u);
  EXPECT_EQ(u.on_conflict->set[2].column, "e");
  EXPECT_NE(u.on_conflict->where, nullptr);
  auto constraint = parse_one("INSERT INTO t VALUES (1) ON CONFLICT ON CONSTRAINT t_pkey DO NOTHING");
  EXPECT_EQ(as<InsertStatement>(constraint).on_conflict->constraint, "t_pkey");
}

TEST(ParserStatementTest, StatementTextSpans) {
  const std::string sql = "/* lead */ INSERT INTO t VALUES (1) ; UPDATE t SET a = 2;DELETE FROM t";
  auto statements = parse_sql(sql);
  ASSERT_EQ(statements.size(), 3u);
  EXPECT_EQ(statements[0]->text, "INSERT INTO t VALUES (1)");
  EXPECT_EQ(statements[0]->location, 11);
  EXPECT_EQ(statements[1]->text, "UPDATE t SET a = 2");
  EXPECT_EQ(statements[2]->text, "DELETE FROM t");
  EXPECT_EQ(statements[2]->location, static_cast<int>(sql.find("DELETE")));
}

}  // namespace
}  // namespace tessera::planner

namespace tessera::planner {
namespace {

TEST(ParserSchemaTest, CreateAndAlterSchema) {
  auto create = parse_one("CREATE SCHEMA IF NOT EXISTS s AUTHORIZATION CURRENT_USER");
  const auto& c = as<SchemaStatement>(create);
  EXPECT_EQ(c.action, SchemaStatement::Action::kCreate);
  EXPECT_EQ(c.name, "s");
  EXPECT_TRUE(c.if_not_exists);
  EXPECT_EQ(c.role, "current_user");
  EXPECT_TRUE(c.role_keyword);

  auto named_by_role = parse_one("CREATE SCHEMA AUTHORIZATION \"Bob\"");
  EXPECT_EQ(as<SchemaStatement>(named_by_role).name, "");
  EXPECT_EQ(as<SchemaStatement>(named_by_role).role, "Bob");
  EXPECT_FALSE(as<SchemaStatement>(named_by_role).role_keyword);

  auto rename = parse_one("ALTER SCHEMA s RENAME TO \"T\"");
  EXPECT_EQ(as<SchemaStatement>(rename).action, SchemaStatement::Action::kRename);
  EXPECT_EQ(as<SchemaStatement>(rename).new_name, "T");

  auto owner = parse_one("ALTER SCHEMA s OWNER TO tessera");
  EXPECT_EQ(as<SchemaStatement>(owner).action, SchemaStatement::Action::kOwner);
  EXPECT_EQ(as<SchemaStatement>(owner).role, "tessera");

  auto drop = parse_one("DROP SCHEMA IF EXISTS a, b CASCADE");
  EXPECT_EQ(as<DropStatement>(drop).object_type, ObjectType::kSchema);
  EXPECT_EQ(as<DropStatement>(drop).names.size(), 2u);

  auto comment = parse_one("COMMENT ON SCHEMA s IS 'x'");
  EXPECT_EQ(as<CommentStatement>(comment).object_type, "schema");
}

TEST(ParserStatementTest, AlterTableSetSchemaIsAnActionOfItsOwn) {
  auto statement = parse_one("ALTER TABLE IF EXISTS s.t SET SCHEMA \"Other\"");
  const auto& alter = as<AlterTableStatement>(statement);
  EXPECT_EQ(alter.name, (std::vector<std::string>{"s", "t"}));
  EXPECT_TRUE(alter.if_exists);
  ASSERT_EQ(alter.actions.size(), 1u);
  EXPECT_EQ(alter.actions[0].action_kind, AlterTableActionKind::kSetSchema);
  EXPECT_EQ(alter.actions[0].new_name, "Other");
}

}  // namespace
}  // namespace tessera::planner
