#include "executor/expression/like_matcher.h"

#include "src/common/utf8.h"

namespace tessera::executor {

namespace {

inline char fold(char c, bool ci) { return ci && c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

}  // namespace

bool like_match(std::string_view text, std::string_view pattern, char escape, bool case_insensitive) {
  // Iterative matcher with backtracking to the last '%': linear in practice, no recursion.
  size_t t = 0, p = 0;
  size_t star_p = std::string_view::npos, star_t = 0;
  // Literal bytes compare one by one: in valid UTF-8 a character's first byte never equals a
  // continuation byte, so byte matches stay aligned to characters.
  while (t < text.size()) {
    if (p < pattern.size()) {
      char pc = pattern[p];
      if (pc == '%') {
        star_p = ++p;
        star_t = t;
        continue;
      }
      if (pc == '_') {
        // One character, however many bytes (text is valid UTF-8).
        p++;
        t += utf8_sequence_length(static_cast<unsigned char>(text[t]));
        continue;
      }
      if (pc == escape && p + 1 < pattern.size()) {
        if (fold(pattern[p + 1], case_insensitive) == fold(text[t], case_insensitive)) {
          p += 2;
          t++;
          continue;
        }
      } else if (fold(pc, case_insensitive) == fold(text[t], case_insensitive)) {
        p++;
        t++;
        continue;
      }
    }
    if (star_p == std::string_view::npos) return false;
    // Let the last '%' take one more character and retry after it.
    p = star_p;
    star_t += utf8_sequence_length(static_cast<unsigned char>(text[star_t]));
    t = star_t;
  }
  while (p < pattern.size() && pattern[p] == '%') p++;
  return p == pattern.size();
}

}  // namespace tessera::executor
