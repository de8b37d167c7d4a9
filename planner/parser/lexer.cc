#include "planner/parser/lexer.h"

#include <cstring>

#include "planner/parser/error_position.h"
#include "src/common/sql_error.h"
#include "src/common/utf8.h"

namespace tessera::planner {
namespace {

/// PostgreSQL's NAMEDATALEN - 1: longer identifiers are truncated.
constexpr size_t kMaxIdentifierLength = 63;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool is_operator_char(char c) { return c != '\0' && std::strchr("~!@#^&|`?+-*/%<>=", c) != nullptr; }

bool is_hex_digit(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int hex_value(char c) {
  if (is_digit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

}  // namespace

void Lexer::truncate_identifier(std::string& name) {
  if (name.size() <= kMaxIdentifierLength) return;
  size_t len = kMaxIdentifierLength;
  while (len > 0 && (static_cast<unsigned char>(name[len]) & 0xC0) == 0x80) --len;
  const std::string original = name;
  name.resize(len);
  notices_.push_back(ParseNotice{"42622", "identifier \"" + original + "\" will be truncated to \"" + name + "\""});
}

bool is_identifier_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

bool is_identifier_char(char c) { return is_identifier_start(c) || is_digit(c) || c == '$'; }

std::vector<Token> Lexer::tokenize() {
  // Client text enters the engine here: it must be valid UTF-8 (22021), so everything the
  // lexer takes from it (identifiers, plain string constants) is valid too.
  utf8_check(sql_);
  std::vector<Token> tokens;
  while (true) {
    tokens.push_back(next_token());
    if (tokens.back().kind == TokenKind::kEnd) break;
  }
  return tokens;
}

void Lexer::error(const std::string& message, int start, int end) const {
  std::string near(sql_.substr(start, end - start));
  throw SqlError(SqlState::kSyntaxError, message + " at or near \"" + near + "\"")
      .with_position(error_position(sql_, start));
}

void Lexer::skip_whitespace_and_comments() {
  while (pos_ < sql_.size()) {
    char c = sql_[pos_];
    if (is_space(c)) {
      ++pos_;
    } else if (c == '-' && pos_ + 1 < sql_.size() && sql_[pos_ + 1] == '-') {
      while (pos_ < sql_.size() && sql_[pos_] != '\n' && sql_[pos_] != '\r') ++pos_;
    } else if (c == '/' && pos_ + 1 < sql_.size() && sql_[pos_ + 1] == '*') {
      size_t start = pos_;
      int depth = 1;
      pos_ += 2;
      while (depth > 0) {
        if (pos_ + 1 >= sql_.size()) {
          error("unterminated /* comment", static_cast<int>(start), static_cast<int>(sql_.size()));
        }
        if (sql_[pos_] == '/' && sql_[pos_ + 1] == '*') {
          ++depth;
          pos_ += 2;
        } else if (sql_[pos_] == '*' && sql_[pos_ + 1] == '/') {
          --depth;
          pos_ += 2;
        } else {
          ++pos_;
        }
      }
    } else {
      break;
    }
  }
}

Token Lexer::next_token() {
  skip_whitespace_and_comments();
  Token token;
  const int start = static_cast<int>(pos_);
  token.offset = start;
  if (pos_ >= sql_.size()) {
    token.kind = TokenKind::kEnd;
    return token;
  }
  const char c = sql_[pos_];
  const char next = pos_ + 1 < sql_.size() ? sql_[pos_ + 1] : '\0';
  auto single = [&](TokenKind kind) {
    ++pos_;
    token.kind = kind;
    token.text = std::string(1, c);
    token.length = 1;
    return token;
  };

  if ((c == 'e' || c == 'E') && next == '\'') {
    pos_ += 1;
    return lex_quoted_string(start, /*escape_syntax=*/true);
  }
  if ((c == 'n' || c == 'N') && next == '\'') {
    // National character strings are ordinary strings.
    pos_ += 1;
    return lex_quoted_string(start, /*escape_syntax=*/false);
  }
  if ((c == 'b' || c == 'B' || c == 'x' || c == 'X') && next == '\'') {
    throw SqlError(SqlState::kFeatureNotSupported, "bit string constants are not supported")
        .with_position(error_position(sql_, start));
  }
  if ((c == 'u' || c == 'U') && next == '&' && pos_ + 2 < sql_.size() &&
      (sql_[pos_ + 2] == '\'' || sql_[pos_ + 2] == '"')) {
    throw SqlError(SqlState::kFeatureNotSupported, "Unicode escape strings (U&) are not supported")
        .with_position(error_position(sql_, start));
  }
  if (is_identifier_start(c)) {
    while (pos_ < sql_.size() && is_identifier_char(sql_[pos_])) ++pos_;
    token.kind = TokenKind::kIdentifier;
    token.text = std::string(sql_.substr(start, pos_ - start));
    for (char& ch : token.text) {
      if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    }
    truncate_identifier(token.text);
    token.length = static_cast<int>(pos_) - start;
    return token;
  }
  if (is_digit(c) || (c == '.' && is_digit(next))) return lex_number(start);
  switch (c) {
    case '\'':
      return lex_quoted_string(start, /*escape_syntax=*/false);
    case '"':
      return lex_quoted_identifier(start);
    case '$': {
      if (is_digit(next)) {
        ++pos_;
        int64_t value = 0;
        while (pos_ < sql_.size() && is_digit(sql_[pos_])) {
          if (value < 1000000000) value = value * 10 + (sql_[pos_] - '0');
          ++pos_;
        }
        if (pos_ < sql_.size() && is_identifier_start(sql_[pos_])) {
          error("trailing junk after parameter", start, static_cast<int>(pos_) + 1);
        }
        token.kind = TokenKind::kParameter;
        token.int_value = value;
        token.length = static_cast<int>(pos_) - start;
        token.text = std::string(sql_.substr(start, token.length));
        return token;
      }
      // Dollar quote: $$ or $tag$.
      size_t p = pos_ + 1;
      if (p < sql_.size() && is_identifier_start(sql_[p])) {
        while (p < sql_.size() && is_identifier_char(sql_[p]) && sql_[p] != '$') ++p;
      }
      if (p < sql_.size() && sql_[p] == '$') return lex_dollar_string(start, p + 1);
      error("syntax error", start, start + 1);
    }
    case '(':
      return single(TokenKind::kLeftParen);
    case ')':
      return single(TokenKind::kRightParen);
    case '[':
      return single(TokenKind::kLeftBracket);
    case ']':
      return single(TokenKind::kRightBracket);
    case ',':
      return single(TokenKind::kComma);
    case ';':
      return single(TokenKind::kSemicolon);
    case '.':
      return single(TokenKind::kDot);
    case ':':
      if (next == ':') {
        pos_ += 2;
        token.kind = TokenKind::kDoubleColon;
        token.text = "::";
        token.length = 2;
        return token;
      }
      return single(TokenKind::kColon);
    default:
      break;
  }
  if (is_operator_char(c)) return lex_operator(start);
  error("syntax error", start, start + 1);
}

bool Lexer::at_string_continuation() {
  // PostgreSQL: quote, whitespace containing at least one newline (comments allowed after
  // the newline), quote.
  size_t p = pos_;
  bool saw_newline = false;
  while (p < sql_.size()) {
    char c = sql_[p];
    if (c == '\n' || c == '\r') {
      saw_newline = true;
      ++p;
    } else if (is_space(c)) {
      ++p;
    } else if (saw_newline && c == '-' && p + 1 < sql_.size() && sql_[p + 1] == '-') {
      while (p < sql_.size() && sql_[p] != '\n' && sql_[p] != '\r') ++p;
    } else {
      break;
    }
  }
  if (saw_newline && p < sql_.size() && sql_[p] == '\'') {
    pos_ = p;
    return true;
  }
  return false;
}

Token Lexer::lex_quoted_string(int start, bool escape_syntax) {
  Token token;
  token.kind = TokenKind::kString;
  token.offset = start;
  std::string value;
  // Byte escapes (\xff, \377) can make invalid UTF-8: the value is checked at the end.
  bool saw_byte_escape = false;
  // pos_ is at the opening quote.
  ++pos_;
  while (true) {
    if (pos_ >= sql_.size()) {
      error("unterminated quoted string", start, static_cast<int>(sql_.size()));
    }
    char c = sql_[pos_];
    if (c == '\'') {
      if (pos_ + 1 < sql_.size() && sql_[pos_ + 1] == '\'') {
        value += '\'';
        pos_ += 2;
        continue;
      }
      ++pos_;
      size_t saved = pos_;
      if (at_string_continuation()) {
        ++pos_;
        continue;
      }
      pos_ = saved;
      break;
    }
    if (escape_syntax && c == '\\') {
      if (pos_ + 1 >= sql_.size()) {
        error("unterminated quoted string", start, static_cast<int>(sql_.size()));
      }
      char e = sql_[pos_ + 1];
      pos_ += 2;
      switch (e) {
        case 'b':
          value += '\b';
          break;
        case 'f':
          value += '\f';
          break;
        case 'n':
          value += '\n';
          break;
        case 'r':
          value += '\r';
          break;
        case 't':
          value += '\t';
          break;
        case 'x': {
          if (pos_ < sql_.size() && is_hex_digit(sql_[pos_])) {
            int v = hex_value(sql_[pos_++]);
            if (pos_ < sql_.size() && is_hex_digit(sql_[pos_])) v = v * 16 + hex_value(sql_[pos_++]);
            value += static_cast<char>(v);
            saw_byte_escape = true;
          } else {
            value += 'x';
          }
          break;
        }
        case 'u':
        case 'U': {
          const int digits = e == 'u' ? 4 : 8;
          uint32_t code = 0;
          for (int i = 0; i < digits; ++i) {
            if (pos_ >= sql_.size() || !is_hex_digit(sql_[pos_])) {
              error("invalid Unicode escape", static_cast<int>(pos_) - 2 - i,
                    static_cast<int>(pos_));
            }
            code = code * 16 + static_cast<uint32_t>(hex_value(sql_[pos_++]));
          }
          if (code == 0 || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
            error("invalid Unicode escape value", static_cast<int>(pos_) - digits - 2,
                  static_cast<int>(pos_));
          }
          utf8_append(value, code);
          break;
        }
        default:
          if (e >= '0' && e <= '7') {
            int v = e - '0';
            for (int i = 0; i < 2 && pos_ < sql_.size() && sql_[pos_] >= '0' && sql_[pos_] <= '7';
                 ++i) {
              v = v * 8 + (sql_[pos_++] - '0');
            }
            value += static_cast<char>(v & 0xFF);
            saw_byte_escape = true;
          } else {
            value += e;
          }
          break;
      }
      continue;
    }
    value += c;
    ++pos_;
  }
  if (saw_byte_escape) utf8_check(value);
  token.text = std::move(value);
  token.length = static_cast<int>(pos_) - start;
  return token;
}

Token Lexer::lex_dollar_string(int start, size_t tag_end) {
  std::string_view tag = sql_.substr(start, tag_end - start);
  size_t close = sql_.find(tag, tag_end);
  if (close == std::string_view::npos) {
    error("unterminated dollar-quoted string", start, static_cast<int>(sql_.size()));
  }
  Token token;
  token.kind = TokenKind::kString;
  token.offset = start;
  token.text = std::string(sql_.substr(tag_end, close - tag_end));
  pos_ = close + tag.size();
  token.length = static_cast<int>(pos_) - start;
  return token;
}

Token Lexer::lex_quoted_identifier(int start) {
  Token token;
  token.kind = TokenKind::kQuotedIdentifier;
  token.offset = start;
  ++pos_;
  std::string value;
  while (true) {
    if (pos_ >= sql_.size()) {
      error("unterminated quoted identifier", start, static_cast<int>(sql_.size()));
    }
    if (sql_[pos_] == '"') {
      if (pos_ + 1 < sql_.size() && sql_[pos_ + 1] == '"') {
        value += '"';
        pos_ += 2;
        continue;
      }
      ++pos_;
      break;
    }
    value += sql_[pos_++];
  }
  if (value.empty()) error("zero-length delimited identifier", start, static_cast<int>(pos_));
  truncate_identifier(value);
  token.text = std::move(value);
  token.length = static_cast<int>(pos_) - start;
  return token;
}

Token Lexer::lex_number(int start) {
  Token token;
  token.offset = start;
  bool is_integer = true;
  while (pos_ < sql_.size() && is_digit(sql_[pos_])) ++pos_;
  // "1..5" is the integer 1 followed by "..", as in PostgreSQL.
  if (pos_ < sql_.size() && sql_[pos_] == '.' &&
      !(pos_ + 1 < sql_.size() && sql_[pos_ + 1] == '.')) {
    is_integer = false;
    ++pos_;
    while (pos_ < sql_.size() && is_digit(sql_[pos_])) ++pos_;
  }
  if (pos_ < sql_.size() && (sql_[pos_] == 'e' || sql_[pos_] == 'E')) {
    size_t p = pos_ + 1;
    if (p < sql_.size() && (sql_[p] == '+' || sql_[p] == '-')) ++p;
    if (p < sql_.size() && is_digit(sql_[p])) {
      is_integer = false;
      while (p < sql_.size() && is_digit(sql_[p])) ++p;
      pos_ = p;
    } else if (p > pos_ + 1) {
      // "1e+" without digits.
      error("trailing junk after numeric literal", start, static_cast<int>(p));
    }
  }
  if (pos_ < sql_.size() && is_identifier_start(sql_[pos_])) {
    error("trailing junk after numeric literal", start, static_cast<int>(pos_) + 1);
  }
  token.length = static_cast<int>(pos_) - start;
  token.text = std::string(sql_.substr(start, token.length));
  token.kind = is_integer ? TokenKind::kInteger : TokenKind::kNumeric;
  return token;
}

Token Lexer::lex_operator(int start) {
  size_t end = pos_;
  while (end < sql_.size() && is_operator_char(sql_[end])) {
    // A comment start ends the operator.
    if (end > pos_ && ((sql_[end] == '-' && end + 1 < sql_.size() && sql_[end + 1] == '-') ||
                       (sql_[end] == '/' && end + 1 < sql_.size() && sql_[end + 1] == '*'))) {
      break;
    }
    ++end;
  }
  size_t length = end - pos_;
  std::string_view op = sql_.substr(pos_, length);
  // A multi-character operator may not end in + or - unless it contains one of ~!@#^&|`?%,
  // so that "a<-1" lexes as "a", "<", "-1".
  if (length > 1 && op.find_first_of("~!@#^&|`?%") == std::string_view::npos) {
    while (length > 1 && (op[length - 1] == '+' || op[length - 1] == '-')) --length;
    op = op.substr(0, length);
  }
  pos_ += length;
  Token token;
  token.kind = TokenKind::kOperator;
  token.offset = start;
  token.length = static_cast<int>(length);
  token.text = op == "!=" ? std::string("<>") : std::string(op);
  return token;
}

}  // namespace tessera::planner
