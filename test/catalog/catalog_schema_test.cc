#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <string>
#include <thread>

#include "catalog/catalog.h"
#include "catalog/search_path.h"
#include "src/common/sql_error.h"
#include "storage/transaction_manager.h"
#include "test/support/sqlstate_of.h"

namespace tessera::catalog {
namespace {

using storage::Transaction;
using test_support::sqlstate_of;

std::vector<ColumnDefinition> one_column() { return {{"a", LogicalType::integer()}}; }

/// The lock a schema's DDL takes (the catalog's private naming: a leading NUL).
std::string schema_lock(const std::string& name) { return std::string("\0schema ", 8) + name; }

class CatalogSchemaTest : public ::testing::Test {
 protected:
  void committed(const std::function<void(Transaction&)>& f) {
    auto txn = tm_.begin();
    f(*txn);
    tm_.commit(*txn);
  }
  std::vector<std::string> schema_names(const Transaction& txn) const {
    std::vector<std::string> result;
    for (const auto& s : catalog_.schemas(txn)) result.push_back(s->name());
    return result;
  }
  void wait_until_blocked(const Transaction& txn, const std::string& lock_name) {
    while (!tm_.locks().is_waiting(txn.id(), lock_name)) std::this_thread::yield();
  }
  /// DROP SCHEMA naming relations by their bare names.
  bool drop_schema(Transaction& txn, const std::string& name, bool if_exists, bool cascade,
                   std::vector<std::shared_ptr<CatalogEntry>>& dropped) {
    return catalog_.drop_schema(txn, name, if_exists, cascade,
                                [](const CatalogEntry& e) { return std::string(e.kind_name()) + " " + e.name(); },
                                dropped);
  }

  Catalog catalog_;
  storage::TransactionManager tm_;
};

TEST_F(CatalogSchemaTest, TheBuiltInSchemasExistForEveryTransaction) {
  auto txn = tm_.begin();
  EXPECT_EQ((std::vector<std::string>{"information_schema", "pg_catalog", "public"}), schema_names(*txn));
  EXPECT_EQ(2200u, catalog_.find_schema(*txn, "public")->oid());
  EXPECT_EQ(11u, catalog_.find_schema(*txn, "pg_catalog")->oid());
  EXPECT_EQ(nullptr, catalog_.find_schema(*txn, "nosuch"));
}

TEST_F(CatalogSchemaTest, ACreatedSchemaIsInvisibleToOthersUntilCommitAndGoneAfterRollback) {
  auto writer = tm_.begin();
  auto before = tm_.begin();
  auto schema = catalog_.create_schema(*writer, "s", kBootstrapRole, false);
  ASSERT_NE(nullptr, schema);
  EXPECT_EQ(schema, catalog_.find_schema(*writer, "s"));
  EXPECT_EQ(nullptr, catalog_.find_schema(*before, "s"));
  EXPECT_EQ("42P06", sqlstate_of([&] { catalog_.create_schema(*writer, "s", kBootstrapRole, false); }));
  EXPECT_EQ(nullptr, catalog_.create_schema(*writer, "s", kBootstrapRole, true)) << "IF NOT EXISTS";
  tm_.rollback(*writer);
  auto after = tm_.begin();
  EXPECT_EQ(nullptr, catalog_.find_schema(*after, "s"));
  EXPECT_NE(nullptr, catalog_.create_schema(*after, "s", kBootstrapRole, false)) << "the name is free again";
  tm_.commit(*after);
  auto later = tm_.begin();
  EXPECT_NE(nullptr, catalog_.find_schema(*later, "s"));
  EXPECT_EQ(nullptr, catalog_.find_schema(*before, "s")) << "an older snapshot keeps its view";
}

TEST_F(CatalogSchemaTest, DropRestrictRefusesASchemaHoldingRelations) {
  committed([&](Transaction& txn) {
    catalog_.create_table(txn, "t", one_column(), false);
    catalog_.create_view(txn, "v", one_column(), "SELECT a FROM t", {"t"}, false);
  });
  auto txn = tm_.begin();
  std::vector<std::shared_ptr<CatalogEntry>> dropped;
  try {
    drop_schema(*txn, "public", false, false, dropped);
    FAIL() << "expected 2BP01";
  } catch (const SqlError& e) {
    EXPECT_EQ("2BP01", sqlstate_code(e.state()));
    EXPECT_EQ("cannot drop schema public because other objects depend on it", e.message());
    EXPECT_EQ("table t depends on schema public\nview v depends on schema public", e.detail().value_or(""));
  }
  EXPECT_TRUE(dropped.empty());
  EXPECT_EQ("2BP01", sqlstate_of([&] { drop_schema(*txn, "pg_catalog", false, true, dropped); }));
  EXPECT_EQ("3F000", sqlstate_of([&] { drop_schema(*txn, "nosuch", false, false, dropped); }));
  EXPECT_FALSE(drop_schema(*txn, "nosuch", true, false, dropped)) << "IF EXISTS";
  tm_.rollback(*txn);
}

TEST_F(CatalogSchemaTest, DropCascadeTakesTheRelationsAndRollbackBringsThemBack) {
  committed([&](Transaction& txn) {
    catalog_.create_table(txn, "t", one_column(), false, {IndexDefinition{"t_pkey", {0}, true, true, true}});
    catalog_.create_sequence(txn, "t_a_seq", SequenceOptions{}, false, "t", "a");
    catalog_.create_view(txn, "v", one_column(), "SELECT a FROM t", {"t"}, false);
    catalog_.create_sequence(txn, "s", SequenceOptions{}, false);
  });
  auto dropper = tm_.begin();
  std::vector<std::shared_ptr<CatalogEntry>> dropped;
  ASSERT_TRUE(drop_schema(*dropper, "public", false, true, dropped));
  std::vector<std::string> names;
  for (const auto& e : dropped) names.push_back(e->name());
  EXPECT_EQ((std::vector<std::string>{"t", "v", "s"}), names) << "index and owned sequence go silently";
  EXPECT_EQ(nullptr, catalog_.find_schema(*dropper, "public"));
  EXPECT_TRUE(catalog_.entries(*dropper).empty());
  EXPECT_EQ("3F000", sqlstate_of([&] { catalog_.create_table(*dropper, "u", one_column(), false); }));
  tm_.rollback(*dropper);
  auto after = tm_.begin();
  EXPECT_NE(nullptr, catalog_.find_schema(*after, "public"));
  EXPECT_EQ(5u, catalog_.entries(*after).size());
}

TEST_F(CatalogSchemaTest, RenameMakesANewVersionKeepingTheOid) {
  std::shared_ptr<SchemaEntry> s;
  committed([&](Transaction& txn) { s = catalog_.create_schema(txn, "s", kBootstrapRole, false); });
  committed([&](Transaction& txn) { catalog_.create_schema(txn, "taken", kBootstrapRole, false); });
  auto reader = tm_.begin();
  auto writer = tm_.begin();
  EXPECT_EQ("42P06", sqlstate_of([&] { catalog_.rename_schema(*writer, "s", "taken"); }));
  EXPECT_EQ("3F000", sqlstate_of([&] { catalog_.rename_schema(*writer, "nosuch", "x"); }));
  EXPECT_EQ("0A000", sqlstate_of([&] { catalog_.rename_schema(*writer, "public", "x"); }));
  catalog_.rename_schema(*writer, "s", "r");
  EXPECT_EQ(nullptr, catalog_.find_schema(*writer, "s"));
  ASSERT_NE(nullptr, catalog_.find_schema(*writer, "r"));
  EXPECT_EQ(s->oid(), catalog_.find_schema(*writer, "r")->oid());
  tm_.commit(*writer);
  EXPECT_EQ(s, catalog_.find_schema(*reader, "s")) << "an older snapshot sees the old name";
  EXPECT_EQ(nullptr, catalog_.find_schema(*reader, "r"));
}

TEST_F(CatalogSchemaTest, ACommentIsANewVersion) {
  committed([&](Transaction& txn) { catalog_.create_schema(txn, "s", kBootstrapRole, false); });
  auto reader = tm_.begin();
  committed([&](Transaction& txn) { catalog_.set_schema_comment(txn, "s", "described"); });
  auto later = tm_.begin();
  EXPECT_EQ("described", catalog_.find_schema(*later, "s")->comment());
  EXPECT_EQ("", catalog_.find_schema(*reader, "s")->comment());
  EXPECT_EQ("3F000", sqlstate_of([&] { committed([&](Transaction& txn) { catalog_.set_schema_comment(txn, "x", ""); }); }));
}

TEST_F(CatalogSchemaTest, CreatingTheSameSchemaWaitsForTheFirstCreatorThenFails) {
  auto first = tm_.begin();
  auto second = tm_.begin();
  catalog_.create_schema(*first, "s", kBootstrapRole, false);
  std::string state;
  std::thread t([&] { state = sqlstate_of([&] { catalog_.create_schema(*second, "s", kBootstrapRole, false); }); });
  wait_until_blocked(*second, schema_lock("s"));
  tm_.commit(*first);
  t.join();
  EXPECT_EQ("42P06", state);
  tm_.rollback(*second);
}

TEST_F(CatalogSchemaTest, CreatingARelationWaitsForADropOfItsSchemaThenFails) {
  auto dropper = tm_.begin();
  auto creator = tm_.begin();
  std::vector<std::shared_ptr<CatalogEntry>> dropped;
  ASSERT_TRUE(drop_schema(*dropper, "public", false, false, dropped));
  std::string state;
  std::thread t([&] { state = sqlstate_of([&] { catalog_.create_table(*creator, "t", one_column(), false); }); });
  wait_until_blocked(*creator, schema_lock("public"));
  tm_.commit(*dropper);
  t.join();
  EXPECT_EQ("3F000", state) << "no table is left in a dropped schema";
  tm_.rollback(*creator);
  auto after = tm_.begin();
  EXPECT_TRUE(catalog_.entries(*after).empty());
}

TEST_F(CatalogSchemaTest, DroppingASchemaWaitsForATransactionCreatingInIt) {
  auto creator = tm_.begin();
  auto dropper = tm_.begin();
  catalog_.create_table(*creator, "t", one_column(), false);
  std::string state;
  std::thread t([&] {
    std::vector<std::shared_ptr<CatalogEntry>> dropped;
    state = sqlstate_of([&] { drop_schema(*dropper, "public", false, false, dropped); });
  });
  wait_until_blocked(*dropper, schema_lock("public"));
  tm_.commit(*creator);
  t.join();
  EXPECT_EQ("2BP01", state) << "the committed table is seen";
  tm_.rollback(*dropper);
}

TEST_F(CatalogSchemaTest, TwoSchemasHoldRelationsOfTheSameName) {
  committed([&](Transaction& txn) { catalog_.create_schema(txn, "s", kBootstrapRole, false); });
  auto txn = tm_.begin();
  const Oid s = catalog_.find_schema(*txn, "s")->oid();
  auto in_public = catalog_.create_table(*txn, "t", one_column(), false, {IndexDefinition{"t_pkey", {0}, true, true, true}});
  auto in_s = catalog_.create_table(*txn, "t", {{"b", LogicalType::varchar()}}, false,
                                    {IndexDefinition{"t_pkey", {0}, true, true, true}}, {}, {}, "s");
  ASSERT_NE(nullptr, in_s);
  EXPECT_EQ(kPublicSchemaOid, in_public->schema_oid());
  EXPECT_EQ(s, in_s->schema_oid());
  EXPECT_NE(in_public->oid(), in_s->oid());
  EXPECT_EQ(in_public, catalog_.find(*txn, "t"));
  EXPECT_EQ(in_s, catalog_.find(*txn, s, "t"));
  EXPECT_EQ("b", catalog_.get_table(*txn, s, "t")->columns()[0].name);
  EXPECT_EQ("42P07", sqlstate_of([&] { catalog_.create_table(*txn, "t", one_column(), false, {}, {}, {}, "s"); }));
  EXPECT_EQ("3F000", sqlstate_of([&] { catalog_.create_table(*txn, "u", one_column(), false, {}, {}, {}, "nosuch"); }));
  // Each table has its own index of the same name, in its schema.
  ASSERT_EQ(1u, catalog_.table_indexes(*txn, *in_s).size());
  EXPECT_EQ(s, catalog_.table_indexes(*txn, *in_s)[0]->schema_oid());
  EXPECT_NE(catalog_.table_indexes(*txn, *in_s)[0], catalog_.table_indexes(*txn, *in_public)[0]);
  // Dropping one leaves the other.
  EXPECT_EQ(2u, catalog_.drop(*txn, "t", EntryKind::kTable, false, false, {}, s).size());
  EXPECT_EQ(nullptr, catalog_.find(*txn, s, "t"));
  EXPECT_EQ(in_public, catalog_.find(*txn, "t"));
  EXPECT_EQ(1u, catalog_.table_indexes(*txn, *in_public).size());
  tm_.rollback(*txn);
}

TEST_F(CatalogSchemaTest, DropCascadeOfAnotherSchemaLeavesPublicAndFollowsARename) {
  committed([&](Transaction& txn) {
    catalog_.create_schema(txn, "s", kBootstrapRole, false);
    catalog_.create_table(txn, "t", one_column(), false);
    catalog_.create_table(txn, "t", one_column(), false, {IndexDefinition{"t_pkey", {0}, true, true, true}}, {}, {},
                          "s");
    catalog_.create_table(txn, "u", one_column(), false, {}, {}, {}, "s");
  });
  committed([&](Transaction& txn) { catalog_.rename_schema(txn, "s", "r"); });
  auto reader = tm_.begin();
  EXPECT_EQ(3u, catalog_.schema_relations(*reader, "r").size()) << "the relations follow the renamed schema";
  EXPECT_TRUE(catalog_.schema_relations(*reader, "s").empty());
  auto dropper = tm_.begin();
  std::vector<std::shared_ptr<CatalogEntry>> dropped;
  EXPECT_EQ("2BP01", sqlstate_of([&] { drop_schema(*dropper, "r", false, false, dropped); }));
  ASSERT_TRUE(drop_schema(*dropper, "r", false, true, dropped));
  std::vector<std::string> names;
  for (const auto& e : dropped) names.push_back(e->name());
  EXPECT_EQ((std::vector<std::string>{"t", "u"}), names);
  EXPECT_EQ(1u, catalog_.entries(*dropper).size()) << "public.t stays";
  tm_.rollback(*dropper);
  auto after = tm_.begin();
  EXPECT_EQ(4u, catalog_.entries(*after).size());
  tm_.rollback(*after);
  tm_.rollback(*reader);
}

TEST_F(CatalogSchemaTest, DisplayNameQualifiesARelationTheSearchPathDoesNotFind) {
  committed([&](Transaction& txn) {
    catalog_.create_schema(txn, "s", kBootstrapRole, false);
    catalog_.create_table(txn, "t", one_column(), false);
    catalog_.create_table(txn, "t", one_column(), false, {}, {}, {}, "s");
    catalog_.create_table(txn, "u", one_column(), false, {}, {}, {}, "s");
  });
  auto txn = tm_.begin();
  const Oid s = catalog_.find_schema(*txn, "s")->oid();
  auto public_t = catalog_.find(*txn, "t");
  auto s_t = catalog_.find(*txn, s, "t");
  auto s_u = catalog_.find(*txn, s, "u");
  using List = std::vector<std::string>;
  auto shown = [&](const Transaction& t, const List& path, const CatalogEntry& entry) {
    return catalog_.relation_display_name(t, &path, entry.schema_oid(), entry.name());
  };
  EXPECT_EQ("t", catalog_.relation_display_name(*txn, nullptr, s, "t")) << "no path: bare";
  EXPECT_EQ("t", shown(*txn, List{"pg_catalog", "public", "s"}, *public_t));
  EXPECT_EQ("s.t", shown(*txn, List{"pg_catalog", "public", "s"}, *s_t)) << "hidden";
  EXPECT_EQ("u", shown(*txn, List{"pg_catalog", "public", "s"}, *s_u));
  EXPECT_EQ("t", shown(*txn, List{"s", "public"}, *s_t));
  EXPECT_EQ("public.t", shown(*txn, List{"s"}, *public_t));
  tm_.rollback(*txn);
}

TEST_F(CatalogSchemaTest, SetSchemaMovesATableWithItsIndexesAndKeepsItsOid) {
  std::shared_ptr<TableEntry> table;
  committed([&](Transaction& txn) {
    catalog_.create_schema(txn, "s", kBootstrapRole, false);
    table = catalog_.create_table(txn, "t", one_column(), false, {IndexDefinition{"t_pkey", {0}, true, true, true}});
  });
  auto reader = tm_.begin();
  auto mover = tm_.begin();
  const Oid s = catalog_.find_schema(*mover, "s")->oid();
  AlteredTable altered;
  altered.name = "t";
  altered.schema = "s";
  altered.columns = table->columns();
  altered.sources = {0};
  for (const auto& index : catalog_.table_indexes(*mover, *table)) {
    altered.indexes.push_back(index->definition());
    altered.index_sources.push_back(index->name());
  }
  auto moved = catalog_.alter_table(*mover, *table, altered);
  EXPECT_EQ(s, moved->schema_oid());
  EXPECT_EQ(table->oid(), moved->oid());
  EXPECT_EQ(nullptr, catalog_.find(*mover, "t"));
  EXPECT_EQ(moved, catalog_.find(*mover, s, "t"));
  ASSERT_EQ(1u, catalog_.table_indexes(*mover, *moved).size());
  EXPECT_EQ(s, catalog_.table_indexes(*mover, *moved)[0]->schema_oid());
  EXPECT_EQ(nullptr, catalog_.find(*mover, "t_pkey"));
  EXPECT_EQ(table, catalog_.find(*reader, "t")) << "others see it where it was until COMMIT";
  tm_.commit(*mover);
  auto after = tm_.begin();
  EXPECT_EQ(nullptr, catalog_.find(*after, "t"));
  EXPECT_NE(nullptr, catalog_.find(*after, s, "t_pkey"));
  tm_.rollback(*after);
  tm_.rollback(*reader);
}

TEST_F(CatalogSchemaTest, RelationsOfTheSameNameInTwoSchemasDoNotShareALock) {
  committed([&](Transaction& txn) { catalog_.create_schema(txn, "s", kBootstrapRole, false); });
  auto first = tm_.begin();
  auto second = tm_.begin();
  catalog_.create_table(*first, "t", one_column(), false);
  // Would wait for `first` if the name alone were locked.
  EXPECT_NE(nullptr, catalog_.create_table(*second, "t", one_column(), false, {}, {}, {}, "s"));
  tm_.commit(*first);
  tm_.commit(*second);
}

TEST(SearchPathTest, ParsesPostgreSQLsListSyntax) {
  using List = std::vector<std::string>;
  EXPECT_EQ((List{"$user", "public"}), parse_search_path("\"$user\", public").value());
  EXPECT_EQ((List{"a", "B c", "d\"e"}), parse_search_path("  A ,\"B c\",\"d\"\"e\"  ").value());
  EXPECT_EQ(List{}, parse_search_path("").value());
  EXPECT_EQ(List{""}, parse_search_path("\"\"").value());
  EXPECT_FALSE(parse_search_path("a,,b").has_value());
  EXPECT_FALSE(parse_search_path("a,").has_value());
  EXPECT_FALSE(parse_search_path("\"open").has_value());
  EXPECT_FALSE(parse_search_path("\"a\"b").has_value());
}

TEST(SearchPathTest, ListsTheExistingSchemasWithPgCatalogFirstUnlessNamed) {
  Catalog catalog;
  storage::TransactionManager tm;
  auto txn = tm.begin();
  using List = std::vector<std::string>;
  EXPECT_EQ((List{"pg_catalog", "public"}), search_path_schemas(catalog, *txn, "\"$user\", public", "tessera", true));
  EXPECT_EQ((List{"public"}), search_path_schemas(catalog, *txn, "\"$user\", public", "tessera", false));
  catalog.create_schema(*txn, "tessera", kBootstrapRole, false);
  EXPECT_EQ((List{"tessera", "public"}), search_path_schemas(catalog, *txn, "\"$user\", public", "tessera", false));
  EXPECT_EQ((List{"public", "pg_catalog"}), search_path_schemas(catalog, *txn, "public, pg_catalog", "tessera", true));
  EXPECT_EQ((List{"public"}), search_path_schemas(catalog, *txn, "nosuch, public, public", "tessera", false));
  EXPECT_EQ(std::nullopt, creation_schema(catalog, *txn, "nosuch", "tessera"));
  EXPECT_EQ("tessera", creation_schema(catalog, *txn, "\"$user\", public", "tessera"));
  tm.rollback(*txn);
}

}  // namespace
}  // namespace tessera::catalog
