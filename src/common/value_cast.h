#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "src/common/logical_type.h"
#include "src/common/value.h"

namespace tessera {

/// Text input functions with PostgreSQL's rules (leading/trailing whitespace allowed).
/// Each returns false when the text is not a valid value of the type or is out of range;
/// `out_of_range` tells the two apart.
bool parse_int64(std::string_view text, int64_t& out, bool& out_of_range);
bool parse_double(std::string_view text, double& out, bool& out_of_range);
bool parse_bool(std::string_view text, bool& out);
/// float4in: out of range when the value overflows a float or underflows to zero (denormals
/// are accepted).
bool parse_real(std::string_view text, float& out, bool& out_of_range);

/// float8 -> float4 as PostgreSQL's dtof: 22003 "value out of range: overflow" when a finite
/// double does not fit, "...: underflow" when a nonzero double rounds to zero.
float double_to_real(double d);

/// Raises PostgreSQL's error for text that is not a valid `type` (22P02) or out of range (22003).
[[noreturn]] void throw_invalid_input(const LogicalType& type, std::string_view text, bool out_of_range);
/// Raises 22003 "<type> out of range" (integer, bigint, smallint).
[[noreturn]] void throw_out_of_range(const LogicalType& type);

/// Whether a value of `from` may be cast to `to` explicitly (CAST / ::).
bool can_cast(const LogicalType& from, const LogicalType& to);
/// Whether PostgreSQL applies the cast implicitly (assignment and operator resolution).
bool can_cast_implicitly(const LogicalType& from, const LogicalType& to);
/// Whether the cast applies in assignment context (INSERT into a column).
bool can_cast_assignment(const LogicalType& from, const LogicalType& to);

/// Casts one value (constants, literals); raises the SQL error PostgreSQL would.
Value cast_value(const Value& value, const LogicalType& to);

/// Text output of a boolean for casts to text ("true"/"false"), as PostgreSQL's bool::text.
inline const char* bool_to_text(bool b) { return b ? "true" : "false"; }

/// Rounds a double to the nearest integer, ties to even, as PostgreSQL's float-to-int casts do.
double round_half_even(double d);

}  // namespace tessera
