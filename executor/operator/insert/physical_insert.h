#pragma once

#include <memory>
#include <vector>

#include "executor/operator/insert/foreign_key_check.h"
#include "executor/physical_operator.h"
#include "planner/binder/bound_expression.h"
#include "planner/logical/logical_operator.h"

namespace tessera::catalog { class TableEntry; }
namespace tessera::storage { class HashIndex; }

namespace tessera::executor {

class CopyRowContexts;

/// Appends its child's rows (exactly the table's columns, in order) to a table inside the
/// query's transaction, checking NOT NULL and varchar(n) limits. Before the first row the
/// table's name is locked in shared mode for the rest of the transaction (a concurrent DROP
/// waits; an insert into a table whose DROP is pending waits for it, 42P01 if it commits).
/// As a source it then emits one row: the number of rows inserted (bigint), which is also the
/// statement's processed row count; with RETURNING it emits the inserted rows instead (as
/// stored: after the constraint checks), which a projection above turns into the RETURNING list.
///
/// With ON CONFLICT (`on_conflict`) the rows of a chunk are taken one after the other, as
/// PostgreSQL does: a row whose key in an arbiter index is held by an existing row current for
/// the transaction (a row another running transaction inserted is waited for) is not inserted;
/// DO NOTHING drops it, DO UPDATE replaces that row by the SET values computed over it and
/// the proposed row (EXCLUDED) when the WHERE condition holds. A key the statement itself
/// inserted or updated conflicts too: DO NOTHING drops the row, DO UPDATE fails with 21000.
/// Under REPEATABLE READ and SERIALIZABLE an existing row outside the transaction's snapshot
/// (committed after it was taken) fails with 40001; under READ COMMITTED it is taken as it
/// is (PostgreSQL's behaviour: no error). Such statements run their chunks one at a time. The count and RETURNING cover the
/// rows inserted and updated.
class PhysicalInsert : public PhysicalOperator {
 public:
  /// ON CONFLICT, resolved: `set` and `where` read the existing row's columns (0 .. n-1) and
  /// then the proposed row's (n .. 2n-1).
  struct OnConflict {
    std::vector<std::string> arbiters;  ///< unique index names; empty: every unique index
    bool do_update = false;
    std::vector<planner::BoundExprPtr> set;
    planner::BoundExprPtr where;
    /// DO UPDATE: the FOREIGN KEYs referencing the table, old_key naming table columns.
    std::vector<planner::ReferencingForeignKey> referencing;
    std::shared_ptr<const std::vector<CascadeTable>> cascades;
  };

  /// `checks`: the table's CHECK constraints (aligned with table->checks()) over the row.
  PhysicalInsert(std::shared_ptr<catalog::TableEntry> table, std::unique_ptr<PhysicalOperator> child,
                 bool returning = false, std::vector<planner::BoundExprPtr> checks = {},
                 std::vector<std::shared_ptr<catalog::TableEntry>> referenced = {},
                 std::unique_ptr<OnConflict> on_conflict = nullptr);

  bool is_sink() const override { return true; }
  std::unique_ptr<GlobalState> make_global_sink(QueryContext& query) const override;
  std::unique_ptr<LocalState> make_local_sink(WorkerContext& worker, GlobalState& global) const override;
  SinkResult sink(WorkerContext& worker, DataChunk& in, GlobalState& global, LocalState& local) const override;
  void combine(WorkerContext& worker, GlobalState& global, LocalState& local) const override;
  void finalize(QueryContext& query, GlobalState& global) const override;

  bool is_source() const override { return true; }
  std::unique_ptr<GlobalState> make_global_source(QueryContext& query) const override;
  SourceResult get_data(WorkerContext& worker, DataChunk& out, GlobalState& global, LocalState& local) const override;
  std::string explain_details() const override;

  /// The child is a COPY FROM (under projections that keep its rows): a NOT NULL or CHECK
  /// violation gets the failing row's CONTEXT line from it (`COPY t, line 2: "..."`).
  void set_copy_rows(std::shared_ptr<const CopyRowContexts> rows) { copy_rows_ = std::move(rows); }

 private:
  /// check_table_constraints and check_check_constraints for `in`.
  void check_constraints(QueryContext& query, DataChunk& in) const;

  std::shared_ptr<catalog::TableEntry> table_;
  bool returning_;
  std::vector<planner::BoundExprPtr> checks_;
  /// The tables the FOREIGN KEYs reference, aligned with table_->foreign_keys().
  std::vector<std::shared_ptr<catalog::TableEntry>> referenced_;
  std::unique_ptr<OnConflict> on_conflict_;
  std::shared_ptr<const CopyRowContexts> copy_rows_;

  /// ON CONFLICT: inserts and updates for the rows of `in` (checked already).
  void sink_on_conflict(QueryContext& query, GlobalState& global, LocalState& local, DataChunk& in) const;
  /// Applies the rows of `in` chosen for insertion (`insert`, `insert_count` of them) and the
  /// updates of existing rows `targets` by rows `proposed` of `in` (`update_count`).
  void apply_on_conflict(QueryContext& query, GlobalState& global, LocalState& local, const DataChunk& in,
                         const SelectionVector& insert, size_t insert_count, const int64_t* targets,
                         const SelectionVector& proposed, size_t update_count,
                         const std::vector<std::shared_ptr<storage::HashIndex>>& arbiters) const;
  /// Counts `rows` (inserted or updated) and keeps them for RETURNING.
  void emit(QueryContext& query, GlobalState& global, LocalState& local, const DataChunk& rows) const;
};


/// Checks a chunk against the table's NOT NULL and varchar(n) constraints (23502, 22001).
/// A value longer than n whose excess characters are all spaces is truncated to n, as
/// PostgreSQL's assignment rules say; such columns are rewritten in `chunk`.
void check_table_constraints(const catalog::TableEntry& table, DataChunk& chunk);

/// Checks a chunk against the table's CHECK constraints `checks` (aligned with table.checks(),
/// resolved over the table's columns): 23514 for the first row one of them is false for,
/// testing a row's constraints in name order as PostgreSQL does. NULL passes.
void check_check_constraints(QueryContext& query, const catalog::TableEntry& table,
                             const std::vector<planner::BoundExprPtr>& checks, const DataChunk& chunk);

/// Appends `chunk` (checked by check_table_constraints) to `table` as `txn`, checking its
/// unique indexes and entering the rows in every index (storage::DataTable::append_indexed:
/// 23505 on a duplicate key). `replaced` (UPDATE): row i replaces row replaced[i].
void append_checked(const catalog::TableEntry& table, storage::Transaction& txn, const DataChunk& chunk,
                    const int64_t* replaced = nullptr);

}  // namespace tessera::executor
