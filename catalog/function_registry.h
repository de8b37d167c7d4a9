#pragma once

#include <deque>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/function_entry.h"

namespace tessera::catalog {

/// A resolved call of a scalar function or operator: the overload, the type each argument must
/// be cast to (kSqlNull for an unknown input passed to "any" as it is), and the result type.
struct ResolvedFunction {
  const ScalarFunction* function = nullptr;
  std::vector<LogicalType> arg_types;
  LogicalType return_type;
};

/// A resolved table function call.
struct ResolvedTableFunction {
  const TableFunction* function = nullptr;
  std::vector<LogicalType> arg_types;
};

/// A resolved aggregate call.
struct ResolvedAggregate {
  const AggregateFunction* function = nullptr;
  std::vector<LogicalType> arg_types;
  LogicalType return_type;
};

/// The functions, operators and aggregates of a database (pg_proc, pg_operator, pg_aggregate).
/// Built once (registration is not thread-safe) and then read concurrently by every session
/// (lookups and resolution are const and thread-safe). Entries never move: plans keep pointers to
/// them for the registry's lifetime.
///
/// Overload resolution follows PostgreSQL (parse_func.c / parse_oper.c): an exact match wins;
/// else the candidates every argument reaches by implicit cast; among several, those with the
/// most exact matches, then the most preferred types (float8 among numbers, text among
/// strings) where a cast is needed, then unknown literals resolved by type category (string
/// first), then unknowns assumed to be the one known argument type. Argument types passed in
/// use LogicalTypeId::kSqlNull for an unknown literal or NULL.
class FunctionRegistry {
 public:
  FunctionRegistry() = default;
  FunctionRegistry(const FunctionRegistry&) = delete;
  FunctionRegistry& operator=(const FunctionRegistry&) = delete;

  /// Adds a scalar function or operator overload; assigns its oid from the signature when 0.
  /// Throws XX000 when an overload with the same name, kind and parameters exists.
  const ScalarFunction& add(ScalarFunction function);
  /// Adds an aggregate overload.
  const AggregateFunction& add(AggregateFunction aggregate);
  /// Adds a table function overload.
  const TableFunction& add(TableFunction function);

  /// Every overload of function `name` (kind kFunction), or of operator `name`.
  std::vector<const ScalarFunction*> functions(std::string_view name) const;
  std::vector<const ScalarFunction*> operators(std::string_view name) const;
  std::vector<const AggregateFunction*> aggregates(std::string_view name) const;
  std::vector<const TableFunction*> table_functions(std::string_view name) const;
  /// Every table function, in registration order.
  std::vector<const TableFunction*> all_table_functions() const;
  /// Whether `name` names an aggregate (PostgreSQL: one namespace for functions and aggregates).
  bool is_aggregate(std::string_view name) const;
  /// Every scalar function and operator, then every aggregate, in registration order (pg_proc).
  std::vector<const ScalarFunction*> all_functions() const;
  std::vector<const AggregateFunction*> all_aggregates() const;

  /// Resolves a call of function `name`. Throws 42883 "function f(integer) does not exist" or
  /// 42725 "function f(unknown) is not unique", with PostgreSQL's hints.
  ResolvedFunction resolve_function(std::string_view name, std::span<const LogicalType> args) const;
  /// Resolves operator `name` with one (prefix) or two arguments. Throws 42883 "operator does
  /// not exist: integer + text" or 42725 "operator is not unique: unknown + unknown".
  ResolvedFunction resolve_operator(std::string_view name, std::span<const LogicalType> args) const;
  /// Resolves an aggregate call (no arguments: count(*)); errors as resolve_function.
  ResolvedAggregate resolve_aggregate(std::string_view name, std::span<const LogicalType> args) const;
  /// Resolves a table function call in FROM; errors as resolve_function.
  ResolvedTableFunction resolve_table_function(std::string_view name, std::span<const LogicalType> args) const;

 private:
  Oid assign_oid(Oid requested, const std::string& signature);

  std::deque<ScalarFunction> scalars_;
  std::deque<AggregateFunction> aggregates_;
  std::deque<TableFunction> table_functions_;
  std::multimap<std::string, const ScalarFunction*, std::less<>> functions_by_name_;
  std::multimap<std::string, const ScalarFunction*, std::less<>> operators_by_name_;
  std::multimap<std::string, const AggregateFunction*, std::less<>> aggregates_by_name_;
  std::multimap<std::string, const TableFunction*, std::less<>> table_functions_by_name_;
  std::map<Oid, std::string> oids_;
};

/// PostgreSQL's type category (pg_type.typcategory) of a type: 'N' numeric, 'S' string,
/// 'B' boolean, 'X' unknown, 'P' pseudo-type.
char type_category(const LogicalType& type);
/// Whether `type` is the preferred type of its category (float8, text, boolean).
bool is_preferred_type(const LogicalType& type);
/// A type as function signatures print it: without type modifier ("character varying").
std::string signature_type_name(const LogicalType& type);

}  // namespace tessera::catalog
