// Readers running aggregates while writers move money between rows, insert and delete
// balanced pairs, and checkpoints run: every read sees one committed state, so the total never
// changes; and after a restart the recovered table holds the same total.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "src/main/database.h"
#include "test/main/session_fixture.h"
#include "test/support/sanitizer.h"
#include "test/support/temp_directory.h"

namespace tessera {
namespace {

using test_support::Collector;

std::unique_ptr<pgwire::BackendSession> open_session(Database& db) {
  pgwire::StartupParameters params;
  params.user = "tessera";
  params.database = "tessera";
  return db.open_session(params);
}

Collector run(pgwire::BackendSession& session, const std::string& sql) {
  Collector c;
  session.execute_simple(sql, c);
  return c;
}

constexpr int kAccounts = 200;
constexpr int64_t kTotal = int64_t{kAccounts} * 1000;

std::unique_ptr<Database> open_database(const std::string& directory) {
  return std::make_unique<Database>(
      DatabaseConfig{.data_directory = directory, .threads = 2, .memory_limit = 0, .durable = true});
}

TEST(SnapshotConsistencyTest, ReadersAlwaysSeeTheInvariantUnderSteadyWriters) {
  test_support::TempDirectory dir("tessera-snapshot");
  auto db = open_database(dir.path());
  {
    auto setup = open_session(*db);
    ASSERT_TRUE(run(*setup, "CREATE TABLE accounts (id int PRIMARY KEY, balance bigint NOT NULL)").errors.empty());
    ASSERT_TRUE(run(*setup, "INSERT INTO accounts SELECT g, 1000 FROM generate_series(1, " +
                                std::to_string(kAccounts) + ") g")
                    .errors.empty());
  }
  const auto duration = std::chrono::milliseconds(test_support::kSanitizedBuild ? 1500 : 3000);
  const auto deadline = std::chrono::steady_clock::now() + duration;
  std::atomic<int> commits{0}, reads{0}, bad_reads{0};
  std::atomic<int> unexpected_errors{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < 2; w++) {
    threads.emplace_back([&, w] {
      auto session = open_session(*db);
      std::mt19937 random(static_cast<unsigned>(w + 1));
      int next_pair = 0;
      while (std::chrono::steady_clock::now() < deadline) {
        const int from = static_cast<int>(random() % kAccounts) + 1;
        const int to = static_cast<int>(random() % kAccounts) + 1;
        const int amount = static_cast<int>(random() % 100);
        std::string sql;
        switch (random() % 3) {
          case 0:  // a transfer between two accounts
            sql = "BEGIN; UPDATE accounts SET balance = balance - " + std::to_string(amount) +
                  " WHERE id = " + std::to_string(from) + "; UPDATE accounts SET balance = balance + " +
                  std::to_string(amount) + " WHERE id = " + std::to_string(to) + "; COMMIT";
            break;
          case 1: {  // a balanced pair of new rows (ids apart per writer)
            const int id = 1000000 * (w + 1) + 2 * next_pair++;
            sql = "INSERT INTO accounts VALUES (" + std::to_string(id) + ", " + std::to_string(amount) + "), (" +
                  std::to_string(id + 1) + ", " + std::to_string(-amount) + ")";
            break;
          }
          default:  // the pairs go again, in one statement
            sql = "DELETE FROM accounts WHERE id >= " + std::to_string(1000000 * (w + 1)) + " AND id < " +
                  std::to_string(1000000 * (w + 2)) + " AND id < " + std::to_string(1000000 * (w + 1) + 2 * next_pair) +
                  " - 10";
            break;
        }
        const Collector c = run(*session, sql);
        if (c.errors.empty()) {
          commits++;
        } else {
          if (c.errors.front() != "40001" && c.errors.front() != "40P01") unexpected_errors++;
          run(*session, "ROLLBACK");
        }
      }
    });
  }
  for (int r = 0; r < 2; r++) {
    threads.emplace_back([&] {
      auto session = open_session(*db);
      while (std::chrono::steady_clock::now() < deadline) {
        const Collector c = run(*session, "SELECT sum(balance), count(*) - count(balance) FROM accounts");
        reads++;
        if (!c.errors.empty() || c.rows.size() != 1 || c.rows[0] != std::to_string(kTotal) + "|0") bad_reads++;
        // The same invariant through a grouped aggregate and a join.
        const Collector g = run(*session,
                                "SELECT sum(s) FROM (SELECT id % 7 AS k, sum(balance) AS s FROM accounts GROUP BY 1) q");
        if (!g.errors.empty() || g.rows.size() != 1 || g.rows[0] != std::to_string(kTotal)) bad_reads++;
      }
    });
  }
  threads.emplace_back([&] {
    while (std::chrono::steady_clock::now() < deadline) {
      db->checkpoint();
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  for (auto& t : threads) t.join();
  EXPECT_GT(commits.load(), 10);
  EXPECT_GT(reads.load(), 10);
  EXPECT_EQ(0, bad_reads.load());
  EXPECT_EQ(0, unexpected_errors.load());
  // Everything committed is recovered: the invariant and the same rows.
  std::vector<std::string> before;
  {
    auto session = open_session(*db);
    before = run(*session, "SELECT id, balance FROM accounts ORDER BY id").rows;
  }
  db.reset();
  db = open_database(dir.path());
  auto session = open_session(*db);
  EXPECT_EQ(std::vector<std::string>{std::to_string(kTotal)}, run(*session, "SELECT sum(balance) FROM accounts").rows);
  EXPECT_EQ(before, run(*session, "SELECT id, balance FROM accounts ORDER BY id").rows);
}

}  // namespace
}  // namespace tessera
