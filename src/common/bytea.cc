#include "src/common/bytea.h"

#include <algorithm>
#include <cstdint>

#include "src/common/sql_error.h"

namespace tessera {

namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

[[noreturn]] void throw_bad_hex_digit(std::string_view text, size_t at) {
  // The offending character in full (it may be a multi-byte UTF-8 sequence).
  size_t len = 1;
  const auto lead = static_cast<unsigned char>(text[at]);
  if (lead >= 0xC0) len = lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
  throw SqlError(SqlState::kInvalidParameterValue,
                 "invalid hexadecimal digit: \"" + std::string(text.substr(at, len)) + "\"");
}

/// hex_decode: pairs of hex digits, blanks allowed between pairs.
std::string hex_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size() / 2);
  size_t i = 0;
  while (i < text.size()) {
    if (is_blank(text[i])) {
      i++;
      continue;
    }
    const int hi = hex_value(text[i]);
    if (hi < 0) throw_bad_hex_digit(text, i);
    if (i + 1 >= text.size()) {
      throw SqlError(SqlState::kInvalidParameterValue, "invalid hexadecimal data: odd number of digits");
    }
    const int lo = hex_value(text[i + 1]);
    if (lo < 0) throw_bad_hex_digit(text, i + 1);
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

bool is_octal(char c) { return c >= '0' && c <= '7'; }

[[noreturn]] void throw_bad_escape(const char* type) {
  throw SqlError(SqlState::kInvalidTextRepresentation, std::string("invalid input syntax for type ") + type);
}

/// The escape format: backslash followed by backslash or three octal digits (the first 0..3).
std::string escape_decode(std::string_view text, const char* type_for_error) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    if (text[i] != '\\') {
      out.push_back(text[i++]);
      continue;
    }
    if (i + 1 < text.size() && text[i + 1] == '\\') {
      out.push_back('\\');
      i += 2;
      continue;
    }
    if (i + 3 < text.size() && text[i + 1] >= '0' && text[i + 1] <= '3' && is_octal(text[i + 2]) &&
        is_octal(text[i + 3])) {
      out.push_back(static_cast<char>(((text[i + 1] - '0') << 6) | ((text[i + 2] - '0') << 3) | (text[i + 3] - '0')));
      i += 4;
      continue;
    }
    throw_bad_escape(type_for_error);
  }
  return out;
}

constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64_encode(std::string_view bytes) {
  // PostgreSQL ends a line after every 76 characters of full groups.
  std::string out;
  size_t line = 0;
  for (size_t i = 0; i < bytes.size(); i += 3) {
    uint32_t chunk = static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
    const size_t n = std::min<size_t>(3, bytes.size() - i);
    if (n > 1) chunk |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    if (n > 2) chunk |= static_cast<unsigned char>(bytes[i + 2]);
    out.push_back(kBase64[(chunk >> 18) & 63]);
    out.push_back(kBase64[(chunk >> 12) & 63]);
    out.push_back(n > 1 ? kBase64[(chunk >> 6) & 63] : '=');
    out.push_back(n > 2 ? kBase64[chunk & 63] : '=');
    if (n == 3) {
      line += 4;
      if (line >= 76) {
        out.push_back('\n');
        line = 0;
      }
    }
  }
  return out;
}

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

/// pg_base64_decode: blanks skipped; after the first '=' every group yields as many bytes as
/// that one did.
std::string base64_decode(std::string_view text) {
  std::string out;
  uint32_t buf = 0;
  int pos = 0;
  int end = 0;
  for (size_t i = 0; i < text.size(); i++) {
    const char c = text[i];
    if (is_blank(c)) continue;
    int b = 0;
    if (c == '=') {
      if (end == 0) {
        if (pos == 2) {
          end = 1;
        } else if (pos == 3) {
          end = 2;
        } else {
          throw SqlError(SqlState::kInvalidParameterValue, "unexpected \"=\" while decoding base64 sequence");
        }
      }
      b = 0;
    } else {
      b = base64_value(c);
      if (b < 0) {
        size_t len = 1;
        const auto lead = static_cast<unsigned char>(c);
        if (lead >= 0xC0) len = lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
        throw SqlError(SqlState::kInvalidParameterValue,
                       "invalid symbol \"" + std::string(text.substr(i, len)) + "\" found while decoding base64 sequence");
      }
    }
    buf = (buf << 6) + static_cast<uint32_t>(b);
    pos++;
    if (pos == 4) {
      out.push_back(static_cast<char>((buf >> 16) & 255));
      if (end == 0 || end > 1) out.push_back(static_cast<char>((buf >> 8) & 255));
      if (end == 0 || end > 2) out.push_back(static_cast<char>(buf & 255));
      buf = 0;
      pos = 0;
    }
  }
  if (pos != 0) {
    throw SqlError(SqlState::kInvalidParameterValue, "invalid base64 end sequence")
        .with_hint("Input data is missing padding, is truncated, or is otherwise corrupted.");
  }
  return out;
}

/// esc_enc: NUL, backslash and bytes from 0x80 as octal escapes (backslash doubled).
std::string escape_encode(std::string_view bytes) {
  std::string out;
  for (char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\\') {
      out += "\\\\";
    } else if (c == 0 || c >= 0x80) {
      out.push_back('\\');
      out.push_back(static_cast<char>('0' + (c >> 6)));
      out.push_back(static_cast<char>('0' + ((c >> 3) & 7)));
      out.push_back(static_cast<char>('0' + (c & 7)));
    } else {
      out.push_back(ch);
    }
  }
  return out;
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return out;
}

}  // namespace

std::string bytea_parse(std::string_view text) {
  if (text.size() >= 2 && text[0] == '\\' && text[1] == 'x') return hex_decode(text.substr(2));
  return escape_decode(text, "bytea");
}

void bytea_append_hex(std::string_view bytes, std::string& out) {
  out.reserve(out.size() + 2 + bytes.size() * 2);
  out += "\\x";
  for (char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    out.push_back(kHexDigits[c >> 4]);
    out.push_back(kHexDigits[c & 15]);
  }
}

std::string bytea_encode(std::string_view bytes, std::string_view format) {
  const std::string f = lower_ascii(format);
  if (f == "hex") {
    std::string out = bytea_to_text(bytes);
    return out.substr(2);
  }
  if (f == "base64") return base64_encode(bytes);
  if (f == "escape") return escape_encode(bytes);
  throw SqlError(SqlState::kInvalidParameterValue, "unrecognized encoding: \"" + std::string(format) + "\"");
}

std::string bytea_decode(std::string_view text, std::string_view format) {
  const std::string f = lower_ascii(format);
  if (f == "hex") return hex_decode(text);
  if (f == "base64") return base64_decode(text);
  if (f == "escape") return escape_decode(text, "bytea");
  throw SqlError(SqlState::kInvalidParameterValue, "unrecognized encoding: \"" + std::string(format) + "\"");
}

}  // namespace tessera
