#pragma once

#include <string>
#include <vector>

#include "executor/expression/expression_executor.h"
#include "executor/physical_operator.h"

namespace tessera::executor {

/// A worker's expression evaluator, the local state of expression-only operators.
struct ExpressionState : LocalState {
  explicit ExpressionState(QueryContext& query) : expressions(query) {}
  ExpressionExecutor expressions;
};

/// Expressions joined by `sep`, for EXPLAIN.
inline std::string join_expressions(const std::vector<planner::BoundExprPtr>& exprs, const char* sep) {
  std::string out;
  for (size_t i = 0; i < exprs.size(); i++) {
    if (i) out += sep;
    out += exprs[i]->to_string();
  }
  return out;
}

}  // namespace tessera::executor
