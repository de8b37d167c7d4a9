// Binding of functions in FROM: `generate_series(1, 10) AS g(x)`.

#include <functional>
#include <optional>

#include "catalog/function_registry.h"
#include "planner/binder/binder.h"
#include "planner/binder/type_rules.h"
#include "planner/optimizer/constant_folding.h"

namespace tessera::planner {

namespace {

BoundExprPtr make_not(BoundExprPtr e) { return std::make_unique<BoundBooleanTest>(BooleanTest::kNot, std::move(e)); }

/// Functions of one row source advancing in lockstep (PostgreSQL's ROWS FROM, multi-argument
/// unnest, several set-returning functions in a select list): each numbered WITH ORDINALITY,
/// matched by number with FULL JOINs (the shorter ones padded with NULL) and ordered by it.
/// `ordinal` is set to the row number over the result; the functions' columns keep their
/// bindings.
LogicalPtr zip_functions(std::vector<std::unique_ptr<LogicalTableFunction>> functions, BoundExprPtr& ordinal,
                         const std::function<BoundExprPtr(BoundExprPtr, BoundExprPtr)>& make_equality) {
  LogicalPtr zipped;
  for (auto& function : functions) {
    function->ordinality = true;
    BoundExprPtr own = std::make_unique<BoundColumnRef>(
        LogicalType::bigint(), ColumnBinding{function->table_index, static_cast<uint32_t>(function->schema.types.size())},
        "ordinality");
    if (!zipped) {
      zipped = std::move(function);
      ordinal = std::move(own);
      continue;
    }
    auto join = std::make_unique<LogicalJoin>(JoinType::kFull);
    join->conditions.push_back(make_equality(ordinal->copy(), own->copy()));
    join->children.push_back(std::move(zipped));
    join->children.push_back(std::move(function));
    zipped = std::move(join);
    std::vector<BoundExprPtr> both;
    both.push_back(std::move(ordinal));
    both.push_back(std::move(own));
    ordinal = std::make_unique<BoundCoalesce>(LogicalType::bigint(), std::move(both));
  }
  auto order = std::make_unique<LogicalOrder>();
  BoundOrderBy by;
  by.expression = ordinal->copy();
  order->orders.push_back(std::move(by));
  order->children.push_back(std::move(zipped));
  return order;
}

}  // namespace

LogicalPtr Binder::bind_rows_from(const FunctionRef& ref) {
  Binder child(*this, true);
  child.no_aggregates_clause_ = "functions in FROM";
  std::vector<std::unique_ptr<LogicalTableFunction>> functions;
  std::vector<std::string> names;
  std::vector<ColumnBinding> columns;
  std::vector<LogicalType> types;
  for (const auto& call : ref.rows_from) {
    if (call->star || call->distinct || !call->agg_order_by.empty() || call->filter || call->over) {
      throw_at(SqlState::kSyntaxError, "syntax error: a function in FROM takes plain arguments", call->location);
    }
    if (call->name.size() > 1 && call->name[call->name.size() - 2] != "pg_catalog" &&
        call->name[call->name.size() - 2] != "public") {
      throw_at(SqlState::kUndefinedFunction, "schema \"" + call->name[call->name.size() - 2] + "\" does not exist",
               call->location);
    }
    std::vector<BoundExprPtr> args;
    for (const auto& arg : call->args) args.push_back(child.bind_expr(*arg));
    auto function = bind_function_call(call->name.back(), std::move(args), call->location);
    for (size_t c = 0; c < function->schema.types.size(); c++) {
      names.push_back(function->schema.names[c]);
      columns.push_back(ColumnBinding{function->table_index, static_cast<uint32_t>(c)});
      types.push_back(function->schema.types[c]);
    }
    functions.push_back(std::move(function));
  }
  if (!child.correlated_inputs_.empty()) {
    lateral_ = LateralCorrelation{std::move(child.correlated_inputs_), std::move(child.correlated_locations_)};
  }
  BoundExprPtr ordinal;
  LogicalPtr rows;
  if (functions.size() == 1) {
    LogicalTableFunction& only = *functions[0];
    only.ordinality = true;
    ordinal = std::make_unique<BoundColumnRef>(
        LogicalType::bigint(), ColumnBinding{only.table_index, static_cast<uint32_t>(only.schema.types.size())},
        "ordinality");
    rows = std::move(functions[0]);
  } else {
    rows = zip_functions(std::move(functions), ordinal, [&](BoundExprPtr a, BoundExprPtr b) {
      return make_comparison("=", std::move(a), std::move(b), ref.location);
    });
  }
  auto projection = std::make_unique<LogicalProjection>(next_table_index());
  for (size_t i = 0; i < columns.size(); i++) {
    projection->expressions.push_back(std::make_unique<BoundColumnRef>(types[i], columns[i], names[i]));
  }
  if (names.size() == 1 && ref.alias && ref.alias->columns.empty()) names[0] = ref.alias->name;
  if (ref.with_ordinality) {
    projection->expressions.push_back(std::move(ordinal));
    names.push_back("ordinality");
  }
  projection->children.push_back(std::move(rows));
  const std::string alias = ref.alias ? ref.alias->name : names[0];
  std::vector<std::string> column_aliases = ref.alias ? ref.alias->columns : std::vector<std::string>{};
  return bind_derived(std::move(projection), names, alias, column_aliases, ref.location);
}

LogicalPtr Binder::bind_table_function(const FunctionRef& ref) {
  if (!ref.function) return bind_rows_from(ref);
  const FuncCallExpr& call = *ref.function;
  if (call.star || call.distinct || !call.agg_order_by.empty() || call.filter || call.over) {
    throw_at(SqlState::kSyntaxError, "syntax error: a function in FROM takes plain arguments", call.location);
  }
  const std::string& name = call.name.back();
  if (call.name.size() > 1 && call.name[call.name.size() - 2] != "pg_catalog" &&
      call.name[call.name.size() - 2] != "public") {
    throw_at(SqlState::kUndefinedFunction, "schema \"" + call.name[call.name.size() - 2] + "\" does not exist",
             call.location);
  }

  // A function in FROM is implicitly LATERAL: its arguments read the FROM items before it (and
  // enclosing queries) as a correlated subquery reads its outer query.
  Binder child(*this, true);
  child.no_aggregates_clause_ = "functions in FROM";
  std::vector<BoundExprPtr> args;
  for (const auto& arg : call.args) args.push_back(child.bind_expr(*arg));
  if (!child.correlated_inputs_.empty()) {
    lateral_ = LateralCorrelation{std::move(child.correlated_inputs_), std::move(child.correlated_locations_)};
  }

  const std::string alias = ref.alias ? ref.alias->name : name;
  std::vector<std::string> column_aliases = ref.alias ? ref.alias->columns : std::vector<std::string>{};
  if (name == "unnest" && args.size() > 1) {
    // unnest(a, b, ...) in FROM: the arrays side by side, the shorter padded with NULL.
    std::vector<std::unique_ptr<LogicalTableFunction>> functions;
    for (auto& arg : args) {
      std::vector<BoundExprPtr> one;
      one.push_back(std::move(arg));
      functions.push_back(bind_function_call(name, std::move(one), call.location));
    }
    std::vector<std::string> names(functions.size(), name);
    std::vector<ColumnBinding> columns;
    std::vector<LogicalType> types;
    for (const auto& f : functions) {
      columns.push_back(ColumnBinding{f->table_index, 0});
      types.push_back(f->schema.types[0]);
    }
    BoundExprPtr ordinal;
    LogicalPtr zipped = zip_functions(std::move(functions), ordinal, [&](BoundExprPtr a, BoundExprPtr b) {
      return make_comparison("=", std::move(a), std::move(b), call.location);
    });
    auto projection = std::make_unique<LogicalProjection>(next_table_index());
    for (size_t i = 0; i < columns.size(); i++) {
      projection->expressions.push_back(std::make_unique<BoundColumnRef>(types[i], columns[i], name));
    }
    if (ref.with_ordinality) {
      projection->expressions.push_back(std::move(ordinal));
      names.push_back("ordinality");
    }
    projection->children.push_back(std::move(zipped));
    return bind_derived(std::move(projection), names, alias, column_aliases, ref.location);
  }
  auto plan = bind_function_call(name, std::move(args), call.location);
  const catalog::TableFunctionSchema& schema = plan->schema;
  plan->ordinality = ref.with_ordinality;
  // PostgreSQL: a function returning one column takes the table alias as the column's name.
  std::vector<std::string> names = schema.names;
  if (names.size() == 1 && ref.alias && ref.alias->columns.empty()) names[0] = ref.alias->name;
  if (ref.with_ordinality) names.push_back("ordinality");
  return bind_derived(std::move(plan), names, alias, column_aliases, ref.location);
}

std::unique_ptr<LogicalTableFunction> Binder::bind_function_call(const std::string& name, std::vector<BoundExprPtr> args,
                                                                 int location) {
  if (name == "string_to_table" && (args.size() == 2 || args.size() == 3)) {
    // The elements string_to_array makes, as rows.
    std::vector<BoundExprPtr> array;
    array.push_back(call_function("string_to_array", std::move(args), location));
    auto function = bind_function_call("unnest", std::move(array), location);
    function->schema.names = {name};
    return function;
  }
  if (name == "generate_subscripts" && (args.size() == 2 || args.size() == 3)) {
    // generate_series(array_lower(a, d), array_upper(a, d)), or from the upper bound down when
    // the third argument is true (no rows when any argument or bound is NULL).
    auto bound = [&](const char* which) {
      std::vector<BoundExprPtr> pair;
      pair.push_back(args[0]->copy());
      pair.push_back(args[1]->copy());
      return call_function(which, std::move(pair), location);
    };
    std::vector<BoundExprPtr> series;
    if (args.size() == 2) {
      series.push_back(bound("array_lower"));
      series.push_back(bound("array_upper"));
    } else {
      BoundExprPtr reverse = cast_to(std::move(args[2]), LogicalType::boolean());
      auto choose = [&](BoundExprPtr if_reverse, BoundExprPtr otherwise) {
        std::vector<BoundCase::When> whens;
        const LogicalType type = if_reverse->type;
        whens.push_back({reverse->copy(), std::move(if_reverse)});
        whens.push_back({make_not(reverse->copy()), std::move(otherwise)});
        return std::make_unique<BoundCase>(type, std::move(whens), std::make_unique<BoundConstant>(Value::null(type)));
      };
      series.push_back(choose(bound("array_upper"), bound("array_lower")));
      series.push_back(choose(bound("array_lower"), bound("array_upper")));
      series.push_back(choose(std::make_unique<BoundConstant>(Value::integer(-1)),
                              std::make_unique<BoundConstant>(Value::integer(1))));
    }
    auto function = bind_function_call("generate_series", std::move(series), location);
    function->schema.names = {name};
    return function;
  }
  catalog::ResolvedTableFunction resolved;
  try {
    resolved = functions_.resolve_table_function(name, resolution_types(args));
  } catch (SqlError& e) {
    e.with_position(position(location));
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
    e.with_position(position(location));
    throw;
  }
  return std::make_unique<LogicalTableFunction>(next_table_index(), *resolved.function, std::move(args), schema);
}

BoundExprPtr Binder::bind_set_function(const FuncCallExpr& call) {
  const std::string& name = call.name.back();
  const char* hint = "You might be able to move the set-returning function into a LATERAL FROM item.";
  auto refuse = [&](const std::string& message, bool with_hint) {
    SqlError error(SqlState::kFeatureNotSupported, message);
    error.with_position(position(call.location));
    if (with_hint) error.with_hint(hint);
    throw error;
  };
  if (select_context_ && select_context_->inside_aggregate) {
    refuse("aggregate function calls cannot contain set-returning function calls", true);
  }
  if (select_context_ && select_context_->inside_window) {
    refuse("window function calls cannot contain set-returning function calls", true);
  }
  if (no_set_functions_construct_ && std::string(no_set_functions_construct_) == "a set-returning function") {
    refuse("set-returning functions as arguments of set-returning functions in the select list are not supported yet",
           false);
  }
  if (no_set_functions_construct_) refuse(std::string("set-returning functions are not allowed in ") + no_set_functions_construct_, true);
  if (no_aggregates_clause_) refuse(std::string("set-returning functions are not allowed in ") + no_aggregates_clause_, false);
  if (select_context_ && select_context_->no_windows_clause) {
    refuse(std::string("set-returning functions are not allowed in ") + select_context_->no_windows_clause, false);
  }
  if (!select_context_ || !select_context_->set_functions_allowed) {
    refuse("set-returning function " + name + " is supported only in FROM and in a select list", false);
  }
  if (call.star || call.distinct || !call.agg_order_by.empty() || call.filter) {
    throw_at(SqlState::kWrongObjectType, name + " is not an aggregate function", call.location);
  }
  std::vector<BoundExprPtr> args;
  {
    const char* saved = no_set_functions_construct_;
    no_set_functions_construct_ = "a set-returning function";
    for (const auto& arg : call.args) args.push_back(bind_expr(*arg));
    no_set_functions_construct_ = saved;
  }
  auto function = bind_function_call(name, std::move(args), call.location);
  const catalog::TableFunctionSchema& schema = function->schema;
  if (schema.types.size() != 1) {
    refuse("set-returning function " + name + " returning several columns is supported only in FROM", false);
  }
  const LogicalType type = schema.types[0];
  const ColumnBinding binding{function->table_index, 0};
  select_context_->set_functions.push_back(std::move(function));
  return std::make_unique<BoundColumnRef>(type, binding, name);
}

LogicalPtr Binder::bind_set_functions(LogicalPtr plan, std::vector<std::unique_ptr<LogicalTableFunction>> functions) {
  // The arguments read the row of `plan` (and enclosing queries) as parameters.
  std::vector<BoundExprPtr> correlated;
  for (auto& function : functions) {
    for (auto& argument : function->arguments) {
      rewrite_expression(argument, [&](BoundExpression& e) -> BoundExprPtr {
        if (e.kind != BoundExprKind::kColumnRef && e.kind != BoundExprKind::kParameter) return nullptr;
        for (size_t i = 0; i < correlated.size(); i++) {
          if (correlated[i]->equals(e)) return std::make_unique<BoundParameter>(e.type, static_cast<uint32_t>(i));
        }
        correlated.push_back(e.copy());
        return std::make_unique<BoundParameter>(e.type, static_cast<uint32_t>(correlated.size() - 1));
      });
    }
  }
  LogicalPtr right;
  if (functions.size() == 1) {
    // Numbered, so that one worker produces its rows in order (as PostgreSQL returns them).
    functions[0]->ordinality = true;
    right = std::move(functions[0]);
  } else {
    BoundExprPtr ordinal;
    right = zip_functions(std::move(functions), ordinal, [&](BoundExprPtr a, BoundExprPtr b) {
      return make_comparison("=", std::move(a), std::move(b), -1);
    });
  }
  auto join = std::make_unique<LogicalDependentJoin>(JoinType::kInner);
  join->correlated = std::move(correlated);
  join->children.push_back(std::move(plan));
  join->children.push_back(std::move(right));
  return join;
}

}  // namespace tessera::planner
