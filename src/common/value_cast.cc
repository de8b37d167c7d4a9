#include "src/common/value_cast.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

#include "src/common/array_value.h"
#include "src/common/bpchar.h"
#include "src/common/bytea.h"
#include "src/common/uuid.h"
#include "src/common/datetime.h"
#include "src/common/sql_error.h"
#include "src/common/utf8.h"

namespace tessera {

namespace {

std::string_view trim(std::string_view s) {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

bool ieq(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); i++) {
    char x = a[i] >= 'A' && a[i] <= 'Z' ? a[i] + 32 : a[i];
    if (x != b[i]) return false;
  }
  return true;
}

int64_t int_min(LogicalTypeId id) {
  switch (id) {
    case LogicalTypeId::kSmallint: return std::numeric_limits<int16_t>::min();
    case LogicalTypeId::kInteger: return std::numeric_limits<int32_t>::min();
    default: return std::numeric_limits<int64_t>::min();
  }
}

int64_t int_max(LogicalTypeId id) {
  switch (id) {
    case LogicalTypeId::kSmallint: return std::numeric_limits<int16_t>::max();
    case LogicalTypeId::kInteger: return std::numeric_limits<int32_t>::max();
    default: return std::numeric_limits<int64_t>::max();
  }
}

/// PostgreSQL's pg_cast entries between the date/time types: 'i' implicit, 'a' assignment,
/// 0 none.
char datetime_cast_context(LogicalTypeId from, LogicalTypeId to) {
  using L = LogicalTypeId;
  switch (from) {
    case L::kDate: return to == L::kTimestamp || to == L::kTimestampTz ? 'i' : 0;
    case L::kTime: return to == L::kInterval ? 'i' : 0;
    case L::kTimestamp: return to == L::kTimestampTz ? 'i' : (to == L::kDate || to == L::kTime ? 'a' : 0);
    case L::kTimestampTz: return to == L::kDate || to == L::kTime || to == L::kTimestamp ? 'a' : 0;
    case L::kInterval: return to == L::kTime ? 'a' : 0;
    default: return 0;
  }
}

const TimeZone& session_time_zone() {
  const auto& zone = current_datetime_context().time_zone;
  return zone ? *zone : *utc_time_zone();
}

/// Casts to a date/time type: text input, or a conversion between date/time types.
Value cast_to_datetime(const Value& value, const LogicalType& to) {
  using L = LogicalTypeId;
  const L from = value.type().id();
  if (from == L::kVarchar || from == L::kChar) {
    const std::string& text = value.get_string();
    switch (to.id()) {
      case L::kDate: return Value::date(datetime::parse_date(text));
      case L::kTime: return Value::time(datetime::parse_time(text));
      case L::kTimestamp: return Value::timestamp(datetime::parse_timestamp(text));
      case L::kTimestampTz: return Value::timestamptz(datetime::parse_timestamptz(text));
      case L::kInterval: return Value::interval(datetime::parse_interval(text));
      default: break;
    }
  }
  const int64_t i = value.get_int64();
  switch (to.id()) {
    case L::kDate:
      if (from == L::kTimestamp) return Value::date(datetime::timestamp_to_date(i));
      if (from == L::kTimestampTz) {
        return Value::date(datetime::timestamp_to_date(datetime::timestamptz_to_local(i, session_time_zone())));
      }
      break;
    case L::kTime:
      if (from == L::kTimestamp || from == L::kTimestampTz) {
        if (!datetime::timestamp_is_finite(i)) break;
        int64_t local = from == L::kTimestamp ? i : datetime::timestamptz_to_local(i, session_time_zone());
        return Value::time(local - datetime::floor_div(local, datetime::kUsecsPerDay) * datetime::kUsecsPerDay);
      }
      if (from == L::kInterval) {
        int64_t t = value.get_interval().micros % datetime::kUsecsPerDay;
        if (t < 0) t += datetime::kUsecsPerDay;
        return Value::time(t);
      }
      break;
    case L::kTimestamp:
      if (from == L::kDate) return Value::timestamp(datetime::date_to_timestamp(static_cast<int32_t>(i)));
      if (from == L::kTimestampTz) return Value::timestamp(datetime::timestamptz_to_timestamp(i, session_time_zone()));
      break;
    case L::kTimestampTz:
      if (from == L::kDate) return Value::timestamptz(datetime::date_to_timestamptz(static_cast<int32_t>(i), session_time_zone()));
      if (from == L::kTimestamp) return Value::timestamptz(datetime::timestamp_to_timestamptz(i, session_time_zone()));
      break;
    case L::kInterval:
      if (from == L::kTime) return Value::interval(Interval{i, 0, 0});
      break;
    default: break;
  }
  if (from == L::kTimestamp || from == L::kTimestampTz) {
    if (to.id() == L::kTime && !datetime::timestamp_is_finite(i)) {
      throw SqlError(SqlState::kDatetimeFieldOverflow, "timestamp out of range");
    }
  }
  throw SqlError(SqlState::kCannotCoerce, "cannot cast type " + value.type().name() + " to " + to.name());
}

// ---- real (float4) ----

/// Casts to real: from the integer types (nearest float), double precision (dtof's range
/// checks) and text (float4in).
Value cast_to_real(const Value& value) {
  const LogicalType& from = value.type();
  if (from.is_integral()) return Value::real(static_cast<float>(value.get_int64()));
  if (from.id() == LogicalTypeId::kDouble) return Value::real(double_to_real(value.get_double()));
  if (from.is_string()) {
    float f;
    bool oor;
    if (!parse_real(value.get_string(), f, oor)) throw_invalid_input(LogicalType::real(), value.get_string(), oor);
    return Value::real(f);
  }
  throw SqlError(SqlState::kCannotCoerce, "cannot cast type " + from.name() + " to real");
}

}  // namespace

bool parse_int64(std::string_view text, int64_t& out, bool& out_of_range) {
  out_of_range = false;
  text = trim(text);
  if (text.empty()) return false;
  bool negative = false;
  size_t i = 0;
  if (text[0] == '+' || text[0] == '-') {
    negative = text[0] == '-';
    i = 1;
  }
  if (i == text.size()) return false;
  uint64_t magnitude = 0;
  for (; i < text.size(); i++) {
    char c = text[i];
    if (c == '_' ) continue;
    if (c < '0' || c > '9') return false;
    uint64_t digit = static_cast<uint64_t>(c - '0');
    if (magnitude > (std::numeric_limits<uint64_t>::max() - digit) / 10) {
      out_of_range = true;
      return false;
    }
    magnitude = magnitude * 10 + digit;
  }
  if (negative) {
    if (magnitude > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) + 1) {
      out_of_range = true;
      return false;
    }
    out = static_cast<int64_t>(0 - magnitude);
  } else {
    if (magnitude > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      out_of_range = true;
      return false;
    }
    out = static_cast<int64_t>(magnitude);
  }
  return true;
}

bool parse_double(std::string_view text, double& out, bool& out_of_range) {
  out_of_range = false;
  text = trim(text);
  if (text.empty()) return false;
  if (ieq(text, "nan")) { out = std::numeric_limits<double>::quiet_NaN(); return true; }
  if (ieq(text, "infinity") || ieq(text, "+infinity") || ieq(text, "inf") || ieq(text, "+inf")) {
    out = std::numeric_limits<double>::infinity();
    return true;
  }
  if (ieq(text, "-infinity") || ieq(text, "-inf")) { out = -std::numeric_limits<double>::infinity(); return true; }
  std::string buf(text);
  for (char c : buf) {
    if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) return false;
  }
  char* end = nullptr;
  errno = 0;
  double d = std::strtod(buf.c_str(), &end);
  if (end != buf.c_str() + buf.size()) return false;
  if (errno == ERANGE && (d == HUGE_VAL || d == -HUGE_VAL || d == 0)) {
    out_of_range = true;
    return false;
  }
  out = d;
  return true;
}

bool parse_real(std::string_view text, float& out, bool& out_of_range) {
  out_of_range = false;
  text = trim(text);
  if (text.empty()) return false;
  double special;
  bool special_oor;
  if (!text.empty() && (text.back() == 'n' || text.back() == 'N' || text.back() == 'f' || text.back() == 'F' ||
                        text.back() == 'y' || text.back() == 'Y')) {
    // NaN and the infinities, spelled as double precision accepts them.
    if (!parse_double(text, special, special_oor)) return false;
    out = static_cast<float>(special);
    return true;
  }
  std::string buf(text);
  for (char c : buf) {
    if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) return false;
  }
  char* end = nullptr;
  errno = 0;
  float f = std::strtof(buf.c_str(), &end);
  if (end != buf.c_str() + buf.size() || end == buf.c_str()) return false;
  if (errno == ERANGE && (f == 0 || std::isinf(f))) {
    out_of_range = true;
    return false;
  }
  out = f;
  return true;
}

float double_to_real(double d) {
  const float f = static_cast<float>(d);
  if (std::isinf(f) && !std::isinf(d)) throw SqlError(SqlState::kNumericValueOutOfRange, "value out of range: overflow");
  if (f == 0 && d != 0) throw SqlError(SqlState::kNumericValueOutOfRange, "value out of range: underflow");
  return f;
}

bool parse_bool(std::string_view text, bool& out) {
  text = trim(text);
  if (text.empty()) return false;
  static constexpr std::string_view kTrue[] = {"t", "tr", "tru", "true", "y", "ye", "yes", "on", "1"};
  static constexpr std::string_view kFalse[] = {"f", "fa", "fal", "fals", "false", "n", "no", "of", "off", "0"};
  for (auto t : kTrue) {
    if (ieq(text, t)) { out = true; return true; }
  }
  for (auto f : kFalse) {
    if (ieq(text, f)) { out = false; return true; }
  }
  return false;
}

void throw_out_of_range(const LogicalType& type) {
  const char* name = type.id() == LogicalTypeId::kSmallint ? "smallint"
                     : type.id() == LogicalTypeId::kInteger ? "integer"
                                                             : "bigint";
  throw SqlError(SqlState::kNumericValueOutOfRange, std::string(name) + " out of range");
}

void throw_invalid_input(const LogicalType& type, std::string_view text, bool out_of_range) {
  if (out_of_range) {
    if (type.is_integral()) {
      throw SqlError(SqlState::kNumericValueOutOfRange,
                     "value \"" + std::string(text) + "\" is out of range for type " + type.name());
    }
    throw SqlError(SqlState::kNumericValueOutOfRange, "\"" + std::string(text) + "\" is out of range for type " + type.name());
  }
  throw SqlError(SqlState::kInvalidTextRepresentation,
                 "invalid input syntax for type " + type.name() + ": \"" + std::string(text) + "\"");
}

bool can_cast(const LogicalType& from, const LogicalType& to) {
  if (from == to || from.id() == LogicalTypeId::kSqlNull) return true;
  if (from.is_array() && to.is_array()) return can_cast(from.element_type(), to.element_type());
  if (from.is_string() || to.is_string()) return true;
  if (from.is_numeric() && to.is_numeric()) return true;
  // int4 <-> bool only, as in PostgreSQL
  if (from.id() == LogicalTypeId::kInteger && to.id() == LogicalTypeId::kBoolean) return true;
  if (from.id() == LogicalTypeId::kBoolean && to.id() == LogicalTypeId::kInteger) return true;
  if (datetime_cast_context(from.id(), to.id()) != 0) return true;
  return from.id() == to.id();
}

bool can_cast_implicitly(const LogicalType& from, const LogicalType& to) {
  if (from.is_array() || to.is_array()) {
    if (from.id() == LogicalTypeId::kSqlNull) return true;
    return from.is_array() && to.is_array() && can_cast_implicitly(from.element_type(), to.element_type());
  }
  if (from.id() == to.id() || from.id() == LogicalTypeId::kSqlNull) return true;
  // text <-> bpchar both ways, as pg_cast's implicit rtrim/text casts.
  if (from.is_string() && to.is_string()) return true;
  // double precision and real -> numeric are assignment casts in PostgreSQL, not implicit.
  if ((from.id() == LogicalTypeId::kDouble || from.id() == LogicalTypeId::kReal) && to.id() == LogicalTypeId::kNumeric) {
    return false;
  }
  if (from.is_numeric() && to.is_numeric()) return from.numeric_rank() < to.numeric_rank();
  if (datetime_cast_context(from.id(), to.id()) == 'i') return true;
  return false;
}

bool can_cast_assignment(const LogicalType& from, const LogicalType& to) {
  if (from.is_array() && to.is_array()) return can_cast_assignment(from.element_type(), to.element_type());
  if (can_cast_implicitly(from, to)) return true;
  if (from.is_numeric() && to.is_numeric()) return true;
  if (datetime_cast_context(from.id(), to.id()) != 0) return true;
  // Anything can be assigned to a text column (PostgreSQL's assignment cast via text I/O).
  return to.is_string();
}

double round_half_even(double d) { return std::nearbyint(d); }

namespace {

/// Casts to numeric / numeric(p,s) (the typmod is applied), and from numeric to other types.
Value cast_numeric_value(const Value& value, const LogicalType& to) {
  const LogicalType& from = value.type();
  if (to.id() == LogicalTypeId::kNumeric) {
    Numeric n;
    switch (from.id()) {
      case LogicalTypeId::kNumeric: n = value.get_numeric(); break;
      case LogicalTypeId::kSmallint:
      case LogicalTypeId::kInteger:
      case LogicalTypeId::kBigint: n = numeric::from_int64(value.get_int64()); break;
      case LogicalTypeId::kDouble: n = numeric::from_double(value.get_double()); break;
      case LogicalTypeId::kReal: {
        // As PostgreSQL's float4_numeric: the value's FLT_DIG (6) significant digits.
        const float f = value.get_float();
        if (std::isnan(f)) {
          n = numeric::parse_or_throw("NaN");
        } else if (std::isinf(f)) {
          throw SqlError(SqlState::kFeatureNotSupported, "cannot convert infinity to numeric");
        } else {
          char buffer[32];
          std::snprintf(buffer, sizeof(buffer), "%.6g", static_cast<double>(f));
          n = numeric::parse_or_throw(buffer);
        }
        break;
      }
      case LogicalTypeId::kVarchar:
      case LogicalTypeId::kChar: n = numeric::parse_or_throw(value.get_string()); break;
      default: throw SqlError(SqlState::kCannotCoerce, "cannot cast type " + from.name() + " to " + to.name());
    }
    return Value::numeric(numeric::apply_typmod(n, to.modifier()), to.modifier());
  }
  const Numeric& n = value.get_numeric();
  switch (to.id()) {
    case LogicalTypeId::kSmallint:
    case LogicalTypeId::kInteger:
    case LogicalTypeId::kBigint: {
      if (n.is_nan()) throw SqlError(SqlState::kFeatureNotSupported, "cannot convert NaN to " + to.name());
      int64_t v;
      if (!numeric::to_int64(n, v) || v < int_min(to.id()) || v > int_max(to.id())) throw_out_of_range(to);
      if (to.id() == LogicalTypeId::kSmallint) return Value::smallint(static_cast<int16_t>(v));
      if (to.id() == LogicalTypeId::kInteger) return Value::integer(static_cast<int32_t>(v));
      return Value::bigint(v);
    }
    case LogicalTypeId::kDouble: return Value::double_precision(numeric::to_double(n));
    case LogicalTypeId::kReal: {
      if (n.is_nan()) return Value::real(std::numeric_limits<float>::quiet_NaN());
      return Value::real(double_to_real(numeric::to_double(n)));
    }
    default: break;
  }
  throw SqlError(SqlState::kCannotCoerce, "cannot cast type " + from.name() + " to " + to.name());
}

/// Casts from and to array types: text input and output, and element by element between arrays.
Value cast_array_value(const Value& value, const LogicalType& to) {
  const LogicalType& from = value.type();
  if (to.is_array() && (from.id() == LogicalTypeId::kVarchar || from.id() == LogicalTypeId::kSqlNull)) {
    return Value::array(to, array::parse(to.element_type(), value.get_string()));
  }
  if (from.is_array() && to.id() == LogicalTypeId::kVarchar) {
    std::string s = value.to_string();
    if (to.modifier() >= 0 && s.size() > static_cast<size_t>(to.modifier())) {
      s.resize(utf8_prefix_bytes(s.data(), s.size(), static_cast<size_t>(to.modifier())));
    }
    return Value::varchar(std::move(s), to.modifier());
  }
  if (from.is_array() && to.is_array()) {
    if (from == to) return value;
    std::vector<Value> elements = array::elements(value);
    for (Value& e : elements) e = cast_value(e, to.element_type());
    return array::make(to.element_type(), elements);
  }
  throw SqlError(SqlState::kCannotCoerce, "cannot cast type " + from.name() + " to " + to.name());
}

}  // namespace

Value cast_value(const Value& value, const LogicalType& to) {
  const LogicalType& from = value.type();
  if (value.is_null()) return Value::null(to);
  if (from.is_array() || to.is_array()) return cast_array_value(value, to);
  if (to.id() == LogicalTypeId::kNumeric ||
      (from.id() == LogicalTypeId::kNumeric && !to.is_string())) {
    return cast_numeric_value(value, to);
  }
  if (from.id() == to.id() && !from.is_string()) return value;
  if (to.is_datetime()) return cast_to_datetime(value, to);
  auto make_int = [&](int64_t v) -> Value {
    if (v < int_min(to.id()) || v > int_max(to.id())) throw_out_of_range(to);
    switch (to.id()) {
      case LogicalTypeId::kSmallint: return Value::smallint(static_cast<int16_t>(v));
      case LogicalTypeId::kInteger: return Value::integer(static_cast<int32_t>(v));
      default: return Value::bigint(v);
    }
  };
  switch (to.id()) {
    case LogicalTypeId::kBytea:
      // Through the text output: a bpchar's blanks are bytes of the result.
      if (from.is_string()) return Value::bytea(bytea_parse(value.to_string()));
      break;
    case LogicalTypeId::kUuid:
      if (from.is_string()) return Value::uuid(uuid_parse(value.get_string()));
      break;
    case LogicalTypeId::kChar: {
      // The stored form of a bpchar is its text without trailing blanks (bpchar's cast to text).
      const std::string s = from.id() == LogicalTypeId::kBoolean ? bool_to_text(value.get_bool())
                            : from.is_string()                   ? value.get_string()
                                                                 : value.to_string();
      return Value::bpchar(bpchar_input(s, to.modifier(), true), to.modifier());
    }
    case LogicalTypeId::kVarchar: {
      std::string s = from.id() == LogicalTypeId::kBoolean ? bool_to_text(value.get_bool())
                      : from.id() == LogicalTypeId::kChar  ? value.get_string()
                                                           : value.to_string();
      if (to.modifier() >= 0 && s.size() > static_cast<size_t>(to.modifier())) {
        // Explicit casts to varchar(n) keep the first n characters (never part of one).
        s.resize(utf8_prefix_bytes(s.data(), s.size(), static_cast<size_t>(to.modifier())));
      }
      return Value::varchar(std::move(s), to.modifier());
    }
    case LogicalTypeId::kSmallint:
    case LogicalTypeId::kInteger:
    case LogicalTypeId::kBigint: {
      if (from.is_integral()) return make_int(value.get_int64());
      if (from.id() == LogicalTypeId::kBoolean) return make_int(value.get_bool() ? 1 : 0);
      if (from.id() == LogicalTypeId::kDouble || from.id() == LogicalTypeId::kReal) {
        double d = round_half_even(value.get_double());
        if (std::isnan(d) || d < -9.2233720368547758e18 || d >= 9.2233720368547758e18) throw_out_of_range(to);
        return make_int(static_cast<int64_t>(d));
      }
      if (from.is_string()) {
        int64_t v;
        bool oor;
        if (!parse_int64(value.get_string(), v, oor)) throw_invalid_input(to, value.get_string(), oor);
        if (v < int_min(to.id()) || v > int_max(to.id())) throw_invalid_input(to, value.get_string(), true);
        return make_int(v);
      }
      break;
    }
    case LogicalTypeId::kReal: return cast_to_real(value);
    case LogicalTypeId::kDouble: {
      if (from.is_integral()) return Value::double_precision(static_cast<double>(value.get_int64()));
      if (from.id() == LogicalTypeId::kReal) return Value::double_precision(value.get_double());
      if (from.is_string()) {
        double d;
        bool oor;
        if (!parse_double(value.get_string(), d, oor)) throw_invalid_input(to, value.get_string(), oor);
        return Value::double_precision(d);
      }
      break;
    }
    case LogicalTypeId::kBoolean: {
      if (from.id() == LogicalTypeId::kInteger) return Value::boolean(value.get_int64() != 0);
      if (from.is_string()) {
        bool b;
        if (!parse_bool(value.get_string(), b)) throw_invalid_input(to, value.get_string(), false);
        return Value::boolean(b);
      }
      break;
    }
    default: break;
  }
  throw SqlError(SqlState::kCannotCoerce, "cannot cast type " + from.name() + " to " + to.name());
}

}  // namespace tessera
