#include "src/common/numeric.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "src/common/sql_error.h"

namespace tessera {

namespace {

constexpr __int128 kPow10[39] = {
    static_cast<__int128>(1),
    static_cast<__int128>(10),
    static_cast<__int128>(100),
    static_cast<__int128>(1000),
    static_cast<__int128>(10000),
    static_cast<__int128>(100000),
    static_cast<__int128>(1000000),
    static_cast<__int128>(10000000),
    static_cast<__int128>(100000000),
    static_cast<__int128>(1000000000),
    static_cast<__int128>(10000000000LL),
    static_cast<__int128>(100000000000LL),
    static_cast<__int128>(1000000000000LL),
    static_cast<__int128>(10000000000000LL),
    static_cast<__int128>(100000000000000LL),
    static_cast<__int128>(1000000000000000LL),
    static_cast<__int128>(10000000000000000LL),
    static_cast<__int128>(100000000000000000LL),
    static_cast<__int128>(1000000000000000000LL),
    static_cast<__int128>(1000000000000000000LL) * 10,
    static_cast<__int128>(1000000000000000000LL) * 100,
    static_cast<__int128>(1000000000000000000LL) * 1000,
    static_cast<__int128>(1000000000000000000LL) * 10000,
    static_cast<__int128>(1000000000000000000LL) * 100000,
    static_cast<__int128>(1000000000000000000LL) * 1000000,
    static_cast<__int128>(1000000000000000000LL) * 10000000,
    static_cast<__int128>(1000000000000000000LL) * 100000000,
    static_cast<__int128>(1000000000000000000LL) * 1000000000,
    static_cast<__int128>(1000000000000000000LL) * 10000000000LL,
    static_cast<__int128>(1000000000000000000LL) * 100000000000LL,
    static_cast<__int128>(1000000000000000000LL) * 1000000000000LL,
    static_cast<__int128>(1000000000000000000LL) * 10000000000000LL,
    static_cast<__int128>(1000000000000000000LL) * 100000000000000LL,
    static_cast<__int128>(1000000000000000000LL) * 1000000000000000LL,
    static_cast<__int128>(1000000000000000000LL) * 10000000000000000LL,
    static_cast<__int128>(1000000000000000000LL) * 100000000000000000LL,
    static_cast<__int128>(1000000000000000000LL) * 1000000000000000000LL,
    static_cast<__int128>(1000000000000000000LL) * 1000000000000000000LL * 10,
    static_cast<__int128>(1000000000000000000LL) * 1000000000000000000LL * 100,
};

constexpr __int128 kMaxCoefficient = kPow10[Numeric::kMaxDigits] - 1;

[[noreturn]] void out_of_range() {
  throw SqlError(SqlState::kNumericValueOutOfRange,
                 "numeric value out of range: Tessera's numeric holds at most " + std::to_string(Numeric::kMaxDigits) +
                     " significant digits and " + std::to_string(Numeric::kMaxScale) + " fractional digits");
}

__int128 abs128(__int128 v) { return v < 0 ? -v : v; }

/// c * 10^n, raising 22003 when the result leaves the coefficient bound.
__int128 scale_up(__int128 c, int n) {
  if (c == 0 || n == 0) return c;
  if (n > Numeric::kMaxDigits) out_of_range();
  __int128 r;
  if (n <= 18 && abs128(c) < kPow10[18]) {
    // Below 10^36: the product cannot overflow 128 bits (the overflow check is a library call).
    r = c * kPow10[n];
    if (abs128(r) > kMaxCoefficient) out_of_range();
    return r;
  }
  if (__builtin_mul_overflow(c, kPow10[n], &r) || abs128(r) > kMaxCoefficient) out_of_range();
  return r;
}

/// c / 10^n rounded half away from zero (round) or toward zero (!round).
__int128 scale_down(__int128 c, int n, bool round) {
  if (n == 0) return c;
  if (n > 38) return 0;
  const __int128 p = kPow10[n];
  __int128 q = c / p;
  if (round) {
    const __int128 r = abs128(c % p);
    if (r * 2 >= p) q += c < 0 ? -1 : 1;
  }
  return q;
}

/// Both coefficients at the larger of the two scales.
int align(const Numeric& a, const Numeric& b, __int128& ca, __int128& cb) {
  if (a.scale() == b.scale()) {
    ca = a.coefficient();
    cb = b.coefficient();
    return a.scale();
  }
  const int s = std::max(a.scale(), b.scale());
  ca = scale_up(a.coefficient(), s - a.scale());
  cb = scale_up(b.coefficient(), s - b.scale());
  return s;
}

/// PostgreSQL's base-10000 weight and first digit of a nonzero value (select_div_scale).
void base10000_lead(const Numeric& n, int& weight, int& first_digit) {
  const __int128 c = abs128(n.coefficient());
  if (c == 0) {
    weight = 0;
    first_digit = 0;
    return;
  }
  const int e10 = numeric::digit_count(c) - 1 - n.scale();
  weight = e10 >= 0 ? e10 / 4 : -((-e10 + 3) / 4);
  const int k = -n.scale() - 4 * weight;
  first_digit = static_cast<int>(k >= 0 ? c * kPow10[k] : c / kPow10[-k]);
}

}  // namespace

Numeric Numeric::make(__int128 coefficient, int scale) {
  if (scale < 0) {
    coefficient = scale_up(coefficient, -scale);
    scale = 0;
  }
  if (abs128(coefficient) > kMaxCoefficient || scale > kMaxScale) out_of_range();
  return from_raw(coefficient * 256 + scale);
}

namespace numeric {

__int128 pow10(int n) { return kPow10[n]; }

int digit_count(__int128 c) {
  c = abs128(c);
  int d = 1;
  while (d < 39 && c >= kPow10[d]) d++;
  return d;
}

bool parse(std::string_view text, Numeric& out) {
  size_t i = 0;
  const size_t n = text.size();
  while (i < n && std::isspace(static_cast<unsigned char>(text[i]))) i++;
  auto rest_is_space = [&](size_t from) {
    for (size_t j = from; j < n; j++) {
      if (!std::isspace(static_cast<unsigned char>(text[j]))) return false;
    }
    return true;
  };
  auto starts_with_ci = [&](std::string_view word) {
    if (n - i < word.size()) return false;
    for (size_t j = 0; j < word.size(); j++) {
      if (std::tolower(static_cast<unsigned char>(text[i + j])) != word[j]) return false;
    }
    return true;
  };
  if (starts_with_ci("nan")) {
    if (!rest_is_space(i + 3)) return false;
    out = Numeric::nan();
    return true;
  }
  for (std::string_view inf : {"infinity", "+infinity", "-infinity", "inf", "+inf", "-inf"}) {
    if (starts_with_ci(inf) && rest_is_space(i + inf.size())) {
      throw SqlError(SqlState::kFeatureNotSupported, "numeric infinity is not supported");
    }
  }
  bool negative = false;
  if (i < n && (text[i] == '+' || text[i] == '-')) {
    negative = text[i] == '-';
    i++;
  }
  __int128 coef = 0;
  int significant = 0;  // digits accumulated after leading zeros
  int frac_digits = 0;
  bool any_digit = false;
  bool seen_point = false;
  bool overflow = false;
  for (; i < n; i++) {
    const char ch = text[i];
    if (ch >= '0' && ch <= '9') {
      any_digit = true;
      if (seen_point) frac_digits++;
      if (coef == 0 && ch == '0') continue;
      if (significant >= Numeric::kMaxDigits) {
        overflow = true;
      } else {
        coef = coef * 10 + (ch - '0');
      }
      significant++;
    } else if (ch == '.' && !seen_point) {
      seen_point = true;
    } else {
      break;
    }
  }
  if (!any_digit) return false;
  long exponent = 0;
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    i++;
    size_t start = i;
    if (i < n && (text[i] == '+' || text[i] == '-')) i++;
    size_t digits_start = i;
    while (i < n && text[i] >= '0' && text[i] <= '9') i++;
    if (i == digits_start) return false;
    std::string exp_text(text.substr(start, i - start));
    if (i - digits_start > 9) return false;
    exponent = std::strtol(exp_text.c_str(), nullptr, 10);
    if (exponent > 1000 || exponent < -1000) return false;
  }
  if (!rest_is_space(i)) return false;
  if (overflow) out_of_range();
  if (negative) coef = -coef;
  // value = coef * 10^(exponent - frac_digits); display scale max(0, frac_digits - exponent).
  const long shift = static_cast<long>(frac_digits) - exponent;
  if (shift >= 0) {
    if (shift > Numeric::kMaxScale) out_of_range();
    out = Numeric::make(coef, static_cast<int>(shift));
  } else {
    out = Numeric::make(scale_up(coef, static_cast<int>(-shift)), 0);
  }
  return true;
}

Numeric parse_or_throw(std::string_view text) {
  Numeric n;
  if (!parse(text, n)) {
    throw SqlError(SqlState::kInvalidTextRepresentation,
                   "invalid input syntax for type numeric: \"" + std::string(text) + "\"");
  }
  return n;
}

std::string format(const Numeric& n) {
  if (n.is_nan()) return "NaN";
  __int128 c = n.coefficient();
  const bool negative = c < 0;
  c = abs128(c);
  char buf[48];
  int len = 0;
  do {
    buf[len++] = static_cast<char>('0' + static_cast<int>(c % 10));
    c /= 10;
  } while (c != 0);
  const int scale = n.scale();
  while (len < scale + 1) buf[len++] = '0';
  std::string out;
  out.reserve(len + 2);
  if (negative) out.push_back('-');
  for (int j = len - 1; j >= 0; j--) {
    out.push_back(buf[j]);
    if (j == scale && scale > 0) out.push_back('.');
  }
  return out;
}

Numeric from_int64(int64_t v) { return Numeric::make(v, 0); }

Numeric from_double(double v) {
  if (std::isnan(v)) return Numeric::nan();
  if (std::isinf(v)) throw SqlError(SqlState::kFeatureNotSupported, "numeric infinity is not supported");
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.15g", v);
  return parse_or_throw(buf);
}

bool to_int64(const Numeric& n, int64_t& out) {
  if (n.is_nan()) return false;
  const __int128 r = scale_down(n.coefficient(), n.scale(), true);
  if (r < INT64_MIN || r > INT64_MAX) return false;
  out = static_cast<int64_t>(r);
  return true;
}

double to_double(const Numeric& n) {
  if (n.is_nan()) return std::nan("");
  // A coefficient and a power of ten that doubles hold exactly: one correctly rounded division
  // gives the double nearest the decimal value, as reading its text does.
  const __int128 c = n.coefficient();
  constexpr __int128 kExactInDouble = __int128{1} << 53;
  if (c > -kExactInDouble && c < kExactInDouble && n.scale() <= 22) {
    return static_cast<double>(static_cast<int64_t>(c)) / static_cast<double>(kPow10[n.scale()]);
  }
  return std::strtod(format(n).c_str(), nullptr);
}

int compare(const Numeric& a, const Numeric& b) {
  if (a.is_nan() || b.is_nan()) return a.is_nan() == b.is_nan() ? 0 : a.is_nan() ? 1 : -1;
  const __int128 ca = a.coefficient();
  const __int128 cb = b.coefficient();
  const int sa = (ca > 0) - (ca < 0);
  const int sb = (cb > 0) - (cb < 0);
  if (sa != sb) return sa < sb ? -1 : 1;
  if (sa == 0) return 0;
  // Same sign: compare magnitudes by the position of the leading digit, then aligned.
  const int ea = digit_count(ca) - a.scale();
  const int eb = digit_count(cb) - b.scale();
  int mag;
  if (ea != eb) {
    mag = ea < eb ? -1 : 1;
  } else {
    // Equal leading position: the aligned coefficients have at most kMaxDigits digits.
    const int s = std::max(a.scale(), b.scale());
    const __int128 xa = abs128(ca) * kPow10[s - a.scale()];
    const __int128 xb = abs128(cb) * kPow10[s - b.scale()];
    mag = xa < xb ? -1 : xa > xb ? 1 : 0;
  }
  return sa > 0 ? mag : -mag;
}

Numeric normalize(const Numeric& n) {
  if (n.is_nan()) return n;
  __int128 c = n.coefficient();
  int s = n.scale();
  if (c == 0) return Numeric::make(0, 0);
  while (s > 0 && c % 10 == 0) {
    c /= 10;
    s--;
  }
  return Numeric::make(c, s);
}

hash_t hash(const Numeric& n) {
  const Numeric m = normalize(n);
  return combine_hash(hash_int(m.lo), hash_int(m.hi));
}

Numeric add_general(const Numeric& a, const Numeric& b) {
  if (a.is_nan() || b.is_nan()) return Numeric::nan();
  __int128 ca, cb;
  const int s = align(a, b, ca, cb);
  return Numeric::make(ca + cb, s);
}

Numeric sub_general(const Numeric& a, const Numeric& b) {
  if (a.is_nan() || b.is_nan()) return Numeric::nan();
  __int128 ca, cb;
  const int s = align(a, b, ca, cb);
  return Numeric::make(ca - cb, s);
}

Numeric mul_general(const Numeric& a, const Numeric& b) {
  if (a.is_nan() || b.is_nan()) return Numeric::nan();
  const __int128 ca = a.coefficient();
  const __int128 cb = b.coefficient();
  __int128 r;
  constexpr __int128 k64 = __int128{1} << 62;
  if (ca > -k64 && ca < k64 && cb > -k64 && cb < k64) {
    // Below 2^124: no overflow possible (the 128-bit overflow check is a library call).
    r = ca * cb;
  } else if (__builtin_mul_overflow(ca, cb, &r)) {
    out_of_range();
  }
  return Numeric::make(r, a.scale() + b.scale());
}

Numeric div(const Numeric& a, const Numeric& b) {
  if (a.is_nan() || b.is_nan()) return Numeric::nan();
  if (b.coefficient() == 0) throw SqlError(SqlState::kDivisionByZero, "division by zero");
  // PostgreSQL's select_div_scale: at least 16 significant digits, at least either input's scale.
  int w1, f1, w2, f2;
  base10000_lead(a, w1, f1);
  base10000_lead(b, w2, f2);
  int qweight = w1 - w2;
  if (f1 <= f2) qweight--;
  int rscale = 16 - qweight * 4;
  rscale = std::max({rscale, a.scale(), b.scale(), 0});
  if (rscale > Numeric::kMaxScale) out_of_range();
  // |a| * 10^(rscale + sb - sa) / |b|, by long division one decimal digit at a time.
  const __int128 x = abs128(a.coefficient());
  const __int128 y = abs128(b.coefficient());
  const int steps = rscale + b.scale() - a.scale();
  __int128 q = x / y;
  __int128 r = x % y;
  for (int k = 0; k < steps; k++) {
    r *= 10;
    q = q * 10 + r / y;
    r %= y;
    if (q > kMaxCoefficient) out_of_range();
  }
  if (r * 2 >= y) q++;
  const bool negative = (a.coefficient() < 0) != (b.coefficient() < 0);
  return Numeric::make(negative ? -q : q, rscale);
}

Numeric mod(const Numeric& a, const Numeric& b) {
  if (a.is_nan() || b.is_nan()) return Numeric::nan();
  if (b.coefficient() == 0) throw SqlError(SqlState::kDivisionByZero, "division by zero");
  __int128 ca, cb;
  const int s = align(a, b, ca, cb);
  return Numeric::make(ca % cb, s);
}

Numeric negate(const Numeric& a) {
  if (a.is_nan()) return a;
  return Numeric::make(-a.coefficient(), a.scale());
}

Numeric sqrt(const Numeric& a, int rscale) {
  if (a.is_nan()) return a;
  if (a.coefficient() < 0) {
    throw SqlError(SqlState::kInvalidArgumentForPowerFunction, "cannot take square root of a negative number");
  }
  if (rscale < 0 || rscale >= Numeric::kMaxScale) out_of_range();
  // The root of c * 10^e with e = 2 * (rscale + 1) - scale is sqrt(a) with one digit more than
  // rscale: found digit by digit over the decimal digits of c * 10^e in pairs (floor), then
  // rounded on that last digit. Rounding a truncated root on one extra digit is exact rounding,
  // since a root that is not exact never ends in 5 followed by zeros.
  std::string digits;
  {
    unsigned __int128 c = static_cast<unsigned __int128>(a.coefficient());
    std::string rev;
    do {
      rev.push_back(static_cast<char>('0' + static_cast<int>(c % 10)));
      c /= 10;
    } while (c != 0);
    digits.assign(rev.rbegin(), rev.rend());
  }
  const int e = 2 * (rscale + 1) - a.scale();
  if (e >= 0) {
    digits.append(static_cast<size_t>(e), '0');
  } else if (static_cast<size_t>(-e) >= digits.size()) {
    digits = "0";
  } else {
    digits.resize(digits.size() - static_cast<size_t>(-e));
  }
  if (digits.size() % 2 != 0) digits.insert(digits.begin(), '0');
  // The root stays below 10^(kMaxDigits + 1) (checked), so the remainder (at most twice the
  // root) times 100 fits in 128 unsigned bits.
  const auto root_limit = static_cast<unsigned __int128>(kMaxCoefficient) * 10 + 9;
  unsigned __int128 root = 0;
  unsigned __int128 rem = 0;
  for (size_t i = 0; i < digits.size(); i += 2) {
    rem = rem * 100 + static_cast<unsigned>((digits[i] - '0') * 10 + (digits[i + 1] - '0'));
    unsigned d = 9;
    while (d > 0 && (20 * root + d) * d > rem) d--;
    rem -= (20 * root + d) * d;
    root = root * 10 + d;
    if (root > root_limit) out_of_range();
  }
  unsigned __int128 q = root / 10;
  if (root % 10 >= 5) q++;
  return Numeric::make(static_cast<__int128>(q), rscale);
}

Numeric abs(const Numeric& a) {
  if (a.is_nan()) return a;
  return Numeric::make(abs128(a.coefficient()), a.scale());
}

Numeric sign(const Numeric& a) {
  if (a.is_nan()) return a;
  const __int128 c = a.coefficient();
  return Numeric::make((c > 0) - (c < 0), 0);
}

namespace {

Numeric round_or_trunc(const Numeric& a, int s, bool round) {
  if (a.is_nan()) return a;
  s = std::max(s, -1000);
  s = std::min(s, 1000);
  const int scale = a.scale();
  if (s >= scale) return Numeric::make(scale_up(a.coefficient(), s - scale), s);
  if (s >= 0) return Numeric::make(scale_down(a.coefficient(), scale - s, round), s);
  // Negative s: round to a power of ten left of the point; the result's scale is 0.
  if (scale - s > 38) return Numeric::make(0, 0);
  return Numeric::make(scale_up(scale_down(a.coefficient(), scale - s, round), -s), 0);
}

}  // namespace

Numeric round(const Numeric& a, int s) { return round_or_trunc(a, s, true); }
Numeric trunc(const Numeric& a, int s) { return round_or_trunc(a, s, false); }

Numeric ceil(const Numeric& a) {
  if (a.is_nan()) return a;
  const __int128 c = a.coefficient();
  __int128 q = scale_down(c, a.scale(), false);
  if (c > 0 && q * kPow10[std::min(a.scale(), 38)] != c && a.scale() <= 38) q++;
  if (c > 0 && a.scale() > 38) q = 1;
  return Numeric::make(q, 0);
}

Numeric floor(const Numeric& a) {
  if (a.is_nan()) return a;
  const __int128 c = a.coefficient();
  __int128 q = scale_down(c, a.scale(), false);
  if (c < 0 && a.scale() <= 38 && q * kPow10[a.scale()] != c) q--;
  if (c < 0 && a.scale() > 38) q = -1;
  return Numeric::make(q, 0);
}

int32_t make_typmod(int precision, int scale) { return ((precision << 16) | (scale & 0x7ff)) + 4; }

int typmod_precision(int32_t typmod) { return ((typmod - 4) >> 16) & 0xffff; }

int typmod_scale(int32_t typmod) { return (((typmod - 4) & 0x7ff) ^ 1024) - 1024; }

int32_t typmod_from_modifiers(const int32_t* modifiers, size_t count) {
  if (count == 0) return -1;
  if (count > 2) throw SqlError(SqlState::kInvalidParameterValue, "invalid NUMERIC type modifier");
  const int precision = modifiers[0];
  if (precision < 1 || precision > 1000) {
    throw SqlError(SqlState::kInvalidParameterValue,
                   "NUMERIC precision " + std::to_string(precision) + " must be between 1 and 1000");
  }
  const int scale = count == 2 ? modifiers[1] : 0;
  if (scale < -1000 || scale > 1000) {
    throw SqlError(SqlState::kInvalidParameterValue,
                   "NUMERIC scale " + std::to_string(scale) + " must be between -1000 and 1000");
  }
  return make_typmod(precision, scale);
}

Numeric apply_typmod(const Numeric& n, int32_t typmod) {
  if (typmod < 4 || n.is_nan()) return n;
  const int precision = typmod_precision(typmod);
  const int scale = typmod_scale(typmod);
  const int maxdigits = precision - scale;
  const Numeric r = round(n, scale);
  const __int128 c = r.coefficient();
  if (c != 0) {
    // Decimal digits left of the point (negative for values below 0.1).
    const int ddigits = digit_count(c) - r.scale();
    if (ddigits > maxdigits) {
      throw SqlError(SqlState::kNumericValueOutOfRange, "numeric field overflow")
          .with_detail("A field with precision " + std::to_string(precision) + ", scale " + std::to_string(scale) +
                         " must round to an absolute value less than " +
                         (maxdigits != 0 ? "10^" + std::to_string(maxdigits) : std::string("1")) + ".");
    }
  }
  return r;
}

}  // namespace numeric
}  // namespace tessera
