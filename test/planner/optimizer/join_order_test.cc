#include "planner/optimizer/join_order.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>

#include "test/planner/optimizer/planner_table_fixture.h"

namespace tessera::planner {
namespace {

class JoinOrderTest : public test::PlannerTableFixture {
 protected:
  void SetUp() override {
    // Three tables joined on keys of very different sizes: fact (10000 rows) references
    // dim (1000 rows, key 0..999) which references tiny (10 rows); filter keeps one tiny row.
    make_table("fact", {{"id", LogicalType::integer()}, {"dim_id", LogicalType::integer()}}, 10000,
               [](size_t i, size_t c) -> Value { return Value::integer(static_cast<int32_t>(c == 0 ? i : i % 1000)); });
    make_table("dim", {{"id", LogicalType::integer()}, {"tiny_id", LogicalType::integer()}}, 1000,
               [](size_t i, size_t c) -> Value { return Value::integer(static_cast<int32_t>(c == 0 ? i : i % 10)); });
    make_table("tiny", {{"id", LogicalType::integer()}, {"v", LogicalType::integer()}}, 10,
               [](size_t i, size_t) -> Value { return Value::integer(static_cast<int32_t>(i)); });
    // A chain of 16 small tables c0..c15 (c_i.next = c_{i+1}.id), beyond the exhaustive limit.
    for (int t = 0; t < 16; t++) {
      make_table("c" + std::to_string(t), {{"id", LogicalType::integer()}, {"next", LogicalType::integer()}}, 50 + 10 * t,
                 [](size_t i, size_t c) -> Value { return Value::integer(static_cast<int32_t>(c == 0 ? i : (i * 7) % 50)); });
    }
  }

  /// The join tree below the select list as "(x y)" with table names at the leaves and the two
  /// inputs of each join in name order (the physical planner picks the build side), a cross
  /// join written "(x * y)".
  static std::string shape(const LogicalOperator& op) {
    if (op.kind == LogicalOperatorKind::kGet) return static_cast<const LogicalGet&>(op).table->name();
    if (op.kind == LogicalOperatorKind::kJoin) {
      const auto& join = static_cast<const LogicalJoin&>(op);
      const char* sep = join.join_type == JoinType::kCross ? " * " : " ";
      std::string a = shape(*op.children[0]);
      std::string b = shape(*op.children[1]);
      if (b < a) std::swap(a, b);
      return "(" + a + sep + b + ")";
    }
    return op.children.size() == 1 ? shape(*op.children[0]) : "?";
  }

  static size_t cross_joins(const LogicalOperator& op) {
    size_t n = op.kind == LogicalOperatorKind::kJoin && static_cast<const LogicalJoin&>(op).join_type == JoinType::kCross;
    for (const auto& c : op.children) n += cross_joins(*c);
    return n;
  }

  /// Every join condition reads only columns of the join's inputs.
  static void expect_conditions_placed(const LogicalOperator& op) {
    if (op.kind == LogicalOperatorKind::kJoin) {
      std::set<uint32_t> tables;
      for (const auto& child : op.children) {
        for (const auto& b : child->output_bindings()) tables.insert(b.table_index);
      }
      for (const auto& c : static_cast<const LogicalJoin&>(op).conditions) {
        visit_expression(*c, [&](const BoundExpression& e) {
          if (e.kind == BoundExprKind::kColumnRef) {
            EXPECT_TRUE(tables.count(static_cast<const BoundColumnRef&>(e).binding.table_index)) << c->to_string();
          }
        });
      }
    }
    for (const auto& child : op.children) expect_conditions_placed(*child);
  }
};

TEST_F(JoinOrderTest, SelectiveJoinsRunFirstAndNoCrossProductIsBuilt) {
  // Written with fact and tiny adjacent: joining them first would be a cross product.
  auto plan = optimized(
      "SELECT count(*) FROM fact, tiny, dim WHERE fact.dim_id = dim.id AND dim.tiny_id = tiny.id AND tiny.v = 3");
  EXPECT_EQ(cross_joins(*plan), 0u);
  // The filtered tiny table meets dim before the large fact table joins in.
  EXPECT_EQ(shape(*plan), "((dim tiny) fact)");
  expect_conditions_placed(*plan);
}

TEST_F(JoinOrderTest, DisconnectedPartsNeedExactlyOneCrossProduct) {
  auto plan = optimized("SELECT count(*) FROM tiny, fact, dim WHERE fact.dim_id = dim.id");
  EXPECT_EQ(cross_joins(*plan), 1u);
  // Either the cross product of the two small tables feeds the hash join, or the join's
  // result is crossed with tiny: both join fact with dim on their condition.
  const std::string s = shape(*plan);
  EXPECT_TRUE(s == "((dim * tiny) fact)" || s == "((dim fact) * tiny)") << s;
}

TEST_F(JoinOrderTest, ManyTablesUseTheGreedyOrderWithoutCrossProducts) {
  std::string sql = "SELECT count(*) FROM ";
  // Listed out of chain order, so a left-deep plan in FROM order would need cross products.
  const int order[] = {0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15};
  for (int i = 0; i < 16; i++) sql += (i ? ", c" : "c") + std::to_string(order[i]);
  sql += " WHERE ";
  for (int t = 0; t < 15; t++) {
    sql += (t ? " AND c" : "c") + std::to_string(t) + ".next = c" + std::to_string(t + 1) + ".id";
  }
  auto plan = optimized(sql);
  EXPECT_EQ(cross_joins(*plan), 0u) << shape(*plan);
  expect_conditions_placed(*plan);
}

TEST_F(JoinOrderTest, ConditionOverThreeTablesSitsWhereAllThreeAreJoined) {
  auto plan = optimized(
      "SELECT count(*) FROM fact, dim, tiny WHERE fact.dim_id = dim.id AND dim.tiny_id = tiny.id "
      "AND fact.id + dim.id > tiny.v");
  EXPECT_EQ(cross_joins(*plan), 0u);
  expect_conditions_placed(*plan);
}

TEST_F(JoinOrderTest, TablesConnectedOnlyByAThreeTableConditionAreCrossJoinedBelowIt) {
  for (const char* sql : {"SELECT count(*) FROM fact x, dim y, tiny z WHERE x.id + y.id > z.v",
                          "SELECT count(*) FROM c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13 "
                          "WHERE c0.id + c1.id + c2.id = c3.id AND c4.id = c5.id"}) {
    auto plan = optimized(sql);
    expect_conditions_placed(*plan);
  }
}

}  // namespace
}  // namespace tessera::planner
