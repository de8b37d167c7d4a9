// Binding of functions in FROM: `generate_series(1, 10) AS g(x)`.

#include <optional>

#include "catalog/function_registry.h"
#include "planner/binder/binder.h"
#include "planner/binder/type_rules.h"
#include "planner/optimizer/constant_folding.h"

namespace tessera::planner {

LogicalPtr Binder::bind_table_function(const FunctionRef& ref) {
  const FuncCallExpr& call = *ref.function;
  if (ref.lateral) throw_at(SqlState::kFeatureNotSupported, "LATERAL is not supported yet", ref.location);
  if (ref.with_ordinality) {
    throw_at(SqlState::kFeatureNotSupported, "WITH ORDINALITY is not supported yet", ref.location);
  }
  if (call.star || call.distinct || !call.agg_order_by.empty() || call.filter || call.over) {
    throw_at(SqlState::kSyntaxError, "syntax error: a function in FROM takes plain arguments", call.location);
  }
  const std::string& name = call.name.back();
  if (call.name.size() > 1 && call.name[call.name.size() - 2] != "pg_catalog" &&
      call.name[call.name.size() - 2] != "public") {
    throw_at(SqlState::kUndefinedFunction, "schema \"" + call.name[call.name.size() - 2] + "\" does not exist",
             call.location);
  }

  std::vector<BoundExprPtr> args;
  for (const auto& arg : call.args) {
    BoundExprPtr bound = bind_expr(*arg);
    if (contains_expression(*bound, BoundExprKind::kAggregate)) {
      throw_at(SqlState::kGroupingError, "aggregate functions are not allowed in functions in FROM", arg->location);
    }
    if (contains_expression(*bound, BoundExprKind::kColumnRef) ||
        contains_expression(*bound, BoundExprKind::kParameter)) {
      throw_at(SqlState::kFeatureNotSupported,
               "arguments of a function in FROM that refer to columns (LATERAL) are not supported yet",
               arg->location);
    }
    args.push_back(std::move(bound));
  }

  catalog::ResolvedTableFunction resolved;
  try {
    resolved = functions_.resolve_table_function(name, resolution_types(args));
  } catch (SqlError& e) {
    e.with_position(position(call.location));
    throw;
  }
  // Constant arguments are known now: folded, as the optimizer would fold them.
  ConstantFolder folder;
  std::vector<std::optional<Value>> constants;
  for (size_t i = 0; i < args.size(); i++) {
    args[i] = folder.fold(cast_to(std::move(args[i]), resolved.arg_types[i]));
    if (args[i]->kind == BoundExprKind::kConstant) {
      constants.emplace_back(static_cast<const BoundConstant&>(*args[i]).value);
    } else {
      constants.emplace_back(std::nullopt);
    }
  }
  catalog::TableFunctionSchema schema;
  try {
    schema = resolved.function->bind(resolved.arg_types, constants);
  } catch (SqlError& e) {
    e.with_position(position(call.location));
    throw;
  }

  auto plan = std::make_unique<LogicalTableFunction>(next_table_index(), *resolved.function, std::move(args), schema);
  // PostgreSQL: a function returning one column takes the table alias as the column's name.
  std::vector<std::string> names = schema.names;
  const std::string alias = ref.alias ? ref.alias->name : name;
  if (names.size() == 1 && ref.alias && ref.alias->columns.empty()) names[0] = ref.alias->name;
  std::vector<std::string> column_aliases = ref.alias ? ref.alias->columns : std::vector<std::string>{};
  return bind_derived(std::move(plan), names, alias, column_aliases, ref.location);
}

}  // namespace tessera::planner
