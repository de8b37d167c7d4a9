#pragma once

#include <string>
#include <string_view>

namespace tessera {

// bytea values: arbitrary bytes held in string_t / std::string (they may contain NUL and need
// not be UTF-8). Text I/O as PostgreSQL's byteain / byteaout with bytea_output = hex.

/// byteain: "\x" followed by pairs of hex digits (blanks allowed between pairs), or the escape
/// format (any byte but backslash stands for itself; "\\" is a backslash, "\ooo" an octal
/// byte). Raises 22023 for a bad hex digit or an odd number of them, 22P02 for a bad escape.
std::string bytea_parse(std::string_view text);

/// byteaout in hex format: "\x" and two lower-case hex digits per byte.
void bytea_append_hex(std::string_view bytes, std::string& out);
inline std::string bytea_to_text(std::string_view bytes) {
  std::string out;
  bytea_append_hex(bytes, out);
  return out;
}

/// encode(bytes, format) for the formats hex, base64 and escape; 22023 for another format.
std::string bytea_encode(std::string_view bytes, std::string_view format);
/// decode(text, format), the inverse of bytea_encode; 22023 for malformed input.
std::string bytea_decode(std::string_view text, std::string_view format);

}  // namespace tessera
