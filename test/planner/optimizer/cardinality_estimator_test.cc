#include "planner/optimizer/cardinality_estimator.h"

#include <gtest/gtest.h>

#include <functional>

#include "catalog/catalog.h"
#include "executor/operator/ddl/physical_explain.h"
#include "executor/physical_planner.h"
#include "planner/binder/binder.h"
#include "planner/optimizer/optimizer.h"
#include "planner/parser/parser.h"
#include "storage/data_table.h"
#include "storage/transaction_manager.h"
#include "test/executor/builtin_registry.h"
#include "test/planner/optimizer/planner_table_fixture.h"

namespace tessera::planner {
namespace {

class CardinalityEstimatorTest : public test::PlannerTableFixture {
 protected:
  void SetUp() override {
    // big: 10000 rows; id 0..9999 (unique), g = id % 100 (100 values), h = id % 7,
    //      n NULL in every fourth row (else id), name one of 50 strings.
    make_table("big", {{"id", LogicalType::integer()},
                       {"g", LogicalType::integer()},
                       {"h", LogicalType::integer()},
                       {"n", LogicalType::integer()},
                       {"name", LogicalType::varchar()}},
               10000, [](size_t i, size_t c) -> Value {
                 switch (c) {
                   case 0: return Value::integer(static_cast<int32_t>(i));
                   case 1: return Value::integer(static_cast<int32_t>(i % 100));
                   case 2: return Value::integer(static_cast<int32_t>(i % 7));
                   case 3: return i % 4 == 0 ? Value::null(LogicalType::integer()) : Value::integer(static_cast<int32_t>(i));
                   default: return Value::varchar("name" + std::to_string(i % 50));
                 }
               });
    // medium: 1000 rows; id 0..999, g = id % 10.
    make_table("medium", {{"id", LogicalType::integer()}, {"g", LogicalType::integer()}}, 1000,
               [](size_t i, size_t c) -> Value {
                 return Value::integer(static_cast<int32_t>(c == 0 ? i : i % 10));
               });
    // small: 10 rows; id 0..9 joining big.g (100 values) on 10 of them.
    make_table("small", {{"id", LogicalType::integer()}}, 10,
               [](size_t i, size_t) -> Value { return Value::integer(static_cast<int32_t>(i)); });
    // empty: no rows, so no statistics beyond its row count.
    make_table("empty", {{"a", LogicalType::integer()}}, 0, [](size_t, size_t) -> Value { return Value(); });
  }

  /// The root's estimate, below the select list's projection.
  double rows_of(const std::string& sql) { return optimized(sql)->estimated_rows; }

  /// The estimate of the first operator of `kind` found depth-first.
  static const LogicalOperator* find(const LogicalOperator& op, LogicalOperatorKind kind) {
    if (op.kind == kind) return &op;
    for (const auto& c : op.children) {
      if (auto* found = find(*c, kind)) return found;
    }
    return nullptr;
  }

};

TEST_F(CardinalityEstimatorTest, TableStatisticsComeFromStorage) {
  auto stats = catalog_.get_table(*txn_, "big")->statistics();
  EXPECT_EQ(stats.row_count, 10000);
  ASSERT_EQ(stats.columns.size(), 5u);
  EXPECT_NEAR(stats.columns[0].distinct_count, 10000, 500);  // HyperLogLog: a few percent
  EXPECT_NEAR(stats.columns[1].distinct_count, 100, 3);
  EXPECT_NEAR(stats.columns[2].distinct_count, 7, 0.5);
  EXPECT_NEAR(stats.columns[4].distinct_count, 50, 2);
  EXPECT_DOUBLE_EQ(stats.columns[3].null_fraction, 0.25);
  EXPECT_DOUBLE_EQ(stats.columns[0].null_fraction, 0);
  EXPECT_EQ(stats.columns[0].min.get_int64(), 0);
  EXPECT_EQ(stats.columns[0].max.get_int64(), 9999);
  EXPECT_EQ(stats.columns[4].min.to_string(), "name0");
  EXPECT_EQ(stats.columns[4].max.to_string(), "name9");
  auto empty = catalog_.get_table(*txn_, "empty")->statistics();
  EXPECT_EQ(empty.row_count, 0);
  EXPECT_TRUE(empty.columns[0].min.is_null());
  EXPECT_EQ(empty.columns[0].distinct_count, 0);
}

TEST_F(CardinalityEstimatorTest, ScanWithoutFilterIsTheRowCount) {
  EXPECT_DOUBLE_EQ(rows_of("SELECT * FROM big"), 10000);
  EXPECT_DOUBLE_EQ(rows_of("SELECT * FROM medium"), 1000);
  // Never below one row.
  EXPECT_DOUBLE_EQ(rows_of("SELECT * FROM empty"), 1);
}

TEST_F(CardinalityEstimatorTest, EqualityWithAConstantIsOneOverTheDistinctCount) {
  // 10000 rows / ~100 distinct values of g.
  EXPECT_NEAR(rows_of("SELECT * FROM big WHERE g = 5"), 100, 5);
  EXPECT_NEAR(rows_of("SELECT * FROM big WHERE 5 = g"), 100, 5);
  EXPECT_NEAR(rows_of("SELECT * FROM big WHERE h = 3"), 10000.0 / 7, 80);
  // A value outside min..max matches nothing (one row, the floor).
  EXPECT_DOUBLE_EQ(rows_of("SELECT * FROM big WHERE g = 1000"), 1);
  // <> is the complement, less the NULLs.
  EXPECT_NEAR(rows_of("SELECT * FROM big WHERE g <> 5"), 9900, 5);
  // Strings: 50 names.
  EXPECT_NEAR(rows_of("SELECT * FROM big WHERE name = 'name7'"), 200, 10);
}

TEST_F(CardinalityEstimatorTest, RangesInterpolateBetweenMinAndMax) {
  EXPECT_NEAR(rows_of("SELECT * FROM big WHERE id < 1000"), 1000, 2);
  EXPECT_NEAR(rows_of("SELECT * FROM big WHERE id >= 7500"), 2500, 2);
  EXPECT_NEAR(rows_of("SELECT * FROM big WHERE 2500 > id"), 2500, 2);
  EXPECT_DOUBLE_EQ(rows_of("SELECT * FROM big WHERE id > 20000"), 1);
  EXPECT_DOUBLE_EQ(rows_of("SELECT * FROM big WHERE id > -5"), 10000);
  // BETWEEN is a range pair (lo + hi - 1), not the product of its sides.
  EXPECT_NEAR(rows_of("SELECT * FROM big WHERE id BETWEEN 1000 AND 2999"), 2000, 5);
  // Equality is far more selective than a range on the same column.
  EXPECT_LT(rows_of("SELECT * FROM big WHERE g = 50"), rows_of("SELECT * FROM big WHERE g < 50") / 10);
  // Without min/max (strings) the default 1/3.
  EXPECT_NEAR(rows_of("SELECT * FROM big WHERE name < 'name3'"), 10000.0 / 3, 1);
}

TEST_F(CardinalityEstimatorTest, DefaultsWithoutStatistics) {
  // Expressions over columns have no statistics: PostgreSQL's default selectivities.
  EXPECT_NEAR(rows_of("SELECT * FROM big WHERE id + 1 = 5"), 10000 * kDefaultEqSel, 1e-6);
  EXPECT_NEAR(rows_of("SELECT * FROM big WHERE id + 1 < 5"), 10000 * kDefaultIneqSel, 1e-6);
  // A range on both sides of one expression: PostgreSQL's range default, not (1/3)^2.
  EXPECT_NEAR(rows_of("SELECT * FROM big WHERE id + 1 > 5 AND id + 1 < 100"), 10000 * kDefaultRangeIneqSel, 1e-6);
  EXPECT_NEAR(rows_of("SELECT * FROM big WHERE id + 1 > 5 AND g + 1 < 100"), 10000 * kDefaultIneqSel * kDefaultIneqSel, 1e-6);
  // A comparison of two columns of one table.
  EXPECT_NEAR(rows_of("SELECT * FROM big WHERE id < g"), 10000 * kDefaultIneqSel, 1e-6);
  EXPECT_NEAR(rows_of("SELECT * FROM big WHERE name LIKE 'name1%'"), 10000 * kDefaultMatchSel, 1e-6);
  EXPECT_NEAR(rows_of("SELECT * FROM big WHERE name NOT LIKE 'name1%'"), 10000 * (1 - kDefaultMatchSel), 1e-6);
  EXPECT_NEAR(rows_of("SELECT * FROM big WHERE (id + 1) IS NULL"), 10000 * kDefaultNullSel, 1e-6);
}

TEST_F(CardinalityEstimatorTest, AndOrNot) {
  const double g = rows_of("SELECT * FROM big WHERE g = 5") / 10000;
  const double h = rows_of("SELECT * FROM big WHERE h = 3") / 10000;
  EXPECT_NEAR(rows_of("SELECT * FROM big WHERE g = 5 AND h = 3"), 10000 * g * h, 1e-6);
  EXPECT_NEAR(rows_of("SELECT * FROM big WHERE g = 5 OR h = 3"), 10000 * (g + h - g * h), 1e-6);
  EXPECT_NEAR(rows_of("SELECT * FROM big WHERE NOT (h = 3)"), 10000 * (1 - h), 1e-6);
  EXPECT_NEAR(rows_of("SELECT * FROM big WHERE NOT (g = 5 AND h = 3)"), 10000 * (1 - g * h), 1e-6);
}

TEST_F(CardinalityEstimatorTest, InListsAreSumsOfEqualities) {
  const double h = rows_of("SELECT * FROM big WHERE h = 3") / 10000;
  EXPECT_NEAR(rows_of("SELECT * FROM big WHERE h IN (1, 2, 3)"), 10000 * 3 * h, 1e-6);
  // Capped at every row.
  EXPECT_DOUBLE_EQ(rows_of("SELECT * FROM big WHERE h IN (0, 1, 2, 3, 4, 5, 6, 6)"), 10000);
}

TEST_F(CardinalityEstimatorTest, IsNullUsesTheNullFraction) {
  EXPECT_NEAR(rows_of("SELECT * FROM big WHERE n IS NULL"), 2500, 1e-6);
  EXPECT_NEAR(rows_of("SELECT * FROM big WHERE n IS NOT NULL"), 7500, 1e-6);
  EXPECT_DOUBLE_EQ(rows_of("SELECT * FROM big WHERE id IS NULL"), 1);
}

TEST_F(CardinalityEstimatorTest, Joins) {
  // Equi-join: |L| * |R| / max(ndistinct): big.g has ~100 values, small.id 10.
  EXPECT_NEAR(rows_of("SELECT * FROM big JOIN small ON big.g = small.id"), 10000.0 * 10 / 100, 5);
  // A key join: medium.id is unique, big.id too: about min(|L|, |R|).
  EXPECT_NEAR(rows_of("SELECT * FROM big JOIN medium ON big.id = medium.id"), 1000, 60);
  // LEFT join keeps at least its left side.
  EXPECT_NEAR(rows_of("SELECT * FROM big LEFT JOIN small ON big.g = small.id"), 10000, 1e-6);
  EXPECT_NEAR(rows_of("SELECT * FROM small LEFT JOIN big ON big.g = small.id"), 1000, 50);
  // Cross join.
  EXPECT_DOUBLE_EQ(rows_of("SELECT * FROM medium, small"), 10000);
  EXPECT_DOUBLE_EQ(rows_of("SELECT * FROM medium CROSS JOIN small"), 10000);
  // NOT EXISTS becomes an anti-join: the unmatched rows of the left side.
  EXPECT_NEAR(rows_of("SELECT * FROM big WHERE NOT EXISTS (SELECT 1 FROM small WHERE small.id = big.g)"), 9000, 100);
}

TEST_F(CardinalityEstimatorTest, GroupByMultipliesTheKeysDistinctCounts) {
  EXPECT_DOUBLE_EQ(rows_of("SELECT count(*) FROM big"), 1);
  EXPECT_NEAR(rows_of("SELECT h, count(*) FROM big GROUP BY h"), 7, 0.5);
  EXPECT_NEAR(rows_of("SELECT g, h, count(*) FROM big GROUP BY g, h"), 700, 40);
  // Capped by the input.
  EXPECT_NEAR(rows_of("SELECT id, g, count(*) FROM big GROUP BY id, g"), 10000, 1e-6);
  // Filters shrink the groups' distinct counts.
  EXPECT_LT(rows_of("SELECT g, count(*) FROM big WHERE id < 50 GROUP BY g"), 51);
  EXPECT_NEAR(rows_of("SELECT DISTINCT h FROM big"), 7, 0.5);
  EXPECT_NEAR(rows_of("SELECT DISTINCT g, h FROM big"), 700, 40);
}

TEST_F(CardinalityEstimatorTest, FiltersNarrowTheirColumnsForTheOperatorsAbove) {
  // After g = 5 the scan's g has one value: every filtered row joins small's row with id 5.
  EXPECT_NEAR(rows_of("SELECT * FROM big JOIN small ON big.g = small.id WHERE big.g = 5"), 100, 5);
  EXPECT_DOUBLE_EQ(rows_of("SELECT g, count(*) FROM big WHERE g = 5 GROUP BY g"), 1);
  // A range moves the bounds a later range on the same column interpolates between.
  EXPECT_NEAR(rows_of("SELECT * FROM (SELECT * FROM big WHERE id < 1000 LIMIT 5000) s WHERE id < 500"), 500, 2);
  // Compared rows are never NULL.
  EXPECT_DOUBLE_EQ(rows_of("SELECT * FROM (SELECT * FROM big WHERE n > 0 LIMIT 100000) s WHERE n IS NULL"), 1);
}

TEST_F(CardinalityEstimatorTest, LimitAndValues) {
  EXPECT_DOUBLE_EQ(rows_of("SELECT * FROM big LIMIT 10"), 10);
  EXPECT_DOUBLE_EQ(rows_of("SELECT * FROM big LIMIT 10 OFFSET 9995"), 5);
  EXPECT_DOUBLE_EQ(rows_of("SELECT * FROM small LIMIT 100"), 10);
  EXPECT_DOUBLE_EQ(rows_of("SELECT * FROM big ORDER BY id LIMIT 3"), 3);
  EXPECT_DOUBLE_EQ(rows_of("VALUES (1), (2), (3)"), 3);
  EXPECT_DOUBLE_EQ(rows_of("SELECT 1"), 1);
}

TEST_F(CardinalityEstimatorTest, EveryOperatorGetsAnEstimate) {
  auto plan = optimized("SELECT h, count(*) FROM big JOIN medium ON big.id = medium.id WHERE big.id < 500 GROUP BY h");
  const auto* join = find(*plan, LogicalOperatorKind::kJoin);
  ASSERT_NE(join, nullptr);
  // The filter pushed into big's scan is estimated there: 500 rows, not 10000.
  EXPECT_NEAR(join->children[0]->estimated_rows, 500, 2);
  EXPECT_NEAR(join->children[1]->estimated_rows, 1000, 1e-6);
  EXPECT_NEAR(join->estimated_rows, 500, 40);
  EXPECT_NEAR(find(*plan, LogicalOperatorKind::kAggregate)->estimated_rows, 7, 0.5);
}

TEST_F(CardinalityEstimatorTest, GroupingSetsAddTheGroupsOfEverySet) {
  // g has 100 values, h 7; each set groups separately and () is one row.
  auto aggregate_rows = [&](const std::string& sql) {
    auto plan = optimized(sql);
    return find(*plan, LogicalOperatorKind::kAggregate)->estimated_rows;
  };
  EXPECT_NEAR(aggregate_rows("SELECT g, h, count(*) FROM big GROUP BY ROLLUP (g, h)"), 700 + 100 + 1, 30);
  EXPECT_NEAR(aggregate_rows("SELECT g, h, count(*) FROM big GROUP BY CUBE (g, h)"), 700 + 100 + 7 + 1, 30);
  EXPECT_NEAR(aggregate_rows("SELECT count(*) FROM big GROUP BY GROUPING SETS ((), ())"), 2, 1e-6);
  EXPECT_NEAR(aggregate_rows("SELECT count(*) FROM big GROUP BY ()"), 1, 1e-6);
}

TEST_F(CardinalityEstimatorTest, HashJoinBuildsTheSmallerSideAfterFilterPushdown) {
  // big filtered to ~20 rows joined with medium (1000 rows): big's scan is the build side,
  // though the table is ten times larger.
  const std::string sql = "SELECT * FROM big JOIN medium ON big.g = medium.g WHERE big.id < 20";
  auto plan = optimized(sql);
  executor::PhysicalPlanner planner(&catalog_, txn_.get());
  auto physical = planner.create_rooted_plan(*plan, false);
  std::string text;
  for (const auto& line : executor::PhysicalExplain::render(*physical)) text += line + "\n";
  // The hash join's second child is its build side.
  std::function<const executor::PhysicalOperator*(const executor::PhysicalOperator&)> find_join =
      [&](const executor::PhysicalOperator& op) -> const executor::PhysicalOperator* {
    if (op.name() == "HASH_JOIN") return &op;
    for (const auto& c : op.children()) {
      if (auto* j = find_join(*c)) return j;
    }
    return nullptr;
  };
  const executor::PhysicalOperator* join = find_join(*physical);
  ASSERT_NE(join, nullptr) << text;
  ASSERT_EQ(join->children().size(), 2u);
  EXPECT_EQ(join->children()[1]->explain_details().rfind("big", 0), 0u) << text;
  EXPECT_EQ(join->children()[0]->explain_details().rfind("medium", 0), 0u) << text;
  EXPECT_NE(text.find("TABLE_SCAN big  (rows=20)"), std::string::npos) << text;
  EXPECT_NE(text.find("TABLE_SCAN medium  (rows=1000)"), std::string::npos) << text;

  // Unfiltered, big is the larger input and medium is built.
  auto unfiltered = optimized("SELECT * FROM big JOIN medium ON big.g = medium.g");
  auto physical2 = planner.create_rooted_plan(*unfiltered, false);
  const executor::PhysicalOperator* join2 = find_join(*physical2);
  ASSERT_NE(join2, nullptr);
  EXPECT_EQ(join2->children()[1]->explain_details().rfind("medium", 0), 0u);
}

}  // namespace
}  // namespace tessera::planner
