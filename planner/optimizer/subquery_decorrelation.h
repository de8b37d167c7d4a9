#pragma once

#include "planner/logical/logical_operator.h"

namespace tessera::catalog {
class FunctionRegistry;
}

namespace tessera::planner {

/// What building a domain join takes from outside the plan (both null: none are built).
struct DomainContext {
  const catalog::FunctionRegistry* functions = nullptr;
  uint32_t* table_indexes = nullptr;
};

/// Turns correlated subqueries into joins, so that they run once instead of once per outer row.
/// A subquery refers to the outer row through BoundParameter(i) (= `correlated[i]` evaluated
/// in the outer row). When every parameter of a subquery sits in conjuncts of its WHERE / ON /
/// join conditions, under row-wise operators (projection, filter, inner/cross join, the left
/// side of a LEFT / semi / anti / mark join, scan, values, ORDER BY) or, for `inner = outer`
/// key equalities, also under operators that group rows (GROUP BY, DISTINCT, windows, LIMIT 1),
/// which get the inner keys added to their groups (the dependent join's domain pushed down,
/// after Neumann and Kemper, with the keys standing for the outer values), those conjuncts are
/// lifted out of the subquery, the parameters replaced by the outer expressions, and they
/// become join conditions:
/// - a WHERE conjunct `EXISTS (q)` / `NOT EXISTS (q)` becomes a semi / anti join of the
///   filter's input with q's body, on the lifted conditions (any shape: equalities become hash
///   keys, the rest the join's residual);
/// - a WHERE conjunct `x op ANY (q)` (`x IN (q)`) becomes a semi join on `x op q's column` and
///   the lifted conditions (in a WHERE clause NULL and false both reject the row). An
///   uncorrelated q is joined as it is;
/// - a scalar subquery `(SELECT f(agg...) FROM body)` whose lifted conditions are all
///   `inner = outer` equalities, anywhere in a WHERE clause or a select list, becomes a LEFT JOIN
///   with the aggregate grouped by the inner keys; an outer row without a group gets the value
///   the aggregate has over no rows (count is 0, not NULL); one without an aggregate (a
///   row-wise body) becomes a single-match LEFT JOIN (a second joining row raises 21000).
/// - a dependent join (LATERAL) whose right side's correlation can be lifted the same way
///   becomes a LogicalJoin of the same type on the lifted conditions; one whose right side is a
///   scalar aggregate correlated by equalities, NULL over no rows, a LEFT JOIN with the
///   aggregate grouped by the inner keys.
/// - any other `EXISTS (q)` (correlated), `x op ANY (q)` / `x IN (q)` or `x op ALL (q)` (ALL is
///   NOT (x negated-op ANY (q))) whose correlation can be lifted (or which is uncorrelated),
///   anywhere in a WHERE / HAVING clause (under OR, NOT, CASE ...), a select list or the ON
///   clause of an inner join, becomes a mark join of the input with q's body: its boolean mark
///   column replaces the subquery. The mark of ANY / ALL is three-valued (null-aware) unless
///   the subquery sits in a WHERE clause under AND / OR only, where NULL and false agree.
/// - subqueries in aggregate and window function arguments, groups, PARTITION BY and window
///   ORDER BY join the operator's input; those in a LEFT
///   JOIN's ON clause reading only one side join that side (lazily: no join that can fail).
/// - a subquery whose correlation does not lift so (a non-equality below GROUP BY, DISTINCT
///   [ON], a window or a scalar aggregate) is evaluated for the whole domain of its outer values
///   at once (Neumann and Kemper's general dependent join): the outer input is materialized,
///   the domain D = DISTINCT (the correlated outer values) read from it joins the subquery's
///   row-wise bottom on the lifted conjuncts (parameter i becoming D's column i), D's columns
///   are carried up through the operators above (group keys, PARTITION BY, DISTINCT ON keys,
///   projected columns; parameters above the bottom read them), and the result joins the outer
///   rows on `outer value = D column`. Only when every parameter sits in a lifted conjunct that
///   is NULL when it is NULL (a strict comparison): an outer row with a NULL value then sees the
///   subquery's result over no rows, which the equality join gives it (no row; an aggregate's
///   value over no rows; NOT EXISTS true). Shapes: a scalar aggregate at the top (LEFT JOIN,
///   empty-input values as above), a scalar subquery without one (single-match LEFT JOIN, so
///   21000 is raised for an outer value with two rows), a WHERE conjunct [NOT] EXISTS
///   (semi / anti join), another EXISTS (mark join). LIMIT / OFFSET become a row_number()
///   filter per D value; a set operation's arms each join a D of their own; a derived table
///   reading the outer row (a dependent join of one empty row with it) is inlined.
/// Other subqueries stay parameterized subplans, run per distinct outer value.
class SubqueryDecorrelation {
 public:
  /// Without `functions` (the equality operators the domain joins use) and `table_indexes`
  /// (the statement's table index counter, for the operators the domain join adds), no domain
  /// joins are built.
  explicit SubqueryDecorrelation(const catalog::FunctionRegistry* functions = nullptr, uint32_t* table_indexes = nullptr)
      : domain_{functions, table_indexes} {}

  LogicalPtr rewrite(LogicalPtr plan);

 private:
  LogicalPtr rewrite_filter(LogicalPtr filter);
  LogicalPtr rewrite_join(LogicalPtr join);
  LogicalPtr rewrite_projection(LogicalPtr projection);
  LogicalPtr rewrite_aggregate(LogicalPtr aggregate);
  LogicalPtr rewrite_window(LogicalPtr window);
  LogicalPtr rewrite_dependent_join(LogicalPtr join);

  DomainContext domain_;
};

}  // namespace tessera::planner
