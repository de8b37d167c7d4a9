#pragma once

#include <string>
#include <utility>
#include <vector>

#include "catalog/function_entry.h"
#include "catalog/function_registry.h"

namespace tessera::executor {

/// A strict, immutable operator overload over concrete types.
inline catalog::ScalarFunction make_operator(std::string name, std::vector<LogicalType> params, LogicalType result,
                                             catalog::ScalarKernel kernel) {
  catalog::ScalarFunction f;
  f.name = std::move(name);
  f.kind = catalog::FunctionKind::kOperator;
  for (const auto& p : params) f.params.push_back(catalog::ParamType::of(p));
  f.result = catalog::ParamType::of(result);
  f.execute = kernel;
  return f;
}

/// A strict, immutable function overload over concrete types.
inline catalog::ScalarFunction make_function(std::string name, std::vector<LogicalType> params, LogicalType result,
                                             catalog::ScalarKernel kernel) {
  catalog::ScalarFunction f = make_operator(std::move(name), std::move(params), result, kernel);
  f.kind = catalog::FunctionKind::kFunction;
  return f;
}

/// The numeric types operators are defined over.
inline const LogicalType kNumericTypes[] = {LogicalType::smallint(), LogicalType::integer(), LogicalType::bigint(),
                                            LogicalType::double_precision()};

}  // namespace tessera::executor
