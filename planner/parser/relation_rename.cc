#include "planner/parser/relation_rename.h"

#include <cctype>
#include <set>
#include <vector>

#include "planner/parser/keywords.h"
#include "planner/parser/lexer.h"

namespace tessera::planner {

std::string quote_identifier(const std::string& name) {
  bool bare = !name.empty() && !std::isdigit(static_cast<unsigned char>(name[0])) &&
              keyword_category(name) == KeywordCategory::kUnreserved;
  for (char c : name) {
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_')) {
      bare = false;
    }
  }
  if (bare) return name;
  std::string quoted = "\"";
  for (char c : name) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

namespace {

bool is_word(const Token& token, const char* word) {
  return token.kind == TokenKind::kIdentifier && token.text == word;
}

bool is_name(const Token& token, const std::string& name) {
  return (token.kind == TokenKind::kIdentifier || token.kind == TokenKind::kQuotedIdentifier) && token.text == name;
}

/// Words that end a FROM list at its level.
bool ends_from_list(const Token& token) {
  static const std::set<std::string> kWords = {"where",  "group",  "having", "order",  "limit", "offset", "union",
                                               "intersect", "except", "window", "fetch", "for",   "select", "returning"};
  return token.kind == TokenKind::kIdentifier && kWords.count(token.text) != 0;
}

}  // namespace

bool query_mentions_column(std::string_view sql, const std::vector<std::string>& names) {
  for (const Token& token : Lexer(sql).tokenize()) {
    if (token.kind == TokenKind::kOperator && token.text == "*") return true;
    for (const auto& name : names) {
      if (is_name(token, name)) return true;
    }
  }
  return false;
}

std::optional<std::string> rename_relation_in_query(std::string_view sql, const std::string& from,
                                                    const std::string& to,
                                                    const std::vector<std::string>* column_names) {
  std::string alias_list;
  if (column_names) {
    for (const auto& name : *column_names) {
      alias_list += alias_list.empty() ? "(" : ", ";
      alias_list += quote_identifier(name);
    }
    alias_list += ")";
  }
  std::vector<Token> tokens = Lexer(sql).tokenize();
  // in_from[d]: a FROM list is open at parenthesis depth d.
  std::vector<bool> in_from(1, false);
  std::string result;
  size_t copied = 0;
  for (size_t i = 0; i + 1 < tokens.size(); i++) {
    const Token& token = tokens[i];
    if (token.kind == TokenKind::kLeftParen) {
      in_from.push_back(false);
      continue;
    }
    if (token.kind == TokenKind::kRightParen) {
      if (in_from.size() > 1) in_from.pop_back();
      continue;
    }
    if (is_word(token, "from")) {
      in_from.back() = true;
      continue;
    }
    if (ends_from_list(token)) {
      in_from.back() = false;
      continue;
    }
    if (!is_name(token, from)) continue;
    const Token& next = tokens[i + 1];
    // A WITH query or a function of that name: not followed here (an alias with a column
    // alias list, `AS t(a, b)`, is no reference).
    if (is_word(next, "as") && tokens.size() > i + 2 && tokens[i + 2].kind == TokenKind::kLeftParen) {
      return std::nullopt;
    }
    if (next.kind == TokenKind::kLeftParen) {
      if (i > 0 && is_word(tokens[i - 1], "as")) continue;
      return std::nullopt;
    }
    // Where a relation is named: after FROM, JOIN or a FROM list's comma, or after `public.`
    // there.
    size_t before = i;
    if (i >= 2 && tokens[i - 1].kind == TokenKind::kDot && is_name(tokens[i - 2], "public")) before = i - 2;
    if (before == 0) continue;
    const Token& previous = tokens[before - 1];
    const bool relation = is_word(previous, "from") || is_word(previous, "join") ||
                          (previous.kind == TokenKind::kComma && in_from.back());
    if (!relation) continue;
    const bool has_alias =
        is_word(next, "as") || next.kind == TokenKind::kQuotedIdentifier ||
        (next.kind == TokenKind::kIdentifier && (keyword_category(next.text) == KeywordCategory::kUnreserved ||
                                                 keyword_category(next.text) == KeywordCategory::kColName));
    result.append(sql.substr(copied, static_cast<size_t>(token.offset) - copied));
    result += quote_identifier(to);
    copied = static_cast<size_t>(token.offset + token.length);
    if (!has_alias) {
      result += " AS " + quote_identifier(from) + alias_list;
      continue;
    }
    if (!column_names) continue;
    // The alias list goes after the alias; one written already is not merged.
    const size_t alias = is_word(next, "as") ? i + 2 : i + 1;
    if (alias + 1 >= tokens.size() || tokens[alias + 1].kind == TokenKind::kLeftParen) return std::nullopt;
    const Token& alias_token = tokens[alias];
    const size_t alias_end = static_cast<size_t>(alias_token.offset + alias_token.length);
    result.append(sql.substr(copied, alias_end - copied));
    result += alias_list;
    copied = alias_end;
    i = alias;
  }
  result.append(sql.substr(copied));
  return result;
}

}  // namespace tessera::planner
