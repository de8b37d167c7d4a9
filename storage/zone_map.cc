#include "storage/zone_map.h"

#include <cmath>

#include "storage/durable/binary_io.h"

namespace tessera::storage {

namespace {

// PostgreSQL's float8 order: NaN is the largest value.
bool double_less(double a, double b) {
  if (std::isnan(a)) return false;
  if (std::isnan(b)) return true;
  return a < b;
}

}  // namespace

void ZoneMap::add_integer(int64_t v) {
  if (value_count_++ == 0) {
    min_int_ = max_int_ = v;
    return;
  }
  if (v < min_int_) min_int_ = v;
  if (v > max_int_) max_int_ = v;
}

void ZoneMap::add_double(double v) {
  if (value_count_++ == 0) {
    min_double_ = max_double_ = v;
    return;
  }
  if (double_less(v, min_double_)) min_double_ = v;
  if (double_less(max_double_, v)) max_double_ = v;
}

void ZoneMap::add_string(std::string_view v) {
  if (value_count_++ == 0) {
    min_string_ = max_string_ = std::string(v);
    return;
  }
  if (v < std::string_view(min_string_)) min_string_ = std::string(v);
  if (v > std::string_view(max_string_)) max_string_ = std::string(v);
}

void ZoneMap::add_interval(const Interval& v) {
  if (value_count_++ == 0) {
    min_interval_ = max_interval_ = v;
    return;
  }
  if (compare_intervals(v, min_interval_) < 0) min_interval_ = v;
  if (compare_intervals(v, max_interval_) > 0) max_interval_ = v;
}

void ZoneMap::merge(const ZoneMap& other) {
  null_count_ += other.null_count_;
  if (other.value_count_ == 0) return;
  if (value_count_ == 0) {
    const size_t nulls = null_count_;
    *this = other;
    null_count_ = nulls;
    return;
  }
  value_count_ += other.value_count_;
  switch (type_.physical_type()) {
    case PhysicalType::kDouble:
    case PhysicalType::kFloat:
      if (double_less(other.min_double_, min_double_)) min_double_ = other.min_double_;
      if (double_less(max_double_, other.max_double_)) max_double_ = other.max_double_;
      break;
    case PhysicalType::kString:
      if (other.min_string_ < min_string_) min_string_ = other.min_string_;
      if (other.max_string_ > max_string_) max_string_ = other.max_string_;
      break;
    case PhysicalType::kInterval:
      if (compare_intervals(other.min_interval_, min_interval_) < 0) min_interval_ = other.min_interval_;
      if (compare_intervals(other.max_interval_, max_interval_) > 0) max_interval_ = other.max_interval_;
      break;
    default:
      if (other.min_int_ < min_int_) min_int_ = other.min_int_;
      if (other.max_int_ > max_int_) max_int_ = other.max_int_;
      break;
  }
}

void ZoneMap::write(BinaryWriter& out) const {
  out.put_varint(value_count_);
  out.put_varint(null_count_);
  if (value_count_ == 0) return;
  switch (type_.physical_type()) {
    case PhysicalType::kDouble:
    case PhysicalType::kFloat:
      out.put_double(min_double_);
      out.put_double(max_double_);
      return;
    case PhysicalType::kString:
      out.put_string(min_string_);
      out.put_string(max_string_);
      return;
    case PhysicalType::kInterval:
      for (const Interval* v : {&min_interval_, &max_interval_}) {
        out.put_i64(v->micros);
        out.put_u32(static_cast<uint32_t>(v->days));
        out.put_u32(static_cast<uint32_t>(v->months));
      }
      return;
    default:
      out.put_i64(min_int_);
      out.put_i64(max_int_);
      return;
  }
}

ZoneMap ZoneMap::read(BinaryReader& in, LogicalType type) {
  ZoneMap zone(std::move(type));
  zone.value_count_ = in.get_varint();
  zone.null_count_ = in.get_varint();
  if (zone.value_count_ == 0) return zone;
  switch (zone.type_.physical_type()) {
    case PhysicalType::kDouble:
    case PhysicalType::kFloat:
      zone.min_double_ = in.get_double();
      zone.max_double_ = in.get_double();
      break;
    case PhysicalType::kString:
      zone.min_string_ = std::string(in.get_string());
      zone.max_string_ = std::string(in.get_string());
      break;
    case PhysicalType::kInterval:
      for (Interval* v : {&zone.min_interval_, &zone.max_interval_}) {
        v->micros = in.get_i64();
        v->days = static_cast<int32_t>(in.get_u32());
        v->months = static_cast<int32_t>(in.get_u32());
      }
      break;
    default:
      zone.min_int_ = in.get_i64();
      zone.max_int_ = in.get_i64();
      break;
  }
  return zone;
}

namespace {

Value make_value(const LogicalType& type, int64_t i, double d, const std::string& s, const Interval& iv) {
  switch (type.id()) {
    case LogicalTypeId::kBoolean: return Value::boolean(i != 0);
    case LogicalTypeId::kSmallint: return Value::smallint(static_cast<int16_t>(i));
    case LogicalTypeId::kInteger: return Value::integer(static_cast<int32_t>(i));
    case LogicalTypeId::kBigint: return Value::bigint(i);
    case LogicalTypeId::kDouble: return Value::double_precision(d);
    case LogicalTypeId::kReal: return Value::real(static_cast<float>(d));
    case LogicalTypeId::kVarchar: return Value::varchar(s);
    case LogicalTypeId::kChar: return Value::bpchar(s, type.modifier());
    case LogicalTypeId::kBytea: return Value::bytea(s);
    case LogicalTypeId::kUuid: return Value::uuid(s);
    case LogicalTypeId::kDate: return Value::date(static_cast<int32_t>(i));
    case LogicalTypeId::kTime: return Value::time(i);
    case LogicalTypeId::kTimestamp: return Value::timestamp(i);
    case LogicalTypeId::kTimestampTz: return Value::timestamptz(i);
    case LogicalTypeId::kInterval: return Value::interval(iv);
    default: return Value::null(type);
  }
}

}  // namespace

Value ZoneMap::min() const {
  if (value_count_ == 0) return Value::null(type_);
  return make_value(type_, min_int_, min_double_, min_string_, min_interval_);
}

Value ZoneMap::max() const {
  if (value_count_ == 0) return Value::null(type_);
  return make_value(type_, max_int_, max_double_, max_string_, max_interval_);
}

}  // namespace tessera::storage
