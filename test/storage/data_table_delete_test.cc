#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <set>
#include <thread>
#include <vector>

#include "src/common/sql_error.h"
#include "storage/data_table.h"
#include "storage/delete_versions.h"
#include "storage/transaction_manager.h"
#include "test/storage/table_test_data.h"

namespace tessera::storage {
namespace {

using test::all_types;
using test::kKeyColumn;
using test::make_chunk;

/// Fills the table with keys [0, rows) committed by one transaction.
void fill(TransactionManager& manager, DataTable& table, size_t rows) {
  auto txn = manager.begin();
  for (size_t done = 0; done < rows; done += kVectorSize) {
    table.append(*txn, make_chunk(static_cast<int64_t>(done), std::min(kVectorSize, rows - done)));
  }
  manager.commit(*txn);
}

/// (key, row id) of every row `txn` sees, ordered by key; optionally with a storage filter.
std::vector<std::pair<int64_t, int64_t>> scan(const DataTable& table, const Transaction& txn,
                                              TableFilterSet filters = {}) {
  auto global = table.begin_scan(txn, {kKeyColumn, kRowIdColumn}, std::move(filters));
  LocalTableScanState local;
  DataChunk out;
  out.initialize({LogicalType::bigint(), LogicalType::bigint()});
  std::vector<std::pair<int64_t, int64_t>> rows;
  while (table.next_morsel(*global, local)) {
    while (table.scan(local, out)) {
      for (size_t r = 0; r < out.size(); r++) {
        rows.emplace_back(out.column(0).get_value(r).get_int64(), out.column(1).get_value(r).get_int64());
      }
    }
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

std::vector<int64_t> keys(const std::vector<std::pair<int64_t, int64_t>>& rows) {
  std::vector<int64_t> out;
  for (const auto& r : rows) out.push_back(r.first);
  return out;
}

/// Row ids of the keys `wanted` (by scanning as `txn`).
std::vector<int64_t> row_ids_of(const DataTable& table, const Transaction& txn, const std::set<int64_t>& wanted) {
  std::vector<int64_t> ids;
  for (const auto& [key, id] : scan(table, txn)) {
    if (wanted.count(key)) ids.push_back(id);
  }
  return ids;
}

TEST(DeleteVersionsTest, AllocatesPerVectorAndFiltersBySnapshot) {
  DeleteVersions deletes;
  EXPECT_FALSE(deletes.has_deletes(0));
  EXPECT_EQ(deletes.version(5), kNotDeleted);
  const uint64_t id = kTransactionIdStart + 7;
  EXPECT_EQ(deletes.try_delete(kVectorSize + 3, id), kNotDeleted);
  EXPECT_FALSE(deletes.has_deletes(0));
  EXPECT_TRUE(deletes.has_deletes(1));
  EXPECT_EQ(deletes.try_delete(kVectorSize + 3, id + 1), id);  // already taken
  uint32_t sel[4] = {2, 3, 4, 5};
  // The deleting transaction no longer sees the row; another one still does.
  EXPECT_EQ(deletes.filter_visible(1, RowVisibility{10, id, id + 1}, sel, 4), 3u);
  EXPECT_EQ(sel[0], 2u);
  EXPECT_EQ(sel[1], 4u);
  uint32_t sel2[2] = {3, 4};
  EXPECT_EQ(deletes.filter_visible(1, RowVisibility{10, id + 1, id + 2}, sel2, 2), 2u);
  uint32_t row = kVectorSize + 3;
  deletes.commit(&row, 1, 20);
  uint32_t sel3[1] = {3};
  EXPECT_EQ(deletes.filter_visible(1, RowVisibility{19, 0, 0}, sel3, 1), 1u);  // older snapshot: still visible
  EXPECT_EQ(deletes.filter_visible(1, RowVisibility{20, 0, 0}, sel3, 1), 0u);
  deletes.rollback(&row, 1);
  EXPECT_EQ(deletes.version(row), kNotDeleted);
}

TEST(DataTableDeleteTest, DeleteIsVisibleToOwnerThenToLaterSnapshotsAfterCommit) {
  TransactionManager manager;
  DataTable table(all_types());
  fill(manager, table, 5000);
  auto deleter = manager.begin();
  auto ids = row_ids_of(table, *deleter, {1, 2, 3000, 4999});
  ASSERT_EQ(ids.size(), 4u);
  EXPECT_EQ(table.delete_rows(*deleter, ids.data(), ids.size()), 4u);
  // Deleting again in the same transaction is a no-op (a row matched twice).
  EXPECT_EQ(table.delete_rows(*deleter, ids.data(), ids.size()), 0u);
  EXPECT_EQ(scan(table, *deleter).size(), 4996u);
  auto other = manager.begin();
  EXPECT_EQ(scan(table, *other).size(), 5000u);  // uncommitted delete
  manager.commit(*deleter);
  EXPECT_EQ(scan(table, *other).size(), 5000u);  // committed after its snapshot
  auto later = manager.begin();
  auto seen = keys(scan(table, *later));
  EXPECT_EQ(seen.size(), 4996u);
  EXPECT_FALSE(std::binary_search(seen.begin(), seen.end(), 3000));
  EXPECT_TRUE(std::binary_search(seen.begin(), seen.end(), 2999));
  EXPECT_EQ(table.estimated_row_count(), 4996u);
  EXPECT_EQ(table.statistics().row_count, 4996.0);
}

TEST(DataTableDeleteTest, RollbackRestoresDeletedRows) {
  TransactionManager manager;
  DataTable table(all_types());
  fill(manager, table, 3000);
  auto txn = manager.begin();
  std::set<int64_t> wanted;
  for (int64_t k = 0; k < 3000; k += 2) wanted.insert(k);
  auto ids = row_ids_of(table, *txn, wanted);
  EXPECT_EQ(table.delete_rows(*txn, ids.data(), ids.size()), 1500u);
  EXPECT_EQ(scan(table, *txn).size(), 1500u);
  ASSERT_EQ(txn->undo_log().size(), 1u);
  EXPECT_TRUE(std::holds_alternative<DeletedRows>(txn->undo_log()[0]));
  manager.rollback(*txn);
  auto after = manager.begin();
  EXPECT_EQ(scan(table, *after).size(), 3000u);
  EXPECT_EQ(table.estimated_row_count(), 3000u);
  // The rows can be deleted again.
  EXPECT_EQ(table.delete_rows(*after, ids.data(), ids.size()), 1500u);
}

TEST(DataTableDeleteTest, OwnInsertedRowsCanBeDeleted) {
  TransactionManager manager;
  DataTable table(all_types());
  auto txn = manager.begin();
  table.append(*txn, make_chunk(0, 10));
  auto ids = row_ids_of(table, *txn, {3});
  EXPECT_EQ(table.delete_rows(*txn, ids.data(), ids.size()), 1u);
  EXPECT_EQ(scan(table, *txn).size(), 9u);
  manager.commit(*txn);
  auto later = manager.begin();
  EXPECT_EQ(scan(table, *later).size(), 9u);
}

TEST(DataTableDeleteTest, AStatementDoesNotSeeItsOwnWrites) {
  TransactionManager manager;
  DataTable table(all_types());
  fill(manager, table, 10);
  auto txn = manager.begin();
  txn->begin_statement();
  auto ids = row_ids_of(table, *txn, {1, 2});
  table.delete_rows(*txn, ids.data(), ids.size());
  table.append(*txn, make_chunk(100, 3));
  // The statement that wrote still reads its snapshot: the rows it deleted, not those it added.
  EXPECT_EQ(keys(scan(table, *txn)), (std::vector<int64_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
  // Deleting a row the statement deleted already is a no-op.
  EXPECT_EQ(table.delete_rows(*txn, ids.data(), ids.size()), 0u);
  txn->begin_statement();
  EXPECT_EQ(keys(scan(table, *txn)), (std::vector<int64_t>{0, 3, 4, 5, 6, 7, 8, 9, 100, 101, 102}));
  manager.commit(*txn);
  auto later = manager.begin();
  EXPECT_EQ(scan(table, *later).size(), 11u);
}

TEST(DataTableDeleteTest, ZoneMapFiltersStillApplyWithDeletes) {
  TransactionManager manager;
  DataTable table(all_types());
  fill(manager, table, 3 * kVectorSize);
  auto txn = manager.begin();
  auto ids = row_ids_of(table, *txn, {10, 11, 2500});
  table.delete_rows(*txn, ids.data(), ids.size());
  manager.commit(*txn);
  auto reader = manager.begin();
  TableFilterSet filters;
  filters.add(kKeyColumn, std::make_unique<CompareFilter>(CompareOp::kLess, Value::bigint(20)));
  EXPECT_EQ(keys(scan(table, *reader, std::move(filters))),
            (std::vector<int64_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 14, 15, 16, 17, 18, 19}));
  TableFilterSet range;
  range.add(kKeyColumn, std::make_unique<CompareFilter>(CompareOp::kGreaterEqual, Value::bigint(2499)));
  auto high = keys(scan(table, *reader, std::move(range)));
  EXPECT_EQ(high.size(), 3 * kVectorSize - 2499 - 1);
  EXPECT_EQ(high[0], 2499);
  EXPECT_EQ(high[1], 2501);
}

TEST(DataTableDeleteTest, ConflictWithCommittedDeleteAfterSnapshotFails) {
  TransactionManager manager;
  DataTable table(all_types());
  fill(manager, table, 10);
  auto first = manager.begin();
  auto second = manager.begin();
  auto ids = row_ids_of(table, *first, {4});
  table.delete_rows(*first, ids.data(), ids.size());
  manager.commit(*first);
  try {
    table.delete_rows(*second, ids.data(), ids.size());
    FAIL() << "expected 40001";
  } catch (const SqlError& e) {
    EXPECT_EQ(e.state(), SqlState::kSerializationFailure);
    EXPECT_STREQ(e.what(), "could not serialize access due to concurrent update");
  }
}

TEST(DataTableDeleteTest, WaitsForRunningDeleterThenFailsIfItCommits) {
  TransactionManager manager;
  DataTable table(all_types());
  fill(manager, table, 10);
  auto first = manager.begin();
  auto second = manager.begin();
  auto ids = row_ids_of(table, *first, {4});
  table.delete_rows(*first, ids.data(), ids.size());
  std::atomic<int> outcome{0};  // 1 = 40001, 2 = deleted
  std::thread waiter([&] {
    try {
      table.delete_rows(*second, ids.data(), ids.size());
      outcome = 2;
    } catch (const SqlError& e) {
      outcome = e.state() == SqlState::kSerializationFailure ? 1 : 3;
    }
  });
  while (manager.locks().waiting_count() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_EQ(outcome.load(), 0);
  manager.commit(*first);
  waiter.join();
  EXPECT_EQ(outcome.load(), 1);
}

TEST(DataTableDeleteTest, WaitsForRunningDeleterThenProceedsIfItRollsBack) {
  TransactionManager manager;
  DataTable table(all_types());
  fill(manager, table, 10);
  auto first = manager.begin();
  auto second = manager.begin();
  auto ids = row_ids_of(table, *first, {4, 5});
  table.delete_rows(*first, ids.data(), 1);
  size_t deleted = 0;
  std::thread waiter([&] { deleted = table.delete_rows(*second, ids.data(), ids.size()); });
  while (manager.locks().waiting_count() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  manager.rollback(*first);
  waiter.join();
  EXPECT_EQ(deleted, 2u);
  manager.commit(*second);
  auto later = manager.begin();
  EXPECT_EQ(scan(table, *later).size(), 8u);
}

TEST(DataTableDeleteTest, DeleteWithoutWaitingReportsRowsHeldByRunningTransactions) {
  TransactionManager manager;
  DataTable table(all_types());
  fill(manager, table, 10);
  auto first = manager.begin();
  auto second = manager.begin();
  auto ids = row_ids_of(table, *first, {2, 4, 6});
  table.delete_rows(*first, &ids[1], 1);
  uint32_t deleted[3];
  uint32_t blocked[3];
  size_t blocked_count = 0;
  EXPECT_EQ(table.delete_rows_without_waiting(*second, ids.data(), 3, deleted, blocked, blocked_count), 2u);
  EXPECT_EQ(deleted[0], 0u);
  EXPECT_EQ(deleted[1], 2u);
  ASSERT_EQ(blocked_count, 1u);
  EXPECT_EQ(blocked[0], 1u);
  EXPECT_EQ(manager.locks().waiting_count(), 0u);
  manager.rollback(*first);
  EXPECT_EQ(table.delete_rows(*second, &ids[blocked[0]], 1), 1u);
  EXPECT_EQ(scan(table, *second).size(), 7u);
}

TEST(DataTableDeleteTest, WaitIsInterruptedByCancel) {
  TransactionManager manager;
  DataTable table(all_types());
  fill(manager, table, 10);
  auto first = manager.begin();
  auto second = manager.begin();
  std::atomic<bool> cancel{false};
  second->set_interrupt_flag(&cancel);
  auto ids = row_ids_of(table, *first, {4});
  table.delete_rows(*first, ids.data(), ids.size());
  std::atomic<int> state{0};
  std::thread waiter([&] {
    try {
      table.delete_rows(*second, ids.data(), ids.size());
    } catch (const SqlError& e) {
      state = e.state() == SqlState::kQueryCanceled ? 1 : 2;
    }
  });
  while (manager.locks().waiting_count() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  cancel = true;
  waiter.join();
  EXPECT_EQ(state.load(), 1);
  manager.rollback(*second);
  manager.rollback(*first);
}

TEST(DataTableDeleteTest, CrossedWaitsAreADeadlock) {
  TransactionManager manager;
  DataTable table(all_types());
  fill(manager, table, 10);
  auto a = manager.begin();
  auto b = manager.begin();
  auto row1 = row_ids_of(table, *a, {1});
  auto row2 = row_ids_of(table, *a, {2});
  table.delete_rows(*a, row1.data(), 1);
  table.delete_rows(*b, row2.data(), 1);
  std::atomic<int> a_state{0};
  std::thread ta([&] {
    try {
      table.delete_rows(*a, row2.data(), 1);
      a_state = 2;
    } catch (const SqlError& e) {
      a_state = e.state() == SqlState::kDeadlockDetected ? 1 : e.state() == SqlState::kSerializationFailure ? 4 : 3;
    }
  });
  while (manager.locks().waiting_count() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  int b_state = 0;
  try {
    table.delete_rows(*b, row1.data(), 1);
    b_state = 2;
  } catch (const SqlError& e) {
    b_state = e.state() == SqlState::kDeadlockDetected ? 1 : 3;
  }
  // b closes the cycle: it fails; rolling it back lets a delete row 2.
  EXPECT_EQ(b_state, 1);
  manager.rollback(*b);
  ta.join();
  EXPECT_EQ(a_state.load(), 2);
  manager.commit(*a);
}

TEST(DataTableDeleteTest, DeleteAllRemovesCommittedAndOwnRows) {
  TransactionManager manager;
  DataTable table(all_types());
  fill(manager, table, 100);
  auto old_reader = manager.begin();
  auto txn = manager.begin();
  table.append(*txn, make_chunk(1000, 5));
  EXPECT_EQ(table.delete_all(*txn), 105u);
  EXPECT_EQ(scan(table, *txn).size(), 0u);
  manager.rollback(*txn);
  auto again = manager.begin();
  EXPECT_EQ(scan(table, *again).size(), 100u);
  EXPECT_EQ(table.delete_all(*again), 100u);
  manager.commit(*again);
  EXPECT_EQ(scan(table, *old_reader).size(), 100u);
  auto later = manager.begin();
  EXPECT_EQ(scan(table, *later).size(), 0u);
}

}  // namespace
}  // namespace tessera::storage
