#pragma once

#include <vector>

#include "planner/binder/bound_expression.h"
#include "src/common/vector.h"

namespace tessera::executor {

/// Computes scalar function `id` over `args` for rows sel[0..count) (0..count when sel is null)
/// into the flat vector `result` (row r of result = function of row r of the args). The binder
/// has already cast the arguments to the function's signature. Raises 22012/22003 as
/// PostgreSQL does.
void execute_scalar_function(planner::FunctionId id, std::vector<Vector>& args, const sel_t* sel, size_t count,
                             Vector& result);

/// Casts `source` to result.type() for the selected rows into the flat vector `result`.
void execute_cast(const Vector& source, const sel_t* sel, size_t count, Vector& result);

/// Three-valued boolean value at a unified position: 0 false, 1 true, 2 NULL.
inline uint8_t bool_state(const UnifiedVectorFormat& f, sel_t row) {
  sel_t i = f.sel.get_index(row);
  if (!f.validity->row_is_valid(i)) return 2;
  return f.values<uint8_t>()[i] ? 1 : 0;
}

}  // namespace tessera::executor
