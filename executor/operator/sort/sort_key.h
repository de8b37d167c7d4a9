#pragma once

#include <string>

#include "planner/binder/bound_expression.h"

namespace tessera::executor {

/// One ORDER BY key: an expression over the sorted operator's input columns and its direction.
/// NULL placement is explicit (PostgreSQL's default is NULLS LAST for ASC, NULLS FIRST for DESC;
/// the planner fills it in).
struct SortKey {
  planner::BoundExprPtr expression;
  bool descending = false;
  bool nulls_first = false;

  /// "expr DESC NULLS FIRST" form for EXPLAIN.
  std::string to_string() const {
    std::string out = expression->to_string();
    if (descending) out += " DESC";
    if (nulls_first != descending) out += nulls_first ? " NULLS FIRST" : " NULLS LAST";
    return out;
  }
};

}  // namespace tessera::executor
