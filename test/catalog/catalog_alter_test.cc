#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "catalog/catalog.h"
#include "src/common/sql_error.h"
#include "storage/data_table.h"
#include "storage/transaction_manager.h"
#include "test/support/sqlstate_of.h"

namespace tessera::catalog {
namespace {

using storage::Transaction;

using test_support::sqlstate_of;

class CatalogAlterTest : public ::testing::Test {
 protected:
  std::shared_ptr<TableEntry> create_t() {
    auto txn = tm_.begin();
    IndexDefinition pk;
    pk.name = "t_pkey";
    pk.columns = {0};
    pk.unique = pk.primary_key = pk.constraint = true;
    auto table = catalog_.create_table(*txn, "t", {{"a", LogicalType::integer(), true}, {"b", LogicalType::varchar()}},
                                       false, {pk});
    catalog_.create_sequence(*txn, "t_a_seq", SequenceOptions{}, false, "t", "a");
    tm_.commit(*txn);
    return table;
  }
  /// The definition of `table` as it is, named `name`.
  AlteredTable same(const TableEntry& table, const std::string& name) {
    AlteredTable altered;
    altered.name = name;
    altered.columns = table.columns();
    for (size_t c = 0; c < table.columns().size(); c++) altered.sources.push_back(c);
    auto txn = tm_.begin();
    for (const auto& index : catalog_.table_indexes(*txn, table)) {
      altered.indexes.push_back(index->definition());
      altered.index_sources.push_back(index->name());
    }
    tm_.commit(*txn);
    return altered;
  }

  Catalog catalog_;
  storage::TransactionManager tm_;
};

TEST_F(CatalogAlterTest, RenameMovesIndexesAndOwnedSequencesAndRollsBack) {
  auto table = create_t();
  auto txn = tm_.begin();
  auto reader = tm_.begin();
  auto renamed = catalog_.alter_table(*txn, *table, same(*table, "u"));
  EXPECT_EQ(table->oid(), renamed->oid());
  EXPECT_EQ(nullptr, catalog_.find(*txn, "t"));
  EXPECT_EQ(renamed, catalog_.find(*txn, "u"));
  EXPECT_NE(&table->storage(), &renamed->storage()) << "the rows are rewritten into new storage";
  auto indexes = catalog_.table_indexes(*txn, *renamed);
  ASSERT_EQ(1u, indexes.size());
  EXPECT_EQ("t_pkey", indexes[0]->name());
  auto sequence = std::static_pointer_cast<SequenceEntry>(catalog_.find(*txn, "t_a_seq"));
  EXPECT_EQ("u", sequence->owner_table());
  EXPECT_EQ(table, catalog_.find(*reader, "t")) << "others still see the old version";
  tm_.rollback(*txn);
  auto after = tm_.begin();
  EXPECT_EQ(table, catalog_.find(*after, "t"));
  EXPECT_EQ(nullptr, catalog_.find(*after, "u"));
  EXPECT_EQ("t", std::static_pointer_cast<SequenceEntry>(catalog_.find(*after, "t_a_seq"))->owner_table());
}

TEST_F(CatalogAlterTest, RenameToATakenNameFails) {
  auto table = create_t();
  auto txn = tm_.begin();
  catalog_.create_table(*txn, "other", {{"x", LogicalType::integer()}}, false);
  EXPECT_EQ("42P07", sqlstate_of([&] { catalog_.alter_table(*txn, *table, same(*table, "other")); }));
}

TEST_F(CatalogAlterTest, DroppingTheOwningColumnDropsTheSequence) {
  auto table = create_t();
  AlteredTable altered = same(*table, "t");
  altered.columns.erase(altered.columns.begin());
  altered.sources.erase(altered.sources.begin());
  altered.indexes.clear();
  altered.index_sources.clear();
  auto txn = tm_.begin();
  auto replaced = catalog_.alter_table(*txn, *table, altered);
  ASSERT_EQ(1u, replaced->columns().size());
  EXPECT_EQ("b", replaced->columns()[0].name);
  EXPECT_EQ(nullptr, catalog_.find(*txn, "t_a_seq"));
  EXPECT_TRUE(catalog_.table_indexes(*txn, *replaced).empty());
  tm_.commit(*txn);
}

TEST_F(CatalogAlterTest, CommentsMakeNewVersionsSharingTheStorage) {
  auto table = create_t();
  auto txn = tm_.begin();
  catalog_.set_comment(*txn, *table, std::nullopt, "a table");
  auto commented = std::static_pointer_cast<TableEntry>(catalog_.find(*txn, "t"));
  EXPECT_EQ("a table", commented->comment());
  EXPECT_EQ(&table->storage(), &commented->storage());
  catalog_.set_comment(*txn, *commented, 1, "column b");
  auto again = catalog_.find(*txn, "t");
  EXPECT_EQ("a table", again->comment());
  EXPECT_EQ("column b", again->columns()[1].comment);
  tm_.rollback(*txn);
  auto after = tm_.begin();
  EXPECT_EQ("", catalog_.find(*after, "t")->comment());
}

TEST_F(CatalogAlterTest, AlterSequenceKeepsTheCounter) {
  create_t();
  auto txn = tm_.begin();
  auto sequence = std::static_pointer_cast<SequenceEntry>(catalog_.find(*txn, "t_a_seq"));
  EXPECT_EQ(1, sequence->next_value());
  SequenceOptions options = sequence->options();
  options.increment = 5;
  catalog_.alter_sequence(*txn, *sequence, options, "", "", std::nullopt);
  auto altered = std::static_pointer_cast<SequenceEntry>(catalog_.find(*txn, "t_a_seq"));
  EXPECT_EQ(6, altered->next_value());
  EXPECT_EQ("", altered->owner_table());
  catalog_.alter_sequence(*txn, *altered, options, "t", "a", 100);
  EXPECT_EQ(100, std::static_pointer_cast<SequenceEntry>(catalog_.find(*txn, "t_a_seq"))->next_value());
  tm_.commit(*txn);
}

}  // namespace
}  // namespace tessera::catalog
