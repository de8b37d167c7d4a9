#include "src/main/session.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <future>
#include <optional>
#include <chrono>
#include <new>
#include <stdexcept>
#include <thread>

#include "catalog/catalog.h"
#include "src/common/sql_error.h"
#include "src/main/database.h"
#include "storage/transaction_manager.h"
#include "test/main/session_fixture.h"
#include "test/support/sqlstate_of.h"

namespace tessera {
namespace {

using test_support::Collector;

class SessionTest : public test_support::SessionFixture {};

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
  // Row estimates are never below one row (t is empty), as PostgreSQL's.
  EXPECT_NE(text.find("TABLE_SCAN t  (rows=1)\n                          Table Filters: b > 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Pipelines:"), std::string::npos) << text;
  // Nothing ran: EXPLAIN of an INSERT inserts nothing.
  run(*s, "EXPLAIN INSERT INTO u VALUES (1)");
  EXPECT_EQ(run(*s, "SELECT count(*) FROM u").rows, (std::vector<std::string>{"0"}));
}

TEST_F(SessionTest, ExplainShowsWindowOperators) {
  auto s = open();
  run(*s, "CREATE TABLE t(a int, b int)");
  auto c = run(*s, "EXPLAIN SELECT a, rank() OVER (PARTITION BY b ORDER BY a), sum(a) OVER (ORDER BY b ROWS 2 PRECEDING) FROM t");
  ASSERT_TRUE(c.errors.empty()) << c.messages[0];
  std::string text;
  for (const auto& r : c.rows) text += r + "\n";
  // One operator per distinct PARTITION BY / ORDER BY.
  const size_t first = text.find("WINDOW");
  ASSERT_NE(first, std::string::npos) << text;
  EXPECT_NE(text.find("WINDOW", first + 1), std::string::npos) << text;
  EXPECT_NE(text.find("ROWS BETWEEN 2 PRECEDING AND CURRENT ROW"), std::string::npos) << text;
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

TEST_F(SessionTest, CancelStopsARunawayRecursiveQuery) {
  auto s = open();
  // A recursion that never ends: only the cancel stops it, as in PostgreSQL.
  std::atomic<bool> finished{false};
  std::thread canceller([&] {
    while (!finished.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      s->cancel();
    }
  });
  auto c = run(*s, "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r");
  finished = true;
  canceller.join();
  EXPECT_EQ(c.errors, (std::vector<std::string>{"57014"}));
  EXPECT_EQ(run(*s, "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT sum(n) FROM r").rows,
            (std::vector<std::string>{"15"}));
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
  run(*old, "BEGIN ISOLATION LEVEL REPEATABLE READ");
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

// ---- The engine API: prepare / bind / execute ------------------------------------------------

using test_support::sqlstate_of;

using Params = std::vector<std::optional<std::string>>;

/// Rows of one prepared statement run with `params` and max_rows 0.
Collector run_prepared(pgwire::BackendSession& session, const std::string& sql, const Params& params) {
  Collector c;
  auto prepared = session.prepare(sql);
  auto portal = session.bind(*prepared, params);
  EXPECT_EQ(session.execute(*portal, 0, c), pgwire::ExecuteResult::kComplete);
  return c;
}

TEST_F(SessionTest, PrepareReportsParameterTypesResultColumnsAndProperties) {
  auto s = open();
  run(*s, "CREATE TABLE t(a int, b text, c bigint)");
  auto select = s->prepare("SELECT a, b AS label, c + $3 FROM t WHERE a = $1 AND b = $2");
  EXPECT_EQ(select->parameter_types(),
            (std::vector<LogicalType>{LogicalType::integer(), LogicalType::varchar(), LogicalType::bigint()}));
  ASSERT_EQ(select->result_columns().size(), 3u);
  EXPECT_EQ(select->result_columns()[0].name, "a");
  EXPECT_EQ(select->result_columns()[0].type, LogicalType::integer());
  EXPECT_EQ(select->result_columns()[1].name, "label");
  EXPECT_EQ(select->result_columns()[2].name, "?column?");
  EXPECT_EQ(select->result_columns()[2].type, LogicalType::bigint());
  EXPECT_EQ(select->properties().command, CommandKind::kSelect);
  EXPECT_TRUE(select->properties().read_only);
  EXPECT_TRUE(select->properties().returns_rows);
  EXPECT_EQ(select->properties().transaction, TransactionControl::kNone);

  // Explicit casts fix a type; a parameter no context types is text.
  auto casts = s->prepare("SELECT $1::bigint, $2");
  EXPECT_EQ(casts->parameter_types(), (std::vector<LogicalType>{LogicalType::bigint(), LogicalType::varchar()}));

  auto insert = s->prepare("INSERT INTO t VALUES ($1, $2, 7)");
  EXPECT_EQ(insert->parameter_types(), (std::vector<LogicalType>{LogicalType::integer(), LogicalType::varchar()}));
  EXPECT_TRUE(insert->result_columns().empty());
  EXPECT_EQ(insert->properties().command, CommandKind::kInsert);
  EXPECT_FALSE(insert->properties().read_only);
  EXPECT_FALSE(insert->properties().returns_rows);

  EXPECT_EQ(s->prepare("BEGIN")->properties().transaction, TransactionControl::kBegin);
  EXPECT_EQ(s->prepare("ROLLBACK")->properties().transaction, TransactionControl::kRollback);
  EXPECT_EQ(s->prepare("SHOW timezone")->properties().command, CommandKind::kShow);

  EXPECT_EQ(sqlstate_of([&] { s->prepare("SELECT 1; SELECT 2"); }), "42601");
  EXPECT_EQ(sqlstate_of([&] { s->prepare("SELECT a FROM t WHERE a = $1 AND b = $1"); }), "42P08");
  EXPECT_EQ(sqlstate_of([&] { s->prepare("SELECT $0"); }), "42P02");
  // Preparing starts and ends its own transaction: the session stays idle.
  EXPECT_EQ(s->transaction_status(), pgwire::TransactionStatus::kIdle);
}

TEST_F(SessionTest, ParametersAreBoundEndToEnd) {
  auto s = open();
  run(*s, "CREATE TABLE t(a int, b text)");
  auto insert = s->prepare("INSERT INTO t VALUES ($1, $2)");
  for (int i = 1; i <= 3; i++) {
    Collector c;
    auto portal = s->bind(*insert, {std::to_string(i), "v" + std::to_string(i)});
    EXPECT_EQ(s->execute(*portal, 0, c), pgwire::ExecuteResult::kComplete);
    EXPECT_EQ(c.tags, (std::vector<std::string>{"INSERT 0 1"}));
  }
  {
    Collector c;
    auto portal = s->bind(*insert, {"4", std::nullopt});
    s->execute(*portal, 0, c);
  }
  EXPECT_EQ(run_prepared(*s, "SELECT b FROM t WHERE a >= $1 ORDER BY a", {"2"}).rows,
            (std::vector<std::string>{"v2", "v3", "NULL"}));
  EXPECT_EQ(run_prepared(*s, "SELECT a FROM t WHERE b IS NULL", {}).rows, (std::vector<std::string>{"4"}));
  EXPECT_EQ(run_prepared(*s, "SELECT $1 || '!', $2::int * 2", {"hi", "21"}).rows, (std::vector<std::string>{"hi!|42"}));
  EXPECT_EQ(run_prepared(*s, "SELECT count(*) FROM t WHERE a = $1", {std::nullopt}).rows, (std::vector<std::string>{"0"}));
  // Preparing binds a stand-in for each $n, which plan-time constant folding must leave alone
  // (inside subqueries too); the value is folded once bound.
  EXPECT_EQ(run_prepared(*s, "SELECT (SELECT $1::int / 2 + 1), (SELECT count(*) FROM t WHERE a < $2 + 1)", {"8", "1"}).rows,
            (std::vector<std::string>{"5|1"}));
  auto divide = s->prepare("SELECT (SELECT 10 / $1::int)");
  auto outcome = [&](const Params& params) -> std::string {
    try {
      Collector c;
      auto portal = s->bind(*divide, params);
      s->execute(*portal, 0, c);
      if (!c.errors.empty()) return c.errors[0];
      return c.rows.empty() ? "" : c.rows[0];
    } catch (const SqlError& e) {
      return std::string(sqlstate_code(e.state()));
    }
  };
  EXPECT_EQ(outcome({"5"}), "2");
  EXPECT_EQ(outcome({"0"}), "22012");
  EXPECT_EQ(outcome({"2"}), "5");
  // The parameter's text goes through its type's input function.
  auto select = s->prepare("SELECT b FROM t WHERE a = $1");
  EXPECT_EQ(sqlstate_of([&] { s->bind(*select, {"abc"}); }), "22P02");
  EXPECT_EQ(sqlstate_of([&] { s->bind(*select, {}); }), "08P01");
  // The session stays usable and committed every insert.
  EXPECT_EQ(run(*s, "SELECT count(*) FROM t").rows, (std::vector<std::string>{"4"}));
  EXPECT_EQ(s->transaction_status(), pgwire::TransactionStatus::kIdle);
}

TEST_F(SessionTest, ExtendedApiInATransactionBlock) {
  auto s = open();
  run(*s, "CREATE TABLE t(a int)");
  run_prepared(*s, "BEGIN", {});
  EXPECT_EQ(s->transaction_status(), pgwire::TransactionStatus::kInBlock);
  run_prepared(*s, "INSERT INTO t VALUES ($1)", {"5"});
  EXPECT_EQ(sqlstate_of([&] { run_prepared(*s, "SELECT 1 / $1", {"0"}); }), "22012");
  EXPECT_EQ(s->transaction_status(), pgwire::TransactionStatus::kFailed);
  EXPECT_EQ(sqlstate_of([&] { s->prepare("SELECT 1"); }), "25P02");
  EXPECT_EQ(run_prepared(*s, "COMMIT", {}).tags, (std::vector<std::string>{"ROLLBACK"}));
  EXPECT_EQ(run(*s, "SELECT count(*) FROM t").rows, (std::vector<std::string>{"0"}));
}

/// Runs `sql` to completion in steps of `step` rows (growing by one each time when `grow`);
/// returns the rows and checks every step but the last suspended with exactly its rows.
std::vector<std::string> run_in_steps(pgwire::BackendSession& session, const std::string& sql, size_t step, bool grow,
                                      std::string* last_tag) {
  auto prepared = session.prepare(sql);
  auto portal = session.bind(*prepared, {});
  std::vector<std::string> rows;
  for (;;) {
    Collector c;
    pgwire::ExecuteResult r = session.execute(*portal, step, c);
    rows.insert(rows.end(), c.rows.begin(), c.rows.end());
    if (r == pgwire::ExecuteResult::kComplete) {
      if (step > 0) {
        EXPECT_LE(c.rows.size(), step);
      }
      EXPECT_EQ(c.tags.size(), 1u);
      if (last_tag && !c.tags.empty()) *last_tag = c.tags[0];
      return rows;
    }
    EXPECT_EQ(c.rows.size(), step);
    EXPECT_TRUE(c.tags.empty());
    if (grow) step++;
  }
}

TEST_F(SessionTest, SuspendedPortalsResumeWhereTheyStopped) {
  auto s = open();
  run(*s, "CREATE TABLE t(a int, b int)");
  // 8192 rows over several chunks, b in an order unlike a's.
  run(*s, "INSERT INTO t VALUES (0, 0)");
  for (int i = 0; i < 13; i++) run(*s, "INSERT INTO t SELECT a + " + std::to_string(1 << i) + ", (a * 7919) % 1009 FROM t");
  const std::string ordered = "SELECT a, b FROM t ORDER BY b, a";
  const std::string unordered = "SELECT a, b FROM t WHERE a % 3 <> 1";
  const std::vector<std::string> all_ordered = run(*s, ordered).rows;
  std::vector<std::string> all_unordered = run(*s, unordered).rows;
  ASSERT_EQ(all_ordered.size(), 8192u);
  std::sort(all_unordered.begin(), all_unordered.end());
  for (size_t step : {1, 2, 5, 1000, 2048, 3000}) {
    std::string tag;
    EXPECT_EQ(run_in_steps(*s, ordered, step, false, &tag), all_ordered) << "step " << step;
    EXPECT_EQ(tag, "SELECT " + std::to_string(8192 % step == 0 ? 0 : 8192 % step)) << "step " << step;
    auto rows = run_in_steps(*s, unordered, step, false, nullptr);
    std::sort(rows.begin(), rows.end());
    EXPECT_EQ(rows, all_unordered) << "step " << step;
  }
  EXPECT_EQ(run_in_steps(*s, ordered, 1, true, nullptr), all_ordered);
  // One execute for everything reports every row.
  std::string tag;
  run_in_steps(*s, ordered, 0, false, &tag);
  EXPECT_EQ(tag, "SELECT 8192");
}

TEST_F(SessionTest, ClosingASuspendedPortalReleasesItsQuery) {
  Database db{DatabaseConfig{"./unused", 1}};
  pgwire::StartupParameters params;
  params.user = "tessera";
  params.database = "tessera";
  auto s = db.open_session(params);
  auto other = db.open_session(params);
  run(*s, "CREATE TABLE t(a int)");
  run(*s, "INSERT INTO t VALUES (0)");
  for (int i = 0; i < 15; i++) run(*s, "INSERT INTO t SELECT a + " + std::to_string(1 << i) + " FROM t");
  auto prepared = s->prepare("SELECT a FROM t");
  auto portal = s->bind(*prepared, {});
  Collector first;
  ASSERT_EQ(s->execute(*portal, 1, first), pgwire::ExecuteResult::kSuspended);
  EXPECT_EQ(first.rows.size(), 1u);
  // The paused query holds no worker: another session's query runs on the only one.
  auto done = std::async(std::launch::async, [&] { return run(*other, "SELECT count(*) FROM t").rows; });
  ASSERT_EQ(done.wait_for(std::chrono::seconds(60)), std::future_status::ready);
  EXPECT_EQ(done.get(), (std::vector<std::string>{"32768"}));
  auto closing = std::async(std::launch::async, [&] { portal.reset(); });
  ASSERT_EQ(closing.wait_for(std::chrono::seconds(60)), std::future_status::ready) << "closing the portal hung";
  EXPECT_EQ(s->transaction_status(), pgwire::TransactionStatus::kIdle);
  EXPECT_EQ(run(*s, "SELECT count(*) FROM t").rows, (std::vector<std::string>{"32768"}));
}

TEST_F(SessionTest, EndingTheTransactionReleasesSuspendedPortals) {
  auto s = open();
  run(*s, "CREATE TABLE t(a int); INSERT INTO t VALUES (1), (2), (3)");
  auto prepared = s->prepare("SELECT a FROM t");
  auto portal = s->bind(*prepared, {});
  Collector first;
  ASSERT_EQ(s->execute(*portal, 1, first), pgwire::ExecuteResult::kSuspended);
  // A simple query outside a block commits the implicit transaction the portal reads.
  EXPECT_TRUE(run(*s, "SELECT 1").errors.empty());
  EXPECT_EQ(sqlstate_of([&] {
              Collector rest;
              s->execute(*portal, 0, rest);
            }),
            "24000");
  // Inside a block a suspended portal lives until COMMIT.
  run(*s, "BEGIN");
  auto in_block = s->bind(*prepared, {});
  Collector one;
  ASSERT_EQ(s->execute(*in_block, 2, one), pgwire::ExecuteResult::kSuspended);
  run(*s, "INSERT INTO t VALUES (4)");
  Collector rest;
  ASSERT_EQ(s->execute(*in_block, 0, rest), pgwire::ExecuteResult::kComplete);
  EXPECT_EQ(one.rows.size() + rest.rows.size(), 3u);  // the query's snapshot predates the insert
  run(*s, "COMMIT");
  EXPECT_EQ(run(*s, "SELECT count(*) FROM t").rows, (std::vector<std::string>{"4"}));
}

TEST_F(SessionTest, CommandTagsComeFromTheStatementAndItsSinks) {
  auto s = open();
  auto c = run(*s, "CREATE TABLE t(a int); INSERT INTO t SELECT 1; INSERT INTO t SELECT a + 1 FROM t; "
                   "CREATE TABLE u AS SELECT a FROM t; CREATE TABLE e AS SELECT a FROM t WHERE false; "
                   "SELECT * FROM u; SET timezone = 'UTC'; RESET timezone; SHOW timezone; "
                   "INSERT INTO t SELECT a FROM t WHERE false; DROP TABLE e; BEGIN; COMMIT");
  ASSERT_TRUE(c.errors.empty()) << c.messages[0];
  EXPECT_EQ(c.tags, (std::vector<std::string>{"CREATE TABLE", "INSERT 0 1", "INSERT 0 1", "SELECT 2", "SELECT 0",
                                              "SELECT 2", "SET", "RESET", "SHOW", "INSERT 0 0", "DROP TABLE", "BEGIN",
                                              "COMMIT"}));
}


TEST(SessionMemoryLimitTest, AQueryPastTheMemoryLimitFailsWith53200AndReturnsItsMemory) {
  DatabaseConfig config{"./unused", 2};
  config.memory_limit = int64_t{48} << 20;
  Database db(config);
  pgwire::StartupParameters params;
  params.user = "tessera";
  params.database = "tessera";
  auto s = db.open_session(params);
  auto run = [&](const std::string& sql) {
    Collector c;
    s->execute_simple(sql, c);
    return c;
  };
  run("CREATE TABLE g(a bigint); INSERT INTO g VALUES (1), (2), (3), (4)");
  for (int i = 0; i < 19; i++) run("INSERT INTO g SELECT a + (SELECT max(a) FROM g) FROM g");
  EXPECT_EQ(run("SELECT count(*) FROM g").rows, (std::vector<std::string>{"2097152"}));
  const int64_t before = db.memory()->used();
  // Two million groups need far more than the limit leaves.
  auto c = run("SELECT a, count(*) FROM g GROUP BY a ORDER BY a LIMIT 1");
  EXPECT_EQ(c.errors, (std::vector<std::string>{"53200"}));
  // Its memory is returned; the session and the server go on.
  EXPECT_LE(db.memory()->used(), before);
  EXPECT_EQ(run("SELECT sum(a) FROM g WHERE a <= 4").rows, (std::vector<std::string>{"10"}));
  EXPECT_EQ(run("SELECT a, count(*) FROM g WHERE a < 3 GROUP BY a ORDER BY a").rows,
            (std::vector<std::string>{"1|1", "2|1"}));
}

TEST_F(SessionTest, TimeZoneSettingDrivesTimestamptzAndIsReported) {
  auto s = open();
  auto c = run(*s, "SET TIME ZONE 'europe/berlin'");
  EXPECT_TRUE(c.errors.empty());
  EXPECT_EQ(c.statuses, (std::vector<std::string>{"TimeZone=Europe/Berlin"}));
  EXPECT_EQ(run(*s, "SELECT timestamptz '2024-07-01 12:00+00', '2024-01-01 12:00'::timestamptz::text").rows,
            (std::vector<std::string>{"2024-07-01 14:00:00+02|2024-01-01 12:00:00+01"}));
  // Setting the same zone again reports nothing; a bad zone is 22023 and changes nothing.
  EXPECT_TRUE(run(*s, "SET timezone = 'Europe/Berlin'").statuses.empty());
  auto bad = run(*s, "SET TIME ZONE 'Foo/Bar'");
  EXPECT_EQ(bad.errors, (std::vector<std::string>{"22023"}));
  EXPECT_EQ(bad.messages, (std::vector<std::string>{"invalid value for parameter \"TimeZone\": \"Foo/Bar\""}));
  EXPECT_EQ(run(*s, "SHOW timezone").rows, (std::vector<std::string>{"Europe/Berlin"}));
  // Worker threads see the session's zone too: the cast runs in a scan over stored rows.
  run(*s, "CREATE TABLE tz(ts timestamptz)");
  run(*s, "INSERT INTO tz VALUES ('2024-01-01 00:30+00')");
  EXPECT_EQ(run(*s, "SELECT ts::date, ts::text FROM tz").rows, (std::vector<std::string>{"2024-01-01|2024-01-01 01:30:00+01"}));
  EXPECT_EQ(run(*s, "RESET timezone").statuses, (std::vector<std::string>{"TimeZone=UTC"}));
}

TEST_F(SessionTest, ReportedSettingsAreResentWhenAStatementOrARollbackChangesThem) {
  auto s = open();
  EXPECT_EQ(run(*s, "SET DateStyle = 'iso, dmy'").statuses, (std::vector<std::string>{"DateStyle=ISO, DMY"}));
  EXPECT_TRUE(run(*s, "SET datestyle = 'DMY'").statuses.empty());  // same value
  EXPECT_TRUE(run(*s, "SET extra_float_digits = 2").statuses.empty());  // not a reported setting
  run(*s, "BEGIN");
  EXPECT_EQ(run(*s, "SET application_name = 'x'").statuses, (std::vector<std::string>{"application_name=x"}));
  EXPECT_EQ(run(*s, "SET TIME ZONE 'Asia/Tokyo'").statuses, (std::vector<std::string>{"TimeZone=Asia/Tokyo"}));
  // ROLLBACK restores both, and says so.
  EXPECT_EQ(run(*s, "ROLLBACK").statuses, (std::vector<std::string>{"application_name=", "TimeZone=UTC"}));
  // Values are reported once a query string has run: a SET undone by the failure of its
  // implicit transaction is not reported at all.
  auto failed = run(*s, "SET TIME ZONE 'Asia/Tokyo'; SELECT 1 / 0");
  EXPECT_EQ(failed.errors, (std::vector<std::string>{"22012"}));
  EXPECT_TRUE(failed.statuses.empty());
  EXPECT_EQ(run(*s, "BEGIN; SET TIME ZONE 'Asia/Tokyo'; SET TIME ZONE 'Europe/Rome'").statuses,
            (std::vector<std::string>{"TimeZone=Europe/Rome"}));
  // An error aborts the block at once, its SETs with it (PostgreSQL reports the restored
  // values before the next ReadyForQuery too).
  EXPECT_EQ(run(*s, "SELECT 1 / 0").statuses, (std::vector<std::string>{"TimeZone=UTC"}));
  EXPECT_TRUE(run(*s, "ROLLBACK").statuses.empty());
  EXPECT_EQ(run(*s, "SHOW DateStyle").rows, (std::vector<std::string>{"ISO, DMY"}));
}

TEST_F(SessionTest, StartupParametersAndOptionsAreAppliedAsSet) {
  pgwire::StartupParameters params;
  params.user = "tessera";
  params.database = "tessera";
  params.all = {{"user", "tessera"},         {"database", "tessera"}, {"DateStyle", "ISO"},
                {"TimeZone", "Europe/Paris"}, {"extra_float_digits", "2"},
                {"options", "-c statement_timeout=5s --lock-timeout=1s -capplication_name=a\\ b"}};
  auto s = db_.open_session(params);
  auto reported = s->reported_settings();
  auto value = [&](const std::string& name) {
    for (const auto& [n, v] : reported) {
      if (n == name) return v;
    }
    return std::string("<missing>");
  };
  EXPECT_EQ(value("DateStyle"), "ISO, MDY");
  EXPECT_EQ(value("TimeZone"), "Europe/Paris");
  EXPECT_EQ(value("application_name"), "a b");
  EXPECT_EQ(run(*s, "SHOW statement_timeout").rows, (std::vector<std::string>{"5s"}));
  EXPECT_EQ(run(*s, "SHOW lock_timeout").rows, (std::vector<std::string>{"1s"}));
  EXPECT_EQ(run(*s, "SHOW extra_float_digits").rows, (std::vector<std::string>{"2"}));
  EXPECT_EQ(run(*s, "SELECT '2024-01-01 12:00+00'::timestamptz").rows, (std::vector<std::string>{"2024-01-01 13:00:00+01"}));
  // An unknown setting or a bad value refuses the connection, as in PostgreSQL.
  params.all = {{"user", "tessera"}, {"no_such_setting", "1"}};
  EXPECT_THROW(db_.open_session(params), SqlError);
  params.all = {{"user", "tessera"}, {"TimeZone", "Nowhere/Else"}};
  EXPECT_THROW(db_.open_session(params), SqlError);
  params.all = {{"user", "tessera"}, {"options", "-x"}};
  EXPECT_THROW(db_.open_session(params), SqlError);
}

TEST_F(SessionTest, NowIsTheTransactionStartTime) {
  auto s = open();
  run(*s, "BEGIN");
  auto first = run(*s, "SELECT now(), current_timestamp, statement_timestamp()");
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  auto second = run(*s, "SELECT now(), current_timestamp, statement_timestamp()");
  run(*s, "COMMIT");
  ASSERT_EQ(first.rows.size(), 1u);
  ASSERT_EQ(second.rows.size(), 1u);
  auto field = [](const std::string& row, int i) {
    size_t start = 0;
    for (int k = 0; k < i; k++) start = row.find('|', start) + 1;
    return row.substr(start, row.find('|', start) - start);
  };
  EXPECT_EQ(field(first.rows[0], 0), field(second.rows[0], 0));
  EXPECT_EQ(field(first.rows[0], 1), field(second.rows[0], 1));
  EXPECT_NE(field(first.rows[0], 2), field(second.rows[0], 2));
  auto later = run(*s, "SELECT now()");
  EXPECT_NE(field(later.rows[0], 0), field(first.rows[0], 0));
}

}  // namespace
}  // namespace tessera
