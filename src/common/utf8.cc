#include "src/common/utf8.h"

#include <clocale>
#include <cstdio>
#include <cstring>
#include <cwctype>
#include <locale.h>

#include "src/common/sql_error.h"

namespace tessera {

namespace {

constexpr uint64_t kHighBits = 0x8080808080808080ULL;
constexpr uint64_t kLowBits = 0x0101010101010101ULL;

inline uint64_t load64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

/// Whether 32 bytes at `p` are all ASCII and none is NUL.
inline bool block_is_plain_ascii(const char* p) {
  const uint64_t a = load64(p), b = load64(p + 8), c = load64(p + 16), d = load64(p + 24);
  // A zero byte: (v - 0x01..) & ~v has its high bit set (exact when no byte is >= 0x80,
  // which the first test guarantees for the result to matter).
  const uint64_t zero = ((a - kLowBits) & ~a) | ((b - kLowBits) & ~b) | ((c - kLowBits) & ~c) | ((d - kLowBits) & ~d);
  return (((a | b | c | d) | zero) & kHighBits) == 0;
}

inline bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

/// The length of the valid character at s[0..remaining), or 0 when it is not valid
/// (PostgreSQL's pg_utf8_islegal plus its NUL rule).
inline size_t valid_sequence_length(const unsigned char* s, size_t remaining) {
  const unsigned char c = s[0];
  if (c < 0x80) return c == 0 ? 0 : 1;
  size_t length;
  if (c >= 0xC2 && c <= 0xDF) {
    length = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    length = 3;
  } else if (c >= 0xF0 && c <= 0xF4) {
    length = 4;
  } else {
    return 0;  // a continuation byte, C0/C1 (always overlong) or F5..FF (beyond U+10FFFF)
  }
  if (remaining < length) return 0;
  const unsigned char c1 = s[1];
  // The second byte's range depends on the first: excludes overlong forms (E0, F0), the
  // surrogates (ED) and code points beyond U+10FFFF (F4).
  switch (c) {
    case 0xE0: if (c1 < 0xA0 || c1 > 0xBF) return 0; break;
    case 0xED: if (c1 < 0x80 || c1 > 0x9F) return 0; break;
    case 0xF0: if (c1 < 0x90 || c1 > 0xBF) return 0; break;
    case 0xF4: if (c1 < 0x80 || c1 > 0x8F) return 0; break;
    default: if (!is_continuation(c1)) return 0; break;
  }
  for (size_t i = 2; i < length; i++) {
    if (!is_continuation(s[i])) return 0;
  }
  return length;
}

/// The C.UTF-8 locale for the wide-character case functions (null when the C library has none:
/// then only ASCII letters change case).
locale_t utf8_locale() {
  static const locale_t locale = [] {
    locale_t l = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
    if (l == static_cast<locale_t>(nullptr)) l = newlocale(LC_CTYPE_MASK, "C.utf8", static_cast<locale_t>(nullptr));
    return l;
  }();
  return locale;
}

template <bool UPPER>
void convert_case(std::string_view text, std::string& out) {
  out.resize(text.size());
  size_t i = 0;
  // ASCII prefix (all of it, usually) byte by byte.
  for (; i < text.size(); i++) {
    char c = text[i];
    if (static_cast<unsigned char>(c) >= 0x80) break;
    if (UPPER && c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
    if (!UPPER && c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    out[i] = c;
  }
  if (i == text.size()) return;
  out.resize(i);
  char buf[4];
  while (i < text.size()) {
    size_t length;
    const uint32_t code = utf8_decode(text.data() + i, length);
    const uint32_t mapped = UPPER ? unicode_to_upper(code) : unicode_to_lower(code);
    out.append(buf, utf8_encode(mapped, buf));
    i += length;
  }
}

}  // namespace

size_t utf8_invalid_offset(const char* data, size_t size) {
  const auto* s = reinterpret_cast<const unsigned char*>(data);
  size_t i = 0;
  while (i < size) {
    if (size - i >= 32 && block_is_plain_ascii(data + i)) {
      i += 32;
      continue;
    }
    // Character by character to the end of this block (a sequence may run past it).
    const size_t block_end = size - i >= 32 ? i + 32 : size;
    while (i < block_end) {
      // ASCII runs between multi-byte characters: 8 bytes at a time.
      if (s[i] < 0x80 && size - i >= 8) {
        const uint64_t v = load64(data + i);
        if ((((v - kLowBits) & ~v) | v) & kHighBits) {
          if (s[i] == 0) return i;
          i++;
          continue;
        }
        i += 8;
        continue;
      }
      const size_t length = valid_sequence_length(s + i, size - i);
      if (length == 0) return i;
      i += length;
    }
  }
  return size;
}

void throw_invalid_utf8(const char* data, size_t remaining) {
  // pg_utf_mblen: the length the first byte announces (1 for bytes that start nothing).
  const auto lead = static_cast<unsigned char>(data[0]);
  size_t announced = 1;
  if ((lead & 0xE0) == 0xC0) {
    announced = 2;
  } else if ((lead & 0xF0) == 0xE0) {
    announced = 3;
  } else if ((lead & 0xF8) == 0xF0) {
    announced = 4;
  }
  const size_t shown = announced < remaining ? announced : remaining;
  std::string bytes;
  char hex[8];
  for (size_t i = 0; i < shown; i++) {
    std::snprintf(hex, sizeof(hex), "0x%02x", static_cast<unsigned char>(data[i]));
    if (i) bytes += ' ';
    bytes += hex;
  }
  throw SqlError(SqlState::kCharacterNotInRepertoire, "invalid byte sequence for encoding \"UTF8\": " + bytes);
}

void utf8_check(std::string_view text) {
  const size_t bad = utf8_invalid_offset(text.data(), text.size());
  if (bad != text.size()) throw_invalid_utf8(text.data() + bad, text.size() - bad);
}

bool utf8_is_ascii(const char* data, size_t size) {
  size_t i = 0;
  for (; i + 32 <= size; i += 32) {
    const uint64_t v = load64(data + i) | load64(data + i + 8) | load64(data + i + 16) | load64(data + i + 24);
    if (v & kHighBits) return false;
  }
  for (; i + 8 <= size; i += 8) {
    if (load64(data + i) & kHighBits) return false;
  }
  for (; i < size; i++) {
    if (static_cast<unsigned char>(data[i]) >= 0x80) return false;
  }
  return true;
}

size_t utf8_length(const char* data, size_t size) {
  size_t continuations = 0;
  size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    const uint64_t v = load64(data + i);
    // Continuation bytes are 10xxxxxx: bit 7 set, bit 6 clear.
    const uint64_t cont = v & ~(v << 1) & kHighBits;
    continuations += static_cast<size_t>(__builtin_popcountll(cont));
  }
  for (; i < size; i++) continuations += is_continuation(static_cast<unsigned char>(data[i]));
  return size - continuations;
}

size_t utf8_prefix_bytes(const char* data, size_t size, size_t chars) {
  if (chars >= size) return size;
  // ASCII prefix: one byte per character.
  size_t i = 0;
  while (i + 8 <= chars && (load64(data + i) & kHighBits) == 0) i += 8;
  size_t seen = i;
  while (i < size && seen < chars) {
    i += utf8_sequence_length(static_cast<unsigned char>(data[i]));
    seen++;
  }
  return i < size ? i : size;
}

size_t utf8_encode(uint32_t code, char* out) {
  if (code < 0x80) {
    out[0] = static_cast<char>(code);
    return 1;
  }
  if (code < 0x800) {
    out[0] = static_cast<char>(0xC0 | (code >> 6));
    out[1] = static_cast<char>(0x80 | (code & 0x3F));
    return 2;
  }
  if (code < 0x10000) {
    out[0] = static_cast<char>(0xE0 | (code >> 12));
    out[1] = static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (code & 0x3F));
    return 3;
  }
  out[0] = static_cast<char>(0xF0 | (code >> 18));
  out[1] = static_cast<char>(0x80 | ((code >> 12) & 0x3F));
  out[2] = static_cast<char>(0x80 | ((code >> 6) & 0x3F));
  out[3] = static_cast<char>(0x80 | (code & 0x3F));
  return 4;
}

void utf8_append(std::string& out, uint32_t code) {
  char buf[4];
  out.append(buf, utf8_encode(code, buf));
}

uint32_t unicode_to_lower(uint32_t code) {
  if (code < 0x80) return code >= 'A' && code <= 'Z' ? code + 32 : code;
  locale_t l = utf8_locale();
  if (l == static_cast<locale_t>(nullptr)) return code;
  const auto mapped = static_cast<uint32_t>(towlower_l(static_cast<wint_t>(code), l));
  // Never produce something that is not a valid character (the invariant above).
  return mapped > 0x10FFFF || (mapped >= 0xD800 && mapped <= 0xDFFF) || mapped == 0 ? code : mapped;
}

uint32_t unicode_to_upper(uint32_t code) {
  if (code < 0x80) return code >= 'a' && code <= 'z' ? code - 32 : code;
  locale_t l = utf8_locale();
  if (l == static_cast<locale_t>(nullptr)) return code;
  const auto mapped = static_cast<uint32_t>(towupper_l(static_cast<wint_t>(code), l));
  return mapped > 0x10FFFF || (mapped >= 0xD800 && mapped <= 0xDFFF) || mapped == 0 ? code : mapped;
}

bool unicode_is_alnum(uint32_t code) {
  if (code < 0x80) {
    return (code >= '0' && code <= '9') || (code >= 'a' && code <= 'z') || (code >= 'A' && code <= 'Z');
  }
  locale_t l = utf8_locale();
  if (l == static_cast<locale_t>(nullptr)) return false;
  return iswalnum_l(static_cast<wint_t>(code), l) != 0;
}

void utf8_to_lower(std::string_view text, std::string& out) { convert_case<false>(text, out); }
void utf8_to_upper(std::string_view text, std::string& out) { convert_case<true>(text, out); }

}  // namespace tessera
