#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "executor/physical_operator.h"
#include "planner/binder/bound_expression.h"

namespace tessera::executor {

/// GROUP BY with aggregates of the registry (each optionally DISTINCT, with FILTER (WHERE ...)
/// and with an ORDER BY; ordered-set aggregates); without aggregates it is DISTINCT over the
/// group columns. Output: the group columns (numeric and interval ones as the first value of
/// the group met), then one column per aggregate. Without groups it produces exactly one row,
/// even for empty input. Aggregates with an ORDER BY and ordered-set aggregates collect their
/// rows and are computed in finalize over the rows sorted by group and order keys.
///
/// Sink of its child's pipeline: each worker hashes its rows' group keys into a thread-local
/// GroupHashTable and updates column-wise aggregate state arrays through a per-row group-id
/// vector; combine() merges a worker's table into the global one under the global lock;
/// finalize() applies DISTINCT aggregates (whose distinct (group, argument) pairs are
/// collected per worker and deduplicated globally) and builds the result chunks. Source of the
/// next pipeline: workers claim result chunks, so the scan may run in parallel.
///
/// GROUPING SETS / ROLLUP / CUBE: one pass over the input feeds one hash table whose key is the
/// group columns (NULL where the row's set lacks the column) plus the set's number, so every
/// set groups separately and a real NULL never meets a missing column; each chunk's group and
/// aggregate inputs are evaluated once and hashed once per set. Each set without columns yields
/// one row even for empty input. After the aggregates come the grouping() columns, computed
/// from the set number.
/// Immutable; all mutable state lives in the Global/Local states.
class PhysicalHashAggregate : public PhysicalOperator {
 public:
  /// `groups` are expressions over the child's columns; `aggregates` are
  /// planner::BoundAggregate whose argument is an expression over the child's columns (null
  /// for count(*)).
  /// `grouping_sets` (indexes into `groups`; empty for a plain GROUP BY) and
  /// `grouping_functions` as LogicalAggregate has them.
  PhysicalHashAggregate(std::vector<LogicalType> types, std::vector<planner::BoundExprPtr> groups,
                        std::vector<planner::BoundExprPtr> aggregates, std::unique_ptr<PhysicalOperator> child,
                        std::vector<std::vector<uint32_t>> grouping_sets = {},
                        std::vector<std::vector<uint32_t>> grouping_functions = {});

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

 private:
  /// Groups the rows [0, n) of the current chunk by `key_vectors` (none: one group) and folds the
  /// aggregate inputs the sink evaluated into the worker's table.
  void sink_keys(GlobalState& global, LocalState& local, size_t n, const std::vector<Vector>& key_vectors) const;
  /// The key columns of set `set` for a chunk whose group expressions gave `group_vectors`.
  std::vector<Vector> set_keys(const std::vector<Vector>& group_vectors, size_t set) const;
  /// The number of key columns: the groups, plus the set number with grouping sets.
  size_t num_keys() const { return groups_.size() + (grouping_sets_.empty() ? 0 : 1); }

  std::vector<planner::BoundExprPtr> groups_;
  std::vector<planner::BoundExprPtr> aggregates_;
  std::vector<std::vector<uint32_t>> grouping_sets_;
  /// Per grouping set, whether it has each group column.
  std::vector<std::vector<bool>> set_has_;
  /// grouping_values_[f][s]: grouping() call f's value in the rows of set s.
  std::vector<std::vector<int32_t>> grouping_values_;
};

}  // namespace tessera::executor
