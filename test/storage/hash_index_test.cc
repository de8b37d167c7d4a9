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

/// The row ids `lookup_rows` finds for key `a` (one int32 column) in `visibility`.
std::vector<int64_t> lookup(const IndexedTable& t, const RowVisibility& visibility, std::vector<int32_t> values) {
  std::vector<std::string> bytes;
  for (int32_t v : values) bytes.emplace_back(reinterpret_cast<const char*>(&v), 4);
  std::vector<IndexKey> keys;
  for (const auto& b : bytes) keys.push_back(IndexKey{b, false});
  std::vector<std::pair<uint32_t, int64_t>> found;
  t.table.lookup_rows(visibility, *t.index, keys, found);
  std::vector<int64_t> rows;
  for (const auto& [key, row] : found) rows.push_back(row);
  return rows;
}

TEST(HashIndexTest, LookupSeesTheSnapshot) {
  TransactionManager manager;
  IndexedTable t({0});
  auto loader = manager.begin();
  t.insert(*loader, {{1, 10}, {2, 20}});
  manager.commit(*loader);
  auto reader = manager.begin();
  auto writer = manager.begin();
  // Another transaction's insert in flight is not seen; the writer sees its own.
  t.insert(*writer, {{3, 30}});
  EXPECT_EQ(lookup(t, reader->row_visibility(), {3}), std::vector<int64_t>{});
  EXPECT_EQ(lookup(t, writer->row_visibility(), {3, 1}), (std::vector<int64_t>{2, 0}));
  // A delete hides the row from its own transaction only, also once committed (the reader's
  // snapshot is older).
  const int64_t row0 = 0;
  ASSERT_EQ(t.table.delete_rows(*writer, &row0, 1), 1u);
  EXPECT_EQ(lookup(t, writer->row_visibility(), {1}), std::vector<int64_t>{});
  EXPECT_EQ(lookup(t, reader->row_visibility(), {1}), std::vector<int64_t>{0});
  manager.commit(*writer);
  EXPECT_EQ(lookup(t, reader->row_visibility(), {1}), std::vector<int64_t>{0});
  // A new row taking the freed key leaves the old entry to the reader's snapshot.
  auto reuser = manager.begin();
  t.insert(*reuser, {{1, 11}});
  manager.commit(*reuser);
  EXPECT_EQ(lookup(t, reader->row_visibility(), {1}), std::vector<int64_t>{0});
  auto later = manager.begin();
  EXPECT_EQ(lookup(t, later->row_visibility(), {1, 2, 3}), (std::vector<int64_t>{3, 1, 2}));
  manager.commit(*reader);
  manager.commit(*later);
  // Once no snapshot sees the deleted row, the next insert meeting its entry drops it.
  auto dropper = manager.begin();
  EXPECT_EQ(error_of([&] { t.insert(*dropper, {{1, 12}}); }), kDuplicateA1);
  EXPECT_EQ(t.index->entry_count(), 3u);
}

TEST(HashIndexTest, LookupsDuringConcurrentUpdatesSeeOneRowPerKey) {
  // A writer replaces the row of one key at a time (delete + insert, committed together) and
  // adds new keys; every reader snapshot sees each old key exactly once and a growing number of
  // new keys, while the writer's unique checks meet and drop the entries of settled deletes.
  TransactionManager manager;
  IndexedTable t({0});
  constexpr int32_t kKeys = 200;
  std::vector<Row> initial;
  for (int32_t k = 0; k < kKeys; k++) initial.push_back({k, 0});
  auto loader = manager.begin();
  t.insert(*loader, initial);
  manager.commit(*loader);
  std::vector<int32_t> old_keys;
  for (int32_t k = 0; k < kKeys; k++) old_keys.push_back(k);
  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (int32_t i = 0; i < 600; i++) {
      auto txn = manager.begin();
      const int32_t k = i % kKeys;
      const auto rows = lookup(t, txn->row_visibility(), {k});
      ASSERT_EQ(rows.size(), 1u);
      ASSERT_EQ(t.table.delete_rows(*txn, rows.data(), 1), 1u);
      t.insert(*txn, {{k, i + 1}, {kKeys + i, i}}, nullptr);
      manager.commit(*txn);
    }
    done = true;
  });
  size_t last_new = 0;
  size_t reads = 0;
  while (!done || reads == 0) {
    auto reader = manager.begin();
    const auto old_rows = lookup(t, reader->row_visibility(), old_keys);
    EXPECT_EQ(old_rows.size(), static_cast<size_t>(kKeys));
    std::vector<int32_t> new_keys;
    for (int32_t k = kKeys; k < kKeys + 600; k++) new_keys.push_back(k);
    const size_t new_rows = lookup(t, reader->row_visibility(), new_keys).size();
    EXPECT_GE(new_rows, last_new);
    last_new = new_rows;
    manager.commit(*reader);
    reads++;
  }
  writer.join();
  auto final_reader = manager.begin();
  EXPECT_EQ(lookup(t, final_reader->row_visibility(), old_keys).size(), static_cast<size_t>(kKeys));
}

TEST(HashIndexTest, LookupFindsEveryRowOfADuplicateKey) {
  TransactionManager manager;
  IndexedTable t({1}, false);
  auto txn = manager.begin();
  t.insert(*txn, {{1, 5}, {2, 6}, {3, 5}});
  manager.commit(*txn);
  auto reader = manager.begin();
  std::vector<std::pair<uint32_t, int64_t>> found;
  const int32_t five = 5;
  const int32_t six = 6;
  std::vector<IndexKey> keys{IndexKey{std::string_view(reinterpret_cast<const char*>(&five), 4), false},
                             IndexKey{"", true},
                             IndexKey{std::string_view(reinterpret_cast<const char*>(&six), 4), false}};
  t.table.lookup_rows(reader->row_visibility(), *t.index, keys, found);
  EXPECT_EQ(found, (std::vector<std::pair<uint32_t, int64_t>>{{0, 0}, {0, 2}, {2, 1}}));
}

TEST(HashIndexTest, FetchColumnsReadsRowsAcrossRowGroups) {
  TransactionManager manager;
  DataTable table({LogicalType::integer(), LogicalType::varchar()});
  auto txn = manager.begin();
  const size_t rows = kRowGroupSize + 5000;
  for (size_t start = 0; start < rows; start += kVectorSize) {
    DataChunk chunk;
    chunk.initialize({LogicalType::integer(), LogicalType::varchar()});
    const size_t n = std::min(kVectorSize, rows - start);
    for (size_t i = 0; i < n; i++) {
      const auto v = static_cast<int32_t>(start + i);
      chunk.set_value(0, i, v % 7 == 0 ? Value::null(LogicalType::integer()) : Value::integer(v));
      chunk.set_value(1, i, Value::varchar("a rather long string value " + std::to_string(v)));
    }
    chunk.set_size(n);
    table.append(*txn, chunk);
  }
  const std::vector<int64_t> ids{0, 1, 7, 2047, 2048, 9000, static_cast<int64_t>(kRowGroupSize),
                                 static_cast<int64_t>(rows - 1)};
  DataChunk out;
  out.initialize({LogicalType::varchar(), LogicalType::bigint(), LogicalType::integer()});
  table.fetch_columns(ids.data(), ids.size(), {1, kRowIdColumn, 0}, out);
  ASSERT_EQ(out.size(), ids.size());
  for (size_t i = 0; i < ids.size(); i++) {
    EXPECT_EQ(out.get_value(0, i).get_string(), "a rather long string value " + std::to_string(ids[i]));
    EXPECT_EQ(out.get_value(1, i).get_int64(), ids[i]);
    EXPECT_EQ(out.get_value(2, i).is_null(), ids[i] % 7 == 0);
    if (ids[i] % 7 != 0) {
      EXPECT_EQ(out.get_value(2, i).get_int64(), ids[i]);
    }
  }
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
