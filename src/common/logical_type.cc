#include "src/common/logical_type.h"

#include "src/common/numeric.h"
#include "src/common/string_t.h"

namespace tessera {

PhysicalType LogicalType::physical_type() const {
  switch (id_) {
    case LogicalTypeId::kBoolean: return PhysicalType::kBool;
    case LogicalTypeId::kSmallint: return PhysicalType::kInt16;
    case LogicalTypeId::kInteger: return PhysicalType::kInt32;
    case LogicalTypeId::kBigint: return PhysicalType::kInt64;
    case LogicalTypeId::kDouble: return PhysicalType::kDouble;
    case LogicalTypeId::kReal: return PhysicalType::kFloat;
    case LogicalTypeId::kVarchar:
    case LogicalTypeId::kChar:
    case LogicalTypeId::kBytea:
    case LogicalTypeId::kUuid: return PhysicalType::kString;
    case LogicalTypeId::kDate: return PhysicalType::kInt32;
    case LogicalTypeId::kTime:
    case LogicalTypeId::kTimestamp:
    case LogicalTypeId::kTimestampTz: return PhysicalType::kInt64;
    case LogicalTypeId::kInterval: return PhysicalType::kInterval;
    case LogicalTypeId::kNumeric: return PhysicalType::kNumeric;
    case LogicalTypeId::kArray: return PhysicalType::kString;
    // A NULL literal vector carries only validity; give it a byte so buffers exist.
    case LogicalTypeId::kSqlNull: return PhysicalType::kBool;
    case LogicalTypeId::kInvalid: return PhysicalType::kInvalid;
  }
  return PhysicalType::kInvalid;
}

size_t LogicalType::physical_size() const {
  switch (physical_type()) {
    case PhysicalType::kBool: return 1;
    case PhysicalType::kInt16: return 2;
    case PhysicalType::kInt32: return 4;
    case PhysicalType::kInt64: return 8;
    case PhysicalType::kDouble: return 8;
    case PhysicalType::kFloat: return 4;
    case PhysicalType::kString: return sizeof(string_t);
    case PhysicalType::kInterval: return 16;
    case PhysicalType::kNumeric: return 16;
    case PhysicalType::kInvalid: return 0;
  }
  return 0;
}

bool LogicalType::is_integral() const {
  return id_ == LogicalTypeId::kSmallint || id_ == LogicalTypeId::kInteger || id_ == LogicalTypeId::kBigint;
}

bool LogicalType::is_numeric() const {
  return is_integral() || id_ == LogicalTypeId::kDouble || id_ == LogicalTypeId::kReal ||
         id_ == LogicalTypeId::kNumeric;
}

bool LogicalType::is_datetime() const {
  return id_ == LogicalTypeId::kDate || id_ == LogicalTypeId::kTime || id_ == LogicalTypeId::kTimestamp ||
         id_ == LogicalTypeId::kTimestampTz || id_ == LogicalTypeId::kInterval;
}

int LogicalType::numeric_rank() const {
  switch (id_) {
    case LogicalTypeId::kSmallint: return 1;
    case LogicalTypeId::kInteger: return 2;
    case LogicalTypeId::kBigint: return 3;
    case LogicalTypeId::kNumeric: return 4;
    case LogicalTypeId::kReal: return 5;
    case LogicalTypeId::kDouble: return 6;
    default: return 0;
  }
}

std::string LogicalType::name() const {
  switch (id_) {
    case LogicalTypeId::kSqlNull: return "unknown";
    case LogicalTypeId::kBoolean: return "boolean";
    case LogicalTypeId::kSmallint: return "smallint";
    case LogicalTypeId::kInteger: return "integer";
    case LogicalTypeId::kBigint: return "bigint";
    case LogicalTypeId::kDouble: return "double precision";
    case LogicalTypeId::kReal: return "real";
    case LogicalTypeId::kVarchar:
      return modifier_ >= 0 ? "character varying(" + std::to_string(modifier_) + ")" : "text";
    case LogicalTypeId::kChar:
      return modifier_ >= 0 ? "character(" + std::to_string(modifier_) + ")" : "bpchar";
    case LogicalTypeId::kBytea: return "bytea";
    case LogicalTypeId::kUuid: return "uuid";
    case LogicalTypeId::kDate: return "date";
    case LogicalTypeId::kTime: return "time without time zone";
    case LogicalTypeId::kTimestamp: return "timestamp without time zone";
    case LogicalTypeId::kTimestampTz: return "timestamp with time zone";
    case LogicalTypeId::kInterval: return "interval";
    case LogicalTypeId::kNumeric:
      if (modifier_ < 4) return "numeric";
      return "numeric(" + std::to_string(numeric::typmod_precision(modifier_)) + "," +
             std::to_string(numeric::typmod_scale(modifier_)) + ")";
    case LogicalTypeId::kArray: return element_type().name() + "[]";
    case LogicalTypeId::kInvalid: return "invalid";
  }
  return "invalid";
}

Oid LogicalType::pg_oid() const {
  switch (id_) {
    case LogicalTypeId::kSqlNull: return pg_oid::kText;  // PostgreSQL reports a bare NULL column as text
    case LogicalTypeId::kBoolean: return pg_oid::kBool;
    case LogicalTypeId::kSmallint: return pg_oid::kInt2;
    case LogicalTypeId::kInteger: return pg_oid::kInt4;
    case LogicalTypeId::kBigint: return pg_oid::kInt8;
    case LogicalTypeId::kDouble: return pg_oid::kFloat8;
    case LogicalTypeId::kReal: return pg_oid::kFloat4;
    case LogicalTypeId::kVarchar: return modifier_ >= 0 ? pg_oid::kVarchar : pg_oid::kText;
    case LogicalTypeId::kChar: return pg_oid::kBpchar;
    case LogicalTypeId::kBytea: return pg_oid::kBytea;
    case LogicalTypeId::kUuid: return pg_oid::kUuid;
    case LogicalTypeId::kDate: return pg_oid::kDate;
    case LogicalTypeId::kTime: return pg_oid::kTime;
    case LogicalTypeId::kTimestamp: return pg_oid::kTimestamp;
    case LogicalTypeId::kTimestampTz: return pg_oid::kTimestampTz;
    case LogicalTypeId::kInterval: return pg_oid::kInterval;
    case LogicalTypeId::kNumeric: return pg_oid::kNumeric;
    case LogicalTypeId::kArray:
      switch (element_) {
        case LogicalTypeId::kBoolean: return pg_oid::kBoolArray;
        case LogicalTypeId::kSmallint: return pg_oid::kInt2Array;
        case LogicalTypeId::kInteger: return pg_oid::kInt4Array;
        case LogicalTypeId::kBigint: return pg_oid::kInt8Array;
        case LogicalTypeId::kDouble: return pg_oid::kFloat8Array;
        case LogicalTypeId::kReal: return pg_oid::kFloat4Array;
        case LogicalTypeId::kVarchar: return modifier_ >= 0 ? pg_oid::kVarcharArray : pg_oid::kTextArray;
        case LogicalTypeId::kDate: return pg_oid::kDateArray;
        case LogicalTypeId::kTime: return pg_oid::kTimeArray;
        case LogicalTypeId::kTimestamp: return pg_oid::kTimestampArray;
        case LogicalTypeId::kTimestampTz: return pg_oid::kTimestampTzArray;
        case LogicalTypeId::kInterval: return pg_oid::kIntervalArray;
        case LogicalTypeId::kNumeric: return pg_oid::kNumericArray;
        default: return pg_oid::kTextArray;
      }
    case LogicalTypeId::kInvalid: return 0;
  }
  return 0;
}

int16_t LogicalType::pg_typlen() const {
  switch (id_) {
    case LogicalTypeId::kBoolean: return 1;
    case LogicalTypeId::kSmallint: return 2;
    case LogicalTypeId::kInteger: return 4;
    case LogicalTypeId::kBigint: return 8;
    case LogicalTypeId::kDouble: return 8;
    case LogicalTypeId::kReal: return 4;
    case LogicalTypeId::kDate: return 4;
    case LogicalTypeId::kTime:
    case LogicalTypeId::kTimestamp:
    case LogicalTypeId::kTimestampTz: return 8;
    case LogicalTypeId::kInterval:
    case LogicalTypeId::kUuid: return 16;
    default: return -1;
  }
}

}  // namespace tessera
