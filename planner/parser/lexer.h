#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tessera::planner {

enum class TokenKind : uint8_t {
  kIdentifier,        ///< Unquoted word (keyword or identifier); `text` is lower-cased.
  kQuotedIdentifier,  ///< "Quoted" identifier; `text` is verbatim with "" unescaped.
  kString,            ///< String constant ('..', E'..', $$..$$); `text` is the value.
  kInteger,           ///< Integer constant; `text` is the digits.
  kNumeric,           ///< Decimal or exponent constant; `text` as written.
  kParameter,         ///< $n; `int_value` is n.
  kOperator,          ///< Operator symbol; `text` is the symbol ("!=" is turned into "<>").
  kLeftParen,
  kRightParen,
  kLeftBracket,
  kRightBracket,
  kComma,
  kSemicolon,
  kDot,
  kColon,
  kDoubleColon,
  kEnd,  ///< End of input; `offset` is the length of the input.
};

/// One lexical token. `offset`/`length` delimit its source text (used for "at or near").
struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;
  int64_t int_value = 0;
  int offset = 0;
  int length = 0;
};

/// PostgreSQL's lexical rules: identifiers folded to lower case unless double-quoted,
/// standard-conforming strings, E'' escape strings, dollar quoting, adjacent string constants
/// separated by a newline concatenated, numeric constants, `$n` parameters, multi-character
/// operators, `--` and nested block comments.
///
/// Lexical errors raise SqlError 42601 with PostgreSQL's wording and position.
/// A NOTICE raised while parsing, sent to the client before the statements run.
struct ParseNotice {
  std::string sqlstate;
  std::string message;
};

class Lexer {
 public:
  explicit Lexer(std::string_view sql) : sql_(sql) {}

  /// Splits the whole input into tokens; the last token is always kEnd.
  std::vector<Token> tokenize();
  /// The notices tokenizing raised (truncated identifiers).
  const std::vector<ParseNotice>& notices() const { return notices_; }

 private:
  Token next_token();
  void skip_whitespace_and_comments();
  /// True when a new string constant continues the previous one at `pos_` (whitespace
  /// including a newline, then a quote); on success `pos_` is left at that quote.
  bool at_string_continuation();
  Token lex_quoted_string(int start, bool escape_syntax);
  Token lex_dollar_string(int start, size_t tag_end);
  Token lex_quoted_identifier(int start);
  Token lex_number(int start);
  Token lex_operator(int start);
  [[noreturn]] void error(const std::string& message, int start, int end) const;
  /// Truncates `name` to 63 bytes (PostgreSQL's NAMEDATALEN - 1) without splitting a UTF-8
  /// character, noting the NOTICE PostgreSQL sends.
  void truncate_identifier(std::string& name);

  std::string_view sql_;
  size_t pos_ = 0;
  std::vector<ParseNotice> notices_;
};

/// True for a byte that can start an unquoted identifier ([A-Za-z_] and non-ASCII bytes).
bool is_identifier_start(char c);
/// True for a byte that can continue an unquoted identifier (adds digits and '$').
bool is_identifier_char(char c);

}  // namespace tessera::planner
