#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "src/common/sql_error.h"
#include "src/main/database.h"
#include "src/main/session.h"
#include "storage/transaction_manager.h"
#include "test/main/session_fixture.h"

namespace tessera {
namespace {

using test_support::Collector;

using Strings = std::vector<std::string>;

class DmlSessionTest : public test_support::SessionFixture {
 protected:
  /// Waits until `n` transactions wait for a lock (no time limit: the test runner's timeout
  /// catches a hang).
  void wait_for_lock_waiters(size_t n) {
    while (db_.transactions().locks().waiting_count() < n) std::this_thread::yield();
  }

};

TEST_F(DmlSessionTest, CommandTagsCountModifiedRows) {
  auto s = open();
  auto c = run(*s, "CREATE TABLE t(a int, b int); INSERT INTO t VALUES (1, 1), (2, 2), (3, 3); "
                   "UPDATE t SET b = b + 1 WHERE a >= 2; UPDATE t SET b = 0 WHERE a > 10; DELETE FROM t WHERE a = 1; "
                   "CREATE TABLE s(a int); INSERT INTO s VALUES (2), (2), (2); "
                   "UPDATE t SET b = 9 FROM s WHERE s.a = t.a; DELETE FROM t USING s WHERE s.a = t.a; "
                   "TRUNCATE t; DELETE FROM t");
  ASSERT_TRUE(c.errors.empty()) << c.messages[0];
  EXPECT_EQ(c.tags, (Strings{"CREATE TABLE", "INSERT 0 3", "UPDATE 2", "UPDATE 0", "DELETE 1", "CREATE TABLE",
                             "INSERT 0 3", "UPDATE 1", "DELETE 1", "TRUNCATE TABLE", "DELETE 0"}));
}

TEST_F(DmlSessionTest, ReturningSendsRowsAndTheTagCountsThem) {
  auto s = open();
  run(*s, "CREATE TABLE t(a int, b text)");
  auto insert = run(*s, "INSERT INTO t VALUES (1, 'x'), (2, 'y') RETURNING a * 10, b");
  EXPECT_EQ(insert.tags, (Strings{"INSERT 0 2"}));
  EXPECT_EQ(insert.rows, (Strings{"10|x", "20|y"}));
  auto update = run(*s, "UPDATE t SET b = b || '!' WHERE a = 2 RETURNING *");
  EXPECT_EQ(update.tags, (Strings{"UPDATE 1"}));
  EXPECT_EQ(update.rows, (Strings{"2|y!"}));
  auto del = run(*s, "DELETE FROM t RETURNING a");
  EXPECT_EQ(del.tags, (Strings{"DELETE 2"}));
  std::sort(del.rows.begin(), del.rows.end());
  EXPECT_EQ(del.rows, (Strings{"1", "2"}));
  auto none = run(*s, "DELETE FROM t RETURNING a");
  EXPECT_EQ(none.tags, (Strings{"DELETE 0"}));
  EXPECT_TRUE(none.rows.empty());
}

TEST_F(DmlSessionTest, PreparedStatementsReportTheirCommands) {
  auto s = open();
  run(*s, "CREATE TABLE t(a int)");
  EXPECT_EQ(s->prepare("UPDATE t SET a = 1")->properties().command, CommandKind::kUpdate);
  EXPECT_EQ(s->prepare("DELETE FROM t")->properties().command, CommandKind::kDelete);
  EXPECT_EQ(s->prepare("TRUNCATE t")->properties().command, CommandKind::kTruncate);
  auto returning = s->prepare("DELETE FROM t RETURNING a");
  EXPECT_TRUE(returning->properties().returns_rows);
  EXPECT_FALSE(returning->properties().read_only);
  ASSERT_EQ(returning->result_columns().size(), 1u);
  EXPECT_FALSE(s->prepare("UPDATE t SET a = 1")->properties().returns_rows);
}

TEST_F(DmlSessionTest, UncommittedDeletesAndUpdatesAreInvisibleToOthers) {
  auto a = open();
  auto b = open();
  run(*a, "CREATE TABLE t(id int, v int); INSERT INTO t VALUES (1, 10), (2, 20), (3, 30)");
  run(*a, "BEGIN; DELETE FROM t WHERE id = 1; UPDATE t SET v = v + 1 WHERE id = 2");
  EXPECT_EQ(run(*a, "SELECT id, v FROM t ORDER BY id").rows, (Strings{"2|21", "3|30"}));
  EXPECT_EQ(run(*b, "SELECT id, v FROM t ORDER BY id").rows, (Strings{"1|10", "2|20", "3|30"}));
  // A snapshot taken before the commit keeps seeing the old rows after it.
  run(*b, "BEGIN ISOLATION LEVEL REPEATABLE READ");
  EXPECT_EQ(run(*b, "SELECT count(*) FROM t").rows, (Strings{"3"}));
  run(*a, "COMMIT");
  EXPECT_EQ(run(*b, "SELECT id, v FROM t ORDER BY id").rows, (Strings{"1|10", "2|20", "3|30"}));
  run(*b, "COMMIT");
  EXPECT_EQ(run(*b, "SELECT id, v FROM t ORDER BY id").rows, (Strings{"2|21", "3|30"}));
}

TEST_F(DmlSessionTest, ConcurrentUpdateWaitsThenFailsWhenTheOtherCommits) {
  auto a = open();
  auto b = open();
  run(*a, "CREATE TABLE t(id int, v int); INSERT INTO t VALUES (1, 10), (2, 20)");
  run(*a, "BEGIN; UPDATE t SET v = 11 WHERE id = 1");
  run(*b, "BEGIN ISOLATION LEVEL REPEATABLE READ");
  Collector blocked;
  std::thread t([&] { blocked = run(*b, "UPDATE t SET v = 12 WHERE id = 1"); });
  wait_for_lock_waiters(1);
  EXPECT_TRUE(blocked.tags.empty());
  run(*a, "COMMIT");
  t.join();
  EXPECT_EQ(blocked.errors, (Strings{"40001"}));
  EXPECT_EQ(blocked.messages, (Strings{"could not serialize access due to concurrent update"}));
  EXPECT_EQ(b->transaction_status(), pgwire::TransactionStatus::kFailed);
  run(*b, "ROLLBACK");
  EXPECT_EQ(run(*b, "SELECT id, v FROM t ORDER BY id").rows, (Strings{"1|11", "2|20"}));
}

TEST_F(DmlSessionTest, ConcurrentDeleteWaitsThenProceedsWhenTheOtherRollsBack) {
  auto a = open();
  auto b = open();
  run(*a, "CREATE TABLE t(id int, v int); INSERT INTO t VALUES (1, 10), (2, 20)");
  run(*a, "BEGIN; DELETE FROM t WHERE id = 1");
  Collector blocked;
  std::thread t([&] { blocked = run(*b, "UPDATE t SET v = v + 5"); });
  wait_for_lock_waiters(1);
  run(*a, "ROLLBACK");
  t.join();
  EXPECT_TRUE(blocked.errors.empty()) << blocked.messages[0];
  EXPECT_EQ(blocked.tags, (Strings{"UPDATE 2"}));
  EXPECT_EQ(run(*a, "SELECT id, v FROM t ORDER BY id").rows, (Strings{"1|15", "2|25"}));
}

TEST_F(DmlSessionTest, RowDeletedByACommitAfterTheSnapshotFailsAtOnce) {
  auto a = open();
  auto b = open();
  run(*a, "CREATE TABLE t(id int); INSERT INTO t VALUES (1), (2)");
  run(*b, "BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT count(*) FROM t");
  run(*a, "DELETE FROM t WHERE id = 2");
  // b still sees row 2; deleting it conflicts with the committed delete.
  EXPECT_EQ(run(*b, "SELECT count(*) FROM t").rows, (Strings{"2"}));
  auto c = run(*b, "DELETE FROM t WHERE id = 2");
  EXPECT_EQ(c.errors, (Strings{"40001"}));
  run(*b, "ROLLBACK");
  // Rows the other transaction did not touch can be changed.
  run(*b, "BEGIN; SELECT 1");
  run(*a, "DELETE FROM t WHERE id = 2");
  EXPECT_EQ(run(*b, "UPDATE t SET id = 5 WHERE id = 1").tags, (Strings{"UPDATE 1"}));
  run(*b, "COMMIT");
  EXPECT_EQ(run(*a, "SELECT id FROM t").rows, (Strings{"5"}));
}

TEST_F(DmlSessionTest, ALargeUpdateWaitsOnlyForTheRowsOthersHold) {
  auto a = open();
  auto b = open();
  // 16384 rows: the update's input arrives in several chunks, finalized in parallel parts.
  run(*a, "CREATE TABLE t(id int, v int); INSERT INTO t VALUES (0, 0)");
  for (int i = 0; i < 14; i++) run(*a, "INSERT INTO t SELECT id + " + std::to_string(1 << i) + ", 0 FROM t");
  run(*a, "BEGIN; UPDATE t SET v = -1 WHERE id = 9000 OR id = 100");
  Collector blocked;
  std::thread t([&] { blocked = run(*b, "UPDATE t SET v = v + 1 RETURNING id"); });
  wait_for_lock_waiters(1);
  run(*a, "ROLLBACK");
  t.join();
  ASSERT_TRUE(blocked.errors.empty()) << blocked.messages[0];
  EXPECT_EQ(blocked.tags, (Strings{"UPDATE 16384"}));
  EXPECT_EQ(blocked.rows.size(), 16384u);
  EXPECT_EQ(run(*a, "SELECT count(*), min(v), max(v), count(DISTINCT id) FROM t").rows, (Strings{"16384|1|1|16384"}));
}

TEST_F(DmlSessionTest, ParametersInUpdateAndDelete) {
  auto s = open();
  run(*s, "CREATE TABLE t(id int, name varchar(4)); INSERT INTO t VALUES (1, 'a'), (2, 'b')");
  auto update = s->prepare("UPDATE t SET name = $1 WHERE id = $2");
  EXPECT_EQ(update->parameter_types(), (std::vector<LogicalType>{LogicalType::varchar(), LogicalType::integer()}));
  Collector c;
  auto portal = s->bind(*update, {std::optional<std::string>("zz"), std::optional<std::string>("2")});
  s->execute(*portal, 0, c);
  EXPECT_EQ(c.tags, (Strings{"UPDATE 1"}));
  auto del = s->prepare("DELETE FROM t WHERE id = $1 RETURNING name");
  Collector d;
  auto del_portal = s->bind(*del, {std::optional<std::string>("2")});
  s->execute(*del_portal, 0, d);
  EXPECT_EQ(d.rows, (Strings{"zz"}));
  EXPECT_EQ(d.tags, (Strings{"DELETE 1"}));
}

TEST_F(DmlSessionTest, CrossedRowWaitsAreADeadlock) {
  auto a = open();
  auto b = open();
  run(*a, "CREATE TABLE t(id int, v int); INSERT INTO t VALUES (1, 0), (2, 0)");
  run(*a, "BEGIN; UPDATE t SET v = 1 WHERE id = 1");
  run(*b, "BEGIN; UPDATE t SET v = 2 WHERE id = 2");
  Collector first;
  std::thread t([&] { first = run(*a, "UPDATE t SET v = 1 WHERE id = 2"); });
  wait_for_lock_waiters(1);
  auto second = run(*b, "UPDATE t SET v = 2 WHERE id = 1");
  EXPECT_EQ(second.errors, (Strings{"40P01"}));
  t.join();
  EXPECT_EQ(first.tags, (Strings{"UPDATE 1"}));
  run(*b, "ROLLBACK");
  run(*a, "COMMIT");
  EXPECT_EQ(run(*a, "SELECT id, v FROM t ORDER BY id").rows, (Strings{"1|1", "2|1"}));
}

TEST_F(DmlSessionTest, LockTimeoutEndsAWaitForARowOrATableWith55P03) {
  auto a = open();
  auto b = open();
  run(*a, "CREATE TABLE t(id int, v int); INSERT INTO t VALUES (1, 0)");
  run(*a, "BEGIN; UPDATE t SET v = 1 WHERE id = 1");
  // A row another transaction updates: the wait ends after lock_timeout, in this statement only.
  auto row = run(*b, "SET lock_timeout = '50ms'; UPDATE t SET v = 2 WHERE id = 1");
  EXPECT_EQ(row.errors, (Strings{"55P03"}));
  EXPECT_EQ(row.messages, (Strings{"canceling statement due to lock timeout"}));
  // The failure rolled the SET back with its implicit transaction; set it on its own.
  run(*b, "SET lock_timeout = '50ms'");
  EXPECT_EQ(run(*b, "DROP TABLE t").errors, (Strings{"55P03"}));
  EXPECT_EQ(run(*b, "SELECT count(*) FROM t").rows, (Strings{"1"}));  // reads never wait
  run(*a, "COMMIT");
  EXPECT_TRUE(run(*b, "UPDATE t SET v = 2 WHERE id = 1").errors.empty());
  EXPECT_EQ(run(*b, "SELECT v FROM t").rows, (Strings{"2"}));
}

TEST_F(DmlSessionTest, CancelStopsAWaitForARow) {
  auto a = open();
  auto b = open();
  run(*a, "CREATE TABLE t(id int); INSERT INTO t VALUES (1)");
  run(*a, "BEGIN; DELETE FROM t");
  Collector waiting;
  std::thread t([&] { waiting = run(*b, "DELETE FROM t"); });
  wait_for_lock_waiters(1);
  b->cancel();
  t.join();
  EXPECT_EQ(waiting.errors, (Strings{"57014"}));
  run(*a, "ROLLBACK");
  EXPECT_EQ(run(*b, "SELECT count(*) FROM t").rows, (Strings{"1"}));
}

TEST_F(DmlSessionTest, TruncateWaitsForWritersAndIsTransactional) {
  auto a = open();
  auto b = open();
  run(*a, "CREATE TABLE t(id int); INSERT INTO t VALUES (1), (2)");
  run(*a, "BEGIN; INSERT INTO t VALUES (3)");
  Collector truncate;
  std::thread t([&] { truncate = run(*b, "BEGIN; TRUNCATE t"); });
  wait_for_lock_waiters(1);
  run(*a, "COMMIT");
  t.join();
  EXPECT_EQ(truncate.tags, (Strings{"BEGIN", "TRUNCATE TABLE"}));
  // Until b commits, others see every row; b's rollback keeps them.
  EXPECT_EQ(run(*a, "SELECT count(*) FROM t").rows, (Strings{"3"}));
  EXPECT_EQ(run(*b, "SELECT count(*) FROM t").rows, (Strings{"0"}));
  run(*b, "ROLLBACK");
  EXPECT_EQ(run(*a, "SELECT count(*) FROM t").rows, (Strings{"3"}));
  run(*b, "TRUNCATE t");
  EXPECT_EQ(run(*a, "SELECT count(*) FROM t").rows, (Strings{"0"}));
}

}  // namespace
}  // namespace tessera
