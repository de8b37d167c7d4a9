#include "storage/internal/filter_kernels.h"

#include <cmath>
#include <type_traits>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "storage/internal/filter_kernels.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace tessera::storage::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// `v op c` for one vector of lanes; doubles in the float8 total order.
template <CompareOp kOp, class D, class V>
HWY_INLINE hn::Mask<D> holds(D, V v, V c) {
  using T = hn::TFromD<D>;
  if constexpr (hwy::IsFloat<T>()) {
    const auto v_nan = hn::IsNaN(v);
    const auto c_nan = hn::IsNaN(c);
    if constexpr (kOp == CompareOp::kEqual) return hn::Or(hn::Eq(v, c), hn::And(v_nan, c_nan));
    if constexpr (kOp == CompareOp::kNotEqual) return hn::Not(hn::Or(hn::Eq(v, c), hn::And(v_nan, c_nan)));
    if constexpr (kOp == CompareOp::kLess) return hn::Or(hn::Lt(v, c), hn::AndNot(v_nan, c_nan));
    if constexpr (kOp == CompareOp::kLessEqual) return hn::Or(hn::Le(v, c), c_nan);
    if constexpr (kOp == CompareOp::kGreater) return hn::Or(hn::Gt(v, c), hn::AndNot(c_nan, v_nan));
    return hn::Or(hn::Ge(v, c), v_nan);  // kGreaterEqual
  } else {
    if constexpr (kOp == CompareOp::kEqual) return hn::Eq(v, c);
    if constexpr (kOp == CompareOp::kNotEqual) return hn::Not(hn::Eq(v, c));
    if constexpr (kOp == CompareOp::kLess) return hn::Lt(v, c);
    if constexpr (kOp == CompareOp::kLessEqual) return hn::Not(hn::Gt(v, c));
    if constexpr (kOp == CompareOp::kGreater) return hn::Gt(v, c);
    return hn::Not(hn::Lt(v, c));  // kGreaterEqual
  }
}

template <CompareOp kOp, class T>
HWY_INLINE bool holds_scalar(T v, T c) {
  if constexpr (std::is_same_v<T, double>) {
    const bool vn = std::isnan(v), cn = std::isnan(c);
    const bool eq = v == c || (vn && cn);
    const bool lt = !vn && (cn || v < c);
    if constexpr (kOp == CompareOp::kEqual) return eq;
    if constexpr (kOp == CompareOp::kNotEqual) return !eq;
    if constexpr (kOp == CompareOp::kLess) return lt;
    if constexpr (kOp == CompareOp::kLessEqual) return lt || eq;
    if constexpr (kOp == CompareOp::kGreater) return !(lt || eq);
    return !lt;
  } else {
    if constexpr (kOp == CompareOp::kEqual) return v == c;
    if constexpr (kOp == CompareOp::kNotEqual) return v != c;
    if constexpr (kOp == CompareOp::kLess) return v < c;
    if constexpr (kOp == CompareOp::kLessEqual) return v <= c;
    if constexpr (kOp == CompareOp::kGreater) return v > c;
    return v >= c;
  }
}

// Lanes are computed in T, except int16, which is widened so one lane matches one 32-bit index.
template <class T>
struct Lane {
  using type = T;
};
template <>
struct Lane<int16_t> {
  using type = int32_t;
};

template <CompareOp kOp, class T>
HWY_NOINLINE size_t select_dense_op(const T* HWY_RESTRICT values, T constant, size_t count,
                                    uint32_t* HWY_RESTRICT sel_out) {
  using L = typename Lane<T>::type;
  const hn::ScalableTag<L> d;
  const hn::RebindToUnsigned<decltype(d)> du;
  const size_t lanes = hn::Lanes(d);
  const auto c = hn::Set(d, static_cast<L>(constant));
  size_t n = 0;
  size_t i = 0;
  for (; i + lanes <= count; i += lanes) {
    hn::Vec<decltype(d)> v;
    if constexpr (sizeof(T) == sizeof(L)) {
      v = hn::LoadU(d, values + i);
    } else {
      const hn::Rebind<T, decltype(d)> dn;
      v = hn::PromoteTo(d, hn::LoadU(dn, values + i));
    }
    const auto m = hn::RebindMask(du, holds<kOp>(d, v, c));
    if constexpr (sizeof(L) == 4) {
      n += hn::CompressStore(hn::Iota(du, static_cast<uint32_t>(i)), m, du, sel_out + n);
    } else {
      // 64-bit lanes: compress the indexes, then narrow them to 32 bits. The store writes all
      // lanes; entries past the count are overwritten later or ignored (n + lanes <= i + lanes
      // <= count, so it stays inside sel_out).
      const hn::Rebind<uint32_t, decltype(du)> du32;
      const auto packed = hn::Compress(hn::Iota(du, static_cast<uint64_t>(i)), m);
      hn::StoreU(hn::TruncateTo(du32, packed), du32, sel_out + n);
      n += hn::CountTrue(du, m);
    }
  }
  for (; i < count; i++) {
    sel_out[n] = static_cast<uint32_t>(i);
    n += holds_scalar<kOp, T>(values[i], constant) ? 1 : 0;
  }
  return n;
}

template <class T>
HWY_INLINE size_t select_dense_any(CompareOp op, const T* values, T constant, size_t count, uint32_t* sel_out) {
  switch (op) {
    case CompareOp::kEqual: return select_dense_op<CompareOp::kEqual>(values, constant, count, sel_out);
    case CompareOp::kNotEqual: return select_dense_op<CompareOp::kNotEqual>(values, constant, count, sel_out);
    case CompareOp::kLess: return select_dense_op<CompareOp::kLess>(values, constant, count, sel_out);
    case CompareOp::kLessEqual: return select_dense_op<CompareOp::kLessEqual>(values, constant, count, sel_out);
    case CompareOp::kGreater: return select_dense_op<CompareOp::kGreater>(values, constant, count, sel_out);
    case CompareOp::kGreaterEqual: return select_dense_op<CompareOp::kGreaterEqual>(values, constant, count, sel_out);
  }
  return 0;
}

size_t SelectDenseI16(CompareOp op, const int16_t* values, int16_t constant, size_t count, uint32_t* sel_out) {
  return select_dense_any(op, values, constant, count, sel_out);
}
size_t SelectDenseI32(CompareOp op, const int32_t* values, int32_t constant, size_t count, uint32_t* sel_out) {
  return select_dense_any(op, values, constant, count, sel_out);
}
size_t SelectDenseI64(CompareOp op, const int64_t* values, int64_t constant, size_t count, uint32_t* sel_out) {
  return select_dense_any(op, values, constant, count, sel_out);
}
size_t SelectDenseF64(CompareOp op, const double* values, double constant, size_t count, uint32_t* sel_out) {
  return select_dense_any(op, values, constant, count, sel_out);
}

}  // namespace tessera::storage::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace tessera::storage {

HWY_EXPORT(SelectDenseI16);
HWY_EXPORT(SelectDenseI32);
HWY_EXPORT(SelectDenseI64);
HWY_EXPORT(SelectDenseF64);

size_t select_dense(CompareOp op, const int16_t* values, int16_t constant, size_t count, uint32_t* sel_out) {
  return HWY_DYNAMIC_DISPATCH(SelectDenseI16)(op, values, constant, count, sel_out);
}
size_t select_dense(CompareOp op, const int32_t* values, int32_t constant, size_t count, uint32_t* sel_out) {
  return HWY_DYNAMIC_DISPATCH(SelectDenseI32)(op, values, constant, count, sel_out);
}
size_t select_dense(CompareOp op, const int64_t* values, int64_t constant, size_t count, uint32_t* sel_out) {
  return HWY_DYNAMIC_DISPATCH(SelectDenseI64)(op, values, constant, count, sel_out);
}
size_t select_dense(CompareOp op, const double* values, double constant, size_t count, uint32_t* sel_out) {
  return HWY_DYNAMIC_DISPATCH(SelectDenseF64)(op, values, constant, count, sel_out);
}

}  // namespace tessera::storage
#endif  // HWY_ONCE
