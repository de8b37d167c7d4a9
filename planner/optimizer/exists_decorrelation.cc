#include "planner/optimizer/exists_decorrelation.h"

#include <atomic>
#include <functional>

namespace tessera::planner {

namespace {

bool has_parameters(const BoundExpression& expr) { return contains_expression(expr, BoundExprKind::kParameter); }

/// Whether `expr` reads the subquery's own rows (columns, or a nested subquery).
bool has_column_refs(const BoundExpression& expr) {
  return contains_expression(expr, BoundExprKind::kColumnRef) || contains_expression(expr, BoundExprKind::kSubquery);
}

/// An equality between subquery columns and outer parameters.
struct CorrelationKey {
  BoundExprPtr inner;  ///< over the subquery's columns
  BoundExprPtr outer;  ///< over parameters only
  const catalog::ScalarFunction* equality;  ///< the key equality operator (outer type, inner type)
  bool outer_first;  ///< whether the outer side was the operator's left operand
};

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

/// Checks the correlated conjuncts of a list (every one must be a key equality) and, when
/// `keys` is given, moves them out of the list into it.
bool take_keys(std::vector<BoundExprPtr>& conjuncts, std::vector<CorrelationKey>* keys) {
  std::vector<BoundExprPtr> kept;
  for (auto& c : conjuncts) {
    if (!has_parameters(*c)) {
      if (keys) kept.push_back(std::move(c));
      continue;
    }
    BoundExprPtr* inner;
    BoundExprPtr* outer;
    if (!key_sides(*c, inner, outer)) return false;
    if (keys) {
      const auto& eq = static_cast<const BoundFunction&>(*c);
      const bool outer_first = outer == &eq.children[0];
      keys->push_back({std::move(*inner), std::move(*outer), eq.function, outer_first});
    }
  }
  if (keys) conjuncts = std::move(kept);
  return true;
}

/// Walks a subquery body whose correlation may be lifted: only row-wise operators (projection,
/// filter, inner/cross join, scan, values) may lie on the way, and parameters may appear only
/// in key equalities. With `keys` null it only checks; otherwise it also moves the keys out.
bool collect_keys(LogicalOperator& op, std::vector<CorrelationKey>* keys) {
  switch (op.kind) {
    case LogicalOperatorKind::kGet: return take_keys(static_cast<LogicalGet&>(op).filters, keys);
    case LogicalOperatorKind::kFilter:
      return take_keys(static_cast<LogicalFilter&>(op).conjuncts, keys) && collect_keys(*op.children[0], keys);
    case LogicalOperatorKind::kProjection: {
      for (const auto& e : static_cast<LogicalProjection&>(op).expressions) {
        if (has_parameters(*e)) return false;
      }
      return collect_keys(*op.children[0], keys);
    }
    case LogicalOperatorKind::kJoin: {
      auto& join = static_cast<LogicalJoin&>(op);
      if (join.join_type != JoinType::kInner && join.join_type != JoinType::kCross) return false;
      for (const auto& c : join.conditions) {
        if (has_parameters(*c)) return false;
      }
      return collect_keys(*op.children[0], keys) && collect_keys(*op.children[1], keys);
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

/// Table indexes for the operators this rule adds. Plans decorrelated earlier (subqueries are
/// optimized when bound) keep theirs, so the indexes come from one process-wide range that the
/// binder (counting up from 1 per statement) never reaches.
uint32_t next_table_index() {
  static std::atomic<uint32_t> next{1u << 30};
  return next.fetch_add(1);
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

}  // namespace

LogicalPtr ExistsDecorrelation::rewrite(LogicalPtr plan) {
  for (auto& child : plan->children) child = rewrite(std::move(child));
  if (plan->kind == LogicalOperatorKind::kFilter) return rewrite_filter(std::move(plan));
  return plan;
}

LogicalPtr ExistsDecorrelation::rewrite_filter(LogicalPtr op) {
  auto& filter = static_cast<LogicalFilter&>(*op);
  // Split AND chains so each EXISTS is its own conjunct.
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
    BoundSubquery* sub = exists_of(*conjunct, negated);
    if (!sub) {
      filter.conjuncts.push_back(std::move(conjunct));
      continue;
    }
    // The subquery's plan must be `Projection -> body` with a liftable body, and this
    // expression its only user, since lifting the keys changes the plan.
    LogicalOperator& root = *sub->plan;
    if (root.kind != LogicalOperatorKind::kProjection || sub->plan.use_count() != 1 ||
        !collect_keys(*root.children[0], nullptr)) {
      filter.conjuncts.push_back(std::move(conjunct));
      continue;
    }
    std::vector<CorrelationKey> keys;
    collect_keys(*root.children[0], &keys);
    if (keys.empty()) {
      filter.conjuncts.push_back(std::move(conjunct));
      continue;
    }
    LogicalPtr body_plan = std::move(root.children[0]);
    // Distinct correlation keys of the subquery: Aggregate(groups = inner keys).
    uint32_t group_index = next_table_index();
    auto distinct = std::make_unique<LogicalAggregate>(group_index, next_table_index());
    for (auto& k : keys) distinct->groups.push_back(std::move(k.inner));
    distinct->children.push_back(std::move(body_plan));

    auto join = std::make_unique<LogicalJoin>(JoinType::kLeft);
    for (size_t i = 0; i < keys.size(); i++) {
      BoundExprPtr outer = substitute_parameters(*keys[i].outer, sub->correlated);
      BoundExprPtr inner = std::make_unique<BoundColumnRef>(distinct->groups[i]->type,
                                                            ColumnBinding{distinct->group_index, static_cast<uint32_t>(i)},
                                                            "subquery key");
      std::vector<BoundExprPtr> args;
      args.push_back(keys[i].outer_first ? std::move(outer) : std::move(inner));
      args.push_back(keys[i].outer_first ? std::move(inner) : std::move(outer));
      join->conditions.push_back(std::make_unique<BoundFunction>(LogicalType::boolean(), *keys[i].equality, std::move(args)));
    }
    // A matched row has a non-NULL key (NULL keys never join).
    auto key = std::make_unique<BoundColumnRef>(distinct->groups[0]->type, ColumnBinding{distinct->group_index, 0},
                                                "subquery key");
    filter.conjuncts.push_back(
        std::make_unique<BoundBooleanTest>(negated ? BooleanTest::kIsNull : BooleanTest::kIsNotNull, std::move(key)));
    join->children.push_back(std::move(input));
    join->children.push_back(std::move(distinct));
    input = std::move(join);
  }
  op->children[0] = std::move(input);
  return op;
}

}  // namespace tessera::planner
