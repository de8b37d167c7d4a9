#pragma once

#include "planner/logical/logical_operator.h"

namespace tessera::planner {

/// Plan-time simplification of expressions as PostgreSQL's eval_const_expressions does it,
/// since it decides which errors a query raises (a folded `1/0` fails even over an empty table;
/// `NULL >= col / 0` is NULL without dividing):
/// - an immutable function or operator whose arguments are all constants is evaluated once
///   (stable ones such as now() and volatile ones are not);
/// - a strict function with a NULL constant argument is NULL, whatever its other arguments;
/// - casts of constants are evaluated;
/// - AND / OR drop TRUE / FALSE arguments, become FALSE / TRUE at the first such constant (the
///   arguments after it are not simplified), and keep one NULL when they had NULL constants;
/// - CASE drops arms whose condition is constant FALSE or NULL (without simplifying their
///   results) and ends at an arm whose condition is constant TRUE;
/// - COALESCE drops NULL constants and ends at its first non-NULL constant;
/// - NOT and the IS [NOT] NULL / TRUE / FALSE tests of constants are evaluated.
/// Arguments are simplified left to right before their parent, so an error in a constant
/// subexpression is raised at plan time, as in PostgreSQL. `$n` stand-ins of a statement being
/// prepared are not constants. Subquery plans inside expressions are folded when the binder
/// optimizes them.
class ConstantFolder {
 public:
  /// Folds every expression of `op` and the operators below it.
  void fold_plan(LogicalOperator& op);
  BoundExprPtr fold(BoundExprPtr expr);
};

}  // namespace tessera::planner
