#include "catalog/catalog.h"

#include <algorithm>
#include <set>

#include "catalog/entry_kind_name.h"
#include "src/common/assert.h"
#include "src/common/sql_error.h"
#include "storage/data_table.h"
#include "storage/hash_index.h"
#include "storage/transaction.h"

namespace tessera::catalog {

using storage::LockMode;
using storage::Transaction;

namespace {

/// The version in `versions` (oldest first) that `txn`'s snapshot sees (`current`: that the
/// latest committed state plus its own changes holds), or nullptr. At most one version of a
/// name qualifies; the newest are likeliest.
template <typename T>
std::shared_ptr<T> pick_version(const std::vector<std::shared_ptr<T>>& versions, const Transaction& txn, bool current) {
  for (auto v = versions.rbegin(); v != versions.rend(); ++v) {
    if (current ? (*v)->current_for(txn) : (*v)->visible_to(txn)) return *v;
  }
  return nullptr;
}

/// The version of `name` in `map` as pick_version chooses it.
template <typename K, typename T>
std::shared_ptr<T> pick_named_version(const std::map<K, std::vector<std::shared_ptr<T>>>& map, const K& name,
                                      const Transaction& txn, bool current) {
  auto it = map.find(name);
  return it == map.end() ? nullptr : pick_version(it->second, txn, current);
}

/// Removes version `entry` of `name` from `map` (and the name, when it was the last).
template <typename K, typename T>
void erase_version(std::map<K, std::vector<std::shared_ptr<T>>>& map, const K& name, const T* entry) {
  auto it = map.find(name);
  if (it == map.end()) return;
  auto& versions = it->second;
  versions.erase(std::remove_if(versions.begin(), versions.end(),
                                [&](const std::shared_ptr<T>& v) { return v.get() == entry; }),
                 versions.end());
  if (versions.empty()) map.erase(it);
}

/// The lock name of a schema: a leading NUL keeps it apart from every relation name.
std::string schema_lock_name(const std::string& schema) { return std::string("\0schema ", 8) + schema; }

/// The lock name of relation `name` of schema `schema`: the schema's OID, a dot and the name
/// (a name may hold dots, the OID does not).
std::string relation_lock_name(Oid schema, const std::string& name) { return std::to_string(schema) + "." + name; }

SqlError undefined_schema(const std::string& name) {
  return SqlError(SqlState::kInvalidSchemaName, "schema \"" + name + "\" does not exist");
}

}  // namespace

Catalog::Catalog() {
  // PostgreSQL's OIDs of its built-in schemas.
  const std::pair<const char*, Oid> builtins[] = {
      {kCatalogSchema, 11}, {kPublicSchema, 2200}, {kInformationSchema, 13000}};
  for (const auto& [name, oid] : builtins) {
    auto schema = std::make_shared<SchemaEntry>(name, oid, kBootstrapRole,
                                                name == std::string(kPublicSchema) ? "standard public schema" : "");
    schema->catalog_ = this;
    schema->mark_created_at_start();
    schemas_[name].push_back(std::move(schema));
  }
}

Catalog::~Catalog() {
  // Versions still referenced elsewhere (queries, the transaction manager's garbage list) must
  // not call back into a destroyed catalog.
  for (auto& [name, versions] : entries_) {
    for (auto& entry : versions) entry->catalog_ = nullptr;
  }
  for (auto& [name, versions] : schemas_) {
    for (auto& entry : versions) entry->catalog_ = nullptr;
  }
}

Oid Catalog::allocate_oid() { return next_oid_++; }

Oid Catalog::next_oid() const {
  std::shared_lock lock(mutex_);
  return next_oid_;
}

namespace {

[[noreturn]] void bad_recovered_catalog(const std::string& problem) {
  throw SqlError(SqlState::kDataCorrupted, "recovered catalog: " + problem);
}

}  // namespace

void Catalog::install_recovered(std::vector<std::shared_ptr<SchemaEntry>> schemas,
                                std::vector<std::shared_ptr<CatalogEntry>> entries, Oid next_oid) {
  // Checked before anything changes, so a refused input leaves the catalog as it was.
  std::set<Oid> oids;
  std::set<Oid> schema_oids;
  std::set<std::string> schema_names;
  for (const auto& schema : schemas) {
    TS_CHECK(schema != nullptr, "install_recovered: null schema");
    if (!schema_names.insert(schema->name()).second) bad_recovered_catalog("two schemas named " + schema->name());
    if (!oids.insert(schema->oid()).second) bad_recovered_catalog("OID " + std::to_string(schema->oid()) + " used twice");
    schema_oids.insert(schema->oid());
  }
  for (const char* name : {kCatalogSchema, kInformationSchema}) {
    if (!schema_names.count(name)) bad_recovered_catalog(std::string("schema ") + name + " missing");
  }
  std::set<RelationKey> keys;
  for (const auto& entry : entries) {
    TS_CHECK(entry != nullptr, "install_recovered: null relation");
    if (!schema_oids.count(entry->schema_oid())) {
      bad_recovered_catalog("relation " + entry->name() + " in schema OID " + std::to_string(entry->schema_oid()) +
                            ", which does not exist");
    }
    if (!keys.insert(RelationKey(entry->schema_oid(), entry->name())).second) {
      bad_recovered_catalog("two relations named " + entry->name() + " in schema OID " +
                            std::to_string(entry->schema_oid()));
    }
    if (!oids.insert(entry->oid()).second) bad_recovered_catalog("OID " + std::to_string(entry->oid()) + " used twice");
  }

  std::unique_lock lock(mutex_);
  for (auto& [key, versions] : entries_) {
    for (auto& entry : versions) entry->catalog_ = nullptr;
  }
  for (auto& [name, versions] : schemas_) {
    for (auto& schema : versions) schema->catalog_ = nullptr;
  }
  entries_.clear();
  schemas_.clear();
  for (auto& schema : schemas) {
    schema->catalog_ = this;
    schema->mark_created_at_start();
    const std::string name = schema->name();
    schemas_[name].push_back(std::move(schema));
  }
  for (auto& entry : entries) {
    entry->catalog_ = this;
    entry->mark_created_at_start();
    RelationKey key(entry->schema_oid(), entry->name());
    entries_[std::move(key)].push_back(std::move(entry));
  }
  next_oid_ = std::max(next_oid_, next_oid);
  if (!oids.empty()) next_oid_ = std::max(next_oid_, *oids.rbegin() + 1);
  lock.unlock();
  std::lock_guard changed_lock(changed_sequences_mutex_);
  changed_sequences_.clear();
}

void Catalog::note_sequence_change(Oid oid, std::shared_ptr<SequenceEntry::Counter> counter) {
  std::lock_guard lock(changed_sequences_mutex_);
  changed_sequences_.emplace_back(oid, std::move(counter));
}

bool Catalog::has_changed_sequences() const {
  std::lock_guard lock(changed_sequences_mutex_);
  return !changed_sequences_.empty();
}

std::vector<Catalog::SequenceState> Catalog::take_changed_sequences() {
  std::vector<std::pair<Oid, std::shared_ptr<SequenceEntry::Counter>>> changed;
  {
    std::lock_guard lock(changed_sequences_mutex_);
    changed.swap(changed_sequences_);
  }
  std::vector<SequenceState> states;
  states.reserve(changed.size());
  for (const auto& [oid, counter] : changed) {
    // Read and cleared together: a change after this is noted again for the next call.
    std::lock_guard lock(counter->mutex);
    states.push_back({oid, counter->last_value, counter->is_called});
    counter->noted = false;
  }
  std::sort(states.begin(), states.end(), [](const SequenceState& a, const SequenceState& b) { return a.oid < b.oid; });
  return states;
}

std::shared_ptr<CatalogEntry> Catalog::find(const Transaction& txn, Oid schema, const std::string& name) const {
  std::shared_lock lock(mutex_);
  return pick_named_version(entries_, RelationKey(schema, name), txn, false);
}

std::shared_ptr<CatalogEntry> Catalog::find(const Transaction& txn, const std::string& name) const {
  return find(txn, kPublicSchemaOid, name);
}

std::shared_ptr<CatalogEntry> Catalog::get(const Transaction& txn, const std::string& name) const {
  auto entry = find(txn, name);
  if (!entry) throw SqlError(SqlState::kUndefinedTable, "relation \"" + name + "\" does not exist");
  return entry;
}

std::shared_ptr<TableEntry> Catalog::get_table(const Transaction& txn, const std::string& name) const {
  return get_table(txn, kPublicSchemaOid, name);
}

std::shared_ptr<TableEntry> Catalog::get_table(const Transaction& txn, Oid schema, const std::string& name) const {
  auto entry = find(txn, schema, name);
  if (!entry) throw SqlError(SqlState::kUndefinedTable, "relation \"" + name + "\" does not exist");
  if (entry->kind() != EntryKind::kTable) {
    throw SqlError(SqlState::kWrongObjectType, "\"" + name + "\" is not a table");
  }
  return std::static_pointer_cast<TableEntry>(entry);
}

std::vector<std::shared_ptr<CatalogEntry>> Catalog::entries(const Transaction& txn) const {
  std::shared_lock lock(mutex_);
  std::vector<std::shared_ptr<CatalogEntry>> result;
  for (const auto& [name, versions] : entries_) {
    if (auto entry = pick_version(versions, txn, false)) result.push_back(std::move(entry));
  }
  return result;
}

std::shared_ptr<CatalogEntry> Catalog::current_locked(const Transaction& txn, Oid schema,
                                                     const std::string& name) const {
  return pick_named_version(entries_, RelationKey(schema, name), txn, true);
}

void Catalog::publish_locked(const std::shared_ptr<CatalogEntry>& entry, Oid schema) {
  entry->catalog_ = this;
  entry->schema_oid_ = schema;
  entries_[RelationKey(schema, entry->name())].push_back(entry);
}

namespace {

void check_columns(const std::vector<ColumnDefinition>& columns) {
  std::set<std::string> seen;
  for (const auto& c : columns) {
    if (!seen.insert(c.name).second) {
      throw SqlError(SqlState::kDuplicateColumn, "column \"" + c.name + "\" specified more than once");
    }
  }
}

}  // namespace

/// Takes an index out of its table's storage when the transaction that created it rolls back
/// (`on_rollback`) or the one that dropped it commits.
class IndexStorageHook : public storage::TransactionHook {
 public:
  IndexStorageHook(std::shared_ptr<TableEntry> table, std::shared_ptr<storage::HashIndex> index, bool on_rollback)
      : table_(std::move(table)), index_(std::move(index)), on_rollback_(on_rollback) {}
  void after_commit(Transaction&, uint64_t) noexcept override {
    if (!on_rollback_) table_->storage().remove_index(*index_);
  }
  void after_rollback(Transaction&) noexcept override {
    if (on_rollback_) table_->storage().remove_index(*index_);
  }

 private:
  std::shared_ptr<TableEntry> table_;
  std::shared_ptr<storage::HashIndex> index_;
  bool on_rollback_;
};

std::shared_ptr<IndexEntry> Catalog::add_index_locked(Transaction& txn, Oid schema, const std::string& table,
                                                      IndexDefinition definition,
                                                      const std::vector<ColumnDefinition>& columns) {
  std::vector<std::string> names;
  for (size_t c : definition.columns) names.push_back(columns.at(c).name);
  auto index = std::make_shared<storage::HashIndex>(definition.name, definition.columns, std::move(names),
                                                    definition.unique);
  const std::string name = definition.name;
  auto entry = std::make_shared<IndexEntry>(name, allocate_oid(), table, std::move(definition), std::move(index));
  entry->catalog_ = this;
  txn.record_create(entry);
  publish_locked(entry, schema);
  return entry;
}

std::vector<std::shared_ptr<IndexEntry>> Catalog::table_indexes_locked(const Transaction& txn, Oid schema,
                                                                       const std::string& table) const {
  std::vector<std::shared_ptr<IndexEntry>> result;
  for (const auto& [key, versions] : entries_) {
    if (key.first != schema) continue;
    auto entry = pick_version(versions, txn, true);
    if (!entry || entry->kind() != EntryKind::kIndex) continue;
    auto index = std::static_pointer_cast<IndexEntry>(entry);
    if (index->table_name() == table) result.push_back(std::move(index));
  }
  std::sort(result.begin(), result.end(), [](const auto& a, const auto& b) { return a->oid() < b->oid(); });
  return result;
}

std::vector<std::shared_ptr<IndexEntry>> Catalog::table_indexes(const Transaction& txn, const CatalogEntry& table) const {
  std::shared_lock lock(mutex_);
  return table_indexes_locked(txn, table.schema_oid(), table.name());
}

std::shared_ptr<TableEntry> Catalog::create_table(Transaction& txn, const std::string& name,
                                                  std::vector<ColumnDefinition> columns, bool if_not_exists,
                                                  std::vector<IndexDefinition> indexes,
                                                  std::vector<CheckConstraint> checks,
                                                  std::vector<ForeignKey> foreign_keys,
                                                  const std::string& schema_name) {
  check_columns(columns);
  const Oid schema = lock_schema_for_create(txn, schema_name);
  txn.lock(relation_lock_name(schema, name), LockMode::kExclusive);
  // The referenced tables cannot be dropped while this transaction runs.
  for (const auto& fk : foreign_keys) txn.lock(relation_lock_name(schema, fk.referenced_table), LockMode::kShared);
  for (const auto& index : indexes) {
    if (index.name != name) txn.lock(relation_lock_name(schema, index.name), LockMode::kExclusive);
  }
  std::unique_lock lock(mutex_);
  if (current_locked(txn, schema, name)) {
    if (if_not_exists) return nullptr;
    throw SqlError(SqlState::kDuplicateTable, "relation \"" + name + "\" already exists");
  }
  std::set<std::string> index_names;
  bool has_primary_key = false;
  for (const auto& index : indexes) {
    if (index.primary_key) {
      if (has_primary_key) {
        throw SqlError(SqlState::kInvalidTableDefinition,
                       "multiple primary keys for table \"" + name + "\" are not allowed");
      }
      has_primary_key = true;
    }
    if (index.name == name || !index_names.insert(index.name).second || current_locked(txn, schema, index.name)) {
      throw SqlError(SqlState::kDuplicateTable, "relation \"" + index.name + "\" already exists");
    }
  }
  const std::vector<ColumnDefinition> column_list = columns;
  for (const auto& fk : foreign_keys) {
    if (fk.referenced_table == name) continue;  // a table referencing itself
    auto referenced = current_locked(txn, schema, fk.referenced_table);
    if (!referenced || referenced->kind() != EntryKind::kTable) {
      throw SqlError(SqlState::kUndefinedTable, "relation \"" + fk.referenced_table + "\" does not exist");
    }
  }
  std::sort(checks.begin(), checks.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  auto entry = std::make_shared<TableEntry>(name, allocate_oid(), std::move(columns), std::move(checks),
                                            std::move(foreign_keys));
  entry->catalog_ = this;
  txn.record_create(entry);
  publish_locked(entry, schema);
  for (auto& definition : indexes) {
    auto index = add_index_locked(txn, schema, name, std::move(definition), column_list);
    entry->storage().add_index(index->index());
  }
  return entry;
}

std::shared_ptr<IndexEntry> Catalog::create_index(Transaction& txn, const TableEntry& table,
                                                  IndexDefinition definition, bool if_not_exists) {
  const Oid schema = table.schema_oid();
  txn.lock(relation_lock_name(schema, table.name()), LockMode::kExclusive);
  txn.lock(relation_lock_name(schema, definition.name), LockMode::kExclusive);
  std::unique_lock lock(mutex_);
  auto current = current_locked(txn, schema, table.name());
  if (current.get() != &table) {
    throw SqlError(SqlState::kUndefinedTable, "relation \"" + table.name() + "\" does not exist");
  }
  if (current_locked(txn, schema, definition.name)) {
    if (if_not_exists) return nullptr;
    throw SqlError(SqlState::kDuplicateTable, "relation \"" + definition.name + "\" already exists");
  }
  auto entry = add_index_locked(txn, schema, table.name(), std::move(definition), table.columns());
  txn.add_hook(std::make_shared<IndexStorageHook>(std::static_pointer_cast<TableEntry>(current), entry->index(), true));
  return entry;
}

std::shared_ptr<SequenceEntry> Catalog::create_sequence(Transaction& txn, const std::string& name,
                                                        SequenceOptions options, bool if_not_exists,
                                                        std::string owner_table, std::string owner_column) {
  lock_schema_for_create(txn, kPublicSchema);
  txn.lock(relation_lock_name(kPublicSchemaOid, name), LockMode::kExclusive);
  std::unique_lock lock(mutex_);
  if (current_locked(txn, kPublicSchemaOid, name)) {
    if (if_not_exists) return nullptr;
    throw SqlError(SqlState::kDuplicateTable, "relation \"" + name + "\" already exists");
  }
  auto entry = std::make_shared<SequenceEntry>(name, allocate_oid(), options, std::move(owner_table),
                                               std::move(owner_column));
  entry->catalog_ = this;
  txn.record_create(entry);
  publish_locked(entry, kPublicSchemaOid);
  return entry;
}

std::shared_ptr<TableEntry> Catalog::alter_table(Transaction& txn, const TableEntry& table, AlteredTable altered) {
  check_columns(altered.columns);
  // `old_schema` holds the old version; `schema` the new one (SET SCHEMA moves it there).
  const Oid old_schema = table.schema_oid();
  const Oid schema = altered.schema.empty() ? old_schema : lock_schema_for_create(txn, altered.schema);
  const std::string old_name = table.name();
  const bool renamed = altered.name != old_name || schema != old_schema;
  if (renamed) txn.lock(relation_lock_name(schema, altered.name), LockMode::kExclusive);
  for (const auto& fk : altered.foreign_keys) {
    if (fk.referenced_table != old_name) txn.lock(relation_lock_name(schema, fk.referenced_table), LockMode::kShared);
  }
  for (const auto& index : altered.indexes) txn.lock(relation_lock_name(schema, index.name), LockMode::kExclusive);
  // The tables whose FOREIGN KEYs reference this one get new versions: lock them first (out
  // of the catalog mutex), then look again.
  std::set<std::string> referencing_names;
  {
    std::shared_lock lock(mutex_);
    for (const auto& [other, index] : referencing_tables_locked(txn, old_schema, old_name)) {
      if (other->name() != old_name) referencing_names.insert(other->name());
    }
  }
  for (const auto& name : referencing_names) txn.lock(relation_lock_name(schema, name), LockMode::kExclusive);

  std::unique_lock lock(mutex_);
  auto current = current_locked(txn, old_schema, old_name);
  if (current.get() != &table) {
    throw SqlError(SqlState::kUndefinedTable, "relation \"" + old_name + "\" does not exist");
  }
  auto old_entry = std::static_pointer_cast<TableEntry>(current);
  auto old_indexes = table_indexes_locked(txn, old_schema, old_name);
  if (renamed && current_locked(txn, schema, altered.name)) {
    throw SqlError(SqlState::kDuplicateTable, "relation \"" + altered.name + "\" already exists");
  }
  std::set<std::string> index_names;
  for (const auto& index : altered.indexes) {
    const bool old_index = std::any_of(old_indexes.begin(), old_indexes.end(),
                                       [&](const auto& entry) { return entry->name() == index.name; });
    if (index.name == altered.name || !index_names.insert(index.name).second ||
        ((!old_index || schema != old_schema) && current_locked(txn, schema, index.name))) {
      throw SqlError(SqlState::kDuplicateTable, "relation \"" + index.name + "\" already exists");
    }
  }
  for (const auto& sequence : altered.sequences) {
    if (current_locked(txn, schema, sequence.name)) {
      throw SqlError(SqlState::kDuplicateTable, "relation \"" + sequence.name + "\" already exists");
    }
  }
  // Where each old column went.
  std::vector<std::optional<size_t>> new_position(table.columns().size());
  for (size_t c = 0; c < altered.sources.size(); c++) {
    if (altered.sources[c]) new_position[*altered.sources[c]] = c;
  }

  // The old version and its indexes go; the new version and its new indexes come.
  for (auto& index : old_indexes) txn.record_drop(index);
  txn.record_drop(old_entry);
  std::sort(altered.checks.begin(), altered.checks.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  auto entry = std::make_shared<TableEntry>(altered.name, table.oid(), altered.columns, std::move(altered.checks),
                                            std::move(altered.foreign_keys));
  entry->comment_ = table.comment();
  entry->catalog_ = this;
  txn.record_create(entry);
  publish_locked(entry, schema);
  // The caller fills the new indexes and adds them to the storage.
  std::vector<std::string> new_index_names;
  for (auto& definition : altered.indexes) {
    new_index_names.push_back(definition.name);
    add_index_locked(txn, schema, altered.name, std::move(definition), altered.columns);
  }

  // Sequences owned by its columns.
  for (auto& owned : owned_sequences_locked(txn, old_schema, old_name)) {
    auto sequence = std::static_pointer_cast<SequenceEntry>(owned);
    auto column = table.find_column(sequence->owner_column());
    const std::optional<size_t> moved = column ? new_position[*column] : std::nullopt;
    // An identity column's sequence also goes when the column stops being one (DROP IDENTITY).
    const bool identity_dropped =
        column && moved && table.columns()[*column].identity && !altered.columns[*moved].identity;
    if (!moved || identity_dropped) {
      txn.record_drop(sequence);
      continue;
    }
    const std::string& owner_column = altered.columns[*moved].name;
    if (!renamed && owner_column == sequence->owner_column()) continue;
    auto replacement = std::make_shared<SequenceEntry>(*sequence, sequence->name(), sequence->options(), altered.name,
                                                       owner_column);
    replacement->comment_ = sequence->comment();
    replacement->catalog_ = this;
    txn.record_replace(sequence, replacement);
    publish_locked(replacement, schema);
  }
  for (const auto& definition : altered.sequences) {
    auto sequence = std::make_shared<SequenceEntry>(definition.name, allocate_oid(), definition.options, altered.name,
                                                    definition.column);
    sequence->catalog_ = this;
    txn.record_create(sequence);
    publish_locked(sequence, schema);
  }

  // FOREIGN KEYs of other tables that reference it.
  for (const auto& name : referencing_names) {
    auto other = std::static_pointer_cast<TableEntry>(current_locked(txn, schema, name));
    if (!other) continue;
    std::vector<ForeignKey> keys;
    bool changed = false;
    for (ForeignKey fk : other->foreign_keys()) {
      if (fk.referenced_table != old_name) {
        keys.push_back(std::move(fk));
        continue;
      }
      changed = true;
      if (altered.dropped_referencing.count({name, fk.name})) continue;
      fk.referenced_table = altered.name;
      bool kept = true;
      for (size_t& c : fk.referenced_columns) {
        if (!new_position[c]) kept = false;
        c = new_position[c].value_or(c);
      }
      auto source = std::find(altered.index_sources.begin(), altered.index_sources.end(), fk.referenced_index);
      if (source == altered.index_sources.end()) {
        kept = false;
      } else {
        fk.referenced_index = new_index_names[static_cast<size_t>(source - altered.index_sources.begin())];
      }
      TS_CHECK(kept, "a FOREIGN KEY lost its referenced columns without CASCADE");
      keys.push_back(std::move(fk));
    }
    if (!changed) continue;
    auto replacement = std::make_shared<TableEntry>(other->name(), other->oid(), other->columns(), other->checks(),
                                                    std::move(keys), other->shared_storage());
    replacement->comment_ = other->comment();
    replacement->catalog_ = this;
    txn.record_replace(other, replacement);
    publish_locked(replacement, schema);
  }
  return entry;
}

void Catalog::set_comment(Transaction& txn, const CatalogEntry& entry, std::optional<size_t> column,
                          std::string comment) {
  txn.lock(relation_lock_name(entry.schema_oid(), entry.name()), LockMode::kExclusive);
  std::unique_lock lock(mutex_);
  auto current = current_locked(txn, entry.schema_oid(), entry.name());
  if (current.get() != &entry) {
    throw SqlError(SqlState::kUndefinedTable, "relation \"" + entry.name() + "\" does not exist");
  }
  std::vector<ColumnDefinition> columns = entry.columns();
  if (column) columns.at(*column).comment = comment;
  std::shared_ptr<CatalogEntry> replacement;
  switch (entry.kind()) {
    case EntryKind::kTable: {
      const auto& table = static_cast<const TableEntry&>(entry);
      replacement = std::make_shared<TableEntry>(entry.name(), entry.oid(), std::move(columns), table.checks(),
                                                 table.foreign_keys(), table.shared_storage());
      break;
    }
    case EntryKind::kView: {
      const auto& view = static_cast<const ViewEntry&>(entry);
      replacement = std::make_shared<ViewEntry>(entry.name(), entry.oid(), std::move(columns), view.query_text(),
                                                view.dependencies());
      break;
    }
    case EntryKind::kIndex: {
      const auto& index = static_cast<const IndexEntry&>(entry);
      replacement = std::make_shared<IndexEntry>(entry.name(), entry.oid(), index.table_name(), index.definition(),
                                                 index.index());
      break;
    }
    case EntryKind::kSequence: {
      const auto& sequence = static_cast<const SequenceEntry&>(entry);
      replacement = std::make_shared<SequenceEntry>(sequence, sequence.name(), sequence.options(),
                                                    sequence.owner_table(), sequence.owner_column());
      break;
    }
  }
  replacement->comment_ = column ? entry.comment() : std::move(comment);
  replacement->catalog_ = this;
  txn.record_replace(current, replacement);
  publish_locked(replacement, entry.schema_oid());
}

void Catalog::alter_sequence(Transaction& txn, const SequenceEntry& sequence, SequenceOptions options,
                             std::string owner_table, std::string owner_column, std::optional<int64_t> restart) {
  txn.lock(relation_lock_name(sequence.schema_oid(), sequence.name()), LockMode::kExclusive);
  std::unique_lock lock(mutex_);
  auto current = current_locked(txn, sequence.schema_oid(), sequence.name());
  if (current.get() != &sequence) {
    throw SqlError(SqlState::kUndefinedTable, "relation \"" + sequence.name() + "\" does not exist");
  }
  auto replacement = std::make_shared<SequenceEntry>(sequence, sequence.name(), options, std::move(owner_table),
                                                     std::move(owner_column));
  replacement->comment_ = sequence.comment();
  replacement->catalog_ = this;
  txn.record_replace(current, replacement);
  publish_locked(replacement, sequence.schema_oid());
  if (restart) replacement->set_value(*restart, false);
}

std::vector<std::pair<std::shared_ptr<TableEntry>, size_t>> Catalog::referencing_tables_locked(
    const Transaction& txn, Oid schema, const std::string& name) const {
  std::vector<std::pair<std::shared_ptr<TableEntry>, size_t>> result;
  for (const auto& [key, versions] : entries_) {
    if (key.first != schema) continue;
    auto entry = pick_version(versions, txn, true);
    if (!entry || entry->kind() != EntryKind::kTable) continue;
    auto table = std::static_pointer_cast<TableEntry>(entry);
    for (size_t i = 0; i < table->foreign_keys().size(); i++) {
      if (table->foreign_keys()[i].referenced_table == name) result.emplace_back(table, i);
    }
  }
  return result;
}

std::vector<std::pair<std::shared_ptr<TableEntry>, size_t>> Catalog::referencing_tables(const Transaction& txn,
                                                                                      const CatalogEntry& table) const {
  std::shared_lock lock(mutex_);
  return referencing_tables_locked(txn, table.schema_oid(), table.name());
}

std::vector<std::shared_ptr<CatalogEntry>> Catalog::owned_sequences_locked(const Transaction& txn, Oid schema,
                                                                           const std::string& table) const {
  std::vector<std::shared_ptr<CatalogEntry>> result;
  for (const auto& [key, versions] : entries_) {
    if (key.first != schema) continue;
    auto entry = pick_version(versions, txn, true);
    if (!entry || entry->kind() != EntryKind::kSequence) continue;
    if (static_cast<const SequenceEntry&>(*entry).owner_table() == table) result.push_back(std::move(entry));
  }
  return result;
}

std::shared_ptr<ViewEntry> Catalog::create_view(Transaction& txn, const std::string& name,
                                                std::vector<ColumnDefinition> columns, std::string query_text,
                                                std::vector<std::string> dependencies, bool or_replace) {
  check_columns(columns);
  lock_schema_for_create(txn, kPublicSchema);
  txn.lock(relation_lock_name(kPublicSchemaOid, name), LockMode::kExclusive);
  for (const auto& dependency : dependencies) {
    txn.lock(relation_lock_name(kPublicSchemaOid, dependency), LockMode::kShared);
  }
  std::unique_lock lock(mutex_);
  for (const auto& dependency : dependencies) {
    if (!current_locked(txn, kPublicSchemaOid, dependency)) {
      throw SqlError(SqlState::kUndefinedTable, "relation \"" + dependency + "\" does not exist");
    }
  }
  auto existing = current_locked(txn, kPublicSchemaOid, name);
  if (existing && (!or_replace || existing->kind() != EntryKind::kView)) {
    throw SqlError(SqlState::kDuplicateTable, "relation \"" + name + "\" already exists");
  }
  auto entry = std::make_shared<ViewEntry>(name, existing ? existing->oid() : allocate_oid(), std::move(columns),
                                           std::move(query_text), std::move(dependencies));
  if (existing) entry->comment_ = existing->comment();
  entry->catalog_ = this;
  if (existing) {
    txn.record_replace(existing, entry);
  } else {
    txn.record_create(entry);
  }
  publish_locked(entry, kPublicSchemaOid);
  return entry;
}

std::vector<std::string> Catalog::dependents_locked(const Transaction& txn, Oid schema, const std::string& name,
                                                    const char* kind_text, std::string& detail) const {
  std::vector<std::string> dependents;
  // Views live in public and read relations of public.
  if (schema != kPublicSchemaOid) return dependents;
  std::vector<std::string> pending{name};
  while (!pending.empty()) {
    std::string current = pending.back();
    pending.pop_back();
    for (const auto& [key, versions] : entries_) {
      if (key.first != kPublicSchemaOid) continue;
      const std::string& other_name = key.second;
      auto entry = pick_version(versions, txn, true);
      if (!entry || entry->kind() != EntryKind::kView) continue;
      const auto& deps = static_cast<const ViewEntry&>(*entry).dependencies();
      if (std::find(deps.begin(), deps.end(), current) == deps.end()) continue;
      if (std::find(dependents.begin(), dependents.end(), other_name) != dependents.end()) continue;
      dependents.push_back(other_name);
      pending.push_back(other_name);
      if (!detail.empty()) detail += "\n";
      detail += "view " + other_name + " depends on " + (current == name ? kind_text : "view") + " " + current;
    }
  }
  return dependents;
}

std::vector<std::shared_ptr<CatalogEntry>> Catalog::drop(Transaction& txn, const std::string& name, EntryKind kind,
                                                         bool if_exists, bool cascade,
                                                         const std::set<std::string>& dropping, Oid schema,
                                                         const std::vector<std::string>* search_path) {
  const char* kind_text = entry_kind_name(kind);
  auto shown = [&](const std::string& relation) {
    return relation_display_name_locked(txn, search_path, schema, relation);
  };
  txn.lock(relation_lock_name(schema, name), LockMode::kExclusive);
  if (kind == EntryKind::kIndex) return drop_index(txn, schema, name, if_exists, search_path);
  std::set<std::string> locked{name};
  for (;;) {
    std::unique_lock lock(mutex_);
    auto entry = current_locked(txn, schema, name);
    if (!entry) {
      if (if_exists) return {};
      throw SqlError(SqlState::kUndefinedTable, std::string(kind_text) + " \"" + name + "\" does not exist");
    }
    if (entry->kind() != kind) {
      throw SqlError(SqlState::kWrongObjectType, "\"" + name + "\" is not a " + kind_text)
          .with_hint(std::string("Use DROP ") + (entry->kind() == EntryKind::kView       ? "VIEW"
                                                 : entry->kind() == EntryKind::kIndex    ? "INDEX"
                                                 : entry->kind() == EntryKind::kSequence ? "SEQUENCE"
                                                                                         : "TABLE") +
                     " to remove a" + (entry->kind() == EntryKind::kIndex ? "n " : " ") + entry->kind_name() + ".");
    }
    std::string detail;
    if (entry->kind() == EntryKind::kSequence) {
      // A serial column's DEFAULT uses its sequence: the sequence goes with the table.
      const auto& sequence = static_cast<const SequenceEntry&>(*entry);
      auto owner = current_locked(txn, schema, sequence.owner_table());
      if (!sequence.owner_table().empty() && owner && !dropping.count(sequence.owner_table())) {
        const bool identity = [&] {
          auto column = owner->find_column(sequence.owner_column());
          return column && owner->columns()[*column].identity != 0;
        }();
        if (identity) {
          throw SqlError(SqlState::kDependentObjectsStillExist,
                         "cannot drop sequence " + shown(name) + " because column " + sequence.owner_column() +
                             " of table " + shown(sequence.owner_table()) + " requires it")
              .with_hint("You can drop column " + sequence.owner_column() + " of table " +
                         shown(sequence.owner_table()) + " instead.");
        }
        if (!cascade) {
          throw SqlError(SqlState::kDependentObjectsStillExist,
                         "cannot drop sequence " + shown(name) + " because other objects depend on it")
              .with_detail("default value for column " + sequence.owner_column() + " of table " +
                           shown(sequence.owner_table()) + " depends on sequence " + shown(name))
              .with_hint("Use DROP ... CASCADE to drop the dependent objects too.");
        }
        throw SqlError(SqlState::kFeatureNotSupported,
                       "DROP SEQUENCE ... CASCADE of a sequence a column default uses is not supported yet");
      }
    }
    if (entry->kind() == EntryKind::kTable) {
      // FOREIGN KEYs of other tables (not dropped by the same statement) that reference it.
      std::string fk_detail;
      for (const auto& [table, index] : referencing_tables_locked(txn, schema, name)) {
        if (table->name() == name || dropping.count(table->name())) continue;
        if (!fk_detail.empty()) fk_detail += "\n";
        fk_detail += "constraint " + table->foreign_keys()[index].name + " on table " + shown(table->name()) +
                     " depends on table " + shown(name);
      }
      if (!fk_detail.empty()) {
        if (cascade) {
          throw SqlError(SqlState::kFeatureNotSupported,
                         "DROP TABLE ... CASCADE of a table a foreign key references is not supported yet");
        }
        throw SqlError(SqlState::kDependentObjectsStillExist,
                       "cannot drop table " + shown(name) + " because other objects depend on it")
            .with_detail(fk_detail)
            .with_hint("Use DROP ... CASCADE to drop the dependent objects too.");
      }
    }
    std::vector<std::string> dependents = dependents_locked(txn, schema, name, kind_text, detail);
    bool all_dropping =
        std::all_of(dependents.begin(), dependents.end(), [&](const std::string& d) { return dropping.count(d); });
    if (!dependents.empty() && !cascade && !all_dropping) {
      throw SqlError(SqlState::kDependentObjectsStillExist,
                     "cannot drop " + std::string(kind_text) + " " + shown(name) + " because other objects depend on it")
          .with_detail(detail)
          .with_hint("Use DROP ... CASCADE to drop the dependent objects too.");
    }
    // Without CASCADE the dependents are all named by the statement and go in their own turn.
    if (!cascade) dependents.clear();
    std::vector<std::string> unlocked;
    for (const auto& d : dependents) {
      if (!locked.count(d)) unlocked.push_back(d);
    }
    if (!unlocked.empty()) {
      // Waiting for a lock must not hold the catalog: lock, then look again.
      lock.unlock();
      for (const auto& d : unlocked) {
        txn.lock(relation_lock_name(schema, d), LockMode::kExclusive);
        locked.insert(d);
      }
      continue;
    }
    std::vector<std::shared_ptr<CatalogEntry>> removed;
    for (auto d = dependents.rbegin(); d != dependents.rend(); ++d) {
      auto dependent = current_locked(txn, schema, *d);
      txn.record_drop(dependent);
      removed.push_back(std::move(dependent));
    }
    if (entry->kind() == EntryKind::kTable) {
      // Its indexes go with it (their names are locked by the table's exclusive lock: every
      // other use of an index goes through its table).
      for (auto& index : table_indexes_locked(txn, schema, name)) {
        txn.record_drop(index);
        removed.push_back(std::move(index));
      }
      // So do the sequences of its serial and identity columns (locked by the table's lock:
      // they are only reached through it while it exists).
      for (auto& sequence : owned_sequences_locked(txn, schema, name)) {
        txn.record_drop(sequence);
        removed.push_back(std::move(sequence));
      }
    }
    txn.record_drop(entry);
    removed.push_back(std::move(entry));
    return removed;
  }
}

std::vector<std::shared_ptr<CatalogEntry>> Catalog::drop_index(Transaction& txn, Oid schema, const std::string& name,
                                                                bool if_exists,
                                                                const std::vector<std::string>* search_path) {
  for (;;) {
    std::shared_ptr<IndexEntry> index;
    {
      std::unique_lock lock(mutex_);
      auto entry = current_locked(txn, schema, name);
      if (!entry) {
        if (if_exists) return {};
        throw SqlError(SqlState::kUndefinedObject, "index \"" + name + "\" does not exist");
      }
      if (entry->kind() != EntryKind::kIndex) {
        throw SqlError(SqlState::kWrongObjectType, "\"" + name + "\" is not an index")
            .with_hint(std::string("Use DROP ") + (entry->kind() == EntryKind::kView ? "VIEW" : "TABLE") +
                       " to remove a " + entry->kind_name() + ".");
      }
      index = std::static_pointer_cast<IndexEntry>(entry);
    }
    // Writers of the table must be gone before its index goes: lock the table, then look again.
    txn.lock(relation_lock_name(schema, index->table_name()), LockMode::kExclusive);
    std::unique_lock lock(mutex_);
    if (current_locked(txn, schema, name) != index) continue;
    auto table = current_locked(txn, schema, index->table_name());
    TS_CHECK(table && table->kind() == EntryKind::kTable, "index without its table");
    if (index->definition().primary_key || index->definition().constraint) {
      const std::string shown_table = relation_display_name_locked(txn, search_path, schema, index->table_name());
      throw SqlError(SqlState::kDependentObjectsStillExist,
                     "cannot drop index " + relation_display_name_locked(txn, search_path, schema, name) +
                         " because constraint " + name + " on table " + shown_table + " requires it")
          .with_hint("You can drop constraint " + name + " on table " + shown_table + " instead.");
    }
    txn.record_drop(index);
    txn.add_hook(std::make_shared<IndexStorageHook>(std::static_pointer_cast<TableEntry>(table), index->index(), false));
    return {index};
  }
}

void Catalog::lock_relation(Transaction& txn, const CatalogEntry& entry, LockMode mode) {
  txn.lock(relation_lock_name(entry.schema_oid(), entry.name()), mode);
  if (!entry.current_for(txn)) {
    throw SqlError(SqlState::kUndefinedTable, "relation \"" + entry.name() + "\" does not exist");
  }
}

std::string Catalog::relation_display_name(const Transaction& txn, const std::vector<std::string>* path, Oid schema,
                                           const std::string& name) const {
  std::shared_lock lock(mutex_);
  return relation_display_name_locked(txn, path, schema, name);
}

std::string Catalog::relation_display_name_locked(const Transaction& txn, const std::vector<std::string>* path,
                                                  Oid schema, const std::string& name) const {
  if (!path) return name;
  for (const auto& schema_name : *path) {
    auto listed = current_schema_locked(txn, schema_name);
    if (!listed || !current_locked(txn, listed->oid(), name)) continue;
    if (listed->oid() == schema) return name;
    break;
  }
  for (const auto& [schema_name, versions] : schemas_) {
    auto version = pick_version(versions, txn, true);
    if (version && version->oid() == schema) return schema_name + "." + name;
  }
  return name;
}

size_t Catalog::version_count(const std::string& name) const {
  std::shared_lock lock(mutex_);
  auto it = entries_.find(RelationKey(kPublicSchemaOid, name));
  return it == entries_.end() ? 0 : it->second.size();
}

void Catalog::unlink(const CatalogEntry& entry) noexcept {
  std::unique_lock lock(mutex_);
  erase_version(entries_, RelationKey(entry.schema_oid(), entry.name()), &entry);
}

std::shared_ptr<SchemaEntry> Catalog::current_schema_locked(const Transaction& txn, const std::string& name) const {
  return pick_named_version(schemas_, name, txn, true);
}

std::shared_ptr<SchemaEntry> Catalog::find_schema(const Transaction& txn, const std::string& name) const {
  std::shared_lock lock(mutex_);
  return pick_named_version(schemas_, name, txn, false);
}

std::shared_ptr<SchemaEntry> Catalog::find_schema(const Transaction& txn, Oid oid) const {
  std::shared_lock lock(mutex_);
  for (const auto& [name, versions] : schemas_) {
    auto schema = pick_version(versions, txn, false);
    if (schema && schema->oid() == oid) return schema;
  }
  return nullptr;
}

std::vector<std::shared_ptr<SchemaEntry>> Catalog::schemas(const Transaction& txn) const {
  std::shared_lock lock(mutex_);
  std::vector<std::shared_ptr<SchemaEntry>> result;
  for (const auto& [name, versions] : schemas_) {
    if (auto schema = pick_version(versions, txn, false)) result.push_back(std::move(schema));
  }
  return result;
}

void Catalog::add_schema_locked(Transaction& txn, std::shared_ptr<SchemaEntry> entry,
                                const std::shared_ptr<SchemaEntry>& previous) {
  entry->catalog_ = this;
  if (previous) {
    txn.record_replace(previous, entry);
  } else {
    txn.record_create(entry);
  }
  schemas_[entry->name()].push_back(std::move(entry));
}

std::shared_ptr<SchemaEntry> Catalog::create_schema(Transaction& txn, const std::string& name, std::string owner,
                                                    bool if_not_exists) {
  txn.lock(schema_lock_name(name), LockMode::kExclusive);
  std::unique_lock lock(mutex_);
  if (current_schema_locked(txn, name)) {
    if (if_not_exists) return nullptr;
    throw SqlError(SqlState::kDuplicateSchema, "schema \"" + name + "\" already exists");
  }
  // A re-created public keeps public's OID: views and sequences live only in public and are
  // keyed by that OID (PostgreSQL would give the new schema a new OID).
  const Oid oid = name == kPublicSchema ? kPublicSchemaOid : allocate_oid();
  auto entry = std::make_shared<SchemaEntry>(name, oid, std::move(owner));
  add_schema_locked(txn, entry, nullptr);
  return entry;
}

std::vector<std::shared_ptr<CatalogEntry>> Catalog::schema_relations(const Transaction& txn,
                                                                     const std::string& name) const {
  std::vector<std::shared_ptr<CatalogEntry>> result;
  std::shared_lock lock(mutex_);
  auto schema = current_schema_locked(txn, name);
  if (!schema) return result;
  for (const auto& [key, versions] : entries_) {
    if (key.first != schema->oid()) continue;
    if (auto entry = pick_version(versions, txn, true)) result.push_back(std::move(entry));
  }
  std::sort(result.begin(), result.end(), [](const auto& a, const auto& b) { return a->oid() < b->oid(); });
  return result;
}

bool Catalog::drop_schema(Transaction& txn, const std::string& name, bool if_exists, bool cascade,
                          const std::function<std::string(const CatalogEntry&)>& describe,
                          std::vector<std::shared_ptr<CatalogEntry>>& dropped) {
  txn.lock(schema_lock_name(name), LockMode::kExclusive);
  std::shared_ptr<SchemaEntry> schema;
  {
    std::shared_lock lock(mutex_);
    schema = current_schema_locked(txn, name);
  }
  if (!schema) {
    if (if_exists) return false;
    throw undefined_schema(name);
  }
  if (name == kCatalogSchema) {
    throw SqlError(SqlState::kDependentObjectsStillExist,
                   "cannot drop schema " + name + " because it is required by the database system");
  }
  if (name == kInformationSchema) {
    throw SqlError(SqlState::kFeatureNotSupported, "DROP SCHEMA information_schema is not supported");
  }
  // Creating a relation in the schema takes its lock shared: no new relation appears now. The
  // relations the schema itself holds (its tables, views and sequences without an owner);
  // indexes and owned sequences go with their tables.
  auto relations = schema_relations(txn, name);
  std::vector<std::shared_ptr<CatalogEntry>> owned_by_schema;
  for (const auto& entry : relations) {
    if (entry->kind() == EntryKind::kIndex) continue;
    if (entry->kind() == EntryKind::kSequence && !static_cast<const SequenceEntry&>(*entry).owner_table().empty()) {
      continue;
    }
    owned_by_schema.push_back(entry);
  }
  if (!owned_by_schema.empty() && !cascade) {
    std::string detail;
    for (const auto& entry : owned_by_schema) {
      if (!detail.empty()) detail += "\n";
      detail += describe(*entry) + " depends on schema " + name;
    }
    throw SqlError(SqlState::kDependentObjectsStillExist,
                   "cannot drop schema " + name + " because other objects depend on it")
        .with_detail(detail)
        .with_hint("Use DROP ... CASCADE to drop the dependent objects too.");
  }
  std::set<std::string> dropping;
  for (const auto& entry : relations) dropping.insert(entry->name());
  for (const auto& entry : owned_by_schema) {
    // Everything that depends on it is dropped by this statement too: no CASCADE needed.
    auto gone = drop(txn, entry->name(), entry->kind(), true, false, dropping, schema->oid());
    if (!gone.empty()) dropped.push_back(entry);
  }
  std::unique_lock lock(mutex_);
  TS_CHECK(current_schema_locked(txn, name) == schema, "schema changed under its exclusive lock");
  txn.record_drop(schema);
  return true;
}

void Catalog::rename_schema(Transaction& txn, const std::string& name, const std::string& new_name) {
  txn.lock(schema_lock_name(name), LockMode::kExclusive);
  txn.lock(schema_lock_name(new_name), LockMode::kExclusive);
  std::unique_lock lock(mutex_);
  auto schema = current_schema_locked(txn, name);
  if (!schema) throw undefined_schema(name);
  if (current_schema_locked(txn, new_name)) {
    throw SqlError(SqlState::kDuplicateSchema, "schema \"" + new_name + "\" already exists");
  }
  if (name == kPublicSchema || name == kCatalogSchema || name == kInformationSchema) {
    throw SqlError(SqlState::kFeatureNotSupported, "renaming schema " + name + " is not supported");
  }
  txn.record_drop(schema);
  add_schema_locked(txn, std::make_shared<SchemaEntry>(new_name, schema->oid(), schema->owner(), schema->comment()),
                    nullptr);
}

void Catalog::set_schema_comment(Transaction& txn, const std::string& name, std::string comment) {
  txn.lock(schema_lock_name(name), LockMode::kExclusive);
  std::unique_lock lock(mutex_);
  auto schema = current_schema_locked(txn, name);
  if (!schema) throw undefined_schema(name);
  add_schema_locked(txn, std::make_shared<SchemaEntry>(name, schema->oid(), schema->owner(), std::move(comment)),
                    schema);
}

Oid Catalog::lock_schema_for_create(Transaction& txn, const std::string& name) {
  txn.lock(schema_lock_name(name), LockMode::kShared);
  std::shared_lock lock(mutex_);
  auto schema = current_schema_locked(txn, name);
  if (!schema) throw undefined_schema(name);
  return schema->oid();
}

void Catalog::unlink_schema(const SchemaEntry& entry) noexcept {
  std::unique_lock lock(mutex_);
  erase_version(schemas_, entry.name(), &entry);
}

}  // namespace tessera::catalog
