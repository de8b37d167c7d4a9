#pragma once

#include <memory>
#include <utility>
#include <vector>

#include "planner/binder/bound_expression.h"

namespace tessera::executor {

/// Short builders for bound expressions in executor tests.
inline planner::BoundExprPtr ref(LogicalType type, uint32_t index) {
  return std::make_unique<planner::BoundReference>(type, index, "");
}

inline planner::BoundExprPtr constant(Value v) { return std::make_unique<planner::BoundConstant>(std::move(v)); }

/// A scalar function or operator of one or two arguments.
inline planner::BoundExprPtr fn(LogicalType type, planner::FunctionId id, planner::BoundExprPtr a,
                                planner::BoundExprPtr b = nullptr) {
  std::vector<planner::BoundExprPtr> args;
  args.push_back(std::move(a));
  if (b) args.push_back(std::move(b));
  return std::make_unique<planner::BoundFunction>(type, id, std::move(args));
}

inline planner::BoundExprPtr conj(bool is_and, planner::BoundExprPtr a, planner::BoundExprPtr b) {
  std::vector<planner::BoundExprPtr> children;
  children.push_back(std::move(a));
  children.push_back(std::move(b));
  return std::make_unique<planner::BoundConjunction>(is_and, std::move(children));
}

}  // namespace tessera::executor
