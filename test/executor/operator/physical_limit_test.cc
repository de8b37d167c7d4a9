#include "executor/operator/limit/physical_limit.h"

#include <gtest/gtest.h>

#include <optional>
#include <set>

#include "executor/operator/sort/physical_order.h"
#include "test/executor/operator/sort_test_data.h"
#include "test/support/sanitizer.h"

namespace tessera::executor::test {
namespace {

std::unique_ptr<PhysicalOperator> limit_plan(const Rows& rows, std::optional<int64_t> limit, int64_t offset, size_t chunk,
                                             size_t threads) {
  return std::make_unique<PhysicalLimit>(sort_types(), limit, offset,
                                         std::make_unique<RowSource>(sort_types(), rows, chunk, threads));
}

const std::vector<std::pair<std::optional<int64_t>, int64_t>>& limits() {
  static const std::vector<std::pair<std::optional<int64_t>, int64_t>> cases = {
      {std::nullopt, 0}, {std::nullopt, 10}, {std::nullopt, 5000}, {10, 0},   {0, 0},    {0, 5},
      {100, 4950},       {5, 5000},          {5, 6000},            {3000, 1000}, {1, 4999}, {2048, 0},
  };
  return cases;
}

TEST(PhysicalLimit, SingleThreadedKeepsArrivalOrder) {
  const Rows rows = sort_rows(5000, 5);
  size_t index = 0;
  for (const auto& [limit, offset] : limits()) {
    const size_t begin = std::min<size_t>(offset, rows.size());
    const size_t end = limit ? std::min<size_t>(offset + *limit, rows.size()) : rows.size();
    for (size_t chunk : {1, 300, 2048}) {
      if (!test_support::sampled_case(index++, 2)) continue;
      const Rows got = run_plan(limit_plan(rows, limit, offset, chunk, 1), 1);
      ASSERT_EQ(end - begin, got.size()) << "offset " << offset << " chunk " << chunk;
      for (size_t i = 0; i < got.size(); i++) ASSERT_EQ(row_string(rows[begin + i]), row_string(got[i]));
    }
  }
}

TEST(PhysicalLimit, ParallelInputKeepsTheRightNumberOfDistinctRows) {
  const Rows rows = sort_rows(5000, 6);
  for (const auto& [limit, offset] : limits()) {
    const size_t begin = std::min<size_t>(offset, rows.size());
    const size_t end = limit ? std::min<size_t>(offset + *limit, rows.size()) : rows.size();
    const Rows got = run_plan(limit_plan(rows, limit, offset, 250, 2), 2);
    ASSERT_EQ(end - begin, got.size());
    std::set<int64_t> ids;
    for (const auto& r : got) {
      const int64_t id = r[3].get_int64();
      ASSERT_TRUE(id >= 0 && id < 5000);
      ASSERT_EQ(row_string(rows[id]), row_string(r));
      ids.insert(id);
    }
    EXPECT_EQ(got.size(), ids.size());
  }
}

TEST(PhysicalLimit, AfterOrderKeepsTheOrder) {
  const Rows rows = sort_rows(6000, 7);
  const std::vector<KeySpec> specs = {{2, false, false}, {3, true, false}};
  const Rows sorted = reference_sort(rows, specs);
  for (size_t threads : {1, 2}) {
    auto order = std::make_unique<PhysicalOrder>(sort_types(), make_keys(specs),
                                                 std::make_unique<RowSource>(sort_types(), rows, 512, threads));
    const Rows got = run_plan(std::make_unique<PhysicalLimit>(sort_types(), 2500, 1500, std::move(order)), threads);
    ASSERT_EQ(2500u, got.size());
    for (size_t i = 0; i < got.size(); i++) ASSERT_EQ(row_string(sorted[1500 + i]), row_string(got[i]));
  }
}

TEST(PhysicalLimit, StopsTheInputEarly) {
  const Rows rows = sort_rows(5000, 8);
  for (size_t threads : {1, 2}) {
    for (const auto& [limit, offset] : std::vector<std::pair<int64_t, int64_t>>{{10, 0}, {0, 0}, {5, 95}}) {
      std::atomic<size_t> emitted{0};
      auto plan = std::make_unique<PhysicalLimit>(
          sort_types(), limit, offset, std::make_unique<RowSource>(sort_types(), rows, 50, threads, &emitted));
      EXPECT_EQ(static_cast<size_t>(limit), run_plan(std::move(plan), threads).size());
      // 100 chunks of 50 rows: only the first few (one per worker beyond the needed ones) are read.
      EXPECT_LE(emitted.load(), 2 + threads + static_cast<size_t>(limit + offset) / 50) << "threads " << threads;
    }
  }
}

TEST(PhysicalLimit, WithTiesKeepsTheRowsEqualToTheLast) {
  // Sorted by the double column (NaN, -0 = 0, NULLs) then the integer one; ties compare both.
  const Rows rows = sort_rows(5000, 9);
  const std::vector<KeySpec> specs = {{2, false, false}, {0, true, true}};
  const Rows sorted = reference_sort(rows, specs);
  auto same_keys = [&](const Row& a, const Row& b) {
    for (const auto& spec : specs) {
      const Value& x = a[spec.column];
      const Value& y = b[spec.column];
      if (x.is_null() != y.is_null() || (!x.is_null() && compare_values(x, y) != 0)) return false;
    }
    return true;
  };
  for (const auto& [limit, offset] : std::vector<std::pair<int64_t, int64_t>>{{1, 0}, {10, 0}, {300, 2000}, {2048, 0}, {1, 4999}, {5, 5000}, {0, 0}}) {
    size_t end = std::min<size_t>(offset + limit, sorted.size());
    if (limit > 0) {
      while (end < sorted.size() && same_keys(sorted[end], sorted[end - 1])) end++;
    }
    const size_t begin = std::min<size_t>(offset, sorted.size());
    for (size_t threads : {1, 2}) {
      auto order = std::make_unique<PhysicalOrder>(sort_types(), make_keys(specs),
                                                   std::make_unique<RowSource>(sort_types(), rows, 700, threads));
      const Rows got = run_plan(std::make_unique<PhysicalLimit>(sort_types(), limit, offset, std::move(order), std::vector<size_t>{2, 0}),
                                threads);
      ASSERT_EQ(end - begin, got.size()) << "limit " << limit << " offset " << offset;
      for (size_t i = 0; i < got.size(); i++) ASSERT_TRUE(same_keys(sorted[begin + i], got[i])) << i;
    }
  }
}

TEST(PhysicalLimit, ExplainAndName) {
  auto op = limit_plan({}, 10, 5, 10, 1);
  EXPECT_EQ("LIMIT", op->name());
  EXPECT_EQ("limit 10 offset 5", op->explain_details());
  EXPECT_EQ("offset 3", limit_plan({}, std::nullopt, 3, 10, 1)->explain_details());
}

}  // namespace
}  // namespace tessera::executor::test
