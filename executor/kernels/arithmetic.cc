#include "executor/kernels/arithmetic.h"

#include <limits>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "executor/kernels/arithmetic.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"

#ifndef TESSERA_EXECUTOR_KERNELS_ARITHMETIC_SCALAR_
#define TESSERA_EXECUTOR_KERNELS_ARITHMETIC_SCALAR_
namespace tessera::executor::internal_arith {

/// Scalar checked operation; returns true on overflow and stores the wrapped result.
template <class T>
inline bool scalar_overflows(IntegerOp op, T a, T b, T* result) {
  switch (op) {
    case IntegerOp::kAdd: return __builtin_add_overflow(a, b, result);
    case IntegerOp::kSub: return __builtin_sub_overflow(a, b, result);
    case IntegerOp::kMul: return __builtin_mul_overflow(a, b, result);
  }
  return false;
}

}  // namespace tessera::executor::internal_arith
#endif

HWY_BEFORE_NAMESPACE();
namespace tessera::executor::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Lane type and count used for one checked operation: int32 multiplication runs on as many
// lanes as a double vector has, because it checks the exact product in double precision.
template <IntegerOp kOp, class T>
struct ArithTag {
  using type = hn::ScalableTag<T>;
};
template <>
struct ArithTag<IntegerOp::kMul, int32_t> {
  using type = hn::Rebind<int32_t, hn::ScalableTag<double>>;
};

// Computes one vector of results; returns true when any lane overflowed.
template <IntegerOp kOp, class D, class V>
HWY_INLINE bool checked_step(D d, V a, V b, V& result) {
  using T = hn::TFromD<D>;
  if constexpr (kOp == IntegerOp::kAdd) {
    result = hn::Add(a, b);
    // Overflow iff both operands have the sign opposite to the result's.
    const auto bad = hn::And(hn::Xor(a, result), hn::Xor(b, result));
    return !hn::AllFalse(d, hn::Lt(bad, hn::Zero(d)));
  } else if constexpr (kOp == IntegerOp::kSub) {
    result = hn::Sub(a, b);
    // Overflow iff the operands' signs differ and the result's sign differs from a's.
    const auto bad = hn::And(hn::Xor(a, b), hn::Xor(a, result));
    return !hn::AllFalse(d, hn::Lt(bad, hn::Zero(d)));
  } else if constexpr (sizeof(T) == 2) {
    result = hn::Mul(a, b);
    // The full product fits iff the high half is the sign extension of the low half.
    return !hn::AllFalse(d, hn::Ne(hn::MulHigh(a, b), hn::ShiftRight<15>(result)));
  } else {
    static_assert(sizeof(T) == 4, "int64 multiplication is scalar");
    result = hn::Mul(a, b);
    // |a*b| < 2^62: the double product is exact below 2^53 and far outside int32 above it.
    const hn::Rebind<double, D> df;
    const auto p = hn::Mul(hn::PromoteTo(df, a), hn::PromoteTo(df, b));
    const auto too_big = hn::Gt(p, hn::Set(df, 2147483647.0));
    const auto too_small = hn::Lt(p, hn::Set(df, -2147483648.0));
    return !hn::AllFalse(df, hn::Or(too_big, too_small));
  }
}

template <IntegerOp kOp, bool kLeftConstant, bool kRightConstant, class T>
HWY_NOINLINE bool checked_impl(const T* HWY_RESTRICT left, const T* HWY_RESTRICT right, size_t count, T* out) {
  bool overflow = false;
  size_t i = 0;
  if constexpr (!(kOp == IntegerOp::kMul && sizeof(T) == 8)) {
    using D = typename ArithTag<kOp, T>::type;
    const D d;
    const size_t lanes = hn::Lanes(d);
    const auto lc = hn::Set(d, left[0]);
    const auto rc = hn::Set(d, right[0]);
    for (; i + lanes <= count; i += lanes) {
      const auto a = kLeftConstant ? lc : hn::LoadU(d, left + i);
      const auto b = kRightConstant ? rc : hn::LoadU(d, right + i);
      auto r = a;
      overflow |= checked_step<kOp>(d, a, b, r);
      hn::StoreU(r, d, out + i);
    }
  }
  for (; i < count; i++) {
    const T a = kLeftConstant ? left[0] : left[i];
    const T b = kRightConstant ? right[0] : right[i];
    overflow |= internal_arith::scalar_overflows(kOp, a, b, out + i);
  }
  return overflow;
}

template <IntegerOp kOp, class T>
HWY_INLINE bool checked_forms(const T* left, bool left_constant, const T* right, bool right_constant, size_t count,
                              T* out) {
  if (left_constant && right_constant) return checked_impl<kOp, true, true>(left, right, count, out);
  if (left_constant) return checked_impl<kOp, true, false>(left, right, count, out);
  if (right_constant) return checked_impl<kOp, false, true>(left, right, count, out);
  return checked_impl<kOp, false, false>(left, right, count, out);
}

template <class T>
HWY_INLINE bool checked_ops(IntegerOp op, const T* left, bool left_constant, const T* right, bool right_constant,
                            size_t count, T* out) {
  switch (op) {
    case IntegerOp::kAdd: return checked_forms<IntegerOp::kAdd>(left, left_constant, right, right_constant, count, out);
    case IntegerOp::kSub: return checked_forms<IntegerOp::kSub>(left, left_constant, right, right_constant, count, out);
    case IntegerOp::kMul: return checked_forms<IntegerOp::kMul>(left, left_constant, right, right_constant, count, out);
  }
  return false;
}

bool CheckedI16(IntegerOp op, const int16_t* l, bool lc, const int16_t* r, bool rc, size_t count, int16_t* out) {
  return checked_ops(op, l, lc, r, rc, count, out);
}
bool CheckedI32(IntegerOp op, const int32_t* l, bool lc, const int32_t* r, bool rc, size_t count, int32_t* out) {
  return checked_ops(op, l, lc, r, rc, count, out);
}
bool CheckedI64(IntegerOp op, const int64_t* l, bool lc, const int64_t* r, bool rc, size_t count, int64_t* out) {
  return checked_ops(op, l, lc, r, rc, count, out);
}

template <FloatOp kOp, bool kLeftConstant, bool kRightConstant>
HWY_NOINLINE void float_impl(const double* HWY_RESTRICT left, const double* HWY_RESTRICT right, size_t count,
                             double* out) {
  const hn::ScalableTag<double> d;
  const size_t lanes = hn::Lanes(d);
  const auto lc = hn::Set(d, left[0]);
  const auto rc = hn::Set(d, right[0]);
  size_t i = 0;
  for (; i + lanes <= count; i += lanes) {
    const auto a = kLeftConstant ? lc : hn::LoadU(d, left + i);
    const auto b = kRightConstant ? rc : hn::LoadU(d, right + i);
    if constexpr (kOp == FloatOp::kAdd) hn::StoreU(hn::Add(a, b), d, out + i);
    if constexpr (kOp == FloatOp::kSub) hn::StoreU(hn::Sub(a, b), d, out + i);
    if constexpr (kOp == FloatOp::kMul) hn::StoreU(hn::Mul(a, b), d, out + i);
    if constexpr (kOp == FloatOp::kDiv) hn::StoreU(hn::Div(a, b), d, out + i);
  }
  for (; i < count; i++) {
    const double a = kLeftConstant ? left[0] : left[i];
    const double b = kRightConstant ? right[0] : right[i];
    if constexpr (kOp == FloatOp::kAdd) out[i] = a + b;
    if constexpr (kOp == FloatOp::kSub) out[i] = a - b;
    if constexpr (kOp == FloatOp::kMul) out[i] = a * b;
    if constexpr (kOp == FloatOp::kDiv) out[i] = a / b;
  }
}

template <FloatOp kOp>
HWY_INLINE void float_forms(const double* left, bool left_constant, const double* right, bool right_constant,
                            size_t count, double* out) {
  if (left_constant && right_constant) return float_impl<kOp, true, true>(left, right, count, out);
  if (left_constant) return float_impl<kOp, true, false>(left, right, count, out);
  if (right_constant) return float_impl<kOp, false, true>(left, right, count, out);
  return float_impl<kOp, false, false>(left, right, count, out);
}

void FloatArith(FloatOp op, const double* l, bool lc, const double* r, bool rc, size_t count, double* out) {
  switch (op) {
    case FloatOp::kAdd: return float_forms<FloatOp::kAdd>(l, lc, r, rc, count, out);
    case FloatOp::kSub: return float_forms<FloatOp::kSub>(l, lc, r, rc, count, out);
    case FloatOp::kMul: return float_forms<FloatOp::kMul>(l, lc, r, rc, count, out);
    case FloatOp::kDiv: return float_forms<FloatOp::kDiv>(l, lc, r, rc, count, out);
  }
}

}  // namespace tessera::executor::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace tessera::executor {

HWY_EXPORT(CheckedI16);
HWY_EXPORT(CheckedI32);
HWY_EXPORT(CheckedI64);
HWY_EXPORT(FloatArith);

namespace {

inline bool row_valid(const uint64_t* validity, size_t row) {
  return validity == nullptr || ((validity[row >> 6] >> (row & 63)) & 1) != 0;
}

template <class T>
inline T operand_at(Operand<T> operand, size_t row) {
  return operand.is_constant ? operand.data[0] : operand.data[row];
}

// Only reached when the SIMD pass saw an overflowing lane: decides whether a valid row did.
template <class T>
bool valid_row_overflows(IntegerOp op, Operand<T> left, Operand<T> right, size_t count, const uint64_t* validity) {
  for (size_t i = 0; i < count; i++) {
    T ignored;
    if (row_valid(validity, i) &&
        internal_arith::scalar_overflows(op, operand_at(left, i), operand_at(right, i), &ignored)) {
      return true;
    }
  }
  return false;
}

template <class T>
DivideStatus divide_impl(bool modulo, Operand<T> left, Operand<T> right, size_t count, T* out,
                         const uint64_t* validity) {
  DivideStatus status = DivideStatus::kOk;
  for (size_t i = 0; i < count; i++) {
    const T a = operand_at(left, i);
    const T b = operand_at(right, i);
    if (b == 0) {
      out[i] = 0;
      if (status == DivideStatus::kOk && row_valid(validity, i)) status = DivideStatus::kDivisionByZero;
      continue;
    }
    if (b == -1) {
      // MIN / -1 overflows; MIN % -1 is 0 in PostgreSQL. Negate through unsigned to avoid UB.
      if (!modulo && a == std::numeric_limits<T>::min()) {
        out[i] = 0;
        if (status == DivideStatus::kOk && row_valid(validity, i)) status = DivideStatus::kOverflow;
        continue;
      }
      out[i] = modulo ? T{0} : static_cast<T>(-a);
      continue;
    }
    out[i] = modulo ? static_cast<T>(a % b) : static_cast<T>(a / b);
  }
  return status;
}

}  // namespace

bool checked_arith(IntegerOp op, Operand<int16_t> left, Operand<int16_t> right, size_t count, int16_t* out,
                   const uint64_t* validity) {
  if (!HWY_DYNAMIC_DISPATCH(CheckedI16)(op, left.data, left.is_constant, right.data, right.is_constant, count, out)) {
    return false;
  }
  return validity == nullptr || valid_row_overflows(op, left, right, count, validity);
}
bool checked_arith(IntegerOp op, Operand<int32_t> left, Operand<int32_t> right, size_t count, int32_t* out,
                   const uint64_t* validity) {
  if (!HWY_DYNAMIC_DISPATCH(CheckedI32)(op, left.data, left.is_constant, right.data, right.is_constant, count, out)) {
    return false;
  }
  return validity == nullptr || valid_row_overflows(op, left, right, count, validity);
}
bool checked_arith(IntegerOp op, Operand<int64_t> left, Operand<int64_t> right, size_t count, int64_t* out,
                   const uint64_t* validity) {
  if (!HWY_DYNAMIC_DISPATCH(CheckedI64)(op, left.data, left.is_constant, right.data, right.is_constant, count, out)) {
    return false;
  }
  return validity == nullptr || valid_row_overflows(op, left, right, count, validity);
}

void float_arith(FloatOp op, Operand<double> left, Operand<double> right, size_t count, double* out) {
  HWY_DYNAMIC_DISPATCH(FloatArith)(op, left.data, left.is_constant, right.data, right.is_constant, count, out);
}

DivideStatus integer_divide(Operand<int16_t> left, Operand<int16_t> right, size_t count, int16_t* out,
                            const uint64_t* validity) {
  return divide_impl(false, left, right, count, out, validity);
}
DivideStatus integer_divide(Operand<int32_t> left, Operand<int32_t> right, size_t count, int32_t* out,
                            const uint64_t* validity) {
  return divide_impl(false, left, right, count, out, validity);
}
DivideStatus integer_divide(Operand<int64_t> left, Operand<int64_t> right, size_t count, int64_t* out,
                            const uint64_t* validity) {
  return divide_impl(false, left, right, count, out, validity);
}
DivideStatus integer_modulo(Operand<int16_t> left, Operand<int16_t> right, size_t count, int16_t* out,
                            const uint64_t* validity) {
  return divide_impl(true, left, right, count, out, validity);
}
DivideStatus integer_modulo(Operand<int32_t> left, Operand<int32_t> right, size_t count, int32_t* out,
                            const uint64_t* validity) {
  return divide_impl(true, left, right, count, out, validity);
}
DivideStatus integer_modulo(Operand<int64_t> left, Operand<int64_t> right, size_t count, int64_t* out,
                            const uint64_t* validity) {
  return divide_impl(true, left, right, count, out, validity);
}

}  // namespace tessera::executor
#endif  // HWY_ONCE
