#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "src/common/logical_type.h"
#include "src/common/value.h"

namespace tessera {

/// A procedure `CALL name(args)` runs. Its work is a list of SQL statements, made from the
/// argument values (cast to `params`), which the session runs in the caller's transaction as
/// part of the CALL statement.
struct Procedure {
  std::string name;
  std::vector<LogicalType> params;
  std::vector<std::string> (*statements)(std::span<const Value> args);
};

/// The procedure `name` taking `num_args` arguments, or null.
const Procedure* find_procedure(std::string_view name, size_t num_args);

}  // namespace tessera
