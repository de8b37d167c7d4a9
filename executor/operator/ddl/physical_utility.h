#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog_entry.h"
#include "executor/physical_operator.h"
#include "planner/logical/logical_operator.h"

namespace tessera::storage {
class HashIndex;
class Transaction;
}  // namespace tessera::storage

namespace tessera::executor {

/// Enters every row of `table` current for the query's transaction in `index` (one of the
/// table's, not yet in use; the table locked exclusively): 23505 when a unique index meets a
/// duplicate key.
void fill_index(QueryContext& query, const catalog::TableEntry& table, storage::HashIndex& index);
/// The same for transaction `txn`, calling `check_cancelled` between chunks (recovery, which
/// rebuilds every index from its table's rows).
void fill_index(storage::Transaction& txn, const catalog::TableEntry& table, storage::HashIndex& index,
                const std::function<void()>& check_cancelled);

/// The kinds of utility statement PhysicalUtility runs.
enum class UtilityKind : uint8_t {
  kDrop,
  kCreateView,
  kCreateIndex,
  kSet,
  kShow,
  kCreateSequence,
  kAlterSequence,
  kComment,
  kSchema,
};

/// What a utility statement needs; the fields its kind uses are set.
struct UtilityStatement {
  UtilityKind kind = UtilityKind::kDrop;
  // kDrop
  catalog::EntryKind entry_kind = catalog::EntryKind::kTable;
  std::vector<std::string> names;
  /// kDrop: the OID of the schema of each of `names`; kCreateIndex: the table's, in schemas[0].
  std::vector<Oid> schemas;
  bool if_exists = false;
  // kCreateView
  std::string name;
  std::vector<catalog::ColumnDefinition> columns;
  std::string query_text;
  std::vector<std::string> dependencies;
  bool or_replace = false;
  // kDrop
  bool cascade = false;
  // kCreateIndex (the table in `name`; if_not_exists in if_exists)
  catalog::IndexDefinition index;
  // kCreateSequence (the sequence in `name`, IF NOT EXISTS in if_exists)
  catalog::SequenceOptions sequence;
  // kAlterSequence (the sequence in `entry`, null for IF EXISTS of a missing one named `name`;
  // the options in `sequence`) and kComment (the relation in `entry`, the comment in `name`)
  std::shared_ptr<catalog::CatalogEntry> entry;
  std::string owner_table;
  std::string owner_column;
  std::optional<int64_t> restart;
  std::optional<size_t> column;
  // kDrop: NOTICEs for IF EXISTS names found missing while binding
  std::vector<std::string> skipped;
  // kSchema: the action on schemas `names`; CREATE's owner in owner_table, RENAME's new name in
  // `name`, COMMENT's text in query_text, IF [NOT] EXISTS in if_exists, CASCADE in cascade
  planner::SchemaAction schema_action = planner::SchemaAction::kCreate;
  // kSet / kShow (name above)
  std::optional<std::string> value;
  bool local = false;  ///< SET LOCAL
};

/// A statement that changes the catalog or the session's settings rather than reading data
/// (DROP, CREATE VIEW, SET, SHOW), run as a single-threaded source so it takes the same road as
/// every query. SET and SHOW use the settings the session hands to the query; SHOW emits its
/// value as one row. (Transaction control is run by the session from the statement's
/// properties, not planned.)
class PhysicalUtility : public PhysicalOperator {
 public:
  explicit PhysicalUtility(UtilityStatement statement);

  bool is_source() const override { return true; }
  SourceResult get_data(WorkerContext& worker, DataChunk& out, GlobalState& global, LocalState& local) const override;
  std::string explain_details() const override;

 private:
  UtilityStatement statement_;
};

}  // namespace tessera::executor
