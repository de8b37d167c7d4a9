// Arithmetic operators: + - * / % over smallint, integer, bigint and double precision, ^ over
// double precision, prefix - and +. Integer results are checked (22003), division by zero is
// 22012, a finite double computation overflowing to infinity is 22003, as in PostgreSQL.
// real has + - * / and the prefix operators computed in single precision (overflow and
// underflow 22003), and real/double precision mixes computed in double precision.

#include <cmath>
#include <limits>

#include "executor/functions/builtin_functions.h"
#include "executor/functions/registration.h"
#include "executor/functions/vector_loops.h"
#include "executor/kernels/arithmetic.h"
#include "src/common/sql_error.h"
#include "src/common/value_cast.h"

namespace tessera::executor {

namespace {

enum class Arith : uint8_t { kAdd, kSub, kMul, kDiv, kMod, kPow };

[[noreturn]] void division_by_zero() { throw SqlError(SqlState::kDivisionByZero, "division by zero"); }

[[noreturn]] void float_overflow() { throw SqlError(SqlState::kNumericValueOutOfRange, "value out of range: overflow"); }

/// A dense, flat-or-constant operand as the SIMD kernels take it.
template <class T>
Operand<T> operand_of(const Vector& v) {
  return v.vector_type() == VectorType::kConstant ? Operand<T>::constant(v.values<T>()) : Operand<T>::vector(v.values<T>());
}

/// The SIMD path for + - *: every row, flat or constant operands. The result's validity (NULL
/// rows already marked by the caller) tells the kernel which lanes may not raise.
template <class T, Arith OP>
bool arith_simd(const Vector& a, const Vector& b, const sel_t* sel, size_t count, Vector& result) {
  if constexpr (OP != Arith::kAdd && OP != Arith::kSub && OP != Arith::kMul) {
    return false;
  } else {
    auto dense = [](const Vector& v) { return v.vector_type() == VectorType::kFlat || v.vector_type() == VectorType::kConstant; };
    if (sel || !dense(a) || !dense(b) || count == 0) return false;
    T* out = result.mutable_values<T>();
    const ValidityMask& rv = std::as_const(result).validity();
    const uint64_t* validity = rv.all_valid() ? nullptr : rv.data();
    if constexpr (std::is_same_v<T, double>) {
      constexpr FloatOp op = OP == Arith::kAdd ? FloatOp::kAdd : OP == Arith::kSub ? FloatOp::kSub : FloatOp::kMul;
      float_arith(op, operand_of<double>(a), operand_of<double>(b), count, out);
      // PostgreSQL raises on a finite computation that overflows to infinity.
      for (size_t r = 0; r < count; r++) {
        if (!std::isinf(out[r])) continue;
        if (validity && !((validity[r >> 6] >> (r & 63)) & 1)) continue;
        double x = a.vector_type() == VectorType::kConstant ? a.values<double>()[0] : a.values<double>()[r];
        double y = b.vector_type() == VectorType::kConstant ? b.values<double>()[0] : b.values<double>()[r];
        if (!std::isinf(x) && !std::isinf(y)) float_overflow();
      }
    } else {
      constexpr IntegerOp op = OP == Arith::kAdd ? IntegerOp::kAdd : OP == Arith::kSub ? IntegerOp::kSub : IntegerOp::kMul;
      if (checked_arith(op, operand_of<T>(a), operand_of<T>(b), count, out, validity)) throw_out_of_range(result.type());
    }
    return true;
  }
}

template <class T, Arith OP>
void integer_rows(const Vector& a, const Vector& b, const sel_t* sel, size_t count, Vector& result) {
  const LogicalType type = result.type();
  binary_strict<T, T, T>(a, b, sel, count, result, [&](T x, T y) -> T {
    T r;
    if constexpr (OP == Arith::kAdd) {
      if (__builtin_add_overflow(x, y, &r)) throw_out_of_range(type);
    } else if constexpr (OP == Arith::kSub) {
      if (__builtin_sub_overflow(x, y, &r)) throw_out_of_range(type);
    } else if constexpr (OP == Arith::kMul) {
      if (__builtin_mul_overflow(x, y, &r)) throw_out_of_range(type);
    } else if constexpr (OP == Arith::kDiv) {
      if (y == 0) division_by_zero();
      if (y == -1) {
        if (x == std::numeric_limits<T>::min()) throw_out_of_range(type);
        return static_cast<T>(-x);
      }
      r = static_cast<T>(x / y);
    } else {
      if (y == 0) division_by_zero();
      if (y == -1) return 0;
      r = static_cast<T>(x % y);
    }
    return r;
  });
}

/// Double precision arithmetic; A and B are double or real (a real operand widens exactly).
template <Arith OP, class A = double, class B = double>
void double_rows(const Vector& a, const Vector& b, const sel_t* sel, size_t count, Vector& result) {
  auto check = [](double x, double y, double r) {
    if (std::isinf(r) && !std::isinf(x) && !std::isinf(y)) float_overflow();
    return r;
  };
  binary_strict<A, B, double>(a, b, sel, count, result, [&](double x, double y) {
    if constexpr (OP == Arith::kAdd) {
      return check(x, y, x + y);
    } else if constexpr (OP == Arith::kSub) {
      return check(x, y, x - y);
    } else if constexpr (OP == Arith::kMul) {
      return check(x, y, x * y);
    } else if constexpr (OP == Arith::kDiv) {
      if (y == 0) division_by_zero();
      return check(x, y, x / y);
    } else if constexpr (OP == Arith::kMod) {
      if (y == 0) division_by_zero();
      return std::fmod(x, y);
    } else {
      if (x == 0 && y < 0) {
        throw SqlError(SqlState::kInvalidArgumentForPowerFunction, "zero raised to a negative power is undefined");
      }
      if (x < 0 && std::floor(y) != y) {
        throw SqlError(SqlState::kInvalidArgumentForPowerFunction,
                       "a negative number raised to a non-integer power yields a complex result");
      }
      return check(x, y, std::pow(x, y));
    }
  });
}

template <class T, Arith OP>
void arith_kernel(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  if (arith_simd<T, OP>(*args[0], *args[1], sel, count, result)) return;
  if constexpr (std::is_same_v<T, double>) {
    double_rows<OP>(*args[0], *args[1], sel, count, result);
  } else {
    integer_rows<T, OP>(*args[0], *args[1], sel, count, result);
  }
}

// ---- real (float4) ----

[[noreturn]] void float_underflow() { throw SqlError(SqlState::kNumericValueOutOfRange, "value out of range: underflow"); }

/// real op real computed in single precision with PostgreSQL's float4 checks: a finite
/// computation reaching infinity overflows; a product or quotient of nonzero finite values
/// reaching zero underflows.
template <Arith OP>
void real_arith_kernel(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result,
                       const catalog::FunctionData*) {
  binary_strict<float, float, float>(*args[0], *args[1], sel, count, result, [](float x, float y) {
    float r;
    if constexpr (OP == Arith::kAdd) {
      r = x + y;
    } else if constexpr (OP == Arith::kSub) {
      r = x - y;
    } else if constexpr (OP == Arith::kMul) {
      r = x * y;
      if (r == 0 && x != 0 && y != 0) float_underflow();
    } else {
      if (y == 0 && !std::isnan(x)) division_by_zero();
      r = x / y;
      if (std::isinf(r) && !std::isinf(x)) float_overflow();
      if (r == 0 && x != 0 && !std::isinf(y)) float_underflow();
      return r;
    }
    if (std::isinf(r) && !std::isinf(x) && !std::isinf(y)) float_overflow();
    return r;
  });
}

/// real op double precision and double precision op real, in double precision.
template <Arith OP, class A, class B>
void mixed_float_kernel(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result,
                        const catalog::FunctionData*) {
  double_rows<OP, A, B>(*args[0], *args[1], sel, count, result);
}

void register_real(catalog::FunctionRegistry& registry) {
  const LogicalType r = LogicalType::real();
  const LogicalType d = LogicalType::double_precision();
  registry.add(make_operator("+", {r, r}, r, real_arith_kernel<Arith::kAdd>));
  registry.add(make_operator("-", {r, r}, r, real_arith_kernel<Arith::kSub>));
  registry.add(make_operator("*", {r, r}, r, real_arith_kernel<Arith::kMul>));
  registry.add(make_operator("/", {r, r}, r, real_arith_kernel<Arith::kDiv>));
  registry.add(make_operator("+", {r, d}, d, mixed_float_kernel<Arith::kAdd, float, double>));
  registry.add(make_operator("-", {r, d}, d, mixed_float_kernel<Arith::kSub, float, double>));
  registry.add(make_operator("*", {r, d}, d, mixed_float_kernel<Arith::kMul, float, double>));
  registry.add(make_operator("/", {r, d}, d, mixed_float_kernel<Arith::kDiv, float, double>));
  registry.add(make_operator("+", {d, r}, d, mixed_float_kernel<Arith::kAdd, double, float>));
  registry.add(make_operator("-", {d, r}, d, mixed_float_kernel<Arith::kSub, double, float>));
  registry.add(make_operator("*", {d, r}, d, mixed_float_kernel<Arith::kMul, double, float>));
  registry.add(make_operator("/", {d, r}, d, mixed_float_kernel<Arith::kDiv, double, float>));
}

template <class T>
void negate_kernel(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  const LogicalType type = result.type();
  unary_strict<T, T>(*args[0], sel, count, result, [&](T x) -> T {
    if constexpr (std::is_same_v<T, double> || std::is_same_v<T, float>) {
      return -x;
    } else {
      if (x == std::numeric_limits<T>::min()) throw_out_of_range(type);
      return static_cast<T>(-x);
    }
  });
}

template <class T>
void identity_kernel(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  unary_strict<T, T>(*args[0], sel, count, result, [](T x) { return x; });
}

template <class T>
void register_type(catalog::FunctionRegistry& registry, const LogicalType& t) {
  registry.add(make_operator("+", {t, t}, t, arith_kernel<T, Arith::kAdd>));
  registry.add(make_operator("-", {t, t}, t, arith_kernel<T, Arith::kSub>));
  registry.add(make_operator("*", {t, t}, t, arith_kernel<T, Arith::kMul>));
  registry.add(make_operator("/", {t, t}, t, arith_kernel<T, Arith::kDiv>));
  // PostgreSQL has % for the integer types and numeric only.
  if constexpr (std::is_integral_v<T>) registry.add(make_operator("%", {t, t}, t, arith_kernel<T, Arith::kMod>));
  registry.add(make_operator("-", {t}, t, negate_kernel<T>));
  registry.add(make_operator("+", {t}, t, identity_kernel<T>));
}

}  // namespace

void register_arithmetic_functions(catalog::FunctionRegistry& registry) {
  register_type<int16_t>(registry, LogicalType::smallint());
  register_type<int32_t>(registry, LogicalType::integer());
  register_type<int64_t>(registry, LogicalType::bigint());
  register_type<double>(registry, LogicalType::double_precision());
  const LogicalType d = LogicalType::double_precision();
  registry.add(make_operator("^", {d, d}, d, arith_kernel<double, Arith::kPow>));
  register_real(registry);
  registry.add(make_operator("-", {LogicalType::real()}, LogicalType::real(), negate_kernel<float>));
  registry.add(make_operator("+", {LogicalType::real()}, LogicalType::real(), identity_kernel<float>));
}

}  // namespace tessera::executor
