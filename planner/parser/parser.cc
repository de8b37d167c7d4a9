#include "planner/parser/parser.h"

#include <charconv>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "planner/parser/error_position.h"
#include "planner/parser/keywords.h"
#include "src/common/sql_error.h"
#include "src/common/stack_guard.h"

namespace tessera::planner {
namespace {

// Operator precedence, lowest to highest, as in PostgreSQL 15's grammar.
constexpr int kPrecOr = 1;
constexpr int kPrecAnd = 2;
constexpr int kPrecNot = 3;
constexpr int kPrecIs = 4;          // IS, ISNULL, NOTNULL
constexpr int kPrecComparison = 5;  // < > = <= >= <>
constexpr int kPrecLike = 6;        // BETWEEN IN LIKE ILIKE SIMILAR (and NOT before them)
constexpr int kPrecOther = 7;       // any other operator, e.g. ||
constexpr int kPrecAdd = 8;         // + -
constexpr int kPrecMul = 9;         // * / %
constexpr int kPrecExp = 10;        // ^
constexpr int kPrecAt = 11;         // AT TIME ZONE
constexpr int kPrecCollate = 12;    // COLLATE
constexpr int kPrecUnary = 13;      // unary + -
constexpr int kPrecCast = 14;       // ::, [ ]

bool is_comparison_op(std::string_view op) {
  return op == "=" || op == "<" || op == ">" || op == "<=" || op == ">=" || op == "<>";
}

std::string canonical_type_name(const std::vector<std::string>& parts) {
  static const std::unordered_map<std::string_view, std::string_view> kAliases = {
      {"int", "integer"},        {"int4", "integer"},   {"integer", "integer"},
      {"int2", "smallint"},      {"smallint", "smallint"}, {"int8", "bigint"},
      {"bigint", "bigint"},      {"float4", "real"},    {"real", "real"},
      {"float8", "double precision"}, {"decimal", "numeric"}, {"numeric", "numeric"},
      {"bool", "boolean"},       {"boolean", "boolean"}, {"varchar", "varchar"},
      {"bpchar", "char"},        {"text", "text"},      {"date", "date"},
      {"timestamp", "timestamp"}, {"timestamptz", "timestamptz"}, {"time", "time"},
      {"timetz", "timetz"},      {"interval", "interval"},
  };
  if (parts.size() == 1 || (parts.size() == 2 && parts[0] == "pg_catalog")) {
    auto it = kAliases.find(parts.back());
    if (it != kAliases.end()) return std::string(it->second);
    return parts.back();
  }
  std::string joined;
  for (const auto& part : parts) {
    if (!joined.empty()) joined += '.';
    joined += part;
  }
  return joined;
}

std::unique_ptr<ConstantExpr> make_string(std::string value, int location) {
  auto constant = std::make_unique<ConstantExpr>(ConstantKind::kString, location);
  constant->text = std::move(value);
  return constant;
}

std::unique_ptr<ConstantExpr> make_integer(int64_t value, int location) {
  auto constant = std::make_unique<ConstantExpr>(ConstantKind::kInteger, location);
  constant->int_value = value;
  constant->text = std::to_string(value);
  return constant;
}

/// Builds an integer or numeric constant from literal digits (with an optional leading '-').
std::unique_ptr<ConstantExpr> make_number(const std::string& text, bool integer_syntax,
                                          int location) {
  if (integer_syntax) {
    int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec == std::errc() && end == text.data() + text.size()) return make_integer(value, location);
  }
  auto constant = std::make_unique<ConstantExpr>(ConstantKind::kNumeric, location);
  constant->text = text;
  return constant;
}

bool is_all_digits(std::string_view text) {
  size_t start = !text.empty() && text[0] == '-' ? 1 : 0;
  if (start == text.size()) return false;
  for (size_t i = start; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  return true;
}

bool is_interval_field(std::string_view word) {
  return word == "year" || word == "month" || word == "day" || word == "hour" ||
         word == "minute" || word == "second";
}

std::string to_upper(std::string_view word) {
  std::string out(word);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

std::string to_lower(std::string_view word) {
  std::string out(word);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

std::vector<StatementPtr> parse_sql(std::string_view sql) { return Parser(sql).parse_all(); }

std::vector<StatementPtr> parse_sql(std::string_view sql, std::vector<ParseNotice>& notices) {
  Parser parser(sql);
  auto statements = parser.parse_all();
  notices = parser.notices();
  return statements;
}

Parser::Parser(std::string_view sql) : sql_(sql) {
  Lexer lexer(sql);
  tokens_ = lexer.tokenize();
  notices_ = lexer.notices();
}

// ---------------------------------------------------------------------------------------------
// Token helpers
// ---------------------------------------------------------------------------------------------

const Token& Parser::peek(size_t ahead) const {
  size_t index = pos_ + ahead;
  return index < tokens_.size() ? tokens_[index] : tokens_.back();
}

const Token& Parser::advance() {
  const Token& token = tokens_[pos_];
  if (pos_ + 1 < tokens_.size()) ++pos_;
  return token;
}

bool Parser::at(TokenKind kind, size_t ahead) const { return peek(ahead).kind == kind; }

bool Parser::accept(TokenKind kind) {
  if (!at(kind)) return false;
  advance();
  return true;
}

const Token& Parser::expect(TokenKind kind) {
  if (!at(kind)) syntax_error();
  return advance();
}

bool Parser::at_word(std::string_view word, size_t ahead) const {
  const Token& token = peek(ahead);
  return token.kind == TokenKind::kIdentifier && token.text == word;
}

bool Parser::accept_word(std::string_view word) {
  if (!at_word(word)) return false;
  advance();
  return true;
}

void Parser::expect_word(std::string_view word) {
  if (!accept_word(word)) syntax_error();
}

bool Parser::at_op(std::string_view op, size_t ahead) const {
  const Token& token = peek(ahead);
  return token.kind == TokenKind::kOperator && token.text == op;
}

bool Parser::accept_op(std::string_view op) {
  if (!at_op(op)) return false;
  advance();
  return true;
}

void Parser::expect_op(std::string_view op) {
  if (!accept_op(op)) syntax_error();
}

bool Parser::at_reserved(size_t ahead) const {
  const Token& token = peek(ahead);
  return token.kind == TokenKind::kIdentifier &&
         keyword_category(token.text) == KeywordCategory::kReserved;
}

void Parser::syntax_error_at(const Token& token) const {
  if (token.kind == TokenKind::kEnd) {
    throw SqlError(SqlState::kSyntaxError, "syntax error at end of input")
        .with_position(error_position(sql_, token.offset));
  }
  throw SqlError(SqlState::kSyntaxError, "syntax error at or near \"" +
                                             std::string(sql_.substr(token.offset, token.length)) +
                                             "\"")
      .with_position(error_position(sql_, token.offset));
}

void Parser::syntax_error() const { syntax_error_at(peek()); }

void Parser::not_supported(const std::string& what, const Token& token) const {
  throw SqlError(SqlState::kFeatureNotSupported, what + " is not supported")
      .with_position(error_position(sql_, token.offset));
}

void Parser::error_at(const std::string& message, int location) const {
  throw SqlError(SqlState::kSyntaxError, message).with_position(error_position(sql_, location));
}

std::string Parser::source_text(size_t first, size_t last) const {
  if (last < first) return std::string();
  const Token& a = tokens_[first];
  const Token& b = tokens_[last];
  return std::string(sql_.substr(a.offset, b.offset + b.length - a.offset));
}

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

bool Parser::at_col_id(size_t ahead) const {
  const Token& token = peek(ahead);
  if (token.kind == TokenKind::kQuotedIdentifier) return true;
  if (token.kind != TokenKind::kIdentifier) return false;
  KeywordCategory category = keyword_category(token.text);
  return category == KeywordCategory::kUnreserved || category == KeywordCategory::kColName;
}

std::string Parser::parse_col_id() {
  if (!at_col_id()) syntax_error();
  return advance().text;
}

std::string Parser::parse_col_label() {
  if (!at(TokenKind::kIdentifier) && !at(TokenKind::kQuotedIdentifier)) syntax_error();
  return advance().text;
}

std::vector<std::string> Parser::parse_qualified_name() {
  std::vector<std::string> parts;
  parts.push_back(parse_col_id());
  while (at(TokenKind::kDot)) {
    advance();
    parts.push_back(parse_col_label());
  }
  return parts;
}

std::vector<std::string> Parser::parse_name_list() {
  std::vector<std::string> names;
  do {
    names.push_back(parse_col_id());
  } while (accept(TokenKind::kComma));
  return names;
}

std::vector<std::string> Parser::parse_paren_name_list() {
  expect(TokenKind::kLeftParen);
  std::vector<std::string> names = parse_name_list();
  expect(TokenKind::kRightParen);
  return names;
}

std::optional<Alias> Parser::parse_opt_alias(bool allow_bare) {
  Alias alias;
  if (accept_word("as")) {
    alias.name = parse_col_id();
  } else if (allow_bare && at_col_id()) {
    alias.name = parse_col_id();
  } else {
    return std::nullopt;
  }
  if (at(TokenKind::kLeftParen)) alias.columns = parse_paren_name_list();
  return alias;
}

// ---------------------------------------------------------------------------------------------
// Statements
// ---------------------------------------------------------------------------------------------

std::vector<StatementPtr> Parser::parse_all() {
  std::vector<StatementPtr> statements;
  while (true) {
    while (accept(TokenKind::kSemicolon)) {
    }
    if (at(TokenKind::kEnd)) break;
    const size_t first = pos_;
    StatementPtr statement = parse_statement();
    if (!at(TokenKind::kSemicolon) && !at(TokenKind::kEnd)) syntax_error();
    statement->location = tokens_[first].offset;
    statement->text = source_text(first, pos_ - 1);
    statements.push_back(std::move(statement));
  }
  return statements;
}

StatementPtr Parser::parse_nested_statement() {
  const size_t first = pos_;
  StatementPtr statement = parse_statement();
  statement->location = tokens_[first].offset;
  statement->text = source_text(first, pos_ - 1);
  return statement;
}

StatementPtr Parser::parse_statement() {
  const Token& token = peek();
  if (token.kind == TokenKind::kLeftParen) return parse_select_statement();
  if (token.kind != TokenKind::kIdentifier) syntax_error();
  const std::string& word = token.text;
  if (word == "select" || word == "values" || word == "table") return parse_select_statement();
  if (word == "with") {
    const int location = token.offset;
    std::unique_ptr<WithClause> with = parse_with();
    if (at_word("insert")) return parse_insert(std::move(with));
    if (at_word("update")) return parse_update(std::move(with));
    if (at_word("delete")) return parse_delete(std::move(with));
    auto statement = std::make_unique<SelectStatement>(location);
    statement->select = parse_select_after_with(std::move(with));
    statement->select->location = location;
    return statement;
  }
  if (word == "insert") return parse_insert(nullptr);
  if (word == "update") return parse_update(nullptr);
  if (word == "delete") return parse_delete(nullptr);
  if (word == "create") return parse_create();
  if (word == "drop") return parse_drop();
  if (word == "truncate") return parse_truncate();
  if (word == "vacuum" || word == "analyze" || word == "analyse") return parse_vacuum();
  if (word == "refresh") return parse_refresh();
  if (word == "begin" || word == "start" || word == "commit" || word == "end" ||
      word == "rollback" || word == "abort" || word == "savepoint" || word == "release") {
    return parse_transaction();
  }
  if (word == "explain") return parse_explain();
  if (word == "set") return parse_set();
  if (word == "reset") return parse_reset();
  if (word == "show") return parse_show();
  if (word == "copy") return parse_copy();
  if (word == "prepare") return parse_prepare();
  if (word == "execute") return parse_execute();
  if (word == "deallocate") return parse_deallocate();
  if (word == "checkpoint") {
    auto statement = std::make_unique<CheckpointStatement>(peek().offset);
    expect_word("checkpoint");
    return statement;
  }
  if (word == "call") return parse_call();
  if (word == "alter") return parse_alter();
  if (word == "comment") return parse_comment();
  static const std::unordered_set<std::string_view> kUnsupported = {
      "grant",   "revoke",  "cluster",
      "declare", "fetch",  "move",   "close",   "listen",     "notify",
      "unlisten", "lock",   "reindex", "discard", "do",    "checkpoint",
      "load",   "security", "reassign", "import", "merge", "import",
  };
  if (kUnsupported.count(word) != 0) not_supported(to_upper(word) + " statement", token);
  syntax_error();
}

StatementPtr Parser::parse_select_statement() {
  auto statement = std::make_unique<SelectStatement>(peek().offset);
  statement->select = parse_select();
  return statement;
}

std::vector<ResultTarget> Parser::parse_opt_returning() {
  if (!accept_word("returning")) return {};
  std::vector<ResultTarget> targets;
  do {
    targets.push_back(parse_target());
  } while (accept(TokenKind::kComma));
  return targets;
}

StatementPtr Parser::parse_insert(std::unique_ptr<WithClause> with) {
  auto statement = std::make_unique<InsertStatement>(peek().offset);
  statement->with = std::move(with);
  expect_word("insert");
  expect_word("into");
  statement->table = parse_qualified_name();
  if (accept_word("as")) statement->alias = parse_col_id();
  if (at(TokenKind::kLeftParen) && !at_parenthesized_select(0)) {
    advance();
    do {
      statement->columns.push_back(parse_col_id());
      if (at(TokenKind::kDot) || at(TokenKind::kLeftBracket)) {
        not_supported("INSERT into a subfield or array element", peek());
      }
    } while (accept(TokenKind::kComma));
    expect(TokenKind::kRightParen);
  }
  if (accept_word("overriding")) {
    if (accept_word("system")) {
      statement->overriding = 's';
    } else {
      expect_word("user");
      statement->overriding = 'u';
    }
    expect_word("value");
  }
  if (at_word("default") && at_word("values", 1)) {
    advance();
    advance();
    statement->default_values = true;
  } else {
    statement->source = parse_select();
  }
  if (at_word("on") && at_word("conflict", 1)) statement->on_conflict = parse_on_conflict();
  statement->returning = parse_opt_returning();
  return statement;
}

std::vector<SetClause> Parser::parse_set_list() {
  std::vector<SetClause> set;
  do {
    if (at(TokenKind::kLeftParen)) {
      // (a, b) = (x, y) / ROW(x, y): one assignment per column, as PostgreSQL expands it.
      advance();
      std::vector<SetClause> clauses;
      do {
        SetClause clause;
        clause.location = peek().offset;
        clause.column = parse_col_id();
        if (at(TokenKind::kDot) || at(TokenKind::kLeftBracket)) {
          not_supported("UPDATE of a subfield or array element", peek());
        }
        clauses.push_back(std::move(clause));
      } while (accept(TokenKind::kComma));
      expect(TokenKind::kRightParen);
      expect_op("=");
      const Token& source_token = peek();
      ExprPtr source = parse_expr();
      if (source->kind == ExprKind::kSubLink && source->as<SubLinkExpr>().sublink_kind == SubLinkKind::kScalar) {
        not_supported("multiple-column UPDATE SET from a sub-SELECT", source_token);
      }
      if (source->kind != ExprKind::kRow) {
        throw SqlError(SqlState::kFeatureNotSupported,
                       "source for a multiple-column UPDATE item must be a sub-SELECT or ROW() expression")
            .with_position(error_position(sql_, source->location));
      }
      auto& values = source->as<RowExpr>().args;
      if (values.size() != clauses.size()) error_at("number of columns does not match number of values", source->location);
      for (size_t i = 0; i < clauses.size(); i++) {
        clauses[i].value = std::move(values[i]);
        set.push_back(std::move(clauses[i]));
      }
      continue;
    }
    SetClause clause;
    clause.location = peek().offset;
    clause.column = parse_col_id();
    if (at(TokenKind::kDot) || at(TokenKind::kLeftBracket)) {
      not_supported("UPDATE of a subfield or array element", peek());
    }
    expect_op("=");
    clause.value = parse_expr();
    set.push_back(std::move(clause));
  } while (accept(TokenKind::kComma));
  return set;
}

std::unique_ptr<OnConflictClause> Parser::parse_on_conflict() {
  auto clause = std::make_unique<OnConflictClause>();
  clause->location = peek().offset;
  expect_word("on");
  expect_word("conflict");
  if (accept(TokenKind::kLeftParen)) {
    clause->has_target = true;
    clause->target_location = clause->location;
    do {
      const Token& start = peek();
      if (!at_col_id() || !(at(TokenKind::kComma, 1) || at(TokenKind::kRightParen, 1))) {
        not_supported("ON CONFLICT inference on an expression, collation or operator class", start);
      }
      clause->columns.push_back(parse_col_id());
    } while (accept(TokenKind::kComma));
    expect(TokenKind::kRightParen);
    if (accept_word("where")) clause->index_predicate = parse_expr();
  } else if (at_word("on") && at_word("constraint", 1)) {
    advance();
    advance();
    clause->has_target = true;
    clause->target_location = peek().offset;
    clause->constraint = parse_col_id();
  }
  expect_word("do");
  if (accept_word("nothing")) return clause;
  clause->update_location = peek().offset;
  expect_word("update");
  clause->do_update = true;
  expect_word("set");
  clause->set = parse_set_list();
  if (accept_word("where")) clause->where = parse_expr();
  return clause;
}

StatementPtr Parser::parse_update(std::unique_ptr<WithClause> with) {
  auto statement = std::make_unique<UpdateStatement>(peek().offset);
  statement->with = std::move(with);
  expect_word("update");
  accept_word("only");
  statement->table = parse_qualified_name();
  if (accept_word("as")) {
    statement->alias = parse_col_id();
  } else if (at_col_id() && !at_word("set")) {
    statement->alias = parse_col_id();
  }
  expect_word("set");
  statement->set = parse_set_list();
  if (accept_word("from")) statement->from = parse_from_list();
  if (accept_word("where")) {
    if (at_word("current") && at_word("of", 1)) not_supported("WHERE CURRENT OF", peek());
    statement->where = parse_expr();
  }
  statement->returning = parse_opt_returning();
  return statement;
}

StatementPtr Parser::parse_delete(std::unique_ptr<WithClause> with) {
  auto statement = std::make_unique<DeleteStatement>(peek().offset);
  statement->with = std::move(with);
  expect_word("delete");
  expect_word("from");
  accept_word("only");
  statement->table = parse_qualified_name();
  if (accept_word("as")) {
    statement->alias = parse_col_id();
  } else if (at_col_id()) {
    statement->alias = parse_col_id();
  }
  if (accept_word("using")) statement->using_tables = parse_from_list();
  if (accept_word("where")) {
    if (at_word("current") && at_word("of", 1)) not_supported("WHERE CURRENT OF", peek());
    statement->where = parse_expr();
  }
  statement->returning = parse_opt_returning();
  return statement;
}

StatementPtr Parser::parse_create() {
  const int location = peek().offset;
  expect_word("create");
  bool or_replace = false;
  if (accept_word("or")) {
    expect_word("replace");
    or_replace = true;
  }
  bool temporary = false;
  if (at_word("global") || at_word("local")) {
    if (at_word("temp", 1) || at_word("temporary", 1)) advance();
  }
  if (accept_word("temp") || accept_word("temporary")) {
    temporary = true;
  } else if (at_word("unlogged")) {
    not_supported("CREATE UNLOGGED TABLE", peek());
  }
  if (at_word("table")) {
    if (or_replace) syntax_error();
    return parse_create_table(location, temporary);
  }
  if (at_word("view")) return parse_create_view(location, or_replace, temporary, false);
  if (at_word("recursive") && at_word("view", 1)) not_supported("CREATE RECURSIVE VIEW", peek());
  if (at_word("materialized")) {
    if (or_replace || temporary) syntax_error();
    advance();
    if (!at_word("view")) syntax_error();
    return parse_create_view(location, false, false, true);
  }
  if (at_word("sequence")) {
    if (or_replace) syntax_error();
    if (temporary) not_supported("CREATE TEMPORARY SEQUENCE", peek());
    return parse_create_sequence(location);
  }
  if (at_word("unique") || at_word("index")) {
    if (or_replace || temporary) syntax_error();
    bool unique = accept_word("unique");
    if (!at_word("index")) syntax_error();
    return parse_create_index(location, unique);
  }
  if (at_word("schema")) {
    if (or_replace || temporary) syntax_error();
    return parse_create_schema(location);
  }
  const Token& what = peek();
  if (what.kind == TokenKind::kIdentifier) {
    static const std::unordered_set<std::string_view> kKnown = {
        "schema",   "function", "procedure", "type",    "trigger", "role",
        "user",     "database", "extension", "domain",  "aggregate", "cast",    "collation",
        "operator", "policy",   "rule",      "server",  "tablespace", "publication",
        "subscription", "statistics", "language", "foreign", "event", "conversion", "group",
        "access",   "transform", "text",
    };
    if (kKnown.count(what.text) != 0) not_supported("CREATE " + to_upper(what.text), what);
  }
  syntax_error();
}

void Parser::parse_column_constraints(ColumnDef& column) {
  while (true) {
    std::string name;
    if (accept_word("constraint")) name = parse_col_id();
    if (at_word("not") && at_word("null", 1)) {
      advance();
      advance();
      column.not_null = true;
    } else if (accept_word("null")) {
      column.not_null = false;
    } else if (at_word("primary")) {
      advance();
      expect_word("key");
      column.primary_key = true;
      column.primary_key_name = name;
      column.not_null = true;
    } else if (accept_word("unique")) {
      column.unique = true;
      column.unique_name = name;
    } else if (accept_word("default")) {
      const size_t first = pos_;
      column.default_value = parse_expr(kPrecOther);
      column.default_text = source_text(first, pos_ - 1);
    } else if (accept_word("check")) {
      expect(TokenKind::kLeftParen);
      const size_t first = pos_;
      column.checks.push_back(parse_expr());
      column.check_texts.push_back(source_text(first, pos_ - 1));
      column.check_names.push_back(name);
      expect(TokenKind::kRightParen);
      if (at_word("no") && at_word("inherit", 1)) {
        advance();
        advance();
      }
    } else if (at_word("references")) {
      column.references = parse_references();
      column.references->name = name;
    } else if (at_word("collate")) {
      not_supported("COLLATE", peek());
    } else if (at_word("generated")) {
      const Token& generated = peek();
      advance();
      if (accept_word("always")) {
        column.identity = 'a';
      } else {
        expect_word("by");
        expect_word("default");
        column.identity = 'd';
      }
      expect_word("as");
      if (!accept_word("identity")) {
        if (at(TokenKind::kLeftParen)) not_supported("generated columns", generated);
        syntax_error();
      }
      if (accept(TokenKind::kLeftParen)) {
        column.identity_options = parse_sequence_options();
        expect(TokenKind::kRightParen);
      }
    } else if (at_word("deferrable") || (at_word("not") && at_word("deferrable", 1))) {
      accept_word("not");
      advance();
    } else if (accept_word("initially")) {
      if (!accept_word("deferred")) expect_word("immediate");
    } else {
      break;
    }
  }
}

StatementPtr Parser::parse_create_sequence(int location) {
  auto statement = std::make_unique<CreateSequenceStatement>(location);
  expect_word("sequence");
  if (at_word("if")) {
    advance();
    expect_word("not");
    expect_word("exists");
    statement->if_not_exists = true;
  }
  statement->name = parse_qualified_name();
  statement->options = parse_sequence_options();
  return statement;
}

std::vector<SequenceOption> Parser::parse_sequence_options(AlterSequenceStatement* alter) {
  std::vector<SequenceOption> options;
  auto number = [&]() -> int64_t {
    bool negative = false;
    if (peek().kind == TokenKind::kOperator && (peek().text == "-" || peek().text == "+")) {
      negative = peek().text == "-";
      advance();
    }
    const Token& token = peek();
    if (token.kind != TokenKind::kInteger) {
      if (token.kind == TokenKind::kNumeric) not_supported("a fractional sequence parameter", token);
      syntax_error();
    }
    uint64_t magnitude = 0;
    auto [end, ec] = std::from_chars(token.text.data(), token.text.data() + token.text.size(), magnitude);
    if (ec != std::errc() || end != token.text.data() + token.text.size() ||
        magnitude > (negative ? uint64_t{1} << 63 : uint64_t{INT64_MAX})) {
      error_at("value \"" + std::string(negative ? "-" : "") + token.text + "\" is out of range for type bigint",
               token.offset);
    }
    advance();
    return negative ? static_cast<int64_t>(0 - magnitude) : static_cast<int64_t>(magnitude);
  };
  while (true) {
    SequenceOption option;
    option.location = peek().offset;
    if (accept_word("as")) {
      option.name = "as";
      option.type = parse_type_name();
    } else if (accept_word("increment")) {
      accept_word("by");
      option.name = "increment";
      option.value = number();
    } else if (accept_word("minvalue")) {
      option.name = "minvalue";
      option.value = number();
    } else if (accept_word("maxvalue")) {
      option.name = "maxvalue";
      option.value = number();
    } else if (accept_word("start")) {
      accept_word("with");
      option.name = "start";
      option.value = number();
    } else if (accept_word("cache")) {
      option.name = "cache";
      option.value = number();
    } else if (accept_word("cycle")) {
      option.name = "cycle";
      option.value = 1;
    } else if (at_word("no") && (at_word("minvalue", 1) || at_word("maxvalue", 1) || at_word("cycle", 1))) {
      advance();
      option.name = peek().text;
      advance();
      if (option.name == "cycle") option.value = 0;
    } else if (alter != nullptr && at_word("restart")) {
      const Token& restart = advance();
      if (alter->restart) error_at("conflicting or redundant options", restart.offset);
      alter->restart = true;
      if (accept_word("with") || peek().kind == TokenKind::kInteger ||
          (peek().kind == TokenKind::kOperator && (peek().text == "-" || peek().text == "+"))) {
        alter->restart_value = number();
      }
      continue;
    } else if (alter != nullptr && at_word("owned")) {
      const Token& owned = advance();
      expect_word("by");
      if (alter->has_owned_by) error_at("conflicting or redundant options", owned.offset);
      alter->has_owned_by = true;
      if (!accept_word("none")) alter->owned_by = parse_qualified_name();
      continue;
    } else if (at_word("owned") || at_word("restart") || at_word("logged") || at_word("unlogged") ||
               (at_word("sequence") && at_word("name", 1))) {
      not_supported("sequence option " + to_upper(peek().text), peek());
    } else {
      break;
    }
    for (const auto& earlier : options) {
      if (earlier.name == option.name) error_at("conflicting or redundant options", option.location);
    }
    options.push_back(std::move(option));
  }
  return options;
}

void Parser::parse_role_spec(SchemaStatement& statement) {
  if (at_word("current_user") || at_word("session_user") || at_word("current_role")) {
    statement.role = advance().text;
    statement.role_keyword = true;
    return;
  }
  if (at_word("public") || at_word("none")) syntax_error();
  statement.role = parse_col_id();
}

StatementPtr Parser::parse_create_schema(int location) {
  auto statement = std::make_unique<SchemaStatement>(location);
  expect_word("schema");
  if (at_word("if") && at_word("not", 1) && at_word("exists", 2)) {
    advance();
    advance();
    advance();
    statement->if_not_exists = true;
  }
  if (!at_word("authorization")) statement->name = parse_col_id();
  if (accept_word("authorization")) parse_role_spec(*statement);
  if (statement->name.empty() && !statement->role) syntax_error();
  if (at_word("create") || at_word("grant")) not_supported("CREATE SCHEMA with schema elements", peek());
  return statement;
}

StatementPtr Parser::parse_alter_schema(int location) {
  auto statement = std::make_unique<SchemaStatement>(location);
  statement->name = parse_col_id();
  if (accept_word("rename")) {
    expect_word("to");
    statement->action = SchemaStatement::Action::kRename;
    statement->new_name = parse_col_id();
  } else if (accept_word("owner")) {
    expect_word("to");
    statement->action = SchemaStatement::Action::kOwner;
    parse_role_spec(*statement);
  } else {
    syntax_error();
  }
  return statement;
}

StatementPtr Parser::parse_alter() {
  const int location = peek().offset;
  expect_word("alter");
  if (accept_word("sequence")) {
    auto statement = std::make_unique<AlterSequenceStatement>(location);
    if (at_word("if") && at_word("exists", 1)) {
      advance();
      advance();
      statement->if_exists = true;
    }
    statement->name = parse_qualified_name();
    if (at_word("rename") || at_word("set") || at_word("owner")) {
      not_supported("ALTER SEQUENCE ... " + to_upper(peek().text), peek());
    }
    statement->options = parse_sequence_options(statement.get());
    if (statement->options.empty() && !statement->restart && !statement->has_owned_by) syntax_error();
    return statement;
  }
  if (accept_word("schema")) return parse_alter_schema(location);
  if (!at_word("table")) {
    const Token& what = peek();
    if (what.kind == TokenKind::kIdentifier && keyword_category(what.text) != KeywordCategory::kReserved) {
      not_supported("ALTER " + to_upper(what.text), what);
    }
    syntax_error();
  }
  advance();
  auto statement = std::make_unique<AlterTableStatement>(location);
  if (at_word("if") && at_word("exists", 1)) {
    advance();
    advance();
    statement->if_exists = true;
  }
  if (at_word("all") && at_word("in", 1)) not_supported("ALTER TABLE ALL IN TABLESPACE", peek());
  accept_word("only");
  statement->name = parse_qualified_name();
  accept_op("*");
  if (at_word("rename")) {
    // RENAME is an action of its own (PostgreSQL's grammar: no list).
    AlterTableAction action;
    action.location = advance().offset;
    if (accept_word("to")) {
      action.action_kind = AlterTableActionKind::kRenameTable;
      action.new_name = parse_col_id();
    } else if (accept_word("constraint")) {
      action.action_kind = AlterTableActionKind::kRenameConstraint;
      action.name = parse_col_id();
      expect_word("to");
      action.new_name = parse_col_id();
    } else {
      accept_word("column");
      action.action_kind = AlterTableActionKind::kRenameColumn;
      action.name = parse_col_id();
      expect_word("to");
      action.new_name = parse_col_id();
    }
    statement->actions.push_back(std::move(action));
    return statement;
  }
  if (at_word("set") && at_word("schema", 1)) {
    // SET SCHEMA is an action of its own (PostgreSQL's grammar: no list).
    AlterTableAction action;
    action.location = advance().offset;
    advance();
    action.action_kind = AlterTableActionKind::kSetSchema;
    action.new_name = parse_col_id();
    statement->actions.push_back(std::move(action));
    return statement;
  }
  do {
    statement->actions.push_back(parse_alter_table_action());
  } while (accept(TokenKind::kComma));
  return statement;
}

AlterTableAction Parser::parse_alter_table_action() {
  AlterTableAction action;
  action.location = peek().offset;
  auto drop_behavior = [&] {
    if (accept_word("cascade")) {
      action.cascade = true;
    } else {
      accept_word("restrict");
    }
  };
  if (accept_word("add")) {
    if (at_word("constraint") || at_word("primary") || at_word("unique") || at_word("check") ||
        at_word("foreign") || at_word("exclude")) {
      action.action_kind = AlterTableActionKind::kAddConstraint;
      action.constraint = parse_table_constraint();
      if (at_word("not") && at_word("valid", 1)) not_supported("NOT VALID", peek());
      return action;
    }
    accept_word("column");
    action.action_kind = AlterTableActionKind::kAddColumn;
    if (at_word("if") && at_word("not", 1) && at_word("exists", 2)) {
      advance();
      advance();
      advance();
      action.if_not_exists = true;
    }
    action.column.location = peek().offset;
    action.column.name = parse_col_id();
    action.column.type = parse_type_name();
    parse_column_constraints(action.column);
    return action;
  }
  if (accept_word("drop")) {
    if (accept_word("constraint")) {
      action.action_kind = AlterTableActionKind::kDropConstraint;
    } else {
      accept_word("column");
      action.action_kind = AlterTableActionKind::kDropColumn;
    }
    if (at_word("if") && at_word("exists", 1)) {
      advance();
      advance();
      action.if_exists = true;
    }
    action.name = parse_col_id();
    drop_behavior();
    return action;
  }
  if (accept_word("alter")) {
    accept_word("column");
    action.name = parse_col_id();
    const Token& what = peek();
    if (at_word("set") && at_word("default", 1)) {
      advance();
      advance();
      action.action_kind = AlterTableActionKind::kSetDefault;
      const size_t first = pos_;
      action.expr = parse_expr(kPrecOther);
      action.expr_text = source_text(first, pos_ - 1);
    } else if (at_word("drop") && at_word("default", 1)) {
      advance();
      advance();
      action.action_kind = AlterTableActionKind::kDropDefault;
    } else if (at_word("set") && at_word("not", 1) && at_word("null", 2)) {
      advance();
      advance();
      advance();
      action.action_kind = AlterTableActionKind::kSetNotNull;
    } else if (at_word("drop") && at_word("not", 1) && at_word("null", 2)) {
      advance();
      advance();
      advance();
      action.action_kind = AlterTableActionKind::kDropNotNull;
    } else if (at_word("type") || (at_word("set") && at_word("data", 1))) {
      if (accept_word("set")) expect_word("data");
      expect_word("type");
      action.action_kind = AlterTableActionKind::kAlterType;
      action.type = parse_type_name();
      if (at_word("collate")) not_supported("COLLATE", peek());
      if (accept_word("using")) {
        const size_t first = pos_;
        action.expr = parse_expr();
        action.expr_text = source_text(first, pos_ - 1);
      }
    } else if (at_word("add") && at_word("generated", 1)) {
      advance();
      advance();
      action.action_kind = AlterTableActionKind::kAddIdentity;
      action.column.name = action.name;
      action.column.location = what.offset;
      if (accept_word("always")) {
        action.column.identity = 'a';
      } else {
        expect_word("by");
        expect_word("default");
        action.column.identity = 'd';
      }
      expect_word("as");
      expect_word("identity");
      if (accept(TokenKind::kLeftParen)) {
        action.column.identity_options = parse_sequence_options();
        expect(TokenKind::kRightParen);
      }
    } else if (at_word("drop") && at_word("identity", 1)) {
      advance();
      advance();
      action.action_kind = AlterTableActionKind::kDropIdentity;
      if (at_word("if") && at_word("exists", 1)) {
        advance();
        advance();
        action.if_exists = true;
      }
    } else if (what.kind == TokenKind::kIdentifier && (what.text == "set" || what.text == "drop" ||
                                                       what.text == "reset" || what.text == "restart")) {
      not_supported("ALTER TABLE ... ALTER COLUMN ... " + to_upper(what.text) +
                        (peek(1).kind == TokenKind::kIdentifier ? " " + to_upper(peek(1).text) : std::string()),
                    what);
    } else {
      syntax_error();
    }
    return action;
  }
  const Token& what = peek();
  if (what.kind == TokenKind::kIdentifier && keyword_category(what.text) != KeywordCategory::kReserved) {
    not_supported("ALTER TABLE ... " + to_upper(what.text), what);
  }
  syntax_error();
}

StatementPtr Parser::parse_comment() {
  auto statement = std::make_unique<CommentStatement>(peek().offset);
  expect_word("comment");
  expect_word("on");
  const Token& what = peek();
  if (at_word("materialized") && at_word("view", 1)) not_supported("COMMENT ON MATERIALIZED VIEW", what);
  if (what.kind != TokenKind::kIdentifier) syntax_error();
  static const std::unordered_set<std::string_view> kObjects = {"table", "column", "view", "sequence", "index",
                                                                 "schema"};
  if (kObjects.count(what.text) == 0) {
    if (keyword_category(what.text) != KeywordCategory::kReserved) {
      not_supported("COMMENT ON " + to_upper(what.text), what);
    }
    syntax_error();
  }
  statement->object_type = what.text;
  advance();
  statement->name = parse_qualified_name();
  expect_word("is");
  if (accept_word("null")) return statement;
  if (peek().kind != TokenKind::kString) syntax_error();
  statement->comment = advance().text;
  return statement;
}

ForeignKeyRef Parser::parse_references() {
  ForeignKeyRef ref;
  ref.location = peek().offset;
  expect_word("references");
  ref.table = parse_qualified_name();
  if (at(TokenKind::kLeftParen)) ref.columns = parse_paren_name_list();
  while (true) {
    if (accept_word("match")) {
      if (accept_word("full")) {
        ref.match = 'f';
      } else if (accept_word("partial")) {
        ref.match = 'p';
      } else {
        expect_word("simple");
        ref.match = 's';
      }
    } else if (at_word("on") && (at_word("delete", 1) || at_word("update", 1))) {
      const int on_location = advance().offset;
      const bool is_delete = peek().text == "delete";
      char& action = is_delete ? ref.on_delete : ref.on_update;
      advance();
      if (accept_word("no")) {
        expect_word("action");
        action = 'a';
      } else if (accept_word("set")) {
        if (accept_word("null")) {
          action = 'n';
        } else {
          expect_word("default");
          action = 'd';
        }
        if (at(TokenKind::kLeftParen)) {
          if (!is_delete) {
            throw SqlError(SqlState::kFeatureNotSupported, std::string("a column list with ") +
                                                               (action == 'n' ? "SET NULL" : "SET DEFAULT") +
                                                               " is only supported for ON DELETE actions")
                .with_position(error_position(sql_, on_location));
          }
          ref.delete_set_columns = parse_paren_name_list();
        }
      } else if (accept_word("restrict")) {
        action = 'r';
      } else {
        expect_word("cascade");
        action = 'c';
      }
    } else {
      break;
    }
  }
  return ref;
}

TableConstraint Parser::parse_table_constraint() {
  TableConstraint constraint;
  constraint.location = peek().offset;
  if (accept_word("constraint")) constraint.name = parse_col_id();
  if (accept_word("primary")) {
    expect_word("key");
    constraint.constraint_kind = TableConstraintKind::kPrimaryKey;
    constraint.columns = parse_paren_name_list();
  } else if (accept_word("unique")) {
    constraint.constraint_kind = TableConstraintKind::kUnique;
    constraint.columns = parse_paren_name_list();
  } else if (accept_word("check")) {
    constraint.constraint_kind = TableConstraintKind::kCheck;
    expect(TokenKind::kLeftParen);
    const size_t first = pos_;
    constraint.check = parse_expr();
    constraint.check_text = source_text(first, pos_ - 1);
    expect(TokenKind::kRightParen);
  } else if (accept_word("foreign")) {
    expect_word("key");
    constraint.constraint_kind = TableConstraintKind::kForeignKey;
    constraint.columns = parse_paren_name_list();
    constraint.references = parse_references();
  } else if (at_word("exclude")) {
    not_supported("EXCLUDE constraint syntax", peek());
  } else {
    syntax_error();
  }
  while (true) {
    if (at_word("deferrable") || (at_word("not") && at_word("deferrable", 1))) {
      accept_word("not");
      advance();
    } else if (accept_word("initially")) {
      if (!accept_word("deferred")) expect_word("immediate");
    } else {
      break;
    }
  }
  return constraint;
}

StatementPtr Parser::parse_create_table(int location, bool temporary) {
  auto statement = std::make_unique<CreateTableStatement>(location);
  statement->temporary = temporary;
  expect_word("table");
  if (at_word("if")) {
    advance();
    expect_word("not");
    expect_word("exists");
    statement->if_not_exists = true;
  }
  statement->name = parse_qualified_name();
  // `name (a, b) AS query` (CTAS column names) or `name (column definitions)`.
  bool ctas_columns = false;
  if (at(TokenKind::kLeftParen)) {
    int depth = 0;
    size_t i = pos_;
    for (; i < tokens_.size(); ++i) {
      if (tokens_[i].kind == TokenKind::kLeftParen) ++depth;
      if (tokens_[i].kind == TokenKind::kRightParen && --depth == 0) break;
      if (tokens_[i].kind == TokenKind::kEnd) break;
    }
    ctas_columns = i + 1 < tokens_.size() && tokens_[i + 1].kind == TokenKind::kIdentifier &&
                   tokens_[i + 1].text == "as";
  }
  if (ctas_columns) statement->as_column_names = parse_paren_name_list();
  if (!ctas_columns && at(TokenKind::kLeftParen)) {
    advance();
    if (!at(TokenKind::kRightParen)) {
      do {
        if (at_word("like")) {
          TableLikeClause like;
          like.location = advance().offset;
          like.table = parse_qualified_name();
          like.position = statement->columns.size();
          static const std::set<std::string> kOptions = {"comments", "compression", "constraints",
                                                         "defaults", "generated",   "identity",
                                                         "indexes",  "statistics",  "storage"};
          while (at_word("including") || at_word("excluding")) {
            const bool including = advance().text == "including";
            const Token& option = peek();
            if (option.kind != TokenKind::kIdentifier) syntax_error();
            if (option.text == "all") {
              if (including) {
                like.including = kOptions;
              } else {
                like.including.clear();
              }
            } else if (kOptions.count(option.text) != 0) {
              if (including) {
                like.including.insert(option.text);
              } else {
                like.including.erase(option.text);
              }
            } else {
              syntax_error();
            }
            advance();
          }
          statement->likes.push_back(std::move(like));
          continue;
        }
        if (at_word("constraint") || at_word("primary") || at_word("unique") ||
            at_word("check") || at_word("foreign") || at_word("exclude")) {
          statement->constraints.push_back(parse_table_constraint());
          continue;
        }
        ColumnDef column;
        column.location = peek().offset;
        column.name = parse_col_id();
        column.type = parse_type_name();
        parse_column_constraints(column);
        statement->columns.push_back(std::move(column));
      } while (accept(TokenKind::kComma));
    }
    expect(TokenKind::kRightParen);
    if (at_word("inherits")) not_supported("INHERITS clause", peek());
    if (at_word("partition")) not_supported("PARTITION BY", peek());
    if (at_word("with") && at(TokenKind::kLeftParen, 1)) not_supported("WITH (storage options)", peek());
    if (at_word("on") && at_word("commit", 1)) not_supported("ON COMMIT", peek());
    return statement;
  }
  if (at_word("with") && at(TokenKind::kLeftParen, 1)) not_supported("WITH (storage options)", peek());
  expect_word("as");
  if (at_word("execute")) not_supported("CREATE TABLE AS EXECUTE", peek());
  statement->as_query = parse_select();
  if (at_word("with")) {
    advance();
    if (accept_word("no")) statement->with_no_data = true;
    expect_word("data");
  }
  return statement;
}

StatementPtr Parser::parse_create_view(int location, bool or_replace, bool temporary,
                                       bool materialized) {
  auto statement = std::make_unique<CreateViewStatement>(location);
  statement->or_replace = or_replace;
  statement->temporary = temporary;
  statement->materialized = materialized;
  expect_word("view");
  if (materialized && at_word("if")) {
    advance();
    expect_word("not");
    expect_word("exists");
    statement->if_not_exists = true;
  }
  statement->name = parse_qualified_name();
  if (at(TokenKind::kLeftParen)) statement->column_names = parse_paren_name_list();
  if (at_word("using")) not_supported("USING access method", peek());
  if (at_word("with") && at(TokenKind::kLeftParen, 1)) not_supported("WITH (view options)", peek());
  if (at_word("tablespace")) not_supported("TABLESPACE", peek());
  expect_word("as");
  const size_t first = pos_;
  statement->query = parse_select();
  statement->query_text = source_text(first, pos_ - 1);
  if (at_word("with")) {
    if (materialized) {
      advance();
      if (accept_word("no")) statement->with_no_data = true;
      expect_word("data");
    } else {
      not_supported("WITH CHECK OPTION", peek());
    }
  }
  return statement;
}

StatementPtr Parser::parse_create_index(int location, bool unique) {
  auto statement = std::make_unique<CreateIndexStatement>(location);
  statement->unique = unique;
  expect_word("index");
  accept_word("concurrently");
  if (at_word("if")) {
    advance();
    expect_word("not");
    expect_word("exists");
    statement->if_not_exists = true;
    statement->name = parse_col_id();
  } else if (!at_word("on")) {
    statement->name = parse_col_id();
  }
  expect_word("on");
  accept_word("only");
  statement->table = parse_qualified_name();
  if (accept_word("using")) statement->method = parse_col_id();
  expect(TokenKind::kLeftParen);
  do {
    IndexElem elem;
    if (at(TokenKind::kLeftParen)) {
      advance();
      elem.expr = parse_expr();
      expect(TokenKind::kRightParen);
    } else if (at_col_id() && at(TokenKind::kLeftParen, 1)) {
      elem.expr = parse_name_expr();
    } else {
      elem.column = parse_col_id();
    }
    if (at_word("collate")) not_supported("COLLATE", peek());
    if (accept_word("asc")) {
      elem.direction = SortDirection::kAsc;
    } else if (accept_word("desc")) {
      elem.direction = SortDirection::kDesc;
    }
    if (accept_word("nulls")) {
      if (accept_word("first")) {
        elem.nulls = NullsOrder::kFirst;
      } else {
        expect_word("last");
        elem.nulls = NullsOrder::kLast;
      }
    }
    statement->columns.push_back(std::move(elem));
  } while (accept(TokenKind::kComma));
  expect(TokenKind::kRightParen);
  if (at_word("include")) not_supported("INCLUDE", peek());
  if (at_word("with") && at(TokenKind::kLeftParen, 1)) not_supported("WITH (storage options)", peek());
  if (accept_word("where")) statement->where = parse_expr();
  return statement;
}

StatementPtr Parser::parse_drop() {
  auto statement = std::make_unique<DropStatement>(peek().offset);
  expect_word("drop");
  if (accept_word("table")) {
    statement->object_type = ObjectType::kTable;
  } else if (accept_word("view")) {
    statement->object_type = ObjectType::kView;
  } else if (at_word("materialized")) {
    advance();
    expect_word("view");
    statement->object_type = ObjectType::kMaterializedView;
  } else if (accept_word("index")) {
    statement->object_type = ObjectType::kIndex;
    accept_word("concurrently");
  } else if (accept_word("schema")) {
    statement->object_type = ObjectType::kSchema;
  } else if (accept_word("sequence")) {
    statement->object_type = ObjectType::kSequence;
  } else if (at(TokenKind::kIdentifier) &&
             keyword_category(peek().text) != KeywordCategory::kReserved) {
    not_supported("DROP " + to_upper(peek().text), peek());
  } else {
    syntax_error();
  }
  if (at_word("if")) {
    advance();
    expect_word("exists");
    statement->if_exists = true;
  }
  do {
    statement->names.push_back(parse_qualified_name());
  } while (accept(TokenKind::kComma));
  if (accept_word("cascade")) {
    statement->cascade = true;
  } else {
    accept_word("restrict");
  }
  return statement;
}

StatementPtr Parser::parse_truncate() {
  auto statement = std::make_unique<TruncateStatement>(peek().offset);
  expect_word("truncate");
  accept_word("table");
  do {
    accept_word("only");
    statement->tables.push_back(parse_qualified_name());
    accept_op("*");
  } while (accept(TokenKind::kComma));
  if (accept_word("restart")) {
    expect_word("identity");
    statement->restart_identity = true;
  } else if (accept_word("continue")) {
    expect_word("identity");
  }
  if (accept_word("cascade")) {
    statement->cascade = true;
  } else {
    accept_word("restrict");
  }
  return statement;
}

StatementPtr Parser::parse_vacuum() {
  auto statement = std::make_unique<VacuumStatement>(peek().offset);
  statement->vacuum = advance().text == "vacuum";
  statement->analyze = !statement->vacuum;
  if (accept(TokenKind::kLeftParen)) {
    // Options: `name [value]`, checked as PostgreSQL's ExecVacuum checks them.
    bool parallel = false;
    do {
      const Token& name_token = peek();
      const std::string name = parse_col_label();
      std::optional<Token> value;
      if (!at(TokenKind::kComma) && !at(TokenKind::kRightParen)) {
        if (at_op("+") || at_op("-")) syntax_error();
        if (!at(TokenKind::kIdentifier) && !at(TokenKind::kString) && !at(TokenKind::kInteger) &&
            !at(TokenKind::kNumeric) && !at(TokenKind::kQuotedIdentifier)) {
          syntax_error();
        }
        value = advance();
      }
      // defGetBoolean: no value is true; 1/0, true/false, on/off otherwise.
      auto boolean = [&]() {
        if (!value) return true;
        if (value->kind == TokenKind::kInteger && (value->text == "0" || value->text == "1")) return value->text == "1";
        if (value->kind != TokenKind::kInteger && value->kind != TokenKind::kNumeric) {
          const std::string text = to_lower(value->text);
          if (text == "true" || text == "on") return true;
          if (text == "false" || text == "off") return false;
        }
        throw SqlError(SqlState::kSyntaxError, name + " requires a Boolean value");
      };
      if (name == "verbose") {
        statement->verbose = boolean();
      } else if (name == "skip_locked") {
        statement->skip_locked = boolean();
      } else if (!statement->vacuum) {
        error_at("unrecognized ANALYZE option \"" + name + "\"", name_token.offset);
      } else if (name == "analyze") {
        statement->analyze = boolean();
      } else if (name == "full") {
        statement->full = boolean();
      } else if (name == "freeze") {
        statement->freeze = boolean();
      } else if (name == "disable_page_skipping" || name == "process_toast" || name == "truncate") {
        // Tessera has no pages to skip, no TOAST and no trailing pages to truncate: the value
        // is checked and has nothing to change.
        boolean();
      } else if (name == "index_cleanup") {
        // Indexes are rebuilt with every rewrite; "auto" or a Boolean is accepted.
        if (!value || to_lower(value->text) != "auto") boolean();
      } else if (name == "parallel") {
        // Parallel index vacuuming: Tessera rebuilds indexes, so the degree changes nothing.
        if (!value || value->kind != TokenKind::kInteger || value->text.size() > 4 || std::stoi(value->text) > 1023) {
          throw SqlError(SqlState::kSyntaxError, "parallel option requires a value between 0 and 1023")
              .with_position(error_position(sql_, name_token.offset));
        }
        parallel = true;
      } else {
        error_at("unrecognized VACUUM option \"" + name + "\"", name_token.offset);
      }
    } while (accept(TokenKind::kComma));
    expect(TokenKind::kRightParen);
    if (parallel && statement->full) {
      throw SqlError(SqlState::kFeatureNotSupported, "VACUUM FULL cannot be performed in parallel");
    }
  } else if (statement->vacuum) {
    statement->full = accept_word("full");
    statement->freeze = accept_word("freeze");
    statement->verbose = accept_word("verbose");
    statement->analyze = accept_word("analyze") || accept_word("analyse");
  } else {
    statement->verbose = accept_word("verbose");
  }
  if (!at(TokenKind::kSemicolon) && !at(TokenKind::kEnd)) {
    do {
      VacuumRelation relation;
      relation.location = peek().offset;
      relation.name = parse_qualified_name();
      if (at(TokenKind::kLeftParen)) relation.columns = parse_paren_name_list();
      statement->relations.push_back(std::move(relation));
    } while (accept(TokenKind::kComma));
  }
  for (const auto& relation : statement->relations) {
    if (!relation.columns.empty() && !statement->analyze) {
      throw SqlError(SqlState::kFeatureNotSupported, "ANALYZE option must be specified when a column list is provided");
    }
  }
  return statement;
}

StatementPtr Parser::parse_refresh() {
  auto statement = std::make_unique<RefreshMatViewStatement>(peek().offset);
  expect_word("refresh");
  expect_word("materialized");
  expect_word("view");
  statement->concurrently = accept_word("concurrently");
  statement->name = parse_qualified_name();
  if (accept_word("with")) {
    if (accept_word("no")) statement->with_no_data = true;
    expect_word("data");
  }
  return statement;
}

void Parser::parse_transaction_modes(TransactionStatement& statement) {
  bool first = true;
  while (true) {
    if (!first && accept(TokenKind::kComma)) {
      // Modes may be separated by commas or just whitespace.
    }
    first = false;
    if (at_word("isolation")) {
      advance();
      expect_word("level");
      if (accept_word("serializable")) {
        statement.isolation_level = "serializable";
      } else if (accept_word("repeatable")) {
        expect_word("read");
        statement.isolation_level = "repeatable read";
      } else if (accept_word("read")) {
        if (accept_word("committed")) {
          statement.isolation_level = "read committed";
        } else {
          expect_word("uncommitted");
          statement.isolation_level = "read uncommitted";
        }
      } else {
        syntax_error();
      }
    } else if (at_word("read")) {
      advance();
      if (accept_word("only")) {
        statement.read_only = true;
      } else {
        expect_word("write");
        statement.read_only = false;
      }
    } else if (accept_word("deferrable")) {
      statement.deferrable = true;
    } else if (at_word("not") && at_word("deferrable", 1)) {
      advance();
      advance();
      statement.deferrable = false;
    } else {
      break;
    }
  }
}

StatementPtr Parser::parse_transaction() {
  auto statement = std::make_unique<TransactionStatement>(peek().offset);
  const std::string word = advance().text;
  auto opt_work = [&] {
    if (!accept_word("work")) accept_word("transaction");
  };
  auto opt_chain = [&] {
    if (at_word("and")) {
      advance();
      bool no = accept_word("no");
      expect_word("chain");
      statement->chain = !no;
    }
  };
  if (word == "begin") {
    statement->transaction_kind = TransactionKind::kBegin;
    opt_work();
    parse_transaction_modes(*statement);
  } else if (word == "start") {
    statement->transaction_kind = TransactionKind::kBegin;
    expect_word("transaction");
    parse_transaction_modes(*statement);
  } else if (word == "commit" || word == "end") {
    if (word == "commit" && at_word("prepared")) not_supported("COMMIT PREPARED", peek());
    statement->transaction_kind = TransactionKind::kCommit;
    opt_work();
    opt_chain();
  } else if (word == "rollback" || word == "abort") {
    if (word == "rollback" && at_word("prepared")) not_supported("ROLLBACK PREPARED", peek());
    statement->transaction_kind = TransactionKind::kRollback;
    opt_work();
    if (word == "rollback" && accept_word("to")) {
      accept_word("savepoint");
      statement->transaction_kind = TransactionKind::kRollbackToSavepoint;
      statement->savepoint_name = parse_col_id();
    } else {
      opt_chain();
    }
  } else if (word == "savepoint") {
    statement->transaction_kind = TransactionKind::kSavepoint;
    statement->savepoint_name = parse_col_id();
  } else {  // release
    statement->transaction_kind = TransactionKind::kRelease;
    accept_word("savepoint");
    statement->savepoint_name = parse_col_id();
  }
  return statement;
}

StatementPtr Parser::parse_explain() {
  auto statement = std::make_unique<ExplainStatement>(peek().offset);
  expect_word("explain");
  auto is_true = [](const std::string& value) {
    return value.empty() || value == "true" || value == "on" || value == "1";
  };
  if (at(TokenKind::kLeftParen) && !at_parenthesized_select(0)) {
    advance();
    do {
      ExplainOption option;
      option.name = parse_col_label();
      if (!at(TokenKind::kComma) && !at(TokenKind::kRightParen)) {
        const Token& value = advance();
        if (value.kind != TokenKind::kIdentifier && value.kind != TokenKind::kQuotedIdentifier &&
            value.kind != TokenKind::kString && value.kind != TokenKind::kInteger &&
            value.kind != TokenKind::kNumeric) {
          syntax_error_at(value);
        }
        option.value = value.text;
      }
      if (option.name == "analyze" || option.name == "analyse") {
        option.name = "analyze";
        statement->analyze = is_true(option.value);
      } else if (option.name == "verbose") {
        statement->verbose = is_true(option.value);
      }
      statement->options.push_back(std::move(option));
    } while (accept(TokenKind::kComma));
    expect(TokenKind::kRightParen);
  } else {
    if (accept_word("analyze") || accept_word("analyse")) {
      statement->analyze = true;
      statement->options.push_back({"analyze", ""});
    }
    if (accept_word("verbose")) {
      statement->verbose = true;
      statement->options.push_back({"verbose", ""});
    }
  }
  // VACUUM and ANALYZE are not explainable (PostgreSQL's ExplainableStmt).
  if (at_word("vacuum") || at_word("analyze") || at_word("analyse")) syntax_error();
  statement->statement = parse_nested_statement();
  return statement;
}

ExprPtr Parser::parse_set_value() {
  const Token& token = peek();
  const int location = token.offset;
  if (token.kind == TokenKind::kOperator && (token.text == "-" || token.text == "+") &&
      (at(TokenKind::kInteger, 1) || at(TokenKind::kNumeric, 1))) {
    const bool negative = token.text == "-";
    advance();
    const Token& number = advance();
    return make_number((negative ? "-" : "") + number.text, number.kind == TokenKind::kInteger,
                       location);
  }
  switch (token.kind) {
    case TokenKind::kInteger:
    case TokenKind::kNumeric: {
      const Token& number = advance();
      return make_number(number.text, number.kind == TokenKind::kInteger, location);
    }
    case TokenKind::kString:
    case TokenKind::kQuotedIdentifier:
    case TokenKind::kIdentifier:
      return make_string(advance().text, location);
    default:
      syntax_error();
  }
}

StatementPtr Parser::parse_set() {
  auto statement = std::make_unique<VariableSetStatement>(peek().offset);
  expect_word("set");
  bool session_characteristics = false;
  if (at_word("session") && at_word("characteristics", 1)) {
    advance();
    advance();
    expect_word("as");
    session_characteristics = true;
  } else if (at_word("session") && (at_word("authorization", 1) || at_word("role", 1))) {
    not_supported("SET SESSION " + to_upper(peek(1).text), peek(1));
  } else if (accept_word("local")) {
    statement->local = true;
  } else if (at_word("session") && !at_op("=", 1) && !at_word("to", 1)) {
    advance();
  }
  if (at_word("role")) not_supported("SET ROLE", peek());
  if (at_word("constraints")) not_supported("SET CONSTRAINTS", peek());
  if (at_word("time") && at_word("zone", 1)) {
    advance();
    advance();
    statement->name = "timezone";
    if (accept_word("local") || accept_word("default")) {
      statement->set_kind = VariableSetKind::kDefault;
    } else if (at_word("interval")) {
      not_supported("SET TIME ZONE INTERVAL", peek());
    } else {
      statement->values.push_back(parse_set_value());
    }
    return statement;
  }
  if (session_characteristics || at_word("transaction")) {
    const Token& start = peek();
    expect_word("transaction");
    if (at_word("snapshot")) not_supported("SET TRANSACTION SNAPSHOT", peek());
    TransactionStatement modes(start.offset);
    parse_transaction_modes(modes);
    const std::string prefix = session_characteristics ? "default_" : "";
    int count = 0;
    if (!modes.isolation_level.empty()) {
      statement->name = prefix + "transaction_isolation";
      statement->values.push_back(make_string(modes.isolation_level, start.offset));
      ++count;
    }
    if (modes.read_only.has_value()) {
      statement->name = prefix + "transaction_read_only";
      statement->values.push_back(make_string(*modes.read_only ? "on" : "off", start.offset));
      ++count;
    }
    if (modes.deferrable.has_value()) {
      statement->name = prefix + "transaction_deferrable";
      statement->values.push_back(make_string(*modes.deferrable ? "on" : "off", start.offset));
      ++count;
    }
    if (count == 0) syntax_error();
    if (count > 1) not_supported("setting several transaction modes in one SET", start);
    return statement;
  }
  if (accept_word("names")) {
    statement->name = "client_encoding";
    if (accept_word("default")) {
      statement->set_kind = VariableSetKind::kDefault;
    } else {
      statement->values.push_back(parse_set_value());
    }
    return statement;
  }
  if (accept_word("schema")) {
    statement->name = "search_path";
    statement->values.push_back(parse_set_value());
    return statement;
  }
  statement->name = parse_col_id();
  while (accept(TokenKind::kDot)) statement->name += "." + parse_col_id();
  if (!accept_word("to")) expect_op("=");
  if (accept_word("default")) {
    statement->set_kind = VariableSetKind::kDefault;
    return statement;
  }
  do {
    statement->values.push_back(parse_set_value());
  } while (accept(TokenKind::kComma));
  return statement;
}

StatementPtr Parser::parse_reset() {
  auto statement = std::make_unique<VariableSetStatement>(peek().offset);
  expect_word("reset");
  statement->set_kind = VariableSetKind::kReset;
  if (accept_word("all")) {
    statement->set_kind = VariableSetKind::kResetAll;
  } else if (at_word("time") && at_word("zone", 1)) {
    advance();
    advance();
    statement->name = "timezone";
  } else if (at_word("transaction") && at_word("isolation", 1)) {
    advance();
    advance();
    expect_word("level");
    statement->name = "transaction_isolation";
  } else if (at_word("session") && at_word("authorization", 1)) {
    not_supported("RESET SESSION AUTHORIZATION", peek());
  } else {
    statement->name = parse_col_id();
    while (accept(TokenKind::kDot)) statement->name += "." + parse_col_id();
  }
  return statement;
}

StatementPtr Parser::parse_show() {
  auto statement = std::make_unique<VariableShowStatement>(peek().offset);
  expect_word("show");
  if (accept_word("all")) {
    statement->name = "all";
  } else if (at_word("time") && at_word("zone", 1)) {
    advance();
    advance();
    statement->name = "timezone";
  } else if (at_word("transaction") && at_word("isolation", 1)) {
    advance();
    advance();
    expect_word("level");
    statement->name = "transaction_isolation";
  } else if (at_word("session") && at_word("authorization", 1)) {
    advance();
    advance();
    statement->name = "session_authorization";
  } else {
    statement->name = parse_col_id();
    while (accept(TokenKind::kDot)) statement->name += "." + parse_col_id();
  }
  return statement;
}

StatementPtr Parser::parse_copy() {
  auto statement = std::make_unique<CopyStatement>(peek().offset);
  expect_word("copy");
  if (accept_word("binary")) statement->options.push_back({"format", "binary"});
  if (at(TokenKind::kLeftParen)) {
    statement->query = parse_paren_select();
  } else {
    statement->table = parse_qualified_name();
    if (at(TokenKind::kLeftParen)) statement->columns = parse_paren_name_list();
  }
  if (accept_word("from")) {
    statement->is_from = true;
  } else {
    expect_word("to");
  }
  if (statement->query && statement->is_from) syntax_error_at(tokens_[pos_ - 1]);
  if (accept_word("program")) {
    statement->is_program = true;
    statement->filename = expect(TokenKind::kString).text;
  } else if (accept_word("stdin") || accept_word("stdout")) {
    // STDIN / STDOUT: empty filename.
  } else {
    statement->filename = expect(TokenKind::kString).text;
  }
  auto option_value = [&]() -> std::string {
    const Token& token = peek();
    switch (token.kind) {
      case TokenKind::kString:
      case TokenKind::kIdentifier:
      case TokenKind::kQuotedIdentifier:
      case TokenKind::kInteger:
      case TokenKind::kNumeric:
        return advance().text;
      default:
        syntax_error();
    }
  };
  const bool with = accept_word("with");
  if (at(TokenKind::kLeftParen)) {
    advance();
    do {
      CopyOption option;
      option.name = parse_col_label();
      if (at_op("*")) {
        advance();
        option.value = "*";
      } else if (at(TokenKind::kLeftParen)) {
        for (const auto& name : parse_paren_name_list()) {
          if (!option.value.empty()) option.value += ',';
          option.value += name;
        }
      } else if (!at(TokenKind::kComma) && !at(TokenKind::kRightParen)) {
        option.value = option_value();
      }
      statement->options.push_back(std::move(option));
    } while (accept(TokenKind::kComma));
    expect(TokenKind::kRightParen);
  } else {
    (void)with;
    // Legacy (pre-9.0) option syntax.
    while (true) {
      if (accept_word("binary")) {
        statement->options.push_back({"format", "binary"});
      } else if (accept_word("csv")) {
        statement->options.push_back({"format", "csv"});
      } else if (accept_word("header")) {
        statement->options.push_back({"header", "true"});
      } else if (accept_word("freeze")) {
        statement->options.push_back({"freeze", "true"});
      } else if (at_word("delimiter") || at_word("null") || at_word("quote") ||
                 at_word("escape") || at_word("encoding")) {
        std::string name = advance().text;
        accept_word("as");
        statement->options.push_back({name, expect(TokenKind::kString).text});
      } else if (accept_word("force")) {
        std::string name;
        if (accept_word("quote")) {
          name = "force_quote";
        } else if (accept_word("not")) {
          expect_word("null");
          name = "force_not_null";
        } else {
          expect_word("null");
          name = "force_null";
        }
        std::string value;
        if (accept_op("*")) {
          value = "*";
        } else {
          for (const auto& column : parse_name_list()) {
            if (!value.empty()) value += ',';
            value += column;
          }
        }
        statement->options.push_back({name, value});
      } else {
        break;
      }
    }
  }
  if (statement->is_from && accept_word("where")) statement->where = parse_expr();
  return statement;
}

StatementPtr Parser::parse_prepare() {
  auto statement = std::make_unique<PrepareStatement>(peek().offset);
  expect_word("prepare");
  if (at_word("transaction")) not_supported("PREPARE TRANSACTION", peek());
  statement->name = parse_col_id();
  if (accept(TokenKind::kLeftParen)) {
    do {
      statement->param_types.push_back(parse_type_name());
    } while (accept(TokenKind::kComma));
    expect(TokenKind::kRightParen);
  }
  expect_word("as");
  // PostgreSQL prepares only queries and data-modifying statements.
  if (!at(TokenKind::kLeftParen) && !at_word("select") && !at_word("values") && !at_word("table") && !at_word("with") &&
      !at_word("insert") && !at_word("update") && !at_word("delete")) {
    syntax_error();
  }
  statement->statement = parse_nested_statement();
  return statement;
}

StatementPtr Parser::parse_execute() {
  auto statement = std::make_unique<ExecuteStatement>(peek().offset);
  expect_word("execute");
  statement->name = parse_col_id();
  if (accept(TokenKind::kLeftParen)) {
    statement->params = parse_expr_list();
    expect(TokenKind::kRightParen);
  }
  return statement;
}

StatementPtr Parser::parse_deallocate() {
  auto statement = std::make_unique<DeallocateStatement>(peek().offset);
  expect_word("deallocate");
  accept_word("prepare");
  if (accept_word("all")) {
    statement->all = true;
  } else {
    statement->name = parse_col_id();
  }
  return statement;
}

StatementPtr Parser::parse_call() {
  auto statement = std::make_unique<CallStatement>(peek().offset);
  expect_word("call");
  statement->name = parse_qualified_name();
  expect(TokenKind::kLeftParen);
  if (!at(TokenKind::kRightParen)) {
    do {
      statement->args.push_back(parse_expr());
    } while (accept(TokenKind::kComma));
  }
  expect(TokenKind::kRightParen);
  return statement;
}

// ---------------------------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------------------------

bool Parser::at_select_start(size_t ahead) const {
  if (at_word("select", ahead) || at_word("with", ahead) || at_word("table", ahead)) return true;
  return at_word("values", ahead) && at(TokenKind::kLeftParen, ahead + 1);
}

bool Parser::at_parenthesized_select(size_t ahead) const {
  size_t i = ahead;
  if (!at(TokenKind::kLeftParen, i)) return false;
  while (at(TokenKind::kLeftParen, i)) ++i;
  return at_select_start(i);
}

std::unique_ptr<SelectStmt> Parser::parse_select() {
  std::unique_ptr<WithClause> with;
  const int location = peek().offset;
  if (at_word("with")) with = parse_with();
  auto select = parse_select_after_with(std::move(with));
  select->location = location;
  return select;
}

std::unique_ptr<SelectStmt> Parser::parse_select_after_with(std::unique_ptr<WithClause> with) {
  auto select = parse_set_operation(0);
  parse_select_tail(*select);
  if (with) {
    if (select->with) error_at("multiple WITH clauses not allowed", with->location);
    select->with = std::move(with);
  }
  return select;
}

std::unique_ptr<WithClause> Parser::parse_with() {
  auto with = std::make_unique<WithClause>();
  with->location = peek().offset;
  expect_word("with");
  with->recursive = accept_word("recursive");
  do {
    CommonTableExpr cte;
    cte.location = peek().offset;
    cte.name = parse_col_id();
    if (at(TokenKind::kLeftParen)) cte.column_aliases = parse_paren_name_list();
    expect_word("as");
    if (accept_word("materialized")) {
      cte.materialize = CteMaterialize::kMaterialized;
    } else if (at_word("not") && at_word("materialized", 1)) {
      advance();
      advance();
      cte.materialize = CteMaterialize::kNotMaterialized;
    }
    expect(TokenKind::kLeftParen);
    if (at_word("insert") || at_word("update") || at_word("delete")) {
      not_supported("a data-modifying statement in WITH", peek());
    }
    cte.query = parse_select();
    expect(TokenKind::kRightParen);
    if (at_word("search") || at_word("cycle")) not_supported(to_upper(peek().text) + " clause", peek());
    with->ctes.push_back(std::move(cte));
  } while (accept(TokenKind::kComma));
  return with;
}

std::unique_ptr<SelectStmt> Parser::parse_set_operation(int min_precedence) {
  auto left = parse_select_primary();
  while (true) {
    int precedence = 0;
    SetOpKind op = SetOpKind::kUnion;
    if (at_word("union")) {
      precedence = 1;
      op = SetOpKind::kUnion;
    } else if (at_word("except")) {
      precedence = 1;
      op = SetOpKind::kExcept;
    } else if (at_word("intersect")) {
      precedence = 2;
      op = SetOpKind::kIntersect;
    }
    if (precedence == 0 || precedence < min_precedence) break;
    const int location = advance().offset;
    auto node = std::make_unique<SelectStmt>();
    node->select_kind = SelectKind::kSetOp;
    node->location = location;
    node->set_op = op;
    if (accept_word("all")) {
      node->set_all = true;
    } else {
      accept_word("distinct");
    }
    node->larg = std::move(left);
    node->rarg = parse_set_operation(precedence + 1);
    left = std::move(node);
  }
  return left;
}

std::unique_ptr<SelectStmt> Parser::parse_select_primary() {
  check_stack_depth();
  if (at(TokenKind::kLeftParen)) return parse_paren_select();
  if (at_word("select")) return parse_simple_select();
  if (at_word("values")) return parse_values();
  if (at_word("table")) {
    auto select = std::make_unique<SelectStmt>();
    select->location = advance().offset;
    auto table = std::make_unique<BaseTableRef>(peek().offset);
    table->only = accept_word("only");
    table->name = parse_qualified_name();
    accept_op("*");
    ResultTarget target;
    target.location = select->location;
    target.expr = std::make_unique<StarExpr>(select->location);
    select->targets.push_back(std::move(target));
    select->from.push_back(std::move(table));
    return select;
  }
  syntax_error();
}

std::unique_ptr<SelectStmt> Parser::parse_paren_select() {
  expect(TokenKind::kLeftParen);
  auto select = parse_select();
  expect(TokenKind::kRightParen);
  return select;
}

std::unique_ptr<SelectStmt> Parser::parse_values() {
  auto select = std::make_unique<SelectStmt>();
  select->select_kind = SelectKind::kValues;
  select->location = peek().offset;
  expect_word("values");
  do {
    const int location = peek().offset;
    expect(TokenKind::kLeftParen);
    std::vector<ExprPtr> row = parse_expr_list();
    expect(TokenKind::kRightParen);
    if (!select->values_lists.empty() && row.size() != select->values_lists.front().size()) {
      error_at("VALUES lists must all be the same length", row.front()->location);
    }
    (void)location;
    select->values_lists.push_back(std::move(row));
  } while (accept(TokenKind::kComma));
  return select;
}

std::unique_ptr<SelectStmt> Parser::parse_simple_select() {
  auto select = std::make_unique<SelectStmt>();
  select->select_kind = SelectKind::kSimple;
  select->location = peek().offset;
  expect_word("select");
  if (accept_word("distinct")) {
    select->distinct = true;
    if (accept_word("on")) {
      expect(TokenKind::kLeftParen);
      select->distinct_on = parse_expr_list();
      expect(TokenKind::kRightParen);
    }
  } else {
    accept_word("all");
  }
  select->targets = parse_target_list();
  if (at_word("into")) not_supported("SELECT INTO", peek());
  if (accept_word("from")) select->from = parse_from_list();
  if (accept_word("where")) select->where = parse_expr();
  if (at_word("group")) {
    advance();
    expect_word("by");
    if (accept_word("distinct")) {
      select->group_by_distinct = true;
    } else {
      accept_word("all");
    }
    select->group_by = parse_group_by_list();
  }
  if (accept_word("having")) select->having = parse_expr();
  if (accept_word("window")) {
    do {
      const int location = peek().offset;
      std::string name = parse_col_id();
      expect_word("as");
      WindowDef window = parse_window_spec();
      window.name = std::move(name);
      window.location = location;
      select->windows.push_back(std::move(window));
    } while (accept(TokenKind::kComma));
  }
  return select;
}

void Parser::parse_select_tail(SelectStmt& select) {
  if (at_word("order")) {
    const int location = advance().offset;
    expect_word("by");
    if (!select.order_by.empty()) error_at("multiple ORDER BY clauses not allowed", location);
    select.order_by = parse_sort_list();
  }
  bool seen_limit = false;
  bool seen_offset = false;
  while (true) {
    const Token& token = peek();
    const int location = token.offset;
    if (at_word("limit")) {
      advance();
      if (seen_limit || select.limit) error_at("multiple LIMIT clauses not allowed", location);
      seen_limit = true;
      if (accept_word("all")) continue;
      select.limit = parse_expr();
      if (at(TokenKind::kComma)) {
        throw SqlError(SqlState::kSyntaxError, "LIMIT #,# syntax is not supported")
            .with_hint("Use separate LIMIT and OFFSET clauses.")
            .with_position(error_position(sql_, location));
      }
    } else if (at_word("offset")) {
      advance();
      if (seen_offset || select.offset) error_at("multiple OFFSET clauses not allowed", location);
      seen_offset = true;
      select.offset = parse_expr();
      if (!accept_word("row")) accept_word("rows");
    } else if (at_word("fetch")) {
      advance();
      if (seen_limit || select.limit) error_at("multiple LIMIT clauses not allowed", location);
      seen_limit = true;
      if (!accept_word("first")) expect_word("next");
      if (at_word("row") || at_word("rows")) {
        select.limit = make_integer(1, peek().offset);
      } else {
        select.limit = parse_expr(kPrecUnary);
      }
      if (!accept_word("row")) expect_word("rows");
      if (at_word("with") && at_word("ties", 1)) {
        advance();
        advance();
        select.limit_with_ties = true;
      } else {
        expect_word("only");
      }
    } else {
      break;
    }
  }
  if (select.limit_with_ties && select.order_by.empty()) {
    throw SqlError(SqlState::kSyntaxError, "WITH TIES cannot be specified without ORDER BY clause");
  }
  if (at_word("for")) not_supported("SELECT ... FOR UPDATE/SHARE", peek());
}

std::vector<ResultTarget> Parser::parse_target_list() {
  static const std::unordered_set<std::string_view> kEnders = {
      "from",   "where",  "group", "having", "window", "union",    "intersect", "except",
      "order",  "limit",  "offset", "fetch", "for",    "into",     "returning",
  };
  const Token& token = peek();
  if (token.kind == TokenKind::kEnd || token.kind == TokenKind::kSemicolon ||
      token.kind == TokenKind::kRightParen ||
      (token.kind == TokenKind::kIdentifier && kEnders.count(token.text) != 0)) {
    return {};
  }
  std::vector<ResultTarget> targets;
  do {
    targets.push_back(parse_target());
  } while (accept(TokenKind::kComma));
  return targets;
}

ResultTarget Parser::parse_target() {
  ResultTarget target;
  target.location = peek().offset;
  if (at_op("*")) {
    target.expr = std::make_unique<StarExpr>(advance().offset);
    return target;
  }
  target.expr = parse_expr();
  if (accept_word("as")) {
    target.alias = parse_col_label();
  } else if (at(TokenKind::kQuotedIdentifier) ||
             (at(TokenKind::kIdentifier) && is_bare_label(peek().text))) {
    target.alias = advance().text;
  }
  return target;
}

std::vector<SortBy> Parser::parse_sort_list() {
  std::vector<SortBy> items;
  do {
    SortBy item;
    item.location = peek().offset;
    item.expr = parse_expr();
    if (accept_word("asc")) {
      item.direction = SortDirection::kAsc;
    } else if (accept_word("desc")) {
      item.direction = SortDirection::kDesc;
    } else if (at_word("using")) {
      not_supported("ORDER BY ... USING", peek());
    }
    if (accept_word("nulls")) {
      if (accept_word("first")) {
        item.nulls = NullsOrder::kFirst;
      } else {
        expect_word("last");
        item.nulls = NullsOrder::kLast;
      }
    }
    items.push_back(std::move(item));
  } while (accept(TokenKind::kComma));
  return items;
}

std::vector<ExprPtr> Parser::parse_group_by_list() {
  std::vector<ExprPtr> items;
  do {
    items.push_back(parse_group_by_item());
  } while (accept(TokenKind::kComma));
  return items;
}

ExprPtr Parser::parse_group_by_item() {
  const int location = peek().offset;
  if (at(TokenKind::kLeftParen) && at(TokenKind::kRightParen, 1)) {
    advance();
    advance();
    return std::make_unique<GroupingSetExpr>(location);
  }
  if ((at_word("rollup") || at_word("cube")) && at(TokenKind::kLeftParen, 1)) {
    auto set = std::make_unique<GroupingSetExpr>(location);
    set->set_kind = at_word("rollup") ? GroupingSetKind::kRollup : GroupingSetKind::kCube;
    advance();
    advance();
    set->items = parse_expr_list();
    expect(TokenKind::kRightParen);
    return set;
  }
  if (at_word("grouping") && at_word("sets", 1)) {
    auto set = std::make_unique<GroupingSetExpr>(location);
    set->set_kind = GroupingSetKind::kSets;
    advance();
    advance();
    expect(TokenKind::kLeftParen);
    set->items = parse_group_by_list();
    expect(TokenKind::kRightParen);
    return set;
  }
  return parse_expr();
}

WindowDef Parser::parse_window_spec() {
  WindowDef window;
  window.location = peek().offset;
  expect(TokenKind::kLeftParen);
  if (at_col_id() && !at_word("partition") && !at_word("rows") && !at_word("range") &&
      !at_word("groups")) {
    window.ref_name = parse_col_id();
  }
  if (at_word("partition")) {
    advance();
    expect_word("by");
    window.partition_by = parse_expr_list();
  }
  if (at_word("order")) {
    advance();
    expect_word("by");
    window.order_by = parse_sort_list();
  }
  if (at_word("rows") || at_word("range") || at_word("groups")) {
    const std::string mode = advance().text;
    window.frame_mode = mode == "rows"    ? FrameMode::kRows
                        : mode == "range" ? FrameMode::kRange
                                          : FrameMode::kGroups;
    if (accept_word("between")) {
      window.frame_start = parse_frame_bound();
      expect_word("and");
      window.frame_end = parse_frame_bound();
    } else {
      window.frame_start = parse_frame_bound();
      window.frame_end = FrameBound{FrameBoundKind::kCurrentRow, nullptr};
    }
    if (accept_word("exclude")) {
      if (accept_word("current")) {
        expect_word("row");
        window.exclusion = FrameExclusion::kCurrentRow;
      } else if (accept_word("group")) {
        window.exclusion = FrameExclusion::kGroup;
      } else if (accept_word("ties")) {
        window.exclusion = FrameExclusion::kTies;
      } else {
        expect_word("no");
        expect_word("others");
        window.exclusion = FrameExclusion::kNoOthers;
      }
    }
  }
  expect(TokenKind::kRightParen);
  return window;
}

FrameBound Parser::parse_frame_bound() {
  FrameBound bound;
  if (at_word("unbounded")) {
    advance();
    if (accept_word("preceding")) {
      bound.kind = FrameBoundKind::kUnboundedPreceding;
    } else {
      expect_word("following");
      bound.kind = FrameBoundKind::kUnboundedFollowing;
    }
    return bound;
  }
  if (at_word("current") && at_word("row", 1)) {
    advance();
    advance();
    bound.kind = FrameBoundKind::kCurrentRow;
    return bound;
  }
  bound.offset = parse_expr();
  if (accept_word("preceding")) {
    bound.kind = FrameBoundKind::kPreceding;
  } else {
    expect_word("following");
    bound.kind = FrameBoundKind::kFollowing;
  }
  return bound;
}

// ---------------------------------------------------------------------------------------------
// FROM
// ---------------------------------------------------------------------------------------------

std::vector<TableRefPtr> Parser::parse_from_list() {
  std::vector<TableRefPtr> items;
  do {
    items.push_back(parse_table_ref());
  } while (accept(TokenKind::kComma));
  return items;
}

bool Parser::at_join_keyword() const {
  return at_word("join") || at_word("cross") || at_word("natural") || at_word("inner") ||
         at_word("left") || at_word("right") || at_word("full");
}

TableRefPtr Parser::parse_table_ref() {
  TableRefPtr left = parse_table_primary();
  while (at_join_keyword()) left = parse_join(std::move(left));
  return left;
}

TableRefPtr Parser::parse_join(TableRefPtr left) {
  auto join = std::make_unique<JoinRef>(peek().offset);
  if (accept_word("cross")) {
    expect_word("join");
    join->join_type = JoinType::kCross;
    join->left = std::move(left);
    join->right = parse_table_primary();
    return join;
  }
  join->natural = accept_word("natural");
  if (accept_word("inner")) {
    join->join_type = JoinType::kInner;
  } else if (accept_word("left")) {
    join->join_type = JoinType::kLeft;
    accept_word("outer");
  } else if (accept_word("right")) {
    join->join_type = JoinType::kRight;
    accept_word("outer");
  } else if (accept_word("full")) {
    join->join_type = JoinType::kFull;
    accept_word("outer");
  }
  expect_word("join");
  join->left = std::move(left);
  join->right = parse_table_primary();
  if (join->natural) return join;
  // `a JOIN b JOIN c ON x ON y` nests to the right while a qualifier is still missing.
  while (at_join_keyword()) join->right = parse_join(std::move(join->right));
  if (accept_word("on")) {
    join->on = parse_expr();
  } else if (accept_word("using")) {
    join->using_columns = parse_paren_name_list();
    if (accept_word("as")) {
      Alias alias;
      alias.name = parse_col_id();
      join->alias = std::move(alias);
    }
  } else {
    syntax_error();
  }
  return join;
}

TableRefPtr Parser::parse_table_primary() {
  const int location = peek().offset;
  const bool lateral = accept_word("lateral");
  if (at(TokenKind::kLeftParen)) {
    std::unique_ptr<SelectStmt> subquery;
    if (at_select_start(1)) {
      subquery = parse_paren_select();
    } else if (at_parenthesized_select(1)) {
      // "((SELECT ...) ...)" may be a parenthesized query or a parenthesized join whose first
      // item is a subquery: try the query first.
      const size_t saved = pos_;
      try {
        subquery = parse_paren_select();
      } catch (const SqlError&) {
        pos_ = saved;
      }
    }
    if (subquery) {
      auto ref = std::make_unique<SubqueryRef>(location);
      ref->lateral = lateral;
      ref->subquery = std::move(subquery);
      ref->alias = parse_opt_alias(true);
      if (!ref->alias) {
        const bool values = ref->subquery->select_kind == SelectKind::kValues;
        throw SqlError(SqlState::kSyntaxError, values ? "VALUES in FROM must have an alias"
                                                      : "subquery in FROM must have an alias")
            .with_hint(values ? "For example, FROM (VALUES ...) [AS] foo."
                              : "For example, FROM (SELECT ...) [AS] foo.")
            .with_position(error_position(sql_, location));
      }
      return ref;
    }
    if (lateral) syntax_error();
    advance();
    TableRefPtr inner = parse_table_ref();
    if (inner->kind != TableRefKind::kJoin) syntax_error();
    expect(TokenKind::kRightParen);
    std::optional<Alias> alias = parse_opt_alias(true);
    if (alias) inner->as<JoinRef>().alias = std::move(alias);
    return inner;
  }
  const bool only = accept_word("only");
  if (only && at(TokenKind::kLeftParen)) {
    advance();
    auto table = std::make_unique<BaseTableRef>(location);
    table->only = true;
    table->name = parse_qualified_name();
    expect(TokenKind::kRightParen);
    table->alias = parse_opt_alias(true);
    return table;
  }
  const int name_location = peek().offset;
  // A function in FROM may be named by a type/function keyword, e.g. "left".
  if (at(TokenKind::kIdentifier) && !only &&
      keyword_category(peek().text) == KeywordCategory::kTypeFuncName &&
      at(TokenKind::kLeftParen, 1)) {
    std::string name = advance().text;
    ExprPtr call = parse_func_call({name}, name_location);
    auto ref = std::make_unique<FunctionRef>(location);
    ref->lateral = lateral;
    ref->function.reset(&call.release()->as<FuncCallExpr>());
    ref->alias = parse_opt_alias(true);
    return ref;
  }
  if (!only && at_word("rows") && at_word("from", 1) && at(TokenKind::kLeftParen, 2)) {
    // ROWS FROM (f(...), g(...)) [WITH ORDINALITY] [alias]
    advance();
    advance();
    expect(TokenKind::kLeftParen);
    auto ref = std::make_unique<FunctionRef>(location);
    ref->lateral = lateral;
    do {
      const int call_location = peek().offset;
      std::vector<std::string> function_name = parse_qualified_name();
      if (!at(TokenKind::kLeftParen)) syntax_error();
      ExprPtr call = parse_func_call(std::move(function_name), call_location);
      if (call->kind != ExprKind::kFuncCall) syntax_error();
      if (at_word("as")) not_supported("a column definition list in ROWS FROM", peek());
      ref->rows_from.emplace_back(&call.release()->as<FuncCallExpr>());
    } while (accept(TokenKind::kComma));
    expect(TokenKind::kRightParen);
    if (at_word("with") && at_word("ordinality", 1)) {
      advance();
      advance();
      ref->with_ordinality = true;
    }
    ref->alias = parse_opt_alias(true);
    return ref;
  }
  std::vector<std::string> name = parse_qualified_name();
  if (at(TokenKind::kLeftParen) && !only) {
    ExprPtr call = parse_func_call(std::move(name), name_location);
    if (call->kind != ExprKind::kFuncCall) syntax_error();
    auto ref = std::make_unique<FunctionRef>(location);
    ref->lateral = lateral;
    ref->function.reset(&call.release()->as<FuncCallExpr>());
    if (at_word("with") && at_word("ordinality", 1)) {
      advance();
      advance();
      ref->with_ordinality = true;
    }
    ref->alias = parse_opt_alias(true);
    return ref;
  }
  if (lateral) syntax_error();
  auto table = std::make_unique<BaseTableRef>(location);
  table->only = only;
  table->name = std::move(name);
  accept_op("*");
  table->alias = parse_opt_alias(true);
  if (at_word("tablesample")) not_supported("TABLESAMPLE", peek());
  return table;
}

// ---------------------------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------------------------

std::vector<ExprPtr> Parser::parse_expr_list() {
  std::vector<ExprPtr> list;
  do {
    list.push_back(parse_expr());
  } while (accept(TokenKind::kComma));
  return list;
}

namespace {

/// The precedence of the infix or postfix operator starting at `token` (0 if none).
int infix_precedence(const Token& token, const Token& next) {
  switch (token.kind) {
    case TokenKind::kDoubleColon:
    case TokenKind::kLeftBracket:
      return kPrecCast;
    case TokenKind::kOperator: {
      const std::string& op = token.text;
      if (is_comparison_op(op)) return kPrecComparison;
      if (op == "+" || op == "-") return kPrecAdd;
      if (op == "*" || op == "/" || op == "%") return kPrecMul;
      if (op == "^") return kPrecExp;
      return kPrecOther;
    }
    case TokenKind::kIdentifier: {
      const std::string& word = token.text;
      if (word == "or") return kPrecOr;
      if (word == "and") return kPrecAnd;
      if (word == "is" || word == "isnull" || word == "notnull") return kPrecIs;
      if (word == "between" || word == "in" || word == "like" || word == "ilike" ||
          word == "similar") {
        return kPrecLike;
      }
      if (word == "not" && next.kind == TokenKind::kIdentifier &&
          (next.text == "between" || next.text == "in" || next.text == "like" ||
           next.text == "ilike" || next.text == "similar")) {
        return kPrecLike;
      }
      if (word == "at" && next.kind == TokenKind::kIdentifier && next.text == "time") {
        return kPrecAt;
      }
      if (word == "collate") return kPrecCollate;
      return 0;
    }
    default:
      return 0;
  }
}

}  // namespace

void Parser::ExpressionDepth::add_level() {
  levels_++;
  if (++parser_.expression_depth_ > kMaxExpressionDepth) {
    throw SqlError(SqlState::kStatementTooComplex, "stack depth limit exceeded")
        .with_hint("The statement nests expressions too deeply.");
  }
}

ExprPtr Parser::parse_expr(int min_precedence) {
  check_stack_depth();
  // Operator chains are built by this loop rather than by recursion; bound how deep they
  // nest, since later passes over the tree do recurse.
  ExpressionDepth depth(*this);
  ExprPtr left = parse_prefix();
  while (true) {
    depth.add_level();
    const int precedence = infix_precedence(peek(), peek(1));
    if (precedence == 0 || precedence < min_precedence) break;
    const Token& token = peek();
    const int location = token.offset;
    // Non-associative operators: a second operator of the same level directly after the
    // right operand is a syntax error (as in PostgreSQL's grammar).
    auto check_non_associative = [&](int level) {
      if (infix_precedence(peek(), peek(1)) == level) syntax_error();
    };

    if (token.kind == TokenKind::kDoubleColon) {
      advance();
      auto cast = std::make_unique<TypeCastExpr>(location);
      cast->arg = std::move(left);
      cast->type = parse_type_name();
      left = std::move(cast);
      continue;
    }
    if (token.kind == TokenKind::kLeftBracket) {
      advance();
      auto subscript = std::make_unique<SubscriptExpr>(location);
      subscript->arg = std::move(left);
      if (!at(TokenKind::kColon)) subscript->lower = parse_expr();
      if (accept(TokenKind::kColon)) {
        subscript->is_slice = true;
        if (!at(TokenKind::kRightBracket)) subscript->upper = parse_expr();
      }
      expect(TokenKind::kRightBracket);
      left = std::move(subscript);
      continue;
    }
    if (token.kind == TokenKind::kOperator) {
      std::string op = advance().text;
      if ((at_word("any") || at_word("some") || at_word("all")) && at(TokenKind::kLeftParen, 1)) {
        left = make_sublink_any_all(std::move(left), std::move(op), location);
        continue;
      }
      auto binary = std::make_unique<BinaryOpExpr>(location);
      binary->op = std::move(op);
      binary->left = std::move(left);
      binary->right = parse_expr(precedence + 1);
      left = std::move(binary);
      if (precedence == kPrecComparison) check_non_associative(kPrecComparison);
      continue;
    }
    const std::string word = token.text;
    if (word == "or" || word == "and") {
      advance();
      auto binary = std::make_unique<BinaryOpExpr>(location);
      binary->op = word == "or" ? "OR" : "AND";
      binary->left = std::move(left);
      binary->right = parse_expr(precedence + 1);
      left = std::move(binary);
      continue;
    }
    if (word == "isnull" || word == "notnull") {
      advance();
      auto test = std::make_unique<NullTestExpr>(location);
      test->expr = std::move(left);
      test->is_not = word == "notnull";
      left = std::move(test);
      continue;
    }
    if (word == "is") {
      advance();
      const bool negated = accept_word("not");
      if (accept_word("null")) {
        auto test = std::make_unique<NullTestExpr>(location);
        test->expr = std::move(left);
        test->is_not = negated;
        left = std::move(test);
      } else if (at_word("true") || at_word("false") || at_word("unknown")) {
        const std::string value = advance().text;
        auto test = std::make_unique<BoolTestExpr>(location);
        test->expr = std::move(left);
        if (value == "true") {
          test->test = negated ? BoolTestKind::kIsNotTrue : BoolTestKind::kIsTrue;
        } else if (value == "false") {
          test->test = negated ? BoolTestKind::kIsNotFalse : BoolTestKind::kIsFalse;
        } else {
          test->test = negated ? BoolTestKind::kIsNotUnknown : BoolTestKind::kIsUnknown;
        }
        left = std::move(test);
      } else if (accept_word("distinct")) {
        expect_word("from");
        auto distinct = std::make_unique<IsDistinctExpr>(location);
        distinct->left = std::move(left);
        distinct->right = parse_expr(kPrecIs + 1);
        distinct->negated = negated;
        left = std::move(distinct);
        check_non_associative(kPrecIs);
      } else if (at_word("document") || at_word("normalized") || at_word("json") ||
                 at_word("nfc") || at_word("nfd") || at_word("nfkc") || at_word("nfkd")) {
        not_supported("IS " + to_upper(peek().text), peek());
      } else {
        syntax_error();
      }
      continue;
    }
    if (word == "at") {
      advance();
      expect_word("time");
      expect_word("zone");
      auto call = std::make_unique<FuncCallExpr>(location);
      call->name = {"timezone"};
      ExprPtr zone = parse_expr(kPrecAt + 1);
      call->args.push_back(std::move(zone));
      call->args.push_back(std::move(left));
      left = std::move(call);
      continue;
    }
    if (word == "collate") not_supported("COLLATE", token);

    // BETWEEN / IN / LIKE / ILIKE / SIMILAR TO, optionally preceded by NOT.
    bool negated = false;
    if (word == "not") {
      advance();
      negated = true;
    }
    const std::string op = advance().text;
    if (op == "in") {
      left = parse_in_rhs(std::move(left), negated, location);
      continue;
    }
    if (op == "between") {
      auto between = std::make_unique<BetweenExpr>(location);
      between->negated = negated;
      if (accept_word("symmetric")) {
        between->symmetric = true;
      } else {
        accept_word("asymmetric");
      }
      between->expr = std::move(left);
      between->low = parse_expr(kPrecOther);
      expect_word("and");
      between->high = parse_expr(kPrecLike + 1);
      left = std::move(between);
      check_non_associative(kPrecLike);
      continue;
    }
    auto like = std::make_unique<LikeExpr>(location);
    like->negated = negated;
    like->case_insensitive = op == "ilike";
    if (op == "similar") {
      expect_word("to");
      like->similar = true;
    }
    like->expr = std::move(left);
    like->pattern = parse_expr(kPrecLike + 1);
    if (accept_word("escape")) like->escape = parse_expr(kPrecLike + 1);
    left = std::move(like);
    check_non_associative(kPrecLike);
  }
  return left;
}

ExprPtr Parser::parse_in_rhs(ExprPtr left, bool negated, int location) {
  if (!at(TokenKind::kLeftParen)) syntax_error();
  if (at_select_start(1)) {
    auto sublink = std::make_unique<SubLinkExpr>(location);
    sublink->sublink_kind = SubLinkKind::kAny;
    sublink->op = "=";
    sublink->is_in = true;
    sublink->test_expr = std::move(left);
    sublink->subquery = parse_paren_select();
    if (!negated) return sublink;
    auto negation = std::make_unique<UnaryOpExpr>(location);
    negation->op = "NOT";
    negation->operand = std::move(sublink);
    return negation;
  }
  advance();
  auto in_list = std::make_unique<InListExpr>(location);
  in_list->expr = std::move(left);
  in_list->negated = negated;
  in_list->list = parse_expr_list();
  expect(TokenKind::kRightParen);
  return in_list;
}

ExprPtr Parser::make_sublink_any_all(ExprPtr left, std::string op, int location) {
  const Token& keyword = advance();
  if (!at_parenthesized_select(0)) {
    auto array_op = std::make_unique<ArrayOpExpr>(location);
    array_op->op = std::move(op);
    array_op->all = keyword.text == "all";
    array_op->left = std::move(left);
    expect(TokenKind::kLeftParen);
    array_op->array = parse_expr();
    expect(TokenKind::kRightParen);
    return array_op;
  }
  auto sublink = std::make_unique<SubLinkExpr>(location);
  sublink->sublink_kind = keyword.text == "all" ? SubLinkKind::kAll : SubLinkKind::kAny;
  sublink->op = std::move(op);
  sublink->test_expr = std::move(left);
  sublink->subquery = parse_paren_select();
  return sublink;
}

ExprPtr Parser::negate_constant_or(ExprPtr operand, int location) {
  if (operand->kind == ExprKind::kConstant) {
    auto& constant = operand->as<ConstantExpr>();
    if (constant.constant_kind == ConstantKind::kInteger) {
      if (constant.int_value == INT64_MIN) {
        constant.constant_kind = ConstantKind::kNumeric;
        constant.text = "9223372036854775808";
      } else {
        constant.int_value = -constant.int_value;
        constant.text = std::to_string(constant.int_value);
      }
      constant.location = location;
      return operand;
    }
    if (constant.constant_kind == ConstantKind::kNumeric) {
      std::string text = !constant.text.empty() && constant.text[0] == '-'
                             ? constant.text.substr(1)
                             : "-" + constant.text;
      return make_number(text, is_all_digits(text), location);
    }
  }
  auto unary = std::make_unique<UnaryOpExpr>(location);
  unary->op = "-";
  unary->operand = std::move(operand);
  return unary;
}

ExprPtr Parser::parse_prefix() {
  const Token& token = peek();
  const int location = token.offset;
  if (token.kind == TokenKind::kIdentifier && token.text == "not") {
    advance();
    auto unary = std::make_unique<UnaryOpExpr>(location);
    unary->op = "NOT";
    unary->operand = parse_expr(kPrecNot);
    return unary;
  }
  if (token.kind == TokenKind::kOperator) {
    std::string op = advance().text;
    if (op == "-") return negate_constant_or(parse_expr(kPrecUnary), location);
    auto unary = std::make_unique<UnaryOpExpr>(location);
    unary->op = std::move(op);
    unary->operand = parse_expr(unary->op == "+" ? kPrecUnary : kPrecOther + 1);
    return unary;
  }
  return parse_primary();
}

ExprPtr Parser::parse_primary() {
  const Token& token = peek();
  const int location = token.offset;
  switch (token.kind) {
    case TokenKind::kInteger:
    case TokenKind::kNumeric: {
      const Token& number = advance();
      return make_number(number.text, number.kind == TokenKind::kInteger, location);
    }
    case TokenKind::kString:
      return make_string(advance().text, location);
    case TokenKind::kParameter: {
      const Token& parameter = advance();
      if (at(TokenKind::kDot) || at(TokenKind::kLeftBracket)) {
        not_supported("parameter indirection", peek());
      }
      return std::make_unique<ParameterExpr>(static_cast<int>(parameter.int_value), location);
    }
    case TokenKind::kLeftParen:
      return parse_paren_expr();
    case TokenKind::kQuotedIdentifier:
      return parse_name_expr();
    case TokenKind::kIdentifier:
      break;
    default:
      syntax_error();
  }
  const std::string& word = token.text;
  if (word == "null") {
    advance();
    return std::make_unique<ConstantExpr>(ConstantKind::kNull, location);
  }
  if (word == "true" || word == "false") {
    auto constant = std::make_unique<ConstantExpr>(ConstantKind::kBoolean, location);
    constant->bool_value = advance().text == "true";
    return constant;
  }
  if (word == "case") return parse_case();
  if (word == "cast") {
    advance();
    expect(TokenKind::kLeftParen);
    auto cast = std::make_unique<TypeCastExpr>(location);
    cast->arg = parse_expr();
    expect_word("as");
    cast->type = parse_type_name();
    expect(TokenKind::kRightParen);
    return cast;
  }
  if (word == "default") {
    advance();
    return std::make_unique<DefaultExpr>(location);
  }
  if (word == "exists" && at(TokenKind::kLeftParen, 1)) {
    advance();
    auto sublink = std::make_unique<SubLinkExpr>(location);
    sublink->sublink_kind = SubLinkKind::kExists;
    if (!at_parenthesized_select(0)) syntax_error_at(peek(1));
    sublink->subquery = parse_paren_select();
    return sublink;
  }
  if (word == "row" && at(TokenKind::kLeftParen, 1)) {
    advance();
    advance();
    auto row = std::make_unique<RowExpr>(location);
    row->explicit_row = true;
    if (!at(TokenKind::kRightParen)) row->args = parse_expr_list();
    expect(TokenKind::kRightParen);
    return row;
  }
  if (word == "array" && at(TokenKind::kLeftParen, 1) && at_parenthesized_select(1)) {
    advance();
    auto array = std::make_unique<ArrayExpr>(location);
    array->subquery = parse_paren_select();
    return array;
  }
  if (word == "array" && at(TokenKind::kLeftBracket, 1)) {
    advance();
    return parse_array_elements(location);
  }
  if (word == "unique" && at(TokenKind::kLeftParen, 1)) not_supported("UNIQUE predicate syntax", token);
  if (ExprPtr special = parse_special_function(word, location)) return special;
  if (at_type_keyword()) {
    if (ExprPtr literal = parse_typed_literal_or_null()) return literal;
  }
  return parse_name_expr();
}

ExprPtr Parser::parse_array_elements(int location) {
  expect(TokenKind::kLeftBracket);
  auto array = std::make_unique<ArrayExpr>(location);
  if (!at(TokenKind::kRightBracket)) {
    while (true) {
      if (at(TokenKind::kLeftBracket)) {
        array->nested = true;
        array->elements.push_back(parse_array_elements(peek().offset));
      } else {
        array->elements.push_back(parse_expr());
      }
      if (!accept(TokenKind::kComma)) break;
    }
  }
  expect(TokenKind::kRightBracket);
  return array;
}

ExprPtr Parser::parse_paren_expr() {
  const int location = peek().offset;
  if (at_select_start(1)) {
    auto sublink = std::make_unique<SubLinkExpr>(location);
    sublink->sublink_kind = SubLinkKind::kScalar;
    sublink->subquery = parse_paren_select();
    return sublink;
  }
  std::optional<SqlError> select_error;
  if (at_parenthesized_select(1)) {
    // "((SELECT ...) ...)": a parenthesized query, or an expression starting with a subquery.
    const size_t saved = pos_;
    try {
      auto sublink = std::make_unique<SubLinkExpr>(location);
      sublink->sublink_kind = SubLinkKind::kScalar;
      sublink->subquery = parse_paren_select();
      return sublink;
    } catch (const SqlError& error) {
      select_error = error;
      pos_ = saved;
    }
  }
  try {
    advance();
    ExprPtr first = parse_expr();
    if (at(TokenKind::kComma)) {
      auto row = std::make_unique<RowExpr>(location);
      row->args.push_back(std::move(first));
      while (accept(TokenKind::kComma)) row->args.push_back(parse_expr());
      expect(TokenKind::kRightParen);
      return row;
    }
    expect(TokenKind::kRightParen);
    if (at(TokenKind::kDot)) not_supported("field selection from a parenthesized expression", peek());
    return first;
  } catch (const SqlError& error) {
    // Report whichever interpretation got further.
    if (select_error && select_error->position() > error.position()) throw *select_error;
    throw;
  }
}

ExprPtr Parser::parse_name_expr() {
  const Token& first = peek();
  const int location = first.offset;
  const bool quoted = first.kind == TokenKind::kQuotedIdentifier;
  if (!quoted && first.kind != TokenKind::kIdentifier) syntax_error();
  const KeywordCategory category =
      quoted ? KeywordCategory::kUnreserved : keyword_category(first.text);
  if (category == KeywordCategory::kReserved) syntax_error();
  std::vector<std::string> parts;
  parts.push_back(advance().text);
  while (at(TokenKind::kDot)) {
    if (at_op("*", 1)) {
      advance();
      advance();
      auto star = std::make_unique<StarExpr>(location);
      star->qualifier = std::move(parts);
      return star;
    }
    advance();
    parts.push_back(parse_col_label());
  }
  if (at(TokenKind::kLeftParen)) {
    if (parts.size() == 1 && category == KeywordCategory::kColName) syntax_error();
    return parse_func_call(std::move(parts), location);
  }
  if (at(TokenKind::kString)) {
    // Generic typed literal: type_name 'string'.
    auto cast = std::make_unique<TypeCastExpr>(location);
    cast->type.name = canonical_type_name(parts);
    cast->type.location = location;
    const Token& literal = advance();
    cast->arg = make_string(literal.text, literal.offset);
    return cast;
  }
  if (parts.size() == 1 && category == KeywordCategory::kTypeFuncName) syntax_error();
  auto column = std::make_unique<ColumnRefExpr>(location);
  column->fields = std::move(parts);
  return column;
}

ExprPtr Parser::parse_func_call(std::vector<std::string> name, int location) {
  auto call = std::make_unique<FuncCallExpr>(location);
  call->name = std::move(name);
  expect(TokenKind::kLeftParen);
  if (at_op("*") && at(TokenKind::kRightParen, 1)) {
    advance();
    advance();
    call->star = true;
  } else if (accept(TokenKind::kRightParen)) {
    // No arguments.
  } else {
    if (accept_word("distinct")) {
      call->distinct = true;
    } else {
      accept_word("all");
    }
    do {
      if (at_word("variadic")) not_supported("VARIADIC", peek());
      if ((at(TokenKind::kIdentifier) || at(TokenKind::kQuotedIdentifier)) &&
          (at_op("=>", 1) || (at(TokenKind::kColon, 1) && at_op("=", 2)))) {
        not_supported("named argument notation", peek(1));
      }
      call->args.push_back(parse_expr());
    } while (accept(TokenKind::kComma));
    if (at_word("order")) {
      advance();
      expect_word("by");
      call->agg_order_by = parse_sort_list();
    }
    expect(TokenKind::kRightParen);
  }
  parse_func_suffix(*call);
  return call;
}

void Parser::parse_func_suffix(FuncCallExpr& call) {
  if (at_word("within") && at_word("group", 1)) {
    const Token& within = peek();
    advance();
    advance();
    expect(TokenKind::kLeftParen);
    expect_word("order");
    expect_word("by");
    if (!call.agg_order_by.empty()) {
      error_at("cannot use multiple ORDER BY clauses with WITHIN GROUP", within.offset);
    }
    call.agg_order_by = parse_sort_list();
    call.agg_within_group = true;
    expect(TokenKind::kRightParen);
  }
  if (at_word("filter") && at(TokenKind::kLeftParen, 1)) {
    advance();
    advance();
    expect_word("where");
    call.filter = parse_expr();
    expect(TokenKind::kRightParen);
  }
  if (accept_word("over")) {
    if (at(TokenKind::kLeftParen)) {
      call.over = std::make_unique<WindowDef>(parse_window_spec());
    } else {
      call.over = std::make_unique<WindowDef>();
      call.over->location = peek().offset;
      call.over->name = parse_col_id();
    }
  }
}

ExprPtr Parser::parse_special_function(const std::string& name, int location) {
  static const std::unordered_set<std::string_view> kValueFunctions = {
      "current_date", "current_time", "current_timestamp", "localtime",
      "localtimestamp", "current_user", "session_user", "user",
      "current_role", "current_catalog", "current_schema",
  };
  if (kValueFunctions.count(name) != 0) {
    if (name == "current_schema" && at(TokenKind::kLeftParen, 1)) return nullptr;
    advance();
    auto call = std::make_unique<FuncCallExpr>(location);
    call->name = {name};
    call->sql_value_function = true;
    const bool takes_precision = name == "current_time" || name == "current_timestamp" ||
                                 name == "localtime" || name == "localtimestamp";
    if (takes_precision && accept(TokenKind::kLeftParen)) {
      const Token& precision = expect(TokenKind::kInteger);
      call->args.push_back(make_number(precision.text, true, precision.offset));
      expect(TokenKind::kRightParen);
    }
    return call;
  }
  if (!at(TokenKind::kLeftParen, 1)) return nullptr;
  auto call = std::make_unique<FuncCallExpr>(location);
  if (name == "coalesce" || name == "nullif" || name == "greatest" || name == "least" ||
      name == "grouping") {
    advance();
    advance();
    call->name = {name};
    call->args = parse_expr_list();
    expect(TokenKind::kRightParen);
    return call;
  }
  if (name == "extract") {
    advance();
    advance();
    call->name = {"extract"};
    const Token& field = peek();
    if (field.kind == TokenKind::kIdentifier || field.kind == TokenKind::kString) {
      call->args.push_back(make_string(advance().text, field.offset));
    } else {
      syntax_error();
    }
    expect_word("from");
    call->args.push_back(parse_expr());
    expect(TokenKind::kRightParen);
    return call;
  }
  if (name == "substring") {
    advance();
    advance();
    call->name = {"substring"};
    call->args.push_back(parse_expr());
    if (accept_word("from")) {
      call->args.push_back(parse_expr());
      if (accept_word("for")) call->args.push_back(parse_expr());
    } else if (accept_word("for")) {
      ExprPtr length = parse_expr();
      if (accept_word("from")) {
        call->args.push_back(parse_expr());
      } else {
        call->args.push_back(make_integer(1, -1));
      }
      call->args.push_back(std::move(length));
    } else if (at_word("similar")) {
      not_supported("SUBSTRING ... SIMILAR", peek());
    } else {
      while (accept(TokenKind::kComma)) call->args.push_back(parse_expr());
    }
    expect(TokenKind::kRightParen);
    return call;
  }
  if (name == "position") {
    advance();
    advance();
    call->name = {"position"};
    ExprPtr needle = parse_expr(kPrecLike + 1);
    expect_word("in");
    ExprPtr haystack = parse_expr(kPrecLike + 1);
    call->args.push_back(std::move(haystack));
    call->args.push_back(std::move(needle));
    expect(TokenKind::kRightParen);
    return call;
  }
  if (name == "trim") {
    advance();
    advance();
    std::string function = "btrim";
    if (accept_word("both")) {
      function = "btrim";
    } else if (accept_word("leading")) {
      function = "ltrim";
    } else if (accept_word("trailing")) {
      function = "rtrim";
    }
    call->name = {function};
    if (accept_word("from")) {
      call->args = parse_expr_list();
    } else {
      ExprPtr first = parse_expr();
      if (accept_word("from")) {
        call->args = parse_expr_list();
        call->args.push_back(std::move(first));
      } else {
        call->args.push_back(std::move(first));
        while (accept(TokenKind::kComma)) call->args.push_back(parse_expr());
      }
    }
    expect(TokenKind::kRightParen);
    return call;
  }
  if (name == "overlay") {
    advance();
    advance();
    call->name = {"overlay"};
    call->args.push_back(parse_expr());
    if (accept_word("placing")) {
      call->args.push_back(parse_expr());
      expect_word("from");
      call->args.push_back(parse_expr());
      if (accept_word("for")) call->args.push_back(parse_expr());
    } else {
      while (accept(TokenKind::kComma)) call->args.push_back(parse_expr());
    }
    expect(TokenKind::kRightParen);
    return call;
  }
  if (name == "treat" || name == "normalize" || name.rfind("xml", 0) == 0) {
    not_supported(to_upper(name), peek());
  }
  return nullptr;
}

ExprPtr Parser::parse_case() {
  auto case_expr = std::make_unique<CaseExpr>(peek().offset);
  expect_word("case");
  if (!at_word("when")) case_expr->arg = parse_expr();
  if (!at_word("when")) syntax_error();
  while (accept_word("when")) {
    CaseExpr::When when;
    when.condition = parse_expr();
    expect_word("then");
    when.result = parse_expr();
    case_expr->whens.push_back(std::move(when));
  }
  if (accept_word("else")) case_expr->else_result = parse_expr();
  expect_word("end");
  return case_expr;
}

ExprPtr Parser::parse_typed_literal_or_null() {
  const size_t saved = pos_;
  const int location = peek().offset;
  TypeName type;
  try {
    type = parse_type_name();
  } catch (const SqlError&) {
    pos_ = saved;
    return nullptr;
  }
  if (!at(TokenKind::kString)) {
    pos_ = saved;
    return nullptr;
  }
  const Token& literal = advance();
  auto cast = std::make_unique<TypeCastExpr>(location);
  cast->arg = make_string(literal.text, literal.offset);
  if (type.name == "interval" && type.interval_fields.empty()) parse_interval_fields(type);
  cast->type = std::move(type);
  return cast;
}

// ---------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------

bool Parser::at_type_keyword() const {
  static const std::unordered_set<std::string_view> kTypeKeywords = {
      "int",      "integer", "smallint",  "bigint",   "real",     "float",    "double",
      "decimal",  "dec",     "numeric",   "boolean",  "char",     "character", "varchar",
      "national", "nchar",   "bit",       "timestamp", "time",    "interval",
  };
  return at(TokenKind::kIdentifier) && kTypeKeywords.count(peek().text) != 0;
}

std::vector<int> Parser::parse_type_modifiers() {
  std::vector<int> modifiers;
  if (!accept(TokenKind::kLeftParen)) return modifiers;
  do {
    // A negative modifier (numeric(3,-1), PostgreSQL 15's negative scale).
    bool negative = false;
    if (peek().kind == TokenKind::kOperator && peek().text == "-" && peek(1).kind == TokenKind::kInteger) {
      negative = true;
      advance();
    }
    const Token& token = peek();
    if (token.kind != TokenKind::kInteger) syntax_error();
    int value = 0;
    auto [end, ec] = std::from_chars(token.text.data(), token.text.data() + token.text.size(), value);
    if (ec != std::errc() || end != token.text.data() + token.text.size()) {
      throw SqlError(SqlState::kSyntaxError, "type modifier is out of range")
          .with_position(error_position(sql_, token.offset));
    }
    advance();
    modifiers.push_back(negative ? -value : value);
  } while (accept(TokenKind::kComma));
  expect(TokenKind::kRightParen);
  return modifiers;
}

void Parser::parse_interval_fields(TypeName& type) {
  if (!at(TokenKind::kIdentifier) || !is_interval_field(peek().text)) return;
  std::string fields = advance().text;
  if (at_word("to") && at(TokenKind::kIdentifier, 1) && is_interval_field(peek(1).text)) {
    advance();
    fields += " to " + advance().text;
  }
  static const std::unordered_set<std::string_view> kValid = {
      "year", "month", "day", "hour", "minute", "second", "year to month", "day to hour",
      "day to minute", "day to second", "hour to minute", "hour to second", "minute to second",
  };
  if (kValid.count(fields) == 0) syntax_error_at(tokens_[pos_ - 1]);
  type.interval_fields = fields;
  if (fields.size() >= 6 && fields.compare(fields.size() - 6, 6, "second") == 0 &&
      at(TokenKind::kLeftParen)) {
    type.modifiers = parse_type_modifiers();
  }
}

TypeName Parser::parse_type_name() {
  TypeName type;
  const Token& token = peek();
  type.location = token.offset;
  if (token.kind != TokenKind::kIdentifier && token.kind != TokenKind::kQuotedIdentifier) {
    syntax_error();
  }
  const std::string word = token.text;
  const bool quoted = token.kind == TokenKind::kQuotedIdentifier;
  auto parse_time_zone = [&](const char* with_tz, const char* without_tz) {
    type.name = without_tz;
    if (at_word("with") && at_word("time", 1)) {
      advance();
      advance();
      expect_word("zone");
      type.name = with_tz;
    } else if (at_word("without") && at_word("time", 1)) {
      advance();
      advance();
      expect_word("zone");
    }
  };
  if (quoted) {
    advance();
    std::vector<std::string> parts = {word};
    while (accept(TokenKind::kDot)) parts.push_back(parse_col_label());
    type.name = canonical_type_name(parts);
    type.modifiers = parse_type_modifiers();
  } else if (word == "double") {
    advance();
    expect_word("precision");
    type.name = "double precision";
  } else if (word == "int" || word == "integer") {
    advance();
    type.name = "integer";
  } else if (word == "smallint" || word == "bigint" || word == "real" || word == "boolean") {
    advance();
    type.name = word;
  } else if (word == "float") {
    advance();
    type.name = "double precision";
    if (at(TokenKind::kLeftParen)) {
      const int modifier_location = peek(1).offset;
      std::vector<int> precision = parse_type_modifiers();
      if (precision.size() != 1) syntax_error_at(tokens_[pos_ - 1]);
      if (precision[0] < 1) {
        throw SqlError(SqlState::kInvalidParameterValue,
                       "precision for type float must be at least 1 bit")
            .with_position(error_position(sql_, modifier_location));
      }
      if (precision[0] > 53) {
        throw SqlError(SqlState::kInvalidParameterValue,
                       "precision for type float must be less than 54 bits")
            .with_position(error_position(sql_, modifier_location));
      }
      if (precision[0] <= 24) type.name = "real";
    }
  } else if (word == "decimal" || word == "dec" || word == "numeric") {
    advance();
    type.name = "numeric";
    type.modifiers = parse_type_modifiers();
  } else if (word == "char" || word == "character" || word == "nchar" || word == "national") {
    advance();
    if (word == "national" && !accept_word("character")) expect_word("char");
    const bool varying = accept_word("varying");
    type.name = varying ? "varchar" : "char";
    type.modifiers = parse_type_modifiers();
    if (!varying && type.modifiers.empty()) type.modifiers = {1};
  } else if (word == "varchar") {
    advance();
    type.name = "varchar";
    type.modifiers = parse_type_modifiers();
  } else if (word == "bit") {
    advance();
    type.name = accept_word("varying") ? "varbit" : "bit";
    type.modifiers = parse_type_modifiers();
  } else if (word == "timestamp") {
    advance();
    type.modifiers = parse_type_modifiers();
    parse_time_zone("timestamptz", "timestamp");
  } else if (word == "time") {
    advance();
    type.modifiers = parse_type_modifiers();
    parse_time_zone("timetz", "time");
  } else if (word == "interval") {
    advance();
    type.name = "interval";
    if (at(TokenKind::kLeftParen)) {
      type.modifiers = parse_type_modifiers();
    } else {
      parse_interval_fields(type);
    }
  } else {
    const KeywordCategory category = keyword_category(word);
    if (category == KeywordCategory::kReserved || category == KeywordCategory::kColName) {
      syntax_error();
    }
    advance();
    std::vector<std::string> parts = {word};
    while (accept(TokenKind::kDot)) parts.push_back(parse_col_label());
    type.name = canonical_type_name(parts);
    type.modifiers = parse_type_modifiers();
  }
  // Array bounds: int[], int[3][], int ARRAY[3].
  while (true) {
    if (at(TokenKind::kLeftBracket)) {
      advance();
      accept(TokenKind::kInteger);
      expect(TokenKind::kRightBracket);
      ++type.array_dims;
    } else if (at_word("array")) {
      advance();
      if (accept(TokenKind::kLeftBracket)) {
        accept(TokenKind::kInteger);
        expect(TokenKind::kRightBracket);
      }
      ++type.array_dims;
      break;
    } else {
      break;
    }
  }
  return type;
}

}  // namespace tessera::planner
