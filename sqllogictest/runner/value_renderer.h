#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tessera {

/// Renders result values the way the reference sqllogictest runner does, from the value's
/// PostgreSQL text form and the column's type letter (sqllogictest/FORMAT.md):
///   NULL -> "NULL";
///   'I'  -> integer printed as %d, converted as SQLite's sqlite3_column_int would: the numeric
///           prefix truncated toward zero ("2.7" -> 2, "-2.7" -> -2), "t"/"f" -> 1/0, other
///           text -> 0 (64-bit, so bigint values survive);
///   'R'  -> %.3f;
///   'T'  -> the text, "(empty)" for '', bytes outside 0x20..0x7E replaced by '@'.
/// Stateless.
class ValueRenderer {
 public:
  static std::string render(char type, const std::optional<std::string>& value);

  /// The 'I' conversion of a text value.
  static int64_t to_integer(std::string_view text);
  /// The 'R' conversion of a text value (numeric prefix; "t"/"f" -> 1/0; other text -> 0).
  static double to_real(std::string_view text);
};

}  // namespace tessera
