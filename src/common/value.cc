#include "src/common/value.h"

#include <charconv>
#include <cmath>

#include "src/common/array_value.h"
#include "src/common/bpchar.h"
#include "src/common/bytea.h"
#include "src/common/uuid.h"

namespace tessera {

namespace {

/// The shortest round-trip text of a float or double, PostgreSQL's way: exponent notation when
/// the decimal exponent is < -4 or >= `max_fixed_exponent` (DBL_DIG 15, FLT_DIG 6).
template <class T>
std::string format_float(T value, int max_fixed_exponent) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  if (value == 0) return std::signbit(value) ? "-0" : "0";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), value, std::chars_format::scientific);
  std::string sci(buf, res.ptr);
  size_t e_pos = sci.find('e');
  int exponent = std::stoi(sci.substr(e_pos + 1));
  if (exponent < -4 || exponent >= max_fixed_exponent) {
    // mantissa e+XX with at least two exponent digits, as printf %e does
    std::string mantissa = sci.substr(0, e_pos);
    char sign = exponent < 0 ? '-' : '+';
    int abs_exp = exponent < 0 ? -exponent : exponent;
    std::string exp_digits = std::to_string(abs_exp);
    if (exp_digits.size() < 2) exp_digits = "0" + exp_digits;
    return mantissa + "e" + sign + exp_digits;
  }
  res = std::to_chars(buf, buf + sizeof(buf), value, std::chars_format::fixed);
  return std::string(buf, res.ptr);
}

}  // namespace

std::string format_double(double value) { return format_float<double>(value, 15); }

std::string format_real(float value) { return format_float<float>(value, 6); }

std::string Value::to_string() const {
  if (is_null_) return "NULL";
  switch (type_.id()) {
    case LogicalTypeId::kBoolean: return i64_ ? "t" : "f";
    case LogicalTypeId::kSmallint:
    case LogicalTypeId::kInteger:
    case LogicalTypeId::kBigint: return std::to_string(i64_);
    case LogicalTypeId::kDouble: return format_double(f64_);
    case LogicalTypeId::kReal: return format_real(static_cast<float>(f64_));
    case LogicalTypeId::kVarchar: return str_;
    case LogicalTypeId::kChar: {
      std::string out;
      bpchar_append_padded(str_, type_.modifier(), out);
      return out;
    }
    case LogicalTypeId::kBytea: return bytea_to_text(str_);
    case LogicalTypeId::kUuid: return uuid_to_text(str_);
    case LogicalTypeId::kDate: return datetime::format_date(static_cast<int32_t>(i64_));
    case LogicalTypeId::kTime: return datetime::format_time(i64_);
    case LogicalTypeId::kTimestamp: return datetime::format_timestamp(i64_);
    case LogicalTypeId::kTimestampTz: {
      const auto& zone = current_datetime_context().time_zone;
      return datetime::format_timestamptz(i64_, zone ? *zone : *utc_time_zone());
    }
    case LogicalTypeId::kInterval: return datetime::format_interval(interval_);
    case LogicalTypeId::kNumeric: return numeric::format(numeric_);
    case LogicalTypeId::kArray: return array::format(type_.element_type(), str_);
    case LogicalTypeId::kSqlNull:
    case LogicalTypeId::kInvalid: return "NULL";
  }
  return "NULL";
}

bool operator==(const Value& a, const Value& b) {
  if (a.type_ != b.type_ || a.is_null_ != b.is_null_) return false;
  if (a.is_null_) return true;
  switch (a.type_.physical_type()) {
    case PhysicalType::kDouble:
    case PhysicalType::kFloat: return a.f64_ == b.f64_ || (std::isnan(a.f64_) && std::isnan(b.f64_));
    case PhysicalType::kString: return a.str_ == b.str_;
    case PhysicalType::kInterval: return a.interval_ == b.interval_;
    case PhysicalType::kNumeric: return a.numeric_.same_representation(b.numeric_);
    default: return a.i64_ == b.i64_;
  }
}

}  // namespace tessera
