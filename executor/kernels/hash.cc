#include "executor/kernels/hash.h"

#include <cstring>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "executor/kernels/hash.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"

#ifndef TESSERA_EXECUTOR_KERNELS_HASH_SCALAR_
#define TESSERA_EXECUTOR_KERNELS_HASH_SCALAR_
namespace tessera::executor::internal_hash {

// The same constants and steps as tessera::hash_int / combine_hash (src/common/hash.h); the
// kernels may depend on nothing but Highway, so they are restated here and the tests check
// bit-identity against the originals.
inline constexpr uint64_t kMul1 = 0xff51afd7ed558ccdULL;
inline constexpr uint64_t kMul2 = 0xc4ceb9fe1a85ec53ULL;
inline constexpr uint64_t kCombineMul = 0xbf58476d1ce4e5b9ULL;

inline uint64_t mix(uint64_t x) {
  x ^= x >> 33;
  x *= kMul1;
  x ^= x >> 33;
  x *= kMul2;
  x ^= x >> 33;
  return x;
}

template <class T>
inline uint64_t widen(T v) {
  if constexpr (sizeof(T) == 8 && static_cast<T>(0.5) != 0) {
    if (v == 0) v = 0;                  // -0.0 -> +0.0
    if (v != v) v = __builtin_nan("");  // every NaN hashes alike
    uint64_t bits;
    std::memcpy(&bits, &v, sizeof(bits));
    return bits;
  } else {
    return static_cast<uint64_t>(static_cast<int64_t>(v));
  }
}

}  // namespace tessera::executor::internal_hash
#endif

HWY_BEFORE_NAMESPACE();
namespace tessera::executor::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

#if HWY_TARGET != HWY_SCALAR
// Low 64 bits of a 64x64 product from three 32x32->64 multiplications (Highway 1.0.3 has no
// 64-bit lane multiply on x86).
template <class D>
HWY_INLINE hn::Vec<D> mul64(D d, hn::Vec<D> a, hn::Vec<D> b) {
  const hn::Repartition<uint32_t, D> d32;
  const auto lo_lo = hn::MulEven(hn::BitCast(d32, a), hn::BitCast(d32, b));
  const auto hi_lo = hn::MulEven(hn::BitCast(d32, hn::ShiftRight<32>(a)), hn::BitCast(d32, b));
  const auto lo_hi = hn::MulEven(hn::BitCast(d32, a), hn::BitCast(d32, hn::ShiftRight<32>(b)));
  (void)d;
  return hn::Add(lo_lo, hn::ShiftLeft<32>(hn::Add(hi_lo, lo_hi)));
}

template <class D>
HWY_INLINE hn::Vec<D> mix_vec(D d, hn::Vec<D> x) {
  x = hn::Xor(x, hn::ShiftRight<33>(x));
  x = mul64(d, x, hn::Set(d, internal_hash::kMul1));
  x = hn::Xor(x, hn::ShiftRight<33>(x));
  x = mul64(d, x, hn::Set(d, internal_hash::kMul2));
  return hn::Xor(x, hn::ShiftRight<33>(x));
}

// Loads lanes of T and widens them to the uint64 the scalar hash sees.
template <class T, class D>
HWY_INLINE hn::Vec<D> load_widened(D du, const T* p) {
  if constexpr (hwy::IsFloat<T>()) {
    const hn::Rebind<double, D> df;
    auto v = hn::LoadU(df, p);
    v = hn::IfThenZeroElse(hn::Eq(v, hn::Zero(df)), v);                     // -0.0 -> +0.0
    v = hn::IfThenElse(hn::Ne(v, v), hn::Set(df, __builtin_nan("")), v);  // every NaN alike
    return hn::BitCast(du, v);
  } else if constexpr (sizeof(T) == 8) {
    return hn::BitCast(du, hn::LoadU(hn::Rebind<int64_t, D>(), p));
  } else if constexpr (sizeof(T) == 4) {
    const hn::Rebind<int64_t, D> di;
    const hn::Rebind<T, D> dn;
    return hn::BitCast(du, hn::PromoteTo(di, hn::LoadU(dn, p)));
  } else {
    // 1.0.3 has no int16 -> int64 promotion: go through int32.
    const hn::Rebind<int64_t, D> di;
    const hn::Rebind<int32_t, D> d32;
    const hn::Rebind<T, D> dn;
    return hn::BitCast(du, hn::PromoteTo(di, hn::PromoteTo(d32, hn::LoadU(dn, p))));
  }
}
#endif

template <bool kCombine, class T>
HWY_NOINLINE void hash_impl(const T* HWY_RESTRICT values, size_t count, uint64_t* HWY_RESTRICT out) {
  size_t i = 0;
#if HWY_TARGET != HWY_SCALAR
  const hn::ScalableTag<uint64_t> d;
  const size_t lanes = hn::Lanes(d);
  for (; i + lanes <= count; i += lanes) {
    auto h = mix_vec(d, load_widened<T>(d, values + i));
    if constexpr (kCombine) {
      h = hn::Xor(mul64(d, hn::LoadU(d, out + i), hn::Set(d, internal_hash::kCombineMul)), h);
    }
    hn::StoreU(h, d, out + i);
  }
#endif
  for (; i < count; i++) {
    const uint64_t h = internal_hash::mix(internal_hash::widen(values[i]));
    out[i] = kCombine ? (out[i] * internal_hash::kCombineMul) ^ h : h;
  }
}

void HashI16(const int16_t* v, size_t n, uint64_t* out) { hash_impl<false>(v, n, out); }
void HashI32(const int32_t* v, size_t n, uint64_t* out) { hash_impl<false>(v, n, out); }
void HashI64(const int64_t* v, size_t n, uint64_t* out) { hash_impl<false>(v, n, out); }
void HashF64(const double* v, size_t n, uint64_t* out) { hash_impl<false>(v, n, out); }
void CombineI16(const int16_t* v, size_t n, uint64_t* out) { hash_impl<true>(v, n, out); }
void CombineI32(const int32_t* v, size_t n, uint64_t* out) { hash_impl<true>(v, n, out); }
void CombineI64(const int64_t* v, size_t n, uint64_t* out) { hash_impl<true>(v, n, out); }
void CombineF64(const double* v, size_t n, uint64_t* out) { hash_impl<true>(v, n, out); }

}  // namespace tessera::executor::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace tessera::executor {

HWY_EXPORT(HashI16);
HWY_EXPORT(HashI32);
HWY_EXPORT(HashI64);
HWY_EXPORT(HashF64);
HWY_EXPORT(CombineI16);
HWY_EXPORT(CombineI32);
HWY_EXPORT(CombineI64);
HWY_EXPORT(CombineF64);

void hash_i16(const int16_t* values, size_t count, uint64_t* out) { HWY_DYNAMIC_DISPATCH(HashI16)(values, count, out); }
void hash_i32(const int32_t* values, size_t count, uint64_t* out) { HWY_DYNAMIC_DISPATCH(HashI32)(values, count, out); }
void hash_i64(const int64_t* values, size_t count, uint64_t* out) { HWY_DYNAMIC_DISPATCH(HashI64)(values, count, out); }
void hash_f64(const double* values, size_t count, uint64_t* out) { HWY_DYNAMIC_DISPATCH(HashF64)(values, count, out); }
void combine_hash_i16(const int16_t* values, size_t count, uint64_t* inout) {
  HWY_DYNAMIC_DISPATCH(CombineI16)(values, count, inout);
}
void combine_hash_i32(const int32_t* values, size_t count, uint64_t* inout) {
  HWY_DYNAMIC_DISPATCH(CombineI32)(values, count, inout);
}
void combine_hash_i64(const int64_t* values, size_t count, uint64_t* inout) {
  HWY_DYNAMIC_DISPATCH(CombineI64)(values, count, inout);
}
void combine_hash_f64(const double* values, size_t count, uint64_t* inout) {
  HWY_DYNAMIC_DISPATCH(CombineF64)(values, count, inout);
}

}  // namespace tessera::executor
#endif  // HWY_ONCE
