#pragma once

#include <string>
#include <string_view>

namespace tessera {

// uuid values: the 16 bytes, held in a string_t / std::string (bytewise order is PostgreSQL's
// uuid order). Text I/O as PostgreSQL's uuid_in / uuid_out.

inline constexpr size_t kUuidSize = 16;

/// uuid_in: 32 hex digits in either case, optionally inside braces, with an optional hyphen
/// after any group of four digits; 22P02 otherwise.
std::string uuid_parse(std::string_view text);

/// uuid_out: lower-case 8-4-4-4-12 hex digits.
void uuid_append_text(std::string_view bytes, std::string& out);
inline std::string uuid_to_text(std::string_view bytes) {
  std::string out;
  uuid_append_text(bytes, out);
  return out;
}

}  // namespace tessera
