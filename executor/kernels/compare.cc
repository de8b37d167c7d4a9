#include "executor/kernels/compare.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "executor/kernels/compare.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace tessera::executor::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// One vector comparison; doubles use PostgreSQL's total order (NaN largest, NaN == NaN).
template <CompareOp kOp, class D, class V>
HWY_INLINE hn::Mask<D> compare_vec(D d, V a, V b) {
  using T = hn::TFromD<D>;
  if constexpr (hwy::IsFloat<T>()) {
    const auto a_nan = hn::IsNaN(a);
    const auto b_nan = hn::IsNaN(b);
    if constexpr (kOp == CompareOp::kEq || kOp == CompareOp::kNe) {
      const auto eq = hn::Or(hn::Eq(a, b), hn::And(a_nan, b_nan));
      if constexpr (kOp == CompareOp::kEq) return eq;
      else return hn::Not(eq);
    } else if constexpr (kOp == CompareOp::kLt) {
      return hn::Or(hn::Lt(a, b), hn::AndNot(a_nan, b_nan));  // b NaN, a not
    } else if constexpr (kOp == CompareOp::kLe) {
      return hn::Or(hn::Le(a, b), b_nan);
    } else if constexpr (kOp == CompareOp::kGt) {
      return hn::Or(hn::Gt(a, b), hn::AndNot(b_nan, a_nan));  // a NaN, b not
    } else {
      return hn::Or(hn::Ge(a, b), a_nan);
    }
  } else {
    (void)d;
    if constexpr (kOp == CompareOp::kEq) return hn::Eq(a, b);
    else if constexpr (kOp == CompareOp::kNe) return hn::Ne(a, b);
    else if constexpr (kOp == CompareOp::kLt) return hn::Lt(a, b);
    // Highway 1.0.3 has no integer Le/Ge; integers are totally ordered, so negate.
    else if constexpr (kOp == CompareOp::kLe) return hn::Not(hn::Gt(a, b));
    else if constexpr (kOp == CompareOp::kGt) return hn::Gt(a, b);
    else return hn::Not(hn::Lt(a, b));
  }
}

// The compute tag for lane type T: int16 is promoted to int32 so that one comparison lane
// corresponds to one 32-bit index lane.
template <class T>
struct ComputeType {
  using type = T;
};
template <>
struct ComputeType<int16_t> {
  using type = int32_t;
};

template <class T, class D>
HWY_INLINE hn::Vec<D> load_lanes(D d, const T* p) {
  if constexpr (sizeof(T) == sizeof(hn::TFromD<D>)) {
    return hn::LoadU(d, p);
  } else {
    const hn::Rebind<T, D> dn;
    return hn::PromoteTo(d, hn::LoadU(dn, p));
  }
}

// Writes the row indexes [base, base + Lanes) whose mask lane is set to out; returns how many.
// Writes up to Lanes(d) entries at `out` (callers guarantee room for them).
template <class D>
HWY_INLINE size_t store_indexes(D d, hn::Mask<D> m, uint32_t base, uint32_t* HWY_RESTRICT out) {
  using T = hn::TFromD<D>;
  const hn::RebindToUnsigned<D> du;
  if constexpr (sizeof(T) == 4) {
    const auto idx = hn::Iota(du, base);
    return hn::CompressStore(idx, hn::RebindMask(du, m), du, out);
  } else {
    static_assert(sizeof(T) == 8, "compare lanes are 32 or 64 bits");
    const hn::Rebind<uint32_t, decltype(du)> du32;
    const auto idx = hn::Iota(du, static_cast<uint64_t>(base));
    const auto packed = hn::Compress(idx, hn::RebindMask(du, m));
    hn::StoreU(hn::TruncateTo(du32, packed), du32, out);
    return hn::CountTrue(d, m);
  }
}

template <CompareOp kOp, bool kConstant, class T>
HWY_NOINLINE size_t select_impl(const T* HWY_RESTRICT left, const T* HWY_RESTRICT right, T constant,
                                size_t count, const uint32_t* sel_in, uint32_t* sel_out) {
  size_t n = 0;
  if (sel_in != nullptr) {
    // Sparse: scalar, branch-free. Writing position n <= i keeps aliasing sel_in == sel_out safe.
    for (size_t i = 0; i < count; i++) {
      const uint32_t r = sel_in[i];
      const T b = kConstant ? constant : right[r];
      sel_out[n] = r;
      n += compare_values(kOp, left[r], b) ? 1 : 0;
    }
    return n;
  }
  using TC = typename ComputeType<T>::type;
  const hn::ScalableTag<TC> d;
  const size_t lanes = hn::Lanes(d);
  const auto vc = hn::Set(d, static_cast<TC>(constant));
  size_t i = 0;
  // Each store writes at most `lanes` entries at n <= i, so it stays below i + lanes <= count.
  for (; i + lanes <= count; i += lanes) {
    const auto a = load_lanes(d, left + i);
    const auto b = kConstant ? vc : load_lanes(d, right + i);
    n += store_indexes(d, compare_vec<kOp>(d, a, b), static_cast<uint32_t>(i), sel_out + n);
  }
  for (; i < count; i++) {
    const T b = kConstant ? constant : right[i];
    sel_out[n] = static_cast<uint32_t>(i);
    n += compare_values(kOp, left[i], b) ? 1 : 0;
  }
  return n;
}

template <bool kConstant, class T>
HWY_INLINE size_t select_dispatch(CompareOp op, const T* left, const T* right, T constant, size_t count,
                                  const uint32_t* sel_in, uint32_t* sel_out) {
  switch (op) {
    case CompareOp::kEq: return select_impl<CompareOp::kEq, kConstant>(left, right, constant, count, sel_in, sel_out);
    case CompareOp::kNe: return select_impl<CompareOp::kNe, kConstant>(left, right, constant, count, sel_in, sel_out);
    case CompareOp::kLt: return select_impl<CompareOp::kLt, kConstant>(left, right, constant, count, sel_in, sel_out);
    case CompareOp::kLe: return select_impl<CompareOp::kLe, kConstant>(left, right, constant, count, sel_in, sel_out);
    case CompareOp::kGt: return select_impl<CompareOp::kGt, kConstant>(left, right, constant, count, sel_in, sel_out);
    case CompareOp::kGe: return select_impl<CompareOp::kGe, kConstant>(left, right, constant, count, sel_in, sel_out);
  }
  return 0;
}

#define TS_COMPARE_TARGET_FUNCTIONS(T, SUFFIX)                                                          \
  size_t SelectConstant##SUFFIX(CompareOp op, const T* values, T constant, size_t count,               \
                                const uint32_t* sel_in, uint32_t* sel_out) {                             \
    return select_dispatch<true, T>(op, values, nullptr, constant, count, sel_in, sel_out);              \
  }                                                                                                    \
  size_t SelectVectors##SUFFIX(CompareOp op, const T* left, const T* right, size_t count,                \
                               const uint32_t* sel_in, uint32_t* sel_out) {                              \
    return select_dispatch<false, T>(op, left, right, T{}, count, sel_in, sel_out);                       \
  }

TS_COMPARE_TARGET_FUNCTIONS(int16_t, I16)
TS_COMPARE_TARGET_FUNCTIONS(int32_t, I32)
TS_COMPARE_TARGET_FUNCTIONS(int64_t, I64)
TS_COMPARE_TARGET_FUNCTIONS(double, F64)
#undef TS_COMPARE_TARGET_FUNCTIONS

}  // namespace tessera::executor::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace tessera::executor {

HWY_EXPORT(SelectConstantI16);
HWY_EXPORT(SelectConstantI32);
HWY_EXPORT(SelectConstantI64);
HWY_EXPORT(SelectConstantF64);
HWY_EXPORT(SelectVectorsI16);
HWY_EXPORT(SelectVectorsI32);
HWY_EXPORT(SelectVectorsI64);
HWY_EXPORT(SelectVectorsF64);

size_t select_compare_constant(CompareOp op, const int16_t* values, int16_t constant, size_t count,
                               const uint32_t* sel_in, uint32_t* sel_out) {
  return HWY_DYNAMIC_DISPATCH(SelectConstantI16)(op, values, constant, count, sel_in, sel_out);
}
size_t select_compare_constant(CompareOp op, const int32_t* values, int32_t constant, size_t count,
                               const uint32_t* sel_in, uint32_t* sel_out) {
  return HWY_DYNAMIC_DISPATCH(SelectConstantI32)(op, values, constant, count, sel_in, sel_out);
}
size_t select_compare_constant(CompareOp op, const int64_t* values, int64_t constant, size_t count,
                               const uint32_t* sel_in, uint32_t* sel_out) {
  return HWY_DYNAMIC_DISPATCH(SelectConstantI64)(op, values, constant, count, sel_in, sel_out);
}
size_t select_compare_constant(CompareOp op, const double* values, double constant, size_t count,
                               const uint32_t* sel_in, uint32_t* sel_out) {
  return HWY_DYNAMIC_DISPATCH(SelectConstantF64)(op, values, constant, count, sel_in, sel_out);
}
size_t select_compare_vectors(CompareOp op, const int16_t* left, const int16_t* right, size_t count,
                              const uint32_t* sel_in, uint32_t* sel_out) {
  return HWY_DYNAMIC_DISPATCH(SelectVectorsI16)(op, left, right, count, sel_in, sel_out);
}
size_t select_compare_vectors(CompareOp op, const int32_t* left, const int32_t* right, size_t count,
                              const uint32_t* sel_in, uint32_t* sel_out) {
  return HWY_DYNAMIC_DISPATCH(SelectVectorsI32)(op, left, right, count, sel_in, sel_out);
}
size_t select_compare_vectors(CompareOp op, const int64_t* left, const int64_t* right, size_t count,
                              const uint32_t* sel_in, uint32_t* sel_out) {
  return HWY_DYNAMIC_DISPATCH(SelectVectorsI64)(op, left, right, count, sel_in, sel_out);
}
size_t select_compare_vectors(CompareOp op, const double* left, const double* right, size_t count,
                              const uint32_t* sel_in, uint32_t* sel_out) {
  return HWY_DYNAMIC_DISPATCH(SelectVectorsF64)(op, left, right, count, sel_in, sel_out);
}

}  // namespace tessera::executor
#endif  // HWY_ONCE
