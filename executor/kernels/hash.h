#pragma once

#include <cstddef>
#include <cstdint>

namespace tessera::executor {

// Vectorized hashing, bit-identical to src/common/hash.h so that kernel and row-at-a-time paths
// (and hash tables built by either) agree:
//   hash_*:         out[i] = hash_int(static_cast<uint64_t>(values[i]))   (integers sign-extend,
//                   so equal values of different integer widths hash alike)
//   hash_f64:       out[i] = hash_double(values[i])   (-0.0 hashes like +0.0)
//   combine_hash_*: out[i] = combine_hash(out[i], <the hash above>)
// NULL rows are the caller's: it overwrites them with kNullHash (or combines kNullHash).
// Thread-safety: pure functions of their arguments.

void hash_i16(const int16_t* values, size_t count, uint64_t* out);
void hash_i32(const int32_t* values, size_t count, uint64_t* out);
void hash_i64(const int64_t* values, size_t count, uint64_t* out);
void hash_f64(const double* values, size_t count, uint64_t* out);

void combine_hash_i16(const int16_t* values, size_t count, uint64_t* inout);
void combine_hash_i32(const int32_t* values, size_t count, uint64_t* inout);
void combine_hash_i64(const int64_t* values, size_t count, uint64_t* inout);
void combine_hash_f64(const double* values, size_t count, uint64_t* inout);

}  // namespace tessera::executor
