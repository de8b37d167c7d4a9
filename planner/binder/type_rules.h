#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "planner/binder/bound_expression.h"
#include "planner/parser/ast.h"
#include "src/common/logical_type.h"

namespace tessera::planner {

/// The LogicalType for a type written in SQL; raises 42704 for an unknown type and 0A000 for
/// one Tessera does not implement yet.
LogicalType resolve_type_name(const TypeName& name);

/// Whether `expr` is a string literal whose type is still open ('unknown').
bool is_unknown_literal(const BoundExpression& expr);

/// Casts `expr` to `target`: constants are converted at once (raising 22P02/22003 as
/// PostgreSQL does), other expressions get a BoundCast. No-op when the type already matches.
BoundExprPtr cast_to(BoundExprPtr expr, const LogicalType& target);

/// PostgreSQL's select_common_type for two branch types (CASE, COALESCE, VALUES columns,
/// comparisons): numeric types promote, unknown/NULL adopt the other type; nullopt when the
/// types cannot be matched.
std::optional<LogicalType> common_supertype(const LogicalType& a, const LogicalType& b);

/// PostgreSQL's select_common_typmod: `common` keeps its type modifier only when every input
/// has exactly that type and modifier; an unknown literal, a NULL or any other type drops it
/// (`coalesce(varchar2_col, 'abc')` is varchar without a length, so 'abc' is not cut).
/// `inputs` are the input types as written, kSqlNull for unknown literals.
LogicalType common_typmod(const LogicalType& common, std::span<const LogicalType> inputs);

/// The type a query's output column gets when it is stored or exposed (tables made by CREATE
/// TABLE AS, views, derived tables, result rows): an untyped NULL column becomes text.
inline LogicalType result_column_type(const LogicalType& type) {
  return type.id() == LogicalTypeId::kSqlNull ? LogicalType::varchar() : type;
}

/// Argument types as overload resolution sees them: string literals and NULL are unknown
/// (LogicalTypeId::kSqlNull).
std::vector<LogicalType> resolution_types(const std::vector<BoundExprPtr>& args);

}  // namespace tessera::planner
