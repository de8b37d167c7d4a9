#include "executor/operator/projection/physical_filter.h"

#include "executor/operator/projection/expression_state.h"

namespace tessera::executor {

PhysicalFilter::PhysicalFilter(std::vector<LogicalType> types, std::vector<planner::BoundExprPtr> conjuncts,
                               std::unique_ptr<PhysicalOperator> child)
    : PhysicalOperator("FILTER", std::move(types)), conjuncts_(std::move(conjuncts)) {
  add_child(std::move(child));
}

std::unique_ptr<LocalState> PhysicalFilter::make_local_operator(WorkerContext& worker, GlobalState&) const {
  return std::make_unique<ExpressionState>(worker.query);
}

OperatorResult PhysicalFilter::execute(WorkerContext&, DataChunk& in, DataChunk& out, GlobalState&, LocalState& local) const {
  auto& state = static_cast<ExpressionState&>(local);
  SelectionVector sel;
  size_t count = state.expressions.select(conjuncts_, in, sel);
  if (count == in.size()) {
    out.reference(in);
  } else if (count > 0) {
    out.slice(in, sel, count);
  } else {
    out.set_size(0);
  }
  return OperatorResult::kNeedMoreInput;
}

std::string PhysicalFilter::explain_details() const { return join_expressions(conjuncts_, " AND "); }

}  // namespace tessera::executor
