#pragma once

// One-dimensional arrays (LogicalTypeId::kArray), PostgreSQL's `type[]` with lower bound 1.
//
// An array value is stored as one byte string (PhysicalType::kString) whose byte-wise order is
// PostgreSQL's array order (array_cmp): elements compared one by one, a NULL element above every
// value, and a shorter array below a longer one it is a prefix of. Sorting, grouping, DISTINCT,
// hash joins and zone maps therefore handle arrays as plain strings. Layout: per element a tag
// byte (kValueTag followed by the element's order-preserving key, or kNullTag), then kEndTag.
// Element keys: integers and date/time values big-endian with the sign bit flipped; floats with
// the usual sign-magnitude flip (NaN above everything); text with 0x00 escaped and a 0x00 0x00
// terminator; numeric as sign class, decimal exponent and digits (then the display scale);
// interval as its normalized 128-bit value (then its fields). Values that are equal but spelled
// differently (1.0 and 1.00, '1 day' and '24 hours', -0 and 0) keep their spelling, so their
// bytes differ: the comparison operators decode (array::compare), while grouping and hashing
// see them as different keys.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/common/logical_type.h"
#include "src/common/value.h"

namespace tessera::array {

/// Whether `element` may be the element type of an array.
bool is_valid_element_type(const LogicalType& element);

/// The encoded array of `elements` (values of `element` type or NULLs).
std::string encode(const LogicalType& element, const std::vector<Value>& elements);
/// Appends one element (a value of `element` type or NULL) to an array being built; an array
/// is its elements appended in order, then append_end.
void append_element(std::string& out, const LogicalType& element, const Value& value);
void append_end(std::string& out);
/// The elements of an encoded array, as values of `element` type (NULLs as typed NULLs).
std::vector<Value> decode(const LogicalType& element, std::string_view bytes);
/// Number of elements of an encoded array.
size_t length(const LogicalType& element, std::string_view bytes);

/// An array value of type `element`[] from its elements.
Value make(const LogicalType& element, const std::vector<Value>& elements);
/// The elements of a non-NULL array value.
std::vector<Value> elements(const Value& array);

/// PostgreSQL's array_out: `{1,2,NULL}`, elements quoted when needed.
std::string format(const LogicalType& element, std::string_view bytes);
/// PostgreSQL's array_in for a one-dimensional literal; each element is read with the element
/// type's input rules. Raises 22P02 "malformed array literal" and 0A000 for multidimensional
/// arrays and explicit bounds.
std::string parse(const LogicalType& element, std::string_view text);

/// SQL comparison of two non-NULL element values of the same type (NaN highest, 1.0 = 1.00).
int compare_elements(const Value& a, const Value& b);
/// SQL comparison of two encoded arrays (array_cmp): element-wise, NULL elements above values,
/// then by length.
int compare(const LogicalType& element, std::string_view a, std::string_view b);

}  // namespace tessera::array
