#pragma once

#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "executor/execution_context.h"
#include "planner/logical/logical_operator.h"
#include "src/common/data_chunk.h"

namespace tessera::catalog { class TableEntry; }

namespace tessera::executor {

/// Locks what FOREIGN KEY checks of a statement writing `table` rely on until the transaction
/// ends: the tables its own foreign keys reference in shared mode (they cannot be dropped),
/// and the tables referencing it (when its rows are deleted or updated) in exclusive mode, so
/// no transaction inserts a referencing row while this one may remove the key.
void lock_foreign_key_tables(QueryContext& query, const std::vector<std::shared_ptr<catalog::TableEntry>>& referenced,
                             const std::vector<planner::ReferencingForeignKey>& referencing);

/// Checks the rows of `chunk` (the table's columns) against the table's FOREIGN KEYs
/// (MATCH SIMPLE: a key with a NULL column is not checked; MATCH FULL: one with NULL in some
/// but not all columns fails with 23503): each key must be held by a row of
/// the referenced table current for the transaction (looked up in its unique index), else
/// 23503 `insert or update on table "t" violates foreign key constraint "c"`.
void check_foreign_keys(QueryContext& query, const catalog::TableEntry& table,
                        const std::vector<std::shared_ptr<catalog::TableEntry>>& referenced, const DataChunk& chunk);

/// A table FOREIGN KEY actions of a statement change (planner::CascadeTarget), resolved:
/// `checks` over the table's columns, `defaults` reading no columns.
struct CascadeTable {
  std::shared_ptr<catalog::TableEntry> table;
  std::vector<planner::BoundExprPtr> checks;
  std::vector<std::shared_ptr<catalog::TableEntry>> referenced;
  std::vector<planner::BoundExprPtr> defaults;
  /// old_key: the referenced columns as table column indexes.
  std::vector<planner::ReferencingForeignKey> referencing;
};

/// The FOREIGN KEY actions of one statement that deletes or updates rows of referenced
/// tables. For each FOREIGN KEY referencing a changed row's old key (its columns not NULL, and
/// for an update, changed): RESTRICT fails at once (23503) when a row still references it;
/// NO ACTION remembers the key and fails at the end of the statement (finish) when a row
/// still references it and no row of the referenced table holds it again; CASCADE deletes the
/// referencing rows (ON DELETE) or sets their key to the new one (ON UPDATE); SET NULL and
/// SET DEFAULT set the key columns (ON DELETE: those listed, or all) to NULL or their
/// DEFAULT. The rows changed that way are checked (NOT NULL, CHECK, unique keys, their own
/// FOREIGN KEYs) and act on the keys referencing them in turn, through chains and cycles of
/// tables (a row is changed once per statement). Referencing rows are found, per batch of
/// keys, in an index of the referencing table over exactly the key's columns when it has one,
/// else with one scan of it.
///
/// Thread-safety: on_change may be called from several threads at once (the calls are
/// serialized); finish once, after the last of them.
class ReferentialActions {
 public:
  explicit ReferentialActions(std::shared_ptr<const std::vector<CascadeTable>> tables);

  /// Locks what the actions rely on until the transaction ends (see lock_foreign_key_tables):
  /// the tables they change, the tables those reference and the tables referencing them.
  void lock_tables(QueryContext& query) const;
  /// Rows of `table` the statement deleted (`update` false) or replaced: `changed` holds, for
  /// an update, the new rows in its first columns, and the old keys at the old_key positions
  /// of `referencing`.
  void on_change(QueryContext& query, const catalog::TableEntry& table,
                 const std::vector<planner::ReferencingForeignKey>& referencing, const DataChunk& changed, bool update);
  /// The end of the statement: the NO ACTION checks.
  void finish(QueryContext& query);

 private:
  /// A key NO ACTION checks at the end: serialized in the referenced unique index's key order.
  struct DeferredKey {
    std::string key_text;  ///< "Key (a)=(1)"
  };
  struct Deferred {
    /// The table whose keys were removed (the statement's plan keeps it alive).
    const catalog::TableEntry* referenced = nullptr;
    planner::ReferencingForeignKey ref;
    std::map<std::string, DeferredKey> keys;
  };

  void change(QueryContext& query, const catalog::TableEntry& table,
              const std::vector<planner::ReferencingForeignKey>& referencing, const DataChunk& changed, bool update);
  /// Applies the action of `ref` (CASCADE, SET NULL, SET DEFAULT) to the rows `row_ids` of
  /// its table, which reference rows `sources` of `changed` (rows of `referenced`).
  void act(QueryContext& query, const catalog::TableEntry& referenced, const planner::ReferencingForeignKey& ref,
           const DataChunk& changed, bool update, const std::vector<int64_t>& row_ids,
           const std::vector<size_t>& sources);

  /// Rows changed by the actions whose own referencing keys are still to be acted on.
  struct Pending {
    const catalog::TableEntry* table;
    std::vector<planner::ReferencingForeignKey> referencing;
    DataChunk changed;
    bool update;
  };

  std::shared_ptr<const std::vector<CascadeTable>> tables_;
  std::mutex mutex_;
  std::deque<Pending> pending_;
  /// In the order the constraints were first met (PostgreSQL fires their checks in order).
  std::vector<Deferred> deferred_;
  std::map<std::string, size_t> deferred_index_;  ///< by referencing table and constraint
};

}  // namespace tessera::executor
