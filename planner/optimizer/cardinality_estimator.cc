#include "planner/optimizer/cardinality_estimator.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

#include "catalog/catalog_entry.h"
#include "src/common/stack_guard.h"

namespace tessera::planner {

namespace {

const BoundExpression& strip_casts(const BoundExpression& expr) {
  const BoundExpression* e = &expr;
  while (e->kind == BoundExprKind::kCast) e = static_cast<const BoundCast*>(e)->child.get();
  return *e;
}

bool has_column_refs(const BoundExpression& expr) {
  bool any = false;
  visit_expression(expr, [&](const BoundExpression& e) {
    if (e.kind == BoundExprKind::kColumnRef) any = true;
  });
  return any;
}

/// The statistics of `expr` when it is a column (possibly cast) whose statistics are known.
const ColumnEstimate* column_of(const BoundExpression& expr, const RelationEstimate& input) {
  const BoundExpression& e = strip_casts(expr);
  if (e.kind != BoundExprKind::kColumnRef) return nullptr;
  auto it = input.columns.find(static_cast<const BoundColumnRef&>(e).binding);
  return it == input.columns.end() ? nullptr : &it->second;
}

/// The binding of `expr` when it is a column (possibly cast).
std::optional<ColumnBinding> binding_of(const BoundExpression& expr) {
  const BoundExpression& e = strip_casts(expr);
  if (e.kind != BoundExprKind::kColumnRef) return std::nullopt;
  return static_cast<const BoundColumnRef&>(e).binding;
}

/// The value of `expr` when it is a constant (possibly cast).
const Value* constant_of(const BoundExpression& expr) {
  const BoundExpression& e = strip_casts(expr);
  return e.kind == BoundExprKind::kConstant ? &static_cast<const BoundConstant&>(e).value : nullptr;
}

/// A numeric value as a double on the number line (nullopt for NULL, NaN and other types).
std::optional<double> numeric_value(const Value& v) {
  if (v.is_null()) return std::nullopt;
  switch (v.type().id()) {
    case LogicalTypeId::kBoolean:
    case LogicalTypeId::kSmallint:
    case LogicalTypeId::kInteger:
    case LogicalTypeId::kBigint: return static_cast<double>(v.get_int64());
    case LogicalTypeId::kDouble:
    case LogicalTypeId::kReal:
      if (std::isnan(v.get_double())) return std::nullopt;
      return v.get_double();
    default: return std::nullopt;
  }
}

double clamp01(double s) { return s < 0 ? 0 : s > 1 ? 1 : s; }

/// Distinct values of `column` (unknown: PostgreSQL's default, or the rows when fewer).
double distinct_of(const ColumnEstimate* column, double rows) {
  if (column) return std::max(1.0, std::min(column->distinct, rows));
  return std::max(1.0, std::min(kDefaultNumDistinct, rows));
}

enum class CompareOp : uint8_t { kEq, kNe, kLt, kLe, kGt, kGe, kDistinct, kNotDistinct };

std::optional<CompareOp> compare_op(const std::string& name) {
  if (name == "=") return CompareOp::kEq;
  if (name == "<>") return CompareOp::kNe;
  if (name == "<") return CompareOp::kLt;
  if (name == "<=") return CompareOp::kLe;
  if (name == ">") return CompareOp::kGt;
  if (name == ">=") return CompareOp::kGe;
  if (name == "IS DISTINCT FROM") return CompareOp::kDistinct;
  if (name == "IS NOT DISTINCT FROM") return CompareOp::kNotDistinct;
  return std::nullopt;
}

/// `a op b` as `b flipped(op) a`.
CompareOp flip(CompareOp op) {
  switch (op) {
    case CompareOp::kLt: return CompareOp::kGt;
    case CompareOp::kLe: return CompareOp::kGe;
    case CompareOp::kGt: return CompareOp::kLt;
    case CompareOp::kGe: return CompareOp::kLe;
    default: return op;
  }
}

bool is_range(CompareOp op) {
  return op == CompareOp::kLt || op == CompareOp::kLe || op == CompareOp::kGt || op == CompareOp::kGe;
}

/// A comparison put in the form `column_side op other_side`, with the side that reads columns
/// first when only one does.
struct Comparison {
  CompareOp op;
  const BoundExpression* left;
  const BoundExpression* right;
};

std::optional<Comparison> as_comparison(const BoundExpression& expr) {
  if (expr.kind != BoundExprKind::kFunction) return std::nullopt;
  const auto& f = static_cast<const BoundFunction&>(expr);
  if (f.children.size() != 2) return std::nullopt;
  auto op = compare_op(f.function->name);
  if (!op) return std::nullopt;
  Comparison c{*op, f.children[0].get(), f.children[1].get()};
  if (!has_column_refs(*c.left) && has_column_refs(*c.right)) {
    std::swap(c.left, c.right);
    c.op = flip(c.op);
  }
  return c;
}

/// Selectivity of `col = x` for a column against a value that reads no columns of the input
/// (`value` when it is a known constant).
double equality_selectivity(const ColumnEstimate* column, const Value* value) {
  if (!column) return kDefaultEqSel;
  if (column->distinct <= 0) return 0;
  if (value && column->has_range) {
    if (auto v = numeric_value(*value); v && (*v < column->min || *v > column->max)) return 0;
  }
  return clamp01((1 - column->null_fraction) / column->distinct);
}

/// Selectivity of `col op value` for a range operator; nullopt when it must be the default.
std::optional<double> range_selectivity(CompareOp op, const ColumnEstimate* column, const Value* value) {
  if (!column || !column->has_range || !value) return std::nullopt;
  auto v = numeric_value(*value);
  if (!v) return std::nullopt;
  const double lo = column->min;
  const double hi = column->max;
  // Fraction of the non-NULL values below v, and equal to it.
  double below;
  if (*v < lo) {
    below = 0;
  } else if (*v > hi) {
    below = 1;
  } else if (hi == lo) {
    below = 0;
  } else {
    below = (*v - lo) / (hi - lo);
  }
  const double equal = (*v >= lo && *v <= hi && column->distinct > 0) ? 1 / column->distinct : 0;
  double fraction = 0;
  switch (op) {
    case CompareOp::kLt: fraction = below; break;
    case CompareOp::kLe: fraction = below + equal; break;
    case CompareOp::kGt: fraction = 1 - below - equal; break;
    case CompareOp::kGe: fraction = 1 - below; break;
    default: break;
  }
  return clamp01(fraction) * (1 - column->null_fraction);
}

double comparison_selectivity(const Comparison& c, const RelationEstimate& input) {
  const bool right_reads_columns = has_column_refs(*c.right);
  const ColumnEstimate* left = column_of(*c.left, input);
  if (!right_reads_columns) {
    const Value* value = constant_of(*c.right);
    const bool null_value = value && value->is_null();
    const double nulls = left ? left->null_fraction : kDefaultNullSel;
    switch (c.op) {
      case CompareOp::kEq:
        return null_value ? 0 : equality_selectivity(left, value);
      case CompareOp::kNe:
        return null_value ? 0 : clamp01(1 - equality_selectivity(left, value) - nulls);
      case CompareOp::kNotDistinct:
        return null_value ? nulls : equality_selectivity(left, value);
      case CompareOp::kDistinct:
        return null_value ? 1 - nulls : clamp01(1 - equality_selectivity(left, value));
      default:
        if (null_value) return 0;
        return range_selectivity(c.op, left, value).value_or(kDefaultIneqSel);
    }
  }
  // Both sides read columns: eqjoinsel without most-common values.
  const ColumnEstimate* right = column_of(*c.right, input);
  double equal = kDefaultEqSel;
  if (left && right) {
    const double d = std::max(distinct_of(left, input.rows), distinct_of(right, input.rows));
    equal = (1 - left->null_fraction) * (1 - right->null_fraction) / d;
  }
  switch (c.op) {
    case CompareOp::kEq:
    case CompareOp::kNotDistinct: return clamp01(equal);
    case CompareOp::kNe:
    case CompareOp::kDistinct: return clamp01(1 - equal);
    default: return kDefaultIneqSel;
  }
}

/// Selectivity of `expr IS NULL`.
double null_selectivity(const BoundExpression& expr, const RelationEstimate& input) {
  if (const Value* v = constant_of(expr)) return v->is_null() ? 1 : 0;
  if (const ColumnEstimate* column = column_of(expr, input)) return column->null_fraction;
  return kDefaultNullSel;
}

/// `x = c1 OR x = c2 ...` with one column x and values that read no columns (IN lists):
/// the sum of the equalities (distinct values are disjoint), at most 1.
std::optional<double> in_list_selectivity(const BoundConjunction& disjunction, const RelationEstimate& input) {
  std::optional<ColumnBinding> column;
  double sum = 0;
  for (const auto& child : disjunction.children) {
    auto c = as_comparison(*child);
    if (!c || c->op != CompareOp::kEq || has_column_refs(*c->right)) return std::nullopt;
    auto binding = binding_of(*c->left);
    if (!binding || (column && !(*column == *binding))) return std::nullopt;
    column = binding;
    const Value* value = constant_of(*c->right);
    sum += (value && value->is_null()) ? 0 : equality_selectivity(column_of(*c->left, input), value);
  }
  return std::min(1.0, sum);
}

void flatten_and(const BoundExpression& expr, std::vector<const BoundExpression*>& out) {
  check_stack_depth();
  if (expr.kind == BoundExprKind::kConjunction && static_cast<const BoundConjunction&>(expr).is_and) {
    for (const auto& c : static_cast<const BoundConjunction&>(expr).children) flatten_and(*c, out);
    return;
  }
  out.push_back(&expr);
}

/// PostgreSQL's adjustment of a column's distinct count when `rows` of `input_rows` rows are
/// kept at random: the expected number of distinct values among them.
double reduced_distinct(double distinct, double input_rows, double rows) {
  if (distinct <= 0) return 0;
  if (rows >= input_rows) return std::min(distinct, rows);
  const double kept = distinct * (1 - std::pow((input_rows - rows) / input_rows, input_rows / distinct));
  return std::clamp(kept, std::min(1.0, distinct), std::max(1.0, rows));
}

/// Scales `estimate` to `rows` output rows (at least one), shrinking distinct counts.
void set_rows(RelationEstimate& estimate, double rows) {
  rows = std::max(1.0, rows);
  for (auto& [binding, column] : estimate.columns) column.distinct = reduced_distinct(column.distinct, estimate.rows, rows);
  estimate.rows = rows;
}

/// The value of a LIMIT/OFFSET expression when it is a constant.
std::optional<double> limit_value(const BoundExprPtr& expr) {
  if (!expr) return std::nullopt;
  const Value* v = constant_of(*expr);
  if (!v || v->is_null()) return std::nullopt;
  return numeric_value(*v);
}

/// NULL fraction of a join's nullable side: its rows keep theirs, the rows added for the
/// unmatched other side are NULL.
void pad_with_nulls(RelationEstimate& out, const RelationEstimate& side, double matched_rows) {
  const double padded = std::max(0.0, out.rows - matched_rows);
  for (const auto& [binding, column] : side.columns) {
    auto& c = out.columns[binding];
    const double matched = std::min(matched_rows, out.rows);
    c.null_fraction = clamp01((matched * column.null_fraction + padded) / out.rows);
  }
}

/// What a conjunct that held tells about its column in the rows that pass: `col = const`
/// leaves one value, a range comparison moves the bounds, and any comparison or IS NOT NULL
/// leaves no NULLs.
void narrow_column(const BoundExpression& conjunct, RelationEstimate& estimate) {
  if (conjunct.kind == BoundExprKind::kBooleanTest) {
    const auto& test = static_cast<const BoundBooleanTest&>(conjunct);
    auto binding = binding_of(*test.child);
    if (test.test != BooleanTest::kIsNotNull || !binding) return;
    if (auto it = estimate.columns.find(*binding); it != estimate.columns.end()) it->second.null_fraction = 0;
    return;
  }
  auto c = as_comparison(conjunct);
  if (!c || c->op == CompareOp::kDistinct || c->op == CompareOp::kNotDistinct || has_column_refs(*c->right)) return;
  auto binding = binding_of(*c->left);
  if (!binding) return;
  auto it = estimate.columns.find(*binding);
  if (it == estimate.columns.end()) return;
  ColumnEstimate& column = it->second;
  column.null_fraction = 0;
  const Value* value = constant_of(*c->right);
  if (!value || value->is_null()) return;
  const auto v = numeric_value(*value);
  // A cast column compares in the cast's type: its bounds stay as they were.
  const bool same_type = strip_casts(*c->left).type == c->left->type;
  switch (c->op) {
    case CompareOp::kEq:
      column.distinct = std::min(column.distinct, 1.0);
      if (v && same_type) {
        column.has_range = true;
        column.min = column.max = *v;
      }
      break;
    case CompareOp::kLt:
    case CompareOp::kLe:
      if (v && same_type && column.has_range) column.max = std::max(column.min, std::min(column.max, *v));
      break;
    case CompareOp::kGt:
    case CompareOp::kGe:
      if (v && same_type && column.has_range) column.min = std::min(column.max, std::max(column.min, *v));
      break;
    default: break;
  }
}

}  // namespace

double CardinalityEstimator::selectivity(const BoundExpression& predicate, const RelationEstimate& input) {
  check_stack_depth();
  switch (predicate.kind) {
    case BoundExprKind::kConstant: {
      const Value& v = static_cast<const BoundConstant&>(predicate).value;
      return (v.is_null() || !v.get_bool()) ? 0 : 1;
    }
    case BoundExprKind::kColumnRef: {
      const ColumnEstimate* column = column_of(predicate, input);
      if (!column || !column->has_range) return kDefaultBooleanSel;
      const double non_null = 1 - column->null_fraction;
      if (column->min == column->max) return column->max != 0 ? non_null : 0;
      return non_null / 2;
    }
    case BoundExprKind::kConjunction: {
      const auto& conjunction = static_cast<const BoundConjunction&>(predicate);
      if (conjunction.is_and) {
        std::vector<const BoundExpression*> conjuncts;
        flatten_and(predicate, conjuncts);
        return conjunction_selectivity(conjuncts, input);
      }
      if (auto s = in_list_selectivity(conjunction, input)) return *s;
      double s = 0;
      for (const auto& child : conjunction.children) {
        const double c = selectivity(*child, input);
        s = s + c - s * c;
      }
      return clamp01(s);
    }
    case BoundExprKind::kBooleanTest: {
      const auto& test = static_cast<const BoundBooleanTest&>(predicate);
      switch (test.test) {
        case BooleanTest::kNot: return clamp01(1 - selectivity(*test.child, input));
        case BooleanTest::kIsNull: return null_selectivity(*test.child, input);
        case BooleanTest::kIsNotNull: return clamp01(1 - null_selectivity(*test.child, input));
        case BooleanTest::kIsTrue: return selectivity(*test.child, input);
        case BooleanTest::kIsNotTrue: return clamp01(1 - selectivity(*test.child, input));
        case BooleanTest::kIsFalse:
          return clamp01(1 - selectivity(*test.child, input) - null_selectivity(*test.child, input));
        case BooleanTest::kIsNotFalse:
          return clamp01(selectivity(*test.child, input) + null_selectivity(*test.child, input));
      }
      return kDefaultBooleanSel;
    }
    case BoundExprKind::kFunction: {
      if (auto c = as_comparison(predicate)) return comparison_selectivity(*c, input);
      const std::string& name = static_cast<const BoundFunction&>(predicate).function->name;
      if (name == "~~" || name == "~~*") return kDefaultMatchSel;
      if (name == "!~~" || name == "!~~*") return 1 - kDefaultMatchSel;
      return kDefaultFunctionSel;
    }
    default:
      // Subqueries, parameters, CASE, COALESCE.
      return kDefaultBooleanSel;
  }
}

double CardinalityEstimator::conjunction_selectivity(const std::vector<const BoundExpression*>& conjuncts,
                                                     const RelationEstimate& input) {
  // Range comparisons of one expression with values are paired as clauselist_selectivity
  // does: `x > lo AND x < hi` is lo_sel + hi_sel - 1, not their product (the default
  // kDefaultRangeIneqSel when either side has no statistics).
  struct RangePair {
    const BoundExpression* expression = nullptr;  // the compared expression (often a column)
    std::optional<double> above;        // selectivity of the `x > value` side (the most restrictive)
    std::optional<double> below;        // of the `x < value` side
    bool defaulted = false;
    double null_fraction = 0;
  };
  std::vector<RangePair> ranges;
  double s = 1;
  for (const BoundExpression* conjunct : conjuncts) {
    auto c = as_comparison(*conjunct);
    if (!c || !is_range(c->op) || has_column_refs(*c->right) || !has_column_refs(*c->left)) {
      s *= selectivity(*conjunct, input);
      continue;
    }
    const ColumnEstimate* column = column_of(*c->left, input);
    const Value* value = constant_of(*c->right);
    if (value && value->is_null()) {
      s = 0;
      continue;
    }
    auto known = range_selectivity(c->op, column, value);
    auto it = std::find_if(ranges.begin(), ranges.end(),
                           [&](const RangePair& p) { return p.expression->equals(*c->left); });
    if (it == ranges.end()) {
      RangePair fresh;
      fresh.expression = c->left;
      it = ranges.insert(ranges.end(), fresh);
    }
    RangePair& pair = *it;
    pair.defaulted = pair.defaulted || !known;
    pair.null_fraction = column ? column->null_fraction : 0;
    const double sel = known.value_or(kDefaultIneqSel);
    auto& side = (c->op == CompareOp::kGt || c->op == CompareOp::kGe) ? pair.above : pair.below;
    side = side ? std::min(*side, sel) : sel;
  }
  for (const auto& pair : ranges) {
    if (pair.above && pair.below) {
      double range;
      if (pair.defaulted) {
        range = kDefaultRangeIneqSel;
      } else {
        // Both sides exclude the NULLs: add them back once.
        range = *pair.above + *pair.below - 1 + pair.null_fraction;
        if (range <= 0) range = range < -0.01 ? kDefaultRangeIneqSel : 1.0e-10;
      }
      s *= range;
    } else {
      s *= pair.above ? *pair.above : *pair.below;
    }
  }
  return clamp01(s);
}

RelationEstimate CardinalityEstimator::estimate(LogicalOperator& op) {
  check_stack_depth();
  std::vector<RelationEstimate> inputs;
  inputs.reserve(op.children.size());
  for (auto& child : op.children) inputs.push_back(estimate(*child));

  RelationEstimate out;
  auto filter_by = [](RelationEstimate& estimate, const std::vector<BoundExprPtr>& conjuncts) {
    if (conjuncts.empty()) return;
    std::vector<const BoundExpression*> list;
    for (const auto& c : conjuncts) flatten_and(*c, list);
    set_rows(estimate, estimate.rows * conjunction_selectivity(list, estimate));
    for (const BoundExpression* c : list) narrow_column(*c, estimate);
  };
  switch (op.kind) {
    case LogicalOperatorKind::kGet: {
      auto& get = static_cast<LogicalGet&>(op);
      const storage::TableStatistics stats = get.table->statistics();
      out.rows = std::max(1.0, stats.row_count);
      for (size_t i = 0; i < stats.columns.size(); i++) {
        const storage::ColumnStatistics& column = stats.columns[i];
        ColumnEstimate c;
        c.distinct = std::min(column.distinct_count, out.rows);
        c.null_fraction = column.null_fraction;
        auto lo = numeric_value(column.min);
        auto hi = numeric_value(column.max);
        if (lo && hi) {
          c.has_range = true;
          c.min = *lo;
          c.max = *hi;
        }
        out.columns[ColumnBinding{get.table_index, static_cast<uint32_t>(i)}] = c;
      }
      filter_by(out, get.filters);
      break;
    }
    case LogicalOperatorKind::kFilter:
      out = std::move(inputs[0]);
      filter_by(out, static_cast<LogicalFilter&>(op).conjuncts);
      break;
    case LogicalOperatorKind::kProjection: {
      const auto& projection = static_cast<const LogicalProjection&>(op);
      out.rows = inputs[0].rows;
      for (size_t i = 0; i < projection.expressions.size(); i++) {
        const BoundExpression& e = *projection.expressions[i];
        const ColumnBinding binding{projection.table_index, static_cast<uint32_t>(i)};
        if (const ColumnEstimate* column = column_of(e, inputs[0])) {
          out.columns[binding] = *column;
        } else if (const Value* v = constant_of(e)) {
          ColumnEstimate c;
          c.distinct = v->is_null() ? 0 : 1;
          c.null_fraction = v->is_null() ? 1 : 0;
          if (auto n = numeric_value(*v)) {
            c.has_range = true;
            c.min = c.max = *n;
          }
          out.columns[binding] = c;
        }
      }
      break;
    }
    case LogicalOperatorKind::kAggregate: {
      const auto& aggregate = static_cast<const LogicalAggregate&>(op);
      const RelationEstimate& input = inputs[0];
      if (aggregate.groups.empty()) {
        out.rows = std::max<double>(1, static_cast<double>(aggregate.grouping_sets.size()));
        break;
      }
      // The groups of one set of columns: the product of their distinct counts, at most the input.
      auto set_groups = [&](const std::vector<uint32_t>& set) {
        double groups = 1;
        for (uint32_t i : set) groups *= distinct_of(column_of(*aggregate.groups[i], input), input.rows);
        return std::max(1.0, std::min(groups, input.rows));
      };
      if (aggregate.grouping_sets.empty()) {
        std::vector<uint32_t> all(aggregate.groups.size());
        for (size_t i = 0; i < all.size(); i++) all[i] = static_cast<uint32_t>(i);
        out.rows = set_groups(all);
      } else {
        // Each grouping set groups separately; a set without columns is one row.
        out.rows = 0;
        for (const auto& set : aggregate.grouping_sets) out.rows += set_groups(set);
      }
      for (size_t i = 0; i < aggregate.groups.size(); i++) {
        if (const ColumnEstimate* column = column_of(*aggregate.groups[i], input)) {
          ColumnEstimate c = *column;
          c.distinct = std::min(c.distinct, out.rows);
          out.columns[ColumnBinding{aggregate.group_index, static_cast<uint32_t>(i)}] = c;
        }
      }
      break;
    }
    case LogicalOperatorKind::kDistinct: {
      const RelationEstimate& input = inputs[0];
      double groups = 1;
      for (const auto& binding : op.output_bindings()) {
        auto it = input.columns.find(binding);
        groups *= distinct_of(it == input.columns.end() ? nullptr : &it->second, input.rows);
      }
      out = std::move(inputs[0]);
      out.rows = std::max(1.0, std::min(groups, out.rows));
      for (auto& [binding, column] : out.columns) column.distinct = std::min(column.distinct, out.rows);
      break;
    }
    case LogicalOperatorKind::kJoin: {
      const auto& join = static_cast<const LogicalJoin&>(op);
      const RelationEstimate& left = inputs[0];
      const RelationEstimate& right = inputs[1];
      RelationEstimate both;
      both.rows = left.rows * right.rows;
      both.columns = left.columns;
      both.columns.insert(right.columns.begin(), right.columns.end());
      std::vector<const BoundExpression*> conditions;
      for (const auto& c : join.conditions) flatten_and(*c, conditions);
      const double matched = both.rows * conjunction_selectivity(conditions, both);
      if (outputs_left_only(join.join_type)) {
        // Each left row at most once: those with a match (semi) or the others (anti).
        const double with_match = std::min(left.rows, matched);
        out = left;
        set_rows(out, join.join_type == JoinType::kSemi ? with_match : std::max(left.rows - with_match, 0.1 * left.rows));
        break;
      }
      if (join.join_type == JoinType::kMark) {
        // Every left row once, with its mark.
        out = left;
        break;
      }
      double rows = matched;
      switch (join.join_type) {
        case JoinType::kInner:
        case JoinType::kCross: break;
        case JoinType::kLeft: rows = std::max(rows, left.rows); break;
        case JoinType::kRight: rows = std::max(rows, right.rows); break;
        case JoinType::kFull: rows = std::max({rows, left.rows, right.rows}); break;
        case JoinType::kSemi:
        case JoinType::kAnti:
        case JoinType::kMark: break;
      }
      out = std::move(both);
      out.rows = std::max(1.0, rows);
      for (auto& [binding, column] : out.columns) column.distinct = std::min(column.distinct, out.rows);
      if (join.join_type == JoinType::kLeft || join.join_type == JoinType::kFull) pad_with_nulls(out, right, matched);
      if (join.join_type == JoinType::kRight || join.join_type == JoinType::kFull) pad_with_nulls(out, left, matched);
      break;
    }
    case LogicalOperatorKind::kDependentJoin: {
      // The right side's estimate is for one left row.
      const auto& join = static_cast<const LogicalDependentJoin&>(op);
      const double left_rows = inputs[0].rows;
      const double rows = left_rows * inputs[1].rows;
      out = std::move(inputs[0]);
      out.columns.insert(inputs[1].columns.begin(), inputs[1].columns.end());
      out.rows = std::max(1.0, join.join_type == JoinType::kLeft ? std::max(rows, left_rows) : rows);
      for (auto& [binding, column] : out.columns) column.distinct = std::min(column.distinct, out.rows);
      break;
    }
    case LogicalOperatorKind::kOrder:
    case LogicalOperatorKind::kWindow:
      // Window functions add columns; the rows are the input's.
      out = std::move(inputs[0]);
      break;
    case LogicalOperatorKind::kLimit: {
      const auto& limit = static_cast<const LogicalLimit&>(op);
      out = std::move(inputs[0]);
      double rows = out.rows;
      if (auto offset = limit_value(limit.offset)) rows -= std::max(0.0, *offset);
      if (limit.limit) {
        auto count = limit_value(limit.limit);
        rows = count ? std::min(rows, std::max(0.0, *count)) : rows * kDefaultLimitFraction;
      }
      set_rows(out, rows);
      break;
    }
    case LogicalOperatorKind::kValues:
      out.rows = std::max(1.0, static_cast<double>(static_cast<const LogicalValues&>(op).rows.size()));
      break;
    case LogicalOperatorKind::kTableFunction:
      out.rows = std::max(1.0, static_cast<const LogicalTableFunction&>(op).schema.estimated_rows);
      break;
    case LogicalOperatorKind::kCopyFrom:
      out.rows = 1000;
      break;
    case LogicalOperatorKind::kSetOperation: {
      // UNION ALL adds its inputs; the others at most the left input (UNION: both, deduplicated).
      const auto& set_op = static_cast<const LogicalSetOperation&>(op);
      if (set_op.set_kind == SetOperationKind::kUnion) {
        out.rows = inputs[0].rows + inputs[1].rows;
      } else {
        out.rows = inputs[0].rows;
      }
      break;
    }
    case LogicalOperatorKind::kMaterializedCte:
      out = std::move(inputs[1]);
      break;
    case LogicalOperatorKind::kRecursiveCte:
      out.rows = inputs[0].rows + inputs[1].rows;
      break;
    case LogicalOperatorKind::kCteScan: {
      const auto& scan = static_cast<const LogicalCteScan&>(op);
      out.rows = scan.source && !scan.working_table ? scan.source->estimated_rows : inputs.empty() ? 1 : inputs[0].rows;
      break;
    }
    default:
      // Statements that return no rows (INSERT, DDL) or a few (EXPLAIN, SHOW).
      out.rows = 1;
      break;
  }
  op.estimated_rows = out.rows;
  return out;
}

}  // namespace tessera::planner
