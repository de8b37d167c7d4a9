#pragma once

#include <memory>

#include "planner/logical/logical_operator.h"

namespace tessera::catalog {
class FunctionRegistry;
}

namespace tessera::planner {

/// Rewrites a logical plan with rules that never change its result:
/// - constant folding as PostgreSQL does it at plan time (ConstantFolder);
/// - subquery decorrelation: correlated [NOT] EXISTS and IN in WHERE become semi / anti joins,
///   correlated scalar subqueries LEFT JOINs (aggregates grouped by the correlation keys),
///   other subqueries mark joins (see SubqueryDecorrelation);
/// - filter pushdown: WHERE/ON conjuncts move down to the scans and joins whose columns they
///   use (a cross join with a condition on both sides becomes an inner join);
/// - join order: inner and cross joins are reordered by estimated cost (JoinOrderOptimizer);
/// - column pruning: scans read only the columns something above them uses;
/// then sets every operator's estimated_rows (CardinalityEstimator), once the plan's shape and
/// its pushed-down filters are final.
/// Subquery plans inside expressions are optimized by the binder when it builds them.
class Optimizer {
 public:
  /// `functions` and `table_indexes` (the statement's table index counter) let subquery
  /// decorrelation build domain joins; without them those subqueries stay subplans.
  Optimizer(const catalog::FunctionRegistry* functions = nullptr, std::shared_ptr<uint32_t> table_indexes = nullptr)
      : functions_(functions), table_indexes_(std::move(table_indexes)) {}

  LogicalPtr optimize(LogicalPtr plan);

 private:
  const catalog::FunctionRegistry* functions_;
  std::shared_ptr<uint32_t> table_indexes_;

  LogicalPtr push_filters(LogicalPtr op, std::vector<BoundExprPtr> filters);
};

}  // namespace tessera::planner
