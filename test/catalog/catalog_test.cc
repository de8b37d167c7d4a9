#include "catalog/catalog.h"

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <string>
#include <thread>

#include "src/common/sql_error.h"
#include "storage/data_table.h"
#include "storage/transaction_manager.h"
#include "test/support/sqlstate_of.h"

namespace tessera::catalog {
namespace {

using storage::LockMode;
using storage::Transaction;

std::vector<ColumnDefinition> one_column() { return {{"a", LogicalType::integer()}}; }

using test_support::sqlstate_of;

class CatalogTest : public ::testing::Test {
 protected:
  /// Runs `f` in a committed transaction of its own.
  void committed(const std::function<void(Transaction&)>& f) {
    auto txn = tm_.begin();
    f(*txn);
    tm_.commit(*txn);
  }
  std::vector<std::string> names(const Transaction& txn) const {
    std::vector<std::string> result;
    for (const auto& e : catalog_.entries(txn)) result.push_back(e->name());
    return result;
  }
  /// Waits (no time limit: the test runner's timeout catches a hang) until `txn` waits for
  /// relation `name` of public (the catalog's lock name: the schema's OID, a dot, the name).
  void wait_until_blocked(const Transaction& txn, const std::string& name) {
    while (!tm_.locks().is_waiting(txn.id(), "2200." + name)) std::this_thread::yield();
  }

  Catalog catalog_;
  storage::TransactionManager tm_;
};

TEST_F(CatalogTest, ACreatedTableIsInvisibleToOthersUntilCommit) {
  auto writer = tm_.begin();
  auto before = tm_.begin();
  auto table = catalog_.create_table(*writer, "t", one_column(), false);
  ASSERT_NE(nullptr, table);
  EXPECT_EQ(table, catalog_.find(*writer, "t")) << "own creation is visible";
  EXPECT_EQ(nullptr, catalog_.find(*before, "t"));
  EXPECT_EQ(names(*before), std::vector<std::string>{});
  EXPECT_EQ(names(*writer), std::vector<std::string>{"t"});
  EXPECT_EQ("42P01", sqlstate_of([&] { catalog_.get(*before, "t"); }));
  tm_.commit(*writer);
  auto after = tm_.begin();
  EXPECT_EQ(table, catalog_.find(*after, "t"));
  EXPECT_EQ(nullptr, catalog_.find(*before, "t")) << "an older snapshot keeps its view";
}

TEST_F(CatalogTest, RollbackRemovesACreationWithoutUndoActions) {
  auto writer = tm_.begin();
  std::weak_ptr<TableEntry> table = catalog_.create_table(*writer, "t", one_column(), false);
  EXPECT_EQ(1u, catalog_.version_count("t"));
  tm_.rollback(*writer);
  EXPECT_EQ(0u, catalog_.version_count("t")) << "a rolled-back version is unlinked at once";
  EXPECT_TRUE(table.expired()) << "and its storage freed";
  auto after = tm_.begin();
  EXPECT_EQ(nullptr, catalog_.find(*after, "t"));
  EXPECT_NE(nullptr, catalog_.create_table(*after, "t", one_column(), false)) << "the name is free again";
}

TEST_F(CatalogTest, ADroppedTableStaysReadableForOlderSnapshotsUntilCollected) {
  std::shared_ptr<TableEntry> table;
  committed([&](Transaction& txn) {
    table = catalog_.create_table(txn, "t", one_column(), false);
    DataChunk chunk;
    chunk.initialize({LogicalType::integer()});
    chunk.set_value(0, 0, Value::integer(42));
    chunk.set_size(1);
    table->storage().append(txn, chunk);
  });
  std::weak_ptr<TableEntry> weak = table;
  table.reset();
  auto old_reader = tm_.begin();
  auto dropper = tm_.begin();
  auto dropped = catalog_.drop(*dropper, "t", EntryKind::kTable, false, false);
  ASSERT_EQ(1u, dropped.size());
  dropped.clear();
  EXPECT_EQ(nullptr, catalog_.find(*dropper, "t"));
  EXPECT_NE(nullptr, catalog_.find(*old_reader, "t")) << "uncommitted drop: others still see it";
  tm_.commit(*dropper);
  auto new_reader = tm_.begin();
  EXPECT_EQ(nullptr, catalog_.find(*new_reader, "t"));
  auto seen = catalog_.find(*old_reader, "t");
  ASSERT_NE(nullptr, seen) << "committed drop: a snapshot older than it still sees the table";
  {
    auto& storage = static_cast<TableEntry&>(*seen).storage();
    auto scan = storage.begin_scan(*old_reader, {0});
    storage::LocalTableScanState local;
    DataChunk out;
    out.initialize({LogicalType::integer()});
    ASSERT_TRUE(storage.next_morsel(*scan, local));
    ASSERT_TRUE(storage.scan(local, out));
    EXPECT_EQ(Value::integer(42), out.get_value(0, 0));
  }
  seen.reset();
  EXPECT_EQ(1u, catalog_.version_count("t"));
  tm_.commit(*new_reader);
  EXPECT_EQ(1u, catalog_.version_count("t")) << "the old snapshot still needs it";
  tm_.commit(*old_reader);
  EXPECT_EQ(0u, catalog_.version_count("t")) << "collected once no active transaction can see it";
  EXPECT_TRUE(weak.expired()) << "the table's storage is freed";
}

TEST_F(CatalogTest, ReplacingAViewMakesANewVersionKeepingTheOid) {
  std::shared_ptr<ViewEntry> v1;
  committed([&](Transaction& txn) {
    catalog_.create_table(txn, "t", one_column(), false);
    v1 = catalog_.create_view(txn, "v", one_column(), "SELECT a FROM t", {"t"}, false);
  });
  auto reader = tm_.begin();
  auto writer = tm_.begin();
  auto v2 = catalog_.create_view(*writer, "v", {{"b", LogicalType::integer()}}, "SELECT a AS b FROM t", {"t"}, true);
  EXPECT_EQ(v1->oid(), v2->oid());
  EXPECT_EQ(v2, catalog_.find(*writer, "v"));
  EXPECT_EQ(v1, catalog_.find(*reader, "v")) << "the replacement is invisible until commit";
  tm_.commit(*writer);
  auto later = tm_.begin();
  EXPECT_EQ(v2, catalog_.find(*later, "v"));
  EXPECT_EQ(v1, catalog_.find(*reader, "v"));
  EXPECT_EQ(2u, catalog_.version_count("v"));
  tm_.commit(*reader);
  tm_.commit(*later);
  EXPECT_EQ(1u, catalog_.version_count("v"));
  EXPECT_EQ("42P07", sqlstate_of([&] {
              committed([&](Transaction& txn) { catalog_.create_view(txn, "t", one_column(), "SELECT 1", {}, true); });
            })) << "OR REPLACE does not replace a table";
}

TEST_F(CatalogTest, DropAndRecreateInOneTransaction) {
  std::shared_ptr<TableEntry> first;
  committed([&](Transaction& txn) { first = catalog_.create_table(txn, "t", one_column(), false); });
  auto reader = tm_.begin();
  auto txn = tm_.begin();
  catalog_.drop(*txn, "t", EntryKind::kTable, false, false);
  auto second = catalog_.create_table(*txn, "t", {{"b", LogicalType::bigint()}}, false);
  EXPECT_EQ(second, catalog_.find(*txn, "t"));
  EXPECT_EQ(first, catalog_.find(*reader, "t"));
  auto dropped_again = catalog_.drop(*txn, "t", EntryKind::kTable, false, false);
  EXPECT_EQ(nullptr, catalog_.find(*txn, "t"));
  EXPECT_EQ("42P01", sqlstate_of([&] { catalog_.drop(*txn, "t", EntryKind::kTable, false, false); }));
  EXPECT_TRUE(catalog_.drop(*txn, "t", EntryKind::kTable, true, false).empty());
  tm_.rollback(*txn);
  auto after = tm_.begin();
  EXPECT_EQ(first, catalog_.find(*after, "t")) << "rollback restores the original";
}

TEST_F(CatalogTest, ConcurrentCreateOfTheSameNameWaitsThenFailsAfterCommit) {
  auto first = tm_.begin();
  auto second = tm_.begin();
  catalog_.create_table(*first, "t", one_column(), false);
  std::string state;
  std::thread t([&] { state = sqlstate_of([&] { catalog_.create_table(*second, "t", one_column(), false); }); });
  wait_until_blocked(*second, "t");
  tm_.commit(*first);
  t.join();
  EXPECT_EQ("42P07", state) << "checked against the latest committed state, not the older snapshot";
  EXPECT_EQ(nullptr, catalog_.find(*second, "t")) << "while its snapshot still does not see the table";
}

TEST_F(CatalogTest, ConcurrentCreateOfTheSameNameSucceedsAfterRollback) {
  auto first = tm_.begin();
  auto second = tm_.begin();
  catalog_.create_table(*first, "t", one_column(), false);
  std::shared_ptr<TableEntry> created;
  std::thread t([&] { created = catalog_.create_table(*second, "t", one_column(), false); });
  wait_until_blocked(*second, "t");
  tm_.rollback(*first);
  t.join();
  ASSERT_NE(nullptr, created);
  tm_.commit(*second);
  auto after = tm_.begin();
  EXPECT_EQ(created, catalog_.find(*after, "t"));
}

TEST_F(CatalogTest, ConcurrentDropWaitsThenFailsAfterCommit) {
  committed([&](Transaction& txn) { catalog_.create_table(txn, "t", one_column(), false); });
  auto first = tm_.begin();
  auto second = tm_.begin();
  catalog_.drop(*first, "t", EntryKind::kTable, false, false);
  std::string state;
  std::thread t([&] { state = sqlstate_of([&] { catalog_.drop(*second, "t", EntryKind::kTable, false, false); }); });
  wait_until_blocked(*second, "t");
  tm_.commit(*first);
  t.join();
  EXPECT_EQ("42P01", state);
}

TEST_F(CatalogTest, LockRelationWaitsForAPendingDropAndFailsIfItCommits) {
  std::shared_ptr<TableEntry> table;
  committed([&](Transaction& txn) { table = catalog_.create_table(txn, "t", one_column(), false); });
  auto dropper = tm_.begin();
  auto inserter = tm_.begin();
  catalog_.drop(*dropper, "t", EntryKind::kTable, false, false);
  std::string state;
  std::thread t([&] { state = sqlstate_of([&] { catalog_.lock_relation(*inserter, *table, LockMode::kShared); }); });
  wait_until_blocked(*inserter, "t");
  tm_.commit(*dropper);
  t.join();
  EXPECT_EQ("42P01", state);
  // A shared holder makes a later DROP wait.
  committed([&](Transaction& txn) { table = catalog_.create_table(txn, "u", one_column(), false); });
  auto holder = tm_.begin();
  catalog_.lock_relation(*holder, *table, LockMode::kShared);
  auto dropper2 = tm_.begin();
  std::thread t2([&] { catalog_.drop(*dropper2, "u", EntryKind::kTable, false, false); });
  wait_until_blocked(*dropper2, "u");
  tm_.commit(*holder);
  t2.join();
  tm_.commit(*dropper2);
}

TEST_F(CatalogTest, DropCascadeDropsDependentViewsInTheSameTransaction) {
  committed([&](Transaction& txn) {
    catalog_.create_table(txn, "t", one_column(), false);
    catalog_.create_view(txn, "v", one_column(), "SELECT a FROM t", {"t"}, false);
    catalog_.create_view(txn, "w", one_column(), "SELECT a FROM v", {"v"}, false);
  });
  auto reader = tm_.begin();
  auto txn = tm_.begin();
  EXPECT_EQ("2BP01", sqlstate_of([&] { catalog_.drop(*txn, "t", EntryKind::kTable, false, false); }));
  auto dropped = catalog_.drop(*txn, "t", EntryKind::kTable, false, true);
  ASSERT_EQ(3u, dropped.size());
  EXPECT_EQ("w", dropped[0]->name());
  EXPECT_EQ("v", dropped[1]->name());
  EXPECT_EQ("t", dropped[2]->name());
  EXPECT_EQ(3u, tm_.locks().held_count(txn->id()));
  EXPECT_EQ(names(*txn), std::vector<std::string>{});
  EXPECT_EQ(names(*reader), (std::vector<std::string>{"t", "v", "w"}));
  tm_.rollback(*txn);
  auto after = tm_.begin();
  EXPECT_EQ(names(*after), (std::vector<std::string>{"t", "v", "w"}));
}

TEST_F(CatalogTest, CreatingAViewOverATableWhoseDropCommittedFails) {
  committed([&](Transaction& txn) { catalog_.create_table(txn, "t", one_column(), false); });
  auto dropper = tm_.begin();
  auto creator = tm_.begin();
  catalog_.drop(*dropper, "t", EntryKind::kTable, false, false);
  std::string state;
  std::thread t([&] {
    state = sqlstate_of([&] { catalog_.create_view(*creator, "v", one_column(), "SELECT a FROM t", {"t"}, false); });
  });
  wait_until_blocked(*creator, "t");
  tm_.commit(*dropper);
  t.join();
  EXPECT_EQ("42P01", state);
}

TEST_F(CatalogTest, ConstraintIndexesAreRelationsCreatedAndDroppedWithTheirTable) {
  IndexDefinition pkey{"t_pkey", {0}, true, true, true};
  committed([&](Transaction& txn) { catalog_.create_table(txn, "t", one_column(), false, {pkey}); });
  auto reader = tm_.begin();
  auto index = catalog_.find(*reader, "t_pkey");
  ASSERT_NE(nullptr, index);
  EXPECT_EQ(index->kind(), EntryKind::kIndex);
  EXPECT_EQ(static_cast<const IndexEntry&>(*index).table_name(), "t");
  EXPECT_EQ(catalog_.get_table(*reader, "t")->storage().indexes().size(), 1u);
  EXPECT_EQ("42809", sqlstate_of([&] { catalog_.get_table(*reader, "t_pkey"); }));
  tm_.commit(*reader);
  committed([&](Transaction& txn) {
    EXPECT_EQ("42P07", sqlstate_of([&] { catalog_.create_table(txn, "t_pkey", one_column(), false); }));
  });
  committed([&](Transaction& txn) {
    EXPECT_EQ("2BP01", sqlstate_of([&] { catalog_.drop(txn, "t_pkey", EntryKind::kIndex, false, false); }));
  });
  committed([&](Transaction& txn) { EXPECT_EQ(catalog_.drop(txn, "t", EntryKind::kTable, false, false).size(), 2u); });
  auto after = tm_.begin();
  EXPECT_EQ(nullptr, catalog_.find(*after, "t_pkey"));
}

TEST_F(CatalogTest, IndexStorageFollowsTheCreatingAndDroppingTransactions) {
  committed([&](Transaction& txn) { catalog_.create_table(txn, "t", one_column(), false); });
  auto first = tm_.begin();
  auto table = catalog_.get_table(*first, "t");
  auto index = catalog_.create_index(*first, *table, IndexDefinition{"t_a_idx", {0}, false, false, false}, false);
  ASSERT_NE(nullptr, index);
  table->storage().add_index(index->index());
  tm_.rollback(*first);
  EXPECT_TRUE(table->storage().indexes().empty()) << "a rolled-back CREATE INDEX leaves the storage";

  auto second = tm_.begin();
  index = catalog_.create_index(*second, *table, IndexDefinition{"t_a_idx", {0}, true, false, false}, false);
  EXPECT_EQ(nullptr, catalog_.create_index(*second, *table, IndexDefinition{"t_a_idx", {0}, true, false, false}, true));
  table->storage().add_index(index->index());
  tm_.commit(*second);
  ASSERT_EQ(table->storage().indexes().size(), 1u);

  auto dropper = tm_.begin();
  catalog_.drop(*dropper, "t_a_idx", EntryKind::kIndex, false, false);
  EXPECT_EQ(table->storage().indexes().size(), 1u) << "kept until the drop commits";
  tm_.rollback(*dropper);
  EXPECT_EQ(table->storage().indexes().size(), 1u);
  auto committer = tm_.begin();
  catalog_.drop(*committer, "t_a_idx", EntryKind::kIndex, false, false);
  tm_.commit(*committer);
  EXPECT_TRUE(table->storage().indexes().empty());
}

}  // namespace
}  // namespace tessera::catalog
