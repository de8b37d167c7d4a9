#include "executor/operator/cte/physical_cte.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "executor/operator/projection/physical_filter.h"
#include "executor/operator/projection/physical_projection.h"
#include "test/executor/operator/operator_test_plan.h"

namespace tessera::executor::test {
namespace {

planner::BoundExprPtr binary(std::string_view op, LogicalType type, planner::BoundExprPtr a, planner::BoundExprPtr b) {
  const auto& function = builtin_function(op, {a->type, b->type});
  std::vector<planner::BoundExprPtr> children;
  children.push_back(std::move(a));
  children.push_back(std::move(b));
  return std::make_unique<planner::BoundFunction>(type, function, std::move(children));
}

planner::BoundExprPtr int_constant(int32_t v) { return std::make_unique<planner::BoundConstant>(Value::integer(v)); }

/// WITH RECURSIVE r(n) AS (<anchor rows> UNION [ALL] SELECT <step(n)> FROM r WHERE n < limit)
/// SELECT * FROM r, as physical operators.
std::unique_ptr<PhysicalOperator> recursive_plan(const Rows& anchor, bool union_all, const std::string& step, int32_t step_arg,
                                                 int32_t limit) {
  const std::vector<LogicalType> types{LogicalType::integer()};
  auto cte = std::make_unique<PhysicalCte>("r", types, types);
  auto main = std::make_unique<PhysicalCteScan>(*cte, "r", false);
  cte->set_inputs(std::make_unique<RowSource>(types, anchor, 3, 2), std::move(main));
  std::vector<planner::BoundExprPtr> conjuncts;
  conjuncts.push_back(compare("<", ref(LogicalType::integer(), 0), int_constant(limit)));
  auto filter = std::make_unique<PhysicalFilter>(types, std::move(conjuncts), std::make_unique<PhysicalCteScan>(*cte, "r", true));
  std::vector<planner::BoundExprPtr> exprs;
  planner::BoundExprPtr next = binary(step, LogicalType::integer(), ref(LogicalType::integer(), 0), int_constant(step_arg));
  if (step == "%") next = binary("+", LogicalType::integer(), std::move(next), int_constant(1));
  exprs.push_back(std::move(next));
  auto projection = std::make_unique<PhysicalProjection>(types, std::move(exprs), std::move(filter));
  cte->set_recursive_term(
      std::make_unique<PhysicalResultCollector>(PhysicalResultCollector::Mode::kCollect, 0, std::move(projection)), union_all);
  return cte;
}

Rows ints(std::initializer_list<int32_t> values) {
  Rows rows;
  for (int32_t v : values) rows.push_back({Value::integer(v)});
  return rows;
}

TEST(PhysicalCte, UnionAllIteratesUntilNoRowIsAdded) {
  for (size_t threads : {1, 2}) {
    // 1, 2, ..., 3000 from one anchor row; two anchor rows give two chains.
    Rows got = run_plan(recursive_plan(ints({1}), true, "+", 1, 3000), threads);
    ASSERT_EQ(got.size(), 3000u);
    std::vector<std::string> want;
    for (int i = 1; i <= 3000; i++) want.push_back(std::to_string(i));
    std::sort(want.begin(), want.end());
    EXPECT_EQ(sorted_strings(got), want);
    EXPECT_EQ(run_plan(recursive_plan(ints({1, 1}), true, "+", 1, 3), threads).size(), 6u);
    EXPECT_EQ(run_plan(recursive_plan(ints({}), true, "+", 1, 3), threads).size(), 0u);
  }
}

TEST(PhysicalCte, UnionRemovesDuplicatesAcrossIterations) {
  for (size_t threads : {1, 2}) {
    // n % 3 + 1 cycles 1 -> 2 -> 3 -> 1: UNION stops once nothing new appears.
    EXPECT_EQ(sorted_strings(run_plan(recursive_plan(ints({1, 1, 2}), false, "%", 3, 100), threads)),
              (std::vector<std::string>{"1", "2", "3"}));
  }
}

TEST(PhysicalCte, CancelStopsARunawayRecursion) {
  const std::vector<LogicalType> types{LogicalType::integer()};
  auto plan = recursive_plan(ints({1}), true, "+", 0, 5);  // n + 0 < 5 forever
  PhysicalResultCollector root(PhysicalResultCollector::Mode::kCollect, 0, std::move(plan));
  std::atomic<bool> cancelled{false};
  QueryContext query;
  query.scheduler = &test_scheduler();
  query.cancelled = &cancelled;
  QueryExecutor executor(root, query);
  // Cancelled once the recursion runs: only the cancel can end it.
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    cancelled = true;
  });
  bool canceled = false;
  try {
    executor.execute();
  } catch (const SqlError& e) {
    canceled = e.state() == SqlState::kQueryCanceled;
  }
  canceller.join();
  EXPECT_TRUE(canceled);
}

}  // namespace
}  // namespace tessera::executor::test
