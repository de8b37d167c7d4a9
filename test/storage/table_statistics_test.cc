#include "storage/table_statistics.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "src/common/data_chunk.h"
#include "storage/data_table.h"
#include "storage/transaction_manager.h"

namespace tessera::storage {
namespace {

TEST(DistinctSketchTest, SmallCountsAreNearlyExact) {
  DistinctSketch sketch;
  EXPECT_EQ(sketch.estimate(), 0);
  for (uint64_t n = 1; n <= 200; n++) {
    sketch.add_hash(hash_int(n));
    sketch.add_hash(hash_int(n));  // duplicates change nothing
    EXPECT_NEAR(sketch.estimate(), static_cast<double>(n), std::max(1.0, 0.03 * n)) << n;
  }
}

TEST(DistinctSketchTest, LargeCountsWithinAFewPercent) {
  DistinctSketch sketch;
  for (uint64_t i = 0; i < 300000; i++) sketch.add_hash(hash_int(i % 100000));
  EXPECT_NEAR(sketch.estimate(), 100000, 100000 * 0.1);
}

TEST(DistinctSketchTest, ConcurrentAddsLoseNothing) {
  DistinctSketch sketch;
  std::vector<std::thread> threads;
  for (uint64_t t = 0; t < 4; t++) {
    threads.emplace_back([&sketch, t] {
      for (uint64_t i = 0; i < 5000; i++) sketch.add_hash(hash_int(t * 5000 + i));
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_NEAR(sketch.estimate(), 20000, 20000 * 0.1);
}

TEST(TableStatisticsTest, DataTableKeepsCountsNullsAndBounds) {
  TransactionManager tm;
  DataTable table({LogicalType::bigint(), LogicalType::varchar(), LogicalType::double_precision()});
  auto txn = tm.begin();
  for (int64_t start = 0; start < 5000; start += 1000) {
    DataChunk chunk;
    chunk.initialize(table.types());
    for (size_t r = 0; r < 1000; r++) {
      const int64_t i = start + static_cast<int64_t>(r);
      chunk.set_value(0, r, Value::bigint(i - 100));
      chunk.set_value(1, r, i % 5 == 0 ? Value::null(LogicalType::varchar()) : Value::varchar("v" + std::to_string(i % 30)));
      chunk.set_value(2, r, Value::null(LogicalType::double_precision()));
    }
    chunk.set_size(1000);
    table.append(*txn, chunk);
  }
  const TableStatistics stats = table.statistics();
  EXPECT_EQ(stats.row_count, 5000);
  ASSERT_EQ(stats.columns.size(), 3u);
  EXPECT_NEAR(stats.columns[0].distinct_count, 5000, 250);
  EXPECT_EQ(stats.columns[0].min.get_int64(), -100);
  EXPECT_EQ(stats.columns[0].max.get_int64(), 4899);
  EXPECT_DOUBLE_EQ(stats.columns[0].null_fraction, 0);
  // i % 30 for i not a multiple of 5: the 24 residues not divisible by 5.
  EXPECT_NEAR(stats.columns[1].distinct_count, 24, 1);
  EXPECT_DOUBLE_EQ(stats.columns[1].null_fraction, 0.2);
  EXPECT_EQ(stats.columns[1].min.to_string(), "v1");
  EXPECT_EQ(stats.columns[1].max.to_string(), "v9");
  // All NULL: no distinct values, no bounds.
  EXPECT_EQ(stats.columns[2].distinct_count, 0);
  EXPECT_DOUBLE_EQ(stats.columns[2].null_fraction, 1);
  EXPECT_TRUE(stats.columns[2].min.is_null());
}


/// Appends rows [start, start + count): column 0 the key, column 1 NULL for keys divisible by 4
/// else the key % 10.
void append_rows(DataTable& table, Transaction& txn, int64_t start, size_t count) {
  DataChunk chunk;
  chunk.initialize(table.types());
  for (size_t r = 0; r < count; r++) {
    const int64_t key = start + static_cast<int64_t>(r);
    chunk.set_value(0, r, Value::bigint(key));
    chunk.set_value(1, r, key % 4 == 0 ? Value::null(LogicalType::bigint()) : Value::bigint(key % 10));
  }
  chunk.set_size(count);
  table.append(txn, chunk);
}

/// Deletes (and commits) the rows with keys >= `from`; the table holds keys [0, n) at row ids
/// [0, n).
void delete_from(TransactionManager& tm, DataTable& table, int64_t from, int64_t n) {
  auto txn = tm.begin();
  std::vector<int64_t> ids;
  for (int64_t id = from; id < n; id++) ids.push_back(id);
  for (size_t done = 0; done < ids.size(); done += kVectorSize) {
    table.delete_rows(*txn, ids.data() + done, std::min(kVectorSize, ids.size() - done));
  }
  tm.commit(*txn);
}

TEST(TableStatisticsTest, AnalyzeMeasuresOnlyLiveRows) {
  TransactionManager tm;
  DataTable table({LogicalType::bigint(), LogicalType::bigint()});
  {
    auto txn = tm.begin();
    for (int64_t start = 0; start < 10000; start += 2000) append_rows(table, *txn, start, 2000);
    tm.commit(*txn);
  }
  {
    // A rolled-back insert of larger keys: counted by the sketch and zone maps until ANALYZE.
    auto txn = tm.begin();
    append_rows(table, *txn, 50000, 1000);
    tm.rollback(*txn);
  }
  delete_from(tm, table, 100, 10000);
  TableStatistics before = table.statistics();
  EXPECT_EQ(before.columns[0].max.get_int64(), 50999);
  EXPECT_GT(before.columns[0].distinct_count, 5000);

  auto reader = tm.begin();
  EXPECT_EQ(table.analyze(*reader, {0, 1}), 100u);
  const TableStatistics after = table.statistics();
  EXPECT_EQ(after.row_count, 100);
  EXPECT_EQ(after.columns[0].min.get_int64(), 0);
  EXPECT_EQ(after.columns[0].max.get_int64(), 99);
  EXPECT_NEAR(after.columns[0].distinct_count, 100, 3);
  EXPECT_DOUBLE_EQ(after.columns[0].null_fraction, 0);
  // Keys 0..99: 25 multiples of 4 are NULL; the others hold key % 10 (0..9 all occur).
  EXPECT_DOUBLE_EQ(after.columns[1].null_fraction, 0.25);
  EXPECT_NEAR(after.columns[1].distinct_count, 10, 1);
  EXPECT_EQ(after.columns[1].max.get_int64(), 9);
}

TEST(TableStatisticsTest, ChangesAfterAnalyzeFoldIn) {
  TransactionManager tm;
  DataTable table({LogicalType::bigint(), LogicalType::bigint()});
  {
    auto txn = tm.begin();
    append_rows(table, *txn, 0, 1000);
    tm.commit(*txn);
  }
  delete_from(tm, table, 500, 1000);
  {
    auto txn = tm.begin();
    table.analyze(*txn, {0});
  }
  EXPECT_EQ(table.statistics().row_count, 500);
  EXPECT_EQ(table.statistics().columns[0].max.get_int64(), 499);
  // Column 1 was not analyzed: it keeps the figures over every row appended.
  EXPECT_DOUBLE_EQ(table.statistics().columns[1].null_fraction, 0.25);
  {
    // Appended since: raises the count and widens the bounds and the sketch.
    auto txn = tm.begin();
    append_rows(table, *txn, 20000, 300);
    tm.commit(*txn);
  }
  TableStatistics stats = table.statistics();
  EXPECT_EQ(stats.row_count, 800);
  EXPECT_EQ(stats.columns[0].min.get_int64(), 0);
  EXPECT_EQ(stats.columns[0].max.get_int64(), 20299);
  EXPECT_NEAR(stats.columns[0].distinct_count, 800, 30);
  // Deleted since: lowers the row count.
  {
    auto txn = tm.begin();
    std::vector<int64_t> ids;
    for (int64_t id = 0; id < 200; id++) ids.push_back(id);
    EXPECT_EQ(table.delete_rows(*txn, ids.data(), ids.size()), 200u);
    tm.commit(*txn);
  }
  EXPECT_EQ(table.statistics().row_count, 600);
  // A second ANALYZE measures afresh.
  {
    auto txn = tm.begin();
    EXPECT_EQ(table.analyze(*txn, {0, 1}), 600u);
  }
  stats = table.statistics();
  EXPECT_EQ(stats.row_count, 600);
  EXPECT_EQ(stats.columns[0].min.get_int64(), 200);
  EXPECT_NEAR(stats.columns[0].distinct_count, 600, 20);
}

TEST(TableStatisticsTest, AnalyzeSeesItsSnapshot) {
  TransactionManager tm;
  DataTable table({LogicalType::bigint(), LogicalType::bigint()});
  auto old_snapshot = tm.begin();
  {
    auto txn = tm.begin();
    append_rows(table, *txn, 0, 100);
    tm.commit(*txn);
  }
  // Rows committed after the snapshot are not seen; an uncommitted insert neither.
  auto writer = tm.begin();
  append_rows(table, *writer, 1000, 50);
  EXPECT_EQ(table.analyze(*old_snapshot, {0}), 0u);
  EXPECT_TRUE(table.statistics().columns[0].min.is_null() || table.statistics().columns[0].min.get_int64() >= 1000);
  // The row count still counts the rows committed after the snapshot.
  EXPECT_EQ(table.statistics().row_count, 100);
  auto fresh = tm.begin();
  EXPECT_EQ(table.analyze(*fresh, {0}), 100u);
  EXPECT_EQ(table.statistics().columns[0].max.get_int64(), 99);
  EXPECT_EQ(table.statistics().row_count, 100);
  tm.rollback(*writer);
}

TEST(TableStatisticsTest, AnalyzeRunsConcurrentlyWithAppends) {
  TransactionManager tm;
  DataTable table({LogicalType::bigint(), LogicalType::bigint()});
  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (int64_t start = 0; start < 40000; start += 1000) {
      auto txn = tm.begin();
      append_rows(table, *txn, start, 1000);
      tm.commit(*txn);
    }
    done = true;
  });
  size_t analyses = 0;
  while (!done || analyses == 0) {
    auto txn = tm.begin();
    const size_t live = table.analyze(*txn, {0, 1});
    EXPECT_EQ(live % 1000, 0u);  // whole committed transactions only
    const TableStatistics stats = table.statistics();
    EXPECT_GE(stats.row_count, static_cast<double>(live));
    analyses++;
  }
  writer.join();
  auto txn = tm.begin();
  EXPECT_EQ(table.analyze(*txn, {0, 1}), 40000u);
  const TableStatistics stats = table.statistics();
  EXPECT_EQ(stats.row_count, 40000);
  EXPECT_EQ(stats.columns[0].max.get_int64(), 39999);
  EXPECT_NEAR(stats.columns[0].distinct_count, 40000, 4000);
}

TEST(TableStatisticsTest, AnalyzeOfNoColumnsCountsRows) {
  TransactionManager tm;
  DataTable table({LogicalType::bigint(), LogicalType::bigint()});
  auto txn = tm.begin();
  EXPECT_EQ(table.analyze(*txn, {}), 0u);
  EXPECT_EQ(table.statistics().row_count, 0);
  EXPECT_TRUE(table.statistics().columns[0].min.is_null());
  append_rows(table, *txn, 0, 10);
  EXPECT_EQ(table.analyze(*txn, {}), 10u);  // its own inserts
  EXPECT_EQ(table.statistics().row_count, 10);
  EXPECT_EQ(table.statistics().columns[0].max.get_int64(), 9);
}

}  // namespace
}  // namespace tessera::storage
