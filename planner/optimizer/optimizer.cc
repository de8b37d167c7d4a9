#include "planner/optimizer/optimizer.h"

#include <set>

#include "planner/optimizer/cardinality_estimator.h"
#include "planner/optimizer/constant_folding.h"
#include "planner/optimizer/subquery_decorrelation.h"
#include "planner/optimizer/join_order.h"
#include "src/common/stack_guard.h"

namespace tessera::planner {

namespace {

void collect_bindings(const BoundExpression& expr, std::set<ColumnBinding>& out) {
  visit_expression(expr, [&](const BoundExpression& e) {
    if (e.kind == BoundExprKind::kColumnRef) out.insert(static_cast<const BoundColumnRef&>(e).binding);
  });
}

std::set<uint32_t> table_indexes(const LogicalOperator& op) {
  std::set<uint32_t> result;
  for (const auto& b : op.output_bindings()) result.insert(b.table_index);
  return result;
}

/// Whether every column `expr` uses comes from `tables`.
bool covered_by(const BoundExpression& expr, const std::set<uint32_t>& tables) {
  std::set<ColumnBinding> used;
  collect_bindings(expr, used);
  for (const auto& b : used) {
    if (!tables.count(b.table_index)) return false;
  }
  return true;
}

bool has_column_refs(const BoundExpression& expr) {
  std::set<ColumnBinding> used;
  collect_bindings(expr, used);
  return !used.empty();
}

void split_conjuncts(BoundExprPtr expr, std::vector<BoundExprPtr>& out);

/// The conjuncts of an OR's arm (the arm itself when it is not an AND).
std::vector<BoundExprPtr> arm_conjuncts(BoundExprPtr arm) {
  std::vector<BoundExprPtr> conjuncts;
  if (arm->kind == BoundExprKind::kConjunction && static_cast<BoundConjunction&>(*arm).is_and) {
    for (auto& c : static_cast<BoundConjunction&>(*arm).children) conjuncts.push_back(std::move(c));
  } else {
    conjuncts.push_back(std::move(arm));
  }
  return conjuncts;
}

bool contains_equal(const std::vector<BoundExprPtr>& conjuncts, const BoundExpression& e) {
  for (const auto& c : conjuncts) {
    if (c->equals(e)) return true;
  }
  return false;
}

/// An OR whose arms all share conjuncts, as PostgreSQL's canonicalize_qual rewrites it:
/// (A AND B) OR (A AND C) is A AND (B OR C), and (A) OR (A AND B) is A (both hold in SQL's
/// three-valued logic). The shared conjuncts go to `out` (so a join under an OR gets its keys);
/// returns false, leaving `expr` as it is, when the arms share nothing.
bool factor_or(BoundExprPtr& expr, std::vector<BoundExprPtr>& out) {
  auto& disjunction = static_cast<BoundConjunction&>(*expr);
  std::vector<std::vector<BoundExprPtr>> arms;
  for (auto& arm : disjunction.children) arms.push_back(arm_conjuncts(arm->copy()));
  std::vector<BoundExprPtr> common;
  for (const auto& c : arms[0]) {
    bool everywhere = !contains_equal(common, *c);
    for (size_t a = 1; a < arms.size() && everywhere; a++) everywhere = contains_equal(arms[a], *c);
    if (everywhere) common.push_back(c->copy());
  }
  if (common.empty()) return false;
  std::vector<BoundExprPtr> rest;
  bool absorbed = false;  // an arm is nothing but shared conjuncts: the OR is implied by them
  for (auto& arm : arms) {
    std::vector<BoundExprPtr> kept;
    for (auto& c : arm) {
      if (!contains_equal(common, *c)) kept.push_back(std::move(c));
    }
    if (kept.empty()) {
      absorbed = true;
      break;
    }
    rest.push_back(kept.size() == 1 ? std::move(kept[0]) : std::make_unique<BoundConjunction>(true, std::move(kept)));
  }
  for (auto& c : common) split_conjuncts(std::move(c), out);
  if (!absorbed) split_conjuncts(std::make_unique<BoundConjunction>(false, std::move(rest)), out);
  return true;
}

void split_conjuncts(BoundExprPtr expr, std::vector<BoundExprPtr>& out) {
  if (expr->kind == BoundExprKind::kConjunction) {
    auto& conjunction = static_cast<BoundConjunction&>(*expr);
    if (conjunction.is_and) {
      for (auto& c : conjunction.children) split_conjuncts(std::move(c), out);
      return;
    }
    if (conjunction.children.size() > 1 && factor_or(expr, out)) return;
  }
  out.push_back(std::move(expr));
}

LogicalPtr wrap_in_filter(LogicalPtr op, std::vector<BoundExprPtr> filters) {
  if (filters.empty()) return op;
  auto filter = std::make_unique<LogicalFilter>();
  filter->conjuncts = std::move(filters);
  filter->children.push_back(std::move(op));
  return filter;
}

/// Replaces references to a projection's outputs by the projected expressions.
BoundExprPtr substitute(const BoundExpression& expr, const LogicalProjection& projection) {
  BoundExprPtr result = expr.copy();
  rewrite_expression(result, [&](BoundExpression& e) -> BoundExprPtr {
    if (e.kind != BoundExprKind::kColumnRef) return nullptr;
    const auto& ref = static_cast<const BoundColumnRef&>(e);
    if (ref.binding.table_index != projection.table_index) return nullptr;
    return projection.expressions[ref.binding.column_index]->copy();
  });
  return result;
}

/// Removes columns nobody above uses from the scans.
void prune_columns(LogicalOperator& op, std::set<ColumnBinding> required) {
  auto add_refs = [&](const BoundExpression& e) { collect_bindings(e, required); };
  switch (op.kind) {
    case LogicalOperatorKind::kGet: {
      auto& get = static_cast<LogicalGet&>(op);
      for (const auto& f : get.filters) add_refs(*f);
      std::vector<size_t> kept;
      for (size_t id : get.column_ids) {
        if (required.count(ColumnBinding{get.table_index, static_cast<uint32_t>(id)})) kept.push_back(id);
      }
      // A scan with no columns still needs one to count rows.
      if (kept.empty() && !get.column_ids.empty()) kept.push_back(get.column_ids[0]);
      get.column_ids = std::move(kept);
      return;
    }
    case LogicalOperatorKind::kFilter:
      for (const auto& c : static_cast<LogicalFilter&>(op).conjuncts) add_refs(*c);
      break;
    case LogicalOperatorKind::kProjection:
      required.clear();
      for (const auto& e : static_cast<LogicalProjection&>(op).expressions) add_refs(*e);
      break;
    case LogicalOperatorKind::kAggregate:
      required.clear();
      for (const auto& e : static_cast<LogicalAggregate&>(op).groups) add_refs(*e);
      for (const auto& e : static_cast<LogicalAggregate&>(op).aggregates) add_refs(*e);
      break;
    case LogicalOperatorKind::kJoin:
      for (const auto& c : static_cast<LogicalJoin&>(op).conditions) add_refs(*c);
      break;
    case LogicalOperatorKind::kDependentJoin:
      for (const auto& c : static_cast<LogicalDependentJoin&>(op).correlated) add_refs(*c);
      break;
    case LogicalOperatorKind::kOrder:
      for (const auto& o : static_cast<LogicalOrder&>(op).orders) add_refs(*o.expression);
      break;
    case LogicalOperatorKind::kWindow:
      // The window columns are computed here; the child's columns pass through.
      for (const auto& w : static_cast<LogicalWindow&>(op).windows) add_refs(*w);
      break;
    case LogicalOperatorKind::kDistinct:
      for (const auto& e : static_cast<LogicalDistinct&>(op).distinct_on) add_refs(*e);
      for (const auto& child : op.children) {
        for (const auto& b : child->output_bindings()) required.insert(b);
      }
      break;
    case LogicalOperatorKind::kSetOperation:
    case LogicalOperatorKind::kMaterializedCte:
    case LogicalOperatorKind::kRecursiveCte:
    case LogicalOperatorKind::kInsert:
    case LogicalOperatorKind::kCreateTable:
    case LogicalOperatorKind::kExplain:
      // Every input column matters.
      for (const auto& child : op.children) {
        for (const auto& b : child->output_bindings()) required.insert(b);
      }
      break;
    case LogicalOperatorKind::kValues:
      for (const auto& row : static_cast<LogicalValues&>(op).rows) {
        for (const auto& e : row) add_refs(*e);
      }
      break;
    default: break;
  }
  for (auto& child : op.children) prune_columns(*child, required);
}

}  // namespace

LogicalPtr Optimizer::optimize(LogicalPtr plan) {
  ConstantFolder().fold_plan(*plan);
  plan = SubqueryDecorrelation(functions_, table_indexes_.get()).rewrite(std::move(plan));
  plan = push_filters(std::move(plan), {});
  plan = JoinOrderOptimizer().optimize(std::move(plan));
  std::set<ColumnBinding> required;
  for (const auto& b : plan->output_bindings()) required.insert(b);
  prune_columns(*plan, required);
  CardinalityEstimator().estimate(*plan);
  return plan;
}

LogicalPtr Optimizer::push_filters(LogicalPtr op, std::vector<BoundExprPtr> filters) {
  check_stack_depth();
  switch (op->kind) {
    case LogicalOperatorKind::kFilter: {
      auto& filter = static_cast<LogicalFilter&>(*op);
      for (auto& c : filter.conjuncts) split_conjuncts(std::move(c), filters);
      return push_filters(std::move(op->children[0]), std::move(filters));
    }
    case LogicalOperatorKind::kGet: {
      auto& get = static_cast<LogicalGet&>(*op);
      std::set<uint32_t> tables{get.table_index};
      std::vector<BoundExprPtr> remaining;
      for (auto& f : filters) {
        if (covered_by(*f, tables) && has_column_refs(*f)) {
          get.filters.push_back(std::move(f));
        } else {
          remaining.push_back(std::move(f));
        }
      }
      return wrap_in_filter(std::move(op), std::move(remaining));
    }
    case LogicalOperatorKind::kJoin: {
      auto& join = static_cast<LogicalJoin&>(*op);
      std::set<uint32_t> left_tables = table_indexes(*join.children[0]);
      std::set<uint32_t> right_tables = table_indexes(*join.children[1]);
      std::vector<BoundExprPtr> left_filters, right_filters, above;
      if (join.join_type == JoinType::kInner || join.join_type == JoinType::kCross) {
        for (auto& c : join.conditions) split_conjuncts(std::move(c), filters);
        join.conditions.clear();
        for (auto& f : filters) {
          if (!has_column_refs(*f)) {
            above.push_back(std::move(f));
          } else if (covered_by(*f, left_tables)) {
            left_filters.push_back(std::move(f));
          } else if (covered_by(*f, right_tables)) {
            right_filters.push_back(std::move(f));
          } else {
            join.conditions.push_back(std::move(f));
          }
        }
        join.join_type = join.conditions.empty() ? JoinType::kCross : JoinType::kInner;
      } else if (join.join_type == JoinType::kFull) {
        // FULL JOIN: both sides are preserved and padded, so nothing moves across the join;
        // the ON conjuncts are split so that equalities become hash keys.
        std::vector<BoundExprPtr> on;
        for (auto& c : join.conditions) split_conjuncts(std::move(c), on);
        join.conditions = std::move(on);
        for (auto& f : filters) above.push_back(std::move(f));
      } else {
        // LEFT JOIN (and semi / anti / mark joins): WHERE conjuncts on the preserved side go
        // down; ON conjuncts on the nullable side filter that side before the join (not for a
        // null-aware mark join, where a NULL condition is not a false one).
        std::vector<BoundExprPtr> on;
        for (auto& c : join.conditions) split_conjuncts(std::move(c), on);
        join.conditions.clear();
        const bool three_valued = join.join_type == JoinType::kMark && join.mark_null_aware;
        for (auto& c : on) {
          if (!three_valued && has_column_refs(*c) && covered_by(*c, right_tables)) {
            right_filters.push_back(std::move(c));
          } else {
            join.conditions.push_back(std::move(c));
          }
        }
        for (auto& f : filters) {
          if (has_column_refs(*f) && covered_by(*f, left_tables)) {
            left_filters.push_back(std::move(f));
          } else {
            above.push_back(std::move(f));
          }
        }
      }
      join.children[0] = push_filters(std::move(join.children[0]), std::move(left_filters));
      join.children[1] = push_filters(std::move(join.children[1]), std::move(right_filters));
      return wrap_in_filter(std::move(op), std::move(above));
    }
    case LogicalOperatorKind::kProjection: {
      auto& projection = static_cast<LogicalProjection&>(*op);
      // A projection is row-wise, so any conjunct over its outputs holds for the substituted
      // expressions over its input.
      std::vector<BoundExprPtr> pushed;
      for (auto& f : filters) pushed.push_back(substitute(*f, projection));
      op->children[0] = push_filters(std::move(op->children[0]), std::move(pushed));
      return op;
    }
    case LogicalOperatorKind::kDependentJoin: {
      // WHERE conjuncts over the left side's columns go down to it (both join types preserve
      // the left rows); the right side is planned on its own.
      std::set<uint32_t> left_tables = table_indexes(*op->children[0]);
      std::vector<BoundExprPtr> left_filters, above;
      for (auto& f : filters) {
        if (has_column_refs(*f) && covered_by(*f, left_tables)) {
          left_filters.push_back(std::move(f));
        } else {
          above.push_back(std::move(f));
        }
      }
      op->children[0] = push_filters(std::move(op->children[0]), std::move(left_filters));
      op->children[1] = push_filters(std::move(op->children[1]), {});
      return wrap_in_filter(std::move(op), std::move(above));
    }
    case LogicalOperatorKind::kMaterializedCte: {
      // Conjuncts over the stored query's own columns filter the rows it stores: the rest of
      // the query reads them with those bindings only where it stands in for that query (the
      // outer input of a domain join, see SubqueryDecorrelation), so a conjunct that read a
      // correlated subquery's outer row is not evaluated for rows it removes.
      std::set<uint32_t> stored = table_indexes(*op->children[0]);
      std::vector<BoundExprPtr> below, above;
      for (auto& f : filters) {
        if (has_column_refs(*f) && covered_by(*f, stored)) {
          below.push_back(std::move(f));
        } else {
          above.push_back(std::move(f));
        }
      }
      op->children[0] = push_filters(std::move(op->children[0]), std::move(below));
      op->children[1] = push_filters(std::move(op->children[1]), {});
      return wrap_in_filter(std::move(op), std::move(above));
    }
    default: {
      for (auto& child : op->children) child = push_filters(std::move(child), {});
      return wrap_in_filter(std::move(op), std::move(filters));
    }
  }
}

}  // namespace tessera::planner
