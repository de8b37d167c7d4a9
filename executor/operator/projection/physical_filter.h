#pragma once

#include <vector>

#include "executor/physical_operator.h"
#include "planner/binder/bound_expression.h"

namespace tessera::executor {

/// Keeps the rows for which every conjunct is true, by slicing (no copy). A streaming operator.
class PhysicalFilter : public PhysicalOperator {
 public:
  PhysicalFilter(std::vector<LogicalType> types, std::vector<planner::BoundExprPtr> conjuncts,
                 std::unique_ptr<PhysicalOperator> child);

  bool is_streaming_operator() const override { return true; }
  std::unique_ptr<LocalState> make_local_operator(WorkerContext& worker, GlobalState& global) const override;
  OperatorResult execute(WorkerContext& worker, DataChunk& in, DataChunk& out, GlobalState& global,
                         LocalState& local) const override;
  std::string explain_details() const override;

 private:
  std::vector<planner::BoundExprPtr> conjuncts_;
};

}  // namespace tessera::executor
