#include "src/common/bytea.h"

#include <gtest/gtest.h>

#include <functional>

#include "src/common/sql_error.h"

namespace tessera {
namespace {

SqlState state_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const SqlError& e) {
    return e.state();
  }
  return SqlState::kSuccessfulCompletion;
}

TEST(ByteaTest, HexAndEscapeInput) {
  EXPECT_EQ(bytea_parse("\\x00FF 7f"), std::string("\x00\xff\x7f", 3));
  EXPECT_EQ(bytea_parse("\\x"), "");
  EXPECT_EQ(bytea_parse("abc"), "abc");
  EXPECT_EQ(bytea_parse("a\\\\b\\001\\377"), std::string("a\\b\x01\xff", 5));
  EXPECT_EQ(state_of([] { bytea_parse("\\xzz"); }), SqlState::kInvalidParameterValue);
  EXPECT_EQ(state_of([] { bytea_parse("\\x123"); }), SqlState::kInvalidParameterValue);
  EXPECT_EQ(state_of([] { bytea_parse("\\9"); }), SqlState::kInvalidTextRepresentation);
  EXPECT_EQ(state_of([] { bytea_parse("\\47"); }), SqlState::kInvalidTextRepresentation);
  EXPECT_EQ(state_of([] { bytea_parse("a\\"); }), SqlState::kInvalidTextRepresentation);
}

TEST(ByteaTest, HexOutputRoundTrips) {
  std::string all;
  for (int i = 0; i < 256; i++) all.push_back(static_cast<char>(i));
  const std::string text = bytea_to_text(all);
  EXPECT_EQ(text.substr(0, 8), "\\x000102");
  EXPECT_EQ(text.size(), 2u + 512u);
  EXPECT_EQ(bytea_parse(text), all);
}

TEST(ByteaTest, EncodeAndDecode) {
  std::string all;
  for (int i = 0; i < 256; i++) all.push_back(static_cast<char>(i));
  for (const char* format : {"hex", "base64", "escape", "BASE64"}) {
    for (size_t n : {0u, 1u, 2u, 3u, 57u, 58u, 256u}) {
      const std::string bytes = all.substr(0, n);
      EXPECT_EQ(bytea_decode(bytea_encode(bytes, format), format), bytes) << format << " " << n;
    }
  }
  EXPECT_EQ(bytea_encode("abc", "base64"), "YWJj");
  EXPECT_EQ(bytea_encode(std::string("\x00\xff" "A", 3), "escape"), "\\000\\377A");
  EXPECT_EQ(bytea_decode("YQ==YQ==", "base64"), "aa");
  EXPECT_EQ(state_of([] { bytea_decode("YWJ", "base64"); }), SqlState::kInvalidParameterValue);
  EXPECT_EQ(state_of([] { bytea_decode("a!", "base64"); }), SqlState::kInvalidParameterValue);
  EXPECT_EQ(state_of([] { bytea_encode("a", "foo"); }), SqlState::kInvalidParameterValue);
}

}  // namespace
}  // namespace tessera
