#include "src/common/uuid.h"

#include "src/common/sql_error.h"

namespace tessera {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string uuid_parse(std::string_view text) {
  auto fail = [&]() -> std::string {
    throw SqlError(SqlState::kInvalidTextRepresentation, "invalid input syntax for type uuid: \"" + std::string(text) + "\"");
  };
  std::string out(kUuidSize, '\0');
  size_t at = 0;
  const bool braces = !text.empty() && text[0] == '{';
  if (braces) at++;
  for (size_t i = 0; i < kUuidSize; i++) {
    if (at + 1 >= text.size()) return fail();
    const int hi = hex_value(text[at]);
    const int lo = hex_value(text[at + 1]);
    if (hi < 0 || lo < 0) return fail();
    out[i] = static_cast<char>(hi * 16 + lo);
    at += 2;
    if (at < text.size() && text[at] == '-' && i % 2 == 1 && i < kUuidSize - 1) at++;
  }
  if (braces) {
    if (at >= text.size() || text[at] != '}') return fail();
    at++;
  }
  if (at != text.size()) return fail();
  return out;
}

void uuid_append_text(std::string_view bytes, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (size_t i = 0; i < bytes.size(); i++) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    const auto c = static_cast<unsigned char>(bytes[i]);
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
}

}  // namespace tessera
