#pragma once

#include <memory>
#include <string>
#include <vector>

#include "executor/physical_operator.h"
#include "planner/binder/bound_expression.h"
#include "planner/join_type.h"

namespace tessera::executor {

/// Join by an arbitrary condition (INNER, LEFT, FULL, SEMI, ANTI) or the cross product (CROSS). The
/// RIGHT child is materialized (this operator is the sink of the right child's pipeline;
/// combine() moves the workers' rows to the global state under its lock, finalize() gathers
/// them into one chunk); the LEFT child is streamed through this operator, which tests every
/// (left, right) pair kVectorSize pairs at a time. Output: left columns, then right columns;
/// LEFT and FULL joins emit unmatched left rows once with NULLs on the right; a FULL join marks
/// the right rows that matched (shared atomic flags) and is then the source of a pipeline of its
/// own that emits the unmatched right rows with NULLs on the left, once every left row has been
/// probed (as the hash join's FULL does); SEMI (ANTI) joins output
/// only the left columns of the rows with (without) a joining right row, once each, and stop
/// testing a left row at its first match. Large outputs are returned a chunk at a time with
/// kHaveMoreOutput. INNER, CROSS and SEMI joins with an empty right side answer kFinished at
/// once, which stops the left pipeline. A MARK join outputs every left row once followed by a
/// boolean mark: true when some right row joins it, else false; a null-aware MARK join
/// (`x op ANY (q)`) evaluates the condition in three-valued logic, and the mark of a left row
/// with no joining right row is NULL when the condition is NULL for some right row (filters
/// that must not make it NULL are written `(filter) IS TRUE`). Immutable; state lives in
/// Global/Local states.
class PhysicalNestedLoopJoin : public PhysicalOperator {
 public:
  /// `condition` is a boolean expression over [left..., right...]; null for kCross.
  /// `mark_null_aware` only with kMark (see the class comment). `single_match` only with
  /// kLeft: a left row joining a second right row raises 21000 (a scalar subquery's join).
  PhysicalNestedLoopJoin(std::vector<LogicalType> types, planner::JoinType join_type, planner::BoundExprPtr condition,
                         std::unique_ptr<PhysicalOperator> left, std::unique_ptr<PhysicalOperator> right,
                         bool mark_null_aware = false, bool single_match = false);

  // Build (materialized right) side.
  bool is_sink() const override { return true; }
  std::unique_ptr<GlobalState> make_global_sink(QueryContext& query) const override;
  std::unique_ptr<LocalState> make_local_sink(WorkerContext& worker, GlobalState& global) const override;
  SinkResult sink(WorkerContext& worker, DataChunk& in, GlobalState& global, LocalState& local) const override;
  void combine(WorkerContext& worker, GlobalState& global, LocalState& local) const override;
  void finalize(QueryContext& query, GlobalState& global) const override;

  // FULL joins: source of the unmatched right rows.
  bool is_source() const override { return join_type_ == planner::JoinType::kFull; }
  std::unique_ptr<GlobalState> make_global_source(QueryContext& query) const override;
  SourceResult get_data(WorkerContext& worker, DataChunk& out, GlobalState& global, LocalState& local) const override;

  // Streamed left side.
  bool is_streaming_operator() const override { return true; }
  std::unique_ptr<GlobalState> make_global_operator(QueryContext& query) const override;
  std::unique_ptr<LocalState> make_local_operator(WorkerContext& worker, GlobalState& global) const override;
  OperatorResult execute(WorkerContext& worker, DataChunk& in, DataChunk& out, GlobalState& global,
                         LocalState& local) const override;

  /// Places this operator in `current` (left child's side) and creates the pipeline that
  /// materializes the right child as a dependency of `current`.
  void build_pipelines(PipelineBuilder& builder, Pipeline& current) const override;
  std::string explain_details() const override;

 private:
  planner::JoinType join_type_;
  planner::BoundExprPtr condition_;
  bool mark_null_aware_;
  bool single_match_;
};

}  // namespace tessera::executor
