// The commit path of a durable Database: concurrent commits share log syncs (group commit), a
// commit becomes visible only once it is durable, a failed sync fails every commit waiting on
// it, read-only transactions never wait for the log, and synchronous_commit = off commits are
// acknowledged before their sync. A test gate stalls or fails the log's syncs.

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "src/main/database.h"
#include "src/main/write_ahead_log.h"
#include "storage/durable/log_file.h"
#include "test/main/session_fixture.h"
#include "test/support/temp_directory.h"

namespace tessera {
namespace {

using test_support::Collector;
using Rows = std::vector<std::string>;

/// Holds every log sync at the gate while it is closed, counts syncs, and fails them with an
/// errno when told to.
struct SyncGate {
  std::mutex mutex;
  std::condition_variable changed;
  bool closed = false;
  int fail_errno = 0;
  int syncs = 0;    ///< syncs that reached the gate
  int waiting = 0;  ///< syncs held at it now
};
SyncGate g_gate;

int gated_sync(const char* operation) {
  if (std::strcmp(operation, "sync") != 0) return 0;
  std::unique_lock<std::mutex> lock(g_gate.mutex);
  g_gate.syncs++;
  g_gate.waiting++;
  g_gate.changed.notify_all();
  g_gate.changed.wait(lock, [] { return !g_gate.closed; });
  g_gate.waiting--;
  g_gate.changed.notify_all();
  return g_gate.fail_errno;
}

class GroupCommitTest : public ::testing::Test {
 protected:
  GroupCommitTest() {
    {
      std::lock_guard<std::mutex> lock(g_gate.mutex);
      g_gate.closed = false;
      g_gate.fail_errno = 0;
      g_gate.syncs = 0;
      g_gate.waiting = 0;
    }
    storage::internal::set_io_fault_hook(gated_sync);
    reopen();
  }
  ~GroupCommitTest() override {
    open_gate(0);
    sessions_.clear();
    db_.reset();
    storage::internal::set_io_fault_hook(nullptr);
  }

  /// Destroys the database (sessions first) and opens it again on the same directory.
  void reopen() {
    sessions_.clear();
    db_.reset();
    db_ = std::make_unique<Database>(DatabaseConfig{.data_directory = dir_.path(), .threads = 2, .durable = true});
  }
  /// Sessions 0 .. n-1 exist afterwards.
  void open_sessions(size_t n) {
    while (sessions_.size() < n) {
      pgwire::StartupParameters params;
      params.user = "tessera";
      params.database = "tessera";
      sessions_.push_back(db_->open_session(params));
    }
  }
  Collector run(const std::string& sql, size_t n = 0) {
    open_sessions(n + 1);
    Collector c;
    sessions_[n]->execute_simple(sql, c);
    return c;
  }
  void ok(const std::string& sql, size_t n = 0) {
    const auto c = run(sql, n);
    ASSERT_TRUE(c.errors.empty()) << sql << ": " << c.messages.front();
  }
  Rows rows(const std::string& sql, size_t n = 0) {
    const auto c = run(sql, n);
    EXPECT_TRUE(c.errors.empty()) << sql << ": " << (c.messages.empty() ? "" : c.messages.front());
    return c.rows;
  }

  static void close_gate() {
    std::lock_guard<std::mutex> lock(g_gate.mutex);
    g_gate.closed = true;
  }
  static void open_gate(int fail_errno) {
    std::lock_guard<std::mutex> lock(g_gate.mutex);
    g_gate.closed = false;
    g_gate.fail_errno = fail_errno;
    g_gate.changed.notify_all();
  }
  /// Waits until `n` syncs are held at the gate.
  static void wait_for_held_syncs(int n) {
    std::unique_lock<std::mutex> lock(g_gate.mutex);
    g_gate.changed.wait(lock, [&] { return g_gate.waiting == n; });
  }
  static int syncs() {
    std::lock_guard<std::mutex> lock(g_gate.mutex);
    return g_gate.syncs;
  }
  /// The commit records the log file holds.
  size_t commit_records() const {
    size_t n = 0;
    for (const auto& record : storage::read_log_file(dir_.path() + "/" + kWalFileName).records) {
      n += record.type == static_cast<uint8_t>(WalRecordType::kCommit) ? 1 : 0;
    }
    return n;
  }
  /// Waits until the log file holds `n` commit records (written, maybe not synced).
  void wait_for_commit_records(size_t n) const {
    while (commit_records() < n) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }

  test_support::TempDirectory dir_{"tessera-group-commit"};
  std::unique_ptr<Database> db_;
  std::vector<std::unique_ptr<pgwire::BackendSession>> sessions_;
};

TEST_F(GroupCommitTest, EveryAcknowledgedConcurrentCommitIsRecovered) {
  constexpr size_t kThreads = 8;
  constexpr int kCommits = 40;
  ok("CREATE TABLE shared (thread int, i int)");
  ok("CREATE TABLE counters (thread int PRIMARY KEY, n int)");
  for (size_t t = 0; t < kThreads; t++) ok("INSERT INTO counters VALUES (" + std::to_string(t) + ", 0)");
  open_sessions(kThreads);
  const int syncs_before = syncs();
  std::vector<int> acknowledged(kThreads, 0);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < kThreads; t++) {
    threads.emplace_back([&, t] {
      const std::string id = std::to_string(t);
      for (int i = 1; i <= kCommits; i++) {
        Collector c;
        const std::string sql = i % 2 == 0 ? "INSERT INTO shared VALUES (" + id + ", " + std::to_string(i) + ")"
                                           : "BEGIN; INSERT INTO shared VALUES (" + id + ", " + std::to_string(i) +
                                                 "); UPDATE counters SET n = " + std::to_string(i) +
                                                 " WHERE thread = " + id + "; COMMIT";
        sessions_[t]->execute_simple(sql, c);
        if (!c.errors.empty()) {
          ADD_FAILURE() << sql << ": " << c.messages.front();
          return;
        }
        acknowledged[t] = i;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  // One sync per commit at most; usually far fewer (not asserted: timing decides).
  EXPECT_LE(syncs() - syncs_before, static_cast<int>(kThreads) * kCommits);
  reopen();
  for (size_t t = 0; t < kThreads; t++) {
    const std::string id = std::to_string(t);
    EXPECT_EQ(Rows{std::to_string(acknowledged[t])}, rows("SELECT count(*) FROM shared WHERE thread = " + id));
    EXPECT_EQ(Rows{std::to_string(acknowledged[t] - 1)}, rows("SELECT n FROM counters WHERE thread = " + id));
  }
}

TEST_F(GroupCommitTest, CommitsWrittenDuringASyncShareTheNextOne) {
  constexpr size_t kFollowers = 6;
  ok("CREATE TABLE t (a int)");
  open_sessions(kFollowers + 2);  // the last one reads
  const size_t records = commit_records();
  close_gate();
  std::thread leader([&] { ok("INSERT INTO t VALUES (0)", 0); });
  wait_for_held_syncs(1);
  // While the leader's sync is held, the other commits write their records and wait.
  std::vector<std::thread> followers;
  for (size_t f = 1; f <= kFollowers; f++) {
    followers.emplace_back([&, f] { ok("INSERT INTO t VALUES (" + std::to_string(f) + ")", f); });
  }
  wait_for_commit_records(records + 1 + kFollowers);
  // Nothing is visible before it is durable.
  EXPECT_EQ(Rows{"0"}, rows("SELECT count(*) FROM t", kFollowers + 1));
  const int held = syncs();
  open_gate(0);
  leader.join();
  for (auto& f : followers) f.join();
  EXPECT_EQ(held + 1, syncs()) << "one sync for every commit written while the first synced";
  EXPECT_EQ(Rows{std::to_string(kFollowers + 1)}, rows("SELECT count(*) FROM t"));
}

TEST_F(GroupCommitTest, AReaderDoesNotWaitForAWritersSync) {
  ok("CREATE TABLE t (a int)");
  ok("INSERT INTO t VALUES (1)");
  open_sessions(2);
  close_gate();
  std::thread writer([&] { ok("INSERT INTO t VALUES (2)", 0); });
  wait_for_held_syncs(1);
  // The writer is stalled inside its sync: readers commit, and do not see its row.
  EXPECT_EQ(Rows{"1"}, rows("SELECT count(*) FROM t", 1));
  const auto c = run("BEGIN; SELECT max(a) FROM t; COMMIT", 1);
  EXPECT_TRUE(c.errors.empty());
  EXPECT_EQ(Rows{"1"}, c.rows);
  open_gate(0);
  writer.join();
  EXPECT_EQ(Rows{"2"}, rows("SELECT count(*) FROM t", 1));
}

TEST_F(GroupCommitTest, NextvalInAReadOnlyTransactionIsLogged) {
  ok("CREATE SEQUENCE s");
  EXPECT_EQ(Rows{"1"}, rows("SELECT nextval('s')"));
  EXPECT_EQ(Rows{"2"}, rows("BEGIN; SELECT nextval('s'); COMMIT"));
  const size_t records = commit_records();
  EXPECT_EQ(Rows{"3"}, rows("SELECT nextval('s')"));
  EXPECT_EQ(records + 1, commit_records()) << "the counter went with a commit record of its own";
  reopen();
  EXPECT_EQ(Rows{"4"}, rows("SELECT nextval('s')"));
}

TEST_F(GroupCommitTest, AFailedSyncFailsEveryCommitWaitingOnIt) {
  constexpr size_t kFollowers = 4;
  ok("CREATE TABLE t (a int)");
  ok("INSERT INTO t VALUES (0)");
  open_sessions(kFollowers + 2);
  const size_t records = commit_records();
  close_gate();
  std::vector<std::string> errors(kFollowers + 1);
  std::vector<std::thread> writers;
  writers.emplace_back([&] {
    const auto c = run("INSERT INTO t VALUES (100)", 0);
    errors[0] = c.errors.empty() ? "none" : c.errors.front();
  });
  wait_for_held_syncs(1);
  for (size_t f = 1; f <= kFollowers; f++) {
    writers.emplace_back([&, f] {
      const auto c = run("BEGIN; INSERT INTO t VALUES (" + std::to_string(100 + f) + "); COMMIT", f);
      errors[f] = c.errors.empty() ? "none" : c.errors.front();
    });
  }
  wait_for_commit_records(records + 1 + kFollowers);
  open_gate(5 /* EIO */);
  for (auto& w : writers) w.join();
  for (const auto& e : errors) EXPECT_EQ("58030", e);
  // None of them became visible, and the log refuses later commits until a restart.
  const size_t reader = kFollowers + 1;
  EXPECT_EQ(Rows{"1"}, rows("SELECT count(*) FROM t", reader));
  const auto later = run("INSERT INTO t VALUES (200)", reader);
  ASSERT_EQ(1u, later.errors.size());
  EXPECT_EQ("58030", later.errors.front());
  EXPECT_EQ(Rows{"0"}, rows("SELECT max(a) FROM t", reader));
  open_gate(0);
  reopen();
  // The failed commits are in doubt (written, their sync failed); the committed row is there
  // and the table takes new rows.
  EXPECT_EQ(Rows{"1"}, rows("SELECT count(*) FROM t WHERE a = 0"));
  ok("INSERT INTO t VALUES (300)");
  EXPECT_EQ(Rows{"300"}, rows("SELECT max(a) FROM t"));
}

TEST_F(GroupCommitTest, AsynchronousCommitsDoNotWaitForTheSync) {
  ok("CREATE TABLE t (a int)");
  ok("SET synchronous_commit = off");
  EXPECT_EQ(Rows{"off"}, rows("SHOW synchronous_commit"));
  close_gate();
  const int before = syncs();
  // Acknowledged without a sync, and visible at once.
  ok("INSERT INTO t VALUES (1)");
  ok("BEGIN; INSERT INTO t VALUES (2); COMMIT");
  EXPECT_EQ(Rows{"2"}, rows("SELECT count(*) FROM t", 1));
  // The background flush syncs them within its delay (held at the gate here).
  wait_for_held_syncs(1);
  EXPECT_EQ(before + 1, syncs());
  open_gate(0);
  // A synchronous commit in the same session (SET LOCAL) waits for its sync again.
  ok("BEGIN; SET LOCAL synchronous_commit = on; INSERT INTO t VALUES (3); COMMIT");
  EXPECT_EQ(Rows{"off"}, rows("SHOW synchronous_commit"));
  ok("INSERT INTO t VALUES (4)");
  reopen();
  EXPECT_EQ((Rows{"1", "2", "3", "4"}), rows("SELECT a FROM t ORDER BY a"));
}

TEST_F(GroupCommitTest, AsynchronousCommitsAreWrittenBeforeTheyAreAcknowledged) {
  ok("CREATE TABLE t (a int)");
  ok("SET synchronous_commit = off");
  close_gate();
  ok("INSERT INTO t VALUES (1)");
  ok("INSERT INTO t VALUES (2), (3)");
  // The background flush fails: no sync ever covers the commits, yet they are in the file
  // (a crash of the process would not lose them), and the next commit learns of the failure.
  wait_for_held_syncs(1);
  open_gate(5 /* EIO */);
  wait_for_held_syncs(0);
  const auto c = run("BEGIN; SET LOCAL synchronous_commit = on; INSERT INTO t VALUES (4); COMMIT");
  ASSERT_EQ(1u, c.errors.size());
  EXPECT_EQ("58030", c.errors.front());
  open_gate(0);
  reopen();
  // (4 is in doubt: its records may have been written before the log broke.)
  EXPECT_EQ((Rows{"1", "2", "3"}), rows("SELECT a FROM t WHERE a < 4 ORDER BY a"));
}

TEST_F(GroupCommitTest, SynchronousCommitValues) {
  EXPECT_EQ(Rows{"on"}, rows("SHOW synchronous_commit"));
  ok("SET synchronous_commit TO 'Remote_Apply'");
  EXPECT_EQ(Rows{"remote_apply"}, rows("SHOW synchronous_commit"));
  ok("SET synchronous_commit = false");
  EXPECT_EQ(Rows{"off"}, rows("SHOW synchronous_commit"));
  const auto bad = run("SET synchronous_commit = 'sometimes'");
  ASSERT_EQ(1u, bad.errors.size());
  EXPECT_EQ("22023", bad.errors.front());
  EXPECT_EQ("invalid value for parameter \"synchronous_commit\": \"sometimes\"", bad.messages.front());
  ok("RESET synchronous_commit");
  EXPECT_EQ(Rows{"on"}, rows("SHOW synchronous_commit"));
}

}  // namespace
}  // namespace tessera
