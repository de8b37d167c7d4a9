#include "storage/table_statistics.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace tessera::storage
