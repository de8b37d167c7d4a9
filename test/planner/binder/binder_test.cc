#include "planner/binder/binder.h"

#include <gtest/gtest.h>

#include "catalog/catalog.h"
#include "planner/parser/parser.h"
#include "test/executor/builtin_registry.h"
#include "src/common/sql_error.h"
#include "storage/transaction_manager.h"

namespace tessera::planner {
namespace {

class BinderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    catalog_.create_table(*txn_, "t",
                          {{"a", LogicalType::integer()},
                           {"b", LogicalType::varchar()},
                           {"c", LogicalType::bigint()},
                           {"d", LogicalType::double_precision()},
                           {"e", LogicalType::smallint()},
                           {"f", LogicalType::boolean()}},
                          false);
    catalog_.create_table(*txn_, "u", {{"a", LogicalType::integer()}, {"x", LogicalType::integer()}}, false);
  }

  BoundStatement bind(const std::string& sql) {
    statements_ = parse_sql(sql);
    Binder binder(catalog_, executor::builtin_registry(), *txn_, sql);
    return binder.bind(*statements_.at(0));
  }

  /// The result column types of a query.
  std::vector<LogicalType> types_of(const std::string& sql) { return bind(sql).plan->output_types(); }

  /// The SQLSTATE and position of the error binding `sql` raises.
  std::pair<std::string, uint32_t> error_of(const std::string& sql) {
    try {
      bind(sql);
    } catch (const SqlError& e) {
      return {std::string(sqlstate_code(e.state())), e.position()};
    }
    return {"none", 0};
  }

  catalog::Catalog catalog_;
  storage::TransactionManager transactions_;
  std::unique_ptr<storage::Transaction> txn_ = transactions_.begin();
  std::vector<StatementPtr> statements_;
};

TEST_F(BinderTest, IntegerLiteralsAreInt4OrInt8ByValue) {
  EXPECT_EQ(types_of("SELECT 1")[0], LogicalType::integer());
  EXPECT_EQ(types_of("SELECT 2147483648")[0], LogicalType::bigint());
  EXPECT_EQ(types_of("SELECT -2147483648")[0], LogicalType::integer());
}

TEST_F(BinderTest, ArithmeticPromotesToTheWiderType) {
  auto types = types_of("SELECT a + a, a + c, e + e, a + e, a * d, a / 2, c % a, a ^ 2 FROM t");
  EXPECT_EQ(types[0], LogicalType::integer());
  EXPECT_EQ(types[1], LogicalType::bigint());
  EXPECT_EQ(types[2], LogicalType::smallint());
  EXPECT_EQ(types[3], LogicalType::integer());
  EXPECT_EQ(types[4], LogicalType::double_precision());
  EXPECT_EQ(types[5], LogicalType::integer());
  EXPECT_EQ(types[6], LogicalType::bigint());
  EXPECT_EQ(types[7], LogicalType::double_precision());
}

TEST_F(BinderTest, UnknownLiteralsTakeTheOtherOperandsType) {
  auto types = types_of("SELECT a + '1', b || 1, '2' = a FROM t");
  EXPECT_EQ(types[0], LogicalType::integer());
  EXPECT_EQ(types[1], LogicalType::varchar());
  EXPECT_EQ(types[2], LogicalType::boolean());
  // The literal is converted when bound: bad text is an error at once.
  EXPECT_EQ(error_of("SELECT a + 'x' FROM t").first, "22P02");
}

TEST_F(BinderTest, AggregatesFollowPostgresResultTypes) {
  auto types = types_of("SELECT count(*), count(b), sum(a), sum(c), sum(d), avg(a), min(b), max(e) FROM t");
  EXPECT_EQ(types[0], LogicalType::bigint());
  EXPECT_EQ(types[1], LogicalType::bigint());
  EXPECT_EQ(types[2], LogicalType::bigint());
  EXPECT_EQ(types[3], LogicalType::numeric());  // sum(bigint)
  EXPECT_EQ(types[4], LogicalType::double_precision());
  EXPECT_EQ(types[5], LogicalType::numeric());  // avg(integer)
  EXPECT_EQ(types[6], LogicalType::varchar());
  EXPECT_EQ(types[7], LogicalType::smallint());
}

TEST_F(BinderTest, NumericLiteralsAndMixedOperandsTypeAsPostgres) {
  auto types = types_of("SELECT 1.5, 12345678901234567890, a + 1.5, 1.5 + d, CAST(a AS numeric(5,2)), "
                        "CASE WHEN f THEN a ELSE 2.5 END FROM t");
  EXPECT_EQ(types[0], LogicalType::numeric());
  EXPECT_EQ(types[1], LogicalType::numeric());
  EXPECT_EQ(types[2], LogicalType::numeric());
  EXPECT_EQ(types[3], LogicalType::double_precision());
  EXPECT_EQ(types[4], LogicalType::numeric((5 << 16 | 2) + 4));
  EXPECT_EQ(types[5], LogicalType::numeric());
  EXPECT_EQ(error_of("SELECT CAST(a AS numeric(0)) FROM t").first, "22023");
  // Beyond numeric's 35 significant digits a literal that a double holds is double precision.
  EXPECT_EQ(types_of("SELECT 1e300")[0], LogicalType::double_precision());
  EXPECT_EQ(error_of("SELECT 1e400").first, "22003");
  EXPECT_EQ(error_of("SELECT CAST(a AS numeric(5,2,1)) FROM t").first, "22023");
}

TEST_F(BinderTest, CaseAndCoalesceUseTheCommonType) {
  auto types = types_of("SELECT CASE WHEN f THEN a ELSE c END, CASE WHEN f THEN 'x' END, COALESCE(e, a), COALESCE(NULL, d) FROM t");
  EXPECT_EQ(types[0], LogicalType::bigint());
  EXPECT_EQ(types[1], LogicalType::varchar());
  EXPECT_EQ(types[2], LogicalType::integer());
  EXPECT_EQ(types[3], LogicalType::double_precision());
  EXPECT_EQ(error_of("SELECT CASE WHEN f THEN a ELSE b END FROM t").first, "42804");
}

TEST_F(BinderTest, OutputColumnNamesFollowPostgres) {
  // As PostgreSQL 15 names them: a boolean literal has no name, a cast of a cast or of a CASE
  // takes its type's, a CASE its ELSE result's when that is a column or function.
  auto bound = bind(
      "SELECT a, t.b, a + 1, CASE WHEN f THEN 1 END, 1::int, a::bigint, EXISTS(SELECT 1), true, '1'::int::text, "
      "CASE WHEN f THEN 'x' ELSE b::text END, CAST(CASE WHEN f THEN 1 END AS bigint), CASE WHEN f THEN 1 ELSE 2 END "
      "FROM t");
  std::vector<std::string> expected = {"a",      "b", "?column?", "case", "int4", "a", "exists", "?column?", "text",
                                       "b", "int8", "case"};
  EXPECT_EQ(bound.names, expected);
  auto grouped = bind("SELECT count(*), sum(a) AS total, (SELECT max(x) FROM u) FROM t");
  std::vector<std::string> grouped_expected = {"count", "total", "max"};
  EXPECT_EQ(grouped.names, grouped_expected);
}

TEST_F(BinderTest, FunctionCallsBindTheResolvedOverload) {
  // abs(smallint), abs(bigint), abs(unknown) -> abs(double precision), pg_typeof is text.
  auto types = types_of("SELECT abs(e), abs(c), abs('1'), pg_typeof(a), length(b), a || b FROM t");
  EXPECT_EQ(types, (std::vector<LogicalType>{LogicalType::smallint(), LogicalType::bigint(), LogicalType::double_precision(),
                                             LogicalType::varchar(), LogicalType::integer(), LogicalType::varchar()}));
  auto plan = bind("SELECT abs(e) FROM t").plan;
  const auto& projection = *plan;
  ASSERT_EQ(projection.kind, LogicalOperatorKind::kProjection);
  const auto& call = static_cast<const BoundFunction&>(*static_cast<const LogicalProjection&>(projection).expressions[0]);
  EXPECT_EQ(call.function->signature(), "abs(smallint)");
  EXPECT_EQ(call.function->kind, catalog::FunctionKind::kFunction);
  // integer || text resolves anynonarray || text: the integer is not cast by the binder.
  plan = bind("SELECT a || b FROM t").plan;
  const auto& concat = static_cast<const BoundFunction&>(*static_cast<const LogicalProjection&>(*plan).expressions[0]);
  EXPECT_EQ(concat.function->signature(), "||(anynonarray, text)");
  EXPECT_EQ(concat.children[0]->kind, BoundExprKind::kColumnRef);
}

TEST_F(BinderTest, UnresolvableCallsRaiseAtTheirPosition) {
  EXPECT_EQ(error_of("SELECT abs(b) FROM t"), std::make_pair(std::string("42883"), 8u));
  EXPECT_EQ(error_of("SELECT 1, a + b FROM t"), std::make_pair(std::string("42883"), 13u));
  EXPECT_EQ(error_of("SELECT sum(b) FROM t"), std::make_pair(std::string("42883"), 8u));
  EXPECT_EQ(error_of("SELECT '1' + '2'").first, "42725");
  EXPECT_EQ(error_of("SELECT a = b FROM t"), std::make_pair(std::string("42883"), 10u));
}

TEST_F(BinderTest, NameResolutionErrors) {
  EXPECT_EQ(error_of("SELECT nosuch FROM t"), std::make_pair(std::string("42703"), 8u));
  EXPECT_EQ(error_of("SELECT * FROM nosuch"), std::make_pair(std::string("42P01"), 15u));
  EXPECT_EQ(error_of("SELECT a FROM t, u").first, "42702");
  EXPECT_EQ(error_of("SELECT z.a FROM t").first, "42P01");
  EXPECT_EQ(error_of("SELECT t.nosuch FROM t").first, "42703");
}

TEST_F(BinderTest, TypeErrors) {
  EXPECT_EQ(error_of("SELECT b + 1 FROM t"), std::make_pair(std::string("42883"), 10u));
  EXPECT_EQ(error_of("SELECT a FROM t WHERE a").first, "42804");
  EXPECT_EQ(error_of("SELECT a = b FROM t").first, "42883");
  EXPECT_EQ(error_of("SELECT sum(b) FROM t").first, "42883");
  EXPECT_EQ(error_of("SELECT nosuchfunction(a) FROM t").first, "42883");
  EXPECT_EQ(error_of("SELECT a LIKE 'x' FROM t").first, "42883");
}

TEST_F(BinderTest, GroupingRules) {
  EXPECT_EQ(error_of("SELECT a, count(*) FROM t").first, "42803");
  EXPECT_EQ(error_of("SELECT a FROM t GROUP BY b").first, "42803");
  EXPECT_EQ(error_of("SELECT a FROM t WHERE count(*) > 1").first, "42803");
  EXPECT_EQ(error_of("SELECT sum(count(*)) FROM t").first, "42803");
  EXPECT_EQ(error_of("SELECT a + 1, count(*) FROM t GROUP BY a + 1").first, "none");
  EXPECT_EQ(error_of("SELECT a AS k, count(*) FROM t GROUP BY k").first, "none");
  EXPECT_EQ(error_of("SELECT a, count(*) FROM t GROUP BY 1").first, "none");
  EXPECT_EQ(error_of("SELECT a FROM t GROUP BY 3").first, "42P10");
  EXPECT_EQ(error_of("SELECT a, b, count(*) FROM t GROUP BY ROLLUP (a, b)").first, "none");
  EXPECT_EQ(error_of("SELECT b FROM t GROUP BY CUBE (a)").first, "42803");
  EXPECT_EQ(error_of("SELECT grouping(b) FROM t GROUP BY ROLLUP (a)").first, "42803");
  EXPECT_EQ(error_of("SELECT a FROM t WHERE grouping(a) = 0 GROUP BY a").first, "42803");
}

TEST_F(BinderTest, GroupingSetsListColumnsOfTheGroups) {
  auto bound = bind("SELECT a, b, grouping(b, a), count(*) FROM t GROUP BY DISTINCT a, ROLLUP (b, a), ()");
  const LogicalOperator* op = bound.plan.get();
  while (op->kind != LogicalOperatorKind::kAggregate) op = op->children[0].get();
  const auto& aggregate = static_cast<const LogicalAggregate&>(*op);
  ASSERT_EQ(aggregate.groups.size(), 2u);
  // a x {(b, a), (b), ()} = (a, b), (a, b), (a); DISTINCT keeps (a, b) and (a).
  EXPECT_EQ(aggregate.grouping_sets, (std::vector<std::vector<uint32_t>>{{0, 1}, {0}}));
  EXPECT_EQ(aggregate.grouping_functions, (std::vector<std::vector<uint32_t>>{{1, 0}}));
}

TEST_F(BinderTest, CorrelatedSubqueryBindsOuterColumnsAsParameters) {
  auto bound = bind("SELECT (SELECT count(*) FROM u WHERE u.x < t.a) FROM t");
  EXPECT_EQ(bound.plan->output_types()[0], LogicalType::bigint());
  // The subquery in the projection carries the outer column as its correlated input.
  const auto& projection = static_cast<const LogicalProjection&>(*bound.plan);
  const auto& sub = static_cast<const BoundSubquery&>(*projection.expressions[0]);
  ASSERT_EQ(sub.correlated.size(), 1u);
  EXPECT_EQ(sub.correlated[0]->kind, BoundExprKind::kColumnRef);
}

TEST_F(BinderTest, UnsupportedFeaturesRaiseFeatureNotSupported) {
  EXPECT_EQ(error_of("WITH x AS (SELECT 1) UPDATE t SET a = 1").first, "0A000");
  EXPECT_EQ(error_of("WITH x AS (SELECT 1) DELETE FROM t").first, "0A000");
  EXPECT_EQ(error_of("CREATE TABLE p(a int REFERENCES t MATCH PARTIAL)").first, "0A000");
  EXPECT_EQ(error_of("CREATE TABLE p(a int CHECK (a > (SELECT 1)))").first, "0A000");
  EXPECT_EQ(error_of("SELECT CAST(a AS json) FROM t").first, "0A000");
  EXPECT_EQ(error_of("SELECT count(DISTINCT a) OVER () FROM t").first, "0A000");
}

TEST_F(BinderTest, WindowsGetOneLogicalWindowPerOrdering) {
  auto count = [](const std::string& text, const std::string& what) {
    size_t n = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) n++;
    return n;
  };
  const std::string plan = logical_plan_to_string(
      *bind("SELECT rank() OVER (ORDER BY a), sum(a) OVER (ORDER BY a ROWS 1 PRECEDING), row_number() OVER () FROM t").plan);
  EXPECT_EQ(count(plan, "Window ["), 2u) << plan;
  // Over a grouped query the windows sit above the aggregate and read its outputs.
  const std::string grouped = logical_plan_to_string(*bind("SELECT a, sum(sum(a)) OVER (ORDER BY a) FROM t GROUP BY a").plan);
  EXPECT_LT(grouped.find("Window ["), grouped.find("Aggregate [")) << grouped;
  EXPECT_EQ(error_of("SELECT a FROM t WHERE rank() OVER () > 1").first, "42P20");
  EXPECT_EQ(error_of("SELECT sum(rank() OVER ()) FROM t").first, "42803");
  EXPECT_EQ(error_of("SELECT rank() OVER w FROM t").first, "42704");
}

TEST_F(BinderTest, WithQueriesAreInlinedOnceAndMaterializedOtherwise) {
  auto count = [](const std::string& text, const std::string& what) {
    size_t n = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) n++;
    return n;
  };
  // One reference: inlined, no materialization.
  std::string once = logical_plan_to_string(*bind("WITH x AS (SELECT a FROM t) SELECT * FROM x").plan);
  EXPECT_EQ(count(once, "MaterializedCte"), 0u) << once;
  EXPECT_EQ(count(once, "Get t"), 1u) << once;
  // Two references: computed once, scanned twice.
  std::string twice = logical_plan_to_string(*bind("WITH x AS (SELECT a FROM t) SELECT * FROM x, x AS y").plan);
  EXPECT_EQ(count(twice, "MaterializedCte x"), 1u) << twice;
  EXPECT_EQ(count(twice, "CteScan x"), 2u) << twice;
  EXPECT_EQ(count(twice, "Get t"), 1u) << twice;
  // MATERIALIZED forces it, NOT MATERIALIZED inlines every reference.
  std::string forced = logical_plan_to_string(*bind("WITH x AS MATERIALIZED (SELECT a FROM t) SELECT * FROM x").plan);
  EXPECT_EQ(count(forced, "CteScan x"), 1u) << forced;
  std::string inlined =
      logical_plan_to_string(*bind("WITH x AS NOT MATERIALIZED (SELECT a FROM t) SELECT * FROM x, x AS y").plan);
  EXPECT_EQ(count(inlined, "MaterializedCte"), 0u) << inlined;
  EXPECT_EQ(count(inlined, "Get t"), 2u) << inlined;
  // A CTE read only by an inlined CTE that is read once is inlined too; unreferenced ones vanish.
  std::string chain = logical_plan_to_string(
      *bind("WITH x AS (SELECT a FROM t), y AS (SELECT a FROM x), z AS (SELECT 1) SELECT * FROM y").plan);
  EXPECT_EQ(count(chain, "MaterializedCte"), 0u) << chain;
  EXPECT_EQ(count(chain, "Get t"), 1u) << chain;
  // Recursive: always materialized, with a working-table scan.
  std::string recursive = logical_plan_to_string(
      *bind("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT * FROM r").plan);
  EXPECT_EQ(count(recursive, "RecursiveCte r UNION ALL"), 1u) << recursive;
  EXPECT_EQ(count(recursive, "WorkTableScan r"), 1u) << recursive;
}

TEST_F(BinderTest, SetOperationTypesAndErrors) {
  EXPECT_EQ(types_of("SELECT 1 UNION SELECT 2.5::float8")[0], LogicalType::double_precision());
  EXPECT_EQ(types_of("SELECT 'a' UNION SELECT 'b'")[0], LogicalType::varchar());
  EXPECT_EQ(types_of("SELECT NULL UNION SELECT 1::smallint")[0], LogicalType::smallint());
  EXPECT_EQ(types_of("SELECT 1::smallint INTERSECT SELECT 1::bigint")[0], LogicalType::bigint());
  EXPECT_EQ(error_of("SELECT a FROM t UNION SELECT a, a FROM t").first, "42601");
  EXPECT_EQ(error_of("SELECT 1 EXCEPT SELECT 'x'::text").first, "42804");
  EXPECT_EQ(error_of("SELECT a FROM t UNION SELECT a FROM t ORDER BY a + 1").first, "0A000");
  EXPECT_EQ(error_of("WITH x AS (SELECT 1), x AS (SELECT 2) SELECT 1").first, "42712");
  EXPECT_EQ(error_of("WITH RECURSIVE r(n) AS (SELECT n FROM r UNION SELECT 1) SELECT * FROM r").first, "42P19");
}

TEST_F(BinderTest, InsertChecksColumnsAndTypes) {
  EXPECT_EQ(error_of("INSERT INTO t(nosuch) VALUES (1)").first, "42703");
  EXPECT_EQ(error_of("INSERT INTO t(a, a) VALUES (1, 2)").first, "42701");
  EXPECT_EQ(error_of("INSERT INTO u VALUES (1, 2, 3)").first, "42601");
  EXPECT_EQ(error_of("INSERT INTO u(a, x) VALUES (1)").first, "42601");
  EXPECT_EQ(error_of("INSERT INTO u VALUES ('abc')").first, "22P02");
  EXPECT_EQ(error_of("INSERT INTO u SELECT b, b FROM t").first, "42804");
  EXPECT_EQ(error_of("INSERT INTO u VALUES (1)").first, "none");
}

}  // namespace
}  // namespace tessera::planner
