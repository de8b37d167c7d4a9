#include "executor/operator/projection/physical_projection.h"

#include "executor/operator/projection/expression_state.h"

namespace tessera::executor {

PhysicalProjection::PhysicalProjection(std::vector<LogicalType> types, std::vector<planner::BoundExprPtr> expressions,
                                       std::unique_ptr<PhysicalOperator> child)
    : PhysicalOperator("PROJECTION", std::move(types)), expressions_(std::move(expressions)) {
  add_child(std::move(child));
}

std::unique_ptr<LocalState> PhysicalProjection::make_local_operator(WorkerContext& worker, GlobalState&) const {
  return std::make_unique<ExpressionState>(worker.query);
}

OperatorResult PhysicalProjection::execute(WorkerContext&, DataChunk& in, DataChunk& out, GlobalState&,
                                           LocalState& local) const {
  static_cast<ExpressionState&>(local).expressions.execute(expressions_, in, out);
  return OperatorResult::kNeedMoreInput;
}

std::string PhysicalProjection::explain_details() const { return join_expressions(expressions_, ", "); }

}  // namespace tessera::executor
