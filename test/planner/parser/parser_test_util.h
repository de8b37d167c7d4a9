#pragma once

// Helpers shared by the parser tests.

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "planner/parser/ast_printer.h"
#include "planner/parser/parser.h"
#include "src/common/sql_error.h"

namespace tessera::planner::testing {

/// Parses exactly one statement.
inline StatementPtr parse_one(std::string_view sql) {
  auto statements = parse_sql(sql);
  EXPECT_EQ(statements.size(), 1u) << sql;
  if (statements.empty()) return nullptr;
  return std::move(statements.front());
}

/// Parses one query statement and returns its SelectStmt rendered as text.
inline std::string query_text(std::string_view sql) {
  StatementPtr statement = parse_one(sql);
  if (!statement || statement->kind != StatementKind::kSelect) return "<not a select>";
  return select_to_string(*statement->as<SelectStatement>().select);
}

/// Parses `SELECT <expr>` and renders the single target expression.
inline std::string expr_text(std::string_view expr) {
  StatementPtr statement = parse_one("SELECT " + std::string(expr));
  if (!statement) return "<nothing>";
  const auto& select = *statement->as<SelectStatement>().select;
  if (select.targets.size() != 1) return "<" + std::to_string(select.targets.size()) + " targets>";
  return expr_to_string(*select.targets[0].expr);
}

/// Expects parse_sql(sql) to fail with `state`, `message` and 1-based `position`.
inline void expect_error(std::string_view sql, SqlState state, const std::string& message,
                         uint32_t position) {
  try {
    parse_sql(sql);
    ADD_FAILURE() << "expected an error for: " << sql;
  } catch (const SqlError& error) {
    EXPECT_EQ(sqlstate_code(error.state()), sqlstate_code(state)) << sql;
    EXPECT_EQ(error.message(), message) << sql;
    EXPECT_EQ(error.position(), position) << sql;
  }
}

inline void expect_syntax_error(std::string_view sql, const std::string& near, uint32_t position) {
  expect_error(sql, SqlState::kSyntaxError,
               near.empty() ? "syntax error at end of input"
                            : "syntax error at or near \"" + near + "\"",
               position);
}

}  // namespace tessera::planner::testing
