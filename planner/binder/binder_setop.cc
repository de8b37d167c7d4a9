// UNION / INTERSECT / EXCEPT [ALL]: branch binding, PostgreSQL's column type resolution
// (transformSetOperationTree + select_common_type) and ORDER BY / LIMIT over the result.

#include "planner/binder/binder.h"
#include "planner/binder/type_rules.h"
#include "src/common/sql_error.h"
#include "src/common/stack_guard.h"

namespace tessera::planner {

namespace {

const char* set_operation_name(SetOpKind kind) {
  switch (kind) {
    case SetOpKind::kUnion: return "UNION";
    case SetOpKind::kIntersect: return "INTERSECT";
    case SetOpKind::kExcept: return "EXCEPT";
  }
  return "UNION";
}

SetOperationKind to_logical(SetOpKind kind) {
  switch (kind) {
    case SetOpKind::kUnion: return SetOperationKind::kUnion;
    case SetOpKind::kIntersect: return SetOperationKind::kIntersect;
    case SetOpKind::kExcept: return SetOperationKind::kExcept;
  }
  return SetOperationKind::kUnion;
}

/// The location of a branch's first output expression (where PostgreSQL points for a column
/// count mismatch), or of the branch itself.
int first_column_location(const SelectStmt& select) {
  if (select.select_kind == SelectKind::kSimple && !select.targets.empty()) return select.targets[0].expr->location;
  if (select.select_kind == SelectKind::kValues && !select.values_lists.empty() && !select.values_lists[0].empty()) {
    return select.values_lists[0][0]->location;
  }
  if (select.select_kind == SelectKind::kSetOp) return first_column_location(*select.larg);
  return select.location;
}

/// Wraps `plan` in a projection casting its columns to `types` (when any differs).
LogicalPtr cast_columns(LogicalPtr plan, const std::vector<LogicalType>& types, uint32_t table_index) {
  auto current = plan->output_types();
  bool same = true;
  for (size_t i = 0; i < types.size(); i++) same &= current[i] == types[i];
  if (same) return plan;
  auto bindings = plan->output_bindings();
  auto projection = std::make_unique<LogicalProjection>(table_index);
  for (size_t i = 0; i < types.size(); i++) {
    projection->expressions.push_back(cast_to(std::make_unique<BoundColumnRef>(current[i], bindings[i], ""), types[i]));
  }
  projection->children.push_back(std::move(plan));
  return projection;
}

}  // namespace

Binder::SetOpBranch Binder::bind_set_branch(const SelectStmt& select) {
  // Each branch is its own query level: it sees none of the other branch's FROM items, but
  // the same enclosing queries (correlation) and WITH queries.
  Scope saved = std::move(scope_);
  scope_ = Scope();
  SetOpBranch branch;
  try {
    branch.plan = bind_query(select, branch.names);
  } catch (...) {
    scope_ = std::move(saved);
    throw;
  }
  scope_ = std::move(saved);
  branch.unknown = last_unknown_outputs_;
  branch.locations = last_output_locations_;
  branch.unknown.resize(branch.names.size(), false);
  branch.locations.resize(branch.names.size(), first_column_location(select));
  return branch;
}

LogicalPtr Binder::bind_set_operation(const SelectStmt& select, std::vector<std::string>& names) {
  check_stack_depth();
  const char* op_name = set_operation_name(select.set_op);
  SetOpBranch left = bind_set_branch(*select.larg);
  SetOpBranch right = bind_set_branch(*select.rarg);
  if (left.names.size() != right.names.size()) {
    throw_at(SqlState::kSyntaxError, std::string("each ") + op_name + " query must have the same number of columns",
             first_column_location(*select.rarg));
  }
  // select_common_type per column: untyped literals take the other branch's type (text when
  // both are untyped); otherwise the types must belong to one category.
  std::vector<LogicalType> types;
  const auto left_types = left.plan->output_types();
  const auto right_types = right.plan->output_types();
  for (size_t i = 0; i < left_types.size(); i++) {
    LogicalType type;
    if (left.unknown[i] && right.unknown[i]) {
      type = LogicalType::varchar();
    } else if (left.unknown[i]) {
      type = right_types[i];
    } else if (right.unknown[i]) {
      type = left_types[i];
    } else {
      auto common = common_supertype(left_types[i], right_types[i]);
      if (!common) {
        throw_at(SqlState::kDatatypeMismatch,
                 std::string(op_name) + " types " + left_types[i].name() + " and " + right_types[i].name() +
                     " cannot be matched",
                 right.locations[i]);
      }
      type = *common;
    }
    types.push_back(result_column_type(type));
  }
  // Literal branch columns are converted now, so bad input fails as PostgreSQL's coercion does.
  left.plan = cast_columns(std::move(left.plan), types, next_table_index());
  right.plan = cast_columns(std::move(right.plan), types, next_table_index());
  auto set_op = std::make_unique<LogicalSetOperation>(to_logical(select.set_op), select.set_all, next_table_index(), types);
  set_op->children.push_back(std::move(left.plan));
  set_op->children.push_back(std::move(right.plan));
  names = left.names;
  LogicalPtr plan = bind_output_modifiers(std::move(set_op), select, names, "UNION/INTERSECT/EXCEPT");
  last_unknown_outputs_.assign(names.size(), false);
  last_output_locations_ = left.locations;
  return plan;
}

LogicalPtr Binder::bind_output_modifiers(LogicalPtr plan, const SelectStmt& select, const std::vector<std::string>& names,
                                         const char* context) {
  if (!select.order_by.empty()) {
    auto bindings = plan->output_bindings();
    auto types = plan->output_types();
    auto order = std::make_unique<LogicalOrder>();
    for (const auto& item : select.order_by) {
      const Expr& e = *item.expr;
      int64_t ordinal = -1;
      if (e.kind == ExprKind::kConstant && e.as<ConstantExpr>().constant_kind == ConstantKind::kInteger) {
        ordinal = e.as<ConstantExpr>().int_value;
        if (ordinal < 1 || ordinal > static_cast<int64_t>(names.size())) {
          throw_at(SqlState::kInvalidColumnReference, "ORDER BY position " + std::to_string(ordinal) + " is not in select list",
                   e.location);
        }
      } else if (e.kind == ExprKind::kColumnRef) {
        const auto& fields = e.as<ColumnRefExpr>().fields;
        if (fields.size() > 1) {
          throw_at(SqlState::kUndefinedTable, "missing FROM-clause entry for table \"" + fields[0] + "\"", e.location);
        }
        for (size_t i = 0; i < names.size(); i++) {
          if (names[i] == fields[0]) {
            ordinal = static_cast<int64_t>(i + 1);
            break;
          }
        }
        if (ordinal < 0) throw_at(SqlState::kUndefinedColumn, "column \"" + fields[0] + "\" does not exist", e.location);
      } else {
        throw SqlError(SqlState::kFeatureNotSupported, std::string("invalid ") + context + " ORDER BY clause")
            .with_detail("Only result column names can be used, not expressions or functions.")
            .with_hint("Add the expression/function to every SELECT, or move the UNION into a FROM clause.")
            .with_position(position(e.location));
      }
      order->orders.push_back(order_by_output(item, static_cast<size_t>(ordinal), types, bindings, names));
    }
    order->children.push_back(std::move(plan));
    plan = std::move(order);
  }
  plan = wrap_limit(select, std::move(plan));
  return plan;
}

}  // namespace tessera::planner
