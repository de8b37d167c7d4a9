#include "executor/operator/join/physical_hash_join.h"

#include <gtest/gtest.h>

#include "test/executor/operator/join_test_data.h"

namespace tessera::executor::test {
namespace {


/// A hash join of `s`'s sides on column 0 (and column 2 with `two_keys`), with the residual
/// `left.1 < right.1` when `residual`; MARK joins output the left columns and the mark.
std::unique_ptr<PhysicalOperator> hash_join(const JoinSetup& s, JoinType type, bool two_keys, bool residual, size_t threads,
                                            bool null_aware = false) {
  std::vector<planner::BoundExprPtr> left_keys, right_keys;
  left_keys.push_back(ref(LogicalType::integer(), 0));
  right_keys.push_back(ref(LogicalType::integer(), 0));
  if (two_keys) {
    left_keys.push_back(ref(LogicalType::varchar(), 2));
    right_keys.push_back(ref(LogicalType::varchar(), 2));
  }
  planner::BoundExprPtr cond;
  if (residual) cond = compare("<", ref(LogicalType::integer(), 1), ref(LogicalType::integer(), 4));
  const auto types = type == JoinType::kMark              ? marked_types()
                     : planner::outputs_left_only(type) ? side_types()
                                                        : joined_types();
  return std::make_unique<PhysicalHashJoin>(types, type, std::move(left_keys), std::move(right_keys), std::move(cond),
                                            std::make_unique<RowSource>(side_types(), s.left, s.left_chunk, threads),
                                            std::make_unique<RowSource>(side_types(), s.right, s.right_chunk, threads),
                                            null_aware);
}

Predicate hash_predicate(bool two_keys, bool residual) {
  return [=](const Row& l, const Row& r) {
    if (!keys_equal(l[0], r[0])) return false;
    if (two_keys && !keys_equal(l[2], r[2])) return false;
    if (residual && !(l[1].get_int64() < r[1].get_int64())) return false;
    return true;
  };
}

void check_hash_join(const JoinSetup& s, JoinType type, bool two_keys, bool residual) {
  const Rows want = reference_join(s.left, s.right, type, hash_predicate(two_keys, residual));
  for (size_t threads : {1, 2}) {
    const Rows got = run_plan(hash_join(s, type, two_keys, residual, threads), threads);
    ASSERT_EQ(sorted_strings(want), sorted_strings(got))
        << "type " << static_cast<int>(type) << " two_keys " << two_keys << " residual " << residual << " threads "
        << threads;
  }
}

TEST(PhysicalHashJoin, InnerAndLeftWithDuplicatesAndNullKeys) {
  JoinSetup s{random_side(1500, 1, 40), random_side(900, 2, 50)};
  for (JoinType type : {JoinType::kInner, JoinType::kLeft}) {
    check_hash_join(s, type, false, false);
    check_hash_join(s, type, true, false);
  }
}

TEST(PhysicalHashJoin, ResidualCondition) {
  JoinSetup s{random_side(1200, 3, 30), random_side(700, 4, 30), 2048, 333};
  for (JoinType type : {JoinType::kInner, JoinType::kLeft}) {
    check_hash_join(s, type, false, true);
    check_hash_join(s, type, true, true);
  }
}

TEST(PhysicalHashJoin, SemiAndAntiWithAndWithoutResidual) {
  JoinSetup s{random_side(1500, 7, 40), random_side(900, 8, 50), 1000, 97};
  for (JoinType type : {JoinType::kSemi, JoinType::kAnti}) {
    for (bool residual : {false, true}) {
      check_hash_join(s, type, false, residual);
      check_hash_join(s, type, true, residual);
    }
  }
  // Empty build side: SEMI gives nothing, ANTI every probe row (NULL keys too).
  JoinSetup empty{random_side(300, 9, 10), {}};
  check_hash_join(empty, JoinType::kSemi, false, false);
  check_hash_join(empty, JoinType::kAnti, false, true);
  EXPECT_EQ(300u, run_plan(hash_join(empty, JoinType::kAnti, false, false, 2), 2).size());
}

TEST(PhysicalHashJoin, FullWithNullKeysResidualAndEmptySides) {
  // Both sides' unmatched rows come out, NULL keys included; a residual that fails leaves
  // both rows of the pair unmatched.
  JoinSetup s{random_side(1500, 10, 40), random_side(900, 11, 60), 1000, 97};
  for (bool residual : {false, true}) {
    check_hash_join(s, JoinType::kFull, false, residual);
    check_hash_join(s, JoinType::kFull, true, residual);
  }
  JoinSetup empty_build{random_side(300, 12, 10), {}};
  check_hash_join(empty_build, JoinType::kFull, false, true);
  JoinSetup empty_probe{{}, random_side(300, 13, 10)};
  check_hash_join(empty_probe, JoinType::kFull, false, false);
  EXPECT_EQ(300u, run_plan(hash_join(empty_probe, JoinType::kFull, false, false, 2), 2).size());
}

TEST(PhysicalHashJoin, OneProbeChunkProducesManyOutputChunks) {
  // 10 probe rows x 700 build rows with the same key = 7000 rows from one probe chunk.
  JoinSetup s;
  for (int i = 0; i < 10; i++) s.left.push_back({Value::integer(7), Value::integer(i * 10), Value::varchar("left")});
  s.left.push_back({Value::integer(8), Value::integer(0), Value::varchar("unmatched")});
  for (int i = 0; i < 700; i++) s.right.push_back({Value::integer(7), Value::integer(i % 100), Value::varchar("right")});
  s.left_chunk = 2048;
  s.right_chunk = 256;
  for (JoinType type : {JoinType::kInner, JoinType::kLeft}) {
    check_hash_join(s, type, false, false);
    check_hash_join(s, type, false, true);
  }
  EXPECT_EQ(7000u, run_plan(hash_join(s, JoinType::kInner, false, false, 1), 1).size());
  EXPECT_EQ(7001u, run_plan(hash_join(s, JoinType::kLeft, false, false, 2), 2).size());
  // A semi join emits each matching probe row once however many build rows match.
  EXPECT_EQ(10u, run_plan(hash_join(s, JoinType::kSemi, false, true, 2), 2).size());
  EXPECT_EQ(1u, run_plan(hash_join(s, JoinType::kAnti, false, false, 1), 1).size());
}

TEST(PhysicalHashJoin, EmptyBuildSide) {
  JoinSetup s{random_side(300, 5, 10), {}};
  check_hash_join(s, JoinType::kInner, false, false);
  check_hash_join(s, JoinType::kLeft, false, true);
  EXPECT_EQ(300u, run_plan(hash_join(s, JoinType::kLeft, false, false, 2), 2).size());
  // INNER: the probe side stops after its first chunk per worker.
  std::atomic<size_t> emitted{0};
  auto join = std::make_unique<PhysicalHashJoin>(
      joined_types(), JoinType::kInner, [] {
        std::vector<planner::BoundExprPtr> k;
        k.push_back(ref(LogicalType::integer(), 0));
        return k;
      }(),
      [] {
        std::vector<planner::BoundExprPtr> k;
        k.push_back(ref(LogicalType::integer(), 0));
        return k;
      }(),
      nullptr, std::make_unique<RowSource>(side_types(), s.left, 10, 2, &emitted),
      std::make_unique<RowSource>(side_types(), s.right, 10, 2));
  EXPECT_TRUE(run_plan(std::move(join), 2).empty());
  EXPECT_LE(emitted.load(), 2u);
}

TEST(PhysicalHashJoin, EmptyProbeSide) {
  JoinSetup s{{}, random_side(300, 6, 10)};
  check_hash_join(s, JoinType::kLeft, false, false);
}

std::unique_ptr<PhysicalOperator> mark_hash_join(const JoinSetup& s, bool null_aware, bool two_keys, bool residual,
                                                 size_t threads) {
  return hash_join(s, JoinType::kMark, two_keys, residual, threads, null_aware);
}

void check_mark_hash_join(const JoinSetup& s, bool null_aware, bool two_keys, bool residual) {
  TriPredicate match;
  if (null_aware) {
    // l.k IN (SELECT r.k ...): the key comparison in three-valued logic.
    match = [](const Row& l, const Row& r) -> std::optional<bool> {
      if (l[0].is_null() || r[0].is_null()) return std::nullopt;
      return l[0] == r[0];
    };
  } else {
    // EXISTS: keys and residual are filters.
    const Predicate p = hash_predicate(two_keys, residual);
    match = [p](const Row& l, const Row& r) -> std::optional<bool> { return p(l, r); };
  }
  const Rows want = reference_mark(s.left, s.right, match, null_aware);
  for (size_t threads : {1, 2}) {
    const Rows got = run_plan(mark_hash_join(s, null_aware, two_keys, residual, threads), threads);
    ASSERT_EQ(sorted_strings(want), sorted_strings(got))
        << "null_aware " << null_aware << " two_keys " << two_keys << " residual " << residual << " threads "
        << threads;
  }
}

TEST(PhysicalHashJoin, MarkJoin) {
  JoinSetup s{random_side(3000, 21, 40), random_side(700, 22, 30), 2048, 150};
  for (bool two_keys : {false, true}) {
    for (bool residual : {false, true}) check_mark_hash_join(s, false, two_keys, residual);
  }
  check_mark_hash_join(s, true, false, false);
  // A build side without NULL keys: marks are NULL only for NULL probe keys.
  Rows no_nulls = random_side(500, 23, 30);
  for (auto& row : no_nulls) {
    if (row[0].is_null()) row[0] = Value::integer(7);
  }
  check_mark_hash_join(JoinSetup{random_side(2500, 24, 40), no_nulls, 1000, 100}, true, false, false);
  // Only NULL keys on the build side: no equal key, every mark NULL.
  Rows only_nulls = random_side(50, 25, 30);
  for (auto& row : only_nulls) row[0] = Value::null(LogicalType::integer());
  check_mark_hash_join(JoinSetup{random_side(300, 26, 40), only_nulls, 100, 10}, true, false, false);
  check_mark_hash_join(JoinSetup{random_side(300, 26, 40), only_nulls, 100, 10}, false, false, false);
}

TEST(PhysicalHashJoin, MarkJoinEmptySides) {
  JoinSetup empty_right{random_side(3000, 27, 40), {}, 2048, 100};
  for (bool null_aware : {false, true}) {
    check_mark_hash_join(empty_right, null_aware, false, false);
    const Rows got = run_plan(mark_hash_join(empty_right, null_aware, false, false, 2), 2);
    ASSERT_EQ(3000u, got.size());
    for (const Row& row : got) EXPECT_EQ(Value::boolean(false), row.back());
  }
  JoinSetup empty_left{{}, random_side(100, 28, 5)};
  check_mark_hash_join(empty_left, true, false, false);
  EXPECT_EQ(0u, run_plan(mark_hash_join(empty_left, false, false, true, 2), 2).size());
}

// x IN (SELECT r.x FROM r WHERE r.s = l.s): a null-aware mark join whose first key (the
// varchar column) is the correlation, compared per correlation group.
std::unique_ptr<PhysicalOperator> grouped_mark_hash_join(const JoinSetup& s, size_t threads) {
  std::vector<planner::BoundExprPtr> left_keys, right_keys;
  left_keys.push_back(ref(LogicalType::varchar(), 2));
  right_keys.push_back(ref(LogicalType::varchar(), 2));
  left_keys.push_back(ref(LogicalType::integer(), 0));
  right_keys.push_back(ref(LogicalType::integer(), 0));
  return std::make_unique<PhysicalHashJoin>(marked_types(), JoinType::kMark, std::move(left_keys),
                                            std::move(right_keys), nullptr,
                                            std::make_unique<RowSource>(side_types(), s.left, s.left_chunk, threads),
                                            std::make_unique<RowSource>(side_types(), s.right, s.right_chunk, threads),
                                            true);
}

TEST(PhysicalHashJoin, NullAwareMarkJoinPerCorrelationGroup) {
  // A right row outside the left row's group (or with a NULL correlation key) is filtered
  // out; within the group the value comparison is three-valued.
  const TriPredicate match = [](const Row& l, const Row& r) -> std::optional<bool> {
    if (!keys_equal(l[2], r[2])) return false;
    if (l[0].is_null() || r[0].is_null()) return std::nullopt;
    return l[0] == r[0];
  };
  Rows only_null_values = random_side(60, 33, 5);
  for (auto& row : only_null_values) row[0] = Value::null(LogicalType::integer());
  for (const JoinSetup& s : {JoinSetup{random_side(3000, 30, 40), random_side(700, 31, 30), 2048, 150},
                             JoinSetup{random_side(500, 32, 8), random_side(40, 34, 8), 100, 7},
                             JoinSetup{random_side(300, 35, 5), only_null_values, 100, 10},
                             JoinSetup{random_side(300, 36, 5), {}, 100, 10}}) {
    const Rows want = reference_mark(s.left, s.right, match, true);
    for (size_t threads : {1, 2}) {
      const Rows got = run_plan(grouped_mark_hash_join(s, threads), threads);
      ASSERT_EQ(sorted_strings(want), sorted_strings(got)) << "threads " << threads;
    }
  }
}

std::unique_ptr<PhysicalOperator> single_hash_join(const JoinSetup& s, size_t threads) {
  std::vector<planner::BoundExprPtr> left_keys, right_keys;
  left_keys.push_back(ref(LogicalType::integer(), 0));
  right_keys.push_back(ref(LogicalType::integer(), 0));
  return std::make_unique<PhysicalHashJoin>(joined_types(), JoinType::kLeft, std::move(left_keys), std::move(right_keys),
                                            nullptr,
                                            std::make_unique<RowSource>(side_types(), s.left, s.left_chunk, threads),
                                            std::make_unique<RowSource>(side_types(), s.right, s.right_chunk, threads),
                                            false, true);
}

TEST(PhysicalHashJoin, SingleMatchLeftJoin) {
  auto row = [](std::optional<int32_t> key, int32_t value) {
    return Row{key ? Value::integer(*key) : Value::null(LogicalType::integer()), Value::integer(value),
               Value::varchar("v")};
  };
  // Unique build keys: a LEFT join. The duplicate keys 5 and NULL meet no probe row.
  JoinSetup s{{row(1, 1), row(2, 2), row(3, 3), row(std::nullopt, 4), row(1, 5)},
              {row(1, 10), row(2, 20), row(5, 50), row(5, 51), row(std::nullopt, 60), row(std::nullopt, 61)},
              2, 2};
  const Rows want = reference_join(s.left, s.right, JoinType::kLeft, hash_predicate(false, false));
  for (size_t threads : {1, 2}) {
    EXPECT_EQ(sorted_strings(want), sorted_strings(run_plan(single_hash_join(s, threads), threads)));
  }
  // A probe row meeting the duplicate key 5: 21000.
  s.left.push_back(row(5, 6));
  for (size_t threads : {1, 2}) {
    try {
      run_plan(single_hash_join(s, threads), threads);
      ADD_FAILURE() << "expected 21000";
    } catch (const SqlError& e) {
      EXPECT_EQ(SqlState::kCardinalityViolation, e.state());
    }
  }
}

TEST(PhysicalHashJoin, ExplainAndName) {
  JoinSetup s;
  auto op = hash_join(s, JoinType::kLeft, true, true, 1);
  EXPECT_EQ("HASH_JOIN", op->name());
  EXPECT_EQ("LEFT: #0 = #0 AND #2 = #2; residual: (#1 < #4)", op->explain_details());
}

}  // namespace
}  // namespace tessera::executor::test
