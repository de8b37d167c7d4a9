#pragma once

#include <cstddef>
#include <cstdint>

namespace tessera::executor {

// Ungrouped aggregate kernels over a dense range of `count` values (SIMD, dispatched once per
// call). `validity` is an optional bitmap (bit i of word i / 64; 1 = valid; nullptr = all rows
// valid); rows whose bit is 0 are skipped whatever bits they hold. Each kernel folds the chunk
// into an accumulator the caller keeps across chunks.
// Thread-safety: pure functions of their arguments.

/// Number of valid rows among the first `count` (`count` when `validity` is nullptr).
size_t count_valid(const uint64_t* validity, size_t count);

/// *inout_sum += the sum of the valid values. Returns true when the exact sum does not fit in
/// int64 (caller raises 22003 "bigint out of range"); *inout_sum is then unspecified. The result
/// does not depend on the order of the rows: intermediate wraparound is tracked exactly.
bool sum_i16(const int16_t* values, size_t count, const uint64_t* validity, int64_t* inout_sum);
bool sum_i32(const int32_t* values, size_t count, const uint64_t* validity, int64_t* inout_sum);
bool sum_i64(const int64_t* values, size_t count, const uint64_t* validity, int64_t* inout_sum);

/// *inout_sum += the sum of the valid values. Summation order differs from row order (lanes are
/// summed separately), so the result may differ from a sequential sum in the last bits.
void sum_f64(const double* values, size_t count, const uint64_t* validity, double* inout_sum);

// min_* / max_*: fold the valid values into *inout (start from the identity: the type's maximum
// for min, its minimum for max; for doubles NaN for min and -Infinity for max). Return whether the
// chunk had any valid row (the caller's aggregate is NULL until one did). Doubles follow
// PostgreSQL's ordering: NaN is larger than every other value, so max is NaN as soon as one NaN
// is seen and min is NaN only when every value is NaN. -0.0 and +0.0 are equal; either may win.

bool min_i16(const int16_t* values, size_t count, const uint64_t* validity, int16_t* inout);
bool min_i32(const int32_t* values, size_t count, const uint64_t* validity, int32_t* inout);
bool min_i64(const int64_t* values, size_t count, const uint64_t* validity, int64_t* inout);
bool min_f64(const double* values, size_t count, const uint64_t* validity, double* inout);
bool max_i16(const int16_t* values, size_t count, const uint64_t* validity, int16_t* inout);
bool max_i32(const int32_t* values, size_t count, const uint64_t* validity, int32_t* inout);
bool max_i64(const int64_t* values, size_t count, const uint64_t* validity, int64_t* inout);
bool max_f64(const double* values, size_t count, const uint64_t* validity, double* inout);

}  // namespace tessera::executor
