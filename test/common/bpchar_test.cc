#include "src/common/bpchar.h"

#include <gtest/gtest.h>

#include "src/common/sql_error.h"

namespace tessera {
namespace {

TEST(BpcharTest, InputStripsTrailingBlanks) {
  EXPECT_EQ(bpchar_input("ab  ", 4, false), "ab");
  EXPECT_EQ(bpchar_input("ab  ", -1, false), "ab");
  EXPECT_EQ(bpchar_input("", 3, false), "");
  EXPECT_EQ(bpchar_input(" a\t", 3, false), " a\t");
}

TEST(BpcharTest, ExcessIsCutByExplicitCastsAndRejectedOtherwise) {
  EXPECT_EQ(bpchar_input("abcd", 3, true), "abc");
  EXPECT_EQ(bpchar_input("ab cd", 3, true), "ab");
  EXPECT_EQ(bpchar_input("abc   ", 3, false), "abc");
  EXPECT_EQ(bpchar_input("éèà", 2, true), "éè");
  try {
    bpchar_input("abcd", 3, false);
    FAIL() << "expected 22001";
  } catch (const SqlError& e) {
    EXPECT_EQ(e.state(), SqlState::kStringDataRightTruncation);
    EXPECT_STREQ(e.what(), "value too long for type character(3)");
  }
}

TEST(BpcharTest, PaddingCountsCharacters) {
  EXPECT_EQ(bpchar_padded_size("ab", 4), 4u);
  EXPECT_EQ(bpchar_padded_size("é", 3), 4u);
  EXPECT_EQ(bpchar_padded_size("abc", -1), 3u);
  std::string out;
  bpchar_append_padded("é", 3, out);
  EXPECT_EQ(out, "é  ");
  out.clear();
  bpchar_append_padded("", -1, out);
  EXPECT_EQ(out, "");
}

}  // namespace
}  // namespace tessera
