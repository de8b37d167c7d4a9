#pragma once

#include <string>

#include "planner/parser/ast.h"

namespace tessera::planner {

/// Renders an expression as fully parenthesized SQL-like text, e.g. `(1 + (2 * 3))`,
/// for tests, debugging and EXPLAIN VERBOSE. Subqueries render as `(SELECT ...)` with
/// their clauses. Not intended to round-trip every construct exactly.
std::string expr_to_string(const Expr& expr);

/// Renders a query (see expr_to_string).
std::string select_to_string(const SelectStmt& select);

/// Renders a type name, e.g. `numeric(10,2)`, `interval day to second`, `integer[]`.
std::string type_name_to_string(const TypeName& type);

}  // namespace tessera::planner
