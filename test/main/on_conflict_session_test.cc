#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "src/main/database.h"
#include "storage/transaction_manager.h"
#include "test/main/session_fixture.h"

namespace tessera {
namespace {

using test_support::Collector;

using Strings = std::vector<std::string>;

/// INSERT ... ON CONFLICT against other transactions, and SQL prepared statements per session.
class OnConflictSessionTest : public test_support::SessionFixture {
 protected:
  /// Waits until `n` transactions wait for a lock (the test runner's timeout catches a hang).
  void wait_for_lock_waiters(size_t n) {
    while (db_.transactions().locks().waiting_count() < n) std::this_thread::yield();
  }
};

TEST_F(OnConflictSessionTest, WaitsForAnUncommittedInsertOfTheKeyThenInsertsWhenItRollsBack) {
  auto a = open();
  auto b = open();
  run(*a, "CREATE TABLE t(k int PRIMARY KEY, v text)");
  run(*a, "BEGIN; INSERT INTO t VALUES (1, 'a')");
  Collector blocked;
  std::thread thread([&] { blocked = run(*b, "INSERT INTO t VALUES (1, 'b') ON CONFLICT DO NOTHING"); });
  wait_for_lock_waiters(1);
  EXPECT_TRUE(blocked.tags.empty());
  run(*a, "ROLLBACK");
  thread.join();
  EXPECT_TRUE(blocked.errors.empty());
  EXPECT_EQ(blocked.tags, (Strings{"INSERT 0 1"}));
  EXPECT_EQ(run(*a, "SELECT k, v FROM t").rows, (Strings{"1|b"}));
}

TEST_F(OnConflictSessionTest, AConflictingRowCommittedAfterTheSnapshotFailsWith40001) {
  auto a = open();
  auto b = open();
  run(*a, "CREATE TABLE t(k int PRIMARY KEY, v text)");
  run(*a, "BEGIN; INSERT INTO t VALUES (1, 'a')");
  run(*b, "BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT count(*) FROM t");
  Collector blocked;
  std::thread thread(
      [&] { blocked = run(*b, "INSERT INTO t VALUES (1, 'b') ON CONFLICT (k) DO UPDATE SET v = excluded.v"); });
  wait_for_lock_waiters(1);
  run(*a, "COMMIT");
  thread.join();
  EXPECT_EQ(blocked.errors, (Strings{"40001"}));
  run(*b, "ROLLBACK");
  // A transaction that began after the commit updates the row.
  auto c = run(*b, "INSERT INTO t VALUES (1, 'b') ON CONFLICT (k) DO UPDATE SET v = t.v || excluded.v");
  EXPECT_EQ(c.tags, (Strings{"INSERT 0 1"}));
  EXPECT_EQ(run(*a, "SELECT k, v FROM t").rows, (Strings{"1|ab"}));
}

TEST_F(OnConflictSessionTest, PreparedStatementsBelongToTheirSession) {
  auto a = open();
  auto b = open();
  EXPECT_EQ(run(*a, "PREPARE q AS SELECT 41 + 1").tags, (Strings{"PREPARE"}));
  EXPECT_EQ(run(*a, "EXECUTE q").rows, (Strings{"42"}));
  EXPECT_EQ(run(*b, "EXECUTE q").errors, (Strings{"26000"}));
  EXPECT_EQ(run(*b, "PREPARE q AS SELECT 'b'; EXECUTE q").rows, (Strings{"b"}));
  EXPECT_EQ(run(*a, "EXECUTE q").rows, (Strings{"42"}));
  EXPECT_EQ(run(*a, "DEALLOCATE ALL").tags, (Strings{"DEALLOCATE ALL"}));
  EXPECT_EQ(run(*a, "EXECUTE q").errors, (Strings{"26000"}));
  EXPECT_EQ(run(*b, "DEALLOCATE q").tags, (Strings{"DEALLOCATE"}));
}

}  // namespace
}  // namespace tessera
