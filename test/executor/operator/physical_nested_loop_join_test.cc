#include "executor/operator/join/physical_nested_loop_join.h"

#include <gtest/gtest.h>

#include "test/executor/operator/join_test_data.h"
#include "test/support/sanitizer.h"

namespace tessera::executor::test {
namespace {


std::unique_ptr<PhysicalOperator> nested_loop_join(const JoinSetup& s, JoinType type, bool with_condition, size_t threads) {
  planner::BoundExprPtr cond;
  if (with_condition) {
    // l.v < r.v AND l.k <> r.k (no equality to hash on)
    std::vector<planner::BoundExprPtr> conjuncts;
    conjuncts.push_back(compare("<", ref(LogicalType::integer(), 1), ref(LogicalType::integer(), 4)));
    conjuncts.push_back(compare("<>", ref(LogicalType::integer(), 0), ref(LogicalType::integer(), 3)));
    cond = std::make_unique<planner::BoundConjunction>(true, std::move(conjuncts));
  }
  return std::make_unique<PhysicalNestedLoopJoin>(planner::outputs_left_only(type) ? side_types() : joined_types(), type,
                                                  std::move(cond),
                                                  std::make_unique<RowSource>(side_types(), s.left, s.left_chunk, threads),
                                                  std::make_unique<RowSource>(side_types(), s.right, s.right_chunk, threads));
}

void check_nested_loop_join(const JoinSetup& s, JoinType type) {
  const bool with_condition = type != JoinType::kCross;
  Predicate match = [=](const Row& l, const Row& r) {
    if (!with_condition) return true;
    return l[1].get_int64() < r[1].get_int64() && !l[0].is_null() && !r[0].is_null() && l[0] != r[0];
  };
  const Rows want = reference_join(s.left, s.right, type, match);
  for (size_t threads : {1, 2}) {
    const Rows got = run_plan(nested_loop_join(s, type, with_condition, threads), threads);
    ASSERT_EQ(sorted_strings(want), sorted_strings(got)) << "type " << static_cast<int>(type) << " threads " << threads;
  }
}

TEST(PhysicalNestedLoopJoin, InnerLeftAndCross) {
  JoinSetup s{random_side(400, 7, 5), random_side(60, 8, 5), 150, 25};
  for (JoinType type : {JoinType::kInner, JoinType::kLeft, JoinType::kCross}) check_nested_loop_join(s, type);
  EXPECT_EQ(400u * 60u, run_plan(nested_loop_join(s, JoinType::kCross, false, 2), 2).size());
}

TEST(PhysicalNestedLoopJoin, LargeRightSide) {
  // Right side larger than a vector: pairs of one left row span several batches.
  JoinSetup s{random_side(30, 9, 5), random_side(test_support::kSanitizedBuild ? 2100 : 5000, 10, 5), 2048, 2048};
  for (JoinType type : {JoinType::kInner, JoinType::kLeft, JoinType::kCross, JoinType::kSemi, JoinType::kAnti}) {
    check_nested_loop_join(s, type);
  }
}

TEST(PhysicalNestedLoopJoin, SemiAndAnti) {
  JoinSetup s{random_side(400, 13, 5), random_side(60, 14, 5), 150, 25};
  for (JoinType type : {JoinType::kSemi, JoinType::kAnti}) check_nested_loop_join(s, type);
  JoinSetup empty_right{random_side(100, 15, 5), {}};
  check_nested_loop_join(empty_right, JoinType::kSemi);
  check_nested_loop_join(empty_right, JoinType::kAnti);
  EXPECT_EQ(100u, run_plan(nested_loop_join(empty_right, JoinType::kAnti, true, 2), 2).size());
}

TEST(PhysicalNestedLoopJoin, EmptySides) {
  JoinSetup empty_right{random_side(100, 11, 5), {}};
  for (JoinType type : {JoinType::kInner, JoinType::kLeft, JoinType::kCross}) check_nested_loop_join(empty_right, type);
  EXPECT_EQ(100u, run_plan(nested_loop_join(empty_right, JoinType::kLeft, true, 1), 1).size());
  JoinSetup empty_left{{}, random_side(100, 12, 5)};
  for (JoinType type : {JoinType::kInner, JoinType::kLeft, JoinType::kCross}) check_nested_loop_join(empty_left, type);
}

TEST(PhysicalNestedLoopJoin, Full) {
  // Matched pairs, unmatched left rows padded during the probe and unmatched right rows from
  // the final pass, with one and two workers; right sides smaller and larger than a vector.
  JoinSetup s{random_side(400, 16, 5), random_side(60, 17, 5), 150, 25};
  check_nested_loop_join(s, JoinType::kFull);
  JoinSetup large{random_side(30, 18, 5), random_side(5000, 19, 5), 2048, 2048};
  check_nested_loop_join(large, JoinType::kFull);
  JoinSetup empty_right{random_side(100, 20, 5), {}};
  check_nested_loop_join(empty_right, JoinType::kFull);
  EXPECT_EQ(100u, run_plan(nested_loop_join(empty_right, JoinType::kFull, true, 2), 2).size());
  JoinSetup empty_left{{}, random_side(100, 21, 5)};
  check_nested_loop_join(empty_left, JoinType::kFull);
  EXPECT_EQ(100u, run_plan(nested_loop_join(empty_left, JoinType::kFull, true, 2), 2).size());
  EXPECT_EQ("FULL: ((#1 < #4) AND (#0 <> #3))", nested_loop_join(s, JoinType::kFull, true, 1)->explain_details());
}

/// l.v < r.v (in three-valued logic: NULL when either is NULL), over sides whose v may be NULL.
std::unique_ptr<PhysicalOperator> mark_nested_loop_join(const JoinSetup& s, bool null_aware, size_t threads) {
  return std::make_unique<PhysicalNestedLoopJoin>(
      marked_types(), JoinType::kMark, compare("<", ref(LogicalType::integer(), 1), ref(LogicalType::integer(), 4)),
      std::make_unique<RowSource>(side_types(), s.left, s.left_chunk, threads),
      std::make_unique<RowSource>(side_types(), s.right, s.right_chunk, threads), null_aware);
}

Rows with_null_values(Rows rows, size_t every) {
  for (size_t i = 0; i < rows.size(); i += every) rows[i][1] = Value::null(LogicalType::integer());
  return rows;
}

void check_mark_nested_loop_join(const JoinSetup& s, bool null_aware) {
  TriPredicate match = [](const Row& l, const Row& r) -> std::optional<bool> {
    if (l[1].is_null() || r[1].is_null()) return std::nullopt;
    return l[1].get_int64() < r[1].get_int64();
  };
  const Rows want = reference_mark(s.left, s.right, match, null_aware);
  for (size_t threads : {1, 2}) {
    const Rows got = run_plan(mark_nested_loop_join(s, null_aware, threads), threads);
    ASSERT_EQ(sorted_strings(want), sorted_strings(got)) << "null_aware " << null_aware << " threads " << threads;
  }
}

TEST(PhysicalNestedLoopJoin, MarkJoin) {
  JoinSetup s{with_null_values(random_side(400, 31, 5), 7), with_null_values(random_side(60, 32, 5), 13), 150, 25};
  for (bool null_aware : {false, true}) check_mark_nested_loop_join(s, null_aware);
  // Right side larger than a vector.
  JoinSetup large{with_null_values(random_side(300, 33, 5), 5), with_null_values(random_side(5000, 34, 5), 4001),
                  2048, 2048};
  for (bool null_aware : {false, true}) check_mark_nested_loop_join(large, null_aware);
  // A right side of one NULL: every mark NULL when null-aware, false otherwise.
  JoinSetup one_null{random_side(100, 35, 5), with_null_values(random_side(1, 36, 5), 1)};
  for (bool null_aware : {false, true}) check_mark_nested_loop_join(one_null, null_aware);
  JoinSetup empty_right{with_null_values(random_side(100, 37, 5), 3), {}};
  for (bool null_aware : {false, true}) {
    check_mark_nested_loop_join(empty_right, null_aware);
    EXPECT_EQ(100u, run_plan(mark_nested_loop_join(empty_right, null_aware, 2), 2).size());
  }
  JoinSetup empty_left{{}, random_side(10, 38, 5)};
  check_mark_nested_loop_join(empty_left, true);
  EXPECT_EQ("MARK (NULL-AWARE): (#1 < #4)", mark_nested_loop_join(s, true, 1)->explain_details());
}

TEST(PhysicalNestedLoopJoin, ExplainAndName) {
  JoinSetup s;
  auto op = nested_loop_join(s, JoinType::kInner, true, 1);
  EXPECT_EQ("NESTED_LOOP_JOIN", op->name());
  EXPECT_EQ("INNER: ((#1 < #4) AND (#0 <> #3))", op->explain_details());
}

}  // namespace
}  // namespace tessera::executor::test
