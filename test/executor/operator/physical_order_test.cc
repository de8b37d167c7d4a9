#include "executor/operator/sort/physical_order.h"

#include <gtest/gtest.h>

#include "test/executor/operator/sort_test_data.h"
#include "test/support/sanitizer.h"

namespace tessera::executor::test {
namespace {

std::unique_ptr<PhysicalOperator> order(const Rows& rows, const std::vector<KeySpec>& specs, size_t chunk, size_t threads) {
  return std::make_unique<PhysicalOrder>(sort_types(), make_keys(specs),
                                         std::make_unique<RowSource>(sort_types(), rows, chunk, threads));
}

const std::vector<std::vector<KeySpec>>& key_sets() {
  static const std::vector<std::vector<KeySpec>> sets = {
      {{0, false, false}, {1, true, true}},                   // a ASC NULLS LAST, b DESC NULLS FIRST
      {{2, false, true}},                                     // d ASC NULLS FIRST (NaN last among values)
      {{2, true, false}},                                     // d DESC NULLS LAST (NaN first)
      {{1, false, false}, {0, true, true}, {2, false, false}},  // b, a DESC NULLS FIRST, d
      {{0, true, false}},                                     // a DESC NULLS LAST
  };
  return sets;
}

TEST(PhysicalOrder, SingleThreadedMatchesStableReference) {
  const Rows rows = sort_rows(test_support::kSanitizedBuild ? 2500 : 5000, 1);
  for (const auto& specs : key_sets()) {
    for (size_t chunk : {1, 333, 2048}) {
      if (chunk == 1 && &specs != &key_sets()[0]) continue;
      const Rows got = run_plan(order(rows, specs, chunk, 1), 1);
      const Rows want = reference_sort(rows, specs);
      ASSERT_EQ(want.size(), got.size());
      for (size_t i = 0; i < want.size(); i++) ASSERT_EQ(row_string(want[i]), row_string(got[i])) << "row " << i;
    }
  }
}

TEST(PhysicalOrder, ParallelInputSortsKeys) {
  const Rows rows = sort_rows(9000, 2);
  for (const auto& specs : key_sets()) {
    const Rows got = run_plan(order(rows, specs, 500, 2), 2);
    const Rows want = reference_sort(rows, specs);
    EXPECT_EQ(key_strings(want, specs), key_strings(got, specs));
    EXPECT_EQ(sorted_strings(want), sorted_strings(got));
  }
}

TEST(PhysicalOrder, EmptyInput) {
  EXPECT_TRUE(run_plan(order({}, key_sets()[0], 100, 2), 2).empty());
}

TEST(PhysicalOrder, ExplainAndName) {
  auto op = order({}, {{0, false, false}, {1, true, true}, {2, false, true}, {3, true, false}}, 10, 1);
  EXPECT_EQ("ORDER", op->name());
  EXPECT_EQ("#0, #1 DESC, #2 NULLS FIRST, #3 DESC NULLS LAST", op->explain_details());
}

}  // namespace
}  // namespace tessera::executor::test
