#include <gtest/gtest.h>

#include "catalog/catalog.h"
#include "planner/binder/binder.h"
#include "planner/parser/parser.h"
#include "src/common/sql_error.h"
#include "storage/storage_constants.h"
#include "storage/transaction_manager.h"
#include "test/executor/builtin_registry.h"

namespace tessera::planner {
namespace {

class BinderModifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    catalog_.create_table(*txn_, "t", {{"a", LogicalType::integer()}, {"b", LogicalType::varchar()}}, false);
    catalog_.create_table(*txn_, "u", {{"a", LogicalType::integer()}, {"x", LogicalType::bigint()}}, false);
  }

  BoundStatement bind(const std::string& sql) {
    statements_ = parse_sql(sql);
    Binder binder(catalog_, executor::builtin_registry(), *txn_, sql);
    return binder.bind(*statements_.at(0));
  }

  std::string error_of(const std::string& sql) {
    try {
      bind(sql);
    } catch (const SqlError& e) {
      return std::string(sqlstate_code(e.state())) + " " + e.message();
    }
    return "none";
  }

  catalog::Catalog catalog_;
  storage::TransactionManager transactions_;
  std::unique_ptr<storage::Transaction> txn_ = transactions_.begin();
  std::vector<StatementPtr> statements_;
};

TEST_F(BinderModifyTest, UpdateProjectsTheRowIdAndEveryNewValue) {
  auto bound = bind("UPDATE t SET b = 'x', a = a + 1");
  EXPECT_EQ(bound.properties.command, CommandKind::kUpdate);
  EXPECT_FALSE(bound.properties.read_only);
  EXPECT_FALSE(bound.properties.returns_rows);
  ASSERT_EQ(bound.plan->kind, LogicalOperatorKind::kUpdate);
  EXPECT_TRUE(bound.plan->output_types().empty());
  const auto& projection = static_cast<const LogicalProjection&>(*bound.plan->children[0]);
  ASSERT_EQ(projection.expressions.size(), 3u);
  EXPECT_EQ(projection.expressions[0]->type, LogicalType::bigint());
  EXPECT_EQ(projection.expressions[1]->to_string(), "(t.a + 1)");
  const auto& get = static_cast<const LogicalGet&>(*projection.children[0]);
  EXPECT_EQ(get.column_ids, (std::vector<size_t>{0, 1, storage::kRowIdColumn}));
  EXPECT_EQ(get.output_types().back(), LogicalType::bigint());
}

TEST_F(BinderModifyTest, ReturningReadsTheModifiedRowsAndFromColumns) {
  auto bound = bind("UPDATE t SET a = u.x FROM u WHERE u.a = t.a RETURNING t.a, u.x, *");
  EXPECT_TRUE(bound.properties.returns_rows);
  EXPECT_EQ(bound.names, (std::vector<std::string>{"a", "x", "a", "b", "a", "x"}));
  ASSERT_EQ(bound.plan->kind, LogicalOperatorKind::kProjection);
  EXPECT_EQ(bound.plan->children[0]->kind, LogicalOperatorKind::kUpdate);
  // u.x (bigint) is cast for the integer column a.
  EXPECT_EQ(bound.plan->output_types()[0], LogicalType::integer());
  EXPECT_EQ(bound.plan->output_types()[1], LogicalType::bigint());

  auto del = bind("DELETE FROM t AS y RETURNING y.b, a * 2");
  EXPECT_EQ(del.properties.command, CommandKind::kDelete);
  EXPECT_EQ(del.names, (std::vector<std::string>{"b", "?column?"}));

  auto insert = bind("INSERT INTO t AS z VALUES (1, 'q') RETURNING z.a, b");
  EXPECT_EQ(insert.properties.command, CommandKind::kInsert);
  EXPECT_TRUE(insert.properties.returns_rows);
  EXPECT_EQ(insert.plan->output_types(), (std::vector<LogicalType>{LogicalType::integer(), LogicalType::varchar()}));
}

TEST_F(BinderModifyTest, MultipleColumnSetExpandsIntoAssignments) {
  auto bound = bind("UPDATE t SET (b, a) = (DEFAULT, 5)");
  const auto& projection = static_cast<const LogicalProjection&>(*bound.plan->children[0]);
  EXPECT_EQ(projection.expressions[1]->to_string(), "5");
  EXPECT_EQ(projection.expressions[2]->kind, BoundExprKind::kConstant);
}

TEST_F(BinderModifyTest, ErrorsMatchPostgres) {
  EXPECT_EQ(error_of("UPDATE t SET nosuch = 1"), "42703 column \"nosuch\" of relation \"t\" does not exist");
  EXPECT_EQ(error_of("UPDATE t SET a = 1, a = 2"), "42601 multiple assignments to same column \"a\"");
  EXPECT_EQ(error_of("UPDATE t SET (a, b) = (1, 2, 3)"), "42601 number of columns does not match number of values");
  EXPECT_EQ(error_of("UPDATE t SET (a, b) = (SELECT 1, 'x')").substr(0, 5), "0A000");
  EXPECT_EQ(error_of("UPDATE t SET a = sum(a)"), "42803 aggregate functions are not allowed in UPDATE");
  EXPECT_EQ(error_of("DELETE FROM t RETURNING max(a)"), "42803 aggregate functions are not allowed in RETURNING");
  EXPECT_EQ(error_of("DELETE FROM nosuch"), "42P01 relation \"nosuch\" does not exist");
  EXPECT_EQ(error_of("UPDATE t SET a = 'x'::text"), "42804 column \"a\" is of type integer but expression is of type text");
  EXPECT_EQ(error_of("TRUNCATE t, nosuch"), "42P01 relation \"nosuch\" does not exist");
}

TEST_F(BinderModifyTest, TruncateListsEachTableOnce) {
  auto bound = bind("TRUNCATE TABLE t, u, t RESTART IDENTITY");
  EXPECT_EQ(bound.properties.command, CommandKind::kTruncate);
  ASSERT_EQ(bound.plan->kind, LogicalOperatorKind::kTruncate);
  EXPECT_EQ(static_cast<const LogicalTruncate&>(*bound.plan).tables.size(), 2u);
}

}  // namespace
}  // namespace tessera::planner
