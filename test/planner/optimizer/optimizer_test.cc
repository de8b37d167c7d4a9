#include "planner/optimizer/optimizer.h"

#include <gtest/gtest.h>

#include "catalog/catalog.h"
#include "planner/binder/binder.h"
#include "planner/parser/parser.h"
#include "storage/transaction_manager.h"
#include "test/executor/builtin_registry.h"

namespace tessera::planner {
namespace {

class OptimizerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    catalog_.create_table(*txn_, "t", {{"a", LogicalType::integer()}, {"b", LogicalType::integer()}, {"c", LogicalType::varchar()}},
                          false);
    catalog_.create_table(*txn_, "u", {{"a", LogicalType::integer()}, {"x", LogicalType::integer()}}, false);
  }

  /// The optimized logical plan of `sql`, as indented text.
  std::string plan_of(const std::string& sql) {
    auto statements = parse_sql(sql);
    Binder binder(catalog_, executor::builtin_registry(), *txn_, sql);
    auto bound = binder.bind(*statements[0]);
    return logical_plan_to_string(*Optimizer().optimize(std::move(bound.plan)));
  }

  catalog::Catalog catalog_;
  storage::TransactionManager transactions_;
  std::unique_ptr<storage::Transaction> txn_ = transactions_.begin();
};

TEST_F(OptimizerTest, FiltersMoveIntoScansAndCommaJoinsBecomeInnerJoins) {
  std::string plan = plan_of("SELECT t.c FROM t, u WHERE t.a = u.a AND t.b > 3 AND u.x < 5");
  EXPECT_NE(plan.find("Join Inner (t.a = u.a)"), std::string::npos) << plan;
  EXPECT_NE(plan.find("Get t [(t.b > 3)]"), std::string::npos) << plan;
  EXPECT_NE(plan.find("Get u [(u.x < 5)]"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("Filter"), std::string::npos) << plan;
}

TEST_F(OptimizerTest, WhereConditionsOnTheNullableSideStayAboveALeftJoin) {
  std::string plan = plan_of("SELECT t.a FROM t LEFT JOIN u ON t.a = u.a WHERE u.x IS NULL AND t.b = 1");
  EXPECT_NE(plan.find("Filter (u.x IS NULL)"), std::string::npos) << plan;
  EXPECT_NE(plan.find("Get t [(t.b = 1)]"), std::string::npos) << plan;
}

TEST_F(OptimizerTest, ScansReadOnlyTheColumnsUsed) {
  auto statements = parse_sql("SELECT c FROM t WHERE b > 1");
  Binder binder(catalog_, executor::builtin_registry(), *txn_, "SELECT c FROM t WHERE b > 1");
  auto plan = Optimizer().optimize(binder.bind(*statements[0]).plan);
  const LogicalOperator* op = plan.get();
  while (op->kind != LogicalOperatorKind::kGet) op = op->children[0].get();
  EXPECT_EQ(static_cast<const LogicalGet*>(op)->column_ids, (std::vector<size_t>{1, 2}));
}

TEST_F(OptimizerTest, NotExistsBecomesAnAntiJoin) {
  std::string plan = plan_of("SELECT a FROM t WHERE NOT EXISTS (SELECT 1 FROM u WHERE u.a = t.a AND u.x > 0)");
  EXPECT_NE(plan.find("Join Anti (u.a = t.a)"), std::string::npos) << plan;
  EXPECT_NE(plan.find("Get u [(u.x > 0)]"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("SubPlan"), std::string::npos) << plan;
}

TEST_F(OptimizerTest, ExistsWithAnyCorrelationBecomesASemiJoin) {
  std::string plan = plan_of("SELECT a FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.a < t.a)");
  EXPECT_NE(plan.find("Join Semi (u.a < t.a)"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("SubPlan"), std::string::npos) << plan;
}

TEST_F(OptimizerTest, InBecomesASemiJoin) {
  std::string plan = plan_of("SELECT a FROM t WHERE b IN (SELECT x FROM u WHERE u.a = t.a)");
  EXPECT_NE(plan.find("Join Semi"), std::string::npos) << plan;
  EXPECT_NE(plan.find("(t.b = u.x)"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("SubPlan"), std::string::npos) << plan;
}

TEST_F(OptimizerTest, CorrelatedAggregateBecomesALeftJoinWithGroups) {
  std::string plan = plan_of("SELECT a, (SELECT count(*) FROM u WHERE u.a = t.a) FROM t");
  EXPECT_NE(plan.find("Join Left"), std::string::npos) << plan;
  EXPECT_NE(plan.find("Aggregate [u.a]"), std::string::npos) << plan;
  // count over no rows is 0, not the NULL of an unmatched LEFT JOIN row.
  EXPECT_NE(plan.find("THEN 0 ELSE count(*)"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("SubPlan"), std::string::npos) << plan;
}

TEST_F(OptimizerTest, OtherShapesKeepThePerRowSubplan) {
  // A correlation under an aggregate that is not an equality, in a scalar subquery and inside
  // EXISTS; an uncorrelated EXISTS (run once).
  std::string plan = plan_of("SELECT a, (SELECT count(*) FROM u WHERE u.a < t.a) FROM t");
  EXPECT_NE(plan.find("SubPlan"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("Join"), std::string::npos) << plan;
  plan = plan_of("SELECT a FROM t WHERE b = 1 OR EXISTS (SELECT 1 FROM u WHERE u.a < t.a GROUP BY x)");
  EXPECT_NE(plan.find("SubPlan"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("Join"), std::string::npos) << plan;
  // HAVING over an uncorrelated aggregate: the correlated conjunct lifts above the groups.
  plan = plan_of("SELECT a FROM t WHERE b = 1 OR EXISTS (SELECT 1 FROM u GROUP BY x HAVING max(u.a) = t.a)");
  EXPECT_NE(plan.find("Join Mark"), std::string::npos) << plan;
  plan = plan_of("SELECT a FROM t WHERE b = 1 OR EXISTS (SELECT 1 FROM u)");
  EXPECT_NE(plan.find("SubPlan"), std::string::npos) << plan;
}

TEST_F(OptimizerTest, ExistsUnderOrBecomesAMarkJoin) {
  std::string plan = plan_of("SELECT a FROM t WHERE b = 1 OR EXISTS (SELECT 1 FROM u WHERE u.a = t.a AND u.x > t.b)");
  EXPECT_NE(plan.find("Join Mark (u.a = t.a) AND (u.x > t.b)"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("null-aware"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("SubPlan"), std::string::npos) << plan;
}

TEST_F(OptimizerTest, InUnderOrInWhereNeedsNoThreeValuedMark) {
  std::string plan = plan_of("SELECT a FROM t WHERE b = 1 OR a IN (SELECT x FROM u)");
  EXPECT_NE(plan.find("Join Mark (t.a = u.x)"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("null-aware"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("SubPlan"), std::string::npos) << plan;
}

TEST_F(OptimizerTest, NotInAndSelectListInAreNullAwareMarkJoins) {
  std::string plan = plan_of("SELECT a FROM t WHERE a NOT IN (SELECT x FROM u)");
  EXPECT_NE(plan.find("Join Mark (null-aware) (t.a = u.x)"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("SubPlan"), std::string::npos) << plan;
  plan = plan_of("SELECT a IN (SELECT x FROM u WHERE u.a = t.b) FROM t");
  EXPECT_NE(plan.find("Join Mark (null-aware)"), std::string::npos) << plan;
  EXPECT_NE(plan.find("((u.a = t.b) IS TRUE)"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("SubPlan"), std::string::npos) << plan;
}

TEST_F(OptimizerTest, AllIsTheNegatedMarkOfTheNegatedComparison) {
  std::string plan = plan_of("SELECT a FROM t WHERE a > ALL (SELECT x FROM u WHERE u.a = t.b)");
  EXPECT_NE(plan.find("Join Mark (null-aware) (NOT (t.a > u.x))"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("SubPlan"), std::string::npos) << plan;
}

TEST_F(OptimizerTest, CaseBranchesMoveOnlySubqueriesWhoseOperandsCannotFail) {
  std::string plan = plan_of("SELECT CASE WHEN b = 0 THEN false ELSE a IN (SELECT x FROM u) END FROM t");
  EXPECT_NE(plan.find("Join Mark"), std::string::npos) << plan;
  plan = plan_of("SELECT CASE WHEN b = 0 THEN false ELSE a / b IN (SELECT x FROM u) END FROM t");
  EXPECT_EQ(plan.find("Join Mark"), std::string::npos) << plan;
  EXPECT_NE(plan.find("SubPlan"), std::string::npos) << plan;
}

TEST_F(OptimizerTest, SubqueryInAnInnerJoinConditionBecomesAMarkJoin) {
  std::string plan = plan_of("SELECT t.a FROM t JOIN u ON t.a = u.a AND (u.x > 3 OR t.b IN (SELECT x FROM u))");
  EXPECT_NE(plan.find("Join Mark"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("SubPlan"), std::string::npos) << plan;
}

TEST_F(OptimizerTest, LateralSubqueryWithLiftableCorrelationBecomesAJoin) {
  std::string plan = plan_of("SELECT t.c, l.x FROM t, LATERAL (SELECT u.x FROM u WHERE u.a = t.a AND u.x > t.b) l");
  EXPECT_EQ(plan.find("DependentJoin"), std::string::npos) << plan;
  EXPECT_NE(plan.find("Join Inner"), std::string::npos) << plan;
  plan = plan_of("SELECT t.c, l.x FROM t LEFT JOIN LATERAL (SELECT u.x FROM u WHERE u.a = t.a) l ON l.x > 1");
  EXPECT_EQ(plan.find("DependentJoin"), std::string::npos) << plan;
  EXPECT_NE(plan.find("Join Left"), std::string::npos) << plan;
}

TEST_F(OptimizerTest, ScalarSubqueryWithoutAggregateBecomesASingleMatchLeftJoin) {
  std::string plan = plan_of("SELECT a, (SELECT x FROM u WHERE u.a = t.a AND u.x > 1) FROM t");
  EXPECT_NE(plan.find("Join Left (single) (u.a = t.a)"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("SubPlan"), std::string::npos) << plan;
  plan = plan_of("SELECT a FROM t WHERE (SELECT DISTINCT x FROM u WHERE u.a = t.a) > 1");
  EXPECT_NE(plan.find("Join Left (single)"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("SubPlan"), std::string::npos) << plan;
  // In a CASE branch the join could fail for rows the subquery never runs for.
  plan = plan_of("SELECT CASE WHEN b = 0 THEN 0 ELSE (SELECT x FROM u WHERE u.a = t.a) END FROM t");
  EXPECT_EQ(plan.find("(single)"), std::string::npos) << plan;
  EXPECT_NE(plan.find("SubPlan"), std::string::npos) << plan;
}

TEST_F(OptimizerTest, KeyCorrelationLiftsThroughGroupingOperators) {
  // GROUP BY: the key joins the groups.
  std::string plan = plan_of("SELECT (SELECT max(s) FROM (SELECT x, count(*) AS s FROM u WHERE u.a = t.a GROUP BY x) q) FROM t");
  EXPECT_EQ(plan.find("SubPlan"), std::string::npos) << plan;
  // A window: the key joins each partition.
  plan = plan_of("SELECT (SELECT max(r) FROM (SELECT rank() OVER (ORDER BY x) AS r FROM u WHERE u.a = t.a) q) FROM t");
  EXPECT_NE(plan.find("PARTITION BY u.a"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("SubPlan"), std::string::npos) << plan;
  // LIMIT 1: DISTINCT ON the key over the ordered rows.
  plan = plan_of("SELECT (SELECT x FROM u WHERE u.a = t.a ORDER BY x LIMIT 1) FROM t");
  EXPECT_NE(plan.find("DistinctOn"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("SubPlan"), std::string::npos) << plan;
  plan = plan_of("SELECT l.x FROM t, LATERAL (SELECT u.x FROM u WHERE u.a = t.a ORDER BY u.x LIMIT 1) l");
  EXPECT_EQ(plan.find("DependentJoin"), std::string::npos) << plan;
  // A non-equality below a grouping operator stays per value.
  plan = plan_of("SELECT (SELECT max(s) FROM (SELECT x, count(*) AS s FROM u WHERE u.a < t.a GROUP BY x) q) FROM t");
  EXPECT_NE(plan.find("SubPlan"), std::string::npos) << plan;
}

TEST_F(OptimizerTest, SubqueriesInAggregateArgumentsJoinTheAggregateInput) {
  std::string plan = plan_of("SELECT sum((SELECT x FROM u WHERE u.a = t.a)), count(*) FILTER (WHERE t.b IN (SELECT x FROM u)) FROM t");
  // The columns above keep the names the aggregates were written with.
  EXPECT_NE(plan.find("Aggregate [] [sum(subquery), count(*) FILTER (WHERE mark)]"), std::string::npos) << plan;
  EXPECT_NE(plan.find("Join Left (single)"), std::string::npos) << plan;
  EXPECT_NE(plan.find("Join Mark"), std::string::npos) << plan;
}

TEST_F(OptimizerTest, NotEqualAllIsNotEqualAny) {
  std::string plan = plan_of("SELECT a <> ALL (SELECT x FROM u WHERE u.a = t.b) FROM t");
  EXPECT_NE(plan.find("Join Mark (null-aware) (t.a = u.x)"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("SubPlan"), std::string::npos) << plan;
}

TEST_F(OptimizerTest, LateralScalarAggregateNullOverNoRowsBecomesALeftJoin) {
  std::string plan = plan_of("SELECT t.c, l.s FROM t, LATERAL (SELECT sum(u.x) AS s FROM u WHERE u.a = t.a) l");
  EXPECT_EQ(plan.find("DependentJoin"), std::string::npos) << plan;
  EXPECT_NE(plan.find("Join Left"), std::string::npos) << plan;
  // count(*) is 0 over no rows, which a LEFT JOIN would pad with NULL.
  plan = plan_of("SELECT t.c, l.n FROM t, LATERAL (SELECT count(*) AS n FROM u WHERE u.a = t.a) l");
  EXPECT_NE(plan.find("DependentJoin Inner"), std::string::npos) << plan;
}

TEST_F(OptimizerTest, LateralShapesThatCannotBeLiftedStayDependentJoins) {
  // LIMIT 2 per left row, the left row in the select list, and a function of the left row.
  std::string plan = plan_of("SELECT l.x FROM t, LATERAL (SELECT u.x FROM u WHERE u.a = t.a ORDER BY u.x LIMIT 2) l");
  EXPECT_NE(plan.find("DependentJoin Inner"), std::string::npos) << plan;
  plan = plan_of("SELECT l.y FROM t LEFT JOIN LATERAL (SELECT t.b + 1 AS y) l ON true");
  EXPECT_NE(plan.find("DependentJoin Left"), std::string::npos) << plan;
  plan = plan_of("SELECT s FROM t, generate_series(1, t.a) s");
  EXPECT_NE(plan.find("DependentJoin Inner [t.a]"), std::string::npos) << plan;
}

TEST_F(OptimizerTest, SetReturningFunctionsOfConstantsJoinWithoutDependence) {
  std::string plan = plan_of("SELECT generate_series(1, 3), a FROM t");
  EXPECT_EQ(plan.find("DependentJoin"), std::string::npos) << plan;
  EXPECT_NE(plan.find("Join Cross"), std::string::npos) << plan;
  plan = plan_of("SELECT generate_series(1, a) FROM t");
  EXPECT_NE(plan.find("DependentJoin Inner"), std::string::npos) << plan;
}

}  // namespace
}  // namespace tessera::planner
