#pragma once

// PostgreSQL's exact `numeric` type: a decimal value with a per-value display scale.
//
// Layout (PhysicalType::kNumeric, 16 bytes, 8-byte aligned): a signed 128-bit word holding
// `coefficient * 256 + tag`, where the value is coefficient * 10^-scale and the tag byte is the
// display scale (0..kMaxScale) or kNaNTag. Bound: at most kMaxDigits (35) significant decimal
// digits in the coefficient and a display scale of at most kMaxScale; a result beyond either
// raises 22003 numeric_value_out_of_range. PostgreSQL's numeric has no negative zero and neither
// does this one (the coefficient 0 has no sign). Infinity (PostgreSQL 14+) is not supported (0A000).

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "src/common/hash.h"

namespace tessera {

struct Numeric {
  uint64_t lo = 0;  ///< low 64 bits of the 128-bit word
  uint64_t hi = 0;  ///< high 64 bits of the 128-bit word

  static constexpr int kMaxDigits = 35;
  static constexpr int kMaxScale = 200;
  static constexpr uint8_t kNaNTag = 0xFF;

  /// coefficient * 10^-scale; raises 22003 beyond the bound.
  static Numeric make(__int128 coefficient, int scale);
  static Numeric nan() { return from_raw(static_cast<__int128>(kNaNTag)); }

  __int128 raw() const {
    unsigned __int128 u = (static_cast<unsigned __int128>(hi) << 64) | lo;
    return static_cast<__int128>(u);
  }
  static Numeric from_raw(__int128 r) {
    Numeric n;
    const auto u = static_cast<unsigned __int128>(r);
    n.lo = static_cast<uint64_t>(u);
    n.hi = static_cast<uint64_t>(u >> 64);
    return n;
  }
  bool is_nan() const { return (lo & 0xFF) == kNaNTag; }
  /// The signed coefficient (0 for NaN).
  __int128 coefficient() const { return is_nan() ? 0 : (raw() >> 8); }
  int scale() const { return is_nan() ? 0 : static_cast<int>(lo & 0xFF); }

  /// Representation equality (1.0 and 1.00 differ); SQL equality is numeric::compare.
  bool same_representation(const Numeric& o) const { return lo == o.lo && hi == o.hi; }
};
static_assert(sizeof(Numeric) == 16);

namespace numeric {

/// 10^n for 0 <= n <= 38.
__int128 pow10(int n);
/// Number of decimal digits of |c| (1 for 0).
int digit_count(__int128 c);

/// PostgreSQL's numeric_in: whitespace around, sign, digits with an optional point, an optional
/// exponent, or NaN. Returns false for invalid syntax; raises 22003 beyond the bound and 0A000
/// for infinity.
bool parse(std::string_view text, Numeric& out);
/// Parses or raises 22P02 `invalid input syntax for type numeric: "<text>"`.
Numeric parse_or_throw(std::string_view text);
/// PostgreSQL's numeric_out: the digits with the value's display scale, or "NaN".
std::string format(const Numeric& n);

Numeric from_int64(int64_t v);
/// PostgreSQL's float8_numeric (15 significant digits, as "%.15g" prints them).
Numeric from_double(double v);
/// Rounds half away from zero to an integer; false when NaN or outside int64.
bool to_int64(const Numeric& n, int64_t& out);
/// PostgreSQL's numeric_float8 (the value's decimal text read as a double).
double to_double(const Numeric& n);

/// Total order: NaN above everything and equal to itself; equal values with different scales
/// (1.0, 1.00) compare equal.
int compare(const Numeric& a, const Numeric& b);
/// The value with trailing fractional zeros removed: one representation per equal value.
Numeric normalize(const Numeric& n);
/// Hash consistent with compare() equality.
hash_t hash(const Numeric& n);

/// Arithmetic with PostgreSQL's result scales: add/sub max(s1, s2), mul s1 + s2, div
/// select_div_scale, mod max(s1, s2). NaN in gives NaN out; division by zero raises 22012.
Numeric add_general(const Numeric& a, const Numeric& b);
Numeric sub_general(const Numeric& a, const Numeric& b);
Numeric mul_general(const Numeric& a, const Numeric& b);

namespace detail {
/// Operands whose coefficients lie below these bounds cannot leave the coefficient bound: the
/// inline fast paths below need no checks (10^17 * 10^17 < 10^35 - 1, 2^62 + 2^62 < 10^35).
constexpr __int128 kSmallForMul = 100000000000000000;  // 10^17
constexpr __int128 kSmallForAdd = __int128{1} << 62;
inline bool small(__int128 c, __int128 bound) { return c > -bound && c < bound; }
constexpr int64_t kPow10[18] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000,
                                10000000000, 100000000000, 1000000000000, 10000000000000, 100000000000000,
                                1000000000000000, 10000000000000000, 100000000000000000};
/// Brings small coefficients (below 10^17) to a common scale differing by at most 17 digits
/// (below 10^34: no checks needed); false when the general path must do it.
inline bool align_small(const Numeric& a, const Numeric& b, __int128& ca, __int128& cb, int& s) {
  if (a.is_nan() || b.is_nan()) return false;
  ca = a.coefficient();
  cb = b.coefficient();
  const int sa = a.scale();
  const int sb = b.scale();
  if (sa == sb) {
    s = sa;
    return small(ca, kSmallForAdd) && small(cb, kSmallForAdd);
  }
  if (!small(ca, kSmallForMul) || !small(cb, kSmallForMul)) return false;
  if (sa < sb) {
    if (sb - sa > 17) return false;
    ca *= kPow10[sb - sa];
    s = sb;
  } else {
    if (sa - sb > 17) return false;
    cb *= kPow10[sa - sb];
    s = sa;
  }
  return true;
}
}  // namespace detail

/// The common case inline: small coefficients (and, for add and sub, nearby scales); the general
/// functions handle the rest (NaN, large coefficients, the bound).
inline Numeric add(const Numeric& a, const Numeric& b) {
  __int128 ca, cb;
  int s;
  if (detail::align_small(a, b, ca, cb, s)) return Numeric::from_raw((ca + cb) * 256 + s);
  return add_general(a, b);
}
inline Numeric sub(const Numeric& a, const Numeric& b) {
  __int128 ca, cb;
  int s;
  if (detail::align_small(a, b, ca, cb, s)) return Numeric::from_raw((ca - cb) * 256 + s);
  return sub_general(a, b);
}
inline Numeric mul(const Numeric& a, const Numeric& b) {
  if (!a.is_nan() && !b.is_nan()) {
    const __int128 ca = a.coefficient();
    const __int128 cb = b.coefficient();
    const int s = a.scale() + b.scale();
    if (s <= Numeric::kMaxScale && detail::small(ca, detail::kSmallForMul) && detail::small(cb, detail::kSmallForMul)) {
      return Numeric::from_raw(ca * cb * 256 + s);
    }
  }
  return mul_general(a, b);
}
Numeric div(const Numeric& a, const Numeric& b);
Numeric mod(const Numeric& a, const Numeric& b);
Numeric negate(const Numeric& a);
/// The square root of a >= 0 rounded half away from zero to `rscale` fractional digits, the
/// result's scale (PostgreSQL's sqrt_var). NaN gives NaN; a negative argument raises 2201F.
Numeric sqrt(const Numeric& a, int rscale);
Numeric abs(const Numeric& a);
/// -1, 0 or 1 (scale 0); NaN for NaN.
Numeric sign(const Numeric& a);
/// round(a, s) half away from zero and trunc(a, s) toward zero; the result's scale is max(s, 0).
Numeric round(const Numeric& a, int s);
Numeric trunc(const Numeric& a, int s);
Numeric ceil(const Numeric& a);
Numeric floor(const Numeric& a);

/// numeric(p,s) type modifiers, PostgreSQL's encoding ((p << 16) | (s & 0x7ff)) + 4.
int32_t make_typmod(int precision, int scale);
int typmod_precision(int32_t typmod);
int typmod_scale(int32_t typmod);
/// Validates numeric(p[,s]) modifiers as written (PostgreSQL's numerictypmodin, 22023 errors)
/// and returns the typmod.
int32_t typmod_from_modifiers(const int32_t* modifiers, size_t count);
/// Coerces a value to numeric(p,s) (typmod -1: unchanged): rounds to s, raises 22003
/// "numeric field overflow" when the integer part does not fit.
Numeric apply_typmod(const Numeric& n, int32_t typmod);

}  // namespace numeric
}  // namespace tessera
