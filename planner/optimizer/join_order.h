#pragma once

#include <cstddef>

#include "planner/logical/logical_operator.h"

namespace tessera::planner {

/// Chooses the order of inner and cross joins by estimated cost.
///
/// A join region is a tree of inner/cross LogicalJoins; its leaves are every other operator
/// below (scans with their pushed filters, outer joins, aggregates, subqueries — each
/// reordered inside on its own), and its conditions are the join conditions of all its joins
/// (after filter pushdown, each conjunct sits at a join whose inputs it reads). The region is
/// rebuilt as the cheapest tree found, each condition placed at the lowest join that has all
/// the leaves it reads:
/// - the rows of a set of leaves are the product of the leaves' estimated rows
///   (CardinalityEstimator) times the selectivity of every condition the set covers
///   (independence, as PostgreSQL's clauselist selectivity); a join's cost is its output rows
///   plus, for a hash join (an equality between the two sides), both inputs, or for any other
///   join the product of the inputs; a tree's cost is the sum over its joins (C_out with a
///   nested-loop penalty);
/// - up to kExhaustiveLimit leaves: dynamic programming over the subsets of the leaves, a
///   subset built from two halves a condition joins whenever it can be, so a cross product
///   appears only where no condition connects two parts (or only a condition over three or
///   more leaves does);
/// - beyond: greedy (GOO), repeatedly joining the two connected parts whose join has the
///   fewest rows, then cross-joining what remains, smallest first.
/// Output columns are named by bindings, so parents are unaffected by the new order.
class JoinOrderOptimizer {
 public:
  static constexpr size_t kExhaustiveLimit = 12;

  LogicalPtr optimize(LogicalPtr plan);
};

}  // namespace tessera::planner
