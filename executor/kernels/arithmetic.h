#pragma once

#include <cstddef>
#include <cstdint>

namespace tessera::executor {

/// One operand of an element-wise kernel: either `count` values or a single value broadcast to
/// every row. Non-owning; `data` must stay valid for the call.
template <class T>
struct Operand {
  const T* data = nullptr;
  bool is_constant = false;

  static Operand vector(const T* values) { return Operand{values, false}; }
  /// `value` points at the one constant value.
  static Operand constant(const T* value) { return Operand{value, true}; }
};

/// Checked integer operations (SIMD where the instruction set allows it).
enum class IntegerOp : uint8_t { kAdd = 0, kSub = 1, kMul = 2 };
/// Unchecked floating-point operations (IEEE semantics: x/0 gives ±Inf or NaN).
enum class FloatOp : uint8_t { kAdd = 0, kSub = 1, kMul = 2, kDiv = 3 };

/// Outcome of an integer division or modulo kernel: the first failing valid row in row order
/// decides (PostgreSQL evaluates rows in order and stops at the first error).
enum class DivideStatus : uint8_t {
  kOk = 0,
  kDivisionByZero = 1,  ///< caller raises 22012 "division by zero"
  kOverflow = 2,        ///< caller raises 22003 "smallint/integer/bigint out of range"
};

// NULL handling for all kernels below: rows at NULL positions may hold any bits. Pass the
// operand vectors' combined validity as `validity` (one bit per row, 1 = valid, bit i of word
// i / 64; nullptr = all rows valid); a NULL row never reports an error, its output is
// unspecified and the caller marks it NULL. Checked kernels compute the whole vector with SIMD
// first and consult the bitmap only when some lane failed, so the no-error path never reads it.
//
// Thread-safety: pure functions of their arguments. `out` may alias a vector operand.

/// out[i] = left[i] op right[i] with wraparound; returns true when a valid row overflowed
/// (caller raises 22003). int64 multiplication is scalar (no SIMD 64x64->128 multiply).
bool checked_arith(IntegerOp op, Operand<int16_t> left, Operand<int16_t> right, size_t count, int16_t* out,
                   const uint64_t* validity);
bool checked_arith(IntegerOp op, Operand<int32_t> left, Operand<int32_t> right, size_t count, int32_t* out,
                   const uint64_t* validity);
bool checked_arith(IntegerOp op, Operand<int64_t> left, Operand<int64_t> right, size_t count, int64_t* out,
                   const uint64_t* validity);

/// out[i] = left[i] op right[i], no checks (the caller checks divisors or results if it must).
void float_arith(FloatOp op, Operand<double> left, Operand<double> right, size_t count, double* out);

/// out[i] = left[i] / right[i] truncated toward zero, as PostgreSQL's int2div/int4div/int8div:
/// a zero divisor is kDivisionByZero, MIN / -1 is kOverflow. Scalar (no SIMD integer division).
/// Failing rows get out = 0.
DivideStatus integer_divide(Operand<int16_t> left, Operand<int16_t> right, size_t count, int16_t* out,
                            const uint64_t* validity);
DivideStatus integer_divide(Operand<int32_t> left, Operand<int32_t> right, size_t count, int32_t* out,
                            const uint64_t* validity);
DivideStatus integer_divide(Operand<int64_t> left, Operand<int64_t> right, size_t count, int64_t* out,
                            const uint64_t* validity);

/// out[i] = left[i] % right[i] (sign of the dividend), as PostgreSQL's int4mod: a zero divisor is
/// kDivisionByZero; MIN % -1 is 0 (PostgreSQL special-cases it), so modulo never overflows.
DivideStatus integer_modulo(Operand<int16_t> left, Operand<int16_t> right, size_t count, int16_t* out,
                            const uint64_t* validity);
DivideStatus integer_modulo(Operand<int32_t> left, Operand<int32_t> right, size_t count, int32_t* out,
                            const uint64_t* validity);
DivideStatus integer_modulo(Operand<int64_t> left, Operand<int64_t> right, size_t count, int64_t* out,
                            const uint64_t* validity);

}  // namespace tessera::executor
