#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace tessera {

// UTF-8 text: validation at the edge and the character helpers the string functions use.
//
// The engine's invariant: every string it holds is valid UTF-8 without NUL bytes. Client
// input is checked once where it enters (query strings in the lexer, string constants after
// escape processing, bind parameter values in the session); everything the engine produces
// from valid text is valid by construction. So the helpers below other than the validators
// assume valid input and never re-check it.

/// The byte offset of the first byte that does not start a valid UTF-8 character (or is NUL),
/// or `size` when all of `data` is valid. Valid means PostgreSQL's pg_utf8_islegal: no
/// overlong forms, no surrogates (U+D800..U+DFFF), nothing above U+10FFFF, no NUL. Runs of
/// ASCII are checked 32 bytes at a time.
size_t utf8_invalid_offset(const char* data, size_t size);

/// Raises 22021 `invalid byte sequence for encoding "UTF8": 0xc3 0x28` when `text` is not
/// valid UTF-8 (PostgreSQL's report_invalid_encoding: the bytes of the offending character as
/// its first byte announces them, at most as many as remain).
void utf8_check(std::string_view text);

/// The 22021 error for the invalid character starting at `data` (with `remaining` bytes left).
[[noreturn]] void throw_invalid_utf8(const char* data, size_t remaining);

/// Whether every byte is ASCII (below 0x80); 32 bytes at a time.
bool utf8_is_ascii(const char* data, size_t size);

/// The number of characters of valid UTF-8 text (bytes that do not continue a sequence),
/// counted 8 bytes at a time.
size_t utf8_length(const char* data, size_t size);

/// The byte length of a valid character from its first byte.
inline size_t utf8_sequence_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead < 0xE0) return 2;
  if (lead < 0xF0) return 3;
  return 4;
}

/// The byte length of the first `chars` characters of valid text (all of it when shorter).
size_t utf8_prefix_bytes(const char* data, size_t size, size_t chars);

/// Decodes the valid character at `data`; its byte length goes to `length`.
inline uint32_t utf8_decode(const char* data, size_t& length) {
  const auto* s = reinterpret_cast<const unsigned char*>(data);
  if (s[0] < 0x80) {
    length = 1;
    return s[0];
  }
  if (s[0] < 0xE0) {
    length = 2;
    return (static_cast<uint32_t>(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
  }
  if (s[0] < 0xF0) {
    length = 3;
    return (static_cast<uint32_t>(s[0] & 0x0F) << 12) | (static_cast<uint32_t>(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
  }
  length = 4;
  return (static_cast<uint32_t>(s[0] & 0x07) << 18) | (static_cast<uint32_t>(s[1] & 0x3F) << 12) |
         (static_cast<uint32_t>(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
}

/// Writes code point `code` (at most U+10FFFF, not a surrogate) to `out` (4 bytes of room);
/// returns the number of bytes written.
size_t utf8_encode(uint32_t code, char* out);
/// Appends code point `code` to `out`.
void utf8_append(std::string& out, uint32_t code);

/// Unicode simple case mappings and classes of the C.UTF-8 locale (what PostgreSQL's lower,
/// upper, initcap and ILIKE use in a UTF-8 database whose LC_CTYPE is C.UTF-8 or en_US.UTF-8):
/// every script the C library's tables cover, e.g. `upper('ǆ')` is `Ǆ`, `lower('İ')` is `i`;
/// one code point maps to one (ß stays ß).
uint32_t unicode_to_lower(uint32_t code);
uint32_t unicode_to_upper(uint32_t code);
/// iswalnum in the same locale (initcap's word characters).
bool unicode_is_alnum(uint32_t code);

/// Lower-/upper-cases valid UTF-8 text into `out` (replacing its contents); ASCII text takes a
/// byte loop.
void utf8_to_lower(std::string_view text, std::string& out);
void utf8_to_upper(std::string_view text, std::string& out);

}  // namespace tessera
