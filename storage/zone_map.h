#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "src/common/logical_type.h"
#include "src/common/value.h"

namespace tessera::storage {

class BinaryReader;
class BinaryWriter;

/// Minimum, maximum and NULL count of the rows of one column segment. Min/max use the type's
/// SQL ordering: integers, booleans and date/time types numerically, intervals normalized, doubles with NaN above every other value
/// (PostgreSQL's float8 order), strings byte-wise (the C collation). Scans use it to skip
/// segments and row groups that cannot match a pushed-down TableFilter.
///
/// Thread-safety: a plain value; the owning segment guards it.
class ZoneMap {
 public:
  ZoneMap() = default;
  explicit ZoneMap(LogicalType type) : type_(type) {}

  void add_null(size_t count = 1) { null_count_ += count; }
  /// For integral and boolean types (the value widened to int64).
  void add_integer(int64_t v);
  void add_double(double v);
  void add_string(std::string_view v);
  /// For interval: ordered on the normalized value ('1 mon' = '30 days').
  void add_interval(const Interval& v);
  /// For numeric: counts the value; numeric zone maps keep no bounds (no pruning on them).
  void add_unbounded() { value_count_++; }
  /// Folds another zone map of the same type into this one.
  void merge(const ZoneMap& other);

  /// The durable form (data files): varint value count, varint NULL count, then when values
  /// were seen the bounds of the type's kind (integers as i64, doubles as f64, strings as
  /// length-prefixed bytes, intervals as micros/days/months).
  void write(BinaryWriter& out) const;
  /// Reads what write() wrote for a column of `type` (XX001 on malformed input).
  static ZoneMap read(BinaryReader& in, LogicalType type);

  const LogicalType& type() const { return type_; }
  /// Number of non-NULL values seen; min/max are meaningful only when it is non-zero.
  size_t value_count() const { return value_count_; }
  size_t null_count() const { return null_count_; }
  /// Minimum and maximum as Values of the column's type; NULL when no value was seen.
  Value min() const;
  Value max() const;
  /// Typed bounds (meaningful only when value_count() > 0): integral and boolean types widened
  /// to int64, doubles in PostgreSQL's float8 order, strings byte-wise.
  int64_t min_integer() const { return min_int_; }
  int64_t max_integer() const { return max_int_; }
  double min_double() const { return min_double_; }
  double max_double() const { return max_double_; }
  std::string_view min_string() const { return min_string_; }
  std::string_view max_string() const { return max_string_; }
  const Interval& min_interval() const { return min_interval_; }
  const Interval& max_interval() const { return max_interval_; }

 private:
  LogicalType type_;
  size_t value_count_ = 0;
  size_t null_count_ = 0;
  int64_t min_int_ = 0, max_int_ = 0;
  double min_double_ = 0, max_double_ = 0;
  std::string min_string_, max_string_;
  Interval min_interval_, max_interval_;
};

}  // namespace tessera::storage
