#include "catalog/sequence_session.h"

#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <thread>
#include <vector>

#include "catalog/catalog.h"
#include "src/common/sql_error.h"
#include "storage/transaction_manager.h"
#include "test/support/sqlstate_of.h"

namespace tessera::catalog {
namespace {

using test_support::sqlstate_of;

SequenceOptions range(int64_t min, int64_t max, int64_t increment, bool cycle) {
  SequenceOptions o;
  o.min_value = min;
  o.max_value = max;
  o.increment = increment;
  o.start = increment > 0 ? min : max;
  o.cycle = cycle;
  return o;
}

TEST(SequenceEntryTest, StepsToItsEndThenFailsOrCycles) {
  SequenceEntry plain("s", 1, range(1, 3, 1, false), "", "");
  EXPECT_EQ(plain.next_value(), 1);
  EXPECT_EQ(plain.next_value(), 2);
  EXPECT_EQ(plain.next_value(), 3);
  EXPECT_EQ(sqlstate_of([&] { plain.next_value(); }), "2200H");
  SequenceEntry cycling("c", 2, range(-2, 0, -1, true), "", "");
  EXPECT_EQ(cycling.next_value(), 0);
  EXPECT_EQ(cycling.next_value(), -1);
  EXPECT_EQ(cycling.next_value(), -2);
  EXPECT_EQ(cycling.next_value(), 0);
}

TEST(SequenceEntryTest, StepPastInt64IsTheEndNotAnOverflow) {
  SequenceOptions o = range(1, INT64_MAX, 1000, false);
  o.start = INT64_MAX - 10;
  SequenceEntry s("s", 1, o, "", "");
  EXPECT_EQ(s.next_value(), INT64_MAX - 10);
  EXPECT_EQ(sqlstate_of([&] { s.next_value(); }), "2200H");
}

TEST(SequenceEntryTest, SetValueDecidesTheNextValue) {
  SequenceEntry s("s", 1, range(1, 100, 1, false), "", "");
  s.set_value(50, true);
  EXPECT_EQ(s.next_value(), 51);
  s.set_value(70, false);
  EXPECT_EQ(s.next_value(), 70);
  EXPECT_EQ(sqlstate_of([&] { s.set_value(101, true); }), "22003");
  EXPECT_EQ(sqlstate_of([&] { s.set_value(0, true); }), "22003");
  EXPECT_EQ(s.next_value(), 71);
}

TEST(SequenceEntryTest, ConcurrentCallersGetDistinctValues) {
  SequenceEntry s("s", 1, range(1, INT64_MAX, 1, false), "", "");
  constexpr int kThreads = 4;
  constexpr int kEach = 5000;
  std::vector<std::vector<int64_t>> got(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; t++) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; i++) got[t].push_back(s.next_value());
    });
  }
  for (auto& thread : threads) thread.join();
  std::set<int64_t> all;
  for (const auto& values : got) all.insert(values.begin(), values.end());
  EXPECT_EQ(all.size(), size_t{kThreads * kEach});
  EXPECT_EQ(*all.begin(), 1);
  EXPECT_EQ(*all.rbegin(), kThreads * kEach);
}

TEST(SequenceSessionTest, FindsSequencesByRegclassText) {
  Catalog catalog;
  storage::TransactionManager tm;
  SequenceSession session;
  auto txn = tm.begin();
  catalog.create_sequence(*txn, "s", SequenceOptions{}, false);
  catalog.create_sequence(*txn, "Mixed", SequenceOptions{}, false);
  catalog.create_table(*txn, "t", {{"a", LogicalType::integer()}}, false);
  SequenceContext context{&catalog, txn.get(), &session};
  EXPECT_EQ(find_sequence(context, "s")->name(), "s");
  EXPECT_EQ(find_sequence(context, "S")->name(), "s");
  EXPECT_EQ(find_sequence(context, " public . s ")->name(), "s");
  EXPECT_EQ(find_sequence(context, "\"Mixed\"")->name(), "Mixed");
  EXPECT_EQ(sqlstate_of([&] { find_sequence(context, "mixed"); }), "42P01");
  EXPECT_EQ(sqlstate_of([&] { find_sequence(context, "t"); }), "42809");
  EXPECT_EQ(sqlstate_of([&] { find_sequence(context, "other.s"); }), "3F000");
  EXPECT_EQ(sqlstate_of([&] { find_sequence(context, "\"unterminated"); }), "42602");
  EXPECT_EQ(sqlstate_of([&] { find_sequence(context, "a..b"); }), "42602");
  tm.commit(*txn);
}

TEST(SequenceSessionTest, RemembersCurrentAndLastValues) {
  SequenceSession session;
  EXPECT_FALSE(session.current(7).has_value());
  EXPECT_FALSE(session.last_used().has_value());
  session.record_next(7, "s", 3);
  session.record_set(8, 10);
  EXPECT_EQ(session.current(7), 3);
  EXPECT_EQ(session.current(8), 10);
  ASSERT_TRUE(session.last_used().has_value());
  EXPECT_EQ(session.last_used()->first, "s");
  EXPECT_EQ(session.last_used()->second, 7u);
}

}  // namespace
}  // namespace tessera::catalog
