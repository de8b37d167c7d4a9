#include "src/common/utf8.h"

#include <gtest/gtest.h>

#include <string>

#include "src/common/sql_error.h"

namespace tessera {
namespace {

/// A scalar reference of PostgreSQL's pg_utf8_islegal over a whole string (NUL rejected).
size_t reference_invalid_offset(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t len = 0;
    uint32_t min = 0;
    if (c == 0) return i;
    if (c < 0x80) {
      i++;
      continue;
    }
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      min = 0x10000;
    } else {
      return i;
    }
    if (i + len > s.size()) return i;
    uint32_t code = c & (0x7F >> len);
    for (size_t k = 1; k < len; k++) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return i;
      code = (code << 6) | (cc & 0x3F);
    }
    if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return i;
    i += len;
  }
  return s.size();
}

std::string error_of(const std::string& s) {
  try {
    utf8_check(s);
  } catch (const SqlError& e) {
    EXPECT_EQ(e.state(), SqlState::kCharacterNotInRepertoire);
    return e.message();
  }
  return "";
}

TEST(Utf8Test, AcceptsValidText) {
  for (const std::string s : {"", "a", "hello world", "é", "naïve café", "日本語", "😀", "\x7f", "\xef\xbf\xbf",
                              "\xf4\x8f\xbf\xbf", "\xed\x9f\xbf", "\xee\x80\x80"}) {
    EXPECT_EQ(utf8_invalid_offset(s.data(), s.size()), s.size()) << s;
    EXPECT_NO_THROW(utf8_check(s));
  }
}

TEST(Utf8Test, RejectsWhatPostgresRejects) {
  // Overlong forms, surrogates, beyond U+10FFFF, stray continuation bytes, truncation, NUL.
  EXPECT_EQ(error_of("\xff"), "invalid byte sequence for encoding \"UTF8\": 0xff");
  EXPECT_EQ(error_of("\xc3("), "invalid byte sequence for encoding \"UTF8\": 0xc3 0x28");
  EXPECT_EQ(error_of("ab\xe2\x82"), "invalid byte sequence for encoding \"UTF8\": 0xe2 0x82");
  EXPECT_EQ(error_of("\xed\xa0\x80"), "invalid byte sequence for encoding \"UTF8\": 0xed 0xa0 0x80");
  EXPECT_EQ(error_of("\xc0\xaf"), "invalid byte sequence for encoding \"UTF8\": 0xc0 0xaf");
  EXPECT_EQ(error_of("\xe0\x80\xaf"), "invalid byte sequence for encoding \"UTF8\": 0xe0 0x80 0xaf");
  EXPECT_EQ(error_of("\xf0\x80\x80\xaf"), "invalid byte sequence for encoding \"UTF8\": 0xf0 0x80 0x80 0xaf");
  EXPECT_EQ(error_of("\xf4\x90\x80\x80"), "invalid byte sequence for encoding \"UTF8\": 0xf4 0x90 0x80 0x80");
  EXPECT_EQ(error_of("\xf5\x80\x80\x80"), "invalid byte sequence for encoding \"UTF8\": 0xf5 0x80 0x80 0x80");
  EXPECT_EQ(error_of("\x80"), "invalid byte sequence for encoding \"UTF8\": 0x80");
  EXPECT_EQ(error_of(std::string("a\0b", 3)), "invalid byte sequence for encoding \"UTF8\": 0x00");
}

TEST(Utf8Test, FindsTheFirstInvalidByteAtEveryPositionAndLength) {
  // The ASCII fast path works on 32-byte blocks: put each bad sequence at every offset of
  // strings of lengths 0..100 and compare with the scalar reference.
  const std::string bad[] = {"\xff", "\xc3(", "\xed\xa0\x80", "\xe2\x82", std::string("\0", 1), "\xf4\x90\x80\x80", "\x80"};
  const std::string good[] = {"a", "é", "日", "😀"};
  for (size_t length = 0; length <= 100; length++) {
    for (const auto& g : good) {
      std::string base;
      while (base.size() < length) base += g;
      EXPECT_EQ(utf8_invalid_offset(base.data(), base.size()), reference_invalid_offset(base));
      for (size_t at = 0; at <= base.size(); at += 7) {
        for (const auto& b : bad) {
          std::string s = base.substr(0, at) + b + base.substr(at);
          EXPECT_EQ(utf8_invalid_offset(s.data(), s.size()), reference_invalid_offset(s)) << length << " " << at;
        }
      }
    }
  }
}

TEST(Utf8Test, EveryTwoAndThreeByteSequenceAgreesWithTheReference) {
  for (int a = 0x80; a < 0x100; a++) {
    for (int b = 0; b < 0x100; b++) {
      std::string s{static_cast<char>(a), static_cast<char>(b), 'x'};
      EXPECT_EQ(utf8_invalid_offset(s.data(), s.size()), reference_invalid_offset(s)) << a << " " << b;
      for (int c : {0x00, 0x41, 0x80, 0xBF, 0xC0}) {
        std::string t{static_cast<char>(a), static_cast<char>(b), static_cast<char>(c)};
        EXPECT_EQ(utf8_invalid_offset(t.data(), t.size()), reference_invalid_offset(t)) << a << " " << b << " " << c;
      }
    }
  }
}

TEST(Utf8Test, CountsAndSlicesCharacters) {
  const std::string s = "naïve café 日本語 😀 and a long ASCII tail to pass the word loop";
  EXPECT_EQ(utf8_length(s.data(), s.size()), 60u);
  EXPECT_EQ(utf8_length("", 0), 0u);
  EXPECT_EQ(utf8_prefix_bytes(s.data(), s.size(), 3), 4u);  // "naï"
  EXPECT_EQ(utf8_prefix_bytes(s.data(), s.size(), 0), 0u);
  EXPECT_EQ(utf8_prefix_bytes(s.data(), s.size(), 1000), s.size());
  const std::string ascii(100, 'x');
  EXPECT_EQ(utf8_prefix_bytes(ascii.data(), ascii.size(), 37), 37u);
  EXPECT_TRUE(utf8_is_ascii(ascii.data(), ascii.size()));
  EXPECT_FALSE(utf8_is_ascii(s.data(), s.size()));
  // The count agrees with decoding character by character for every prefix.
  size_t chars = 0;
  for (size_t i = 0; i < s.size();) {
    size_t len;
    utf8_decode(s.data() + i, len);
    i += len;
    chars++;
    EXPECT_EQ(utf8_length(s.data(), i), chars);
    EXPECT_EQ(utf8_prefix_bytes(s.data(), s.size(), chars), i);
  }
}

TEST(Utf8Test, EncodesAndDecodes) {
  for (uint32_t code : {0x41u, 0xE9u, 0x7FFu, 0x800u, 0xFFFFu, 0x10000u, 0x1F600u, 0x10FFFFu}) {
    char buf[4];
    const size_t n = utf8_encode(code, buf);
    EXPECT_EQ(utf8_invalid_offset(buf, n), n);
    size_t len;
    EXPECT_EQ(utf8_decode(buf, len), code);
    EXPECT_EQ(len, n);
    EXPECT_EQ(utf8_sequence_length(static_cast<unsigned char>(buf[0])), n);
  }
}

TEST(Utf8Test, CaseMappingCoversLatinGreekCyrillic) {
  std::string out;
  utf8_to_upper("abc éßÿāı жёαςσ", out);
  EXPECT_EQ(out, "ABC ÉßŸĀI ЖЁΑΣΣ");
  utf8_to_lower("ABC ÀΣİ ЖЁΑΣ", out);
  EXPECT_EQ(out, "abc àσi жёασ");
  EXPECT_EQ(unicode_to_upper(0x01C6), 0x01C4u);  // ǆ -> Ǆ
  EXPECT_TRUE(unicode_is_alnum(0xE9));
  EXPECT_FALSE(unicode_is_alnum(0x20));
}

}  // namespace
}  // namespace tessera
