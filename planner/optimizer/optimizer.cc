#include "planner/optimizer/optimizer.h"

#include <set>

#include "planner/optimizer/cardinality_estimator.h"
#include "planner/optimizer/constant_folding.h"
#include "planner/optimizer/exists_decorrelation.h"
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

void split_conjuncts(BoundExprPtr expr, std::vector<BoundExprPtr>& out) {
  if (expr->kind == BoundExprKind::kConjunction && static_cast<BoundConjunction&>(*expr).is_and) {
    for (auto& c : static_cast<BoundConjunction&>(*expr).children) split_conjuncts(std::move(c), out);
    return;
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
  plan = ExistsDecorrelation().rewrite(std::move(plan));
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
      } else {
        // LEFT JOIN: WHERE conjuncts on the preserved side go down; ON conjuncts on the
        // nullable side filter that side before the join.
        std::vector<BoundExprPtr> on;
        for (auto& c : join.conditions) split_conjuncts(std::move(c), on);
        join.conditions.clear();
        for (auto& c : on) {
          if (has_column_refs(*c) && covered_by(*c, right_tables)) {
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
    default: {
      for (auto& child : op->children) child = push_filters(std::move(child), {});
      return wrap_in_filter(std::move(op), std::move(filters));
    }
  }
}

}  // namespace tessera::planner
