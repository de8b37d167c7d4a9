#pragma once

#include <cstddef>
#include <cstdint>

namespace tessera::executor {

/// A comparison predicate. Values are not persisted.
enum class CompareOp : uint8_t { kEq = 0, kNe = 1, kLt = 2, kLe = 3, kGt = 4, kGe = 5 };

/// The predicate with its operands swapped: `c < x` holds exactly when `x > c`.
constexpr CompareOp flip(CompareOp op) {
  switch (op) {
    case CompareOp::kLt: return CompareOp::kGt;
    case CompareOp::kLe: return CompareOp::kGe;
    case CompareOp::kGt: return CompareOp::kLt;
    case CompareOp::kGe: return CompareOp::kLe;
    default: return op;
  }
}

/// The negated predicate: NOT (a op b) == (a negate(op) b) for non-NULL operands. Holds for doubles
/// too, because the kernels order doubles totally (see below).
constexpr CompareOp negate(CompareOp op) {
  switch (op) {
    case CompareOp::kEq: return CompareOp::kNe;
    case CompareOp::kNe: return CompareOp::kEq;
    case CompareOp::kLt: return CompareOp::kGe;
    case CompareOp::kLe: return CompareOp::kGt;
    case CompareOp::kGt: return CompareOp::kLe;
    case CompareOp::kGe: return CompareOp::kLt;
  }
  return op;
}

// Selection kernels (SIMD, dispatched at run time to the best target once per call).
//
// They consider the rows `sel_in ? sel_in[i] : i` for i < count and write the row indexes (not
// positions) that satisfy the predicate into `sel_out`, in order; they return how many passed.
// `sel_out` needs room for `count` entries and may alias `sel_in` (each output index is written
// at or before the position it was read from). NULL handling is the caller's: rows at NULL
// positions may hold any bits, and the caller removes them from the selection before or after.
//
// Doubles compare with PostgreSQL's total order (float8 btree semantics): NaN equals NaN and is
// greater than every other value, including +Infinity; -0.0 equals +0.0.
//
// Thread-safety: pure functions of their arguments.

/// values[r] op constant.
size_t select_compare_constant(CompareOp op, const int16_t* values, int16_t constant, size_t count,
                               const uint32_t* sel_in, uint32_t* sel_out);
size_t select_compare_constant(CompareOp op, const int32_t* values, int32_t constant, size_t count,
                               const uint32_t* sel_in, uint32_t* sel_out);
size_t select_compare_constant(CompareOp op, const int64_t* values, int64_t constant, size_t count,
                               const uint32_t* sel_in, uint32_t* sel_out);
size_t select_compare_constant(CompareOp op, const double* values, double constant, size_t count,
                               const uint32_t* sel_in, uint32_t* sel_out);

/// left[r] op right[r].
size_t select_compare_vectors(CompareOp op, const int16_t* left, const int16_t* right, size_t count,
                              const uint32_t* sel_in, uint32_t* sel_out);
size_t select_compare_vectors(CompareOp op, const int32_t* left, const int32_t* right, size_t count,
                              const uint32_t* sel_in, uint32_t* sel_out);
size_t select_compare_vectors(CompareOp op, const int64_t* left, const int64_t* right, size_t count,
                              const uint32_t* sel_in, uint32_t* sel_out);
size_t select_compare_vectors(CompareOp op, const double* left, const double* right, size_t count,
                              const uint32_t* sel_in, uint32_t* sel_out);

/// Scalar reference for one pair under the same semantics (for tests and row-at-a-time paths).
template <class T>
constexpr bool compare_values(CompareOp op, T a, T b) {
  if constexpr (sizeof(T) == 8 && static_cast<T>(0.5) != 0) {
    // PostgreSQL float8 ordering: NaN == NaN, NaN > everything else.
    const bool a_nan = a != a, b_nan = b != b;
    if (a_nan || b_nan) {
      const int c = a_nan && b_nan ? 0 : (a_nan ? 1 : -1);
      switch (op) {
        case CompareOp::kEq: return c == 0;
        case CompareOp::kNe: return c != 0;
        case CompareOp::kLt: return c < 0;
        case CompareOp::kLe: return c <= 0;
        case CompareOp::kGt: return c > 0;
        case CompareOp::kGe: return c >= 0;
      }
    }
  }
  switch (op) {
    case CompareOp::kEq: return a == b;
    case CompareOp::kNe: return a != b;
    case CompareOp::kLt: return a < b;
    case CompareOp::kLe: return a <= b;
    case CompareOp::kGt: return a > b;
    case CompareOp::kGe: return a >= b;
  }
  return false;
}

}  // namespace tessera::executor
