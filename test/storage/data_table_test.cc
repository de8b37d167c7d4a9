#include "storage/data_table.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <thread>
#include <vector>

#include "storage/transaction_manager.h"
#include "test/storage/table_test_data.h"

namespace tessera::storage {
namespace {

using test::all_types;
using test::expected_value;
using test::kKeyColumn;
using test::make_chunk;

// Appends keys [first, first + count) in chunks of `chunk_rows`.
void append_keys(DataTable& table, Transaction& txn, int64_t first, size_t count, size_t chunk_rows = kVectorSize) {
  for (size_t done = 0; done < count;) {
    const size_t n = std::min(chunk_rows, count - done);
    table.append(txn, make_chunk(first + int64_t(done), n));
    done += n;
  }
}

std::vector<LogicalType> projected_types(const std::vector<size_t>& column_ids) {
  std::vector<LogicalType> types;
  for (size_t id : column_ids) types.push_back(all_types()[id]);
  return types;
}

// Scans the whole table single-threaded and returns the key column values in scan order;
// optionally checks every projected value against the expected one.
std::vector<int64_t> scan_keys(const DataTable& table, const Transaction& txn, std::vector<size_t> column_ids,
                               bool check_values) {
  const auto key_pos = std::find(column_ids.begin(), column_ids.end(), kKeyColumn) - column_ids.begin();
  auto global = table.begin_scan(txn, column_ids);
  LocalTableScanState local;
  DataChunk out;
  out.initialize(projected_types(column_ids));
  std::vector<int64_t> keys;
  while (table.next_morsel(*global, local)) {
    while (table.scan(local, out)) {
      EXPECT_GT(out.size(), 0u);
      EXPECT_LE(out.size(), kVectorSize);
      for (size_t r = 0; r < out.size(); r++) {
        const int64_t key = out.get_value(key_pos, r).get_int64();
        keys.push_back(key);
        if (!check_values) continue;
        for (size_t j = 0; j < column_ids.size(); j++) {
          const Value expected = expected_value(column_ids[j], key);
          const Value actual = out.get_value(j, r);
          if (expected != actual) {
            ADD_FAILURE() << "key " << key << " column " << column_ids[j] << ": expected " << expected.to_string()
                          << ", got " << actual.to_string();
            return keys;
          }
        }
      }
    }
    EXPECT_EQ(0u, out.size());
  }
  return keys;
}

size_t count_rows(const DataTable& table, const Transaction& txn) {
  return scan_keys(table, txn, {kKeyColumn}, false).size();
}

TEST(DataTableTest, RoundTripAcrossRowGroups) {
  TransactionManager tm;
  DataTable table(all_types());
  const size_t kRows = 300000;
  auto writer = tm.begin();
  append_keys(table, *writer, 0, kRows, 1500);  // chunks straddle segment and row group ends
  EXPECT_EQ(kRows, table.estimated_row_count());
  EXPECT_EQ(3u, table.row_group_count());
  tm.commit(*writer);

  auto reader = tm.begin();
  const auto keys = scan_keys(table, *reader, {0, 1, 2, 3, 4, 5}, true);
  ASSERT_EQ(kRows, keys.size());
  for (size_t i = 0; i < kRows; i++) ASSERT_EQ(int64_t(i), keys[i]);
}

TEST(DataTableTest, ProjectionInAnyOrder) {
  TransactionManager tm;
  DataTable table(all_types());
  auto writer = tm.begin();
  append_keys(table, *writer, 0, 5000);
  tm.commit(*writer);
  auto reader = tm.begin();
  for (std::vector<size_t> ids : {std::vector<size_t>{5, 3}, {3}, {4, 3, 0}, {3, 5, 5}}) {
    const auto keys = scan_keys(table, *reader, ids, true);
    ASSERT_EQ(5000u, keys.size());
  }
}

TEST(DataTableTest, AcceptsConstantAndDictionaryVectors) {
  TransactionManager tm;
  DataTable table({LogicalType::integer(), LogicalType::varchar()});
  DataChunk base = test::make_chunk(0, 10);
  DataChunk chunk;
  chunk.initialize_empty({LogicalType::integer(), LogicalType::varchar()});
  chunk.column(0).reference(Vector(Value::integer(42)));
  SelectionVector sel(4);
  for (sel_t i = 0; i < 4; i++) sel.set_index(i, 9 - 2 * i);  // keys 9, 7, 5, 3
  chunk.column(1).slice(base.column(5), sel, 4);
  chunk.set_size(4);
  auto txn = tm.begin();
  table.append(*txn, chunk);
  auto global = table.begin_scan(*txn, {0, 1});
  LocalTableScanState local;
  DataChunk out;
  out.initialize({LogicalType::integer(), LogicalType::varchar()});
  ASSERT_TRUE(table.next_morsel(*global, local));
  ASSERT_TRUE(table.scan(local, out));
  ASSERT_EQ(4u, out.size());
  for (size_t r = 0; r < 4; r++) {
    EXPECT_EQ(Value::integer(42), out.get_value(0, r));
    EXPECT_EQ(expected_value(5, 9 - 2 * int64_t(r)), out.get_value(1, r));
  }
  EXPECT_FALSE(table.scan(local, out));
  EXPECT_EQ(0u, out.size());
  EXPECT_FALSE(table.next_morsel(*global, local));
}

TEST(DataTableTest, UntypedNullColumnsStoreNulls) {
  TransactionManager tm;
  DataTable table({LogicalType::integer(), LogicalType::varchar()});
  DataChunk chunk;
  chunk.initialize({LogicalType::integer(), LogicalType::sql_null()});
  chunk.set_value(0, 0, Value::integer(1));
  chunk.set_value(1, 0, Value::null(LogicalType::sql_null()));
  chunk.set_size(1);
  auto txn = tm.begin();
  table.append(*txn, chunk);
  auto global = table.begin_scan(*txn, {1, 0});
  LocalTableScanState local;
  DataChunk out;
  out.initialize({LogicalType::varchar(), LogicalType::integer()});
  ASSERT_TRUE(table.next_morsel(*global, local));
  ASSERT_TRUE(table.scan(local, out));
  ASSERT_EQ(1u, out.size());
  EXPECT_TRUE(out.get_value(0, 0).is_null());
  EXPECT_EQ(Value::integer(1), out.get_value(1, 0));
  EXPECT_EQ(1u, table.zone_map(1, 0).null_count());
}

TEST(DataTableTest, FullVisibleVectorsAreReferencedNotCopied) {
  TransactionManager tm;
  DataTable table(all_types());
  auto writer = tm.begin();
  append_keys(table, *writer, 0, kVectorSize + 100);
  tm.commit(*writer);
  auto reader = tm.begin();
  const uint8_t* first_data = nullptr;
  // The doubles stay uncompressed when their segment is sealed (the keys, a sequence, are
  // delta-encoded and decoded into a new buffer by every scan).
  for (int pass = 0; pass < 2; pass++) {
    auto global = table.begin_scan(*reader, {kKeyColumn, 4});
    LocalTableScanState local;
    DataChunk out;
    out.initialize({LogicalType::bigint(), LogicalType::double_precision()});
    ASSERT_TRUE(table.next_morsel(*global, local));
    ASSERT_TRUE(table.scan(local, out));
    ASSERT_EQ(kVectorSize, out.size());
    EXPECT_EQ(VectorType::kFlat, out.column(1).vector_type());
    if (pass == 0) first_data = out.column(1).data();
    else EXPECT_EQ(first_data, out.column(1).data()) << "both scans should reference the storage vector";
    ASSERT_TRUE(table.scan(local, out));  // the partial last vector is copied
    EXPECT_EQ(100u, out.size());
    EXPECT_FALSE(table.scan(local, out));
  }
}

TEST(DataTableTest, ScannedStringsOutliveTheTable) {
  TransactionManager tm;
  DataChunk out;
  out.initialize({LogicalType::varchar()});
  {
    DataTable table(all_types());
    auto txn = tm.begin();
    append_keys(table, *txn, 0, kVectorSize + 10);
    auto global = table.begin_scan(*txn, {5});
    LocalTableScanState local;
    ASSERT_TRUE(table.next_morsel(*global, local));
    ASSERT_TRUE(table.scan(local, out));
  }
  for (size_t r = 0; r < out.size(); r++) ASSERT_EQ(expected_value(5, int64_t(r)), out.get_value(0, r));
}

TEST(DataTableTest, Visibility) {
  TransactionManager tm;
  DataTable table(all_types());
  auto t1 = tm.begin();
  EXPECT_TRUE(t1->is_read_only());
  EXPECT_GE(t1->id(), kTransactionIdStart);
  append_keys(table, *t1, 0, 3000);
  EXPECT_FALSE(t1->is_read_only());
  auto t2 = tm.begin();
  EXPECT_EQ(3000u, count_rows(table, *t1)) << "own rows are visible";
  EXPECT_EQ(0u, count_rows(table, *t2)) << "uncommitted rows are invisible to others";

  // t2 appends too: each sees only its own uncommitted rows.
  append_keys(table, *t2, 10000, 500);
  EXPECT_EQ(3000u, count_rows(table, *t1));
  EXPECT_EQ(500u, count_rows(table, *t2));

  tm.commit(*t1);
  auto t3 = tm.begin();
  EXPECT_EQ(500u, count_rows(table, *t2)) << "commit after t2 began stays invisible to t2";
  EXPECT_EQ(3000u, count_rows(table, *t3)) << "commit is visible to later transactions";

  tm.rollback(*t2);
  auto t4 = tm.begin();
  EXPECT_EQ(3000u, count_rows(table, *t4)) << "rolled back rows are invisible";
  const auto keys = scan_keys(table, *t4, {0, 1, 2, 3, 4, 5}, true);
  for (int64_t key : keys) EXPECT_LT(key, 10000);

  // A rolled-back transaction's rows stay invisible, even after more commits fill the vector.
  auto t5 = tm.begin();
  append_keys(table, *t5, 20000, 2 * kVectorSize);
  tm.commit(*t5);
  auto t6 = tm.begin();
  const auto all = scan_keys(table, *t6, {3, 5}, true);
  EXPECT_EQ(3000u + 2 * kVectorSize, all.size());
  EXPECT_EQ(3000u, count_rows(table, *t4));
}

TEST(DataTableTest, SealedVectorWithInvisibleRowsIsSliced) {
  TransactionManager tm;
  DataTable table(all_types());
  auto a = tm.begin();
  append_keys(table, *a, 0, 1000);
  auto b = tm.begin();
  append_keys(table, *b, 1000, kVectorSize - 1000);  // fills (seals) the first vector
  tm.rollback(*b);
  tm.commit(*a);
  auto reader = tm.begin();
  auto global = table.begin_scan(*reader, {kKeyColumn, 4});
  LocalTableScanState local;
  DataChunk out;
  out.initialize({LogicalType::bigint(), LogicalType::double_precision()});
  ASSERT_TRUE(table.next_morsel(*global, local));
  ASSERT_TRUE(table.scan(local, out));
  ASSERT_EQ(1000u, out.size());
  // The keys (a sequence) are delta-encoded once sealed: decoded into a flat vector. The doubles
  // stay uncompressed: the sealed vector is referenced through a selection.
  EXPECT_EQ(VectorType::kFlat, out.column(0).vector_type());
  EXPECT_EQ(VectorType::kDictionary, out.column(1).vector_type());
  for (size_t r = 0; r < 1000; r++) {
    ASSERT_EQ(Value::bigint(int64_t(r)), out.get_value(0, r));
    ASSERT_EQ(expected_value(4, int64_t(r)), out.get_value(1, r));
  }
  EXPECT_FALSE(table.scan(local, out));
}

TEST(DataTableTest, ScanSnapshotExcludesLaterAppends) {
  TransactionManager tm;
  DataTable table(all_types());
  auto txn = tm.begin();
  append_keys(table, *txn, 0, 100);
  auto global = table.begin_scan(*txn, {kKeyColumn});
  append_keys(table, *txn, 100, 100);  // e.g. INSERT INTO t SELECT * FROM t
  LocalTableScanState local;
  DataChunk out;
  out.initialize({LogicalType::bigint()});
  size_t rows = 0;
  while (table.next_morsel(*global, local)) {
    while (table.scan(local, out)) rows += out.size();
  }
  EXPECT_EQ(100u, rows);
  EXPECT_EQ(200u, count_rows(table, *txn));
}

TEST(DataTableTest, ParallelScanSeesEachRowOnce) {
  TransactionManager tm;
  DataTable table(all_types());
  const size_t kRows = 5 * kRowGroupSize + 777;
  auto writer = tm.begin();
  append_keys(table, *writer, 0, kRows);
  tm.commit(*writer);
  auto reader = tm.begin();
  auto global = table.begin_scan(*reader, {kKeyColumn, 2});
  EXPECT_EQ(6u, global->morsel_count());
  std::vector<std::atomic<int>> seen(kRows);
  std::atomic<size_t> morsels{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; t++) {
    threads.emplace_back([&] {
      LocalTableScanState local;
      DataChunk out;
      out.initialize({LogicalType::bigint(), LogicalType::integer()});
      while (table.next_morsel(*global, local)) {
        morsels++;
        while (table.scan(local, out)) {
          UnifiedVectorFormat keys;
          out.column(0).to_unified(out.size(), keys);
          for (size_t r = 0; r < out.size(); r++) seen[keys.values<int64_t>()[keys.sel.get_index(r)]]++;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(6u, morsels.load());
  for (size_t i = 0; i < kRows; i++) ASSERT_EQ(1, seen[i].load()) << "key " << i;
}

TEST(DataTableTest, ConcurrentAppendsLoseNoRows) {
  TransactionManager tm;
  DataTable table(all_types());
  const int kThreads = 4, kChunks = 60;
  const size_t kChunkRows = 1000;
  std::vector<std::thread> threads;
  // Half the threads use their own transaction; the other half share one (parallel insert).
  auto shared_txn = tm.begin();
  for (int t = 0; t < kThreads; t++) {
    threads.emplace_back([&, t] {
      std::unique_ptr<Transaction> own = t % 2 == 0 ? tm.begin() : nullptr;
      Transaction& txn = own ? *own : *shared_txn;
      for (int c = 0; c < kChunks; c++) {
        table.append(txn, make_chunk((int64_t(t) * kChunks + c) * int64_t(kChunkRows), kChunkRows));
      }
      if (own) tm.commit(*own);
    });
  }
  for (auto& t : threads) t.join();
  tm.commit(*shared_txn);
  const size_t total = size_t(kThreads) * kChunks * kChunkRows;
  EXPECT_EQ(total, table.estimated_row_count());
  auto reader = tm.begin();
  auto keys = scan_keys(table, *reader, {0, 1, 2, 3, 4, 5}, true);
  ASSERT_EQ(total, keys.size());
  std::sort(keys.begin(), keys.end());
  for (size_t i = 0; i < total; i++) ASSERT_EQ(int64_t(i), keys[i]);
}

TEST(DataTableTest, ReaderSeesWholeCommitsOnly) {
  TransactionManager tm;
  DataTable table(all_types());
  const size_t kBatch = 1000;  // appended as 700 + 300 rows, then committed
  const int kCommits = 150;
  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (int i = 0; i < kCommits; i++) {
      auto txn = tm.begin();
      append_keys(table, *txn, int64_t(i) * kBatch, 700);
      append_keys(table, *txn, int64_t(i) * kBatch + 700, 300);
      tm.commit(*txn);
    }
    done = true;
  });
  // Another writer whose rows are always rolled back: they must never show.
  std::thread aborter([&] {
    while (!done) {
      auto txn = tm.begin();
      append_keys(table, *txn, 1'000'000'000, 123);
      tm.rollback(*txn);
    }
  });
  std::vector<std::thread> readers;
  std::atomic<size_t> scans{0};
  for (int r = 0; r < 2; r++) {
    readers.emplace_back([&] {
      size_t last = 0;
      while (!done) {
        auto txn = tm.begin();
        const auto keys = scan_keys(table, *txn, {kKeyColumn, 5}, false);
        const size_t n = keys.size();
        EXPECT_EQ(0u, n % kBatch) << "saw a partial commit: " << n;
        EXPECT_GE(n, last);
        for (int64_t key : keys) {
          if (key >= int64_t(n)) {
            ADD_FAILURE() << "unexpected key " << key << " with " << n << " rows visible";
            break;
          }
        }
        last = n;
        scans++;
      }
    });
  }
  writer.join();
  aborter.join();
  for (auto& r : readers) r.join();
  EXPECT_GT(scans.load(), 0u);
  auto final_txn = tm.begin();
  EXPECT_EQ(kBatch * kCommits, count_rows(table, *final_txn));
}

TEST(DataTableTest, ZoneMapsPerSegment) {
  TransactionManager tm;
  DataTable table(all_types());
  auto txn = tm.begin();
  append_keys(table, *txn, 0, kVectorSize + 50, 700);
  // Segment 0 holds keys 0..2047, segment 1 keys 2048..2097.
  ZoneMap keys0 = table.zone_map(kKeyColumn, 0);
  EXPECT_EQ(Value::bigint(0), keys0.min());
  EXPECT_EQ(Value::bigint(kVectorSize - 1), keys0.max());
  EXPECT_EQ(0u, keys0.null_count());
  EXPECT_EQ(kVectorSize, keys0.value_count());
  ZoneMap keys1 = table.zone_map(kKeyColumn, 1);
  EXPECT_EQ(Value::bigint(kVectorSize), keys1.min());
  EXPECT_EQ(Value::bigint(kVectorSize + 49), keys1.max());
  // Integer column: key * 7, NULL when key % 17 == 0.
  ZoneMap ints1 = table.zone_map(2, 1);
  size_t nulls = 0;
  for (int64_t k = kVectorSize; k < int64_t(kVectorSize) + 50; k++) nulls += k % 17 == 0;
  EXPECT_EQ(nulls, ints1.null_count());
  EXPECT_EQ(50 - nulls, ints1.value_count());
  EXPECT_EQ(Value::integer(int32_t(kVectorSize + 49) * 7), ints1.max());
  // Strings compare byte-wise.
  ZoneMap strings0 = table.zone_map(5, 0);
  std::string min_s, max_s;
  for (int64_t k = 0; k < int64_t(kVectorSize); k++) {
    const Value v = expected_value(5, k);
    if (v.is_null()) continue;
    if (min_s.empty() || v.get_string() < min_s) min_s = v.get_string();
    if (v.get_string() > max_s) max_s = v.get_string();
  }
  EXPECT_EQ(Value::varchar(min_s), strings0.min());
  EXPECT_EQ(Value::varchar(max_s), strings0.max());
  // A segment that does not exist yet has an empty zone map.
  EXPECT_EQ(0u, table.zone_map(kKeyColumn, 7).value_count());
  EXPECT_TRUE(table.zone_map(kKeyColumn, 7).min().is_null());
}

}  // namespace
}  // namespace tessera::storage
