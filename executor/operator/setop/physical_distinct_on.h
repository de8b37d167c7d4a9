#pragma once

#include <memory>
#include <string>
#include <vector>

#include "executor/physical_operator.h"
#include "planner/binder/bound_expression.h"

namespace tessera::executor {

/// DISTINCT ON (keys): passes the first row of each distinct key, in arrival order, and drops
/// the rest (NULL keys equal each other). Placed above an ORDER BY whose single-threaded source
/// delivers the rows in order, so "first" is the first in ORDER BY order, as PostgreSQL keeps.
/// Streaming operator; the keys seen so far live in its global state (locked), so it is
/// correct with any number of workers. Immutable.
class PhysicalDistinctOn : public PhysicalOperator {
 public:
  /// `keys` are expressions over the child's columns (BoundReferences).
  PhysicalDistinctOn(std::vector<LogicalType> types, std::vector<planner::BoundExprPtr> keys,
                     std::unique_ptr<PhysicalOperator> child);

  bool is_streaming_operator() const override { return true; }
  std::unique_ptr<GlobalState> make_global_operator(QueryContext& query) const override;
  std::unique_ptr<LocalState> make_local_operator(WorkerContext& worker, GlobalState& global) const override;
  OperatorResult execute(WorkerContext& worker, DataChunk& in, DataChunk& out, GlobalState& global,
                         LocalState& local) const override;

  std::string explain_details() const override;

 private:
  std::vector<planner::BoundExprPtr> keys_;
};

}  // namespace tessera::executor
