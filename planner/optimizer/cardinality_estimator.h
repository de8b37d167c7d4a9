#pragma once

#include <map>
#include <vector>

#include "planner/logical/logical_operator.h"

namespace tessera::planner {

/// Selectivities used where statistics are missing (PostgreSQL's, from utils/selfuncs.h).
inline constexpr double kDefaultEqSel = 0.005;              ///< col = value
inline constexpr double kDefaultIneqSel = 1.0 / 3.0;        ///< col < value (any of < <= > >=)
inline constexpr double kDefaultRangeIneqSel = 0.005;       ///< lo < col AND col < hi
inline constexpr double kDefaultMatchSel = 0.005;           ///< col LIKE pattern
inline constexpr double kDefaultNullSel = 0.005;            ///< col IS NULL
inline constexpr double kDefaultNumDistinct = 200;          ///< distinct values of an unknown column
inline constexpr double kDefaultBooleanSel = 0.5;           ///< a boolean column, subquery or parameter
inline constexpr double kDefaultFunctionSel = 1.0 / 3.0;    ///< any other boolean function
inline constexpr double kDefaultLimitFraction = 0.1;        ///< LIMIT of a value unknown at planning

/// What the estimator knows about one column of an operator's output.
struct ColumnEstimate {
  /// Estimated distinct non-NULL values, at most the operator's rows.
  double distinct = 0;
  /// Fraction of the rows that are NULL.
  double null_fraction = 0;
  /// Numeric columns with a known minimum and maximum (as doubles).
  bool has_range = false;
  double min = 0;
  double max = 0;
};

/// The estimate of one operator's output: rows, and the columns statistics are known for.
struct RelationEstimate {
  double rows = 1;
  std::map<ColumnBinding, ColumnEstimate> columns;
};

/// The optimizer pass that sets `estimated_rows` on every operator of a logical plan, bottom
/// up, after the logical rewrites. Base tables give their statistics (catalog::TableEntry::
/// statistics: row count, per column distinct count, NULL fraction, min/max); predicates scale
/// them by selectivities computed as PostgreSQL's selfuncs do without most-common-value lists
/// and histograms:
/// - `col = const` is (1 - nullfrac) / ndistinct (0 when the constant lies outside min..max),
///   `<>` its complement less the NULLs; `<`, `<=`, `>`, `>=` interpolate linearly between min
///   and max of a numeric column; a range on both sides of one column (BETWEEN) is
///   lo + hi - 1 (clauselist_selectivity's range pairs); `IN (...)` (an OR of equalities of one
///   column) is the sum of the equalities, at most 1;
/// - without statistics, the defaults above;
/// - NOT is 1 - s, AND the product (but for range pairs), OR s1 + s2 - s1 * s2;
/// - IS NULL the column's NULL fraction.
/// Operators: an equi-join is |L| * |R| / max(ndistinct(l), ndistinct(r)) per key (eqjoinsel
/// without MCVs; other join conditions by their selectivity), LEFT/RIGHT/FULL joins at least
/// their preserved sides, a cross join |L| * |R|; an aggregate the product of its keys'
/// distinct counts, at most its input (1 without GROUP BY); DISTINCT likewise over all
/// columns; LIMIT the smaller of its input and the limit; VALUES its row count. Distinct
/// counts shrink with the rows a filter keeps (PostgreSQL's d * (1 - ((N - n) / N)^(N / d))),
/// and a filter's conjuncts narrow their columns for the operators above (one value after
/// `col = const`, moved bounds after a range, no NULLs after a comparison).
/// No estimate is below one row.
class CardinalityEstimator {
 public:
  /// Estimates `op` and every operator below it; returns the estimate of `op`'s output.
  RelationEstimate estimate(LogicalOperator& op);

  /// The fraction of the rows described by `input` for which `predicate` is true.
  static double selectivity(const BoundExpression& predicate, const RelationEstimate& input);
  /// The fraction for which all `conjuncts` are true.
  static double conjunction_selectivity(const std::vector<const BoundExpression*>& conjuncts,
                                        const RelationEstimate& input);
};

}  // namespace tessera::planner
