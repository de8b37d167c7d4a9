#include "executor/operator/window/physical_window.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

#include "test/executor/operator/operator_test_plan.h"

namespace tessera::executor::test {
namespace {

using planner::BoundWindow;
using planner::WindowFrameBoundKind;
using planner::WindowFrameExclusion;
using planner::WindowFrameUnit;
using planner::WindowFunction;

std::vector<LogicalType> input_types() { return {LogicalType::integer(), LogicalType::integer(), LogicalType::integer()}; }

/// Rows (id, g, v): ids 0..n-1 in shuffled order, partition key g with NULLs, value v with NULLs.
Rows input_rows(size_t n, uint32_t seed) {
  std::mt19937 random(seed);
  std::vector<int32_t> ids(n);
  for (size_t i = 0; i < n; i++) ids[i] = static_cast<int32_t>(i);
  std::shuffle(ids.begin(), ids.end(), random);
  Rows rows;
  for (int32_t id : ids) {
    rows.push_back({Value::integer(id), int_or_null(random() % 20 == 0, static_cast<int32_t>(random() % 37)),
                    int_or_null(random() % 7 == 0, static_cast<int32_t>(random() % 1000) - 500)});
  }
  return rows;
}

std::unique_ptr<BoundWindow> window(WindowFunction function, const catalog::AggregateFunction* aggregate, LogicalType type) {
  auto w = std::make_unique<BoundWindow>(type, function);
  w->aggregate = aggregate;
  if (aggregate && !aggregate->params.empty()) w->args.push_back(ref(LogicalType::integer(), 2));
  w->frame.unit = WindowFrameUnit::kRows;
  return w;
}

std::unique_ptr<PhysicalOperator> plan(const Rows& rows, size_t chunk, size_t threads, std::vector<planner::BoundExprPtr> windows) {
  std::vector<LogicalType> types = input_types();
  for (const auto& w : windows) types.push_back(w->type);
  std::vector<planner::BoundExprPtr> partitions;
  partitions.push_back(ref(LogicalType::integer(), 1));
  std::vector<SortKey> orders;
  orders.push_back(SortKey{ref(LogicalType::integer(), 0), false, false});
  return std::make_unique<PhysicalWindow>(types, std::move(partitions), std::move(orders), std::move(windows),
                                          std::make_unique<RowSource>(input_types(), rows, chunk, threads));
}

TEST(PhysicalWindow, SlidingAggregatesMatchBruteForceInParallel) {
  const auto& registry = builtin_registry();
  const auto* sum = registry.resolve_aggregate("sum", std::vector<LogicalType>{LogicalType::integer()}).function;
  const auto* count_star = registry.resolve_aggregate("count", std::vector<LogicalType>{}).function;
  const auto* min = registry.resolve_aggregate("min", std::vector<LogicalType>{LogicalType::integer()}).function;
  const Rows rows = input_rows(5000, 3);

  std::vector<planner::BoundExprPtr> windows;
  auto s = window(WindowFunction::kAggregate, sum, LogicalType::bigint());
  s->frame.start = WindowFrameBoundKind::kPreceding;
  s->frame.start_offset = std::make_unique<planner::BoundConstant>(Value::bigint(3));
  s->frame.end = WindowFrameBoundKind::kFollowing;
  s->frame.end_offset = std::make_unique<planner::BoundConstant>(Value::bigint(2));
  windows.push_back(std::move(s));
  auto c = window(WindowFunction::kAggregate, count_star, LogicalType::bigint());
  windows.push_back(std::move(c));  // ROWS UNBOUNDED PRECEDING .. CURRENT ROW: a running count
  auto m = window(WindowFunction::kAggregate, min, LogicalType::integer());
  m->frame.end = WindowFrameBoundKind::kUnboundedFollowing;
  m->frame.exclusion = WindowFrameExclusion::kCurrentRow;
  windows.push_back(std::move(m));
  windows.push_back(window(WindowFunction::kRowNumber, nullptr, LogicalType::bigint()));

  const Rows got = run_plan(plan(rows, 300, 2, std::move(windows)), 2);
  ASSERT_EQ(rows.size(), got.size());

  // Reference: each partition's rows by id, frames walked row by row.
  std::map<std::string, std::vector<Row>> partitions;
  for (const auto& r : rows) partitions[r[1].is_null() ? "NULL" : r[1].to_string()].push_back(r);
  std::map<int64_t, Row> want;
  for (auto& [key, part] : partitions) {
    std::sort(part.begin(), part.end(), [](const Row& a, const Row& b) { return a[0].get_int64() < b[0].get_int64(); });
    const int64_t n = static_cast<int64_t>(part.size());
    for (int64_t i = 0; i < n; i++) {
      __int128 total = 0;
      bool any = false;
      for (int64_t j = std::max<int64_t>(0, i - 3); j <= std::min(n - 1, i + 2); j++) {
        if (part[j][2].is_null()) continue;
        total += part[j][2].get_int64();
        any = true;
      }
      bool has_min = false;
      int64_t minimum = 0;
      for (int64_t j = 0; j < n; j++) {
        if (j == i || part[j][2].is_null()) continue;
        if (!has_min || part[j][2].get_int64() < minimum) minimum = part[j][2].get_int64();
        has_min = true;
      }
      Row row = part[i];
      row.push_back(any ? Value::bigint(static_cast<int64_t>(total)) : Value::null(LogicalType::bigint()));
      row.push_back(Value::bigint(i + 1));
      row.push_back(has_min ? Value::integer(static_cast<int32_t>(minimum)) : Value::null(LogicalType::integer()));
      row.push_back(Value::bigint(i + 1));
      want[part[i][0].get_int64()] = row;
    }
  }
  for (const auto& row : got) {
    const Row& expected = want.at(row[0].get_int64());
    ASSERT_EQ(row_string(expected), row_string(row));
  }
}

TEST(PhysicalWindow, EmptyInput) {
  std::vector<planner::BoundExprPtr> windows;
  windows.push_back(window(WindowFunction::kRowNumber, nullptr, LogicalType::bigint()));
  EXPECT_TRUE(run_plan(plan({}, 100, 2, std::move(windows)), 2).empty());
}

TEST(PhysicalWindow, ExplainAndName) {
  std::vector<planner::BoundExprPtr> windows;
  windows.push_back(window(WindowFunction::kRowNumber, nullptr, LogicalType::bigint()));
  auto op = plan({}, 10, 1, std::move(windows));
  EXPECT_EQ("WINDOW", op->name());
  EXPECT_EQ("row_number() OVER (ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)", op->explain_details());
}

}  // namespace
}  // namespace tessera::executor::test
