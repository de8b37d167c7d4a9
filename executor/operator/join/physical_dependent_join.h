#pragma once

#include <memory>
#include <vector>

#include "executor/expression/subquery_plan.h"
#include "executor/physical_operator.h"
#include "planner/binder/bound_expression.h"
#include "planner/join_type.h"

namespace tessera::executor {

/// A join whose right side depends on the left row (LATERAL that could not be decorrelated):
/// for each left row it runs `right` with the values of `correlated` (evaluated over the left
/// row) as parameters, and pairs the row with each row that run returns; a LEFT join keeps a
/// left row without any, padded with NULLs. Runs are cached per distinct parameter values in
/// the worker's state. A streaming operator of the left side's pipeline.
class PhysicalDependentJoin : public PhysicalOperator {
 public:
  PhysicalDependentJoin(std::vector<LogicalType> types, planner::JoinType join_type,
                        std::vector<planner::BoundExprPtr> correlated, std::unique_ptr<SubqueryPlan> right,
                        std::unique_ptr<PhysicalOperator> left);

  bool is_streaming_operator() const override { return true; }
  std::unique_ptr<LocalState> make_local_operator(WorkerContext& worker, GlobalState& global) const override;
  OperatorResult execute(WorkerContext& worker, DataChunk& in, DataChunk& out, GlobalState& global,
                         LocalState& local) const override;
  std::string explain_details() const override;

  /// The right side's plan (EXPLAIN shows it under this operator).
  const PhysicalOperator& right_plan() const { return *right_->root; }

 private:
  planner::JoinType join_type_;
  std::vector<planner::BoundExprPtr> correlated_;
  std::unique_ptr<SubqueryPlan> right_;
};

}  // namespace tessera::executor
