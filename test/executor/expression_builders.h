#pragma once

#include <memory>
#include <utility>
#include <vector>

#include "planner/binder/bound_expression.h"
#include "test/executor/builtin_registry.h"

namespace tessera::executor {

/// Short builders for bound expressions in executor tests.
inline planner::BoundExprPtr ref(LogicalType type, uint32_t index) {
  return std::make_unique<planner::BoundReference>(type, index, "");
}

inline planner::BoundExprPtr constant(Value v) { return std::make_unique<planner::BoundConstant>(std::move(v)); }

/// A call of the built-in operator or function `name` of one or two arguments (resolved over
/// the arguments' types).
inline planner::BoundExprPtr fn(LogicalType type, std::string_view name, planner::BoundExprPtr a,
                                planner::BoundExprPtr b = nullptr) {
  std::vector<planner::BoundExprPtr> args;
  std::vector<LogicalType> types;
  args.push_back(std::move(a));
  if (b) args.push_back(std::move(b));
  for (const auto& arg : args) types.push_back(arg->type);
  return std::make_unique<planner::BoundFunction>(type, builtin_function(name, types), std::move(args));
}

inline planner::BoundExprPtr conj(bool is_and, planner::BoundExprPtr a, planner::BoundExprPtr b) {
  std::vector<planner::BoundExprPtr> children;
  children.push_back(std::move(a));
  children.push_back(std::move(b));
  return std::make_unique<planner::BoundConjunction>(is_and, std::move(children));
}

}  // namespace tessera::executor
