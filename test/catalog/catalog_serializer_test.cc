#include "catalog/catalog_serializer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "catalog/catalog.h"
#include "src/common/array_value.h"
#include "src/common/datetime.h"
#include "src/common/numeric.h"
#include "src/common/sql_error.h"
#include "storage/data_table.h"
#include "storage/hash_index.h"
#include "storage/transaction_manager.h"
#include "test/support/sqlstate_of.h"

namespace tessera::catalog {
namespace {

using storage::BinaryReader;
using storage::BinaryWriter;
using storage::DataTable;
using storage::Transaction;
using test_support::sqlstate_of;

/// A StorageResolver that gives one DataTable per storage id and records every call.
struct RecordingResolver {
  struct Call {
    uint64_t storage_id;
    std::vector<LogicalType> types;
  };
  std::map<uint64_t, std::shared_ptr<DataTable>> tables;
  std::vector<Call> calls;

  StorageResolver resolver() {
    return [this](uint64_t id, const std::vector<LogicalType>& types) {
      calls.push_back({id, types});
      auto& table = tables[id];
      if (!table) table = std::make_shared<DataTable>(types, id);
      return table;
    };
  }
};

void expect_same_columns(const std::vector<ColumnDefinition>& expected, const std::vector<ColumnDefinition>& actual) {
  ASSERT_EQ(expected.size(), actual.size());
  for (size_t i = 0; i < expected.size(); i++) {
    SCOPED_TRACE("column " + expected[i].name);
    EXPECT_EQ(expected[i].name, actual[i].name);
    EXPECT_EQ(expected[i].type, actual[i].type);
    EXPECT_EQ(expected[i].not_null, actual[i].not_null);
    EXPECT_EQ(expected[i].default_value, actual[i].default_value);
    EXPECT_EQ(expected[i].default_value.type(), actual[i].default_value.type());
    EXPECT_EQ(expected[i].default_expression, actual[i].default_expression);
    EXPECT_EQ(expected[i].identity, actual[i].identity);
    EXPECT_EQ(expected[i].comment, actual[i].comment);
  }
}

void expect_same_foreign_key(const ForeignKey& e, const ForeignKey& a) {
  EXPECT_EQ(e.name, a.name);
  EXPECT_EQ(e.columns, a.columns);
  EXPECT_EQ(e.referenced_table, a.referenced_table);
  EXPECT_EQ(e.referenced_columns, a.referenced_columns);
  EXPECT_EQ(e.referenced_index, a.referenced_index);
  EXPECT_EQ(e.index_key_columns, a.index_key_columns);
  EXPECT_EQ(e.match_full, a.match_full);
  EXPECT_EQ(e.on_delete, a.on_delete);
  EXPECT_EQ(e.on_update, a.on_update);
  EXPECT_EQ(e.delete_set_columns, a.delete_set_columns);
}

/// Compares every field write_entry writes; the stamps are not compared.
void expect_same_entry(const CatalogEntry& expected, const CatalogEntry& actual) {
  SCOPED_TRACE("relation " + expected.name());
  ASSERT_EQ(expected.kind(), actual.kind());
  EXPECT_EQ(expected.name(), actual.name());
  EXPECT_EQ(expected.oid(), actual.oid());
  EXPECT_EQ(expected.schema_oid(), actual.schema_oid());
  EXPECT_EQ(expected.comment(), actual.comment());
  expect_same_columns(expected.columns(), actual.columns());
  switch (expected.kind()) {
    case EntryKind::kTable: {
      const auto& e = static_cast<const TableEntry&>(expected);
      const auto& a = static_cast<const TableEntry&>(actual);
      ASSERT_EQ(e.checks().size(), a.checks().size());
      for (size_t i = 0; i < e.checks().size(); i++) {
        EXPECT_EQ(e.checks()[i].name, a.checks()[i].name);
        EXPECT_EQ(e.checks()[i].expression, a.checks()[i].expression);
      }
      ASSERT_EQ(e.foreign_keys().size(), a.foreign_keys().size());
      for (size_t i = 0; i < e.foreign_keys().size(); i++) expect_same_foreign_key(e.foreign_keys()[i], a.foreign_keys()[i]);
      EXPECT_EQ(e.storage().storage_id(), a.storage().storage_id());
      EXPECT_EQ(e.storage().types(), a.storage().types());
      break;
    }
    case EntryKind::kIndex: {
      const auto& e = static_cast<const IndexEntry&>(expected);
      const auto& a = static_cast<const IndexEntry&>(actual);
      EXPECT_EQ(e.table_name(), a.table_name());
      EXPECT_EQ(e.definition().name, a.definition().name);
      EXPECT_EQ(e.definition().columns, a.definition().columns);
      EXPECT_EQ(e.definition().unique, a.definition().unique);
      EXPECT_EQ(e.definition().primary_key, a.definition().primary_key);
      EXPECT_EQ(e.definition().constraint, a.definition().constraint);
      ASSERT_NE(nullptr, a.index());
      EXPECT_NE(e.index(), a.index()) << "a new HashIndex";
      EXPECT_EQ(e.index()->name(), a.index()->name());
      EXPECT_EQ(e.index()->columns(), a.index()->columns());
      EXPECT_EQ(e.index()->column_names(), a.index()->column_names());
      EXPECT_EQ(e.index()->unique(), a.index()->unique());
      EXPECT_EQ(0u, a.index()->entry_count()) << "empty: the caller fills it";
      break;
    }
    case EntryKind::kSequence: {
      const auto& e = static_cast<const SequenceEntry&>(expected);
      const auto& a = static_cast<const SequenceEntry&>(actual);
      EXPECT_EQ(e.options().type, a.options().type);
      EXPECT_EQ(e.options().increment, a.options().increment);
      EXPECT_EQ(e.options().min_value, a.options().min_value);
      EXPECT_EQ(e.options().max_value, a.options().max_value);
      EXPECT_EQ(e.options().start, a.options().start);
      EXPECT_EQ(e.options().cache, a.options().cache);
      EXPECT_EQ(e.options().cycle, a.options().cycle);
      EXPECT_EQ(e.owner_table(), a.owner_table());
      EXPECT_EQ(e.owner_column(), a.owner_column());
      EXPECT_EQ(e.counter_state().last_value, a.counter_state().last_value);
      EXPECT_EQ(e.counter_state().is_called, a.counter_state().is_called);
      break;
    }
    case EntryKind::kView: {
      const auto& e = static_cast<const ViewEntry&>(expected);
      const auto& a = static_cast<const ViewEntry&>(actual);
      EXPECT_EQ(e.query_text(), a.query_text());
      EXPECT_EQ(e.dependencies(), a.dependencies());
      break;
    }
  }
}

std::string serialize(const CatalogEntry& entry) {
  BinaryWriter out;
  write_entry(out, entry);
  return out.take();
}

std::string serialize(const SchemaEntry& schema) {
  BinaryWriter out;
  write_schema(out, schema);
  return out.take();
}

std::shared_ptr<CatalogEntry> deserialize(const std::string& bytes, const StorageResolver& storage) {
  BinaryReader in(bytes, "test record");
  auto entry = read_entry(in, storage);
  EXPECT_TRUE(in.at_end()) << "the reader consumes exactly what the writer wrote";
  return entry;
}

/// Reads `entry` back from its durable form, checks it field by field and that it writes the
/// same bytes again.
std::shared_ptr<CatalogEntry> round_trip(const CatalogEntry& entry, const StorageResolver& storage) {
  const std::string bytes = serialize(entry);
  auto copy = deserialize(bytes, storage);
  EXPECT_NE(nullptr, copy);
  if (!copy) return nullptr;
  expect_same_entry(entry, *copy);
  EXPECT_EQ(bytes, serialize(*copy));
  return copy;
}

/// Columns with every field set, of many types, defaults included (a NULL one too).
std::vector<ColumnDefinition> rich_columns() {
  std::vector<ColumnDefinition> columns;
  ColumnDefinition id("id", LogicalType::bigint(), true);
  id.identity = 'a';
  id.default_expression = "nextval('s.t_id_seq'::regclass)";
  id.comment = "the key";
  columns.push_back(id);
  ColumnDefinition amount("amount", LogicalType::numeric(numeric::make_typmod(10, 2)));
  amount.default_value = Value::numeric(numeric::parse_or_throw("12.50"), numeric::make_typmod(10, 2));
  columns.push_back(amount);
  ColumnDefinition label("label", LogicalType(LogicalTypeId::kVarchar, 20), true);
  label.default_value = Value::varchar("none", 20);
  label.comment = "what it is";
  columns.push_back(label);
  ColumnDefinition tags("tags", LogicalType::array_of(LogicalType::integer()));
  tags.default_value = array::make(LogicalType::integer(), {Value::integer(1), Value::null(LogicalType::integer())});
  columns.push_back(tags);
  ColumnDefinition at("at", LogicalType::timestamp());
  at.default_value = Value::timestamp(86400000000LL * 365 + 7);
  columns.push_back(at);
  ColumnDefinition made("made", LogicalType::timestamptz());
  made.default_expression = "now()";
  columns.push_back(made);
  ColumnDefinition ratio("ratio", LogicalType::double_precision());  // NULL default of its type
  columns.push_back(ratio);
  ColumnDefinition span("span", LogicalType::interval());
  Interval interval;
  interval.micros = 5;
  interval.days = -3;
  interval.months = 14;
  span.default_value = Value::interval(interval);
  columns.push_back(span);
  ColumnDefinition serial("n", LogicalType::integer(), true);
  serial.identity = 'd';
  serial.default_expression = "nextval('s.t_n_seq'::regclass)";
  columns.push_back(serial);
  ColumnDefinition untyped("u", LogicalType::varchar());
  untyped.default_value = Value();  // an untyped NULL
  columns.push_back(untyped);
  return columns;
}

class CatalogSerializerTest : public ::testing::Test {
 protected:
  void committed(const std::function<void(Transaction&)>& f) {
    auto txn = tm_.begin();
    f(*txn);
    tm_.commit(*txn);
  }

  /// Fills the catalog with one object of every kind, every field set: schema "s" (with a
  /// comment) holding table "t" (checks, a self-referencing FOREIGN KEY with every option, a
  /// PRIMARY KEY, a UNIQUE constraint, a plain index, a table comment), table "p" in public,
  /// sequences (one owned by t.n, one with every option and a moved counter), a view.
  void build_catalog() {
    committed([&](Transaction& txn) {
      catalog_.create_schema(txn, "s", "alice", false);
      catalog_.set_schema_comment(txn, "s", "a schema");
    });
    committed([&](Transaction& txn) {
      ForeignKey fk;
      fk.name = "t_parent_fkey";
      fk.columns = {8, 2};
      fk.referenced_table = "t";
      fk.referenced_columns = {0, 2};
      fk.referenced_index = "t_pkey";
      fk.index_key_columns = {8, 2};
      fk.match_full = true;
      fk.on_delete = 'n';
      fk.on_update = 'c';
      fk.delete_set_columns = {8};
      IndexDefinition pk{"t_pkey", {0, 2}, true, true, true};
      IndexDefinition unique{"t_at_key", {4}, true, false, true};
      auto table = catalog_.create_table(txn, "t", rich_columns(), false, {pk, unique},
                                         {{"t_amount_check", "amount > 0"}, {"a_check", "label <> ''"}}, {fk}, "s");
      auto index = catalog_.create_index(txn, *table, IndexDefinition{"t_label_idx", {2, 1}, false, false, false},
                                         false);
      table->storage().add_index(index->index());
      catalog_.set_comment(txn, *table, std::nullopt, "the table");
    });
    committed([&](Transaction& txn) {
      catalog_.create_table(txn, "p", {{"a", LogicalType::integer()}, {"b", LogicalType::bpchar(3)}}, false);
      SequenceOptions options;
      options.type = LogicalType::integer();
      options.increment = -3;
      options.min_value = -1000;
      options.max_value = 50;
      options.start = 40;
      options.cache = 20;
      options.cycle = true;
      auto sequence = catalog_.create_sequence(txn, "seq", options, false);
      sequence->next_value();
      sequence->next_value();
      catalog_.create_sequence(txn, "p_a_seq", SequenceOptions{}, false, "p", "a");
      catalog_.create_view(txn, "v", {{"a", LogicalType::integer()}, {"b", LogicalType::bpchar(3)}},
                           "SELECT a, b FROM p WHERE a > 1", {"p"}, false);
    });
    committed([&](Transaction& txn) {
      catalog_.set_comment(txn, *catalog_.get(txn, "v"), 0, "view column");
      catalog_.set_comment(txn, *catalog_.get(txn, "seq"), std::nullopt, "counts down");
    });
  }

  /// The current version of every relation of the catalog.
  std::vector<std::shared_ptr<CatalogEntry>> current_entries() {
    auto txn = tm_.begin();
    auto entries = catalog_.entries(*txn);
    tm_.commit(*txn);
    return entries;
  }

  Catalog catalog_;
  storage::TransactionManager tm_;
};

TEST_F(CatalogSerializerTest, EveryKindRoundTripsWithEveryField) {
  build_catalog();
  auto entries = current_entries();
  std::map<EntryKind, int> kinds;
  RecordingResolver storage;
  for (const auto& entry : entries) {
    kinds[entry->kind()]++;
    round_trip(*entry, storage.resolver());
  }
  EXPECT_EQ(2, kinds[EntryKind::kTable]);
  EXPECT_EQ(3, kinds[EntryKind::kIndex]);
  EXPECT_EQ(2, kinds[EntryKind::kSequence]);
  EXPECT_EQ(1, kinds[EntryKind::kView]);

  // Spot checks that the catalog did set what the comparison relies on being non-default.
  auto txn = tm_.begin();
  auto schema = catalog_.find_schema(*txn, "s");
  auto t = catalog_.get_table(*txn, schema->oid(), "t");
  EXPECT_EQ("the table", t->comment());
  EXPECT_EQ(2u, t->checks().size());
  EXPECT_EQ(1u, t->foreign_keys().size());
  auto seq = std::static_pointer_cast<SequenceEntry>(catalog_.get(*txn, "seq"));
  EXPECT_EQ(37, seq->counter_state().last_value);
  EXPECT_TRUE(seq->counter_state().is_called);
  EXPECT_EQ("counts down", seq->comment());
  EXPECT_EQ("view column", catalog_.get(*txn, "v")->columns()[0].comment);
  tm_.commit(*txn);
}

TEST_F(CatalogSerializerTest, ATableGetsItsStorageFromTheResolver) {
  build_catalog();
  auto txn = tm_.begin();
  auto schema = catalog_.find_schema(*txn, "s");
  auto table = catalog_.get_table(*txn, schema->oid(), "t");
  tm_.commit(*txn);
  RecordingResolver storage;
  auto copy = std::static_pointer_cast<TableEntry>(round_trip(*table, storage.resolver()));
  ASSERT_EQ(1u, storage.calls.size());
  EXPECT_EQ(table->storage().storage_id(), storage.calls[0].storage_id);
  EXPECT_EQ(table->storage().types(), storage.calls[0].types);
  EXPECT_EQ(storage.tables.at(table->storage().storage_id()), copy->shared_storage());
}

TEST_F(CatalogSerializerTest, TwoVersionsOfATableShareTheResolvedStorage) {
  std::shared_ptr<TableEntry> first;
  std::shared_ptr<TableEntry> second;
  committed([&](Transaction& txn) { first = catalog_.create_table(txn, "t", {{"a", LogicalType::integer()}}, false); });
  committed([&](Transaction& txn) {
    catalog_.set_comment(txn, *first, std::nullopt, "renamed");
    second = catalog_.get_table(txn, "t");
  });
  ASSERT_NE(first, second);
  ASSERT_EQ(first->shared_storage(), second->shared_storage());
  RecordingResolver storage;
  auto a = std::static_pointer_cast<TableEntry>(round_trip(*first, storage.resolver()));
  auto b = std::static_pointer_cast<TableEntry>(round_trip(*second, storage.resolver()));
  EXPECT_EQ(a->shared_storage(), b->shared_storage());
  EXPECT_EQ(2u, storage.calls.size());
}

TEST_F(CatalogSerializerTest, EntriesBuiltDirectlyRoundTrip) {
  // Fields the catalog API leaves at their defaults: an unpublished sequence whose counter was
  // never called, a view with no dependencies and no columns, an index with a one-column key.
  RecordingResolver storage;
  SequenceEntry fresh("fresh", 20000, SequenceOptions{}, "", "");
  round_trip(fresh, storage.resolver());
  ViewEntry empty("empty", 20001, {}, "SELECT", {});
  round_trip(empty, storage.resolver());
  SequenceEntry moved("moved", 20002, SequenceOptions{}, "", "");
  moved.set_value(INT64_MAX, true);
  round_trip(moved, storage.resolver());
  TableEntry wide("wide", 20003, rich_columns());
  round_trip(wide, storage.resolver());
}

TEST_F(CatalogSerializerTest, SchemasRoundTrip) {
  build_catalog();
  auto txn = tm_.begin();
  auto schemas = catalog_.schemas(*txn);
  tm_.commit(*txn);
  ASSERT_EQ(4u, schemas.size());
  for (const auto& schema : schemas) {
    const std::string bytes = serialize(*schema);
    BinaryReader in(bytes, "schema");
    auto copy = read_schema(in);
    EXPECT_TRUE(in.at_end());
    EXPECT_EQ(schema->oid(), copy->oid());
    EXPECT_EQ(schema->name(), copy->name());
    EXPECT_EQ(schema->owner(), copy->owner());
    EXPECT_EQ(schema->comment(), copy->comment());
    EXPECT_EQ(bytes, serialize(*copy));
  }
  auto s = std::find_if(schemas.begin(), schemas.end(), [](const auto& x) { return x->name() == "s"; });
  ASSERT_NE(schemas.end(), s);
  EXPECT_EQ("alice", (*s)->owner());
  EXPECT_EQ("a schema", (*s)->comment());
}

TEST_F(CatalogSerializerTest, TruncatedRecordsAreCorruptAtEveryLength) {
  build_catalog();
  RecordingResolver storage;
  for (const auto& entry : current_entries()) {
    SCOPED_TRACE(entry->name());
    const std::string bytes = serialize(*entry);
    for (size_t length = 0; length < bytes.size(); length++) {
      const std::string prefix = bytes.substr(0, length);
      EXPECT_EQ("XX001", sqlstate_of([&] {
                  BinaryReader in(prefix, "truncated");
                  read_entry(in, storage.resolver());
                }))
          << "length " << length;
    }
  }
  auto txn = tm_.begin();
  const std::string bytes = serialize(*catalog_.find_schema(*txn, "s"));
  tm_.commit(*txn);
  for (size_t length = 0; length < bytes.size(); length++) {
    const std::string prefix = bytes.substr(0, length);
    EXPECT_EQ("XX001", sqlstate_of([&] {
                BinaryReader in(prefix, "truncated");
                read_schema(in);
              }))
        << "length " << length;
  }
}

TEST_F(CatalogSerializerTest, BadKindOrVersionIsCorrupt) {
  RecordingResolver storage;
  TableEntry table("t", 20000, {{"a", LogicalType::integer()}});
  const std::string bytes = serialize(table);
  auto read_with = [&](size_t position, uint8_t byte) {
    std::string changed = bytes;
    changed[position] = static_cast<char>(byte);
    return sqlstate_of([&] {
      BinaryReader in(changed, "changed");
      read_entry(in, storage.resolver());
    });
  };
  EXPECT_EQ("XX001", read_with(0, 0)) << "format version";
  EXPECT_EQ("XX001", read_with(0, 2)) << "format version";
  EXPECT_EQ("XX001", read_with(1, 4)) << "kind";
  EXPECT_EQ("XX001", read_with(1, 0xff)) << "kind";
  SchemaEntry schema("s", 20001, "tessera");
  std::string schema_bytes = serialize(schema);
  schema_bytes[0] = 7;
  EXPECT_EQ("XX001", sqlstate_of([&] {
              BinaryReader in(schema_bytes, "changed");
              read_schema(in);
            }));
}

TEST_F(CatalogSerializerTest, InconsistentDataIsCorrupt) {
  RecordingResolver storage;
  auto corrupt = [&](const CatalogEntry& entry) {
    return sqlstate_of([&] {
      const std::string bytes = serialize(entry);
      BinaryReader in(bytes, "inconsistent");
      read_entry(in, storage.resolver());
    });
  };
  ForeignKey fk;
  fk.name = "fk";
  fk.columns = {3};  // past the table's one column
  fk.referenced_table = "p";
  fk.referenced_columns = {0};
  fk.index_key_columns = {0};
  EXPECT_EQ("XX001", corrupt(TableEntry("t", 20000, {{"a", LogicalType::integer()}}, {}, {fk})));
  fk.columns = {0};
  fk.referenced_columns = {0, 1};  // not as many as the referencing columns
  EXPECT_EQ("XX001", corrupt(TableEntry("t", 20000, {{"a", LogicalType::integer()}}, {}, {fk})));
  fk.referenced_columns = {0};
  fk.on_delete = 'x';
  EXPECT_EQ("XX001", corrupt(TableEntry("t", 20000, {{"a", LogicalType::integer()}}, {}, {fk})));
  ColumnDefinition column("a", LogicalType::integer());
  column.identity = 'z';
  EXPECT_EQ("XX001", corrupt(TableEntry("t", 20000, {column})));
  auto index = std::make_shared<storage::HashIndex>("i", std::vector<size_t>{0, 1}, std::vector<std::string>{"a"},
                                                    false);
  EXPECT_EQ("XX001", corrupt(IndexEntry("i", 20001, "t", IndexDefinition{"i", {0, 1}}, index)))
      << "column names not matching the key";
  SequenceOptions options;
  options.increment = 0;
  EXPECT_EQ("XX001", corrupt(SequenceEntry("q", 20002, options, "", "")));

  // A resolver that has no storage for the id.
  TableEntry table("t", 20003, {{"a", LogicalType::integer()}});
  const std::string bytes = serialize(table);
  EXPECT_EQ("XX001", sqlstate_of([&] {
              BinaryReader in(bytes, "no storage");
              read_entry(in, [](uint64_t, const std::vector<LogicalType>&) { return nullptr; });
            }));
}

TEST_F(CatalogSerializerTest, AnyChangedByteIsReadOrCorruptNeverACrash) {
  build_catalog();
  RecordingResolver storage;
  for (const auto& entry : current_entries()) {
    const std::string bytes = serialize(*entry);
    for (size_t i = 0; i < bytes.size(); i++) {
      for (uint8_t delta : {uint8_t{1}, uint8_t{0x80}, uint8_t{0xff}}) {
        std::string changed = bytes;
        changed[i] = static_cast<char>(static_cast<uint8_t>(changed[i]) ^ delta);
        const std::string state = sqlstate_of([&] {
          BinaryReader in(changed, "changed");
          read_entry(in, storage.resolver());
        });
        EXPECT_TRUE(state == "none" || state == "XX001") << entry->name() << " byte " << i << ": " << state;
      }
    }
  }
}

/// Writes every schema and relation of `source` and reads them back: what recovery hands to
/// install_recovered.
struct Recovered {
  std::vector<std::shared_ptr<SchemaEntry>> schemas;
  std::vector<std::shared_ptr<CatalogEntry>> entries;
};

TEST_F(CatalogSerializerTest, InstalledObjectsAreVisibleAndUsable) {
  build_catalog();
  Recovered recovered;
  RecordingResolver storage;
  Oid max_oid = 0;
  {
    auto txn = tm_.begin();
    for (const auto& schema : catalog_.schemas(*txn)) {
      const std::string bytes = serialize(*schema);
      BinaryReader in(bytes, "schema");
      recovered.schemas.push_back(read_schema(in));
      max_oid = std::max(max_oid, schema->oid());
    }
    for (const auto& entry : catalog_.entries(*txn)) {
      recovered.entries.push_back(deserialize(serialize(*entry), storage.resolver()));
      max_oid = std::max(max_oid, entry->oid());
    }
    tm_.commit(*txn);
  }
  // The indexes go into their tables' storage, as recovery does.
  Catalog target;
  storage::TransactionManager target_tm;
  for (const auto& entry : recovered.entries) {
    if (entry->kind() != EntryKind::kIndex) continue;
    auto index = std::static_pointer_cast<IndexEntry>(entry);
    for (const auto& table : recovered.entries) {
      if (table->kind() == EntryKind::kTable && table->name() == index->table_name() &&
          table->schema_oid() == index->schema_oid()) {
        static_cast<TableEntry&>(*table).storage().add_index(index->index());
      }
    }
  }
  const size_t num_entries = recovered.entries.size();
  target.install_recovered(recovered.schemas, recovered.entries, catalog_.next_oid());
  EXPECT_GE(target.next_oid(), catalog_.next_oid());
  EXPECT_GT(target.next_oid(), max_oid);

  auto txn = target_tm.begin();
  std::vector<std::string> schema_names;
  for (const auto& schema : target.schemas(*txn)) schema_names.push_back(schema->name());
  EXPECT_EQ((std::vector<std::string>{"information_schema", "pg_catalog", "public", "s"}), schema_names);
  auto s = target.find_schema(*txn, "s");
  ASSERT_NE(nullptr, s);
  EXPECT_EQ("a schema", s->comment());
  EXPECT_EQ(s, target.find_schema(*txn, s->oid()));
  EXPECT_EQ(num_entries, target.entries(*txn).size());

  auto source_txn = tm_.begin();
  for (const auto& entry : catalog_.entries(*source_txn)) {
    auto installed = target.find(*txn, entry->schema_oid(), entry->name());
    ASSERT_NE(nullptr, installed) << entry->name();
    expect_same_entry(*entry, *installed);
  }
  auto t = target.get_table(*txn, s->oid(), "t");
  std::vector<std::string> index_names;
  for (const auto& index : target.table_indexes(*txn, *t)) index_names.push_back(index->name());
  std::vector<std::string> source_index_names;
  for (const auto& index :
       catalog_.table_indexes(*source_txn, *catalog_.get_table(*source_txn, s->oid(), "t"))) {
    source_index_names.push_back(index->name());
  }
  tm_.commit(*source_txn);
  EXPECT_EQ(source_index_names, index_names);
  EXPECT_EQ(3u, index_names.size());
  EXPECT_EQ(3u, t->storage().indexes().size());

  // The recovered sequence continues from its counter and is noted when it moves.
  auto seq = std::static_pointer_cast<SequenceEntry>(target.get(*txn, "seq"));
  EXPECT_EQ(34, seq->next_value());
  auto changed = target.take_changed_sequences();
  ASSERT_EQ(1u, changed.size());
  EXPECT_EQ(seq->oid(), changed[0].oid);
  EXPECT_EQ(34, changed[0].last_value);
  target_tm.commit(*txn);

  // DDL works on the installed objects; new objects get OIDs above the installed ones.
  txn = target_tm.begin();
  auto dropped = target.drop(*txn, "v", EntryKind::kView, false, false);
  EXPECT_EQ(1u, dropped.size());
  target.alter_sequence(*txn, *seq, seq->options(), "", "", 5);
  auto fresh = target.create_table(*txn, "fresh", {{"a", LogicalType::integer()}}, false);
  EXPECT_GT(fresh->oid(), max_oid);
  EXPECT_GE(fresh->oid(), catalog_.next_oid());
  auto fresh_schema = target.create_schema(*txn, "s2", "tessera", false);
  EXPECT_GT(fresh_schema->oid(), fresh->oid());
  target.drop(*txn, "p", EntryKind::kTable, false, false);
  target_tm.commit(*txn);

  txn = target_tm.begin();
  EXPECT_EQ(nullptr, target.find(*txn, "v"));
  EXPECT_EQ(nullptr, target.find(*txn, "p"));
  EXPECT_EQ(nullptr, target.find(*txn, "p_a_seq")) << "an owned sequence goes with its table";
  EXPECT_NE(nullptr, target.find(*txn, "fresh"));
  EXPECT_EQ(5, std::static_pointer_cast<SequenceEntry>(target.get(*txn, "seq"))->next_value());
  target_tm.commit(*txn);
}

TEST_F(CatalogSerializerTest, InstallRecoveredRaisesTheOidCounterToTheGivenValue) {
  Catalog target;
  std::vector<std::shared_ptr<SchemaEntry>> schemas;
  auto txn = tm_.begin();
  for (const auto& schema : catalog_.schemas(*txn)) {
    schemas.push_back(std::make_shared<SchemaEntry>(schema->name(), schema->oid(), schema->owner(), schema->comment()));
  }
  tm_.commit(*txn);
  target.install_recovered(schemas, {}, 50000);
  for (auto& schema : schemas) {
    schema = std::make_shared<SchemaEntry>(schema->name(), schema->oid(), schema->owner(), schema->comment());
  }
  EXPECT_EQ(50000u, target.next_oid());
  Catalog lower;
  lower.install_recovered(schemas, {}, 0);
  EXPECT_EQ(16384u, lower.next_oid()) << "never lowered";
}

TEST_F(CatalogSerializerTest, InstallRecoveredRefusesInconsistentInput) {
  auto builtins = [] {
    return std::vector<std::shared_ptr<SchemaEntry>>{
        std::make_shared<SchemaEntry>(kCatalogSchema, 11, kBootstrapRole),
        std::make_shared<SchemaEntry>(kInformationSchema, 13000, kBootstrapRole),
        std::make_shared<SchemaEntry>(kPublicSchema, kPublicSchemaOid, kBootstrapRole)};
  };
  auto table = [](const std::string& name, Oid oid) {
    return std::make_shared<TableEntry>(name, oid, std::vector<ColumnDefinition>{{"a", LogicalType::integer()}});
  };
  Catalog target;
  EXPECT_EQ("XX001", sqlstate_of([&] { target.install_recovered({}, {}, 0); })) << "pg_catalog missing";
  EXPECT_EQ("XX001", sqlstate_of([&] { target.install_recovered(builtins(), {table("a", 20000), table("a", 20001)}, 0); }))
      << "two relations of one name";
  EXPECT_EQ("XX001", sqlstate_of([&] { target.install_recovered(builtins(), {table("a", 20000), table("b", 20000)}, 0); }))
      << "two relations of one OID";
  auto schemas = builtins();
  schemas.push_back(std::make_shared<SchemaEntry>("public", 30000, kBootstrapRole));
  EXPECT_EQ("XX001", sqlstate_of([&] { target.install_recovered(schemas, {}, 0); })) << "two schemas of one name";
  // A refused input leaves the catalog as it was.
  auto txn = tm_.begin();
  EXPECT_NE(nullptr, target.find_schema(*txn, "public"));
  EXPECT_EQ(16384u, target.next_oid());
  tm_.commit(*txn);
}

TEST_F(CatalogSerializerTest, ChangedSequencesAreReportedOnce) {
  std::shared_ptr<SequenceEntry> a;
  std::shared_ptr<SequenceEntry> b;
  committed([&](Transaction& txn) {
    a = catalog_.create_sequence(txn, "a", SequenceOptions{}, false);
    b = catalog_.create_sequence(txn, "b", SequenceOptions{}, false);
  });
  EXPECT_TRUE(catalog_.take_changed_sequences().empty()) << "creation is not a counter change";
  a->next_value();
  a->next_value();
  a->next_value();
  auto changed = catalog_.take_changed_sequences();
  ASSERT_EQ(1u, changed.size());
  EXPECT_EQ(a->oid(), changed[0].oid);
  EXPECT_EQ(3, changed[0].last_value);
  EXPECT_TRUE(changed[0].is_called);
  EXPECT_TRUE(catalog_.take_changed_sequences().empty()) << "reported once";

  b->set_value(10, false);
  a->next_value();
  changed = catalog_.take_changed_sequences();
  ASSERT_EQ(2u, changed.size());
  EXPECT_EQ(a->oid(), changed[0].oid);
  EXPECT_EQ(4, changed[0].last_value);
  EXPECT_EQ(b->oid(), changed[1].oid);
  EXPECT_EQ(10, changed[1].last_value);
  EXPECT_FALSE(changed[1].is_called);

  // ALTER SEQUENCE ... RESTART; the new version shares the counter and notes it too.
  committed([&](Transaction& txn) { catalog_.alter_sequence(txn, *a, a->options(), "", "", 100); });
  changed = catalog_.take_changed_sequences();
  ASSERT_EQ(1u, changed.size());
  EXPECT_EQ(a->oid(), changed[0].oid);
  EXPECT_EQ(100, changed[0].last_value);
  EXPECT_FALSE(changed[0].is_called);
  auto txn = tm_.begin();
  std::static_pointer_cast<SequenceEntry>(catalog_.get(*txn, "a"))->next_value();
  tm_.commit(*txn);
  changed = catalog_.take_changed_sequences();
  ASSERT_EQ(1u, changed.size());
  EXPECT_EQ(100, changed[0].last_value);
  EXPECT_TRUE(changed[0].is_called);

  // A failing nextval changes nothing and notes nothing; an unpublished entry notes nothing.
  SequenceOptions small;
  small.max_value = 1;
  std::shared_ptr<SequenceEntry> c;
  committed([&](Transaction& t) { c = catalog_.create_sequence(t, "c", small, false); });
  c->next_value();
  catalog_.take_changed_sequences();
  EXPECT_EQ("2200H", sqlstate_of([&] { c->next_value(); }));
  EXPECT_TRUE(catalog_.take_changed_sequences().empty());
  SequenceEntry loose("loose", 30000, SequenceOptions{}, "", "");
  loose.next_value();
  EXPECT_TRUE(catalog_.take_changed_sequences().empty());
}

TEST_F(CatalogSerializerTest, ConcurrentNextvalsEndReportedAtTheirFinalValue) {
  std::shared_ptr<SequenceEntry> sequence;
  committed([&](Transaction& txn) { sequence = catalog_.create_sequence(txn, "q", SequenceOptions{}, false); });
  constexpr int kThreads = 4;
  constexpr int kCalls = 2000;
  std::atomic<int> running{kThreads};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; i++) {
    threads.emplace_back([&] {
      for (int j = 0; j < kCalls; j++) sequence->next_value();
      running--;
    });
  }
  int64_t last_reported = 0;
  auto take = [&] {
    for (const auto& state : catalog_.take_changed_sequences()) {
      EXPECT_EQ(sequence->oid(), state.oid);
      EXPECT_GE(state.last_value, last_reported) << "reports read the counter when taken";
      last_reported = state.last_value;
    }
  };
  while (running > 0) take();
  for (auto& thread : threads) thread.join();
  take();
  EXPECT_EQ(int64_t{kThreads} * kCalls, last_reported);
  EXPECT_TRUE(catalog_.take_changed_sequences().empty());
}

}  // namespace
}  // namespace tessera::catalog
