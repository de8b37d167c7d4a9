#pragma once

#include <memory>
#include <vector>

#include "executor/operator/insert/foreign_key_check.h"
#include "executor/physical_operator.h"
#include "planner/binder/bound_expression.h"
#include "planner/logical/logical_operator.h"

namespace tessera::catalog { class TableEntry; }

namespace tessera::executor {

enum class ModifyKind : uint8_t { kDelete, kUpdate };

/// DELETE and UPDATE of one table. The child produces, per target row, its row id (first
/// column), then for UPDATE the row's new value of every table column, then the columns
/// RETURNING reads. Before the first row the table's name is locked in shared mode for the
/// rest of the transaction (as INSERT does).
///
/// As a sink each worker collects its input chunks; the rows are changed only once every input
/// row is known (reads of the statement never see its own changes anyway: see
/// Transaction::begin_statement). Finalization has one part per collected chunk,
/// run in parallel: delete the chunk's rows (rows already deleted by this statement, i.e. a
/// target row joined to several source rows, are skipped, so each row is changed once; a row
/// deleted by a transaction committed after the snapshot fails with 40001, which the session
/// turns into a re-run of the statement under READ COMMITTED), and for UPDATE
/// check the new rows' NOT NULL and varchar(n) constraints and append them (an update is a
/// delete of the old version and an append of the new one). Rows another running transaction
/// deleted are left by the parts; `finalize` then waits for those transactions one row at a
/// time on one thread (so the transaction waits in one place, visible to deadlock detection)
/// and changes the rows or fails with 40001. Once every row is changed, `finalize` hands the
/// changed rows, in input order, to the FOREIGN KEY actions of the tables referencing this one
/// (ReferentialActions: checks, cascades, then the NO ACTION checks).
///
/// As a source it emits, with RETURNING, the modified rows (the child's columns after the row
/// id: the new row for UPDATE, the old one for DELETE), and otherwise one bigint row with the
/// count, which is also the statement's processed row count.
class PhysicalModify : public PhysicalOperator {
 public:
  /// `types`: with `returning` the child's types after the row id, else {bigint}.
  PhysicalModify(ModifyKind kind, std::shared_ptr<catalog::TableEntry> table, bool returning,
                 std::vector<LogicalType> types, std::unique_ptr<PhysicalOperator> child,
                 std::vector<planner::BoundExprPtr> checks = {},
                 std::vector<std::shared_ptr<catalog::TableEntry>> referenced = {},
                 std::vector<planner::ReferencingForeignKey> referencing = {},
                 std::shared_ptr<const std::vector<CascadeTable>> cascades = nullptr);

  bool is_sink() const override { return true; }
  std::unique_ptr<GlobalState> make_global_sink(QueryContext& query) const override;
  std::unique_ptr<LocalState> make_local_sink(WorkerContext& worker, GlobalState& global) const override;
  SinkResult sink(WorkerContext& worker, DataChunk& in, GlobalState& global, LocalState& local) const override;
  void combine(WorkerContext& worker, GlobalState& global, LocalState& local) const override;
  size_t prepare_finalize(QueryContext& query, GlobalState& global) const override;
  void finalize_part(QueryContext& query, GlobalState& global, size_t part) const override;
  void finalize(QueryContext& query, GlobalState& global) const override;

  bool is_source() const override { return true; }
  std::unique_ptr<GlobalState> make_global_source(QueryContext& query) const override;
  SourceResult get_data(WorkerContext& worker, DataChunk& out, GlobalState& global, LocalState& local) const override;
  std::string explain_details() const override;

 private:
  /// Counts and, for UPDATE, appends the rows `deleted` of `in` that were just deleted; keeps
  /// them for RETURNING in result slot `slot`.
  void apply(QueryContext& query, GlobalState& global, const DataChunk& in, const SelectionVector& deleted, size_t count,
             size_t slot) const;

  ModifyKind kind_;
  std::shared_ptr<catalog::TableEntry> table_;
  bool returning_;
  /// UPDATE: the table's CHECK constraints over the new row (see check_check_constraints).
  std::vector<planner::BoundExprPtr> checks_;
  /// UPDATE: the tables the table's FOREIGN KEYs reference (aligned with foreign_keys()).
  std::vector<std::shared_ptr<catalog::TableEntry>> referenced_;
  /// The FOREIGN KEYs of other tables referencing this one (see ReferentialActions).
  std::vector<planner::ReferencingForeignKey> referencing_;
  /// The tables FOREIGN KEY actions change (ReferencingForeignKey::cascade indexes them).
  std::shared_ptr<const std::vector<CascadeTable>> cascades_;
};

}  // namespace tessera::executor
