#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "planner/parser/ast.h"
#include "planner/parser/lexer.h"

namespace tessera::planner {

/// Parses a query string (one or more statements separated by ';') into statements.
/// Empty statements are skipped; an empty or all-whitespace/comment string yields an empty
/// vector (the server answers EmptyQueryResponse). Like PostgreSQL, the whole string is
/// parsed before anything runs: a syntax error anywhere raises SqlError 42601 with
/// PostgreSQL's message and 1-based position; recognised but unsupported syntax raises 0A000.
std::vector<StatementPtr> parse_sql(std::string_view sql);
/// The same, also returning the notices parsing raised (identifiers truncated to 63 bytes).
std::vector<StatementPtr> parse_sql(std::string_view sql, std::vector<ParseNotice>& notices);

/// A hand-written recursive-descent parser for the PostgreSQL 15 grammar subset Tessera
/// supports. Expressions use precedence climbing with PostgreSQL's operator precedence table.
/// One Parser parses one query string; not thread-safe (use one per thread).
class Parser {
 public:
  explicit Parser(std::string_view sql);

  /// Parses every statement of the query string. See parse_sql().
  std::vector<StatementPtr> parse_all();
  const std::vector<ParseNotice>& notices() const { return notices_; }

 private:
  /// How deeply an expression may nest, counting operator chains (`1 + 1 + ...` nests one level
  /// per operator). Later passes recurse over the tree, so deeper trees fail early with 54001.
  static constexpr int kMaxExpressionDepth = 20000;

  /// Counts the levels one parse_expr call adds to the expression depth.
  class ExpressionDepth {
   public:
    explicit ExpressionDepth(Parser& parser) : parser_(parser) { add_level(); }
    ~ExpressionDepth() { parser_.expression_depth_ -= levels_; }
    ExpressionDepth(const ExpressionDepth&) = delete;
    ExpressionDepth& operator=(const ExpressionDepth&) = delete;
    void add_level();

   private:
    Parser& parser_;
    int levels_ = 0;
  };
  int expression_depth_ = 0;

  // ---- Tokens.
  const Token& peek(size_t ahead = 0) const;
  const Token& advance();
  bool at(TokenKind kind, size_t ahead = 0) const;
  bool accept(TokenKind kind);
  const Token& expect(TokenKind kind);
  /// True when the token is the unquoted word `word` (lower case).
  bool at_word(std::string_view word, size_t ahead = 0) const;
  bool accept_word(std::string_view word);
  void expect_word(std::string_view word);
  bool at_op(std::string_view op, size_t ahead = 0) const;
  bool accept_op(std::string_view op);
  void expect_op(std::string_view op);
  /// True for an unquoted reserved keyword.
  bool at_reserved(size_t ahead = 0) const;
  [[noreturn]] void syntax_error_at(const Token& token) const;
  [[noreturn]] void syntax_error() const;
  [[noreturn]] void not_supported(const std::string& what, const Token& token) const;
  [[noreturn]] void error_at(const std::string& message, int location) const;
  /// The source text from token `first` up to and including token `last`.
  std::string source_text(size_t first, size_t last) const;

  // ---- Names.
  /// ColId: identifier, unreserved or column-name keyword.
  std::string parse_col_id();
  /// ColLabel: any word, including reserved keywords.
  std::string parse_col_label();
  bool at_col_id(size_t ahead = 0) const;
  /// A possibly qualified name: ColId ('.' ColLabel)*.
  std::vector<std::string> parse_qualified_name();
  std::vector<std::string> parse_name_list();  // (a, b, c) without the parentheses
  std::vector<std::string> parse_paren_name_list();
  std::optional<Alias> parse_opt_alias(bool allow_bare);

  // ---- Statements.
  StatementPtr parse_statement();
  StatementPtr parse_select_statement();
  StatementPtr parse_insert(std::unique_ptr<WithClause> with);
  StatementPtr parse_update(std::unique_ptr<WithClause> with);
  /// `col = expr, (a, b) = (x, y), ...` after SET (UPDATE, ON CONFLICT DO UPDATE).
  std::vector<SetClause> parse_set_list();
  /// `ON CONFLICT [target] DO NOTHING | DO UPDATE SET ... [WHERE ...]`.
  std::unique_ptr<OnConflictClause> parse_on_conflict();
  StatementPtr parse_delete(std::unique_ptr<WithClause> with);
  StatementPtr parse_create();
  StatementPtr parse_create_table(int location, bool temporary);
  StatementPtr parse_create_view(int location, bool or_replace, bool temporary, bool materialized);
  StatementPtr parse_create_index(int location, bool unique);
  StatementPtr parse_create_sequence(int location);
  /// Sequence options (CREATE SEQUENCE, an identity column's) up to the first word that is not one.
  /// ALTER SEQUENCE (`alter` set) also takes RESTART [[WITH] n] and OWNED BY into it.
  std::vector<SequenceOption> parse_sequence_options(AlterSequenceStatement* alter = nullptr);
  StatementPtr parse_alter();
  AlterTableAction parse_alter_table_action();
  StatementPtr parse_comment();
  /// CREATE SCHEMA (after CREATE) and ALTER SCHEMA (after ALTER).
  StatementPtr parse_create_schema(int location);
  StatementPtr parse_alter_schema(int location);
  /// A role specification: a name, CURRENT_USER, SESSION_USER or CURRENT_ROLE.
  void parse_role_spec(SchemaStatement& statement);
  StatementPtr parse_drop();
  StatementPtr parse_truncate();
  StatementPtr parse_vacuum();
  StatementPtr parse_refresh();
  StatementPtr parse_transaction();
  StatementPtr parse_explain();
  StatementPtr parse_set();
  StatementPtr parse_reset();
  StatementPtr parse_show();
  StatementPtr parse_copy();
  StatementPtr parse_prepare();
  StatementPtr parse_execute();
  StatementPtr parse_deallocate();
  StatementPtr parse_call();
  void parse_transaction_modes(TransactionStatement& stmt);
  void parse_column_constraints(ColumnDef& column);
  TableConstraint parse_table_constraint();
  ForeignKeyRef parse_references();
  std::vector<ResultTarget> parse_opt_returning();
  /// Parses a nested statement (EXPLAIN, PREPARE) and fills in its location and text.
  StatementPtr parse_nested_statement();

  // ---- Queries.
  /// A full query: [WITH] body [ORDER BY] [LIMIT/OFFSET/FETCH].
  std::unique_ptr<SelectStmt> parse_select();
  std::unique_ptr<SelectStmt> parse_select_after_with(std::unique_ptr<WithClause> with);
  std::unique_ptr<WithClause> parse_with();
  std::unique_ptr<SelectStmt> parse_set_operation(int min_precedence);
  std::unique_ptr<SelectStmt> parse_select_primary();
  std::unique_ptr<SelectStmt> parse_simple_select();
  std::unique_ptr<SelectStmt> parse_values();
  void parse_select_tail(SelectStmt& select);
  bool at_select_start(size_t ahead = 0) const;
  /// True when the tokens at `ahead` open a parenthesized query: '('+ SELECT|VALUES|WITH|TABLE.
  bool at_parenthesized_select(size_t ahead) const;
  std::vector<ResultTarget> parse_target_list();
  ResultTarget parse_target();
  std::vector<SortBy> parse_sort_list();
  std::vector<ExprPtr> parse_group_by_list();
  ExprPtr parse_group_by_item();
  WindowDef parse_window_spec();  // after '(' ... up to and including ')'
  FrameBound parse_frame_bound();

  // ---- FROM.
  std::vector<TableRefPtr> parse_from_list();
  TableRefPtr parse_table_ref();
  TableRefPtr parse_table_primary();
  bool at_join_keyword() const;
  TableRefPtr parse_join(TableRefPtr left);

  // ---- Expressions.
  ExprPtr parse_expr(int min_precedence = 0);
  ExprPtr parse_prefix();
  ExprPtr parse_primary();
  ExprPtr parse_paren_expr();
  ExprPtr parse_name_expr();
  ExprPtr parse_func_call(std::vector<std::string> name, int location);
  void parse_func_suffix(FuncCallExpr& call);
  ExprPtr parse_special_function(const std::string& name, int location);
  ExprPtr parse_case();
  ExprPtr parse_typed_literal_or_null();
  std::vector<ExprPtr> parse_expr_list();
  std::unique_ptr<SelectStmt> parse_paren_select();  // '(' query ')'
  /// '[' elements ']' of ARRAY[...]; nested bare brackets are multidimensional sub-arrays.
  ExprPtr parse_array_elements(int location);
  ExprPtr parse_in_rhs(ExprPtr left, bool negated, int location);
  ExprPtr make_sublink_any_all(ExprPtr left, std::string op, int location);
  ExprPtr negate_constant_or(ExprPtr operand, int location);

  // ---- Types.
  TypeName parse_type_name();
  bool at_type_keyword() const;
  std::vector<int> parse_type_modifiers();
  void parse_interval_fields(TypeName& type);
  ExprPtr parse_set_value();

  std::string_view sql_;
  std::vector<Token> tokens_;
  std::vector<ParseNotice> notices_;
  size_t pos_ = 0;
};

}  // namespace tessera::planner
