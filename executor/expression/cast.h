#pragma once

#include "src/common/vector.h"

namespace tessera::executor {

/// Casts `source` to result.type() for the rows sel[0..count) (0..count when sel is null) into
/// the flat vector `result`; NULL stays NULL. Raises 22P02/22003 as PostgreSQL does.
void execute_cast(const Vector& source, const sel_t* sel, size_t count, Vector& result);

}  // namespace tessera::executor
