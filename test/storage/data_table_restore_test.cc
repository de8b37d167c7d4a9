#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "storage/data_table.h"
#include "storage/transaction_manager.h"
#include "test/storage/table_test_data.h"

namespace tessera::storage {
namespace {

using test::all_types;
using test::expected_value;
using test::kKeyColumn;
using test::make_chunk;

// Every (row id, key) a new transaction sees, in scan order.
std::vector<std::pair<int64_t, int64_t>> visible_rows(const DataTable& table, TransactionManager& manager) {
  auto txn = manager.begin();
  auto global = table.begin_scan(*txn, {kKeyColumn, kRowIdColumn});
  LocalTableScanState local;
  DataChunk out;
  out.initialize({all_types()[kKeyColumn], LogicalType::bigint()});
  std::vector<std::pair<int64_t, int64_t>> rows;
  while (table.next_morsel(*global, local)) {
    while (table.scan(local, out)) {
      for (size_t r = 0; r < out.size(); r++) {
        rows.emplace_back(out.get_value(1, r).get_int64(), out.get_value(0, r).get_int64());
      }
    }
  }
  manager.commit(*txn);
  return rows;
}

TEST(DataTableRestoreTest, StorageIdsAreUniqueAndReservable) {
  DataTable a(all_types());
  DataTable b(all_types());
  EXPECT_NE(a.storage_id(), b.storage_id());
  DataTable::reserve_storage_ids(b.storage_id() + 1000);
  DataTable c(all_types());
  EXPECT_GT(c.storage_id(), b.storage_id() + 1000);
  DataTable restored(all_types(), 7);
  EXPECT_EQ(7u, restored.storage_id());
}

TEST(DataTableRestoreTest, RowsKeepTheirIdsAndGapsStayInvisible) {
  TransactionManager manager;
  DataTable table(all_types());
  table.restore_rows(0, make_chunk(0, 10));
  // A gap of rolled-back rows (across a row group boundary), then more rows.
  const uint64_t far = kRowGroupSize + 5;
  table.restore_rows(far, make_chunk(100, 3));
  EXPECT_EQ(far + 3, table.row_id_end());
  const auto rows = visible_rows(table, manager);
  ASSERT_EQ(13u, rows.size());
  for (int64_t i = 0; i < 10; i++) EXPECT_EQ(std::make_pair(i, i), rows[size_t(i)]);
  for (int64_t i = 0; i < 3; i++) EXPECT_EQ(std::make_pair(int64_t(far) + i, 100 + i), rows[size_t(10 + i)]);
  // Every column round-trips.
  const int64_t ids[] = {3, int64_t(far) + 1};
  DataChunk out;
  out.initialize(all_types());
  table.fetch_rows(ids, 2, out);
  for (size_t c = 0; c < all_types().size(); c++) {
    EXPECT_EQ(expected_value(c, 3), out.get_value(c, 0));
    EXPECT_EQ(expected_value(c, 101), out.get_value(c, 1));
  }
}

TEST(DataTableRestoreTest, DeletesHideRowsFromEverySnapshot) {
  TransactionManager manager;
  DataTable table(all_types());
  for (int64_t first = 0; first < 5000; first += int64_t(kVectorSize)) {
    table.restore_rows(uint64_t(first), make_chunk(first, std::min<size_t>(kVectorSize, size_t(5000 - first))));
  }
  const int64_t deleted[] = {0, 2047, 2048, 4999};
  table.restore_deletes(deleted, 4);
  const auto rows = visible_rows(table, manager);
  EXPECT_EQ(4996u, rows.size());
  for (const auto& [id, key] : rows) {
    EXPECT_TRUE(id != 0 && id != 2047 && id != 2048 && id != 4999);
    EXPECT_EQ(id, key);
  }
  // New transactions append after the restored rows and may delete restored ones.
  auto txn = manager.begin();
  table.append(*txn, make_chunk(9000, 2));
  const int64_t more[] = {1};
  EXPECT_EQ(1u, table.delete_rows(*txn, more, 1));
  manager.commit(*txn);
  const auto after = visible_rows(table, manager);
  ASSERT_EQ(4997u, after.size());
  EXPECT_EQ(std::make_pair(int64_t{5000}, int64_t{9000}), after[after.size() - 2]);
}

TEST(DataTableRestoreTest, ReadRowsReturnsAppendedRowsWhateverTheirVersion) {
  TransactionManager manager;
  DataTable table(all_types());
  auto txn = manager.begin();
  table.append(*txn, make_chunk(0, 2048));
  table.append(*txn, make_chunk(2048, 952));
  const auto& undo = txn->undo_log();
  ASSERT_FALSE(undo.empty());
  const auto& appended = std::get<AppendedRows>(undo.front());
  EXPECT_EQ(table.storage_id(), appended.row_group->storage_id());
  DataChunk out;
  out.initialize(all_types());
  appended.row_group->read_rows(2040, 8, out);
  ASSERT_EQ(8u, out.size());
  for (size_t c = 0; c < all_types().size(); c++) EXPECT_EQ(expected_value(c, 2045), out.get_value(c, 5));
  appended.row_group->read_rows(2048, 952, out);
  EXPECT_EQ(expected_value(kKeyColumn, 2999), out.get_value(kKeyColumn, 951));
  manager.rollback(*txn);
  appended.row_group->read_rows(0, 2048, out);
  EXPECT_EQ(expected_value(kKeyColumn, 2047), out.get_value(kKeyColumn, 2047));
}

}  // namespace
}  // namespace tessera::storage
