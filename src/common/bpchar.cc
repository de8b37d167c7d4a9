#include "src/common/bpchar.h"

#include "src/common/sql_error.h"
#include "src/common/utf8.h"

namespace tessera {

std::string bpchar_input(std::string_view text, int32_t n, bool explicit_cast) {
  text = bpchar_strip(text);
  if (n >= 0) {
    const size_t keep = utf8_prefix_bytes(text.data(), text.size(), static_cast<size_t>(n));
    if (keep < text.size()) {
      if (!explicit_cast) {
        throw SqlError(SqlState::kStringDataRightTruncation,
                       "value too long for type character(" + std::to_string(n) + ")");
      }
      text = bpchar_strip(text.substr(0, keep));
    }
  }
  return std::string(text);
}

size_t bpchar_padded_size(std::string_view text, int32_t n) {
  if (n < 0) return text.size();
  const size_t chars = utf8_length(text.data(), text.size());
  return chars >= static_cast<size_t>(n) ? text.size() : text.size() + (static_cast<size_t>(n) - chars);
}

void bpchar_append_padded(std::string_view text, int32_t n, std::string& out) {
  out.append(text);
  if (n < 0) return;
  const size_t chars = utf8_length(text.data(), text.size());
  if (chars < static_cast<size_t>(n)) out.append(static_cast<size_t>(n) - chars, ' ');
}

}  // namespace tessera
