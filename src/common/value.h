#pragma once

#include <cstdint>
#include <string>

#include "src/common/datetime.h"
#include "src/common/logical_type.h"
#include "src/common/numeric.h"

namespace tessera {

/// One SQL value of any type, for constants, literals and row-at-a-time paths outside inner loops
/// (catalog, wire formatting of single values, tests). Never used in vectorized kernels.
class Value {
 public:
  /// A NULL of the untyped NULL type.
  Value() : type_(LogicalType::sql_null()) {}
  /// A NULL of `type`.
  static Value null(LogicalType type) { Value v; v.type_ = type; return v; }
  static Value boolean(bool b) { Value v(LogicalType::boolean()); v.is_null_ = false; v.i64_ = b; return v; }
  static Value smallint(int16_t x) { Value v(LogicalType::smallint()); v.is_null_ = false; v.i64_ = x; return v; }
  static Value integer(int32_t x) { Value v(LogicalType::integer()); v.is_null_ = false; v.i64_ = x; return v; }
  static Value bigint(int64_t x) { Value v(LogicalType::bigint()); v.is_null_ = false; v.i64_ = x; return v; }
  static Value double_precision(double x) {
    Value v(LogicalType::double_precision()); v.is_null_ = false; v.f64_ = x; return v;
  }
  /// A real (float4) value; held widened to double, which represents every float exactly.
  static Value real(float x) {
    Value v(LogicalType::real()); v.is_null_ = false; v.f64_ = x; return v;
  }
  /// A text value; `modifier` >= 0 makes it varchar(modifier) (the caller has cut it to fit).
  static Value varchar(std::string s, int32_t modifier = -1) {
    Value v(LogicalType(LogicalTypeId::kVarchar, modifier)); v.is_null_ = false; v.str_ = std::move(s); return v;
  }
  /// A character(n) value (n = -1: bpchar) in its stored form: no trailing blanks
  /// (src/common/bpchar.h); the caller has cut it to fit.
  static Value bpchar(std::string s, int32_t n = -1) {
    Value v(LogicalType::bpchar(n)); v.is_null_ = false; v.str_ = std::move(s); return v;
  }
  /// A bytea value (any bytes).
  static Value bytea(std::string bytes) {
    Value v(LogicalType::bytea()); v.is_null_ = false; v.str_ = std::move(bytes); return v;
  }
  /// A uuid value: its 16 bytes.
  static Value uuid(std::string bytes) {
    Value v(LogicalType::uuid()); v.is_null_ = false; v.str_ = std::move(bytes); return v;
  }

  /// Date/time values in their storage form (src/common/datetime.h).
  static Value date(int32_t days) { Value v(LogicalType::date()); v.is_null_ = false; v.i64_ = days; return v; }
  static Value time(int64_t micros) { Value v(LogicalType::time()); v.is_null_ = false; v.i64_ = micros; return v; }
  static Value timestamp(int64_t micros) {
    Value v(LogicalType::timestamp()); v.is_null_ = false; v.i64_ = micros; return v;
  }
  static Value timestamptz(int64_t micros) {
    Value v(LogicalType::timestamptz()); v.is_null_ = false; v.i64_ = micros; return v;
  }
  static Value interval(const Interval& x) {
    Value v(LogicalType::interval()); v.is_null_ = false; v.interval_ = x; return v;
  }

  /// A numeric value; `typmod` >= 0 types it numeric(p,s) (the caller has applied the typmod).
  static Value numeric(const Numeric& x, int32_t typmod = -1) {
    Value v(LogicalType::numeric(typmod)); v.is_null_ = false; v.numeric_ = x; return v;
  }

  /// An array value of array type `type` from its encoded bytes (src/common/array_value.h).
  static Value array(LogicalType type, std::string bytes) {
    Value v(type); v.is_null_ = false; v.str_ = std::move(bytes); return v;
  }

  const LogicalType& type() const { return type_; }
  bool is_null() const { return is_null_; }
  bool get_bool() const { return i64_ != 0; }
  /// Any integral type's value, widened.
  int64_t get_int64() const { return i64_; }
  /// double precision or real (widened) value.
  double get_double() const { return f64_; }
  float get_float() const { return static_cast<float>(f64_); }
  /// A text value's characters, or an array value's encoded bytes.
  const std::string& get_string() const { return str_; }
  const Interval& get_interval() const { return interval_; }
  const Numeric& get_numeric() const { return numeric_; }

  /// PostgreSQL's text output for the value ("t"/"f", shortest round-trip doubles, ...);
  /// "NULL" for NULL. timestamptz is shown in the current DateTimeContext's zone.
  std::string to_string() const;

  friend bool operator==(const Value& a, const Value& b);
  friend bool operator!=(const Value& a, const Value& b) { return !(a == b); }

 private:
  explicit Value(LogicalType type) : type_(type) {}

  LogicalType type_;
  bool is_null_ = true;
  int64_t i64_ = 0;
  double f64_ = 0;
  std::string str_;
  Interval interval_;
  Numeric numeric_;
};

/// PostgreSQL's text form of a double precision value (extra_float_digits = 1: shortest exact).
std::string format_double(double value);
/// PostgreSQL's text form of a real value (extra_float_digits = 1: shortest exact float digits,
/// exponent notation below 1e-4 and from 1e6 on).
std::string format_real(float value);

}  // namespace tessera
