// The write-ahead log and recovery through the SQL front end: a Database on a data directory
// is destroyed (as a crash leaves it: nothing is written at shutdown) and opened again, and
// every committed change must be back, nothing uncommitted.

#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "src/common/sql_error.h"
#include "src/main/database.h"
#include "src/main/session.h"
#include "src/main/write_ahead_log.h"
#include "storage/durable/log_file.h"
#include "test/support/temp_directory.h"

namespace tessera {
namespace {

class Collector : public ResultReceiver {
 public:
  void on_columns(const std::vector<ResultColumn>&) override {}
  void on_chunk(const DataChunk& chunk) override {
    for (size_t r = 0; r < chunk.size(); r++) {
      std::string row;
      for (size_t c = 0; c < chunk.column_count(); c++) {
        if (c) row += "|";
        row += chunk.get_value(c, r).to_string();
      }
      rows.push_back(std::move(row));
    }
  }
  void on_complete(std::string_view) override {}
  void on_empty_query() override {}
  void on_error(const SqlError& error) override {
    codes.emplace_back(sqlstate_code(error.state()));
    messages.push_back(error.message());
  }
  std::vector<std::string> rows, codes, messages;
};

class DurabilityTest : public ::testing::Test {
 protected:
  DurabilityTest() { open(); }

  void open() {
    sessions_.clear();
    db_.reset();
    db_ = std::make_unique<Database>(DatabaseConfig{.data_directory = dir_.path(), .threads = 2, .memory_limit = 0, .durable = true});
  }
  /// Session `n` (opened on first use).
  pgwire::BackendSession& session(size_t n = 0) {
    while (sessions_.size() <= n) {
      pgwire::StartupParameters params;
      params.user = "tessera";
      params.database = "tessera";
      sessions_.push_back(db_->open_session(params));
    }
    return *sessions_[n];
  }
  Collector run(const std::string& sql, size_t n = 0) {
    Collector c;
    session(n).execute_simple(sql, c);
    return c;
  }
  void ok(const std::string& sql, size_t n = 0) {
    const auto c = run(sql, n);
    ASSERT_TRUE(c.codes.empty()) << sql << ": " << c.messages.front();
  }
  std::vector<std::string> rows(const std::string& sql, size_t n = 0) {
    auto c = run(sql, n);
    EXPECT_TRUE(c.codes.empty()) << sql << ": " << (c.messages.empty() ? "" : c.messages.front());
    return c.rows;
  }
  std::string error(const std::string& sql, size_t n = 0) {
    const auto c = run(sql, n);
    return c.codes.empty() ? "none" : c.codes.front();
  }
  std::string wal_path() const { return dir_.path() + "/" + kWalFileName; }

  test_support::TempDirectory dir_{"tessera-durability"};
  std::unique_ptr<Database> db_;
  std::vector<std::unique_ptr<pgwire::BackendSession>> sessions_;
};

using Rows = std::vector<std::string>;

TEST_F(DurabilityTest, CommittedRowsSurviveUncommittedDoNot) {
  ok("CREATE TABLE t (a int, b text, c numeric(10,2), d date)");
  ok("INSERT INTO t VALUES (1, 'one', 1.50, '2024-01-02'), (2, NULL, NULL, NULL), (3, 'three', -3.25, '1999-12-31')");
  ok("BEGIN; INSERT INTO t VALUES (4, 'rolled back', 0, NULL); ROLLBACK");
  ok("UPDATE t SET b = 'uno' WHERE a = 1");
  ok("DELETE FROM t WHERE a = 3");
  ok("BEGIN", 1);
  ok("INSERT INTO t VALUES (5, 'never committed', 5, NULL)", 1);
  open();
  EXPECT_EQ((Rows{"1|uno|1.50|2024-01-02", "2|NULL|NULL|NULL"}), rows("SELECT * FROM t ORDER BY a"));
  // The recovered table takes new rows, updates and deletes, and they survive again.
  ok("INSERT INTO t VALUES (6, 'six', 6, NULL)");
  ok("DELETE FROM t WHERE a = 2");
  open();
  EXPECT_EQ((Rows{"1|uno", "6|six"}), rows("SELECT a, b FROM t ORDER BY a"));
}

TEST_F(DurabilityTest, InterleavedTransactionsKeepRowIds) {
  ok("CREATE TABLE t (a int)");
  ok("BEGIN", 0);
  ok("BEGIN", 1);
  ok("BEGIN", 2);
  ok("INSERT INTO t SELECT g FROM generate_series(1, 3000) g", 0);
  ok("INSERT INTO t SELECT g FROM generate_series(10001, 10100) g", 1);
  ok("INSERT INTO t SELECT g FROM generate_series(20001, 20050) g", 2);
  ok("COMMIT", 1);  // commits before the rows ahead of it
  ok("ROLLBACK", 2);
  ok("COMMIT", 0);
  open();
  EXPECT_EQ((Rows{"3100|10100|1"}), rows("SELECT count(*), max(a), min(a) FROM t"));
  // Deletes after recovery address the recovered rows by their ids.
  ok("DELETE FROM t WHERE a % 2 = 0");
  ok("UPDATE t SET a = a + 100000 WHERE a > 10000");
  open();
  EXPECT_EQ((Rows{"1550|110099|1"}), rows("SELECT count(*), max(a), min(a) FROM t"));
  open();
  EXPECT_EQ((Rows{"1550"}), rows("SELECT count(*) FROM t"));
}

TEST_F(DurabilityTest, CatalogObjectsSurvive) {
  ok("CREATE SCHEMA s");
  ok("CREATE TABLE s.items (id int PRIMARY KEY, name text NOT NULL DEFAULT 'x', price numeric CHECK (price > 0))");
  ok("CREATE TABLE parent (id serial PRIMARY KEY, label varchar(10) UNIQUE)");
  ok("CREATE TABLE child (id int GENERATED ALWAYS AS IDENTITY, parent int REFERENCES parent (id))");
  ok("INSERT INTO parent (label) VALUES ('a'), ('b')");
  ok("INSERT INTO child (parent) VALUES (1), (2), (2)");
  ok("INSERT INTO s.items VALUES (1, 'pen', 2.5)");
  ok("CREATE VIEW v AS SELECT p.label, count(*) AS n FROM parent p JOIN child c ON c.parent = p.id GROUP BY p.label");
  ok("CREATE INDEX child_parent ON child (parent)");
  ok("CREATE SEQUENCE seq START 100 INCREMENT 5");
  EXPECT_EQ((Rows{"100"}), rows("SELECT nextval('seq')"));
  EXPECT_EQ((Rows{"105"}), rows("SELECT nextval('seq')"));
  ok("COMMENT ON TABLE parent IS 'the parents'");
  ok("ALTER TABLE parent ADD COLUMN note text DEFAULT 'n'");
  ok("ALTER TABLE child RENAME TO kid");
  ok("CREATE TABLE gone (a int)");
  ok("DROP TABLE gone");
  open();
  EXPECT_EQ((Rows{"a|1", "b|2"}), rows("SELECT * FROM v ORDER BY label"));
  EXPECT_EQ((Rows{"110"}), rows("SELECT nextval('seq')"));
  // Serial and identity columns continue after the values handed out.
  ok("INSERT INTO parent (label) VALUES ('c')");
  ok("INSERT INTO kid (parent) VALUES (3)");
  EXPECT_EQ((Rows{"1|a|n", "2|b|n", "3|c|n"}), rows("SELECT * FROM parent ORDER BY id"));
  EXPECT_EQ((Rows{"4|3"}), rows("SELECT * FROM kid WHERE parent = 3"));
  // Constraints and indexes hold again.
  EXPECT_EQ("23505", error("INSERT INTO parent (label) VALUES ('a')"));
  EXPECT_EQ("23505", error("INSERT INTO s.items VALUES (1, 'dup', 1)"));
  EXPECT_EQ("23514", error("INSERT INTO s.items VALUES (2, 'free', 0)"));
  EXPECT_EQ("23503", error("INSERT INTO kid (parent) VALUES (99)"));
  EXPECT_EQ("23502", error("INSERT INTO s.items VALUES (3, NULL, 1)"));
  EXPECT_EQ((Rows{"2|x|4"}), rows("INSERT INTO s.items (id, price) VALUES (2, 4) RETURNING *"));
  EXPECT_EQ("42P01", error("SELECT * FROM gone"));
  EXPECT_EQ("42P01", error("SELECT * FROM child"));
  EXPECT_EQ((Rows{"2|2"}), rows("SELECT count(*), max(parent) FROM kid WHERE parent = 2 GROUP BY parent"));
  // New objects are created next to the recovered ones.
  ok("CREATE TABLE fresh (a int)");
  ok("INSERT INTO fresh VALUES (1)");
  open();
  EXPECT_EQ((Rows{"1"}), rows("SELECT * FROM fresh"));
  EXPECT_EQ((Rows{"2|x|4"}), rows("SELECT * FROM s.items WHERE id = 2"));
}

TEST_F(DurabilityTest, DropsTruncatesAndRewritesSurvive) {
  ok("CREATE TABLE t (a int, b int)");
  ok("INSERT INTO t SELECT g, g * 2 FROM generate_series(1, 5000) g");
  ok("TRUNCATE t");
  ok("INSERT INTO t VALUES (1, 1)");
  ok("ALTER TABLE t ALTER COLUMN b TYPE bigint");
  ok("INSERT INTO t VALUES (2, 9000000000)");
  ok("CREATE SCHEMA gone_schema");
  ok("CREATE TABLE gone_schema.x (a int)");
  ok("DROP SCHEMA gone_schema CASCADE");
  ok("CREATE SCHEMA first_name");
  ok("CREATE TABLE first_name.r (a int)");
  ok("INSERT INTO first_name.r VALUES (7)");
  ok("ALTER SCHEMA first_name RENAME TO second_name");
  open();
  EXPECT_EQ((Rows{"1|1", "2|9000000000"}), rows("SELECT * FROM t ORDER BY a"));
  EXPECT_EQ("3F000", error("CREATE TABLE gone_schema.y (a int)"));
  EXPECT_EQ((Rows{"7"}), rows("SELECT * FROM second_name.r"));
  EXPECT_EQ("42P01", error("SELECT * FROM first_name.r"));
}

TEST_F(DurabilityTest, TornTailIsCutAndLoggingGoesOn) {
  ok("CREATE TABLE t (a int)");
  ok("INSERT INTO t VALUES (1)");
  sessions_.clear();
  db_.reset();
  {
    std::ofstream out(wal_path(), std::ios::app | std::ios::binary);
    out << std::string("\x20\x00\x00\x00garbage", 11);
  }
  open();
  EXPECT_GT(db_->recovery().torn_bytes, 0u);
  EXPECT_EQ((Rows{"1"}), rows("SELECT * FROM t"));
  ok("INSERT INTO t VALUES (2)");
  open();
  EXPECT_EQ(0u, db_->recovery().torn_bytes);
  EXPECT_EQ((Rows{"1", "2"}), rows("SELECT * FROM t ORDER BY a"));
}

int fail_sync(const char* operation) { return std::string(operation) == "sync" ? 5 /* EIO */ : 0; }
int fail_write_no_space(const char* operation) { return std::string(operation) == "write" ? 28 /* ENOSPC */ : 0; }

TEST_F(DurabilityTest, FailedLogWriteFailsTheCommitAndLosesNothingCommitted) {
  ok("CREATE TABLE t (a int)");
  ok("INSERT INTO t VALUES (1)");
  storage::internal::set_io_fault_hook(fail_write_no_space);
  EXPECT_EQ("53100", error("INSERT INTO t VALUES (2)"));
  storage::internal::set_io_fault_hook(nullptr);
  // The statement rolled back; later commits fail the same way until a restart.
  EXPECT_EQ((Rows{"1"}), rows("SELECT * FROM t"));
  EXPECT_EQ("53100", error("INSERT INTO t VALUES (3)"));
  EXPECT_EQ((Rows{"1"}), rows("SELECT * FROM t"));
  open();
  EXPECT_EQ((Rows{"1"}), rows("SELECT * FROM t"));
  storage::internal::set_io_fault_hook(fail_sync);
  EXPECT_EQ("58030", error("INSERT INTO t VALUES (4)"));
  storage::internal::set_io_fault_hook(nullptr);
  open();
  // A failed fsync leaves the transaction in doubt: either outcome, never a broken table.
  const auto after = rows("SELECT count(*) FROM t WHERE a = 1");
  EXPECT_EQ((Rows{"1"}), after);
  ok("INSERT INTO t VALUES (5)");
  EXPECT_EQ((Rows{"5"}), rows("SELECT max(a) FROM t"));
}

TEST_F(DurabilityTest, ReadOnlyTransactionsWriteNothing) {
  ok("CREATE TABLE t (a int)");
  const auto size = std::filesystem::file_size(wal_path());
  ok("SELECT * FROM t");
  ok("BEGIN; SELECT 1; COMMIT");
  EXPECT_EQ(size, std::filesystem::file_size(wal_path()));
}

}  // namespace
}  // namespace tessera
