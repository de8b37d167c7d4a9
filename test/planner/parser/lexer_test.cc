#include "planner/parser/lexer.h"

#include <gtest/gtest.h>

#include "src/common/sql_error.h"

namespace tessera::planner {
namespace {

std::vector<Token> lex(std::string_view sql) { return Lexer(sql).tokenize(); }

void expect_lex_error(std::string_view sql, const std::string& message, uint32_t position) {
  try {
    lex(sql);
    ADD_FAILURE() << "expected an error for: " << sql;
  } catch (const SqlError& error) {
    EXPECT_EQ(error.state(), SqlState::kSyntaxError) << sql;
    EXPECT_EQ(error.message(), message) << sql;
    EXPECT_EQ(error.position(), position) << sql;
  }
}

TEST(LexerTest, IdentifiersFoldToLowerCaseUnlessQuoted) {
  auto tokens = lex("SELECT FooBar, \"FooBar\", \"a\"\"b\" x_1$");
  ASSERT_EQ(tokens.size(), 8u);
  EXPECT_EQ(tokens[0].kind, TokenKind::kIdentifier);
  EXPECT_EQ(tokens[0].text, "select");
  EXPECT_EQ(tokens[1].text, "foobar");
  EXPECT_EQ(tokens[3].kind, TokenKind::kQuotedIdentifier);
  EXPECT_EQ(tokens[3].text, "FooBar");
  EXPECT_EQ(tokens[5].text, "a\"b");
  EXPECT_EQ(tokens[6].text, "x_1$");
  EXPECT_EQ(tokens.back().kind, TokenKind::kEnd);
}

TEST(LexerTest, LongIdentifiersAreTruncatedTo63Bytes) {
  auto tokens = lex(std::string(70, 'a'));
  EXPECT_EQ(tokens[0].text, std::string(63, 'a'));
}

TEST(LexerTest, TokenOffsetsAndLengths) {
  auto tokens = lex("  ab <= 'x''y'");
  EXPECT_EQ(tokens[0].offset, 2);
  EXPECT_EQ(tokens[0].length, 2);
  EXPECT_EQ(tokens[1].offset, 5);
  EXPECT_EQ(tokens[1].text, "<=");
  EXPECT_EQ(tokens[2].offset, 8);
  EXPECT_EQ(tokens[2].length, 6);
  EXPECT_EQ(tokens[2].text, "x'y");
  EXPECT_EQ(tokens[3].offset, 14);
}

TEST(LexerTest, StandardStringsKeepBackslashes) {
  auto tokens = lex(R"('a\nb')");
  EXPECT_EQ(tokens[0].text, "a\\nb");
}

TEST(LexerTest, EscapeStrings) {
  auto tokens = lex(R"(E'a\nb\t\\\'c\x41\101\u00e9' e'x''y')");
  EXPECT_EQ(tokens[0].kind, TokenKind::kString);
  EXPECT_EQ(tokens[0].text, "a\nb\t\\'cAA\xC3\xA9");
  EXPECT_EQ(tokens[1].text, "x'y");
}

TEST(LexerTest, AdjacentStringsSeparatedByNewlineConcatenate) {
  auto tokens = lex("'foo'\n  'bar' 'baz'");
  ASSERT_EQ(tokens.size(), 3u);
  EXPECT_EQ(tokens[0].text, "foobar");
  EXPECT_EQ(tokens[1].text, "baz");
}

TEST(LexerTest, DollarQuotedStrings) {
  auto tokens = lex("$$it's$$ $tag$a$$b$tag$");
  EXPECT_EQ(tokens[0].text, "it's");
  EXPECT_EQ(tokens[1].text, "a$$b");
}

TEST(LexerTest, Numbers) {
  auto tokens = lex("123 1.5 .5 1e10 2. 1.5E-3 99999999999999999999");
  EXPECT_EQ(tokens[0].kind, TokenKind::kInteger);
  EXPECT_EQ(tokens[0].text, "123");
  for (int i = 1; i <= 5; ++i) EXPECT_EQ(tokens[i].kind, TokenKind::kNumeric) << i;
  EXPECT_EQ(tokens[2].text, ".5");
  EXPECT_EQ(tokens[5].text, "1.5E-3");
  EXPECT_EQ(tokens[6].kind, TokenKind::kInteger);
  EXPECT_EQ(tokens[6].text, "99999999999999999999");
}

TEST(LexerTest, IntegerFollowedByDotDot) {
  auto tokens = lex("1..2");
  EXPECT_EQ(tokens[0].kind, TokenKind::kInteger);
  EXPECT_EQ(tokens[1].kind, TokenKind::kDot);
}

TEST(LexerTest, Parameters) {
  auto tokens = lex("$1 + $12");
  EXPECT_EQ(tokens[0].kind, TokenKind::kParameter);
  EXPECT_EQ(tokens[0].int_value, 1);
  EXPECT_EQ(tokens[2].int_value, 12);
}

TEST(LexerTest, Operators) {
  auto tokens = lex("a<=b>=c<>d!=e||f::g<-1");
  std::vector<std::string> texts;
  for (const auto& token : tokens) texts.push_back(token.text);
  EXPECT_EQ(texts, (std::vector<std::string>{"a", "<=", "b", ">=", "c", "<>", "d", "<>", "e", "||",
                                             "f", "::", "g", "<", "-", "1", ""}));
  EXPECT_EQ(tokens[11].kind, TokenKind::kDoubleColon);
}

TEST(LexerTest, OperatorContainingSpecialCharacterKeepsTrailingMinus) {
  auto tokens = lex("a @- b");
  EXPECT_EQ(tokens[1].text, "@-");
}

TEST(LexerTest, Comments) {
  auto tokens = lex("a -- comment\n/* one /* nested */ still */ b+-- c\n1");
  ASSERT_EQ(tokens.size(), 5u);
  EXPECT_EQ(tokens[0].text, "a");
  EXPECT_EQ(tokens[1].text, "b");
  EXPECT_EQ(tokens[2].text, "+");
  EXPECT_EQ(tokens[3].text, "1");
}

TEST(LexerTest, Punctuation) {
  auto tokens = lex("(a,b);t.c[1]:");
  std::vector<TokenKind> kinds;
  for (const auto& token : tokens) kinds.push_back(token.kind);
  EXPECT_EQ(kinds, (std::vector<TokenKind>{
                       TokenKind::kLeftParen, TokenKind::kIdentifier, TokenKind::kComma,
                       TokenKind::kIdentifier, TokenKind::kRightParen, TokenKind::kSemicolon,
                       TokenKind::kIdentifier, TokenKind::kDot, TokenKind::kIdentifier,
                       TokenKind::kLeftBracket, TokenKind::kInteger, TokenKind::kRightBracket,
                       TokenKind::kColon, TokenKind::kEnd}));
}

TEST(LexerTest, Errors) {
  expect_lex_error("SELECT 'abc", "unterminated quoted string at or near \"'abc\"", 8);
  expect_lex_error("SELECT E'abc\\'", "unterminated quoted string at or near \"E'abc\\'\"", 8);
  expect_lex_error("SELECT 1 /* a /* b */", "unterminated /* comment at or near \"/* a /* b */\"",
                   10);
  expect_lex_error("SELECT \"ab", "unterminated quoted identifier at or near \"\"ab\"", 8);
  expect_lex_error("SELECT \"\"", "zero-length delimited identifier at or near \"\"\"\"", 8);
  expect_lex_error("SELECT 123abc", "trailing junk after numeric literal at or near \"123a\"", 8);
  expect_lex_error("SELECT $$abc", "unterminated dollar-quoted string at or near \"$$abc\"", 8);
  // Positions count characters, not bytes.
  expect_lex_error("SELECT '\xC3\xA9', 'x", "unterminated quoted string at or near \"'x\"", 13);
}

}  // namespace
}  // namespace tessera::planner
