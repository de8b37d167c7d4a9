#include "executor/operator/setop/physical_hash_set_operation.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

#include "executor/operator/projection/physical_projection.h"
#include "executor/operator/setop/physical_union_all.h"
#include "executor/pipeline.h"
#include "test/executor/operator/operator_test_plan.h"

namespace tessera::executor::test {
namespace {

std::vector<LogicalType> types() { return {LogicalType::integer(), LogicalType::varchar()}; }

/// Rows of (k or NULL, text) with many duplicates, NULLs in both columns and strings longer
/// than the inline size.
Rows random_rows(size_t n, uint32_t seed, int distinct) {
  std::mt19937 rng(seed);
  Rows rows;
  for (size_t i = 0; i < n; i++) {
    const int k = static_cast<int>(rng() % distinct);
    Value text = k % 7 == 0 ? Value::null(LogicalType::varchar()) : Value::varchar("value-number-" + std::to_string(k % 11));
    rows.push_back({int_or_null(k % 5 == 0, k), text});
  }
  return rows;
}

std::unique_ptr<PhysicalOperator> tagged(const Rows& rows, int32_t tag, size_t threads) {
  std::vector<LogicalType> out = types();
  out.push_back(LogicalType::integer());
  std::vector<planner::BoundExprPtr> exprs;
  exprs.push_back(ref(LogicalType::integer(), 0));
  exprs.push_back(ref(LogicalType::varchar(), 1));
  exprs.push_back(std::make_unique<planner::BoundConstant>(Value::integer(tag)));
  return std::make_unique<PhysicalProjection>(out, std::move(exprs), std::make_unique<RowSource>(types(), rows, 300, threads));
}

/// The result a set operation must have, computed with std::map counts.
std::vector<std::string> expected(SetOperationType type, const Rows& left, const Rows& right) {
  std::map<std::string, std::pair<uint64_t, uint64_t>> counts;
  for (const auto& r : left) counts[row_string(r)].first++;
  for (const auto& r : right) counts[row_string(r)].second++;
  std::vector<std::string> out;
  for (const auto& [row, c] : counts) {
    const uint64_t n = PhysicalHashSetOperation::output_count(type, c.first, c.second);
    for (uint64_t i = 0; i < n; i++) out.push_back(row);
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(PhysicalHashSetOperation, OutputCountsFollowPostgreSQL) {
  EXPECT_EQ(PhysicalHashSetOperation::output_count(SetOperationType::kUnion, 3, 0), 1u);
  EXPECT_EQ(PhysicalHashSetOperation::output_count(SetOperationType::kUnion, 0, 2), 1u);
  EXPECT_EQ(PhysicalHashSetOperation::output_count(SetOperationType::kIntersect, 3, 0), 0u);
  EXPECT_EQ(PhysicalHashSetOperation::output_count(SetOperationType::kIntersect, 3, 2), 1u);
  EXPECT_EQ(PhysicalHashSetOperation::output_count(SetOperationType::kIntersectAll, 3, 2), 2u);
  EXPECT_EQ(PhysicalHashSetOperation::output_count(SetOperationType::kExcept, 3, 0), 1u);
  EXPECT_EQ(PhysicalHashSetOperation::output_count(SetOperationType::kExcept, 3, 1), 0u);
  EXPECT_EQ(PhysicalHashSetOperation::output_count(SetOperationType::kExceptAll, 3, 1), 2u);
  EXPECT_EQ(PhysicalHashSetOperation::output_count(SetOperationType::kExceptAll, 1, 3), 0u);
}

TEST(PhysicalHashSetOperation, MatchesCountsWithAnyThreadsAndInputs) {
  const SetOperationType kinds[] = {SetOperationType::kIntersect, SetOperationType::kIntersectAll, SetOperationType::kExcept,
                                    SetOperationType::kExceptAll};
  for (size_t threads : {1, 2}) {
    for (auto [n_left, n_right] : std::vector<std::pair<size_t, size_t>>{{0, 0}, {0, 500}, {700, 0}, {5000, 3000}}) {
      const Rows left = random_rows(n_left, 11, 40);
      const Rows right = random_rows(n_right, 12, 60);
      for (SetOperationType kind : kinds) {
        std::vector<std::unique_ptr<PhysicalOperator>> inputs;
        std::vector<LogicalType> tagged_types = types();
        tagged_types.push_back(LogicalType::integer());
        inputs.push_back(tagged(left, 0, threads));
        inputs.push_back(tagged(right, 1, threads));
        auto plan = std::make_unique<PhysicalHashSetOperation>(
            kind, types(), std::make_unique<PhysicalUnionAll>(tagged_types, std::move(inputs)));
        EXPECT_EQ(sorted_strings(run_plan(std::move(plan), threads)), expected(kind, left, right))
            << "kind " << static_cast<int>(kind) << " threads " << threads << " sizes " << n_left << "/" << n_right;
      }
    }
  }
}

TEST(PhysicalUnionAll, StreamsEveryInputAndDistinctUnionDeduplicates) {
  const Rows a = random_rows(3000, 21, 100);
  const Rows b = random_rows(10, 22, 5);
  const Rows c;
  for (size_t threads : {1, 2}) {
    auto inputs = [&] {
      std::vector<std::unique_ptr<PhysicalOperator>> v;
      v.push_back(std::make_unique<RowSource>(types(), a, 256, threads));
      v.push_back(std::make_unique<RowSource>(types(), b, 256, threads));
      v.push_back(std::make_unique<RowSource>(types(), c, 256, threads));
      return v;
    };
    Rows all = a;
    all.insert(all.end(), b.begin(), b.end());
    std::vector<std::string> want = sorted_strings(all);
    EXPECT_EQ(sorted_strings(run_plan(std::make_unique<PhysicalUnionAll>(types(), inputs()), threads)), want);
    auto distinct = std::make_unique<PhysicalHashSetOperation>(SetOperationType::kUnion, types(),
                                                               std::make_unique<PhysicalUnionAll>(types(), inputs()));
    want.erase(std::unique(want.begin(), want.end()), want.end());
    EXPECT_EQ(sorted_strings(run_plan(std::move(distinct), threads)), want);
  }
}

TEST(PhysicalUnionAll, EachInputFeedsTheSinkInItsOwnPipelineInOrder) {
  const Rows a = random_rows(10, 31, 5);
  std::vector<std::unique_ptr<PhysicalOperator>> inputs;
  for (int i = 0; i < 3; i++) inputs.push_back(std::make_unique<RowSource>(types(), a, 4, 1));
  std::vector<const PhysicalOperator*> sources;
  for (const auto& input : inputs) sources.push_back(input.get());
  std::vector<planner::BoundExprPtr> exprs;
  exprs.push_back(ref(LogicalType::integer(), 0));
  auto projection = std::make_unique<PhysicalProjection>(std::vector<LogicalType>{LogicalType::integer()}, std::move(exprs),
                                                         std::make_unique<PhysicalUnionAll>(types(), std::move(inputs)));
  PhysicalResultCollector root(PhysicalResultCollector::Mode::kCollect, 0, std::move(projection));
  auto builder = PipelineBuilder::build(root);
  auto order = builder->schedule_order();
  // No materialization: three pipelines, each input -> the projection -> the result sink.
  ASSERT_EQ(order.size(), 3u);
  for (size_t i = 0; i < 3; i++) {
    EXPECT_EQ(order[i]->source, sources[i]);
    ASSERT_EQ(order[i]->operators.size(), 1u);
    EXPECT_EQ(order[i]->operators[0]->name(), "PROJECTION");
    EXPECT_EQ(order[i]->sink, &root);
  }
}

}  // namespace
}  // namespace tessera::executor::test
