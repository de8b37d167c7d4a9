// VACUUM through the SQL front end: the rewrite keeps the live rows under new row ids and new
// storage, rebuilds the indexes, leaves snapshots older than its commit reading the old
// version, vanishes with a failed statement, and survives a restart.

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "catalog/catalog_entry.h"
#include "src/main/database.h"
#include "storage/data_table.h"
#include "storage/transaction_manager.h"
#include "test/main/session_fixture.h"
#include "test/support/temp_directory.h"

namespace tessera {
namespace {

using test_support::Collector;
using Rows = std::vector<std::string>;

class VacuumTest : public test_support::ReopenableDatabaseTest {
 protected:
  explicit VacuumTest(bool durable = false) : ReopenableDatabaseTest("tessera-vacuum"), durable_(durable) { open(); }

  void open() { reopen(DatabaseConfig{.threads = 2, .memory_limit = 0, .durable = durable_}); }

  /// The committed version of table `name`'s storage (id, row ids handed out).
  std::pair<uint64_t, uint64_t> storage_of(const std::string& name) {
    auto txn = db_->transactions().begin();
    auto table = db_->catalog().get_table(*txn, name);
    std::pair<uint64_t, uint64_t> result{table->storage().storage_id(), table->storage().row_id_end()};
    db_->transactions().rollback(*txn);
    return result;
  }

  /// Row group data files ("<storage id>-<index>.rg") anywhere below the data directory.
  size_t count_data_files() const {
    size_t n = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_.path())) {
      n += entry.path().extension() == ".rg";
    }
    return n;
  }

  bool durable_;
};

TEST_F(VacuumTest, RewriteKeepsLiveRowsUnderNewRowIdsAndIndexes) {
  ok("CREATE TABLE t (id int PRIMARY KEY, v text, g int)");
  ok("CREATE INDEX t_g ON t(g)");
  ok("INSERT INTO t SELECT x, 'v' || x, x % 7 FROM generate_series(1, 5000) x");
  ok("DELETE FROM t WHERE id % 5 <> 0");
  const auto before = storage_of("t");
  EXPECT_EQ(before.second, 5000u);
  const auto c = run("VACUUM t");
  ASSERT_TRUE(c.errors.empty()) << c.messages.front();
  EXPECT_EQ(c.tags, Rows{"VACUUM"});
  const auto after = storage_of("t");
  EXPECT_NE(after.first, before.first);
  EXPECT_EQ(after.second, 1000u);  // only the live rows, at row ids 0..999
  EXPECT_EQ(rows("SELECT count(*), sum(id), min(id), max(id) FROM t"), Rows{"1000|2502500|5|5000"});
  EXPECT_EQ(rows("SELECT v FROM t WHERE id = 4995"), Rows{"v4995"});
  EXPECT_EQ(rows("SELECT count(*) FROM t WHERE g = 3"), rows("SELECT count(*) FROM t WHERE g + 0 = 3"));
  EXPECT_EQ(error("INSERT INTO t VALUES (10, 'dup', 1)"), "23505");
  ok("INSERT INTO t VALUES (11, 'new', 1)");
  EXPECT_EQ(rows("SELECT v FROM t WHERE id = 11"), Rows{"new"});
  // The rewritten rows take updates and deletes like any.
  ok("UPDATE t SET v = 'changed' WHERE id = 4995");
  ok("DELETE FROM t WHERE id = 5");
  EXPECT_EQ(rows("SELECT v FROM t WHERE id = 4995"), Rows{"changed"});
  EXPECT_EQ(rows("SELECT count(*) FROM t"), Rows{"1000"});
}

TEST_F(VacuumTest, PlainVacuumRewritesOnlyPastTheThreshold) {
  ok("CREATE TABLE t (a int)");
  ok("INSERT INTO t SELECT x FROM generate_series(1, 1000) x");
  const auto start = storage_of("t");
  ok("VACUUM t");  // nothing dead
  EXPECT_EQ(storage_of("t"), start);
  ok("DELETE FROM t WHERE a <= 150");  // 15%
  ok("VACUUM t");
  EXPECT_EQ(storage_of("t"), start);
  // A rolled-back insert leaves dead slots too: 150 + 100 of 1100 is 22.7%.
  ok("BEGIN");
  ok("INSERT INTO t SELECT x FROM generate_series(1, 100) x");
  ok("ROLLBACK");
  ok("VACUUM t");
  const auto rewritten = storage_of("t");
  EXPECT_NE(rewritten.first, start.first);
  EXPECT_EQ(rewritten.second, 850u);
  // FULL rewrites whatever the share.
  ok("VACUUM FULL t");
  EXPECT_NE(storage_of("t").first, rewritten.first);
  EXPECT_EQ(rows("SELECT count(*), min(a) FROM t"), Rows{"850|151"});
}

TEST_F(VacuumTest, OlderSnapshotKeepsReadingTheOldVersion) {
  ok("CREATE TABLE t (id int PRIMARY KEY, v int)");
  ok("INSERT INTO t SELECT x, x FROM generate_series(1, 1000) x");
  ok("BEGIN ISOLATION LEVEL REPEATABLE READ", 1);  // one snapshot for the whole transaction
  EXPECT_EQ(rows("SELECT count(*) FROM t", 1), Rows{"1000"});
  ok("DELETE FROM t WHERE id > 100");
  ok("VACUUM FULL t");
  EXPECT_EQ(storage_of("t").second, 100u);
  // The open transaction's snapshot predates the delete and the rewrite.
  EXPECT_EQ(rows("SELECT count(*), sum(v) FROM t", 1), Rows{"1000|500500"});
  EXPECT_EQ(rows("SELECT v FROM t WHERE id = 700", 1), Rows{"700"});
  ok("COMMIT", 1);
  EXPECT_EQ(rows("SELECT count(*), sum(v) FROM t", 1), Rows{"100|5050"});
  EXPECT_EQ(rows("SELECT v FROM t WHERE id = 70", 1), Rows{"70"});
}

TEST_F(VacuumTest, OlderSnapshotCannotWriteTheOldVersion) {
  ok("CREATE TABLE t (id int PRIMARY KEY, v int)");
  ok("INSERT INTO t SELECT x, x FROM generate_series(1, 100) x");
  for (const std::string write : {"INSERT INTO t VALUES (500, 500)", "UPDATE t SET v = 0 WHERE id = 1",
                                  "DELETE FROM t WHERE id = 2", "TRUNCATE t"}) {
    ok("BEGIN ISOLATION LEVEL REPEATABLE READ", 1);
    EXPECT_EQ(rows("SELECT count(*) FROM t", 1), Rows{"100"});
    ok("VACUUM FULL t");
    // Its write would go to storage no later snapshot reads: it fails instead of being lost.
    EXPECT_EQ(error(write, 1), "42P01") << write;
    ok("ROLLBACK", 1);
  }
  EXPECT_EQ(rows("SELECT count(*), sum(v) FROM t"), Rows{"100|5050"});
  // Under READ COMMITTED the next statement takes a new snapshot: it writes the new version.
  ok("BEGIN", 1);
  EXPECT_EQ(rows("SELECT count(*) FROM t", 1), Rows{"100"});
  ok("VACUUM FULL t");
  ok("UPDATE t SET v = 0 WHERE id = 1", 1);
  ok("COMMIT", 1);
  EXPECT_EQ(rows("SELECT count(*), sum(v) FROM t"), Rows{"100|5049"});
}

TEST_F(VacuumTest, FailedStatementRollsBackEveryRewrite) {
  ok("CREATE TABLE a (x int PRIMARY KEY)");
  ok("CREATE TABLE b (x int)");
  ok("INSERT INTO a SELECT g FROM generate_series(1, 100) g");
  ok("INSERT INTO b VALUES (1)");
  ok("DELETE FROM a WHERE x > 10");
  const auto before = storage_of("a");
  // Session 1 writes b, so VACUUM's lock on b waits, and lock_timeout ends the statement after
  // it rewrote a.
  ok("BEGIN", 1);
  ok("INSERT INTO b VALUES (2)", 1);
  ok("SET lock_timeout = 50");
  EXPECT_EQ(error("VACUUM FULL a, b"), "55P03");
  EXPECT_EQ(storage_of("a"), before);
  ok("COMMIT", 1);
  EXPECT_EQ(rows("SELECT count(*) FROM a"), Rows{"10"});
  EXPECT_EQ(error("INSERT INTO a VALUES (5)"), "23505");
  ok("SET lock_timeout = 0");
  ok("VACUUM FULL a, b");
  EXPECT_EQ(storage_of("a").second, 10u);
  EXPECT_EQ(storage_of("b").second, 2u);
}

TEST_F(VacuumTest, RefusedInsideATransactionBlock) {
  ok("CREATE TABLE t (a int)");
  ok("BEGIN");
  EXPECT_EQ(error("VACUUM t"), "25001");
  EXPECT_EQ(error("SELECT 1"), "25P02");
  ok("ROLLBACK");
  ok("BEGIN");
  ok("ANALYZE t");
  ok("COMMIT");
  // Several statements in one query string form an implicit transaction block.
  const auto c = run("INSERT INTO t VALUES (1); VACUUM t");
  EXPECT_EQ(c.errors, Rows{"25001"});
  EXPECT_EQ(rows("SELECT count(*) FROM t"), Rows{"0"});
  EXPECT_EQ(run("INSERT INTO t VALUES (1); ANALYZE t").errors, Rows{});
  ok("VACUUM t");
  EXPECT_EQ(rows("SELECT count(*) FROM t"), Rows{"1"});
}

TEST_F(VacuumTest, VerboseReportsEachStep) {
  ok("CREATE TABLE t (a int)");
  ok("CREATE VIEW v AS SELECT * FROM t");
  ok("INSERT INTO t SELECT x FROM generate_series(1, 10) x");
  ok("DELETE FROM t WHERE a > 5");
  const auto c = run("VACUUM (VERBOSE, ANALYZE) t, v");
  ASSERT_TRUE(c.errors.empty());
  EXPECT_EQ(c.notices, (Rows{"skipping \"v\" --- cannot vacuum non-tables or special system tables",
                              "vacuuming \"public.t\"", "\"public.t\": found 5 removable, 5 nonremovable row versions",
                              "analyzing \"public.t\"", "\"t\": containing 5 live rows"}));
  EXPECT_EQ(run("ANALYZE v").notices,
            Rows{"skipping \"v\" --- cannot analyze non-tables or special system tables"});
}

class VacuumDurabilityTest : public VacuumTest {
 protected:
  VacuumDurabilityTest() : VacuumTest(true) {}
};

TEST_F(VacuumDurabilityTest, RewriteSurvivesARestart) {
  ok("CREATE TABLE t (id int PRIMARY KEY, v text)");
  ok("INSERT INTO t SELECT x, 'v' || x FROM generate_series(1, 3000) x");
  ok("DELETE FROM t WHERE id > 1000");
  ok("VACUUM t");
  ok("INSERT INTO t VALUES (5000, 'after')");
  ok("DELETE FROM t WHERE id = 7");
  const auto before = storage_of("t");
  EXPECT_EQ(before.second, 1001u);
  open();
  EXPECT_EQ(storage_of("t"), before);
  EXPECT_EQ(rows("SELECT count(*), sum(id), max(v) FROM t"), Rows{"1000|505493|v999"});
  EXPECT_EQ(rows("SELECT v FROM t WHERE id = 5000"), Rows{"after"});
  EXPECT_EQ(error("INSERT INTO t VALUES (1000, 'dup')"), "23505");
  ok("VACUUM FULL t");
  open();
  EXPECT_EQ(storage_of("t").second, 1000u);
  EXPECT_EQ(rows("SELECT count(*), sum(id) FROM t"), Rows{"1000|505493"});
  // A checkpoint after a rewrite writes the new version's rows only.
  ok("DELETE FROM t WHERE id > 500");
  ok("VACUUM t");
  ok("CHECKPOINT");
  ok("INSERT INTO t VALUES (6000, 'late')");
  const auto checkpointed = storage_of("t");
  open();
  EXPECT_EQ(storage_of("t"), checkpointed);
  EXPECT_EQ(rows("SELECT count(*), sum(id) FROM t"), Rows{"500|131243"});
  EXPECT_EQ(rows("SELECT v FROM t WHERE id = 6000"), Rows{"late"});
}

TEST_F(VacuumDurabilityTest, RewriteOfRowsReadFromDataFiles) {
  // More than a row group, so the checkpoint writes a data file and recovery restores the
  // group from it unloaded; VACUUM then reads it, and ANALYZE too.
  ok("CREATE TABLE t (id int PRIMARY KEY, g int)");
  ok("INSERT INTO t SELECT x, x % 10 FROM generate_series(1, 130000) x");
  ok("CHECKPOINT");
  EXPECT_EQ(count_data_files(), 1u);
  open();
  ok("DELETE FROM t WHERE id % 2 = 0");
  ok("ANALYZE t");
  ok("VACUUM t");
  EXPECT_EQ(storage_of("t").second, 65000u);
  open();
  EXPECT_EQ(rows("SELECT count(*), sum(g), max(id) FROM t"), Rows{"65000|325000|129999"});
  EXPECT_EQ(rows("SELECT g FROM t WHERE id = 129999"), Rows{"9"});
  EXPECT_EQ(error("INSERT INTO t VALUES (129999, 0)"), "23505");
}

}  // namespace
}  // namespace tessera
