#pragma once

#include <vector>

#include "executor/physical_operator.h"
#include "planner/binder/bound_expression.h"

namespace tessera::executor {

/// Computes one output column per expression. A streaming operator.
class PhysicalProjection : public PhysicalOperator {
 public:
  PhysicalProjection(std::vector<LogicalType> types, std::vector<planner::BoundExprPtr> expressions,
                     std::unique_ptr<PhysicalOperator> child);

  bool is_streaming_operator() const override { return true; }
  std::unique_ptr<LocalState> make_local_operator(WorkerContext& worker, GlobalState& global) const override;
  OperatorResult execute(WorkerContext& worker, DataChunk& in, DataChunk& out, GlobalState& global,
                         LocalState& local) const override;
  std::string explain_details() const override;

 private:
  std::vector<planner::BoundExprPtr> expressions_;
};

}  // namespace tessera::executor
