#include "sqllogictest/runner/value_renderer.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

namespace tessera {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

/// The longest prefix of `text` (after leading blanks) that reads as a decimal number
/// [sign] digits [. digits] [e [sign] digits]; sets `integral` when it has no fraction or exponent.
std::string_view numeric_prefix(std::string_view text, bool& integral) {
  size_t pos = 0;
  while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\n')) ++pos;
  const size_t start = pos;
  if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) ++pos;
  size_t digits = 0;
  while (pos < text.size() && is_digit(text[pos])) ++pos, ++digits;
  integral = true;
  if (pos < text.size() && text[pos] == '.') {
    size_t after = pos + 1;
    size_t fraction = 0;
    while (after < text.size() && is_digit(text[after])) ++after, ++fraction;
    if (digits + fraction > 0) {
      pos = after;
      digits += fraction;
      integral = false;
    }
  }
  if (digits == 0) return {};
  if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
    size_t after = pos + 1;
    if (after < text.size() && (text[after] == '+' || text[after] == '-')) ++after;
    size_t exponent = 0;
    while (after < text.size() && is_digit(text[after])) ++after, ++exponent;
    if (exponent > 0) {
      pos = after;
      integral = false;
    }
  }
  return text.substr(start, pos - start);
}

}  // namespace

int64_t ValueRenderer::to_integer(std::string_view text) {
  if (text == "t") return 1;
  if (text == "f") return 0;
  bool integral = true;
  std::string prefix(numeric_prefix(text, integral));
  if (prefix.empty()) return 0;
  if (integral) {
    long long value = std::strtoll(prefix.c_str(), nullptr, 10);
    return static_cast<int64_t>(value);  // strtoll saturates on overflow
  }
  double value = std::trunc(std::strtod(prefix.c_str(), nullptr));
  if (std::isnan(value)) return 0;
  if (value >= 9223372036854775807.0) return std::numeric_limits<int64_t>::max();
  if (value <= -9223372036854775808.0) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(value);
}

double ValueRenderer::to_real(std::string_view text) {
  if (text == "t") return 1;
  if (text == "f") return 0;
  bool integral = true;
  std::string prefix(numeric_prefix(text, integral));
  if (prefix.empty()) {
    // PostgreSQL's spellings of the special float values.
    if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
    if (text == "Infinity") return std::numeric_limits<double>::infinity();
    if (text == "-Infinity") return -std::numeric_limits<double>::infinity();
    return 0;
  }
  return std::strtod(prefix.c_str(), nullptr);
}

std::string ValueRenderer::render(char type, const std::optional<std::string>& value) {
  if (!value.has_value()) return "NULL";
  char buffer[64];
  switch (type) {
    case 'I':
      std::snprintf(buffer, sizeof(buffer), "%lld", static_cast<long long>(to_integer(*value)));
      return buffer;
    case 'R':
      std::snprintf(buffer, sizeof(buffer), "%.3f", to_real(*value));
      return buffer;
    default: {
      if (value->empty()) return "(empty)";
      std::string out = *value;
      for (char& c : out) {
        const unsigned char byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte > 0x7E) c = '@';
      }
      return out;
    }
  }
}

}  // namespace tessera
