#pragma once

#include <memory>
#include <string>
#include <vector>

#include "executor/physical_operator.h"
#include "planner/binder/bound_expression.h"
#include "planner/join_type.h"

namespace tessera::executor {

/// Equi-join (INNER, LEFT, SEMI or ANTI) with an optional residual condition. The RIGHT child
/// is the build side: this operator is the sink of the right child's pipeline (every worker
/// copies its rows in kVectorSize chunks, dropping rows with a NULL key, which never match, and
/// serializes, hashes and partitions their keys; combine() moves them to the global state under
/// its lock; prepare_finalize() lays the rows out as columns, and the chained hash table, split
/// into partitions by the hash's top bits, is linked one partition per finalize_part() in
/// parallel; the rows stay alive in the global state for the probe). The LEFT child is streamed
/// through this operator as the probe side (the operator role in the left child's pipeline,
/// which depends on the build pipeline). Output: the left columns, then the right columns; a
/// LEFT join emits each probe row without a joining build row once, with NULLs on the right.
/// A FULL join also marks the build rows that joined and, in a pipeline of its own after the
/// probe's (this operator its source), emits the others (and the NULL-key rows it kept) with
/// NULLs on the left. A SEMI (ANTI) join outputs only the left columns: each probe row that has (has no) joining
/// build row, once, after its whole probe chunk is decided; without a residual a probe row stops
/// at its first equal key. Output chunks hold at most kVectorSize rows: a probe chunk with more
/// matches answers kHaveMoreOutput and resumes where it stopped. An INNER or SEMI join with an
/// empty build side answers kFinished at once, which stops the probe pipeline. A MARK join
/// outputs every probe row once, after its whole probe chunk is decided, with a boolean mark:
/// whether it has a joining build row (the keys and residual are filters, as for SEMI: EXISTS).
/// A null-aware MARK join (`x IN (q)`: one key, no residual) also keeps the count of build rows
/// with a NULL key, and its mark is NULL for a probe row without an equal key when the probe
/// key is NULL and the build side is not empty, or when some build key is NULL. With several
/// keys (`x IN (SELECT y FROM t2 WHERE t2.k = t1.k)`: the correlation keys, then x = y) the
/// same holds within the build rows of the probe row's correlation group: the build keeps the
/// set of groups with rows and of groups with a NULL y, and a probe row whose group is absent
/// (or has a NULL correlation key) gets false. Immutable; state lives in Global/Local states.
class PhysicalHashJoin : public PhysicalOperator {
 public:
  /// `left_keys[i]` (over the left columns) and `right_keys[i]` (over the right columns) have
  /// the same type. `residual` (may be null) is a boolean expression over [left..., right...].
  /// `mark_null_aware` only with kMark and no residual (see the class comment).
  /// `single_match` only with kLeft: a probe row joining a second build row raises 21000 (the
  /// join of a scalar subquery keyed on its correlation).
  PhysicalHashJoin(std::vector<LogicalType> types, planner::JoinType join_type,
                   std::vector<planner::BoundExprPtr> left_keys, std::vector<planner::BoundExprPtr> right_keys,
                   planner::BoundExprPtr residual, std::unique_ptr<PhysicalOperator> left,
                   std::unique_ptr<PhysicalOperator> right, bool mark_null_aware = false, bool single_match = false);

  // Build side.
  bool is_sink() const override { return true; }
  std::unique_ptr<GlobalState> make_global_sink(QueryContext& query) const override;
  std::unique_ptr<LocalState> make_local_sink(WorkerContext& worker, GlobalState& global) const override;
  SinkResult sink(WorkerContext& worker, DataChunk& in, GlobalState& global, LocalState& local) const override;
  void combine(WorkerContext& worker, GlobalState& global, LocalState& local) const override;
  size_t prepare_finalize(QueryContext& query, GlobalState& global) const override;
  void finalize_part(QueryContext& query, GlobalState& global, size_t part) const override;

  // FULL joins: after the probe, the source of the build rows no probe row joined.
  bool is_source() const override { return join_type_ == planner::JoinType::kFull; }
  std::unique_ptr<GlobalState> make_global_source(QueryContext& query) const override;
  SourceResult get_data(WorkerContext& worker, DataChunk& out, GlobalState& global, LocalState& local) const override;

  // Probe side.
  bool is_streaming_operator() const override { return true; }
  std::unique_ptr<GlobalState> make_global_operator(QueryContext& query) const override;
  std::unique_ptr<LocalState> make_local_operator(WorkerContext& worker, GlobalState& global) const override;
  OperatorResult execute(WorkerContext& worker, DataChunk& in, DataChunk& out, GlobalState& global,
                         LocalState& local) const override;

  /// Places this operator in `current` (probe, on the left child's side) and creates the build
  /// pipeline (right child -> this) as a dependency of `current`.
  void build_pipelines(PipelineBuilder& builder, Pipeline& current) const override;
  std::string explain_details() const override;

 private:
  planner::JoinType join_type_;
  std::vector<planner::BoundExprPtr> left_keys_;
  std::vector<planner::BoundExprPtr> right_keys_;
  planner::BoundExprPtr residual_;
  bool mark_null_aware_;
  bool single_match_;
};

}  // namespace tessera::executor
