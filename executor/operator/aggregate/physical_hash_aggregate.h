#pragma once

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
/// Immutable; all mutable state lives in the Global/Local states.
class PhysicalHashAggregate : public PhysicalOperator {
 public:
  /// `groups` are expressions over the child's columns; `aggregates` are
  /// planner::BoundAggregate whose argument is an expression over the child's columns (null
  /// for count(*)).
  PhysicalHashAggregate(std::vector<LogicalType> types, std::vector<planner::BoundExprPtr> groups,
                        std::vector<planner::BoundExprPtr> aggregates, std::unique_ptr<PhysicalOperator> child);

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
  std::vector<planner::BoundExprPtr> groups_;
  std::vector<planner::BoundExprPtr> aggregates_;
};

}  // namespace tessera::executor
