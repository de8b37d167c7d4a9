// Error paths: messages, SQLSTATEs and 1-based positions as PostgreSQL reports them.

#include "planner/parser/parser.h"

#include <gtest/gtest.h>

#include "test/planner/parser/parser_test_util.h"

namespace tessera::planner {
namespace {

using testing::expect_error;
using testing::expect_syntax_error;

TEST(ParserErrorTest, SyntaxErrorsReportTheOffendingToken) {
  expect_syntax_error("SELEC 1", "SELEC", 1);
  expect_syntax_error("SELECT 1 +", "", 11);
  expect_syntax_error("SELECT 1 + ;", ";", 12);
  expect_syntax_error("SELECT * FROM", "", 14);
  expect_syntax_error("SELECT * FROM t WHERE", "", 22);
  expect_syntax_error("SELECT a FROM t t2 t3", "t3", 20);
  expect_syntax_error("SELECT (1", "", 10);
  expect_syntax_error("SELECT 1)", ")", 9);
  expect_syntax_error("SELECT CASE END", "END", 13);
  expect_syntax_error("SELECT a IN ()", ")", 14);
  expect_syntax_error("SELECT * FROM t WHERE from = 1", "from", 23);
  expect_syntax_error("SELECT 'x' 'y'", "'y'", 12);
  expect_syntax_error("INSERT t VALUES (1)", "t", 8);
  expect_syntax_error("SELECT 1 ORDER BY 1 UNION SELECT 2", "UNION", 21);
  expect_syntax_error("SELECT a FROM t JOIN u", "", 23);
  expect_syntax_error("CREATE TABLE t (a)", ")", 18);
  expect_syntax_error("SELECT 1; SELECT 2 3", "3", 20);
  expect_syntax_error("SELECT \"\xC3\xA9\" FROM FROM", "FROM", 17);
}

TEST(ParserErrorTest, ComparisonOperatorsAreNonAssociative) {
  expect_syntax_error("SELECT a < b < c", "<", 14);
  expect_syntax_error("SELECT a = b = c", "=", 14);
  expect_syntax_error("SELECT a LIKE b LIKE c", "LIKE", 17);
  expect_syntax_error("SELECT a BETWEEN 1 AND 2 BETWEEN 3 AND 4", "BETWEEN", 26);
  expect_syntax_error("SELECT a IS DISTINCT FROM b IS NULL", "IS", 29);
}

TEST(ParserErrorTest, LexicalErrors) {
  expect_syntax_error("SELECT 1 # ", "", 12);
  expect_error("SELECT 'abc", SqlState::kSyntaxError, "unterminated quoted string at or near \"'abc\"", 8);
  expect_error("SELECT 1 /* x", SqlState::kSyntaxError, "unterminated /* comment at or near \"/* x\"", 10);
  expect_error("SELECT 1abc", SqlState::kSyntaxError,
               "trailing junk after numeric literal at or near \"1a\"", 8);
}

TEST(ParserErrorTest, SemanticSyntaxErrors) {
  expect_error("SELECT * FROM (SELECT 1)", SqlState::kSyntaxError,
               "subquery in FROM must have an alias", 15);
  expect_error("SELECT * FROM (VALUES (1))", SqlState::kSyntaxError,
               "VALUES in FROM must have an alias", 15);
  expect_error("VALUES (1, 2), (3)", SqlState::kSyntaxError,
               "VALUES lists must all be the same length", 17);
  expect_error("SELECT 1 LIMIT 1, 2", SqlState::kSyntaxError, "LIMIT #,# syntax is not supported", 10);
  expect_error("(SELECT 1 ORDER BY 1) ORDER BY 1", SqlState::kSyntaxError,
               "multiple ORDER BY clauses not allowed", 23);
  expect_error("(SELECT 1 LIMIT 1) LIMIT 2", SqlState::kSyntaxError,
               "multiple LIMIT clauses not allowed", 20);
  expect_error("SELECT 1 LIMIT 1 LIMIT 2", SqlState::kSyntaxError,
               "multiple LIMIT clauses not allowed", 18);
}

TEST(ParserErrorTest, UnsupportedFeatures) {
  expect_error("ALTER TABLE t OWNER TO x", SqlState::kFeatureNotSupported,
               "ALTER TABLE ... OWNER is not supported", 15);
  expect_error("ALTER VIEW v RENAME TO w", SqlState::kFeatureNotSupported, "ALTER VIEW is not supported", 7);
  expect_error("SELECT a COLLATE \"C\" FROM t", SqlState::kFeatureNotSupported,
               "COLLATE is not supported", 10);
  expect_error("SELECT * FROM t FOR UPDATE", SqlState::kFeatureNotSupported,
               "SELECT ... FOR UPDATE/SHARE is not supported", 17);
  expect_error("INSERT INTO t VALUES (1) ON CONFLICT (lower(b)) DO NOTHING", SqlState::kFeatureNotSupported,
               "ON CONFLICT inference on an expression, collation or operator class is not supported", 39);
  expect_error("SELECT 1 INTO x", SqlState::kFeatureNotSupported, "SELECT INTO is not supported", 10);
  expect_error("CREATE FUNCTION f() RETURNS int AS 'x'", SqlState::kFeatureNotSupported,
               "CREATE FUNCTION is not supported", 8);
}

TEST(ParserErrorTest, WholeStringIsParsedBeforeAnythingRuns) {
  // A syntax error in a later statement fails the whole batch, as in PostgreSQL.
  expect_syntax_error("SELECT 1; SELEC 2", "SELEC", 11);
}

}  // namespace
}  // namespace tessera::planner
