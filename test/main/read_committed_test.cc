// Isolation levels with several sessions on one database: READ COMMITTED (the default) takes a
// snapshot per statement and runs a statement again when it meets a row another transaction
// changed and committed after its snapshot; REPEATABLE READ and SERIALIZABLE keep the first
// statement's snapshot and fail such a statement with 40001.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "catalog/catalog.h"
#include "src/common/sql_error.h"
#include "src/main/database.h"
#include "storage/transaction_manager.h"
#include "test/main/session_fixture.h"

namespace tessera {
namespace {

using test_support::Collector;
using Strings = std::vector<std::string>;

class ReadCommittedTest : public test_support::SessionFixture {
 protected:
  /// Waits until `n` transactions wait for a lock (no time limit: the test runner's timeout
  /// catches a hang).
  void wait_for_lock_waiters(size_t n) {
    while (db_.transactions().locks().waiting_count() < n) std::this_thread::yield();
  }

  /// Runs `blocked_sql` in session `b` on a thread while `a` holds a change made by
  /// `a_sql` (in an open block), then ends `a`'s block with `a_end`; returns what `b` got.
  Collector race(pgwire::BackendSession& a, const std::string& a_sql, pgwire::BackendSession& b,
                 const std::string& blocked_sql, const std::string& a_end = "COMMIT") {
    const Collector held = run(a, "BEGIN; " + a_sql);
    EXPECT_TRUE(held.errors.empty()) << held.messages[0];
    Collector blocked;
    std::thread thread([&] { blocked = run(b, blocked_sql); });
    wait_for_lock_waiters(1);
    run(a, a_end);
    thread.join();
    return blocked;
  }
};

TEST_F(ReadCommittedTest, EachStatementOfABlockSeesWhatCommittedBeforeIt) {
  auto a = open();
  auto b = open();
  run(*a, "CREATE TABLE t(a int); INSERT INTO t VALUES (1), (2)");
  EXPECT_EQ(run(*b, "SHOW transaction_isolation").rows, (Strings{"read committed"}));
  run(*b, "BEGIN");
  EXPECT_EQ(run(*b, "SELECT count(*) FROM t").rows, (Strings{"2"}));
  run(*a, "INSERT INTO t VALUES (3)");
  EXPECT_EQ(run(*b, "SELECT count(*) FROM t").rows, (Strings{"3"}));
  // Uncommitted changes stay invisible.
  run(*a, "BEGIN; DELETE FROM t WHERE a = 1");
  EXPECT_EQ(run(*b, "SELECT count(*) FROM t").rows, (Strings{"3"}));
  run(*a, "COMMIT");
  EXPECT_EQ(run(*b, "SELECT count(*) FROM t").rows, (Strings{"2"}));
  // The block's own earlier statements stay visible to it.
  run(*b, "INSERT INTO t VALUES (10)");
  EXPECT_EQ(run(*b, "SELECT sum(a) FROM t").rows, (Strings{"15"}));
  EXPECT_EQ(run(*a, "SELECT sum(a) FROM t").rows, (Strings{"5"}));
  // The catalog follows: DDL another session committed is seen by the next statement.
  run(*a, "CREATE TABLE u(x int); INSERT INTO u VALUES (7)");
  EXPECT_EQ(run(*b, "SELECT x FROM u").rows, (Strings{"7"}));
  run(*a, "DROP TABLE u");
  EXPECT_EQ(run(*b, "SELECT x FROM u").errors, (Strings{"42P01"}));
  EXPECT_EQ(b->transaction_status(), pgwire::TransactionStatus::kFailed);
  run(*b, "ROLLBACK");
  EXPECT_EQ(run(*a, "SELECT sum(a) FROM t").rows, (Strings{"5"}));
}

TEST_F(ReadCommittedTest, ReadUncommittedRunsAsReadCommitted) {
  auto a = open();
  auto b = open();
  run(*a, "CREATE TABLE t(a int)");
  run(*b, "BEGIN ISOLATION LEVEL READ UNCOMMITTED");
  EXPECT_EQ(run(*b, "SELECT count(*) FROM t").rows, (Strings{"0"}));
  run(*a, "BEGIN; INSERT INTO t VALUES (1)");
  EXPECT_EQ(run(*b, "SELECT count(*) FROM t").rows, (Strings{"0"})) << "no dirty reads";
  run(*a, "COMMIT");
  EXPECT_EQ(run(*b, "SELECT count(*) FROM t").rows, (Strings{"1"}));
  run(*b, "COMMIT");
}

TEST_F(ReadCommittedTest, RepeatableReadAndSerializableTakeTheSnapshotAtTheFirstStatement) {
  for (const std::string begin : {"BEGIN ISOLATION LEVEL REPEATABLE READ", "BEGIN ISOLATION LEVEL SERIALIZABLE",
                                  "START TRANSACTION ISOLATION LEVEL REPEATABLE READ",
                                  "BEGIN; SET TRANSACTION ISOLATION LEVEL SERIALIZABLE",
                                  "SET default_transaction_isolation = 'repeatable read'; BEGIN",
                                  "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE; BEGIN"}) {
    SCOPED_TRACE(begin);
    auto a = open();
    auto b = open();
    run(*a, "DROP TABLE IF EXISTS t; CREATE TABLE t(a int); INSERT INTO t VALUES (1)");
    // One string per call: a SET of the default inside the transaction it would govern counts
    // from the next transaction on (as in PostgreSQL).
    size_t from = 0;
    while (from < begin.size()) {
      size_t end = begin.find("; ", from);
      if (end == std::string::npos) end = begin.size();
      EXPECT_TRUE(run(*b, begin.substr(from, end - from)).errors.empty());
      from = end + 2;
    }
    // Not at BEGIN: this commit comes before the first statement.
    run(*a, "INSERT INTO t VALUES (2)");
    EXPECT_EQ(run(*b, "SELECT count(*) FROM t").rows, (Strings{"2"}));
    run(*a, "INSERT INTO t VALUES (3)");
    run(*a, "CREATE TABLE later(x int)");
    EXPECT_EQ(run(*b, "SELECT count(*) FROM t").rows, (Strings{"2"}));
    EXPECT_EQ(run(*b, "SELECT * FROM later").errors, (Strings{"42P01"}));
    run(*b, "COMMIT");
    EXPECT_EQ(run(*b, "SELECT count(*) FROM t").rows, (Strings{"3"}));
    run(*a, "DROP TABLE later");
  }
}

TEST_F(ReadCommittedTest, ConcurrentIncrementsBothSucceed) {
  auto a = open();
  auto b = open();
  run(*a, "CREATE TABLE t(id int, c int); INSERT INTO t VALUES (1, 0), (2, 0)");
  // In autocommit.
  auto blocked = race(*a, "UPDATE t SET c = c + 1 WHERE id = 1", *b, "UPDATE t SET c = c + 1 WHERE id = 1");
  EXPECT_TRUE(blocked.errors.empty()) << blocked.messages[0];
  EXPECT_EQ(blocked.tags, (Strings{"UPDATE 1"}));
  EXPECT_EQ(run(*a, "SELECT c FROM t WHERE id = 1").rows, (Strings{"2"}));
  // In a block, which stays usable.
  blocked = race(*a, "UPDATE t SET c = c + 1 WHERE id = 1", *b, "BEGIN; UPDATE t SET c = c + 10 WHERE id = 1");
  EXPECT_TRUE(blocked.errors.empty()) << blocked.messages[0];
  EXPECT_EQ(blocked.tags, (Strings{"BEGIN", "UPDATE 1"}));
  EXPECT_EQ(b->transaction_status(), pgwire::TransactionStatus::kInBlock);
  EXPECT_EQ(run(*b, "SELECT c FROM t WHERE id = 1").rows, (Strings{"13"}));
  run(*b, "COMMIT");
  EXPECT_EQ(run(*a, "SELECT id, c FROM t ORDER BY id").rows, (Strings{"1|13", "2|0"}));
}

TEST_F(ReadCommittedTest, AStatementRunsAgainWithoutItsFirstChangesAndReturnsItsRowsOnce) {
  auto a = open();
  auto b = open();
  run(*a, "CREATE TABLE t(id int, c int); INSERT INTO t SELECT g, 0 FROM generate_series(1, 5000) g");
  // b changes 4999 rows before it meets the one a changed; the rerun changes each once.
  auto blocked = race(*a, "UPDATE t SET c = 100 WHERE id = 4000", *b, "UPDATE t SET c = c + 1 RETURNING id, c");
  ASSERT_TRUE(blocked.errors.empty()) << blocked.messages[0];
  EXPECT_EQ(blocked.tags, (Strings{"UPDATE 5000"}));
  EXPECT_EQ(blocked.rows.size(), 5000u);
  std::sort(blocked.rows.begin(), blocked.rows.end());
  EXPECT_EQ(std::adjacent_find(blocked.rows.begin(), blocked.rows.end()), blocked.rows.end());
  EXPECT_NE(std::find(blocked.rows.begin(), blocked.rows.end(), "4000|101"), blocked.rows.end());
  EXPECT_EQ(run(*a, "SELECT count(*), sum(c) FROM t").rows, (Strings{"5000|5100"}));
  // Earlier statements of the block keep their changes.
  blocked = race(*a, "UPDATE t SET c = 0 WHERE id = 1", *b,
                 "BEGIN; INSERT INTO t VALUES (0, 0); UPDATE t SET c = -1 WHERE id <= 1 RETURNING id");
  ASSERT_TRUE(blocked.errors.empty()) << blocked.messages[0];
  std::sort(blocked.rows.begin(), blocked.rows.end());
  EXPECT_EQ(blocked.rows, (Strings{"0", "1"}));
  run(*b, "COMMIT");
  EXPECT_EQ(run(*a, "SELECT id, c FROM t WHERE id <= 1 ORDER BY id").rows, (Strings{"0|-1", "1|-1"}));
  EXPECT_EQ(run(*a, "SELECT count(*) FROM t").rows, (Strings{"5001"}));
}

TEST_F(ReadCommittedTest, DeleteRacingUpdate) {
  auto a = open();
  auto b = open();
  run(*a, "CREATE TABLE t(id int, c int); INSERT INTO t VALUES (1, 5), (2, 5)");
  // The row the UPDATE wanted is gone: it changes nothing.
  auto blocked = race(*a, "DELETE FROM t WHERE id = 1", *b, "UPDATE t SET c = c + 1 WHERE id = 1");
  EXPECT_TRUE(blocked.errors.empty()) << blocked.messages[0];
  EXPECT_EQ(blocked.tags, (Strings{"UPDATE 0"}));
  blocked = race(*a, "DELETE FROM t WHERE id = 2", *b, "DELETE FROM t WHERE id = 2");
  EXPECT_TRUE(blocked.errors.empty()) << blocked.messages[0];
  EXPECT_EQ(blocked.tags, (Strings{"DELETE 0"}));
  // A DELETE after an UPDATE deletes the new version when it still matches.
  run(*a, "INSERT INTO t VALUES (3, 5)");
  blocked = race(*a, "UPDATE t SET c = 6 WHERE id = 3", *b, "DELETE FROM t WHERE id = 3 RETURNING c");
  EXPECT_EQ(blocked.tags, (Strings{"DELETE 1"}));
  EXPECT_EQ(blocked.rows, (Strings{"6"}));
  EXPECT_EQ(run(*a, "SELECT count(*) FROM t").rows, (Strings{"0"}));
}

TEST_F(ReadCommittedTest, TheWhereClauseIsCheckedAgainstTheNewestVersion) {
  auto a = open();
  auto b = open();
  run(*a, "CREATE TABLE t(id int, c int); INSERT INTO t VALUES (1, 5)");
  auto blocked = race(*a, "UPDATE t SET c = 6 WHERE id = 1", *b, "UPDATE t SET c = 50 WHERE c = 5");
  EXPECT_TRUE(blocked.errors.empty()) << blocked.messages[0];
  EXPECT_EQ(blocked.tags, (Strings{"UPDATE 0"}));
  EXPECT_EQ(run(*a, "SELECT c FROM t").rows, (Strings{"6"}));
  blocked = race(*a, "UPDATE t SET c = 7 WHERE id = 1", *b, "UPDATE t SET c = c * 10 WHERE c >= 6");
  EXPECT_EQ(blocked.tags, (Strings{"UPDATE 1"}));
  EXPECT_EQ(run(*a, "SELECT c FROM t").rows, (Strings{"70"}));
  // A rolled-back change is no conflict at all.
  blocked = race(*a, "UPDATE t SET c = 1", *b, "UPDATE t SET c = c + 1 WHERE c = 70", "ROLLBACK");
  EXPECT_EQ(blocked.tags, (Strings{"UPDATE 1"}));
  EXPECT_EQ(run(*a, "SELECT c FROM t").rows, (Strings{"71"}));
}

TEST_F(ReadCommittedTest, OnConflictRacingAnInsertOfTheKey) {
  auto a = open();
  auto b = open();
  run(*a, "CREATE TABLE t(k int PRIMARY KEY, v text)");
  auto blocked = race(*a, "INSERT INTO t VALUES (1, 'a')", *b, "INSERT INTO t VALUES (1, 'b') ON CONFLICT DO NOTHING");
  EXPECT_TRUE(blocked.errors.empty()) << blocked.messages[0];
  EXPECT_EQ(blocked.tags, (Strings{"INSERT 0 0"}));
  blocked = race(*a, "INSERT INTO t VALUES (2, 'a')", *b,
                 "INSERT INTO t VALUES (2, 'b') ON CONFLICT (k) DO UPDATE SET v = t.v || excluded.v RETURNING v");
  EXPECT_TRUE(blocked.errors.empty()) << blocked.messages[0];
  EXPECT_EQ(blocked.tags, (Strings{"INSERT 0 1"}));
  EXPECT_EQ(blocked.rows, (Strings{"ab"}));
  // Racing an update of the existing row: the newest version is updated.
  blocked = race(*a, "UPDATE t SET v = 'x' WHERE k = 1", *b,
                 "INSERT INTO t VALUES (1, 'y') ON CONFLICT (k) DO UPDATE SET v = t.v || excluded.v");
  EXPECT_TRUE(blocked.errors.empty()) << blocked.messages[0];
  EXPECT_EQ(run(*a, "SELECT k, v FROM t ORDER BY k").rows, (Strings{"1|xy", "2|ab"}));
  // Racing a delete of it: the row is inserted.
  blocked = race(*a, "DELETE FROM t WHERE k = 2", *b,
                 "INSERT INTO t VALUES (2, 'new') ON CONFLICT (k) DO UPDATE SET v = 'updated'");
  EXPECT_TRUE(blocked.errors.empty()) << blocked.messages[0];
  EXPECT_EQ(run(*a, "SELECT k, v FROM t ORDER BY k").rows, (Strings{"1|xy", "2|new"}));
  // Without ON CONFLICT the committed key is a unique violation, as in PostgreSQL.
  blocked = race(*a, "INSERT INTO t VALUES (3, 'a')", *b, "INSERT INTO t VALUES (3, 'b')");
  EXPECT_EQ(blocked.errors, (Strings{"23505"}));
}

TEST_F(ReadCommittedTest, RepeatableReadAndSerializableStillFailWith40001) {
  for (const std::string level : {"REPEATABLE READ", "SERIALIZABLE"}) {
    SCOPED_TRACE(level);
    auto a = open();
    auto b = open();
    run(*a, "DROP TABLE IF EXISTS t; CREATE TABLE t(id int PRIMARY KEY, c int); INSERT INTO t VALUES (1, 0)");
    auto blocked = race(*a, "UPDATE t SET c = c + 1 WHERE id = 1", *b,
                        "BEGIN ISOLATION LEVEL " + level + "; UPDATE t SET c = c + 1 WHERE id = 1");
    EXPECT_EQ(blocked.errors, (Strings{"40001"}));
    EXPECT_EQ(blocked.messages, (Strings{"could not serialize access due to concurrent update"}));
    EXPECT_EQ(b->transaction_status(), pgwire::TransactionStatus::kFailed);
    run(*b, "ROLLBACK");
    // default_transaction_isolation counts from the next transaction on.
    run(*b, "SET default_transaction_isolation = '" + level + "'");
    blocked = race(*a, "DELETE FROM t WHERE id = 1", *b, "DELETE FROM t WHERE id = 1");
    EXPECT_EQ(blocked.errors, (Strings{"40001"}));
    run(*a, "INSERT INTO t VALUES (1, 0)");
    run(*b, "BEGIN; SELECT 1");
    run(*a, "INSERT INTO t VALUES (2, 0)");
    EXPECT_EQ(run(*b, "INSERT INTO t VALUES (2, 5) ON CONFLICT DO NOTHING").errors, (Strings{"40001"}));
    run(*b, "ROLLBACK");
    EXPECT_EQ(run(*b, "INSERT INTO t VALUES (2, 5) ON CONFLICT DO NOTHING").tags, (Strings{"INSERT 0 0"}));
    run(*b, "RESET default_transaction_isolation");
    EXPECT_EQ(run(*b, "SHOW transaction_isolation").rows, (Strings{"read committed"}));
  }
}

TEST_F(ReadCommittedTest, PreparedStatementsRunAgainToo) {
  auto a = open();
  auto b = open();
  run(*a, "CREATE TABLE t(id int, c int); INSERT INTO t VALUES (1, 0), (2, 0)");
  run(*a, "BEGIN; UPDATE t SET c = c + 1 WHERE id = 1");
  Collector blocked;
  std::optional<SqlError> error;
  std::thread thread([&] {
    try {
      auto prepared = b->prepare("UPDATE t SET c = c + $1 WHERE id <= 2 RETURNING id, c");
      auto portal = b->bind(*prepared, {std::string("10")});
      b->execute(*portal, 0, blocked);
    } catch (const SqlError& e) {
      error = e;
    }
  });
  wait_for_lock_waiters(1);
  run(*a, "COMMIT");
  thread.join();
  ASSERT_FALSE(error) << error->message();
  std::sort(blocked.rows.begin(), blocked.rows.end());
  EXPECT_EQ(blocked.rows, (Strings{"1|11", "2|10"}));
  EXPECT_EQ(blocked.tags, (Strings{"UPDATE 2"}));
}

TEST_F(ReadCommittedTest, TheOldestSnapshotFollowsRefreshedSnapshots) {
  auto a = open();
  auto b = open();
  run(*a, "CREATE TABLE t(a int); INSERT INTO t VALUES (1)");
  run(*b, "BEGIN; SELECT count(*) FROM t");
  const uint64_t first = db_.transactions().oldest_active_start_ts();
  run(*a, "INSERT INTO t VALUES (2)");
  run(*a, "DROP TABLE t");
  EXPECT_EQ(db_.transactions().oldest_active_start_ts(), first) << "b's snapshot holds the oldest start";
  EXPECT_EQ(db_.catalog().version_count("t"), 1u) << "b's snapshot still sees the table";
  // b's next statement takes a new snapshot: the old one no longer holds anything back, and
  // the next commit collects the dropped table while b's block is still open.
  EXPECT_EQ(run(*b, "SELECT 1").rows, (Strings{"1"}));
  EXPECT_EQ(db_.transactions().oldest_active_start_ts(), db_.transactions().last_commit_ts());
  EXPECT_GT(db_.transactions().oldest_active_start_ts(), first);
  run(*a, "CREATE TABLE other(a int)");
  EXPECT_EQ(db_.catalog().version_count("t"), 0u);
  EXPECT_EQ(b->transaction_status(), pgwire::TransactionStatus::kInBlock);
  run(*b, "COMMIT");
}

TEST_F(ReadCommittedTest, AFailedSetTransactionAbortsTheBlock) {
  auto s = open();
  run(*s, "BEGIN; SELECT 1");
  auto c = run(*s, "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE");
  EXPECT_EQ(c.errors, (Strings{"25001"}));
  EXPECT_EQ(c.messages, (Strings{"SET TRANSACTION ISOLATION LEVEL must be called before any query"}));
  EXPECT_EQ(s->transaction_status(), pgwire::TransactionStatus::kFailed);
  run(*s, "ROLLBACK");
  c = run(*s, "SET default_transaction_isolation = 'snapshot'");
  EXPECT_EQ(c.errors, (Strings{"22023"}));
  EXPECT_EQ(c.messages, (Strings{"invalid value for parameter \"default_transaction_isolation\": \"snapshot\""}));
}

TEST_F(ReadCommittedTest, SetTransactionOutsideABlockWarns) {
  auto s = open();
  EXPECT_EQ(run(*s, "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE").notices,
            (Strings{"SET TRANSACTION can only be used in transaction blocks"}));
  EXPECT_EQ(run(*s, "RESET transaction_isolation").notices,
            (Strings{"RESET TRANSACTION can only be used in transaction blocks"}));
  EXPECT_EQ(run(*s, "SET transaction_isolation TO DEFAULT").notices,
            (Strings{"RESET TRANSACTION can only be used in transaction blocks"}));
  EXPECT_TRUE(run(*s, "SET transaction_isolation = 'serializable'").notices.empty());
  EXPECT_TRUE(run(*s, "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED").notices.empty());
  EXPECT_TRUE(run(*s, "BEGIN; SET TRANSACTION ISOLATION LEVEL SERIALIZABLE; COMMIT").notices.empty());
  EXPECT_TRUE(run(*s, "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE; SELECT 1").notices.empty())
      << "an implicit block is a transaction block";
}

// Several sessions add one to a counter many times, in autocommit and in blocks: every
// acknowledged update is counted once.
TEST(ReadCommittedStressTest, CounterIncrements) {
  constexpr int kThreads = 4;
  // Row lock waits hold a scheduler worker: with fewer workers than sessions, the waiters
  // could take them all while the transaction they wait for needs one for its next statement.
  Database db{DatabaseConfig{"./unused", kThreads + 1}};
  auto open = [&] {
    pgwire::StartupParameters params;
    params.user = "tessera";
    params.database = "tessera";
    return db.open_session(params);
  };
  auto run = [](pgwire::BackendSession& session, const std::string& sql) {
    Collector c;
    session.execute_simple(sql, c);
    return c;
  };
  {
    auto setup = open();
    run(*setup, "CREATE TABLE counter(id int PRIMARY KEY, n bigint); INSERT INTO counter VALUES (1, 0), (2, 0)");
  }
  constexpr int kRounds = 150;
  std::atomic<int> acknowledged{0};
  std::atomic<int> acknowledged_blocks{0};
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; t++) {
    threads.emplace_back([&, t] {
      auto session = open();
      for (int i = 0; i < kRounds; i++) {
        if ((i + t) % 2 == 0) {
          const Collector c = run(*session, "UPDATE counter SET n = n + 1 WHERE id = 1");
          if (c.errors.empty() && c.tags == Strings{"UPDATE 1"}) {
            acknowledged++;
          } else {
            errors++;
          }
        } else {
          // Both rows in one block, in the same order everywhere (no deadlocks).
          const Collector c = run(*session,
                                  "BEGIN; UPDATE counter SET n = n + 1 WHERE id = 1; SELECT n FROM counter WHERE id = 2; "
                                  "UPDATE counter SET n = n + 1 WHERE id = 2; COMMIT");
          if (c.errors.empty() && c.tags.size() == 5 && c.tags.back() == "COMMIT") {
            acknowledged++;
            acknowledged_blocks++;
          } else {
            errors++;
            run(*session, "ROLLBACK");
          }
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(acknowledged.load(), kThreads * kRounds);
  auto check = open();
  EXPECT_EQ(run(*check, "SELECT n FROM counter ORDER BY id").rows,
            (Strings{std::to_string(acknowledged.load()), std::to_string(acknowledged_blocks.load())}));
}

}  // namespace
}  // namespace tessera
