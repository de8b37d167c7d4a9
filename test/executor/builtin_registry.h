#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "catalog/function_registry.h"
#include "executor/functions/builtin_functions.h"

namespace tessera::executor {

/// A registry holding every built-in function, built once for the tests of this binary.
inline const catalog::FunctionRegistry& builtin_registry() {
  static const catalog::FunctionRegistry* registry = [] {
    auto* r = new catalog::FunctionRegistry();  // NOLINT: lives as long as the test binary
    register_builtin_functions(*r);
    return r;
  }();
  return *registry;
}

/// The operator (or, when no operator has that name, the function) `name` over exactly `types`.
inline const catalog::ScalarFunction& builtin_function(std::string_view name, std::vector<LogicalType> types) {
  const auto& registry = builtin_registry();
  if (!registry.operators(name).empty()) return *registry.resolve_operator(name, types).function;
  return *registry.resolve_function(name, types).function;
}

}  // namespace tessera::executor
