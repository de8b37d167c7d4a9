#include "src/main/session.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <new>
#include <stdexcept>
#include <thread>

#include "catalog/catalog.h"
#include "src/common/sql_error.h"
#include "src/main/database.h"
#include "storage/transaction_manager.h"

namespace tessera {
namespace {

/// Collects what a session reports, one entry per statement.
class Collector : public ResultReceiver {
 public:
  void on_columns(const std::vector<ResultColumn>& columns) override { columns_ = columns; }
  void on_chunk(const DataChunk& chunk) override {
    for (size_t r = 0; r < chunk.size(); r++) {
      std::string row;
      for (size_t c = 0; c < chunk.column_count(); c++) {
        if (c) row += "|";
        row += chunk.get_value(c, r).to_string();
      }
      rows.push_back(row);
    }
  }
  void on_complete(std::string_view tag) override { tags.emplace_back(tag); }
  void on_empty_query() override { tags.emplace_back("EMPTY"); }
  void on_error(const SqlError& error) override {
    errors.emplace_back(sqlstate_code(error.state()));
    messages.push_back(error.message());
  }
  void on_notice(std::string_view sqlstate, std::string_view message, std::string_view detail) override {
    notices.emplace_back(message);
  }

  std::vector<ResultColumn> columns_;
  std::vector<std::string> rows, tags, errors, messages, notices;
};

class SessionTest : public ::testing::Test {
 protected:
  std::unique_ptr<pgwire::BackendSession> open() {
    pgwire::StartupParameters params;
    params.user = "tessera";
    params.database = "tessera";
    return db_.open_session(params);
  }

  static Collector run(pgwire::BackendSession& session, const std::string& sql) {
    Collector c;
    session.execute_simple(sql, c);
    return c;
  }

  Database db_{DatabaseConfig{"./unused", 2}};
};

TEST_F(SessionTest, AcceptanceQueryAndTags) {
  auto s = open();
  auto c = run(*s, "CREATE TABLE t(a int, b text); INSERT INTO t VALUES (1,'x'),(2,'y'),(3,'x'); "
                   "SELECT b, count(*), sum(a) FROM t WHERE a > 0 GROUP BY b ORDER BY b");
  EXPECT_TRUE(c.errors.empty());
  EXPECT_EQ(c.tags, (std::vector<std::string>{"CREATE TABLE", "INSERT 0 3", "SELECT 2"}));
  EXPECT_EQ(c.rows, (std::vector<std::string>{"x|2|4", "y|1|2"}));
  ASSERT_EQ(c.columns_.size(), 3u);
  EXPECT_EQ(c.columns_[1].name, "count");
  EXPECT_EQ(c.columns_[1].type, LogicalType::bigint());
}

TEST_F(SessionTest, EmptyQuery) {
  auto s = open();
  EXPECT_EQ(run(*s, " ; -- nothing").tags, (std::vector<std::string>{"EMPTY"}));
}

TEST_F(SessionTest, InsertsAreVisibleToOthersOnlyAfterCommit) {
  auto writer = open();
  auto reader = open();
  run(*writer, "CREATE TABLE t(a int)");
  run(*writer, "BEGIN");
  EXPECT_EQ(writer->transaction_status(), pgwire::TransactionStatus::kInBlock);
  run(*writer, "INSERT INTO t VALUES (1), (2)");
  EXPECT_EQ(run(*writer, "SELECT count(*) FROM t").rows, (std::vector<std::string>{"2"}));
  EXPECT_EQ(run(*reader, "SELECT count(*) FROM t").rows, (std::vector<std::string>{"0"}));
  run(*writer, "COMMIT");
  EXPECT_EQ(writer->transaction_status(), pgwire::TransactionStatus::kIdle);
  EXPECT_EQ(run(*reader, "SELECT count(*) FROM t").rows, (std::vector<std::string>{"2"}));
}

TEST_F(SessionTest, RollbackDiscardsInserts) {
  auto s = open();
  run(*s, "CREATE TABLE t(a int)");
  run(*s, "BEGIN; INSERT INTO t VALUES (1); ROLLBACK");
  EXPECT_EQ(run(*s, "SELECT count(*) FROM t").rows, (std::vector<std::string>{"0"}));
}

TEST_F(SessionTest, RollbackUndoesCreateTable) {
  auto s = open();
  run(*s, "BEGIN");
  run(*s, "CREATE TABLE t(a int)");
  run(*s, "ROLLBACK");
  EXPECT_EQ(run(*s, "SELECT * FROM t").errors, (std::vector<std::string>{"42P01"}));
}

TEST_F(SessionTest, FailedStatementAbortsTheBlockUntilRollback) {
  auto s = open();
  run(*s, "CREATE TABLE t(a int)");
  run(*s, "BEGIN");
  run(*s, "INSERT INTO t VALUES (1)");
  EXPECT_EQ(run(*s, "SELECT 1/0").errors, (std::vector<std::string>{"22012"}));
  EXPECT_EQ(s->transaction_status(), pgwire::TransactionStatus::kFailed);
  EXPECT_EQ(run(*s, "SELECT 1").errors, (std::vector<std::string>{"25P02"}));
  auto commit = run(*s, "COMMIT");
  EXPECT_EQ(commit.tags, (std::vector<std::string>{"ROLLBACK"}));
  EXPECT_EQ(s->transaction_status(), pgwire::TransactionStatus::kIdle);
  EXPECT_EQ(run(*s, "SELECT count(*) FROM t").rows, (std::vector<std::string>{"0"}));
}

TEST_F(SessionTest, FailedStatementOutsideABlockKeepsEarlierCommits) {
  auto s = open();
  run(*s, "CREATE TABLE t(a int NOT NULL)");
  run(*s, "INSERT INTO t VALUES (1)");
  EXPECT_EQ(run(*s, "INSERT INTO t VALUES (2), (NULL)").errors, (std::vector<std::string>{"23502"}));
  EXPECT_EQ(run(*s, "SELECT count(*) FROM t").rows, (std::vector<std::string>{"1"}));
  EXPECT_EQ(s->transaction_status(), pgwire::TransactionStatus::kIdle);
}

TEST_F(SessionTest, MultiStatementStringIsOneTransaction) {
  auto s = open();
  run(*s, "CREATE TABLE t(a int)");
  auto c = run(*s, "INSERT INTO t VALUES (1); SELECT 1/0; INSERT INTO t VALUES (2)");
  EXPECT_EQ(c.tags, (std::vector<std::string>{"INSERT 0 1"}));
  EXPECT_EQ(c.errors, (std::vector<std::string>{"22012"}));
  EXPECT_EQ(run(*s, "SELECT count(*) FROM t").rows, (std::vector<std::string>{"0"}));
}

TEST_F(SessionTest, InsertSelectFromTheSameTableTerminates) {
  auto s = open();
  run(*s, "CREATE TABLE t(a int); INSERT INTO t VALUES (1), (2)");
  run(*s, "INSERT INTO t SELECT a + 10 FROM t");
  run(*s, "INSERT INTO t SELECT a + 100 FROM t");
  EXPECT_EQ(run(*s, "SELECT count(*), sum(a) FROM t").rows, (std::vector<std::string>{"8|452"}));
}

TEST_F(SessionTest, SetAndShow) {
  auto s = open();
  run(*s, "SET application_name = 'bench'");
  EXPECT_EQ(run(*s, "SHOW application_name").rows, (std::vector<std::string>{"bench"}));
  EXPECT_EQ(run(*s, "SHOW nosuch").errors, (std::vector<std::string>{"42704"}));
  EXPECT_EQ(run(*s, "SET nosuch = 1").errors, (std::vector<std::string>{"42704"}));
}

TEST_F(SessionTest, ExplainShowsPlanAndPipelines) {
  auto s = open();
  run(*s, "CREATE TABLE t(a int, b int); CREATE TABLE u(a int)");
  auto c = run(*s, "EXPLAIN SELECT t.b, count(*) FROM t JOIN u ON t.a = u.a WHERE t.b > 1 GROUP BY t.b ORDER BY 1");
  ASSERT_TRUE(c.errors.empty()) << c.messages[0];
  std::string text;
  for (const auto& r : c.rows) text += r + "\n";
  EXPECT_NE(text.find("HASH_JOIN"), std::string::npos) << text;
  EXPECT_NE(text.find("HASH_AGGREGATE"), std::string::npos) << text;
  EXPECT_NE(text.find("TABLE_SCAN t  (rows=0)\n                          Table Filters: b > 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Pipelines:"), std::string::npos) << text;
  // Nothing ran: EXPLAIN of an INSERT inserts nothing.
  run(*s, "EXPLAIN INSERT INTO u VALUES (1)");
  EXPECT_EQ(run(*s, "SELECT count(*) FROM u").rows, (std::vector<std::string>{"0"}));
}

TEST_F(SessionTest, ConcurrentWritersAndReadersSeeWholeTransactions) {
  auto setup = open();
  run(*setup, "CREATE TABLE t(w int, v int)");
  constexpr int kWriters = 3, kBatches = 20, kBatchRows = 50;
  std::atomic<bool> bad_read{false};
  std::atomic<int> writers_done{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; w++) {
    threads.emplace_back([&, w] {
      auto s = open();
      for (int b = 0; b < kBatches; b++) {
        std::string values;
        for (int i = 0; i < kBatchRows; i++) values += (i ? ",(" : "(") + std::to_string(w) + "," + std::to_string(i) + ")";
        // Every other batch rolls back: its rows must never be seen.
        run(*s, "BEGIN; INSERT INTO t VALUES " + values + (b % 2 ? "; ROLLBACK" : "; COMMIT"));
      }
      writers_done++;
    });
  }
  threads.emplace_back([&] {
    auto s = open();
    // Read while the writers run, and at least a few times even if they finish first.
    for (int reads = 0; reads < 5 || writers_done.load() < kWriters; reads++) {
      auto c = run(*s, "SELECT count(*), count(DISTINCT w) FROM t");
      if (!c.errors.empty() || c.rows.size() != 1) {
        bad_read = true;
        break;
      }
      long rows = std::stol(c.rows[0].substr(0, c.rows[0].find('|')));
      if (rows % kBatchRows != 0) bad_read = true;
    }
  });
  for (auto& t : threads) t.join();
  EXPECT_FALSE(bad_read.load());
  auto final_count = run(*setup, "SELECT w, count(*), sum(v) FROM t GROUP BY w ORDER BY w");
  std::vector<std::string> expected;
  for (int w = 0; w < kWriters; w++) {
    expected.push_back(std::to_string(w) + "|" + std::to_string(kBatches / 2 * kBatchRows) + "|" +
                       std::to_string(kBatches / 2 * (kBatchRows * (kBatchRows - 1) / 2)));
  }
  EXPECT_EQ(final_count.rows, expected);
}

TEST_F(SessionTest, DeepNestingFailsCleanlyAndLongOrChainsWork) {
  auto s = open();
  const int n = 100000;
  std::string parens = "SELECT " + std::string(n, '(') + "1" + std::string(n, ')');
  EXPECT_EQ(run(*s, parens).errors, (std::vector<std::string>{"54001"}));
  std::string sum = "SELECT 1";
  for (int i = 0; i < n; i++) sum += " + 1";
  EXPECT_EQ(run(*s, sum).errors, (std::vector<std::string>{"54001"}));
  std::string nested = "SELECT ";
  for (int i = 0; i < 3000; i++) nested += "(SELECT ";
  nested += "1" + std::string(3000, ')');
  EXPECT_EQ(run(*s, nested).errors, (std::vector<std::string>{"54001"}));
  std::string ors = "SELECT count(*) FROM (VALUES (1), (5000)) v(x) WHERE x = -1";
  for (int i = 0; i < 10000; i++) ors += " OR x = " + std::to_string(i);
  EXPECT_EQ(run(*s, ors).rows, (std::vector<std::string>{"2"}));
  EXPECT_EQ(run(*s, "SELECT 1").rows, (std::vector<std::string>{"1"}));
}

TEST_F(SessionTest, CancelStopsALongJoin) {
  auto s = open();
  run(*s, "CREATE TABLE big(a int); INSERT INTO big VALUES (1),(2),(3),(4),(5),(6),(7),(8),(9),(10)");
  for (int i = 0; i < 7; i++) run(*s, "INSERT INTO big SELECT a + " + std::to_string(10 << i) + " FROM big");
  // About two billion join comparisons: minutes of work unless the cancel stops it.
  std::atomic<bool> finished{false};
  std::thread canceller([&] {
    while (!finished.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      s->cancel();
    }
  });
  auto c = run(*s, "SELECT count(*) FROM big x, big y, big z WHERE x.a + y.a > z.a");
  finished = true;
  canceller.join();
  EXPECT_EQ(c.errors, (std::vector<std::string>{"57014"}));
  EXPECT_EQ(run(*s, "SELECT count(*) FROM big").rows, (std::vector<std::string>{"1280"}));
}

TEST_F(SessionTest, UnknownDatabaseAndRoleAreRefused) {
  pgwire::StartupParameters params;
  params.user = "tessera";
  params.database = "other";
  try {
    db_.open_session(params);
    FAIL() << "expected 3D000";
  } catch (const SqlError& e) {
    EXPECT_EQ(sqlstate_code(e.state()), "3D000");
  }
  params.database = "tessera";
  params.user = "mallory";
  EXPECT_THROW(db_.open_session(params), SqlError);
}

// ---- Transactional DDL ------------------------------------------------------------------------

/// Waits until `n` transactions wait for a lock (no time limit: the test runner's timeout
/// catches a hang).
void wait_for_lock_waiters(Database& db, size_t n) {
  while (db.transactions().locks().waiting_count() < n) std::this_thread::yield();
}

TEST_F(SessionTest, UncommittedCreateTableIsInvisibleToOtherSessions) {
  auto a = open();
  auto b = open();
  run(*a, "BEGIN; CREATE TABLE t(a int); INSERT INTO t VALUES (1)");
  EXPECT_EQ(run(*a, "SELECT count(*) FROM t").rows, (std::vector<std::string>{"1"}));
  EXPECT_EQ(run(*b, "SELECT count(*) FROM t").errors, (std::vector<std::string>{"42P01"}));
  run(*a, "COMMIT");
  EXPECT_EQ(run(*b, "SELECT count(*) FROM t").rows, (std::vector<std::string>{"1"}));

  run(*a, "BEGIN; CREATE TABLE u(a int)");
  EXPECT_EQ(run(*b, "SELECT * FROM u").errors, (std::vector<std::string>{"42P01"}));
  run(*a, "ROLLBACK");
  EXPECT_EQ(run(*b, "SELECT * FROM u").errors, (std::vector<std::string>{"42P01"}));
  EXPECT_EQ(run(*a, "SELECT * FROM u").errors, (std::vector<std::string>{"42P01"}));
  EXPECT_EQ(db_.catalog().version_count("u"), 0u);
}

TEST_F(SessionTest, DropInAnOpenTransactionKeepsTheTableForOthersUntilCommit) {
  auto a = open();
  auto b = open();
  auto old = open();
  run(*a, "CREATE TABLE t(a int); INSERT INTO t VALUES (1), (2)");
  run(*old, "BEGIN");
  EXPECT_EQ(run(*old, "SELECT count(*) FROM t").rows, (std::vector<std::string>{"2"}));
  EXPECT_EQ(run(*a, "BEGIN; DROP TABLE t").errors, (std::vector<std::string>{}));
  EXPECT_EQ(run(*b, "SELECT count(*), sum(a) FROM t").rows, (std::vector<std::string>{"2|3"}));
  run(*a, "COMMIT");
  EXPECT_EQ(run(*b, "SELECT count(*) FROM t").errors, (std::vector<std::string>{"42P01"}));
  // A snapshot taken before the drop committed still reads the table's storage.
  EXPECT_EQ(run(*old, "SELECT sum(a) FROM t").rows, (std::vector<std::string>{"3"}));
  EXPECT_EQ(db_.catalog().version_count("t"), 1u);
  run(*old, "COMMIT");
  EXPECT_EQ(db_.catalog().version_count("t"), 0u) << "collected once no snapshot needs it";
}

TEST_F(SessionTest, CreateOrReplaceViewIsInvisibleToOthersUntilCommit) {
  auto a = open();
  auto b = open();
  run(*a, "CREATE TABLE t(a int); INSERT INTO t VALUES (1), (2), (3); CREATE VIEW v AS SELECT a FROM t WHERE a > 1");
  run(*a, "BEGIN; CREATE OR REPLACE VIEW v AS SELECT a FROM t WHERE a > 2");
  EXPECT_EQ(run(*a, "SELECT count(*) FROM v").rows, (std::vector<std::string>{"1"}));
  EXPECT_EQ(run(*b, "SELECT count(*) FROM v").rows, (std::vector<std::string>{"2"}));
  run(*a, "ROLLBACK");
  EXPECT_EQ(run(*a, "SELECT count(*) FROM v").rows, (std::vector<std::string>{"2"}));
  run(*a, "BEGIN; CREATE OR REPLACE VIEW v AS SELECT a FROM t WHERE a > 2");
  EXPECT_EQ(run(*b, "SELECT count(*) FROM v").rows, (std::vector<std::string>{"2"}));
  run(*a, "COMMIT");
  EXPECT_EQ(run(*b, "SELECT count(*) FROM v").rows, (std::vector<std::string>{"1"}));
}

TEST_F(SessionTest, ConcurrentDdlOnTheSameNameWaitsForTheFirstTransaction) {
  auto a = open();
  auto b = open();
  // CREATE, then the first commits: the second fails as PostgreSQL does.
  run(*a, "BEGIN; CREATE TABLE t(a int)");
  Collector second;
  std::thread t1([&] { second = run(*b, "CREATE TABLE t(b text)"); });
  wait_for_lock_waiters(db_, 1);
  run(*a, "COMMIT");
  t1.join();
  EXPECT_EQ(second.errors, (std::vector<std::string>{"42P07"}));
  EXPECT_EQ(second.messages, (std::vector<std::string>{"relation \"t\" already exists"}));

  // CREATE, then the first rolls back: the second succeeds.
  run(*a, "BEGIN; CREATE TABLE u(a int)");
  std::thread t2([&] { second = run(*b, "CREATE TABLE u(b text)"); });
  wait_for_lock_waiters(db_, 1);
  run(*a, "ROLLBACK");
  t2.join();
  EXPECT_TRUE(second.errors.empty());
  EXPECT_EQ(second.tags, (std::vector<std::string>{"CREATE TABLE"}));
  EXPECT_EQ(run(*a, "SELECT b FROM u").errors, (std::vector<std::string>{}));

  // DROP, then the first commits: the second's DROP fails with 42P01.
  run(*a, "BEGIN; DROP TABLE t");
  std::thread t3([&] { second = run(*b, "DROP TABLE t"); });
  wait_for_lock_waiters(db_, 1);
  run(*a, "COMMIT");
  t3.join();
  EXPECT_EQ(second.errors, (std::vector<std::string>{"42P01"}));
  EXPECT_EQ(second.messages, (std::vector<std::string>{"table \"t\" does not exist"}));
}

TEST_F(SessionTest, InsertWaitsForAPendingDrop) {
  auto a = open();
  auto b = open();
  run(*a, "CREATE TABLE t(a int)");
  run(*a, "BEGIN; DROP TABLE t");
  Collector insert;
  std::thread t1([&] { insert = run(*b, "INSERT INTO t VALUES (1)"); });
  wait_for_lock_waiters(db_, 1);
  run(*a, "ROLLBACK");
  t1.join();
  EXPECT_EQ(insert.tags, (std::vector<std::string>{"INSERT 0 1"}));

  run(*a, "BEGIN; DROP TABLE t");
  std::thread t2([&] { insert = run(*b, "INSERT INTO t VALUES (2)"); });
  wait_for_lock_waiters(db_, 1);
  run(*a, "COMMIT");
  t2.join();
  EXPECT_EQ(insert.errors, (std::vector<std::string>{"42P01"}));
  EXPECT_EQ(insert.messages, (std::vector<std::string>{"relation \"t\" does not exist"}));
}

TEST_F(SessionTest, CancelStopsAWaitForALock) {
  auto a = open();
  auto b = open();
  run(*a, "BEGIN; CREATE TABLE t(a int)");
  Collector waiting;
  std::thread t([&] { waiting = run(*b, "CREATE TABLE t(a int)"); });
  wait_for_lock_waiters(db_, 1);
  b->cancel();
  t.join();
  EXPECT_EQ(waiting.errors, (std::vector<std::string>{"57014"}));
  EXPECT_EQ(db_.transactions().locks().waiting_count(), 0u);
  run(*a, "COMMIT");
  EXPECT_EQ(run(*b, "SELECT count(*) FROM t").rows, (std::vector<std::string>{"0"}));
}

TEST_F(SessionTest, ADeadlockBetweenTwoDdlWaitsFailsInOneOfThem) {
  auto a = open();
  auto b = open();
  run(*a, "BEGIN; CREATE TABLE x(a int)");
  run(*b, "BEGIN; CREATE TABLE y(a int)");
  Collector first;
  std::thread t([&] { first = run(*a, "CREATE TABLE y(a int)"); });
  wait_for_lock_waiters(db_, 1);
  auto second = run(*b, "CREATE TABLE x(a int)");
  EXPECT_EQ(second.errors, (std::vector<std::string>{"40P01"}));
  EXPECT_EQ(second.messages, (std::vector<std::string>{"deadlock detected"}));
  EXPECT_EQ(b->transaction_status(), pgwire::TransactionStatus::kFailed);
  // The failed transaction is rolled back at once, releasing its locks: the other proceeds.
  t.join();
  EXPECT_EQ(first.tags, (std::vector<std::string>{"CREATE TABLE"}));
  EXPECT_EQ(run(*b, "ROLLBACK").tags, (std::vector<std::string>{"ROLLBACK"}));
  run(*a, "COMMIT");
  EXPECT_EQ(run(*b, "SELECT * FROM x, y").errors, (std::vector<std::string>{}));
}

/// Fails the commit of every transaction that wrote something while armed.
class FailingCommitHook : public storage::TransactionHook {
 public:
  enum class Failure { kNone, kRuntimeError, kBadAlloc };
  void before_commit(storage::Transaction& txn, uint64_t) override {
    if (txn.is_read_only()) return;
    switch (failure.load()) {
      case Failure::kNone: return;
      case Failure::kRuntimeError: throw std::runtime_error("injected failure");
      case Failure::kBadAlloc: throw std::bad_alloc();
    }
  }
  std::atomic<Failure> failure{Failure::kNone};
};

TEST_F(SessionTest, ExceptionsAtTheSessionBoundaryRollBackCleanly) {
  auto hook = std::make_shared<FailingCommitHook>();
  db_.transactions().add_global_hook(hook);
  auto s = open();
  auto other = open();
  run(*s, "CREATE TABLE keep(a int); INSERT INTO keep VALUES (1)");

  hook->failure = FailingCommitHook::Failure::kRuntimeError;
  auto c = run(*s, "CREATE TABLE t(a int)");
  EXPECT_EQ(c.errors, (std::vector<std::string>{"XX000"}));
  EXPECT_EQ(c.messages, (std::vector<std::string>{"injected failure"}));
  EXPECT_EQ(s->transaction_status(), pgwire::TransactionStatus::kIdle);
  EXPECT_EQ(run(*s, "INSERT INTO keep VALUES (2)").errors, (std::vector<std::string>{"XX000"}));
  c = run(*s, "CREATE TABLE t2(a int); INSERT INTO t2 VALUES (1); INSERT INTO keep VALUES (3)");
  EXPECT_EQ(c.tags, (std::vector<std::string>{"CREATE TABLE", "INSERT 0 1", "INSERT 0 1"}));
  EXPECT_EQ(c.errors, (std::vector<std::string>{"XX000"}));

  hook->failure = FailingCommitHook::Failure::kBadAlloc;
  run(*s, "BEGIN; CREATE TABLE t3 AS SELECT 1 AS a; INSERT INTO keep VALUES (4)");
  c = run(*s, "COMMIT");
  EXPECT_EQ(c.errors, (std::vector<std::string>{"53200"}));
  EXPECT_EQ(s->transaction_status(), pgwire::TransactionStatus::kIdle);

  hook->failure = FailingCommitHook::Failure::kNone;
  for (const char* name : {"t", "t2", "t3"}) {
    EXPECT_EQ(run(*other, std::string("SELECT * FROM ") + name).errors, (std::vector<std::string>{"42P01"})) << name;
    EXPECT_EQ(run(*s, std::string("SELECT * FROM ") + name).errors, (std::vector<std::string>{"42P01"})) << name;
    EXPECT_EQ(db_.catalog().version_count(name), 0u) << name;
  }
  EXPECT_EQ(run(*other, "SELECT count(*), sum(a) FROM keep").rows, (std::vector<std::string>{"1|1"}));
  EXPECT_EQ(run(*s, "CREATE TABLE t(a int); INSERT INTO t VALUES (5); SELECT a FROM t").rows,
            (std::vector<std::string>{"5"}));
  EXPECT_EQ(db_.transactions().active_count(), 0u);
}

}  // namespace
}  // namespace tessera
