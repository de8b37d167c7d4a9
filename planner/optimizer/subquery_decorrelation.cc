#include "planner/optimizer/subquery_decorrelation.h"

#include <algorithm>
#include <functional>

#include "catalog/function_registry.h"
#include "src/common/assert.h"
#include "src/common/sql_error.h"
#include "src/common/vector.h"

namespace tessera::planner {

namespace {

bool has_parameters(const BoundExpression& expr) { return contains_expression(expr, BoundExprKind::kParameter); }

/// Whether `expr` reads the subquery's own rows (columns, or a nested subquery).
bool has_column_refs(const BoundExpression& expr) {
  return contains_expression(expr, BoundExprKind::kColumnRef) || contains_expression(expr, BoundExprKind::kSubquery);
}

/// Splits an equality into (inner side, outer side) when one side reads only subquery columns
/// and the other only parameters; returns false otherwise.
bool key_sides(BoundExpression& conjunct, BoundExprPtr*& inner, BoundExprPtr*& outer) {
  if (conjunct.kind != BoundExprKind::kFunction || !static_cast<BoundFunction&>(conjunct).function->hashable) return false;
  auto& eq = static_cast<BoundFunction&>(conjunct);
  BoundExprPtr& a = eq.children[0];
  BoundExprPtr& b = eq.children[1];
  auto is_outer = [](const BoundExpression& e) { return has_parameters(e) && !has_column_refs(e); };
  auto is_inner = [](const BoundExpression& e) { return !has_parameters(e) && has_column_refs(e); };
  if (is_inner(*a) && is_outer(*b)) {
    inner = &a;
    outer = &b;
    return true;
  }
  if (is_inner(*b) && is_outer(*a)) {
    inner = &b;
    outer = &a;
    return true;
  }
  return false;
}

/// A conjunct that may move out of the subquery: it reads parameters, holds no nested subquery
/// (whose own correlation would move with it) and, when only equalities may be lifted, is an
/// `inner = outer` key equality.
bool liftable(BoundExpression& conjunct, bool equalities_only) {
  if (contains_expression(conjunct, BoundExprKind::kSubquery)) return false;
  if (!equalities_only) return true;
  BoundExprPtr* inner;
  BoundExprPtr* outer;
  return key_sides(conjunct, inner, outer);
}

/// Checks the correlated conjuncts of a list (each must be liftable) and, when `lifted` is
/// given, moves them out of the list into it.
bool take_correlated(std::vector<BoundExprPtr>& conjuncts, bool equalities_only, std::vector<BoundExprPtr>* lifted) {
  std::vector<BoundExprPtr> kept;
  for (auto& c : conjuncts) {
    if (!has_parameters(*c)) {
      if (lifted) kept.push_back(std::move(c));
      continue;
    }
    if (!liftable(*c, equalities_only)) return false;
    if (lifted) lifted->push_back(std::move(c));
  }
  if (lifted) conjuncts = std::move(kept);
  return true;
}

/// Conjuncts lifted from below a projection read columns the projection may not output: each
/// such column becomes an extra output of the projection, and the conjuncts (from index
/// `first` of `lifted`) read that output instead.
void pass_through_projection(LogicalProjection& projection, std::vector<BoundExprPtr>& lifted, size_t first) {
  for (size_t i = first; i < lifted.size(); i++) {
    rewrite_expression(lifted[i], [&](BoundExpression& e) -> BoundExprPtr {
      if (e.kind != BoundExprKind::kColumnRef) return nullptr;
      const auto& ref = static_cast<const BoundColumnRef&>(e);
      if (ref.binding.table_index == projection.table_index) return nullptr;
      size_t column = projection.expressions.size();
      for (size_t c = 0; c < projection.expressions.size(); c++) {
        if (projection.expressions[c]->equals(ref)) column = c;
      }
      if (column == projection.expressions.size()) projection.expressions.push_back(ref.copy());
      return std::make_unique<BoundColumnRef>(ref.type, ColumnBinding{projection.table_index, static_cast<uint32_t>(column)},
                                              ref.name);
    });
  }
}

/// Whether an expression of `op` or of an operator below it reads a parameter (true for
/// operators whose expressions are not known here).
bool reads_parameters(const LogicalOperator& op) {
  bool found = false;
  auto check = [&](const BoundExprPtr& e) { found = found || (e && has_parameters(*e)); };
  auto check_all = [&](const std::vector<BoundExprPtr>& list) {
    for (const auto& e : list) check(e);
  };
  switch (op.kind) {
    case LogicalOperatorKind::kGet: check_all(static_cast<const LogicalGet&>(op).filters); break;
    case LogicalOperatorKind::kFilter: check_all(static_cast<const LogicalFilter&>(op).conjuncts); break;
    case LogicalOperatorKind::kProjection: check_all(static_cast<const LogicalProjection&>(op).expressions); break;
    case LogicalOperatorKind::kAggregate:
      check_all(static_cast<const LogicalAggregate&>(op).groups);
      check_all(static_cast<const LogicalAggregate&>(op).aggregates);
      break;
    case LogicalOperatorKind::kJoin: check_all(static_cast<const LogicalJoin&>(op).conditions); break;
    case LogicalOperatorKind::kDependentJoin: check_all(static_cast<const LogicalDependentJoin&>(op).correlated); break;
    case LogicalOperatorKind::kWindow: check_all(static_cast<const LogicalWindow&>(op).windows); break;
    case LogicalOperatorKind::kDistinct: check_all(static_cast<const LogicalDistinct&>(op).distinct_on); break;
    case LogicalOperatorKind::kOrder:
      for (const auto& o : static_cast<const LogicalOrder&>(op).orders) check(o.expression);
      break;
    case LogicalOperatorKind::kLimit: {
      const auto& limit = static_cast<const LogicalLimit&>(op);
      check(limit.limit);
      check(limit.offset);
      check_all(limit.tie_keys);
      break;
    }
    case LogicalOperatorKind::kValues:
      for (const auto& row : static_cast<const LogicalValues&>(op).rows) check_all(row);
      break;
    case LogicalOperatorKind::kSetOperation: break;
    default: return true;
  }
  for (const auto& child : op.children) found = found || reads_parameters(*child);
  return found;
}

/// Key equalities `inner = outer` lifted (from index `first` of `lifted`) from below an
/// operator that forms groups of its input's rows (aggregate, DISTINCT, window): the inner key
/// is added to each group, so that the operator computes the groups of every outer value at
/// once (the domain of Neumann and Kemper's dependent join is the inner keys, which equal the
/// outer values). Returns the inner keys, each over the operator's input.
std::vector<BoundExprPtr*> lifted_keys(std::vector<BoundExprPtr>& lifted, size_t first) {
  std::vector<BoundExprPtr*> keys;
  for (size_t i = first; i < lifted.size(); i++) {
    BoundExprPtr* inner;
    BoundExprPtr* outer;
    const bool is_key = key_sides(*lifted[i], inner, outer);
    TS_CHECK(is_key, "subquery decorrelation: a conjunct lifted through a grouping operator is not a key equality");
    keys.push_back(inner);
  }
  return keys;
}

/// Adds the inner `keys` (over the aggregate's input) to its groups, and makes them refer to the
/// group columns instead.
void group_by_keys(LogicalAggregate& aggregate, const std::vector<BoundExprPtr*>& keys) {
  for (BoundExprPtr* key : keys) {
    size_t column = aggregate.groups.size();
    for (size_t c = 0; c < aggregate.groups.size(); c++) {
      if (aggregate.groups[c]->equals(**key)) column = c;
    }
    if (column == aggregate.groups.size()) aggregate.groups.push_back((*key)->copy());
    *key = std::make_unique<BoundColumnRef>((*key)->type,
                                            ColumnBinding{aggregate.group_index, static_cast<uint32_t>(column)},
                                            "subquery key");
  }
}

/// Walks a subquery body whose correlation may be lifted: parameters may appear only in
/// liftable conjuncts of filters, scans and join conditions, and only row-wise operators
/// (projection, filter, inner/cross join, scan, values, ORDER BY without LIMIT) or grouping
/// ones (GROUP BY without grouping sets, DISTINCT over a projection, windows) may lie on the
/// way; below a grouping operator only key equalities may be lifted, and their inner keys join
/// its groups (lifted_keys). Parameter-free subtrees need nothing. With `lifted` null it only
/// checks; otherwise it also moves the correlated conjuncts out into `lifted`.
bool lift_slot(LogicalPtr& slot, bool equalities_only, std::vector<BoundExprPtr>* lifted);

bool lift_correlation(LogicalOperator& op, bool equalities_only, std::vector<BoundExprPtr>* lifted) {
  if (!reads_parameters(op)) return true;
  const size_t before = lifted ? lifted->size() : 0;
  switch (op.kind) {
    case LogicalOperatorKind::kAggregate: {
      auto& aggregate = static_cast<LogicalAggregate&>(op);
      // A scalar aggregate has a row for an outer value without input rows, which grouping
      // by the keys would lose (scalar_aggregate_join restores it at the top only).
      if (aggregate.groups.empty() || !aggregate.grouping_sets.empty()) return false;
      for (const auto& e : aggregate.groups) {
        if (has_parameters(*e)) return false;
      }
      for (const auto& e : aggregate.aggregates) {
        if (has_parameters(*e)) return false;
      }
      if (!lift_slot(op.children[0], true, lifted)) return false;
      if (lifted) group_by_keys(aggregate, lifted_keys(*lifted, before));
      return true;
    }
    case LogicalOperatorKind::kDistinct:
      // DISTINCT over a projection, which outputs the keys (pass_through_projection): each
      // outer value's rows stay distinct among themselves.
      if (!static_cast<LogicalDistinct&>(op).distinct_on.empty() ||
          op.children[0]->kind != LogicalOperatorKind::kProjection) {
        return false;
      }
      return lift_slot(op.children[0], true, lifted);
    case LogicalOperatorKind::kWindow: {
      auto& window = static_cast<LogicalWindow&>(op);
      for (const auto& w : window.windows) {
        if (has_parameters(*w)) return false;
      }
      if (!lift_slot(op.children[0], true, lifted)) return false;
      if (!lifted) return true;
      for (BoundExprPtr* key : lifted_keys(*lifted, before)) {
        for (auto& w : window.windows) static_cast<BoundWindow&>(*w).partitions.push_back((*key)->copy());
      }
      return true;
    }
    case LogicalOperatorKind::kOrder:
      // Without a LIMIT above, the order of a subquery's rows does not matter.
      for (const auto& o : static_cast<LogicalOrder&>(op).orders) {
        if (has_parameters(*o.expression)) return false;
      }
      return lift_slot(op.children[0], equalities_only, lifted);
    default: break;
  }
  switch (op.kind) {
    case LogicalOperatorKind::kGet:
      return take_correlated(static_cast<LogicalGet&>(op).filters, equalities_only, lifted);
    case LogicalOperatorKind::kFilter:
      return take_correlated(static_cast<LogicalFilter&>(op).conjuncts, equalities_only, lifted) &&
             lift_slot(op.children[0], equalities_only, lifted);
    case LogicalOperatorKind::kProjection: {
      for (const auto& e : static_cast<LogicalProjection&>(op).expressions) {
        if (has_parameters(*e)) return false;
      }
      if (!lift_slot(op.children[0], equalities_only, lifted)) return false;
      if (lifted) pass_through_projection(static_cast<LogicalProjection&>(op), *lifted, before);
      return true;
    }
    case LogicalOperatorKind::kJoin: {
      auto& join = static_cast<LogicalJoin&>(op);
      if (join.join_type == JoinType::kLeft || join.join_type == JoinType::kSemi || join.join_type == JoinType::kAnti ||
          join.join_type == JoinType::kMark) {
        // These keep each left row's columns (a decorrelated subquery of the body, say): a
        // conjunct over the left side filters the same rows above the join. Not a single-match
        // join, which could then fail for a left row the conjunct removes.
        if (join.single_match || reads_parameters(*op.children[1])) return false;
        for (const auto& c : join.conditions) {
          if (has_parameters(*c)) return false;
        }
        return lift_slot(op.children[0], equalities_only, lifted);
      }
      if (join.join_type != JoinType::kInner && join.join_type != JoinType::kCross) return false;
      // An inner join's condition may as well be a filter above it.
      if (!take_correlated(join.conditions, equalities_only, lifted)) return false;
      if (lifted && join.conditions.empty()) join.join_type = JoinType::kCross;
      return lift_slot(op.children[0], equalities_only, lifted) &&
             lift_slot(op.children[1], equalities_only, lifted);
    }
    case LogicalOperatorKind::kValues: {
      for (const auto& row : static_cast<LogicalValues&>(op).rows) {
        for (const auto& e : row) {
          if (has_parameters(*e)) return false;
        }
      }
      return true;
    }
    default: return false;
  }
}

/// Whether `op` is `LIMIT 1` (OFFSET 0, no WITH TIES): the first row of its input.
bool first_row_limit(const LogicalOperator& op) {
  if (op.kind != LogicalOperatorKind::kLimit) return false;
  const auto& limit = static_cast<const LogicalLimit&>(op);
  auto is_constant = [](const BoundExprPtr& e, int64_t value) {
    if (!e || e->kind != BoundExprKind::kConstant) return false;
    const Value& v = static_cast<const BoundConstant&>(*e).value;
    return !v.is_null() && v.get_int64() == value;
  };
  return is_constant(limit.limit, 1) && (!limit.offset || is_constant(limit.offset, 0)) && !limit.with_ties;
}

/// LIMIT 1 over `input` for every outer value at once: the first row (in the order of the
/// ORDER BY below, if any) of each group of equal `keys` (DISTINCT ON).
LogicalPtr first_rows(LogicalPtr input, const std::vector<BoundExprPtr*>& keys) {
  auto distinct = std::make_unique<LogicalDistinct>();
  for (BoundExprPtr* key : keys) distinct->distinct_on.push_back((*key)->copy());
  distinct->children.push_back(std::move(input));
  return distinct;
}

/// Checks a LIMIT 1 whose input may lift its correlation (key equalities only, through an
/// ORDER BY and a projection, which outputs the keys) and, with `lifted`, lifts it.
bool lift_first_row(LogicalOperator& limit, std::vector<BoundExprPtr>* lifted) {
  if (!first_row_limit(limit)) return false;
  const LogicalOperator* below = limit.children[0].get();
  if (below->kind == LogicalOperatorKind::kOrder) below = below->children[0].get();
  if (below->kind != LogicalOperatorKind::kProjection) return false;
  return lift_slot(limit.children[0], true, lifted);
}

/// lift_correlation for a child slot; a LIMIT 1 there becomes first_rows of the lifted keys.
bool lift_slot(LogicalPtr& slot, bool equalities_only, std::vector<BoundExprPtr>* lifted) {
  if (slot->kind != LogicalOperatorKind::kLimit || !reads_parameters(*slot)) {
    return lift_correlation(*slot, equalities_only, lifted);
  }
  const size_t before = lifted ? lifted->size() : 0;
  if (!lift_first_row(*slot, lifted)) return false;
  if (lifted) slot = first_rows(std::move(slot->children[0]), lifted_keys(*lifted, before));
  return true;
}

/// Replaces parameters by the outer expressions they stand for.
BoundExprPtr substitute_parameters(const BoundExpression& expr, const std::vector<BoundExprPtr>& correlated) {
  BoundExprPtr result = expr.copy();
  rewrite_expression(result, [&](BoundExpression& e) -> BoundExprPtr {
    if (e.kind != BoundExprKind::kParameter) return nullptr;
    return correlated[static_cast<BoundParameter&>(e).index]->copy();
  });
  return result;
}

/// The EXISTS subquery of a conjunct (`EXISTS (...)` or `NOT EXISTS (...)`), or null.
BoundSubquery* exists_of(BoundExpression& conjunct, bool& negated) {
  negated = false;
  BoundExpression* e = &conjunct;
  if (e->kind == BoundExprKind::kBooleanTest && static_cast<BoundBooleanTest&>(*e).test == BooleanTest::kNot) {
    negated = true;
    e = static_cast<BoundBooleanTest&>(*e).child.get();
  }
  if (e->kind != BoundExprKind::kSubquery) return nullptr;
  auto* sub = static_cast<BoundSubquery*>(e);
  if (sub->subquery_kind != SubqueryKind::kExists || sub->correlated.empty()) return nullptr;
  return sub;
}

/// The conjuncts `lifted` (over subquery columns and parameters) with the parameters replaced
/// by the outer expressions.
std::vector<BoundExprPtr> outer_conditions(std::vector<BoundExprPtr> lifted, const BoundSubquery& sub) {
  std::vector<BoundExprPtr> conditions;
  for (auto& c : lifted) conditions.push_back(substitute_parameters(*c, sub.correlated));
  return conditions;
}

LogicalPtr make_join(JoinType type, LogicalPtr left, LogicalPtr right, std::vector<BoundExprPtr> conditions) {
  auto join = std::make_unique<LogicalJoin>(type);
  join->conditions = std::move(conditions);
  join->children.push_back(std::move(left));
  join->children.push_back(std::move(right));
  return join;
}

/// `[NOT] EXISTS (q)` as a semi (anti) join of `input` with q's body, or null (nothing moved)
/// when q's correlation cannot be lifted.
LogicalPtr exists_join(BoundSubquery& sub, bool negated, LogicalPtr& input) {
  // The plan must be `Projection -> body`, and this expression its only user, since lifting
  // changes the plan.
  LogicalOperator& root = *sub.plan;
  if (root.kind != LogicalOperatorKind::kProjection || sub.plan.use_count() != 1 ||
      !lift_slot(root.children[0], false, nullptr)) {
    return nullptr;
  }
  std::vector<BoundExprPtr> lifted;
  lift_slot(root.children[0], false, &lifted);
  if (lifted.empty()) return nullptr;
  return make_join(negated ? JoinType::kAnti : JoinType::kSemi, std::move(input), std::move(root.children[0]),
                   outer_conditions(std::move(lifted), sub));
}

/// A subquery's root projection (or plain DISTINCT over a projection), which the shared plan
/// owns, rebuilt around its moved parts so that a join can own it.
LogicalPtr take_root(LogicalOperator& root) {
  if (root.kind == LogicalOperatorKind::kDistinct) {
    auto distinct = std::make_unique<LogicalDistinct>();
    distinct->distinct_on = std::move(static_cast<LogicalDistinct&>(root).distinct_on);
    distinct->children = std::move(root.children);
    return distinct;
  }
  auto& projection = static_cast<LogicalProjection&>(root);
  auto rebuilt = std::make_unique<LogicalProjection>(projection.table_index);
  rebuilt->expressions = std::move(projection.expressions);
  rebuilt->children = std::move(projection.children);
  return rebuilt;
}

/// `x op ANY (q)` as a semi join of `input` with q, or null (nothing moved).
LogicalPtr any_join(BoundSubquery& sub, LogicalPtr& input) {
  LogicalOperator& root = *sub.plan;
  if (root.kind != LogicalOperatorKind::kProjection || sub.plan.use_count() != 1 || !sub.left || !sub.comparison) {
    return nullptr;
  }
  auto& projection = static_cast<LogicalProjection&>(root);
  if (projection.expressions.size() != 1) return nullptr;
  std::vector<BoundExprPtr> conditions;
  LogicalPtr right;
  BoundExprPtr column;
  if (sub.correlated.empty()) {
    // q runs once, as it is.
    column = std::make_unique<BoundColumnRef>(projection.expressions[0]->type, ColumnBinding{projection.table_index, 0},
                                              "subquery column");
    right = take_root(projection);
  } else {
    if (has_parameters(*projection.expressions[0]) || !lift_slot(root.children[0], false, nullptr)) return nullptr;
    std::vector<BoundExprPtr> lifted;
    lift_slot(root.children[0], false, &lifted);
    conditions = outer_conditions(std::move(lifted), sub);
    // The projection is row-wise: its expression is computed by the join over the body's rows.
    column = std::move(projection.expressions[0]);
    right = std::move(root.children[0]);
  }
  std::vector<BoundExprPtr> args;
  args.push_back(std::move(sub.left));
  args.push_back(std::move(column));
  conditions.insert(conditions.begin(), std::make_unique<BoundFunction>(LogicalType::boolean(), *sub.comparison, std::move(args)));
  return make_join(JoinType::kSemi, std::move(input), std::move(right), std::move(conditions));
}

/// Whether evaluating `expr` cannot raise an error (columns, constants and parameters only).
bool cannot_fail(const BoundExpression& expr) {
  bool ok = true;
  visit_expression(expr, [&](const BoundExpression& node) {
    ok = ok && (node.kind == BoundExprKind::kColumnRef || node.kind == BoundExprKind::kConstant ||
                node.kind == BoundExprKind::kParameter);
  });
  return ok;
}

/// A join computes a subquery's outer operands (its left operand, its correlated values) for
/// every row of its input, which a CASE / COALESCE branch would not: where the subquery is
/// evaluated lazily, it may move only when they cannot fail.
bool outer_operands_cannot_fail(const BoundSubquery& sub) {
  if (sub.left && !cannot_fail(*sub.left)) return false;
  for (const auto& c : sub.correlated) {
    if (!cannot_fail(*c)) return false;
  }
  return true;
}

/// A mark join of `input` with subquery `sub` (EXISTS correlated by liftable conjuncts, or
/// `x op ANY / ALL (q)` correlated so or uncorrelated): `input` becomes the join, and the
/// returned expression (over its mark column) replaces the subquery; null (nothing moved) for
/// other shapes. `null_is_false`: the subquery's value is used where NULL and false mean the
/// same (a WHERE clause under AND / OR only), so `x IN (q)` needs no three-valued mark.
BoundExprPtr mark_join(BoundSubquery& sub, LogicalPtr& input, bool null_is_false, bool lazy) {
  LogicalOperator& root = *sub.plan;
  if (root.kind != LogicalOperatorKind::kProjection || sub.plan.use_count() != 1) return nullptr;
  auto& projection = static_cast<LogicalProjection&>(root);
  if (lazy) {
    if (!outer_operands_cannot_fail(sub)) return nullptr;
    for (const auto& e : projection.expressions) {
      if (!cannot_fail(*e)) return nullptr;
    }
  }
  const bool exists = sub.subquery_kind == SubqueryKind::kExists;
  if (exists) {
    // An uncorrelated EXISTS runs once as a subplan.
    if (sub.correlated.empty()) return nullptr;
  } else if (sub.subquery_kind == SubqueryKind::kAny || sub.subquery_kind == SubqueryKind::kAll) {
    if (!sub.left || !sub.comparison || projection.expressions.size() != 1 ||
        has_parameters(*projection.expressions[0]) || contains_expression(*sub.left, BoundExprKind::kSubquery)) {
      return nullptr;
    }
  } else {
    return nullptr;
  }
  if (!lift_slot(root.children[0], false, nullptr)) return nullptr;
  std::vector<BoundExprPtr> lifted;
  lift_slot(root.children[0], false, &lifted);
  std::vector<BoundExprPtr> conditions = outer_conditions(std::move(lifted), sub);
  auto join = std::make_unique<LogicalJoin>(JoinType::kMark);
  // The subquery's projection is dropped (the join computes its one row-wise expression over
  // the body's rows), so its table index is free for the mark column.
  join->mark_index = projection.table_index;
  const bool all = sub.subquery_kind == SubqueryKind::kAll;
  if (!exists) {
    // x op ALL (q) is NOT (some row of q makes `x op row` false), in three-valued logic.
    join->mark_null_aware = all || !null_is_false;
    if (join->mark_null_aware) {
      // The lifted conjuncts filter q's rows: a NULL one drops the row, it is not unknown.
      for (auto& c : conditions) c = std::make_unique<BoundBooleanTest>(BooleanTest::kIsTrue, std::move(c));
    }
    std::vector<BoundExprPtr> args;
    args.push_back(std::move(sub.left));
    args.push_back(std::move(projection.expressions[0]));
    BoundExprPtr comparison = std::make_unique<BoundFunction>(LogicalType::boolean(), *sub.comparison, std::move(args));
    if (all) comparison = std::make_unique<BoundBooleanTest>(BooleanTest::kNot, std::move(comparison));
    conditions.insert(conditions.begin(), std::move(comparison));
  }
  join->conditions = std::move(conditions);
  join->children.push_back(std::move(input));
  join->children.push_back(std::move(root.children[0]));
  const uint32_t mark_index = join->mark_index;
  input = std::move(join);
  BoundExprPtr mark = std::make_unique<BoundColumnRef>(LogicalType::boolean(), ColumnBinding{mark_index, 0}, "mark");
  if (all) mark = std::make_unique<BoundBooleanTest>(BooleanTest::kNot, std::move(mark));
  return mark;
}

/// Replaces the EXISTS / ANY / ALL subqueries of `expr` that mark_join can move by their marks.
/// `null_is_false` as for mark_join; it holds below AND and OR only. `lazy`: `expr` is
/// evaluated only for some rows (a CASE / COALESCE operand after the first).
BoundExprPtr domain_mark_join(DomainContext& context, BoundSubquery& sub, LogicalPtr& input, bool lazy);

void rewrite_mark_subqueries(BoundExprPtr& expr, LogicalPtr& input, DomainContext& context, bool null_is_false,
                             bool lazy = false) {
  if (!expr) return;
  if (expr->kind == BoundExprKind::kSubquery) {
    auto& sub = static_cast<BoundSubquery&>(*expr);
    BoundExprPtr mark = mark_join(sub, input, null_is_false, lazy);
    if (!mark) mark = domain_mark_join(context, sub, input, lazy);
    if (mark) expr = std::move(mark);
    return;
  }
  if (!contains_expression(*expr, BoundExprKind::kSubquery)) return;
  const bool below = null_is_false && expr->kind == BoundExprKind::kConjunction;
  const bool conditional = expr->kind == BoundExprKind::kCase || expr->kind == BoundExprKind::kCoalesce;
  size_t index = 0;
  expr->for_each_child([&](BoundExprPtr& child) {
    rewrite_mark_subqueries(child, input, context, below, lazy || (conditional && index > 0));
    index++;
  });
}

/// The value `aggregate` has over no rows (count: 0; most others: NULL), computed by the
/// aggregate's own init and finalize. Ordered-set aggregates (percentile_cont, mode), which have
/// neither, are NULL over no rows.
Value empty_aggregate_value(const BoundAggregate& aggregate) {
  const catalog::AggregateFunction& fn = *aggregate.function;
  if (fn.ordered_set || !fn.init || !fn.finalize) return Value::null(aggregate.type);
  std::vector<std::max_align_t> storage((fn.state_size + sizeof(std::max_align_t) - 1) / sizeof(std::max_align_t) + 1);
  auto* state = reinterpret_cast<catalog::AggregateState*>(storage.data());
  catalog::AggregateState* states[] = {state};
  fn.init(states, 0, 1);
  Vector result(aggregate.type, 1);
  const catalog::AggregateState* finals[] = {state};
  fn.finalize(finals, 0, 1, result);
  return result.get_value(0);
}

/// `result` (over the columns of `aggregate`, grouped by correlation keys and LEFT JOINed to
/// the outer rows) with each aggregate replaced by its value over no rows where the outer row
/// joined no group: a joined row has a non-NULL first key (NULL keys never join).
BoundExprPtr with_empty_aggregates(BoundExprPtr result, const LogicalAggregate& aggregate) {
  std::vector<Value> empty_values;
  for (const auto& a : aggregate.aggregates) empty_values.push_back(empty_aggregate_value(static_cast<const BoundAggregate&>(*a)));
  const ColumnBinding first_key{aggregate.group_index, 0};
  const LogicalType key_type = aggregate.groups[0]->type;
  rewrite_expression(result, [&](BoundExpression& e) -> BoundExprPtr {
    if (e.kind != BoundExprKind::kColumnRef) return nullptr;
    const auto& ref = static_cast<BoundColumnRef&>(e);
    if (ref.binding.table_index != aggregate.aggregate_index) return nullptr;
    const Value& empty = empty_values[ref.binding.column_index];
    if (empty.is_null()) return nullptr;
    std::vector<BoundCase::When> whens;
    whens.push_back({std::make_unique<BoundBooleanTest>(BooleanTest::kIsNull,
                                                        std::make_unique<BoundColumnRef>(key_type, first_key, "subquery key")),
                     std::make_unique<BoundConstant>(empty)});
    return std::make_unique<BoundCase>(ref.type, std::move(whens), ref.copy());
  });
  return result;
}

/// A correlated scalar subquery `(SELECT f(aggregates) FROM body WHERE inner = outer ...)` as a
/// LEFT JOIN of `input` with the aggregate grouped by the inner keys; returns the expression
/// that replaces the subquery (over `input`'s and the aggregate's columns), or null (nothing
/// moved) when the subquery has another shape.
BoundExprPtr scalar_aggregate_join(BoundSubquery& sub, LogicalPtr& input) {
  LogicalOperator& root = *sub.plan;
  if (sub.correlated.empty() || root.kind != LogicalOperatorKind::kProjection || sub.plan.use_count() != 1) {
    return nullptr;
  }
  auto& projection = static_cast<LogicalProjection&>(root);
  if (projection.expressions.size() != 1 || root.children[0]->kind != LogicalOperatorKind::kAggregate) return nullptr;
  auto& aggregate = static_cast<LogicalAggregate&>(*root.children[0]);
  if (!aggregate.groups.empty() || !aggregate.grouping_sets.empty()) return nullptr;
  for (const auto& a : aggregate.aggregates) {
    if (has_parameters(*a)) return nullptr;
  }
  if (!lift_slot(aggregate.children[0], true, nullptr)) return nullptr;
  std::vector<BoundExprPtr> lifted;
  lift_slot(aggregate.children[0], true, &lifted);
  if (lifted.empty()) return nullptr;
  // Group by the inner sides; join on outer = group key.
  group_by_keys(aggregate, lifted_keys(lifted, 0));
  std::vector<BoundExprPtr> conditions = outer_conditions(std::move(lifted), sub);
  BoundExprPtr result = with_empty_aggregates(substitute_parameters(*projection.expressions[0], sub.correlated), aggregate);
  input = make_join(JoinType::kLeft, std::move(input), std::move(root.children[0]), std::move(conditions));
  return result;
}

/// A correlated scalar subquery `(SELECT [DISTINCT] e FROM body WHERE inner = outer ...)`
/// without an aggregate at the top (lift_correlation says what the body may hold): a
/// single-match LEFT JOIN of `input` with the subquery's projection (which also outputs the
/// inner keys) or DISTINCT on `outer = inner`. An outer row without a joining row
/// gets NULL; one joining two rows raises 21000, as the subquery would for it, while duplicate
/// keys no outer row meets raise nothing. Returns the expression that replaces the subquery
/// (the projection's column), or null (nothing moved) for other shapes.
BoundExprPtr scalar_row_join(BoundSubquery& sub, LogicalPtr& input) {
  LogicalOperator& root = *sub.plan;
  const bool limit = root.kind == LogicalOperatorKind::kLimit;
  if (sub.correlated.empty() || sub.plan.use_count() != 1 ||
      (root.kind != LogicalOperatorKind::kProjection && root.kind != LogicalOperatorKind::kDistinct && !limit)) {
    return nullptr;
  }
  const std::vector<ColumnBinding> bindings = root.output_bindings();
  if (bindings.size() != 1 || !(limit ? lift_first_row(root, nullptr) : lift_correlation(root, true, nullptr))) {
    return nullptr;
  }
  const LogicalType type = root.output_types()[0];
  std::vector<BoundExprPtr> lifted;
  if (limit) {
    lift_first_row(root, &lifted);
  } else {
    lift_correlation(root, true, &lifted);
  }
  if (lifted.empty()) return nullptr;
  BoundExprPtr result = std::make_unique<BoundColumnRef>(type, bindings[0], "subquery");
  LogicalPtr right = limit ? first_rows(std::move(root.children[0]), lifted_keys(lifted, 0)) : take_root(root);
  auto join = std::make_unique<LogicalJoin>(JoinType::kLeft);
  join->single_match = true;
  join->conditions = outer_conditions(std::move(lifted), sub);
  join->children.push_back(std::move(input));
  join->children.push_back(std::move(right));
  input = std::move(join);
  return result;
}

/// Whether every column `expr` reads is one of `bindings`.
bool reads_only_columns(const BoundExpression& expr, const std::vector<ColumnBinding>& bindings) {
  bool only = true;
  visit_expression(expr, [&](const BoundExpression& node) {
    if (node.kind != BoundExprKind::kColumnRef) return;
    const ColumnBinding& b = static_cast<const BoundColumnRef&>(node).binding;
    only = only && std::find(bindings.begin(), bindings.end(), b) != bindings.end();
  });
  return only;
}

/// Whether `expr` is NULL whenever parameter `index` is: the parameter itself, or an argument
/// of a strict function or of a cast that is.
bool null_when_parameter_null(const BoundExpression& expr, uint32_t index) {
  switch (expr.kind) {
    case BoundExprKind::kParameter: return static_cast<const BoundParameter&>(expr).index == index;
    case BoundExprKind::kCast: return null_when_parameter_null(*static_cast<const BoundCast&>(expr).child, index);
    case BoundExprKind::kFunction: {
      const auto& call = static_cast<const BoundFunction&>(expr);
      if (!call.function->strict) return false;
      for (const auto& arg : call.children) {
        if (null_when_parameter_null(*arg, index)) return true;
      }
      return false;
    }
    default: return false;
  }
}

/// The conjuncts reading parameters in the scans, filters and join conditions of `op`'s
/// subtree: those lift_slot lifts when it succeeds.
void collect_correlated(const LogicalOperator& op, std::vector<const BoundExpression*>& out) {
  auto add = [&](const std::vector<BoundExprPtr>& list) {
    for (const auto& e : list) {
      if (has_parameters(*e)) out.push_back(e.get());
    }
  };
  if (op.kind == LogicalOperatorKind::kGet) add(static_cast<const LogicalGet&>(op).filters);
  if (op.kind == LogicalOperatorKind::kFilter) add(static_cast<const LogicalFilter&>(op).conjuncts);
  if (op.kind == LogicalOperatorKind::kJoin) add(static_cast<const LogicalJoin&>(op).conditions);
  for (const auto& child : op.children) collect_correlated(*child, out);
}

/// The domain of a dependent join being pushed into a subquery: D, the distinct correlated
/// outer values (column i, binding {index, i}, stands for parameter i), until it joins the
/// subquery's bottom; then `columns`, the expressions that carry D's columns at the output of
/// the operator pushed last.
struct DomainPush {
  DomainContext* context = nullptr;
  /// Where D is read from (make_domain): the stored outer input and the correlated values
  /// over its columns.
  uint32_t cte_index = 0;
  const LogicalOperator* source = nullptr;
  std::vector<ColumnBinding> input_bindings;
  std::vector<LogicalType> input_types;
  std::vector<BoundExprPtr> correlated;
  LogicalPtr domain;
  uint32_t index = 0;
  std::vector<LogicalType> types;
  std::vector<BoundExprPtr> columns;
};

/// Replaces the parameters of every expression in `list` by the domain's columns.
void read_domain(std::vector<BoundExprPtr>& list, const DomainPush& push) {
  for (auto& e : list) e = substitute_parameters(*e, push.columns);
}

/// Adds D's columns (over the aggregate's input) to its groups; they then carry D.
void group_by_domain(LogicalAggregate& aggregate, DomainPush& push) {
  const auto first = static_cast<uint32_t>(aggregate.groups.size());
  for (uint32_t i = 0; i < push.columns.size(); i++) {
    aggregate.groups.push_back(std::move(push.columns[i]));
    push.columns[i] = std::make_unique<BoundColumnRef>(push.types[i], ColumnBinding{aggregate.group_index, first + i}, "domain");
  }
}

/// Makes a projection read the domain's parameters from D's columns and output them.
void project_domain(LogicalProjection& projection, DomainPush& push) {
  read_domain(projection.expressions, push);
  for (uint32_t i = 0; i < push.columns.size(); i++) {
    const auto column = static_cast<uint32_t>(projection.expressions.size());
    projection.expressions.push_back(std::move(push.columns[i]));
    push.columns[i] = std::make_unique<BoundColumnRef>(push.types[i], ColumnBinding{projection.table_index, column}, "domain");
  }
}

/// Applies `f` to every expression of the operators of `op`'s subtree (not below a dependent
/// join's right side, whose parameters are its own); false, changing nothing, when the subtree
/// holds an operator whose expressions are not known here.
bool for_each_plan_expression(LogicalOperator& op, const std::function<void(BoundExprPtr&)>& f, bool apply) {
  auto all = [&](std::vector<BoundExprPtr>& list) {
    if (!apply) return;
    for (auto& e : list) f(e);
  };
  switch (op.kind) {
    case LogicalOperatorKind::kGet: all(static_cast<LogicalGet&>(op).filters); break;
    case LogicalOperatorKind::kFilter: all(static_cast<LogicalFilter&>(op).conjuncts); break;
    case LogicalOperatorKind::kProjection: all(static_cast<LogicalProjection&>(op).expressions); break;
    case LogicalOperatorKind::kAggregate:
      all(static_cast<LogicalAggregate&>(op).groups);
      all(static_cast<LogicalAggregate&>(op).aggregates);
      break;
    case LogicalOperatorKind::kJoin: all(static_cast<LogicalJoin&>(op).conditions); break;
    case LogicalOperatorKind::kWindow: all(static_cast<LogicalWindow&>(op).windows); break;
    case LogicalOperatorKind::kDistinct: all(static_cast<LogicalDistinct&>(op).distinct_on); break;
    case LogicalOperatorKind::kOrder:
      if (apply) {
        for (auto& o : static_cast<LogicalOrder&>(op).orders) f(o.expression);
      }
      break;
    case LogicalOperatorKind::kValues:
      for (auto& row : static_cast<LogicalValues&>(op).rows) all(row);
      break;
    case LogicalOperatorKind::kSetOperation: break;
    case LogicalOperatorKind::kLimit: {
      auto& limit = static_cast<LogicalLimit&>(op);
      if (apply) {
        if (limit.limit) f(limit.limit);
        if (limit.offset) f(limit.offset);
      }
      all(limit.tie_keys);
      break;
    }
    case LogicalOperatorKind::kDependentJoin:
      all(static_cast<LogicalDependentJoin&>(op).correlated);
      return for_each_plan_expression(*op.children[0], f, apply);
    default: return false;
  }
  for (auto& child : op.children) {
    if (!for_each_plan_expression(*child, f, apply)) return false;
  }
  return true;
}

/// A FROM item of a correlated subquery that reads the outer row (bound as a dependent join of
/// the single row of a FROM-less SELECT with it, its parameters its own): the item itself, its
/// parameters renumbered as the subquery's. Null for other shapes.
LogicalPtr inline_lateral_item(LogicalOperator& op) {
  if (op.kind != LogicalOperatorKind::kDependentJoin) return nullptr;
  auto& dependent = static_cast<LogicalDependentJoin&>(op);
  const LogicalOperator& left = *op.children[0];
  if (dependent.join_type != JoinType::kInner || left.kind != LogicalOperatorKind::kValues ||
      !left.output_bindings().empty() || static_cast<const LogicalValues&>(left).rows.size() != 1) {
    return nullptr;
  }
  for (const auto& c : dependent.correlated) {
    if (c->kind != BoundExprKind::kParameter) return nullptr;
  }
  auto renumber = [&](BoundExprPtr& e) { e = substitute_parameters(*e, dependent.correlated); };
  if (!for_each_plan_expression(*op.children[1], renumber, false)) return nullptr;
  for_each_plan_expression(*op.children[1], renumber, true);
  return std::move(op.children[1]);
}

/// The constant of a LIMIT / OFFSET expression (`fallback` when absent), or -1 when it is not a
/// non-negative constant.
int64_t limit_constant(const BoundExprPtr& e, int64_t fallback) {
  if (!e) return fallback;
  if (e->kind != BoundExprKind::kConstant) return -1;
  const Value& v = static_cast<const BoundConstant&>(*e).value;
  if (v.is_null()) return fallback;
  return v.get_int64() < 0 ? -1 : v.get_int64();
}

/// Whether a LIMIT / OFFSET can become a row number filter per domain value.
bool limit_per_domain_applies(const LogicalLimit& limit) {
  if (limit.with_ties || limit_constant(limit.limit, 0) < 0 || limit_constant(limit.offset, 0) < 0) return false;
  // The rows are numbered in the order of an ORDER BY right below; one further down (below a
  // projection) is not followed.
  const LogicalOperator* op = limit.children[0].get();
  if (op->kind == LogicalOperatorKind::kOrder) return true;
  while (op->kind == LogicalOperatorKind::kProjection || op->kind == LogicalOperatorKind::kFilter) op = op->children[0].get();
  return op->kind != LogicalOperatorKind::kOrder;
}

/// `rn op n` (bigint).
BoundExprPtr row_number_bound(const catalog::FunctionRegistry& functions, const char* op, BoundExprPtr rn, int64_t n) {
  const LogicalType arg_types[] = {LogicalType::bigint(), LogicalType::bigint()};
  const catalog::ResolvedFunction resolved = functions.resolve_operator(op, arg_types);
  std::vector<BoundExprPtr> args;
  args.push_back(std::move(rn));
  args.push_back(std::make_unique<BoundConstant>(Value::bigint(n)));
  return std::make_unique<BoundFunction>(LogicalType::boolean(), *resolved.function, std::move(args));
}

/// LIMIT / OFFSET over `input` (into which the domain was pushed) for every domain value at
/// once: the rows whose row_number() partitioned by D's columns, in the order of the ORDER BY
/// below (if any), lies after the offset and within the limit.
LogicalPtr limit_per_domain(const LogicalLimit& limit, LogicalPtr input, DomainPush& push) {
  const int64_t offset = limit_constant(limit.offset, 0);
  auto window = std::make_unique<LogicalWindow>((*push.context->table_indexes)++);
  auto rn = std::make_unique<BoundWindow>(LogicalType::bigint(), WindowFunction::kRowNumber);
  for (const auto& c : push.columns) rn->partitions.push_back(c->copy());
  if (input->kind == LogicalOperatorKind::kOrder) {
    for (const auto& o : static_cast<const LogicalOrder&>(*input).orders) {
      rn->orders.push_back(BoundWindowOrder{o.expression->copy(), o.descending, o.nulls_first});
    }
  }
  rn->frame.unit = WindowFrameUnit::kRows;
  window->windows.push_back(std::move(rn));
  window->children.push_back(std::move(input));
  const ColumnBinding number{window->window_index, 0};
  auto filter = std::make_unique<LogicalFilter>();
  const catalog::FunctionRegistry& functions = *push.context->functions;
  auto number_ref = [&] { return std::make_unique<BoundColumnRef>(LogicalType::bigint(), number, "row_number"); };
  if (offset > 0) filter->conjuncts.push_back(row_number_bound(functions, ">", number_ref(), offset));
  if (limit.limit) filter->conjuncts.push_back(row_number_bound(functions, "<=", number_ref(), offset + limit_constant(limit.limit, 0)));
  filter->children.push_back(std::move(window));
  if (filter->conjuncts.empty()) return std::move(filter->children[0]);
  return filter;
}

DomainPush branch_domain(const DomainPush& push);

/// Pushes the domain into the subquery subtree at `slot` (with `push` null, only checks that it
/// can): the bottom, a row-wise subtree whose correlation lifts (lift_slot) with every
/// parameter in a lifted conjunct NULL when it is NULL, becomes an inner join of D with it on
/// the lifted conjuncts (parameters read D's columns); the operators above it (GROUP BY without
/// grouping sets, HAVING and other filters, projections, DISTINCT [ON], ORDER BY, windows) keep
/// D's columns in their output (as group keys, projected columns, leading DISTINCT ON keys,
/// PARTITION BY keys), and their parameters read them. A scalar aggregate is not one of them
/// (it would lose the row of a value without input rows); its caller handles one at the top.
bool push_domain(LogicalPtr& slot, size_t num_parameters, DomainPush* push) {
  LogicalOperator& op = *slot;
  // An ORDER BY stays above the bottom join, which would lose its order (DISTINCT ON above
  // keeps each group's first row in it).
  if (op.kind != LogicalOperatorKind::kOrder && lift_slot(slot, false, nullptr)) {
    std::vector<const BoundExpression*> conjuncts;
    collect_correlated(op, conjuncts);
    for (uint32_t i = 0; i < num_parameters; i++) {
      bool guarded = false;
      for (const BoundExpression* c : conjuncts) guarded = guarded || null_when_parameter_null(*c, i);
      if (!guarded) return false;
    }
    // Without a key equality the bottom join is a nested loop producing every matching pair
    // of D and the subquery's rows, slower than evaluating the subquery once per value until
    // a range join exists: such correlation stays a subplan.
    bool keyed = false;
    for (const BoundExpression* c : conjuncts) {
      BoundExprPtr* inner;
      BoundExprPtr* outer;
      keyed = keyed || key_sides(const_cast<BoundExpression&>(*c), inner, outer);
    }
    if (!keyed) return false;
    if (!push) return true;
    std::vector<BoundExprPtr> lifted;
    lift_slot(slot, false, &lifted);
    for (uint32_t i = 0; i < num_parameters; i++) {
      push->columns.push_back(std::make_unique<BoundColumnRef>(push->types[i], ColumnBinding{push->index, i}, "domain"));
    }
    read_domain(lifted, *push);
    slot = make_join(JoinType::kInner, std::move(push->domain), std::move(slot), std::move(lifted));
    return true;
  }
  if (LogicalPtr item = inline_lateral_item(op)) {
    // Equivalent to the dependent join (whatever the domain rewrite decides next).
    slot = std::move(item);
    return push_domain(slot, num_parameters, push);
  }
  switch (op.kind) {
    case LogicalOperatorKind::kAggregate: {
      auto& aggregate = static_cast<LogicalAggregate&>(op);
      if (aggregate.groups.empty() || !aggregate.grouping_sets.empty()) return false;
      if (!push_domain(op.children[0], num_parameters, push)) return false;
      if (!push) return true;
      read_domain(aggregate.groups, *push);
      read_domain(aggregate.aggregates, *push);
      group_by_domain(aggregate, *push);
      return true;
    }
    case LogicalOperatorKind::kFilter:
      if (!push_domain(op.children[0], num_parameters, push)) return false;
      if (push) read_domain(static_cast<LogicalFilter&>(op).conjuncts, *push);
      return true;
    case LogicalOperatorKind::kProjection: {
      auto& projection = static_cast<LogicalProjection&>(op);
      if (!push_domain(op.children[0], num_parameters, push)) return false;
      if (push) project_domain(projection, *push);
      return true;
    }
    case LogicalOperatorKind::kDistinct: {
      auto& distinct = static_cast<LogicalDistinct&>(op);
      const std::vector<ColumnBinding> columns = op.children[0]->output_bindings();
      const std::vector<LogicalType> types = op.children[0]->output_types();
      if (!push_domain(op.children[0], num_parameters, push)) return false;
      if (push && distinct.distinct_on.empty()) {
        // Rows distinct in the columns they had and D's, not in the columns the lifted
        // conjuncts read that now pass through the input too.
        for (size_t c = 0; c < columns.size(); c++) {
          distinct.distinct_on.push_back(std::make_unique<BoundColumnRef>(types[c], columns[c], "distinct column"));
        }
        for (const auto& c : push->columns) distinct.distinct_on.push_back(c->copy());
      } else if (push) {
        // Each outer value's first rows: D's columns lead the keys.
        read_domain(distinct.distinct_on, *push);
        std::vector<BoundExprPtr> keys;
        for (const auto& c : push->columns) keys.push_back(c->copy());
        for (auto& k : distinct.distinct_on) keys.push_back(std::move(k));
        distinct.distinct_on = std::move(keys);
      }
      return true;
    }
    case LogicalOperatorKind::kOrder:
      if (!push_domain(op.children[0], num_parameters, push)) return false;
      if (push) {
        for (auto& o : static_cast<LogicalOrder&>(op).orders) o.expression = substitute_parameters(*o.expression, push->columns);
      }
      return true;
    case LogicalOperatorKind::kSetOperation: {
      // Each arm gets its own D, and outputs its columns then D's; the set operation then
      // combines the rows of each outer value separately.
      auto& set = static_cast<LogicalSetOperation&>(op);
      for (auto& arm : op.children) {
        if (!push_domain(arm, num_parameters, nullptr)) return false;
      }
      if (!push) return true;
      for (auto& arm : op.children) {
        const std::vector<ColumnBinding> columns = arm->output_bindings();
        const std::vector<LogicalType> types = arm->output_types();
        DomainPush branch = branch_domain(*push);
        push_domain(arm, num_parameters, &branch);
        auto projection = std::make_unique<LogicalProjection>((*push->context->table_indexes)++);
        for (size_t c = 0; c < columns.size(); c++) {
          projection->expressions.push_back(std::make_unique<BoundColumnRef>(types[c], columns[c], "arm column"));
        }
        for (auto& c : branch.columns) projection->expressions.push_back(std::move(c));
        projection->children.push_back(std::move(arm));
        arm = std::move(projection);
      }
      const auto first = static_cast<uint32_t>(set.types.size());
      push->columns.clear();
      for (uint32_t i = 0; i < push->types.size(); i++) {
        set.types.push_back(push->types[i]);
        push->columns.push_back(std::make_unique<BoundColumnRef>(push->types[i], ColumnBinding{set.table_index, first + i}, "domain"));
      }
      return true;
    }
    case LogicalOperatorKind::kLimit: {
      auto& limit = static_cast<LogicalLimit&>(op);
      if (!limit_per_domain_applies(limit) || !push_domain(op.children[0], num_parameters, push)) return false;
      if (push) slot = limit_per_domain(limit, std::move(op.children[0]), *push);
      return true;
    }
    case LogicalOperatorKind::kWindow: {
      auto& window = static_cast<LogicalWindow&>(op);
      if (!push_domain(op.children[0], num_parameters, push)) return false;
      if (!push) return true;
      read_domain(window.windows, *push);
      for (auto& w : window.windows) {
        for (const auto& c : push->columns) static_cast<BoundWindow&>(*w).partitions.push_back(c->copy());
      }
      return true;
    }
    default: return false;
  }
}



/// `left = right` with the equality operator of their type (both sides cast to its argument
/// type if it has another), or null when the type has none that hashes.
BoundExprPtr domain_equality(const catalog::FunctionRegistry& functions, BoundExprPtr left, BoundExprPtr right) {
  const LogicalType type = left->type;
  const LogicalType arg_types[] = {type, type};
  catalog::ResolvedFunction resolved;
  try {
    resolved = functions.resolve_operator("=", arg_types);
  } catch (const SqlError&) {
    // The type has no equality operator: the subquery stays a subplan.
    return nullptr;
  }
  if (!resolved.function || !resolved.function->hashable || resolved.arg_types.size() != 2) return nullptr;
  if (!(resolved.arg_types[0] == type)) left = std::make_unique<BoundCast>(resolved.arg_types[0], std::move(left));
  if (!(resolved.arg_types[1] == type)) right = std::make_unique<BoundCast>(resolved.arg_types[1], std::move(right));
  std::vector<BoundExprPtr> args;
  args.push_back(std::move(left));
  args.push_back(std::move(right));
  return std::make_unique<BoundFunction>(LogicalType::boolean(), *resolved.function, std::move(args));
}

/// Whether a domain join can compute the correlated values of `sub` over `input`: they read
/// only its columns (no parameter of a query further out, no subquery) and their types have
/// hashable equality operators.
bool domain_applies(const DomainContext& context, const BoundSubquery& sub, const LogicalOperator& input) {
  if (!context.functions || !context.table_indexes || sub.correlated.empty()) return false;
  const std::vector<ColumnBinding> bindings = input.output_bindings();
  for (const auto& c : sub.correlated) {
    if (has_parameters(*c) || contains_expression(*c, BoundExprKind::kSubquery)) return false;
    if (!reads_only_columns(*c, bindings)) return false;
    auto probe = domain_equality(*context.functions, c->copy(), c->copy());
    if (!probe) return false;
  }
  return true;
}

/// The outer input of a domain join, stored once and read twice: `main` (its rows, with the
/// input's own bindings, which the operators above read) and D (in `push`).
struct DomainJoin {
  std::unique_ptr<LogicalMaterializedCte> cte;
  LogicalPtr main;
  DomainPush push;
};

/// Builds (another) D for `push`: DISTINCT (the correlated values) over a scan of the stored
/// outer input, with fresh table indexes.
void make_domain(DomainPush& push) {
  uint32_t& next = *push.context->table_indexes;
  auto scan = std::make_unique<LogicalCteScan>(push.cte_index, "domain", next++, push.input_types, false);
  scan->source = push.source;
  const uint32_t scan_index = scan->table_index;
  auto projection = std::make_unique<LogicalProjection>(next++);
  push.types.clear();
  for (const auto& c : push.correlated) {
    BoundExprPtr value = c->copy();
    rewrite_expression(value, [&](BoundExpression& e) -> BoundExprPtr {
      if (e.kind != BoundExprKind::kColumnRef) return nullptr;
      const auto& ref = static_cast<const BoundColumnRef&>(e);
      const auto at = std::find(push.input_bindings.begin(), push.input_bindings.end(), ref.binding) - push.input_bindings.begin();
      return std::make_unique<BoundColumnRef>(ref.type, ColumnBinding{scan_index, static_cast<uint32_t>(at)}, ref.name);
    });
    push.types.push_back(value->type);
    projection->expressions.push_back(std::move(value));
  }
  push.index = projection->table_index;
  projection->children.push_back(std::move(scan));
  auto distinct = std::make_unique<LogicalDistinct>();
  distinct->children.push_back(std::move(projection));
  push.domain = std::move(distinct);
}

/// A DomainPush for another branch of the subquery (a set operation's arm), with its own D.
DomainPush branch_domain(const DomainPush& push) {
  DomainPush branch;
  branch.context = push.context;
  branch.cte_index = push.cte_index;
  branch.source = push.source;
  branch.input_bindings = push.input_bindings;
  branch.input_types = push.input_types;
  for (const auto& c : push.correlated) branch.correlated.push_back(c->copy());
  make_domain(branch);
  return branch;
}

DomainJoin begin_domain_join(DomainContext& context, LogicalPtr input, const std::vector<BoundExprPtr>& correlated) {
  uint32_t& next = *context.table_indexes;
  DomainJoin result;
  result.cte = std::make_unique<LogicalMaterializedCte>(next++, "domain");
  DomainPush& push = result.push;
  push.context = &context;
  push.cte_index = result.cte->cte_index;
  push.source = input.get();
  push.input_bindings = input->output_bindings();
  push.input_types = input->output_types();
  for (const auto& c : correlated) push.correlated.push_back(c->copy());
  auto main = std::make_unique<LogicalCteScan>(result.cte->cte_index, "domain", next++, push.input_types, false);
  main->bindings = push.input_bindings;
  main->source = input.get();
  make_domain(push);
  result.cte->children.push_back(std::move(input));
  result.main = std::move(main);
  return result;
}

/// The conditions joining the outer rows (`correlated`, over the input) to D's columns.
std::vector<BoundExprPtr> domain_conditions(const DomainContext& context, const BoundSubquery& sub, const DomainPush& push) {
  std::vector<BoundExprPtr> conditions;
  for (size_t i = 0; i < sub.correlated.size(); i++) {
    conditions.push_back(domain_equality(*context.functions, sub.correlated[i]->copy(), push.columns[i]->copy()));
  }
  return conditions;
}

/// Ends a domain join: the stored input's consumer is `rest` (which reads `main`).
LogicalPtr finish_domain_join(DomainJoin& join, LogicalPtr rest) {
  join.cte->children.push_back(std::move(rest));
  return std::move(join.cte);
}

/// A correlated scalar subquery `(SELECT f(aggregates) FROM body ...)` whose correlation
/// push_domain can push into the body: a LEFT JOIN of the outer rows with the aggregate grouped
/// by D's columns; an outer row without a group (no input rows for its value, or a NULL value)
/// gets the aggregates' values over no rows. Null (nothing moved) for other shapes.
BoundExprPtr domain_aggregate_join(DomainContext& context, BoundSubquery& sub, LogicalPtr& input) {
  LogicalOperator& root = *sub.plan;
  if (root.kind != LogicalOperatorKind::kProjection || sub.plan.use_count() != 1) return nullptr;
  auto& projection = static_cast<LogicalProjection&>(root);
  if (projection.expressions.size() != 1 || root.children[0]->kind != LogicalOperatorKind::kAggregate) return nullptr;
  auto& aggregate = static_cast<LogicalAggregate&>(*root.children[0]);
  if (!aggregate.groups.empty() || !aggregate.grouping_sets.empty()) return nullptr;
  if (!domain_applies(context, sub, *input) || !push_domain(aggregate.children[0], sub.correlated.size(), nullptr)) {
    return nullptr;
  }
  DomainJoin join = begin_domain_join(context, std::move(input), sub.correlated);
  push_domain(aggregate.children[0], sub.correlated.size(), &join.push);
  read_domain(aggregate.aggregates, join.push);
  group_by_domain(aggregate, join.push);
  BoundExprPtr result = substitute_parameters(*projection.expressions[0], sub.correlated);
  result = with_empty_aggregates(std::move(result), aggregate);
  LogicalPtr rest = make_join(JoinType::kLeft, std::move(join.main), std::move(root.children[0]),
                              domain_conditions(context, sub, join.push));
  input = finish_domain_join(join, std::move(rest));
  return result;
}

/// The single-match LEFT JOIN of the stored outer rows with `right` (a scalar subquery into
/// which the domain was pushed) on D's columns: a second row for an outer value raises 21000.
LogicalPtr single_match_join(const DomainContext& context, const BoundSubquery& sub, DomainJoin& join, LogicalPtr right) {
  LogicalPtr rest = make_join(JoinType::kLeft, std::move(join.main), std::move(right), domain_conditions(context, sub, join.push));
  static_cast<LogicalJoin&>(*rest).single_match = true;
  return rest;
}

/// domain_row_join of a subquery whose top is LIMIT / OFFSET (a row number filter per domain
/// value).
BoundExprPtr domain_limit_join(DomainContext& context, BoundSubquery& sub, LogicalPtr& input) {
  auto& limit = static_cast<LogicalLimit&>(*sub.plan);
  const std::vector<ColumnBinding> bindings = limit.output_bindings();
  if (sub.plan.use_count() != 1 || bindings.size() != 1 || !limit_per_domain_applies(limit) ||
      !domain_applies(context, sub, *input) || !push_domain(limit.children[0], sub.correlated.size(), nullptr)) {
    return nullptr;
  }
  const LogicalType type = limit.output_types()[0];
  DomainJoin join = begin_domain_join(context, std::move(input), sub.correlated);
  push_domain(limit.children[0], sub.correlated.size(), &join.push);
  LogicalPtr right = limit_per_domain(limit, std::move(limit.children[0]), join.push);
  input = finish_domain_join(join, single_match_join(context, sub, join, std::move(right)));
  return std::make_unique<BoundColumnRef>(type, bindings[0], "subquery");
}

/// A correlated scalar subquery without an aggregate at the top whose correlation push_domain
/// can push into it: a single-match LEFT JOIN of the outer rows with the subquery (a second
/// row for an outer value raises 21000). Null (nothing moved) for other shapes.
BoundExprPtr domain_row_join(DomainContext& context, BoundSubquery& sub, LogicalPtr& input) {
  LogicalOperator& root = *sub.plan;
  if (root.kind == LogicalOperatorKind::kLimit) return domain_limit_join(context, sub, input);
  if (root.kind != LogicalOperatorKind::kProjection || sub.plan.use_count() != 1) return nullptr;
  auto& projection = static_cast<LogicalProjection&>(root);
  if (projection.expressions.size() != 1 || !domain_applies(context, sub, *input) ||
      !push_domain(root.children[0], sub.correlated.size(), nullptr)) {
    return nullptr;
  }
  const LogicalType type = projection.expressions[0]->type;
  DomainJoin join = begin_domain_join(context, std::move(input), sub.correlated);
  push_domain(root.children[0], sub.correlated.size(), &join.push);
  project_domain(projection, join.push);
  BoundExprPtr result = std::make_unique<BoundColumnRef>(type, ColumnBinding{projection.table_index, 0}, "subquery");
  input = finish_domain_join(join, single_match_join(context, sub, join, take_root(root)));
  return result;
}

/// A WHERE conjunct `[NOT] EXISTS (q)` whose correlation push_domain can push into q: a semi
/// (anti) join of the outer rows with q on D's columns. Null (nothing moved) for other shapes.
LogicalPtr domain_exists_join(DomainContext& context, BoundSubquery& sub, bool negated, LogicalPtr& input) {
  LogicalOperator& root = *sub.plan;
  if (root.kind != LogicalOperatorKind::kProjection || sub.plan.use_count() != 1 || !domain_applies(context, sub, *input) ||
      !push_domain(root.children[0], sub.correlated.size(), nullptr)) {
    return nullptr;
  }
  DomainJoin join = begin_domain_join(context, std::move(input), sub.correlated);
  push_domain(root.children[0], sub.correlated.size(), &join.push);
  LogicalPtr rest = make_join(negated ? JoinType::kAnti : JoinType::kSemi, std::move(join.main), std::move(root.children[0]),
                              domain_conditions(context, sub, join.push));
  return finish_domain_join(join, std::move(rest));
}

/// A correlated `EXISTS (q)` outside a WHERE conjunct whose correlation push_domain can push
/// into q: a mark join of the outer rows with q on D's columns (an outer value without rows,
/// or NULL, is marked false). Null (nothing moved) for other shapes.
BoundExprPtr domain_mark_join(DomainContext& context, BoundSubquery& sub, LogicalPtr& input, bool lazy) {
  LogicalOperator& root = *sub.plan;
  // Not where the subquery is evaluated lazily (see rewrite_scalar_subqueries).
  if (lazy || sub.subquery_kind != SubqueryKind::kExists || root.kind != LogicalOperatorKind::kProjection ||
      sub.plan.use_count() != 1 || !domain_applies(context, sub, *input) ||
      !push_domain(root.children[0], sub.correlated.size(), nullptr)) {
    return nullptr;
  }
  DomainJoin join = begin_domain_join(context, std::move(input), sub.correlated);
  push_domain(root.children[0], sub.correlated.size(), &join.push);
  auto rest = std::make_unique<LogicalJoin>(JoinType::kMark);
  // The subquery's projection is dropped, so its table index is free for the mark column.
  rest->mark_index = static_cast<LogicalProjection&>(root).table_index;
  rest->conditions = domain_conditions(context, sub, join.push);
  rest->children.push_back(std::move(join.main));
  rest->children.push_back(std::move(root.children[0]));
  const uint32_t mark_index = rest->mark_index;
  input = finish_domain_join(join, std::move(rest));
  return std::make_unique<BoundColumnRef>(LogicalType::boolean(), ColumnBinding{mark_index, 0}, "mark");
}

/// Replaces the correlated scalar subqueries of `expr` that scalar_aggregate_join or
/// scalar_row_join can move by joins added to `input`. `lazy`: `expr` is evaluated only for
/// some rows (an operand of CASE, COALESCE, AND or OR after the first), where the join of
/// scalar_row_join, which raises 21000 for every row it joins twice, would fail for rows the
/// subquery never runs for.
void rewrite_scalar_subqueries(BoundExprPtr& expr, LogicalPtr& input, DomainContext& context, bool lazy = false) {
  if (!expr || !contains_expression(*expr, BoundExprKind::kSubquery)) return;
  if (expr->kind == BoundExprKind::kSubquery) {
    auto& sub = static_cast<BoundSubquery&>(*expr);
    if (sub.subquery_kind == SubqueryKind::kScalar && (!lazy || outer_operands_cannot_fail(sub))) {
      BoundExprPtr replacement = scalar_aggregate_join(sub, input);
      if (!replacement && !lazy) replacement = scalar_row_join(sub, input);
      // The domain join evaluates the correlated conjuncts for every outer value, where a
      // lazily evaluated subquery would not (an error there, 22012 say, could be raised for a
      // row the subquery never runs for).
      if (!replacement && !lazy) replacement = domain_aggregate_join(context, sub, input);
      if (!replacement && !lazy) replacement = domain_row_join(context, sub, input);
      if (replacement) {
        expr = std::move(replacement);
        return;
      }
    }
  }
  const bool conditional = expr->kind == BoundExprKind::kCase || expr->kind == BoundExprKind::kCoalesce ||
                           expr->kind == BoundExprKind::kConjunction;
  size_t index = 0;
  expr->for_each_child([&](BoundExprPtr& child) {
    rewrite_scalar_subqueries(child, input, context, lazy || (conditional && index > 0));
    index++;
  });
}

/// Moves the subqueries of `expr`, evaluated over every row of `input` (or, when `lazy`, only
/// over some), into joins added to `input`: mark joins (rewrite_mark_subqueries, in
/// three-valued logic) and scalar joins (rewrite_scalar_subqueries).
void rewrite_subqueries(BoundExprPtr& expr, LogicalPtr& input, DomainContext& context, bool lazy) {
  rewrite_mark_subqueries(expr, input, context, false, lazy);
  rewrite_scalar_subqueries(expr, input, context, lazy);
}

/// Whether every outer value the subqueries of `expr` read (their correlated expressions and
/// left operands) is a column of `bindings`.
bool subqueries_read_only(const BoundExpression& expr, const std::vector<ColumnBinding>& bindings) {
  bool only = true;
  visit_expression(expr, [&](const BoundExpression& node) {
    if (node.kind != BoundExprKind::kSubquery) return;
    const auto& sub = static_cast<const BoundSubquery&>(node);
    if (sub.left) only = only && reads_only_columns(*sub.left, bindings);
    for (const auto& c : sub.correlated) only = only && reads_only_columns(*c, bindings);
  });
  return only;
}

/// A LATERAL item `(SELECT agg1, agg2 ... FROM body WHERE inner = outer ...)` (a scalar
/// aggregate under projections that only pass or rename columns: one row per left row) whose
/// every aggregate is NULL over no rows: a LEFT JOIN of the left side with the aggregate grouped
/// by the inner keys, on `outer = key` (a left row without a group gets NULLs, the aggregates'
/// values over no rows). Null (nothing moved) for other shapes.
LogicalPtr lateral_aggregate_join(LogicalDependentJoin& dependent) {
  // The projections from the top down to the aggregate.
  std::vector<LogicalProjection*> projections;
  LogicalOperator* op = dependent.children[1].get();
  while (op->kind == LogicalOperatorKind::kProjection) {
    for (const auto& e : static_cast<LogicalProjection&>(*op).expressions) {
      if (e->kind != BoundExprKind::kColumnRef) return nullptr;
    }
    projections.push_back(static_cast<LogicalProjection*>(op));
    op = op->children[0].get();
  }
  if (projections.empty() || op->kind != LogicalOperatorKind::kAggregate) return nullptr;
  auto& aggregate = static_cast<LogicalAggregate&>(*op);
  if (!aggregate.groups.empty() || !aggregate.grouping_sets.empty()) return nullptr;
  for (const auto& a : aggregate.aggregates) {
    if (has_parameters(*a) || !empty_aggregate_value(static_cast<const BoundAggregate&>(*a)).is_null()) return nullptr;
  }
  if (!lift_slot(aggregate.children[0], true, nullptr)) return nullptr;
  std::vector<BoundExprPtr> lifted;
  lift_slot(aggregate.children[0], true, &lifted);
  if (lifted.empty()) return nullptr;
  group_by_keys(aggregate, lifted_keys(lifted, 0));
  for (auto p = projections.rbegin(); p != projections.rend(); ++p) pass_through_projection(**p, lifted, 0);
  std::vector<BoundExprPtr> conditions;
  for (auto& c : lifted) conditions.push_back(substitute_parameters(*c, dependent.correlated));
  return make_join(JoinType::kLeft, std::move(dependent.children[0]), std::move(dependent.children[1]),
                   std::move(conditions));
}

}  // namespace

LogicalPtr SubqueryDecorrelation::rewrite(LogicalPtr plan) {
  for (auto& child : plan->children) child = rewrite(std::move(child));
  if (plan->kind == LogicalOperatorKind::kDependentJoin) return rewrite_dependent_join(std::move(plan));
  if (plan->kind == LogicalOperatorKind::kFilter) return rewrite_filter(std::move(plan));
  if (plan->kind == LogicalOperatorKind::kJoin) return rewrite_join(std::move(plan));
  if (plan->kind == LogicalOperatorKind::kProjection) return rewrite_projection(std::move(plan));
  if (plan->kind == LogicalOperatorKind::kAggregate) return rewrite_aggregate(std::move(plan));
  if (plan->kind == LogicalOperatorKind::kWindow) return rewrite_window(std::move(plan));
  return plan;
}

LogicalPtr SubqueryDecorrelation::rewrite_filter(LogicalPtr op) {
  auto& filter = static_cast<LogicalFilter&>(*op);
  // Split AND chains so each subquery is its own conjunct.
  std::vector<BoundExprPtr> conjuncts;
  std::function<void(BoundExprPtr)> split = [&](BoundExprPtr e) {
    if (e->kind == BoundExprKind::kConjunction && static_cast<BoundConjunction&>(*e).is_and) {
      for (auto& c : static_cast<BoundConjunction&>(*e).children) split(std::move(c));
    } else {
      conjuncts.push_back(std::move(e));
    }
  };
  for (auto& c : filter.conjuncts) split(std::move(c));
  filter.conjuncts.clear();

  LogicalPtr input = std::move(op->children[0]);
  for (auto& conjunct : conjuncts) {
    bool negated;
    if (BoundSubquery* sub = exists_of(*conjunct, negated)) {
      if (LogicalPtr join = exists_join(*sub, negated, input)) {
        input = std::move(join);
        continue;
      }
      if (LogicalPtr join = domain_exists_join(domain_, *sub, negated, input)) {
        input = std::move(join);
        continue;
      }
    } else if (conjunct->kind == BoundExprKind::kSubquery &&
               static_cast<BoundSubquery&>(*conjunct).subquery_kind == SubqueryKind::kAny) {
      if (LogicalPtr join = any_join(static_cast<BoundSubquery&>(*conjunct), input)) {
        input = std::move(join);
        continue;
      }
    }
    rewrite_mark_subqueries(conjunct, input, domain_, true);
    rewrite_scalar_subqueries(conjunct, input, domain_);
    filter.conjuncts.push_back(std::move(conjunct));
  }
  op->children[0] = std::move(input);
  if (filter.conjuncts.empty()) return std::move(op->children[0]);
  return op;
}

LogicalPtr SubqueryDecorrelation::rewrite_join(LogicalPtr op) {
  auto& join = static_cast<LogicalJoin&>(*op);
  if (join.join_type == JoinType::kLeft) {
    // A LEFT JOIN's ON conjunct whose subqueries read only one side's columns: they join that
    // side. The ON clause is evaluated only for some pairs, hence lazily (no join that could
    // fail for a row the subquery would never run for).
    const std::vector<ColumnBinding> left = join.children[0]->output_bindings();
    const std::vector<ColumnBinding> right = join.children[1]->output_bindings();
    for (auto& c : join.conditions) {
      if (!contains_expression(*c, BoundExprKind::kSubquery)) continue;
      if (subqueries_read_only(*c, left)) {
        rewrite_subqueries(c, join.children[0], domain_, true);
      } else if (subqueries_read_only(*c, right)) {
        rewrite_subqueries(c, join.children[1], domain_, true);
      }
    }
    return op;
  }
  if (join.join_type != JoinType::kInner && join.join_type != JoinType::kCross) return op;
  // An inner join's ON conjuncts with subqueries may as well filter its output.
  auto filter = std::make_unique<LogicalFilter>();
  std::vector<BoundExprPtr> kept;
  for (auto& c : join.conditions) {
    if (contains_expression(*c, BoundExprKind::kSubquery)) {
      filter->conjuncts.push_back(std::move(c));
    } else {
      kept.push_back(std::move(c));
    }
  }
  join.conditions = std::move(kept);
  if (filter->conjuncts.empty()) return op;
  if (join.conditions.empty()) join.join_type = JoinType::kCross;
  filter->children.push_back(std::move(op));
  return rewrite_filter(std::move(filter));
}

LogicalPtr SubqueryDecorrelation::rewrite_dependent_join(LogicalPtr op) {
  auto& dependent = static_cast<LogicalDependentJoin&>(*op);
  if (dependent.correlated.empty()) {
    // Nothing depends on the left row (set-returning functions of constants): a plain join,
    // whose right side streams.
    const JoinType type = dependent.join_type == JoinType::kLeft ? JoinType::kLeft : JoinType::kCross;
    return make_join(type, std::move(op->children[0]), std::move(op->children[1]), {});
  }
  if (LogicalPtr join = lateral_aggregate_join(dependent)) return join;
  if (!lift_slot(op->children[1], false, nullptr)) return op;
  std::vector<BoundExprPtr> lifted;
  lift_slot(op->children[1], false, &lifted);
  std::vector<BoundExprPtr> conditions;
  for (auto& c : lifted) conditions.push_back(substitute_parameters(*c, dependent.correlated));
  // The lifted conjuncts filtered the right side's rows per left row: as join conditions they
  // do the same (for a LEFT join, in its ON clause, which leaves unmatched left rows padded).
  const JoinType type = dependent.join_type == JoinType::kLeft ? JoinType::kLeft
                        : conditions.empty()                    ? JoinType::kCross
                                                                : JoinType::kInner;
  return make_join(type, std::move(op->children[0]), std::move(op->children[1]), std::move(conditions));
}

LogicalPtr SubqueryDecorrelation::rewrite_projection(LogicalPtr op) {
  auto& projection = static_cast<LogicalProjection&>(*op);
  for (auto& e : projection.expressions) rewrite_subqueries(e, op->children[0], domain_, false);
  return op;
}

LogicalPtr SubqueryDecorrelation::rewrite_window(LogicalPtr op) {
  // A window function's arguments, PARTITION BY and ORDER BY are evaluated over every input row
  // (its arguments, with FILTER, over the rows the filter selects).
  for (auto& w : static_cast<LogicalWindow&>(*op).windows) {
    auto& window = static_cast<BoundWindow&>(*w);
    const bool lazy = window.filter != nullptr;
    if (window.filter) rewrite_subqueries(window.filter, op->children[0], domain_, false);
    for (auto& arg : window.args) rewrite_subqueries(arg, op->children[0], domain_, lazy);
    for (auto& p : window.partitions) rewrite_subqueries(p, op->children[0], domain_, false);
    for (auto& o : window.orders) rewrite_subqueries(o.expression, op->children[0], domain_, false);
  }
  return op;
}

LogicalPtr SubqueryDecorrelation::rewrite_aggregate(LogicalPtr op) {
  // An aggregate evaluates its groups and arguments over every input row, as a projection
  // below it would; with FILTER, the arguments only over the rows the filter selects.
  auto& aggregate = static_cast<LogicalAggregate&>(*op);
  for (auto& g : aggregate.groups) rewrite_subqueries(g, op->children[0], domain_, false);
  for (auto& a : aggregate.aggregates) {
    auto& call = static_cast<BoundAggregate&>(*a);
    const bool lazy = call.filter != nullptr;
    if (call.filter) rewrite_subqueries(call.filter, op->children[0], domain_, false);
    for (auto& arg : call.args) rewrite_subqueries(arg, op->children[0], domain_, lazy);
    for (auto& o : call.orders) rewrite_subqueries(o.expression, op->children[0], domain_, lazy);
  }
  return op;
}

}  // namespace tessera::planner
