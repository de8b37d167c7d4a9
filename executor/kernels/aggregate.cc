#include "executor/kernels/aggregate.h"

#include <cmath>
#include <limits>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "executor/kernels/aggregate.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"

#ifndef TESSERA_EXECUTOR_KERNELS_AGGREGATE_SCALAR_
#define TESSERA_EXECUTOR_KERNELS_AGGREGATE_SCALAR_
namespace tessera::executor::internal_aggregate {

inline bool row_valid(const uint64_t* validity, size_t row) {
  return validity == nullptr || ((validity[row >> 6] >> (row & 63)) & 1) != 0;
}

/// min/max under PostgreSQL's float8 ordering (NaN greatest).
inline double pg_min(double a, double b) {
  if (std::isnan(a)) return b;
  if (std::isnan(b)) return a;
  return b < a ? b : a;
}
inline double pg_max(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::numeric_limits<double>::quiet_NaN();
  return b > a ? b : a;
}

}  // namespace tessera::executor::internal_aggregate
#endif

HWY_BEFORE_NAMESPACE();
namespace tessera::executor::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Calls `full(v)` for whole vectors (invalid lanes replaced by `identity`) and `scalar(x)` for
// the remaining valid rows. All-valid bitmap words take the plain path, all-NULL words are
// skipped, mixed words load their bits as a lane mask.
template <class D, class T, class Full, class Scalar>
HWY_INLINE void visit_valid(D d, const T* HWY_RESTRICT values, size_t count, const uint64_t* validity,
                            hn::Vec<D> identity, const Full& full, const Scalar& scalar) {
  const size_t lanes = hn::Lanes(d);
  size_t i = 0;
  if (validity == nullptr) {
    for (; i + lanes <= count; i += lanes) full(hn::LoadU(d, values + i));
    for (; i < count; i++) scalar(values[i]);
    return;
  }
  if (lanes <= 64 && 64 % lanes == 0) {
    const size_t words = count / 64;
    for (size_t w = 0; w < words; w++) {
      const uint64_t bits = validity[w];
      const T* base = values + w * 64;
      if (bits == ~uint64_t{0}) {
        for (size_t o = 0; o < 64; o += lanes) full(hn::LoadU(d, base + o));
      } else if (bits != 0) {
        for (size_t o = 0; o < 64; o += lanes) {
          uint64_t b = bits >> o;
          if (lanes < 64) b &= (uint64_t{1} << lanes) - 1;
          if (b == 0) continue;
          uint8_t bytes[8];
          for (size_t k = 0; k < 8; k++) bytes[k] = static_cast<uint8_t>(b >> (8 * k));
          const auto m = hn::LoadMaskBits(d, bytes);
          full(hn::IfThenElse(m, hn::LoadU(d, base + o), identity));
        }
      }
    }
    i = words * 64;
  }
  for (; i < count; i++) {
    if (internal_aggregate::row_valid(validity, i)) scalar(values[i]);
  }
}

// int16/int32 sums: lanes widen to int64; a lane cannot overflow for count < 2^32 rows.
template <class T>
HWY_NOINLINE bool sum_narrow(const T* values, size_t count, const uint64_t* validity, int64_t* inout) {
  const hn::ScalableTag<int64_t> d64;
  const hn::Rebind<T, decltype(d64)> dn;
  auto acc = hn::Zero(d64);
  int64_t tail = 0;
  visit_valid(
      dn, values, count, validity, hn::Zero(dn),
      [&](hn::Vec<decltype(dn)> v) {
        if constexpr (sizeof(T) == 4) {
          acc = hn::Add(acc, hn::PromoteTo(d64, v));
        } else {
          const hn::Rebind<int32_t, decltype(d64)> d32;
          acc = hn::Add(acc, hn::PromoteTo(d64, hn::PromoteTo(d32, v)));
        }
      },
      [&](T x) { tail += x; });
  const int64_t total = hn::GetLane(hn::SumOfLanes(d64, acc)) + tail;
  return __builtin_add_overflow(*inout, total, inout);
}

// int64 sum: every lane wraps; a per-lane carry counts the wraps (+1 up, -1 down) so that the
// exact 128-bit sum is known at the end.
HWY_NOINLINE bool sum_wide(const int64_t* values, size_t count, const uint64_t* validity, int64_t* inout) {
  const hn::ScalableTag<int64_t> d;
  auto acc = hn::Zero(d);
  auto carry = hn::Zero(d);
  const auto one = hn::Set(d, 1);
  __int128 total = *inout;
  visit_valid(
      d, values, count, validity, hn::Zero(d),
      [&](hn::Vec<decltype(d)> v) {
        const auto r = hn::Add(acc, v);
        const auto wrapped = hn::Lt(hn::And(hn::Xor(acc, r), hn::Xor(v, r)), hn::Zero(d));
        // -1 for a negative addend (wrapped downwards), +1 for a positive one.
        carry = hn::Add(carry, hn::IfThenElseZero(wrapped, hn::Or(hn::ShiftRight<63>(v), one)));
        acc = r;
      },
      [&](int64_t x) { total += x; });
  HWY_ALIGN int64_t acc_lanes[HWY_MAX_BYTES / sizeof(int64_t)];
  HWY_ALIGN int64_t carry_lanes[HWY_MAX_BYTES / sizeof(int64_t)];
  hn::Store(acc, d, acc_lanes);
  hn::Store(carry, d, carry_lanes);
  for (size_t i = 0; i < hn::Lanes(d); i++) {
    total += acc_lanes[i];
    total += static_cast<__int128>(carry_lanes[i]) * (static_cast<__int128>(1) << 64);
  }
  if (total > std::numeric_limits<int64_t>::max() || total < std::numeric_limits<int64_t>::min()) return true;
  *inout = static_cast<int64_t>(total);
  return false;
}

HWY_NOINLINE void sum_double(const double* values, size_t count, const uint64_t* validity, double* inout) {
  const hn::ScalableTag<double> d;
  auto acc = hn::Zero(d);
  double tail = 0;
  visit_valid(
      d, values, count, validity, hn::Zero(d), [&](hn::Vec<decltype(d)> v) { acc = hn::Add(acc, v); },
      [&](double x) { tail += x; });
  *inout += hn::GetLane(hn::SumOfLanes(d, acc)) + tail;
}

template <bool kMax, class T>
HWY_NOINLINE void min_max_integer(const T* values, size_t count, const uint64_t* validity, T* inout) {
  const hn::ScalableTag<T> d;
  const T identity = kMax ? std::numeric_limits<T>::min() : std::numeric_limits<T>::max();
  auto acc = hn::Set(d, identity);
  T result = *inout;
  visit_valid(
      d, values, count, validity, acc,
      [&](hn::Vec<decltype(d)> v) { acc = kMax ? hn::Max(acc, v) : hn::Min(acc, v); },
      [&](T x) { result = kMax ? (x > result ? x : result) : (x < result ? x : result); });
  const T lanes = hn::GetLane(kMax ? hn::MaxOfLanes(d, acc) : hn::MinOfLanes(d, acc));
  *inout = kMax ? (lanes > result ? lanes : result) : (lanes < result ? lanes : result);
}

// Doubles: NaN lanes are tracked in a mask vector and replaced by an infinity, so that the
// hardware min/max (whose NaN behaviour differs by target) only sees ordered values.
template <bool kMax>
HWY_NOINLINE void min_max_double(const double* values, size_t count, const uint64_t* validity, double* inout) {
  const hn::ScalableTag<double> d;
  const double inf = std::numeric_limits<double>::infinity();
  // For max: accumulator starts at -inf, `flag` = "saw a NaN". For min: NULL lanes become NaN
  // (the identity), accumulator starts at +inf, `flag` = "saw a non-NaN value".
  const auto identity = hn::Set(d, kMax ? -inf : std::numeric_limits<double>::quiet_NaN());
  auto acc = hn::Set(d, kMax ? -inf : inf);
  auto flag = hn::Zero(d);
  double result = *inout;
  visit_valid(
      d, values, count, validity, identity,
      [&](hn::Vec<decltype(d)> v) {
        const auto nan = hn::IsNaN(v);
        if constexpr (kMax) {
          flag = hn::Or(flag, hn::VecFromMask(d, nan));
          acc = hn::Max(acc, hn::IfThenElse(nan, hn::Set(d, -inf), v));
        } else {
          flag = hn::Or(flag, hn::VecFromMask(d, hn::Not(nan)));
          acc = hn::Min(acc, hn::IfThenElse(nan, hn::Set(d, inf), v));
        }
      },
      [&](double x) { result = kMax ? internal_aggregate::pg_max(result, x) : internal_aggregate::pg_min(result, x); });
  const bool flagged = !hn::AllFalse(d, hn::MaskFromVec(flag));
  if constexpr (kMax) {
    const double lanes = flagged ? std::numeric_limits<double>::quiet_NaN() : hn::GetLane(hn::MaxOfLanes(d, acc));
    *inout = internal_aggregate::pg_max(result, lanes);
  } else {
    // No non-NaN lane: the lanes contributed only NaN (or nothing), the identity for min.
    const double lanes = flagged ? hn::GetLane(hn::MinOfLanes(d, acc)) : std::numeric_limits<double>::quiet_NaN();
    *inout = internal_aggregate::pg_min(result, lanes);
  }
}

bool SumI16(const int16_t* v, size_t n, const uint64_t* valid, int64_t* inout) { return sum_narrow(v, n, valid, inout); }
bool SumI32(const int32_t* v, size_t n, const uint64_t* valid, int64_t* inout) { return sum_narrow(v, n, valid, inout); }
bool SumI64(const int64_t* v, size_t n, const uint64_t* valid, int64_t* inout) { return sum_wide(v, n, valid, inout); }
void SumF64(const double* v, size_t n, const uint64_t* valid, double* inout) { sum_double(v, n, valid, inout); }
void MinI16(const int16_t* v, size_t n, const uint64_t* valid, int16_t* io) { min_max_integer<false>(v, n, valid, io); }
void MinI32(const int32_t* v, size_t n, const uint64_t* valid, int32_t* io) { min_max_integer<false>(v, n, valid, io); }
void MinI64(const int64_t* v, size_t n, const uint64_t* valid, int64_t* io) { min_max_integer<false>(v, n, valid, io); }
void MinF64(const double* v, size_t n, const uint64_t* valid, double* io) { min_max_double<false>(v, n, valid, io); }
void MaxI16(const int16_t* v, size_t n, const uint64_t* valid, int16_t* io) { min_max_integer<true>(v, n, valid, io); }
void MaxI32(const int32_t* v, size_t n, const uint64_t* valid, int32_t* io) { min_max_integer<true>(v, n, valid, io); }
void MaxI64(const int64_t* v, size_t n, const uint64_t* valid, int64_t* io) { min_max_integer<true>(v, n, valid, io); }
void MaxF64(const double* v, size_t n, const uint64_t* valid, double* io) { min_max_double<true>(v, n, valid, io); }

}  // namespace tessera::executor::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace tessera::executor {

HWY_EXPORT(SumI16);
HWY_EXPORT(SumI32);
HWY_EXPORT(SumI64);
HWY_EXPORT(SumF64);
HWY_EXPORT(MinI16);
HWY_EXPORT(MinI32);
HWY_EXPORT(MinI64);
HWY_EXPORT(MinF64);
HWY_EXPORT(MaxI16);
HWY_EXPORT(MaxI32);
HWY_EXPORT(MaxI64);
HWY_EXPORT(MaxF64);

size_t count_valid(const uint64_t* validity, size_t count) {
  if (validity == nullptr) return count;
  size_t n = 0;
  const size_t words = count / 64;
  for (size_t w = 0; w < words; w++) n += static_cast<size_t>(__builtin_popcountll(validity[w]));
  if (count % 64 != 0) {
    n += static_cast<size_t>(__builtin_popcountll(validity[words] & ((uint64_t{1} << (count % 64)) - 1)));
  }
  return n;
}

bool sum_i16(const int16_t* values, size_t count, const uint64_t* validity, int64_t* inout_sum) {
  return HWY_DYNAMIC_DISPATCH(SumI16)(values, count, validity, inout_sum);
}
bool sum_i32(const int32_t* values, size_t count, const uint64_t* validity, int64_t* inout_sum) {
  return HWY_DYNAMIC_DISPATCH(SumI32)(values, count, validity, inout_sum);
}
bool sum_i64(const int64_t* values, size_t count, const uint64_t* validity, int64_t* inout_sum) {
  return HWY_DYNAMIC_DISPATCH(SumI64)(values, count, validity, inout_sum);
}
void sum_f64(const double* values, size_t count, const uint64_t* validity, double* inout_sum) {
  HWY_DYNAMIC_DISPATCH(SumF64)(values, count, validity, inout_sum);
}

#define TS_MIN_MAX_WRAPPER(name, Export, T)                                       \
  bool name(const T* values, size_t count, const uint64_t* validity, T* inout) {  \
    if (count_valid(validity, count) == 0) return false;                          \
    HWY_DYNAMIC_DISPATCH(Export)(values, count, validity, inout);                 \
    return true;                                                                  \
  }
TS_MIN_MAX_WRAPPER(min_i16, MinI16, int16_t)
TS_MIN_MAX_WRAPPER(min_i32, MinI32, int32_t)
TS_MIN_MAX_WRAPPER(min_i64, MinI64, int64_t)
TS_MIN_MAX_WRAPPER(min_f64, MinF64, double)
TS_MIN_MAX_WRAPPER(max_i16, MaxI16, int16_t)
TS_MIN_MAX_WRAPPER(max_i32, MaxI32, int32_t)
TS_MIN_MAX_WRAPPER(max_i64, MaxI64, int64_t)
TS_MIN_MAX_WRAPPER(max_f64, MaxF64, double)
#undef TS_MIN_MAX_WRAPPER

}  // namespace tessera::executor
#endif  // HWY_ONCE
