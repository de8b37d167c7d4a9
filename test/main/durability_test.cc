// The write-ahead log and recovery through the SQL front end: a Database on a data directory
// is destroyed (as a crash leaves it: nothing is written at shutdown) and opened again, and
// every committed change must be back, nothing uncommitted.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>
#include <memory>
#include <string>
#include <vector>

#include "src/common/sql_error.h"
#include "src/main/database.h"
#include "src/main/session.h"
#include "src/main/write_ahead_log.h"
#include "storage/durable/binary_io.h"
#include "storage/durable/log_file.h"
#include "storage/transaction_manager.h"
#include "storage/buffer_pool.h"
#include "storage/data_table.h"
#include "catalog/catalog.h"
#include "test/main/session_fixture.h"
#include "test/support/temp_directory.h"

namespace tessera {
namespace {

using test_support::Collector;

class DurabilityTest : public test_support::ReopenableDatabaseTest {
 protected:
  DurabilityTest() : ReopenableDatabaseTest("tessera-durability") { open(); }

  void open(uint64_t checkpoint_bytes = uint64_t{256} << 20, uint64_t buffer_pool_bytes = 0) {
    reopen(DatabaseConfig{.threads = 2,
                          .memory_limit = 0,
                          .durable = true,
                          .checkpoint_bytes = checkpoint_bytes,
                          .buffer_pool_bytes = buffer_pool_bytes});
  }
  std::string wal_path() const { return dir_.path() + "/" + kWalFileName; }
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

TEST_F(DurabilityTest, UndecodableRecordStopsRecoveryWithDataCorrupted) {
  ok("CREATE TABLE t (a int)");
  ok("INSERT INTO t VALUES (1)");
  sessions_.clear();
  db_.reset();
  {
    const auto contents = storage::read_log_file(wal_path());
    auto writer = storage::LogWriter::open_for_append(wal_path(), contents);
    // Whole and checksummed, but not a commit record anybody wrote.
    writer->append(static_cast<uint8_t>(WalRecordType::kCommit), std::string(12, '\xff'));
    writer->flush();
  }
  try {
    open();
    ADD_FAILURE() << "recovery accepted an undecodable record";
  } catch (const SqlError& e) {
    EXPECT_EQ("XX001", std::string(sqlstate_code(e.state())));
    EXPECT_NE(std::string::npos, e.message().find(kWalFileName)) << e.message();
  }
}

TEST_F(DurabilityTest, RecordsOfACommitCutOffNeverApplyToALaterTransaction) {
  ok("CREATE TABLE t (a int)");
  ok("INSERT INTO t VALUES (1), (2), (3)");
  uint64_t storage_id = 0;
  {
    auto txn = db_->transactions().begin();
    storage_id = db_->catalog().get_table(*txn, "t")->storage().storage_id();
    db_->transactions().commit(*txn);
  }
  sessions_.clear();
  db_.reset();
  const auto size = std::filesystem::file_size(wal_path());
  {
    // A crash in the middle of logging a commit leaves whole rows and deletes records without
    // their commit record, under ids the next run hands out again.
    const auto contents = storage::read_log_file(wal_path());
    auto writer = storage::LogWriter::open_for_append(wal_path(), contents);
    for (uint64_t n = 0; n < 64; n++) {
      storage::BinaryWriter out;
      out.put_u64(storage::kTransactionIdStart + n * storage::kVersionsPerTransaction);
      out.put_varint(storage_id);
      out.put_varint(1);
      out.put_varint(0);  // row id 0: a = 1
      writer->append(static_cast<uint8_t>(WalRecordType::kDeletes), out.data());
    }
    writer->flush();
  }
  open();
  EXPECT_EQ(size, std::filesystem::file_size(wal_path()));
  EXPECT_GT(db_->recovery().torn_bytes, 0u);
  // Transaction ids go on after those of the log's commits.
  uint64_t first_id = 0;
  {
    auto txn = db_->transactions().begin();
    first_id = txn->id();
    db_->transactions().commit(*txn);
  }
  ok("INSERT INTO t VALUES (0)");
  ok("DELETE FROM t WHERE a = 0");
  open();
  {
    auto txn = db_->transactions().begin();
    EXPECT_GT(txn->id(), first_id);
    db_->transactions().commit(*txn);
  }
  for (int i = 4; i < 12; i++) ok("INSERT INTO t VALUES (" + std::to_string(i) + ")");
  ok("DELETE FROM t WHERE a > 4");
  open();
  EXPECT_EQ((Rows{"1", "2", "3", "4"}), rows("SELECT * FROM t ORDER BY a"));
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

TEST_F(DurabilityTest, CheckpointKeepsTheCommittedStateInASmallerLog) {
  ok("CREATE TABLE t (a int PRIMARY KEY, b text)");
  ok("INSERT INTO t SELECT g, 'row ' || g FROM generate_series(1, 20000) g");
  ok("DELETE FROM t WHERE a > 100");
  ok("CREATE SEQUENCE s");
  ok("SELECT nextval('s') FROM generate_series(1, 7)");
  ok("CREATE VIEW v AS SELECT count(*) AS n FROM t");
  ok("DROP SCHEMA public CASCADE");
  ok("CREATE SCHEMA public");
  ok("CREATE TABLE t (a int PRIMARY KEY, b text)");
  ok("INSERT INTO t SELECT g, 'row ' || g FROM generate_series(1, 20000) g");
  ok("DELETE FROM t WHERE a > 100");
  ok("CREATE SEQUENCE s");
  ok("SELECT nextval('s') FROM generate_series(1, 7)");
  // A transaction in flight across the checkpoint: its rows and deletes commit after it.
  ok("BEGIN", 1);
  ok("INSERT INTO t VALUES (100001, 'late')", 1);
  ok("DELETE FROM t WHERE a = 1", 1);
  const auto before = std::filesystem::file_size(wal_path());
  const CheckpointReport report = db_->checkpoint();
  EXPECT_EQ(before, report.log_bytes_before);
  EXPECT_LT(report.log_bytes_after * 4, report.log_bytes_before);
  EXPECT_EQ(100u, report.rows);
  ok("COMMIT", 1);
  ok("INSERT INTO t VALUES (100002, 'after')");
  open();
  EXPECT_EQ((Rows{"101|100002|2"}), rows("SELECT count(*), max(a), min(a) FROM t"));
  EXPECT_EQ((Rows{"8"}), rows("SELECT nextval('s')"));
  EXPECT_EQ("23505", error("INSERT INTO t VALUES (2, 'dup')"));
  ok("INSERT INTO t VALUES (1, 'again')");
  // Twice in a row, and with nothing changed in between.
  db_->checkpoint();
  db_->checkpoint();
  open();
  EXPECT_EQ((Rows{"102"}), rows("SELECT count(*) FROM t"));
  EXPECT_EQ((Rows{"9"}), rows("SELECT nextval('s')"));
}

TEST_F(DurabilityTest, CheckpointsWhileCommitsGoOnLoseNothing) {
  ok("CREATE TABLE t (a int)");
  std::atomic<bool> done{false};
  std::atomic<int> committed{0};
  pgwire::BackendSession& writer_session = session(1);
  std::thread writer([&] {
    for (int i = 0; i < 300; i++) {
      Collector c;
      writer_session.execute_simple("INSERT INTO t SELECT g FROM generate_series(1, 10) g", c);
      if (c.errors.empty()) committed++;
    }
    done = true;
  });
  int checkpoints = 0;
  while (!done) {
    db_->checkpoint();
    checkpoints++;
  }
  writer.join();
  EXPECT_GT(checkpoints, 0);
  EXPECT_EQ(300, committed.load());
  open();
  EXPECT_EQ((Rows{"3000"}), rows("SELECT count(*) FROM t"));
}

TEST_F(DurabilityTest, BackgroundCheckpointBoundsTheLog) {
  open(64 << 10);
  ok("CREATE TABLE t (a int, b text)");
  // Rows that do not compress, inserted and deleted again: the log grows, the live data not.
  uint64_t largest = 0;
  for (int i = 0; i < 40; i++) {
    ok("INSERT INTO t SELECT g, md5(g::text || '/" + std::to_string(i) + "') FROM generate_series(1, 200) g");
    ok("DELETE FROM t");
    largest = std::max<uint64_t>(largest, std::filesystem::file_size(wal_path()));
  }
  EXPECT_GT(largest, uint64_t{64} << 10);  // past the limit: a checkpoint is due
  // The checkpoint runs in the background: wait for the log to shrink below what it was.
  for (int i = 0; i < 500 && std::filesystem::file_size(wal_path()) >= largest; i++) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_LT(std::filesystem::file_size(wal_path()), largest);
  EXPECT_LE(std::filesystem::file_size(wal_path()), uint64_t{256} << 10);
  ok("INSERT INTO t VALUES (1, 'kept')");
  open();
  EXPECT_EQ((Rows{"1|kept"}), rows("SELECT * FROM t"));
}

TEST_F(DurabilityTest, LeftoverCheckpointFileIsIgnoredAndRemoved) {
  ok("CREATE TABLE t (a int)");
  ok("INSERT INTO t VALUES (1)");
  sessions_.clear();
  db_.reset();
  const std::string leftover = dir_.path() + "/" + kCheckpointFileName;
  {
    std::ofstream out(leftover, std::ios::binary);
    out << "half a checkpoint";
  }
  open();
  EXPECT_FALSE(std::filesystem::exists(leftover));
  EXPECT_EQ((Rows{"1"}), rows("SELECT * FROM t"));
}

// Row groups of 122,880 rows: 300,000 rows fill two and start a third.
constexpr int kManyRows = 300000;

TEST_F(DurabilityTest, CheckpointWritesFullRowGroupsAsDataFilesOnce) {
  ok("CREATE TABLE t (a int PRIMARY KEY, b text, c double precision)");
  ok("INSERT INTO t SELECT g, 'row ' || (g % 1000), g / 7.0 FROM generate_series(1, " + std::to_string(kManyRows) +
     ") g");
  ok("DELETE FROM t WHERE a % 10 = 0");
  const auto expected = rows("SELECT count(*), sum(a), count(DISTINCT b), round(sum(c)) FROM t");
  const CheckpointReport first = db_->checkpoint();
  EXPECT_EQ(2u, first.data_files);
  EXPECT_EQ(2u, first.data_files_written);
  EXPECT_GT(first.data_file_bytes, 0u);
  EXPECT_EQ(uint64_t(kManyRows - kManyRows / 10), first.rows);
  const std::string tables = dir_.path() + "/" + kDataDirectoryName;
  size_t files = 0;
  for (const auto& file : std::filesystem::directory_iterator(tables)) files += file.path().extension() == ".rg";
  EXPECT_EQ(2u, files);
  // More deletes: the files stay as they are, the checkpoint names the deleted rows.
  ok("DELETE FROM t WHERE a % 10 = 1");
  const auto after_delete = rows("SELECT count(*), sum(a), count(DISTINCT b), round(sum(c)) FROM t");
  const CheckpointReport second = db_->checkpoint();
  EXPECT_EQ(2u, second.data_files);
  EXPECT_EQ(0u, second.data_files_written);
  open();
  EXPECT_EQ(2u, db_->recovery().data_files);
  EXPECT_EQ(after_delete, rows("SELECT count(*), sum(a), count(DISTINCT b), round(sum(c)) FROM t"));
  EXPECT_NE(expected, after_delete);
  EXPECT_EQ("23505", error("INSERT INTO t VALUES (5, 'dup', 0)"));
  ok("INSERT INTO t VALUES (10, 'again', 0)");  // a deleted key is free
  EXPECT_EQ((Rows{"1"}), rows("SELECT count(*) FROM t WHERE a = 10"));
  // Recovered data files are named again, not written again.
  const CheckpointReport third = db_->checkpoint();
  EXPECT_EQ(0u, third.data_files_written);
  EXPECT_EQ(2u, third.data_files);
}

TEST_F(DurabilityTest, RowGroupsWithWritesInFlightStayInTheLog) {
  ok("CREATE TABLE t (a int, b text)");
  ok("INSERT INTO t SELECT g, 'x' FROM generate_series(1, 1000) g");
  // An insert and a delete in flight across the checkpoint: the insert's rows sit in the
  // first row group, which other commits then fill.
  ok("BEGIN", 1);
  ok("INSERT INTO t SELECT g, 'late' FROM generate_series(1, 500) g", 1);
  ok("BEGIN", 2);
  ok("DELETE FROM t WHERE a <= 10 AND b = 'x'", 2);
  ok("INSERT INTO t SELECT g, 'y' FROM generate_series(1, " + std::to_string(kManyRows) + ") g");
  const CheckpointReport report = db_->checkpoint();
  // The first row group holds rows of the open insert: not settled. The second is.
  EXPECT_EQ(1u, report.data_files);
  ok("COMMIT", 1);
  ok("COMMIT", 2);
  const auto expected = rows("SELECT b, count(*), sum(a) FROM t GROUP BY b ORDER BY b");
  open();
  EXPECT_EQ(1u, db_->recovery().data_files);
  EXPECT_EQ(expected, rows("SELECT b, count(*), sum(a) FROM t GROUP BY b ORDER BY b"));
  EXPECT_EQ((Rows{"late|500|125250", "x|990|500445", "y|300000|45000150000"}), expected);
}

TEST_F(DurabilityTest, DataFilesOfDroppedTablesAndStrayFilesAreRemoved) {
  ok("CREATE TABLE gone (a int)");
  ok("INSERT INTO gone SELECT g FROM generate_series(1, 130000) g");
  ok("CREATE TABLE kept (a int)");
  ok("INSERT INTO kept SELECT g FROM generate_series(1, 130000) g");
  EXPECT_EQ(2u, db_->checkpoint().data_files_written);
  ok("DROP TABLE gone");
  const CheckpointReport report = db_->checkpoint();
  EXPECT_EQ(1u, report.data_files);
  EXPECT_EQ(1u, report.data_files_removed);
  // A data file no checkpoint names (one a crash left behind) goes at the next start.
  sessions_.clear();
  db_.reset();
  const std::string tables = dir_.path() + "/" + kDataDirectoryName + "/";
  {
    std::ofstream stray(tables + "999999-0.rg", std::ios::binary);
    stray << "stray";
    std::ofstream temporary(tables + "999999-1.rg.tmp", std::ios::binary);
    temporary << "half";
  }
  open();
  EXPECT_EQ(2u, db_->recovery().removed_files);
  EXPECT_FALSE(std::filesystem::exists(tables + "999999-0.rg"));
  EXPECT_EQ((Rows{"130000"}), rows("SELECT count(*) FROM kept"));
  EXPECT_EQ("42P01", error("SELECT * FROM gone"));
}

TEST_F(DurabilityTest, DamagedDataFilesAreDataCorrupted) {
  ok("CREATE TABLE precious (a int, b text)");
  ok("INSERT INTO precious SELECT g, 'row ' || g FROM generate_series(1, 130000) g");
  db_->checkpoint();
  sessions_.clear();
  db_.reset();
  std::string file;
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path() + "/" + kDataDirectoryName)) {
    file = entry.path();
  }
  ASSERT_FALSE(file.empty());
  const auto size = std::filesystem::file_size(file);
  auto damage = [&](uint64_t offset) {
    std::fstream data(file, std::ios::binary | std::ios::in | std::ios::out);
    data.seekg(static_cast<std::streamoff>(offset));
    const char byte = static_cast<char>(data.get());
    data.seekp(static_cast<std::streamoff>(offset));
    data.put(static_cast<char>(byte ^ 0x40));
  };
  // A damaged column block: the server starts (blocks are read when used); the statement
  // reading it fails, the session goes on.
  damage(size / 4);
  open();
  EXPECT_EQ((Rows{"130000"}), rows("SELECT count(*) FROM precious"));
  const auto c = run("SELECT sum(a), max(b) FROM precious");
  ASSERT_EQ(1u, c.errors.size());
  EXPECT_EQ("XX001", c.errors.front());
  EXPECT_NE(std::string::npos, c.messages.front().find("table \"precious\"")) << c.messages.front();
  EXPECT_EQ((Rows{"1"}), rows("SELECT 1"));
  damage(size / 4);  // repaired
  // A damaged footer: recovery stops.
  sessions_.clear();
  db_.reset();
  damage(size - 20);
  try {
    open();
    FAIL() << "recovered from a damaged data file";
  } catch (const SqlError& e) {
    EXPECT_EQ(SqlState::kDataCorrupted, e.state());
    EXPECT_NE(std::string::npos, e.message().find("table \"precious\"")) << e.message();
  }
  damage(size - 20);
  open();
  EXPECT_EQ((Rows{"130000|row 99999"}), rows("SELECT count(*), max(b) FROM precious"));
  // A missing data file, too.
  sessions_.clear();
  db_.reset();
  std::filesystem::remove(file);
  try {
    open();
    FAIL() << "recovered without a data file";
  } catch (const SqlError& e) {
    EXPECT_EQ(SqlState::kDataCorrupted, e.state());
  }
}

TEST_F(DurabilityTest, TablesLargerThanTheBufferPoolAreReadInPieces) {
  ok("CREATE TABLE big (a int, b text, c bigint)");
  ok("INSERT INTO big SELECT g, md5(g::text), g * 3 FROM generate_series(1, 500000) g");
  const auto expected = rows("SELECT count(*), sum(a), count(DISTINCT b), sum(c) FROM big");
  db_->checkpoint();
  open(uint64_t{256} << 20, 1 << 20);  // a pool far smaller than the table's four data files
  const auto before = storage::BufferPool::instance().stats();
  EXPECT_EQ(expected, rows("SELECT count(*), sum(a), count(DISTINCT b), sum(c) FROM big"));
  EXPECT_EQ(expected, rows("SELECT count(*), sum(a), count(DISTINCT b), sum(c) FROM big"));
  const auto after = storage::BufferPool::instance().stats();
  EXPECT_GT(after.evictions, before.evictions);
  EXPECT_GT(after.loads - before.loads, 12u);  // read twice: the first reading did not stay
  storage::BufferPool::instance().set_limit(0);
}

TEST_F(DurabilityTest, ScatteredDeletesKeepTheCheckpointCompact) {
  ok("CREATE TABLE t (a int, b text)");
  ok("INSERT INTO t SELECT g, 'value ' || (g % 100) FROM generate_series(1, 60000) g");
  const uint64_t whole = db_->checkpoint().log_bytes_after;
  // Every tenth row deleted, a rolled-back insert in between, an insert in flight: the
  // checkpoint writes the settled rows as long runs and lists the dead ones.
  ok("DELETE FROM t WHERE a % 10 = 0");
  ok("BEGIN", 1);
  ok("INSERT INTO t SELECT g, 'rolled back' FROM generate_series(1, 5000) g", 1);
  ok("ROLLBACK", 1);
  ok("BEGIN", 2);
  ok("INSERT INTO t SELECT g, 'in flight' FROM generate_series(1, 100) g", 2);
  ok("INSERT INTO t SELECT g, 'after' FROM generate_series(60001, 61000) g");
  ok("DELETE FROM t WHERE a BETWEEN 20000 AND 29999");  // a long gap: not written
  const CheckpointReport report = db_->checkpoint();
  EXPECT_LT(report.log_bytes_after, whole + whole / 5);
  EXPECT_EQ(uint64_t(54000 - 9000 + 1000), report.rows);
  ok("COMMIT", 2);
  const auto expected = rows("SELECT b = 'in flight', count(*), sum(a) FROM t GROUP BY 1 ORDER BY 1");
  open();
  EXPECT_EQ(expected, rows("SELECT b = 'in flight', count(*), sum(a) FROM t GROUP BY 1 ORDER BY 1"));
  EXPECT_EQ((Rows{"0"}),
            rows("SELECT count(*) FROM t WHERE b = 'rolled back' OR a % 10 = 0 AND a <= 60000 AND b <> 'in flight'"));
  ok("INSERT INTO t VALUES (-1, 'next')");
  open();
  EXPECT_EQ((Rows{"-1|next"}), rows("SELECT * FROM t WHERE a < 0"));
}

TEST_F(DurabilityTest, CheckpointedRowGroupsLeaveMemoryAndStayReadable) {
  open(uint64_t{256} << 20, 1 << 20);  // a small pool: columns go as soon as others are read
  ok("CREATE TABLE t (a int, b text)");
  ok("INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 300000) g");
  const auto expected = rows("SELECT count(*), sum(a), count(DISTINCT b) FROM t");
  EXPECT_EQ((Rows{"none|3"}), rows("SELECT codec, count(DISTINCT row_group) FROM tessera_storage() GROUP BY 1"));
  // An older snapshot keeps reading the table after it is dropped and its files are no longer
  // named by the log.
  ok("BEGIN ISOLATION LEVEL REPEATABLE READ", 1);
  EXPECT_EQ(expected, rows("SELECT count(*), sum(a), count(DISTINCT b) FROM t", 1));
  db_->checkpoint();
  EXPECT_EQ((Rows{"lz4|2", "none|1"}),
            rows("SELECT codec, count(DISTINCT row_group) FROM tessera_storage() GROUP BY 1 ORDER BY 1"));
  const auto before = storage::BufferPool::instance().stats();
  EXPECT_EQ(expected, rows("SELECT count(*), sum(a), count(DISTINCT b) FROM t"));
  EXPECT_EQ(expected, rows("SELECT count(*), sum(a), count(DISTINCT b) FROM t"));
  EXPECT_GT(storage::BufferPool::instance().stats().evictions, before.evictions);
  ok("DROP TABLE t");
  const CheckpointReport report = db_->checkpoint();
  EXPECT_EQ(0u, report.data_files_removed);  // the older snapshot may still read them
  EXPECT_EQ(expected, rows("SELECT count(*), sum(a), count(DISTINCT b) FROM t", 1));
  ok("COMMIT", 1);
  sessions_.clear();  // the snapshot and the sessions go; the dropped table's storage with them
  ok("SELECT 1");
  EXPECT_EQ(2u, db_->checkpoint().data_files_removed);
  storage::BufferPool::instance().set_limit(0);
}

}  // namespace
}  // namespace tessera
