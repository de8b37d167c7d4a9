#pragma once

#include "planner/logical/logical_operator.h"

namespace tessera::planner {

/// Rewrites `[NOT] EXISTS (subquery)` conjuncts of WHERE clauses whose subquery is correlated
/// only through equalities (`inner_expr = outer_expr`) into a LEFT JOIN with the subquery's
/// distinct correlation keys: EXISTS becomes `key IS NOT NULL`, NOT EXISTS `key IS NULL`. The
/// subquery then runs once instead of once per outer row. Subqueries of any other shape (other
/// correlation predicates, aggregates or limits between the correlation and the subquery's
/// root) are left as they are.
class ExistsDecorrelation {
 public:
  LogicalPtr rewrite(LogicalPtr plan);

 private:
  /// Rewrites one filter's conjuncts; returns the (possibly new) filter subtree.
  LogicalPtr rewrite_filter(LogicalPtr filter);
};

}  // namespace tessera::planner
