#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "src/common/sql_error.h"
#include "storage/data_table.h"
#include "storage/hash_index.h"
#include "storage/transaction_manager.h"

namespace tessera::storage {
namespace {

using Row = std::vector<std::optional<int32_t>>;

/// A two-column integer table (a, b) with a unique index on `columns` (and none other).
struct IndexedTable {
  explicit IndexedTable(std::vector<size_t> columns, bool unique = true)
      : table({LogicalType::integer(), LogicalType::integer()}) {
    std::vector<std::string> names;
    for (size_t c : columns) names.push_back(c == 0 ? "a" : "b");
    index = std::make_shared<HashIndex>("t_key", std::move(columns), std::move(names), unique);
    table.add_index(index);
  }

  static DataChunk chunk(const std::vector<Row>& rows) {
    DataChunk out;
    out.initialize({LogicalType::integer(), LogicalType::integer()});
    for (size_t r = 0; r < rows.size(); r++) {
      for (size_t c = 0; c < 2; c++) {
        out.set_value(c, r, rows[r][c] ? Value::integer(*rows[r][c]) : Value::null(LogicalType::integer()));
      }
    }
    out.set_size(rows.size());
    return out;
  }

  /// Appends `rows`; `replaced` as DataTable::append_indexed takes it.
  void insert(Transaction& txn, const std::vector<Row>& rows, const int64_t* replaced = nullptr) {
    DataChunk in = chunk(rows);
    std::vector<std::string> bytes(rows.size());
    std::vector<IndexKey> keys(rows.size());
    for (size_t r = 0; r < rows.size(); r++) {
      for (size_t c : index->columns()) {
        if (!rows[r][c]) {
          keys[r].has_null = true;
          continue;
        }
        char raw[4];
        std::memcpy(raw, &*rows[r][c], 4);
        bytes[r].append(raw, 4);
      }
      keys[r].bytes = bytes[r];
    }
    table.append_indexed(txn, in, {index}, {keys}, replaced);
  }

  DataTable table;
  std::shared_ptr<HashIndex> index;
};

/// The SQLSTATE and message of what `f` throws ("" when it does not).
template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const SqlError& e) {
    return std::string(sqlstate_code(e.state())) + " " + e.what() + " | " + e.detail().value_or("");
  }
  return "";
}

const std::string kDuplicateA1 =
    "23505 duplicate key value violates unique constraint \"t_key\" | Key (a)=(1) already exists.";

TEST(HashIndexTest, CommittedKeyConflicts) {
  TransactionManager manager;
  IndexedTable t({0});
  auto txn = manager.begin();
  t.insert(*txn, {{1, 10}, {2, 20}});
  manager.commit(*txn);
  auto second = manager.begin();
  EXPECT_EQ(error_of([&] { t.insert(*second, {{3, 30}, {1, 40}}); }), kDuplicateA1);
  // Nothing of the failed chunk was appended or indexed.
  EXPECT_EQ(t.index->entry_count(), 2u);
  t.insert(*second, {{3, 30}});
  manager.commit(*second);
  EXPECT_EQ(t.index->entry_count(), 3u);
}

TEST(HashIndexTest, DuplicateInsideOneChunkAndOwnRowsConflict) {
  TransactionManager manager;
  IndexedTable t({0});
  auto txn = manager.begin();
  EXPECT_EQ(error_of([&] { t.insert(*txn, {{1, 10}, {1, 20}}); }), kDuplicateA1);
  t.insert(*txn, {{1, 10}});
  EXPECT_EQ(error_of([&] { t.insert(*txn, {{1, 11}}); }), kDuplicateA1);
}

TEST(HashIndexTest, RolledBackInsertReleasesItsKey) {
  TransactionManager manager;
  IndexedTable t({0});
  auto txn = manager.begin();
  t.insert(*txn, {{1, 10}});
  manager.rollback(*txn);
  auto second = manager.begin();
  t.insert(*second, {{1, 20}});
  manager.commit(*second);
  // The rolled-back entry was dropped when the second insert met it.
  EXPECT_EQ(t.index->entry_count(), 1u);
}

TEST(HashIndexTest, DeletesFreeKeysOnlyWhileTheyHold) {
  TransactionManager manager;
  IndexedTable t({0});
  auto txn = manager.begin();
  t.insert(*txn, {{1, 10}, {2, 20}});
  manager.commit(*txn);
  // A delete rolled back gives the key back to its row.
  auto deleter = manager.begin();
  const int64_t row0 = 0;
  const int64_t row1 = 1;
  ASSERT_EQ(t.table.delete_rows(*deleter, &row0, 1), 1u);
  t.insert(*deleter, {{1, 11}});  // its own delete freed the key
  manager.rollback(*deleter);
  auto after = manager.begin();
  EXPECT_EQ(error_of([&] { t.insert(*after, {{1, 12}}); }), kDuplicateA1);
  manager.rollback(*after);
  // A committed delete frees the key for everyone.
  auto committer = manager.begin();
  ASSERT_EQ(t.table.delete_rows(*committer, &row1, 1), 1u);
  manager.commit(*committer);
  auto reuse = manager.begin();
  t.insert(*reuse, {{2, 21}});
  manager.commit(*reuse);
}

TEST(HashIndexTest, NullsNeverConflictAndAreNotStored) {
  TransactionManager manager;
  IndexedTable t({0, 1});
  auto txn = manager.begin();
  t.insert(*txn, {{1, std::nullopt}, {1, std::nullopt}, {std::nullopt, std::nullopt}});
  EXPECT_EQ(t.index->entry_count(), 0u);
  t.insert(*txn, {{1, 1}, {1, 2}, {2, 1}});
  EXPECT_EQ(t.index->entry_count(), 3u);
  EXPECT_EQ(error_of([&] { t.insert(*txn, {{2, 1}}); }),
            "23505 duplicate key value violates unique constraint \"t_key\" | Key (a, b)=(2, 1) already exists.");
}

TEST(HashIndexTest, NonUniqueIndexKeepsEveryRow) {
  TransactionManager manager;
  IndexedTable t({0}, false);
  auto txn = manager.begin();
  t.insert(*txn, {{1, 1}, {1, 2}, {1, 3}});
  EXPECT_EQ(t.index->key_count(), 1u);
  EXPECT_EQ(t.index->entry_count(), 3u);
}

TEST(HashIndexTest, ReplacedRowsHoldTheirKeysUntilTheirTurn) {
  TransactionManager manager;
  IndexedTable t({0});
  auto txn = manager.begin();
  t.insert(*txn, {{1, 0}, {2, 0}});
  manager.commit(*txn);
  // UPDATE t SET a = a + 1 in row order: the new row 2 meets row 2, not yet replaced.
  auto update = manager.begin();
  update->begin_statement();
  const int64_t old_rows[] = {0, 1};
  ASSERT_EQ(t.table.delete_rows(*update, old_rows, 2), 2u);
  EXPECT_EQ(error_of([&] { t.insert(*update, {{2, 0}, {3, 0}}, old_rows); }),
            "23505 duplicate key value violates unique constraint \"t_key\" | Key (a)=(2) already exists.");
  manager.rollback(*update);
  // UPDATE t SET a = a - 1 in row order: every new key is free at its row's turn.
  auto down = manager.begin();
  down->begin_statement();
  ASSERT_EQ(t.table.delete_rows(*down, old_rows, 2), 2u);
  t.insert(*down, {{0, 0}, {1, 0}}, old_rows);
  manager.commit(*down);
}

TEST(HashIndexTest, ConcurrentInserterWaitsForTheHolder) {
  for (bool commit : {true, false}) {
    TransactionManager manager;
    IndexedTable t({0});
    auto holder = manager.begin();
    t.insert(*holder, {{1, 10}});
    std::atomic<bool> finished{false};
    std::string error;
    auto waiter = manager.begin();
    std::thread other([&] {
      error = error_of([&] { t.insert(*waiter, {{1, 20}}); });
      finished = true;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_FALSE(finished.load()) << "the second inserter must wait for the first";
    if (commit) {
      manager.commit(*holder);
    } else {
      manager.rollback(*holder);
    }
    other.join();
    EXPECT_EQ(error, commit ? kDuplicateA1 : "");
    manager.rollback(*waiter);
  }
}

TEST(HashIndexTest, BuildReportsDuplicatedKeys) {
  TransactionManager manager;
  DataTable table({LogicalType::integer(), LogicalType::integer()});
  HashIndex index("t_a_idx", {0}, {"a"}, true);
  DataChunk rows = IndexedTable::chunk({{5, 1}, {5, 2}});
  const int64_t ids[] = {0, 1};
  const std::string five(4, '\5');
  std::vector<IndexKey> keys = {{five, false}, {five, false}};
  EXPECT_EQ(error_of([&] { table.build_index_entries(index, rows, ids, keys); }),
            "23505 could not create unique index \"t_a_idx\" | Key (a)=(5) is duplicated.");
  HashIndex plain("t_a_idx", {0}, {"a"}, false);
  table.build_index_entries(plain, rows, ids, keys);
  EXPECT_EQ(plain.entry_count(), 2u);
}

}  // namespace
}  // namespace tessera::storage
