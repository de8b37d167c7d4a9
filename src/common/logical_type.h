#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace tessera {

/// PostgreSQL object identifier (type OIDs, relation OIDs, ...).
using Oid = uint32_t;

/// SQL-level types. Values are frozen: they may be persisted.
enum class LogicalTypeId : uint8_t {
  kInvalid = 0,
  kSqlNull = 1,  ///< The type of an untyped NULL literal; resolves to the context's type.
  kBoolean = 2,
  kSmallint = 3,
  kInteger = 4,
  kBigint = 5,
  kDouble = 6,
  kVarchar = 7,  ///< text / varchar / char: all stored the same way.
  // Date/time types (src/common/datetime.h), PostgreSQL's layouts with epoch 2000-01-01.
  kDate = 20,         ///< int32 days
  kTime = 21,         ///< int64 microseconds since midnight
  kTimestamp = 22,    ///< int64 microseconds
  kTimestampTz = 23,  ///< int64 microseconds, UTC
  kInterval = 24,     ///< Interval: months, days, microseconds
  // ---- float4 / char(n) / bytea / uuid ----
  kReal = 30,  ///< float4: IEEE single precision (PhysicalType::kFloat)
  // Exact decimal (src/common/numeric.h); modifier: numeric(p,s) typmod, -1 unconstrained.
  kNumeric = 31,
  /// character(n) / bpchar; modifier: n, -1 for unconstrained bpchar. Stored with trailing
  /// blanks removed (they are insignificant to every operation but output and octet_length),
  /// so comparison, hashing and sort keys are those of text; output pads to n characters.
  kChar = 32,
  /// bytea: arbitrary bytes in a string_t (src/common/bytea.h).
  kBytea = 33,
  /// uuid: its 16 bytes in a string_t, ordered and hashed bytewise as PostgreSQL's uuid
  /// (src/common/uuid.h).
  kUuid = 34,
  /// One-dimensional array of `element_type()` (src/common/array_value.h); the modifier is the
  /// element's. Stored as an order-preserving byte string (PhysicalType::kString).
  kArray = 40,
};

/// How a type's values are laid out in a Vector.
enum class PhysicalType : uint8_t {
  kInvalid = 0,
  kBool = 1,    ///< one byte per value, 0 or 1
  kInt16 = 2,
  kInt32 = 3,
  kInt64 = 4,
  kDouble = 5,
  kString = 6,  ///< string_t
  kInterval = 16,  ///< Interval (16 bytes), ordered and hashed on its normalized value
  kNumeric = 17,   ///< Numeric (16 bytes: coefficient and display scale), ordered and hashed by value
  // ---- float4 / char(n) / bytea / uuid ----
  kFloat = 20,  ///< float (4 bytes), NaN ordered above everything and equal to itself, as kDouble
};

/// A SQL type. Small and copyable; `modifier` carries varchar(n) length and later numeric(p,s).
class LogicalType {
 public:
  constexpr LogicalType() = default;
  constexpr LogicalType(LogicalTypeId id) : id_(id) {}  // NOLINT: implicit by design
  constexpr LogicalType(LogicalTypeId id, int32_t modifier) : id_(id), modifier_(modifier) {}

  static constexpr LogicalType sql_null() { return LogicalType(LogicalTypeId::kSqlNull); }
  static constexpr LogicalType boolean() { return LogicalType(LogicalTypeId::kBoolean); }
  static constexpr LogicalType smallint() { return LogicalType(LogicalTypeId::kSmallint); }
  static constexpr LogicalType integer() { return LogicalType(LogicalTypeId::kInteger); }
  static constexpr LogicalType bigint() { return LogicalType(LogicalTypeId::kBigint); }
  static constexpr LogicalType double_precision() { return LogicalType(LogicalTypeId::kDouble); }
  static constexpr LogicalType real() { return LogicalType(LogicalTypeId::kReal); }
  static constexpr LogicalType varchar() { return LogicalType(LogicalTypeId::kVarchar); }
  static constexpr LogicalType bytea() { return LogicalType(LogicalTypeId::kBytea); }
  static constexpr LogicalType uuid() { return LogicalType(LogicalTypeId::kUuid); }
  /// character(n), or unconstrained bpchar for n = -1.
  static constexpr LogicalType bpchar(int32_t n = -1) { return LogicalType(LogicalTypeId::kChar, n); }
  static constexpr LogicalType date() { return LogicalType(LogicalTypeId::kDate); }
  static constexpr LogicalType time() { return LogicalType(LogicalTypeId::kTime); }
  static constexpr LogicalType timestamp() { return LogicalType(LogicalTypeId::kTimestamp); }
  static constexpr LogicalType timestamptz() { return LogicalType(LogicalTypeId::kTimestampTz); }
  static constexpr LogicalType interval() { return LogicalType(LogicalTypeId::kInterval); }
  /// numeric, or numeric(p,s) for a typmod from numeric::make_typmod.
  static constexpr LogicalType numeric(int32_t typmod = -1) { return LogicalType(LogicalTypeId::kNumeric, typmod); }
  /// The array type of `element` (which must not be an array itself).
  static constexpr LogicalType array_of(const LogicalType& element) {
    LogicalType t(LogicalTypeId::kArray, element.modifier());
    t.element_ = element.id();
    return t;
  }

  constexpr LogicalTypeId id() const { return id_; }
  /// Type modifier, -1 when none (varchar length limit, later numeric precision/scale).
  constexpr int32_t modifier() const { return modifier_; }
  constexpr bool is_array() const { return id_ == LogicalTypeId::kArray; }
  /// The element type of an array type (with its modifier); invalid for other types.
  constexpr LogicalType element_type() const { return LogicalType(element_, modifier_); }

  PhysicalType physical_type() const;
  /// Bytes per value in a flat vector.
  size_t physical_size() const;
  bool is_integral() const;
  /// A character string type (text, varchar(n), character(n)): stored as string_t.
  constexpr bool is_string() const { return id_ == LogicalTypeId::kVarchar || id_ == LogicalTypeId::kChar; }
  bool is_numeric() const;
  /// date, time, timestamp, timestamptz or interval.
  bool is_datetime() const;
  /// The rank of a numeric type in PostgreSQL's implicit promotion order (smallint < integer <
  /// bigint < numeric < real < double precision), 0 for other types: a number is implicitly
  /// cast to a higher rank.
  int numeric_rank() const;
  bool is_valid() const { return id_ != LogicalTypeId::kInvalid; }

  /// PostgreSQL's name for the type as format_type prints it ("integer", "text", ...).
  std::string name() const;
  /// The pg_type OID clients see in RowDescription.
  Oid pg_oid() const;
  /// pg_type.typlen: byte length, or -1 for variable length.
  int16_t pg_typlen() const;

  friend bool operator==(const LogicalType& a, const LogicalType& b) {
    return a.id_ == b.id_ && a.element_ == b.element_ && a.modifier_ == b.modifier_;
  }
  friend bool operator!=(const LogicalType& a, const LogicalType& b) { return !(a == b); }

 private:
  LogicalTypeId id_ = LogicalTypeId::kInvalid;
  LogicalTypeId element_ = LogicalTypeId::kInvalid;  ///< kArray only
  int32_t modifier_ = -1;
};

/// PostgreSQL type OIDs used on the wire.
namespace pg_oid {
inline constexpr Oid kBool = 16;
inline constexpr Oid kInt8 = 20;
inline constexpr Oid kInt2 = 21;
inline constexpr Oid kInt4 = 23;
inline constexpr Oid kText = 25;
inline constexpr Oid kOid = 26;
inline constexpr Oid kFloat4 = 700;
inline constexpr Oid kFloat8 = 701;
inline constexpr Oid kUnknown = 705;
inline constexpr Oid kVarchar = 1043;
inline constexpr Oid kBpchar = 1042;
inline constexpr Oid kBytea = 17;
inline constexpr Oid kUuid = 2950;
inline constexpr Oid kName = 19;
inline constexpr Oid kChar = 18;
inline constexpr Oid kDate = 1082;
inline constexpr Oid kTime = 1083;
inline constexpr Oid kTimestamp = 1114;
inline constexpr Oid kTimestampTz = 1184;
inline constexpr Oid kInterval = 1186;
inline constexpr Oid kNumeric = 1700;
// Array types (pg_type.typarray of each element type).
inline constexpr Oid kBoolArray = 1000;
inline constexpr Oid kInt2Array = 1005;
inline constexpr Oid kInt4Array = 1007;
inline constexpr Oid kTextArray = 1009;
inline constexpr Oid kInt8Array = 1016;
inline constexpr Oid kFloat4Array = 1021;
inline constexpr Oid kFloat8Array = 1022;
inline constexpr Oid kVarcharArray = 1015;
inline constexpr Oid kDateArray = 1182;
inline constexpr Oid kTimeArray = 1183;
inline constexpr Oid kTimestampArray = 1115;
inline constexpr Oid kTimestampTzArray = 1185;
inline constexpr Oid kIntervalArray = 1187;
inline constexpr Oid kNumericArray = 1231;
}  // namespace pg_oid

}  // namespace tessera
