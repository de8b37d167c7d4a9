#include "src/common/array_value.h"

#include <cmath>
#include <cstring>
#include <limits>

#include "src/common/assert.h"
#include "src/common/datetime.h"
#include "src/common/numeric.h"
#include "src/common/sql_error.h"
#include "src/common/value_cast.h"

namespace tessera::array {

namespace {

constexpr char kEndTag = 0x00;
constexpr char kValueTag = 0x01;
constexpr char kNullTag = 0x02;

// Numeric sign classes.
constexpr uint8_t kNegative = 1;
constexpr uint8_t kZero = 2;
constexpr uint8_t kPositive = 3;
constexpr uint8_t kNaN = 4;

template <class U>
void put_unsigned(std::string& out, U v) {
  for (int shift = static_cast<int>(sizeof(U)) * 8 - 8; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>(static_cast<uint8_t>(v >> shift)));
  }
}

template <class U>
U get_unsigned(std::string_view bytes, size_t& pos) {
  TS_CHECK(pos + sizeof(U) <= bytes.size(), "truncated array value");
  U v = 0;
  for (size_t i = 0; i < sizeof(U); i++) v = static_cast<U>((v << 8) | static_cast<uint8_t>(bytes[pos + i]));
  pos += sizeof(U);
  return v;
}

/// Signed integers: big-endian with the sign bit flipped, so byte order is numeric order.
template <class S>
void put_signed(std::string& out, S v) {
  using U = std::make_unsigned_t<S>;
  put_unsigned<U>(out, static_cast<U>(static_cast<U>(v) ^ (U{1} << (sizeof(U) * 8 - 1))));
}

template <class S>
S get_signed(std::string_view bytes, size_t& pos) {
  using U = std::make_unsigned_t<S>;
  return static_cast<S>(get_unsigned<U>(bytes, pos) ^ (U{1} << (sizeof(U) * 8 - 1)));
}

void put_int128(std::string& out, __int128 v) {
  const auto u = static_cast<unsigned __int128>(v) ^ (static_cast<unsigned __int128>(1) << 127);
  put_unsigned<uint64_t>(out, static_cast<uint64_t>(u >> 64));
  put_unsigned<uint64_t>(out, static_cast<uint64_t>(u));
}

/// IEEE floats: positive values get the sign bit set, negative values are inverted; every NaN
/// becomes the one positive quiet NaN, which sorts above +Infinity.
template <class F, class U>
void put_float(std::string& out, F f) {
  if (std::isnan(f)) f = std::numeric_limits<F>::quiet_NaN();
  U bits;
  std::memcpy(&bits, &f, sizeof(F));
  const U sign = U{1} << (sizeof(U) * 8 - 1);
  bits = (bits & sign) ? static_cast<U>(~bits) : static_cast<U>(bits | sign);
  put_unsigned<U>(out, bits);
}

template <class F, class U>
F get_float(std::string_view bytes, size_t& pos) {
  U bits = get_unsigned<U>(bytes, pos);
  const U sign = U{1} << (sizeof(U) * 8 - 1);
  bits = (bits & sign) ? static_cast<U>(bits & ~sign) : static_cast<U>(~bits);
  F f;
  std::memcpy(&f, &bits, sizeof(F));
  return f;
}

/// Text: 0x00 escaped as 0x00 0x01, terminated by 0x00 0x00 (a prefix sorts first).
void put_text(std::string& out, std::string_view s) {
  for (char c : s) {
    out.push_back(c);
    if (c == 0) out.push_back(0x01);
  }
  out.push_back(0);
  out.push_back(0);
}

std::string get_text(std::string_view bytes, size_t& pos) {
  std::string s;
  while (true) {
    TS_CHECK(pos < bytes.size(), "truncated array text element");
    const char c = bytes[pos++];
    if (c != 0) {
      s.push_back(c);
      continue;
    }
    TS_CHECK(pos < bytes.size(), "truncated array text element");
    if (bytes[pos++] == 0) return s;
    s.push_back(0);
  }
}

/// Numeric: sign class; for nonzero values the decimal exponent (digits before the point) and
/// the significant digits (1..10 per digit) ending in 0, all inverted for negative values; then
/// the display scale.
void put_numeric(std::string& out, const Numeric& n) {
  if (n.is_nan()) {
    out.push_back(static_cast<char>(kNaN));
    return;
  }
  __int128 c = n.coefficient();
  const int scale = n.scale();
  if (c == 0) {
    out.push_back(static_cast<char>(kZero));
    out.push_back(static_cast<char>(scale));
    return;
  }
  const bool negative = c < 0;
  if (negative) c = -c;
  const int exponent = numeric::digit_count(c) - scale;
  while (c % 10 == 0) c /= 10;
  std::string digits;
  while (c > 0) {
    digits.insert(digits.begin(), static_cast<char>(1 + static_cast<int>(c % 10)));
    c /= 10;
  }
  std::string key;
  put_unsigned<uint16_t>(key, static_cast<uint16_t>(exponent + 0x8000));
  key += digits;
  key.push_back(0);
  if (negative) {
    for (char& ch : key) ch = static_cast<char>(~static_cast<uint8_t>(ch));
  }
  out.push_back(static_cast<char>(negative ? kNegative : kPositive));
  out += key;
  out.push_back(static_cast<char>(scale));
}

Numeric get_numeric(std::string_view bytes, size_t& pos) {
  TS_CHECK(pos < bytes.size(), "truncated array numeric element");
  const auto cls = static_cast<uint8_t>(bytes[pos++]);
  if (cls == kNaN) return Numeric::nan();
  if (cls == kZero) {
    const int scale = static_cast<uint8_t>(bytes[pos++]);
    return Numeric::make(0, scale);
  }
  const bool negative = cls == kNegative;
  auto next = [&]() -> uint8_t {
    TS_CHECK(pos < bytes.size(), "truncated array numeric element");
    const auto b = static_cast<uint8_t>(bytes[pos++]);
    return negative ? static_cast<uint8_t>(~b) : b;
  };
  const uint16_t hi = next();
  const uint16_t lo = next();
  const int exponent = static_cast<int>((hi << 8) | lo) - 0x8000;
  __int128 c = 0;
  int num_digits = 0;
  for (uint8_t d = next(); d != 0; d = next()) {
    c = c * 10 + (d - 1);
    num_digits++;
  }
  const int scale = static_cast<uint8_t>(bytes[pos++]);
  // value = 0.digits * 10^exponent; coefficient at `scale` = digits * 10^(exponent - n + scale).
  const int zeros = exponent - num_digits + scale;
  TS_CHECK(zeros >= 0, "bad array numeric element");
  c *= numeric::pow10(zeros);
  return Numeric::make(negative ? -c : c, scale);
}

void put_element(std::string& out, const LogicalType& element, const Value& v) {
  if (v.is_null()) {
    out.push_back(kNullTag);
    return;
  }
  out.push_back(kValueTag);
  switch (element.id()) {
    case LogicalTypeId::kBoolean: out.push_back(v.get_bool() ? 1 : 0); break;
    case LogicalTypeId::kSmallint: put_signed<int16_t>(out, static_cast<int16_t>(v.get_int64())); break;
    case LogicalTypeId::kInteger:
    case LogicalTypeId::kDate: put_signed<int32_t>(out, static_cast<int32_t>(v.get_int64())); break;
    case LogicalTypeId::kBigint:
    case LogicalTypeId::kTime:
    case LogicalTypeId::kTimestamp:
    case LogicalTypeId::kTimestampTz: put_signed<int64_t>(out, v.get_int64()); break;
    case LogicalTypeId::kDouble: put_float<double, uint64_t>(out, v.get_double()); break;
    case LogicalTypeId::kReal: put_float<float, uint32_t>(out, v.get_float()); break;
    case LogicalTypeId::kVarchar: put_text(out, v.get_string()); break;
    case LogicalTypeId::kNumeric: put_numeric(out, v.get_numeric()); break;
    case LogicalTypeId::kInterval: {
      const Interval& iv = v.get_interval();
      put_int128(out, iv.normalized());
      put_signed<int32_t>(out, iv.months);
      put_signed<int32_t>(out, iv.days);
      put_signed<int64_t>(out, iv.micros);
      break;
    }
    default: TS_CHECK(false, "array of unsupported element type");
  }
}

Value get_element(std::string_view bytes, size_t& pos, const LogicalType& element) {
  switch (element.id()) {
    case LogicalTypeId::kBoolean: return Value::boolean(bytes[pos++] != 0);
    case LogicalTypeId::kSmallint: return Value::smallint(get_signed<int16_t>(bytes, pos));
    case LogicalTypeId::kInteger: return Value::integer(get_signed<int32_t>(bytes, pos));
    case LogicalTypeId::kDate: return Value::date(get_signed<int32_t>(bytes, pos));
    case LogicalTypeId::kBigint: return Value::bigint(get_signed<int64_t>(bytes, pos));
    case LogicalTypeId::kTime: return Value::time(get_signed<int64_t>(bytes, pos));
    case LogicalTypeId::kTimestamp: return Value::timestamp(get_signed<int64_t>(bytes, pos));
    case LogicalTypeId::kTimestampTz: return Value::timestamptz(get_signed<int64_t>(bytes, pos));
    case LogicalTypeId::kDouble: return Value::double_precision(get_float<double, uint64_t>(bytes, pos));
    case LogicalTypeId::kReal: return Value::real(get_float<float, uint32_t>(bytes, pos));
    case LogicalTypeId::kVarchar: return Value::varchar(get_text(bytes, pos), element.modifier());
    case LogicalTypeId::kNumeric: return Value::numeric(get_numeric(bytes, pos), element.modifier());
    case LogicalTypeId::kInterval: {
      pos += 16;
      Interval iv;
      iv.months = get_signed<int32_t>(bytes, pos);
      iv.days = get_signed<int32_t>(bytes, pos);
      iv.micros = get_signed<int64_t>(bytes, pos);
      return Value::interval(iv);
    }
    default: TS_CHECK(false, "array of unsupported element type");
  }
  return Value();
}

[[noreturn]] void malformed(std::string_view text, const std::string& detail) {
  throw SqlError(SqlState::kInvalidTextRepresentation, "malformed array literal: \"" + std::string(text) + "\"")
      .with_detail(detail);
}

bool is_array_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

bool needs_quotes(std::string_view s) {
  if (s.empty()) return true;
  if (s.size() == 4 && (s[0] == 'n' || s[0] == 'N') && (s[1] == 'u' || s[1] == 'U') && (s[2] == 'l' || s[2] == 'L') &&
      (s[3] == 'l' || s[3] == 'L')) {
    return true;
  }
  for (char c : s) {
    if (c == '{' || c == '}' || c == ',' || c == '"' || c == '\\' || is_array_space(c)) return true;
  }
  return false;
}

std::string element_text(const Value& v) {
  if (v.type().id() == LogicalTypeId::kBoolean) return v.get_bool() ? "t" : "f";
  return v.to_string();
}

}  // namespace

bool is_valid_element_type(const LogicalType& element) {
  switch (element.id()) {
    case LogicalTypeId::kBoolean:
    case LogicalTypeId::kSmallint:
    case LogicalTypeId::kInteger:
    case LogicalTypeId::kBigint:
    case LogicalTypeId::kDouble:
    case LogicalTypeId::kReal:
    case LogicalTypeId::kVarchar:
    case LogicalTypeId::kDate:
    case LogicalTypeId::kTime:
    case LogicalTypeId::kTimestamp:
    case LogicalTypeId::kTimestampTz:
    case LogicalTypeId::kInterval:
    case LogicalTypeId::kNumeric: return true;
    default: return false;
  }
}

void append_element(std::string& out, const LogicalType& element, const Value& value) {
  put_element(out, element, value);
}

void append_end(std::string& out) { out.push_back(kEndTag); }

std::string encode(const LogicalType& element, const std::vector<Value>& elements) {
  std::string out;
  for (const Value& v : elements) put_element(out, element, v);
  out.push_back(kEndTag);
  return out;
}

std::vector<Value> decode(const LogicalType& element, std::string_view bytes) {
  std::vector<Value> out;
  size_t pos = 0;
  while (true) {
    TS_CHECK(pos < bytes.size(), "truncated array value");
    const char tag = bytes[pos++];
    if (tag == kEndTag) break;
    if (tag == kNullTag) {
      out.push_back(Value::null(element));
      continue;
    }
    out.push_back(get_element(bytes, pos, element));
  }
  return out;
}

size_t length(const LogicalType& element, std::string_view bytes) { return decode(element, bytes).size(); }

Value make(const LogicalType& element, const std::vector<Value>& elements) {
  return Value::array(LogicalType::array_of(element), encode(element, elements));
}

std::vector<Value> elements(const Value& array) { return decode(array.type().element_type(), array.get_string()); }

std::string format(const LogicalType& element, std::string_view bytes) {
  std::string out = "{";
  bool first = true;
  for (const Value& v : decode(element, bytes)) {
    if (!first) out.push_back(',');
    first = false;
    if (v.is_null()) {
      out += "NULL";
      continue;
    }
    const std::string s = element_text(v);
    if (!needs_quotes(s)) {
      out += s;
      continue;
    }
    out.push_back('"');
    for (char c : s) {
      if (c == '"' || c == '\\') out.push_back('\\');
      out.push_back(c);
    }
    out.push_back('"');
  }
  out.push_back('}');
  return out;
}

std::string parse(const LogicalType& element, std::string_view text) {
  size_t p = 0;
  const size_t n = text.size();
  auto skip_space = [&]() {
    while (p < n && is_array_space(text[p])) p++;
  };
  skip_space();
  if (p < n && text[p] == '[') {
    throw SqlError(SqlState::kFeatureNotSupported, "array literals with explicit bounds are not supported");
  }
  if (p >= n || text[p] != '{') malformed(text, "Array value must start with \"{\" or dimension information.");
  p++;
  std::vector<Value> values;
  skip_space();
  if (p < n && text[p] == '}') {
    p++;
  } else {
    while (true) {
      skip_space();
      if (p >= n) malformed(text, "Unexpected end of input.");
      const char c = text[p];
      if (c == '{') throw SqlError(SqlState::kFeatureNotSupported, "multidimensional arrays are not supported");
      if (c == ',' || c == '}') malformed(text, std::string("Unexpected \"") + c + "\" character.");
      std::string item;
      bool quoted = false;
      bool escaped = false;
      if (c == '"') {
        quoted = true;
        p++;
        while (true) {
          if (p >= n) malformed(text, "Unexpected end of input.");
          const char ch = text[p++];
          if (ch == '"') break;
          if (ch == '\\') {
            if (p >= n) malformed(text, "Unexpected end of input.");
            item.push_back(text[p++]);
            continue;
          }
          item.push_back(ch);
        }
        skip_space();
      } else {
        size_t kept = 0;  // length of `item` up to its last character that is not trailing space
        while (true) {
          if (p >= n) malformed(text, "Unexpected end of input.");
          const char ch = text[p];
          if (ch == ',' || ch == '}') break;
          if (ch == '"' || ch == '{') malformed(text, std::string("Unexpected \"") + ch + "\" character.");
          p++;
          if (ch == '\\') {
            if (p >= n) malformed(text, "Unexpected end of input.");
            item.push_back(text[p++]);
            escaped = true;
            kept = item.size();
            continue;
          }
          item.push_back(ch);
          if (!is_array_space(ch)) kept = item.size();
        }
        item.resize(kept);
      }
      if (p >= n) malformed(text, "Unexpected end of input.");
      if (text[p] != ',' && text[p] != '}') malformed(text, "Unexpected array element.");
      const bool is_null = !quoted && !escaped && item.size() == 4 && needs_quotes(item) &&
                           (item[0] == 'n' || item[0] == 'N');
      if (is_null) {
        values.push_back(Value::null(element));
      } else {
        values.push_back(cast_value(Value::varchar(std::move(item)), element));
      }
      if (text[p++] == '}') break;
    }
  }
  skip_space();
  if (p < n) malformed(text, "Junk after closing right brace.");
  return encode(element, values);
}

int compare_elements(const Value& a, const Value& b) {
  auto cmp = [](auto x, auto y) { return x < y ? -1 : (x > y ? 1 : 0); };
  switch (a.type().id()) {
    case LogicalTypeId::kDouble:
    case LogicalTypeId::kReal: {
      const double x = a.get_double(), y = b.get_double();
      if (std::isnan(x)) return std::isnan(y) ? 0 : 1;
      if (std::isnan(y)) return -1;
      return cmp(x, y);
    }
    case LogicalTypeId::kVarchar: {
      const int c = a.get_string().compare(b.get_string());
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    case LogicalTypeId::kNumeric: return numeric::compare(a.get_numeric(), b.get_numeric());
    case LogicalTypeId::kInterval: return compare_intervals(a.get_interval(), b.get_interval());
    case LogicalTypeId::kArray: return compare(a.type().element_type(), a.get_string(), b.get_string());
    default: return cmp(a.get_int64(), b.get_int64());
  }
}

int compare(const LogicalType& element, std::string_view a, std::string_view b) {
  if (a == b) return 0;
  const std::vector<Value> x = decode(element, a);
  const std::vector<Value> y = decode(element, b);
  const size_t common = std::min(x.size(), y.size());
  for (size_t i = 0; i < common; i++) {
    if (x[i].is_null() || y[i].is_null()) {
      if (x[i].is_null() && y[i].is_null()) continue;
      return x[i].is_null() ? 1 : -1;
    }
    const int c = compare_elements(x[i], y[i]);
    if (c != 0) return c;
  }
  return x.size() < y.size() ? -1 : (x.size() > y.size() ? 1 : 0);
}

}  // namespace tessera::array
