#include "executor/operator/sort/physical_top_n.h"

#include <gtest/gtest.h>

#include "test/executor/operator/sort_test_data.h"
#include "test/support/sanitizer.h"

namespace tessera::executor::test {
namespace {

std::unique_ptr<PhysicalOperator> top_n(const Rows& rows, const std::vector<KeySpec>& specs, int64_t limit, int64_t offset,
                                        size_t chunk, size_t threads) {
  return std::make_unique<PhysicalTopN>(sort_types(), make_keys(specs), limit, offset,
                                        std::make_unique<RowSource>(sort_types(), rows, chunk, threads));
}

TEST(PhysicalTopN, MatchesSortedSlice) {
  const Rows rows = sort_rows(7000, 3);
  // The unique id as the last key makes the order total, so results are exact with threads.
  const std::vector<std::vector<KeySpec>> key_sets = {
      {{0, false, false}, {1, true, true}, {3, false, false}},
      {{2, true, false}, {3, true, false}},
      {{1, false, true}, {2, false, false}, {3, false, false}},
  };
  const std::vector<std::pair<int64_t, int64_t>> limits = {{10, 0},   {10, 5},     {1, 0},     {0, 0},     {0, 50},
                                                           {3000, 100}, {100000, 0}, {5, 6995},  {5, 7000},  {5, 9000},
                                                           {2048, 2048}};
  size_t index = 0;
  for (const auto& specs : key_sets) {
    const Rows sorted = reference_sort(rows, specs);
    for (const auto& [limit, offset] : limits) {
      const size_t begin = std::min<size_t>(offset, sorted.size());
      const size_t end = std::min<size_t>(offset + limit, sorted.size());
      std::vector<std::string> want;
      for (size_t i = begin; i < end; i++) want.push_back(row_string(sorted[i]));
      for (size_t threads : {1, 2}) {
        for (size_t chunk : {700, 2048}) {
          if (!test_support::sampled_case(index++, 3)) continue;
          std::vector<std::string> got;
          for (const auto& r : run_plan(top_n(rows, specs, limit, offset, chunk, threads), threads)) got.push_back(row_string(r));
          ASSERT_EQ(want, got) << "limit " << limit << " offset " << offset << " threads " << threads << " chunk " << chunk;
        }
      }
    }
  }
}

TEST(PhysicalTopN, EqualKeysSingleThreadedKeepInputOrder) {
  const Rows rows = sort_rows(3000, 4);
  const std::vector<KeySpec> specs = {{0, false, true}};
  const Rows sorted = reference_sort(rows, specs);
  const Rows got = run_plan(top_n(rows, specs, 500, 20, 256, 1), 1);
  ASSERT_EQ(500u, got.size());
  for (size_t i = 0; i < got.size(); i++) ASSERT_EQ(row_string(sorted[20 + i]), row_string(got[i]));
}

TEST(PhysicalTopN, ExplainAndName) {
  auto op = top_n({}, {{0, true, false}}, 10, 5, 10, 1);
  EXPECT_EQ("TOP_N", op->name());
  EXPECT_EQ("#0 DESC NULLS LAST; limit 10 offset 5", op->explain_details());
}

}  // namespace
}  // namespace tessera::executor::test
