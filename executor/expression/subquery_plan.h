#pragma once

#include <memory>
#include <vector>

#include "executor/physical_operator.h"
#include "planner/binder/bound_expression.h"

namespace tessera::executor {

/// The physical plan of a subquery used as an expression, attached to its BoundSubquery by the
/// physical planner. `root` is a collecting sink; the plan is immutable and may run on many
/// threads at once (each run has its own states).
class SubqueryPlan : public planner::PreparedSubplan {
 public:
  explicit SubqueryPlan(std::unique_ptr<PhysicalOperator> root) : root(std::move(root)) {}
  std::unique_ptr<PhysicalOperator> root;
};

/// Runs `plan` on the calling thread with `params` as its parameter values and returns its rows
/// (the plan's collector stops early once it has as many rows as the expression needs).
std::vector<DataChunk> run_subquery(const SubqueryPlan& plan, const QueryContext& outer, const std::vector<Value>& params);

}  // namespace tessera::executor
