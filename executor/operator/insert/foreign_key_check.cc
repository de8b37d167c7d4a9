#include "executor/operator/insert/foreign_key_check.h"

#include <string>
#include <unordered_map>

#include "catalog/catalog.h"
#include "catalog/catalog_entry.h"
#include "executor/key_serializer.h"
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
      if (has_null[f][r] || found[f][r]) continue;
      const catalog::ForeignKey& fk = keys[f];
      throw SqlError(SqlState::kForeignKeyViolation, "insert or update on table \"" + table.name() +
                                                         "\" violates foreign key constraint \"" + fk.name + "\"")
          .with_detail(key_text(chunk, fk.columns, column_names(table, fk.columns), r) + " is not present in table \"" +
                       referenced[f]->name() + "\".");
    }
  }
}

void check_not_referenced(QueryContext& query, const catalog::TableEntry& table,
                          const std::vector<planner::ReferencingForeignKey>& referencing, const DataChunk& changed,
                          bool update) {
  if (changed.size() == 0) return;
  for (const auto& ref : referencing) {
    const catalog::ForeignKey& fk = ref.table->foreign_keys()[ref.foreign_key];
    KeySerializer old_keys;
    serialize(old_keys, changed, ref.old_key);
    KeySerializer new_keys;
    if (update) serialize(new_keys, changed, fk.referenced_columns);
    // Old key -> its row in `changed`, for the message.
    std::unordered_map<std::string, size_t> removed;
    for (size_t r = 0; r < changed.size(); r++) {
      if (old_keys.has_null(r)) continue;
      if (update && !new_keys.has_null(r) && key_bytes(old_keys, r) == key_bytes(new_keys, r)) continue;
      removed.emplace(std::string(key_bytes(old_keys, r)), r);
    }
    if (removed.empty()) continue;
    // Every referencing row current for the transaction (committed or its own), once.
    storage::DataTable& storage = ref.table->storage();
    auto scan = storage.begin_scan_latest(*query.transaction, fk.columns);
    storage::LocalTableScanState local;
    std::vector<LogicalType> types;
    for (size_t c : fk.columns) types.push_back(ref.table->columns()[c].type);
    DataChunk rows;
    rows.initialize(types);
    std::vector<size_t> positions;
    for (size_t k = 0; k < fk.columns.size(); k++) positions.push_back(k);
    KeySerializer serializer;
    while (storage.next_morsel(*scan, local)) {
      while (storage.scan(local, rows)) {
        query.check_cancelled();
        serialize(serializer, rows, positions);
        for (size_t r = 0; r < rows.size(); r++) {
          if (serializer.has_null(r)) continue;
          auto it = removed.find(std::string(key_bytes(serializer, r)));
          if (it == removed.end()) continue;
          throw SqlError(SqlState::kForeignKeyViolation,
                         "update or delete on table \"" + table.name() + "\" violates foreign key constraint \"" +
                             fk.name + "\" on table \"" + ref.table->name() + "\"")
              .with_detail(key_text(changed, ref.old_key, column_names(table, fk.referenced_columns), it->second) +
                           " is still referenced from table \"" + ref.table->name() + "\".");
        }
      }
    }
  }
}

}  // namespace tessera::executor
