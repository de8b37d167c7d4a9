#include "executor/operator/insert/foreign_key_check.h"

#include <algorithm>
#include <string>
#include <unordered_map>

#include "catalog/catalog.h"
#include "catalog/catalog_entry.h"
#include "executor/expression/expression_executor.h"
#include "executor/key_serializer.h"
#include "executor/operator/insert/physical_insert.h"
#include "src/common/sql_error.h"
#include "storage/data_table.h"
#include "storage/hash_index.h"
#include "storage/transaction.h"

namespace tessera::executor {

namespace {

/// "Key (a, b)=(1, 2)" of row r: the columns `columns` of `chunk`, named `names`.
std::string key_text(const DataChunk& chunk, const std::vector<size_t>& columns, const std::vector<std::string>& names,
                     size_t r) {
  std::string left;
  std::string right;
  for (size_t k = 0; k < columns.size(); k++) {
    if (k > 0) {
      left += ", ";
      right += ", ";
    }
    left += names[k];
    const Value value = chunk.column(columns[k]).get_value(r);
    right += value.is_null() ? "null" : value.to_string();
  }
  return "Key (" + left + ")=(" + right + ")";
}

std::vector<std::string> column_names(const catalog::TableEntry& table, const std::vector<size_t>& columns) {
  std::vector<std::string> names;
  for (size_t c : columns) names.push_back(table.columns()[c].name);
  return names;
}

void serialize(KeySerializer& serializer, const DataChunk& chunk, const std::vector<size_t>& columns) {
  std::vector<const Vector*> vectors;
  for (size_t c : columns) vectors.push_back(&chunk.column(c));
  serializer.serialize(vectors, chunk.size());
}

std::string_view key_bytes(const KeySerializer& serializer, size_t r) {
  return std::string_view(reinterpret_cast<const char*>(serializer.key(r)), serializer.length(r));
}

}  // namespace

void lock_foreign_key_tables(QueryContext& query, const std::vector<std::shared_ptr<catalog::TableEntry>>& referenced,
                             const std::vector<planner::ReferencingForeignKey>& referencing) {
  for (const auto& table : referenced) {
    query.catalog->lock_relation(*query.transaction, *table, storage::LockMode::kShared);
  }
  for (const auto& ref : referencing) {
    query.catalog->lock_relation(*query.transaction, *ref.table, storage::LockMode::kExclusive);
  }
}

void check_foreign_keys(QueryContext& query, const catalog::TableEntry& table,
                        const std::vector<std::shared_ptr<catalog::TableEntry>>& referenced, const DataChunk& chunk) {
  if (chunk.size() == 0) return;
  const auto& keys = table.foreign_keys();
  std::vector<std::vector<uint8_t>> found(keys.size());
  std::vector<std::vector<uint8_t>> has_null(keys.size());
  for (size_t f = 0; f < keys.size(); f++) {
    const catalog::ForeignKey& fk = keys[f];
    const catalog::TableEntry& target = *referenced[f];
    std::shared_ptr<storage::HashIndex> index;
    for (auto& candidate : target.storage().indexes()) {
      if (candidate->name() == fk.referenced_index) index = candidate;
    }
    if (!index) {
      throw SqlError(SqlState::kFeatureNotSupported, "the unique index foreign key \"" + fk.name +
                                                         "\" relies on is gone; recreating it is not supported yet");
    }
    KeySerializer serializer;
    serialize(serializer, chunk, fk.index_key_columns);
    std::vector<storage::IndexKey> lookup(chunk.size());
    has_null[f].resize(chunk.size());
    for (size_t r = 0; r < chunk.size(); r++) {
      lookup[r].bytes = key_bytes(serializer, r);
      lookup[r].has_null = serializer.has_null(r);
      has_null[f][r] = serializer.has_null(r);
    }
    found[f] = target.storage().find_keys(*query.transaction, *index, lookup);
  }
  // Row by row, each row's constraints in order, as PostgreSQL's triggers fire.
  for (size_t r = 0; r < chunk.size(); r++) {
    for (size_t f = 0; f < keys.size(); f++) {
      const catalog::ForeignKey& fk = keys[f];
      if (has_null[f][r] && fk.match_full) {
        // MATCH FULL: a key NULL in every column is not checked; one NULL in some is an error.
        bool all_null = true;
        for (size_t c : fk.columns) all_null &= chunk.column(c).get_value(r).is_null();
        if (!all_null) {
          throw SqlError(SqlState::kForeignKeyViolation, "insert or update on table \"" + table.name() +
                                                             "\" violates foreign key constraint \"" + fk.name + "\"")
              .with_detail("MATCH FULL does not allow mixing of null and nonnull key values.");
        }
      }
      if (has_null[f][r] || found[f][r]) continue;
      throw SqlError(SqlState::kForeignKeyViolation, "insert or update on table \"" + table.name() +
                                                         "\" violates foreign key constraint \"" + fk.name + "\"")
          .with_detail(key_text(chunk, fk.columns, column_names(table, fk.columns), r) + " is not present in table \"" +
                       referenced[f]->name() + "\".");
    }
  }
}

namespace {

/// Where, in a chunk of rows of the referenced table, the columns of `fk`'s referenced unique
/// index are, in the index's key order: the old key (`old_key` positions, aligned with
/// fk.columns) and, for an update, the new one (the new row's first columns).
void key_positions(const catalog::ForeignKey& fk, const std::vector<size_t>& old_key, std::vector<size_t>& old_positions,
                   std::vector<size_t>& new_positions) {
  for (size_t column : fk.index_key_columns) {
    const size_t k = static_cast<size_t>(std::find(fk.columns.begin(), fk.columns.end(), column) - fk.columns.begin());
    old_positions.push_back(old_key[k]);
    new_positions.push_back(fk.referenced_columns[k]);
  }
}

/// The rows of `table` (current for the transaction) whose key of `fk` (serialized in the
/// referenced index's key order) is one of `keys`: (row id, the value `keys` maps it to), in
/// row id order. Looked up in an index of the table over exactly those columns when there is
/// one, else found with one scan of the table.
std::vector<std::pair<int64_t, size_t>> find_referencing_rows(QueryContext& query, const catalog::TableEntry& table,
                                                              const catalog::ForeignKey& fk,
                                                              const std::unordered_map<std::string, size_t>& keys) {
  std::vector<std::pair<int64_t, size_t>> found;
  if (keys.empty()) return found;
  storage::DataTable& storage = table.storage();
  // An index of the referencing table over exactly the key's columns, in the key's order,
  // holds the same serialized keys: look them up there.
  for (const auto& index : storage.indexes()) {
    if (index->columns() != fk.index_key_columns) continue;
    std::vector<size_t> values;
    std::vector<storage::IndexKey> lookup;
    for (const auto& [key, value] : keys) {
      storage::IndexKey k;
      k.bytes = key;
      lookup.push_back(k);
      values.push_back(value);
    }
    for (const auto& [position, row_id] : storage.find_all_key_rows(*query.transaction, *index, lookup)) {
      found.emplace_back(row_id, values[position]);
    }
    std::sort(found.begin(), found.end());
    return found;
  }
  std::vector<size_t> columns = fk.index_key_columns;
  columns.push_back(storage::kRowIdColumn);
  auto scan = storage.begin_scan_latest(*query.transaction, columns);
  storage::LocalTableScanState local;
  std::vector<LogicalType> types;
  for (size_t c : fk.index_key_columns) types.push_back(table.columns()[c].type);
  types.push_back(LogicalType::bigint());
  DataChunk rows;
  rows.initialize(types);
  std::vector<size_t> positions;
  for (size_t k = 0; k < fk.index_key_columns.size(); k++) positions.push_back(k);
  KeySerializer serializer;
  while (storage.next_morsel(*scan, local)) {
    while (storage.scan(local, rows)) {
      query.check_cancelled();
      serialize(serializer, rows, positions);
      UnifiedVectorFormat ids;
      rows.column(positions.size()).to_unified(rows.size(), ids);
      for (size_t r = 0; r < rows.size(); r++) {
        if (serializer.has_null(r)) continue;
        auto it = keys.find(std::string(key_bytes(serializer, r)));
        if (it == keys.end()) continue;
        found.emplace_back(ids.values<int64_t>()[ids.sel.get_index(r)], it->second);
      }
    }
  }
  // Table order, so that the changes (and a first error) do not depend on the scan's threads.
  std::sort(found.begin(), found.end());
  return found;
}

[[noreturn]] void throw_still_referenced(const catalog::TableEntry& table, const catalog::TableEntry& referencing,
                                         const catalog::ForeignKey& fk, const std::string& key) {
  throw SqlError(SqlState::kForeignKeyViolation, "update or delete on table \"" + table.name() +
                                                     "\" violates foreign key constraint \"" + fk.name +
                                                     "\" on table \"" + referencing.name() + "\"")
      .with_detail(key + " is still referenced from table \"" + referencing.name() + "\".");
}

}  // namespace

ReferentialActions::ReferentialActions(std::shared_ptr<const std::vector<CascadeTable>> tables)
    : tables_(std::move(tables)) {}

void ReferentialActions::lock_tables(QueryContext& query) const {
  if (!tables_) return;
  for (const CascadeTable& table : *tables_) lock_foreign_key_tables(query, table.referenced, table.referencing);
}

void ReferentialActions::on_change(QueryContext& query, const catalog::TableEntry& table,
                                   const std::vector<planner::ReferencingForeignKey>& referencing,
                                   const DataChunk& changed, bool update) {
  if (referencing.empty() || changed.size() == 0) return;
  std::lock_guard<std::mutex> lock(mutex_);
  change(query, table, referencing, changed, update);
  // The rows the actions changed act in turn, breadth first (a queue, not recursion: chains
  // of any length).
  while (!pending_.empty()) {
    Pending next = std::move(pending_.front());
    pending_.pop_front();
    change(query, *next.table, next.referencing, next.changed, next.update);
  }
}

void ReferentialActions::change(QueryContext& query, const catalog::TableEntry& table,
                                const std::vector<planner::ReferencingForeignKey>& referencing, const DataChunk& changed,
                                bool update) {
  if (changed.size() == 0) return;
  for (const auto& ref : referencing) {
    const catalog::ForeignKey& fk = ref.table->foreign_keys()[ref.foreign_key];
    const char action = update ? fk.on_update : fk.on_delete;
    std::vector<size_t> old_positions;
    std::vector<size_t> new_positions;
    key_positions(fk, ref.old_key, old_positions, new_positions);
    KeySerializer old_keys;
    serialize(old_keys, changed, old_positions);
    KeySerializer new_keys;
    if (update) serialize(new_keys, changed, new_positions);
    // Removed key -> its first row in `changed`.
    std::unordered_map<std::string, size_t> removed;
    for (size_t r = 0; r < changed.size(); r++) {
      if (old_keys.has_null(r)) continue;
      if (update && !new_keys.has_null(r) && key_bytes(old_keys, r) == key_bytes(new_keys, r)) continue;
      removed.emplace(std::string(key_bytes(old_keys, r)), r);
    }
    if (removed.empty()) continue;
    const auto found = find_referencing_rows(query, *ref.table, fk, removed);
    if (found.empty()) continue;
    const std::vector<std::string> names = column_names(table, fk.referenced_columns);
    if (action == 'r') {
      throw_still_referenced(table, *ref.table, fk, key_text(changed, ref.old_key, names, found.front().second));
    }
    if (action == 'a' || ref.cascade < 0) {
      auto [slot, added] = deferred_index_.emplace(ref.table->name() + "\n" + fk.name, deferred_.size());
      if (added) deferred_.emplace_back();
      Deferred& deferred = deferred_[slot->second];
      deferred.referenced = &table;
      deferred.ref = ref;
      for (const auto& [row_id, source] : found) {
        deferred.keys.emplace(std::string(key_bytes(old_keys, source)),
                              DeferredKey{key_text(changed, ref.old_key, names, source)});
      }
      continue;
    }
    std::vector<int64_t> row_ids;
    std::vector<size_t> sources;
    for (const auto& [row_id, source] : found) {
      row_ids.push_back(row_id);
      sources.push_back(source);
    }
    act(query, table, ref, changed, update, row_ids, sources);
  }
}

void ReferentialActions::act(QueryContext& query, const catalog::TableEntry& referenced,
                             const planner::ReferencingForeignKey& ref, const DataChunk& changed, bool update,
                             const std::vector<int64_t>& row_ids, const std::vector<size_t>& sources) {
  const catalog::TableEntry* referenced_table = &referenced;
  const CascadeTable& target = (*tables_)[static_cast<size_t>(ref.cascade)];
  const catalog::TableEntry& child = *target.table;
  const catalog::ForeignKey& fk = child.foreign_keys()[ref.foreign_key];
  const char action = update ? fk.on_update : fk.on_delete;
  storage::DataTable& storage = child.storage();
  storage::Transaction& txn = *query.transaction;
  const std::vector<LogicalType>& types = storage.types();
  const size_t column_count = types.size();
  // The columns the action sets, and for SET DEFAULT their defaults.
  std::vector<size_t> set_columns = fk.columns;
  if (!update && (action == 'n' || action == 'd') && !fk.delete_set_columns.empty()) set_columns = fk.delete_set_columns;
  std::vector<Value> defaults;
  if (action == 'd') {
    ExpressionExecutor executor(query);
    DataChunk none;
    none.set_size(1);
    for (size_t c : set_columns) {
      Vector value;
      executor.execute(*target.defaults[c], none, value);
      defaults.push_back(value.get_value(0));
    }
  }
  for (size_t start = 0; start < row_ids.size(); start += kVectorSize) {
    query.check_cancelled();
    const size_t n = std::min(kVectorSize, row_ids.size() - start);
    DataChunk old_rows;
    old_rows.initialize(types);
    storage.fetch_rows(row_ids.data() + start, n, old_rows);
    SelectionVector deleted(kVectorSize);
    const size_t count = storage.delete_rows(txn, row_ids.data() + start, n, deleted.data());
    if (count == 0) continue;
    DataChunk old_changed;
    old_changed.initialize(types, count);
    for (size_t c = 0; c < column_count; c++) old_changed.column(c).copy_from(old_rows.column(c), deleted, count, 0);
    old_changed.set_size(count);
    if (action == 'c' && !update) {
      // ON DELETE CASCADE: the rows are gone; the rows referencing them follow.
      pending_.push_back(Pending{&child, target.referencing, std::move(old_changed), false});
      continue;
    }
    int64_t replaced[kVectorSize];
    for (size_t i = 0; i < count; i++) replaced[i] = row_ids[start + deleted.get_index(i)];
    DataChunk new_rows;
    new_rows.initialize(types, count);
    for (size_t c = 0; c < column_count; c++) new_rows.column(c).copy_from(old_changed.column(c), SelectionVector(), count, 0);
    new_rows.set_size(count);
    for (size_t k = 0; k < set_columns.size(); k++) {
      const size_t c = set_columns[k];
      for (size_t i = 0; i < count; i++) {
        Value value;
        if (action == 'c') {
          // ON UPDATE CASCADE: the referenced row's new key value.
          const size_t position = static_cast<size_t>(std::find(fk.columns.begin(), fk.columns.end(), c) - fk.columns.begin());
          value = changed.get_value(fk.referenced_columns[position], sources[start + deleted.get_index(i)]);
        } else if (action == 'n') {
          value = Value::null(types[c]);
        } else {
          value = defaults[k];
        }
        new_rows.set_value(c, i, value);
      }
    }
    if (action == 'd') {
      // A default equal to the key just removed still references it (PostgreSQL reports the
      // removal, not the referencing row).
      for (size_t i = 0; i < count; i++) {
        const size_t source = sources[start + deleted.get_index(i)];
        bool same = true;
        for (size_t k = 0; k < fk.columns.size() && same; k++) {
          const Value value = new_rows.get_value(fk.columns[k], i);
          same = !value.is_null() && value == changed.get_value(ref.old_key[k], source);
        }
        if (same) {
          throw_still_referenced(*referenced_table, child, fk,
                                 key_text(changed, ref.old_key, column_names(*referenced_table, fk.referenced_columns),
                                          source));
        }
      }
    }
    check_table_constraints(child, new_rows);
    check_check_constraints(query, child, target.checks, new_rows);
    append_checked(child, txn, new_rows, replaced);
    check_foreign_keys(query, child, target.referenced, new_rows);
    // The rows referencing the changed ones: the new rows first, then the old ones.
    DataChunk both;
    std::vector<LogicalType> both_types = types;
    both_types.insert(both_types.end(), types.begin(), types.end());
    both.initialize_empty(both_types);
    for (size_t c = 0; c < column_count; c++) {
      both.column(c).reference(new_rows.column(c));
      both.column(column_count + c).reference(old_changed.column(c));
    }
    both.set_size(count);
    std::vector<planner::ReferencingForeignKey> referencing = target.referencing;
    for (auto& r : referencing) {
      for (size_t& k : r.old_key) k += column_count;
    }
    pending_.push_back(Pending{&child, std::move(referencing), std::move(both), true});
  }
}

void ReferentialActions::finish(QueryContext& query) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& deferred : deferred_) {
    const catalog::ForeignKey& fk = deferred.ref.table->foreign_keys()[deferred.ref.foreign_key];
    // A key a row of the referenced table holds again (or still) is no violation.
    std::shared_ptr<storage::HashIndex> index;
    for (auto& candidate : deferred.referenced->storage().indexes()) {
      if (candidate->name() == fk.referenced_index) index = candidate;
    }
    std::vector<std::string> keys;
    for (const auto& [key, text] : deferred.keys) keys.push_back(key);
    std::unordered_map<std::string, size_t> missing;
    if (index) {
      std::vector<storage::IndexKey> lookup(keys.size());
      for (size_t i = 0; i < keys.size(); i++) lookup[i].bytes = keys[i];
      const std::vector<uint8_t> held = deferred.referenced->storage().find_keys(*query.transaction, *index, lookup);
      for (size_t i = 0; i < keys.size(); i++) {
        if (!held[i]) missing.emplace(keys[i], i);
      }
    } else {
      for (size_t i = 0; i < keys.size(); i++) missing.emplace(keys[i], i);
    }
    const auto found = find_referencing_rows(query, *deferred.ref.table, fk, missing);
    if (found.empty()) continue;
    throw_still_referenced(*deferred.referenced, *deferred.ref.table, fk,
                           deferred.keys.at(keys[found.front().second]).key_text);
  }
  deferred_.clear();
  deferred_index_.clear();
}

}  // namespace tessera::executor
