#pragma once

#include <cstddef>
#include <cstdint>

#include "storage/table_filter.h"

namespace tessera::storage {

// Dense comparison kernels for table filters (SIMD, dispatched at run time to the best target
// once per call). They compare values[0 .. count) with `constant` and write the indexes of the
// rows that satisfy `op` into `sel_out` (room for `count` entries), in order; they return how
// many passed. NULL handling is the caller's (NULL slots hold arbitrary bits). Doubles compare
// in PostgreSQL's float8 order: NaN equals NaN and is above every other value; -0.0 = 0.0.
//
// Thread-safety: pure functions of their arguments.
size_t select_dense(CompareOp op, const int16_t* values, int16_t constant, size_t count, uint32_t* sel_out);
size_t select_dense(CompareOp op, const int32_t* values, int32_t constant, size_t count, uint32_t* sel_out);
size_t select_dense(CompareOp op, const int64_t* values, int64_t constant, size_t count, uint32_t* sel_out);
size_t select_dense(CompareOp op, const double* values, double constant, size_t count, uint32_t* sel_out);

}  // namespace tessera::storage
