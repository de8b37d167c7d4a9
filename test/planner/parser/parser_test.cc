// Expressions and queries.

#include "planner/parser/parser.h"

#include <gtest/gtest.h>

#include "src/common/sql_error.h"
#include "test/planner/parser/parser_test_util.h"

namespace tessera::planner {
namespace {

using testing::expr_text;
using testing::parse_one;
using testing::query_text;

const SelectStmt& select_of(const StatementPtr& statement) {
  return *statement->as<SelectStatement>().select;
}

TEST(ParserTest, ArithmeticPrecedence) {
  EXPECT_EQ(expr_text("1 + 2 * 3"), "(1 + (2 * 3))");
  EXPECT_EQ(expr_text("1 - 2 - 3"), "((1 - 2) - 3)");
  EXPECT_EQ(expr_text("8 / 4 % 3 * 2"), "(((8 / 4) % 3) * 2)");
  EXPECT_EQ(expr_text("2 ^ 3 ^ 2"), "((2 ^ 3) ^ 2)");
  EXPECT_EQ(expr_text("2 * 3 ^ 2"), "(2 * (3 ^ 2))");
  EXPECT_EQ(expr_text("(1 + 2) * 3"), "((1 + 2) * 3)");
  EXPECT_EQ(expr_text("'a' || 'b' || 1 + 2"), "(('a' || 'b') || (1 + 2))");
  EXPECT_EQ(expr_text("a || b = c"), "((a || b) = c)");
}

TEST(ParserTest, ArraySyntax) {
  EXPECT_EQ(expr_text("ARRAY[1, 2 + 3]"), "ARRAY[1, (2 + 3)]");
  EXPECT_EQ(expr_text("ARRAY[]"), "ARRAY[]");
  EXPECT_EQ(expr_text("a[1] + 1"), "(a[1] + 1)");
  EXPECT_EQ(expr_text("-a[i + 1]"), "(-a[(i + 1)])");
  EXPECT_EQ(expr_text("a[1:2]"), "a[1:2]");
  EXPECT_EQ(expr_text("a[:2]"), "a[:2]");
  EXPECT_EQ(expr_text("a[2:]"), "a[2:]");
  EXPECT_EQ(expr_text("a[1]::text"), "CAST(a[1] AS text)");
  EXPECT_EQ(expr_text("x = ANY(a)"), "(x = ANY (a))");
  EXPECT_EQ(expr_text("x <> ALL('{1}')"), "(x <> ALL ('{1}'))");
  EXPECT_EQ(expr_text("x < SOME(ARRAY[1])"), "(x < ANY (ARRAY[1]))");
  EXPECT_EQ(expr_text("ARRAY(SELECT 1)"), "ARRAY(SELECT 1)");
  EXPECT_EQ(expr_text("x = ANY(SELECT 1)"), "(x = ANY (SELECT 1))");
}

TEST(ParserTest, UnaryMinusBindsTighterThanExponent) {
  // PostgreSQL: -2 ^ 2 = 4.
  EXPECT_EQ(expr_text("-2 ^ 2"), "(-2 ^ 2)");
  EXPECT_EQ(expr_text("-a ^ 2"), "((-a) ^ 2)");
  EXPECT_EQ(expr_text("- - 3"), "3");
  EXPECT_EQ(expr_text("+a"), "(+a)");
  EXPECT_EQ(expr_text("-a::int"), "(-CAST(a AS integer))");
}

TEST(ParserTest, NegativeLiteralsAreFolded) {
  auto statement = parse_one("SELECT -2147483648, -9223372036854775808, 9223372036854775808, -1.5");
  const auto& targets = select_of(statement).targets;
  const auto& a = targets[0].expr->as<ConstantExpr>();
  EXPECT_EQ(a.constant_kind, ConstantKind::kInteger);
  EXPECT_EQ(a.int_value, -2147483648LL);
  EXPECT_EQ(a.location, 7);
  const auto& b = targets[1].expr->as<ConstantExpr>();
  EXPECT_EQ(b.constant_kind, ConstantKind::kInteger);
  EXPECT_EQ(b.int_value, INT64_MIN);
  const auto& c = targets[2].expr->as<ConstantExpr>();
  EXPECT_EQ(c.constant_kind, ConstantKind::kNumeric);
  EXPECT_EQ(c.text, "9223372036854775808");
  const auto& d = targets[3].expr->as<ConstantExpr>();
  EXPECT_EQ(d.constant_kind, ConstantKind::kNumeric);
  EXPECT_EQ(d.text, "-1.5");
}

TEST(ParserTest, BooleanPrecedence) {
  EXPECT_EQ(expr_text("a OR b AND NOT c"), "(a OR (b AND (NOT c)))");
  EXPECT_EQ(expr_text("NOT a = b"), "(NOT (a = b))");
  EXPECT_EQ(expr_text("NOT a AND b"), "((NOT a) AND b)");
  EXPECT_EQ(expr_text("a = NOT b AND c"), "((a = (NOT b)) AND c)");
  EXPECT_EQ(expr_text("a AND b OR c AND d"), "((a AND b) OR (c AND d))");
  EXPECT_EQ(expr_text("NOT NOT a"), "(NOT (NOT a))");
}

TEST(ParserTest, ComparisonAndIsPrecedence) {
  EXPECT_EQ(expr_text("a + 1 < b * 2"), "((a + 1) < (b * 2))");
  EXPECT_EQ(expr_text("a = b IS NULL"), "((a = b) IS NULL)");
  EXPECT_EQ(expr_text("a IS NULL = b"), "((a IS NULL) = b)");
  EXPECT_EQ(expr_text("a IS NOT NULL AND b ISNULL OR c NOTNULL"),
            "(((a IS NOT NULL) AND (b IS NULL)) OR (c IS NOT NULL))");
  EXPECT_EQ(expr_text("a IS TRUE"), "(a IS TRUE)");
  EXPECT_EQ(expr_text("a IS NOT FALSE"), "(a IS NOT FALSE)");
  EXPECT_EQ(expr_text("a IS UNKNOWN"), "(a IS UNKNOWN)");
  EXPECT_EQ(expr_text("a IS DISTINCT FROM b + 1"), "(a IS DISTINCT FROM (b + 1))");
  EXPECT_EQ(expr_text("a IS NOT DISTINCT FROM b"), "(a IS NOT DISTINCT FROM b)");
  EXPECT_EQ(expr_text("a != b"), "(a <> b)");
  EXPECT_EQ(expr_text("NULL IS NULL IS NULL"), "((NULL IS NULL) IS NULL)");
}

TEST(ParserTest, TypeCasts) {
  EXPECT_EQ(expr_text("a::int + 1"), "(CAST(a AS integer) + 1)");
  EXPECT_EQ(expr_text("a::text::varchar(10)"), "CAST(CAST(a AS text) AS varchar(10))");
  EXPECT_EQ(expr_text("CAST(a AS numeric(10,2))"), "CAST(a AS numeric(10,2))");
  EXPECT_EQ(expr_text("CAST(a AS double precision)"), "CAST(a AS double precision)");
  EXPECT_EQ(expr_text("a::int8"), "CAST(a AS bigint)");
  EXPECT_EQ(expr_text("a::int2"), "CAST(a AS smallint)");
  EXPECT_EQ(expr_text("a::float4"), "CAST(a AS real)");
  EXPECT_EQ(expr_text("a::float8"), "CAST(a AS double precision)");
  EXPECT_EQ(expr_text("CAST(a AS float(10))"), "CAST(a AS real)");
  EXPECT_EQ(expr_text("CAST(a AS float)"), "CAST(a AS double precision)");
  EXPECT_EQ(expr_text("a::decimal"), "CAST(a AS numeric)");
  EXPECT_EQ(expr_text("a::bool"), "CAST(a AS boolean)");
  EXPECT_EQ(expr_text("CAST(a AS character varying(5))"), "CAST(a AS varchar(5))");
  EXPECT_EQ(expr_text("CAST(a AS character)"), "CAST(a AS char(1))");
  EXPECT_EQ(expr_text("a::bpchar"), "CAST(a AS char)");
  EXPECT_EQ(expr_text("CAST(a AS timestamp with time zone)"), "CAST(a AS timestamptz)");
  EXPECT_EQ(expr_text("CAST(a AS timestamp(3) without time zone)"), "CAST(a AS timestamp(3))");
  EXPECT_EQ(expr_text("a::pg_catalog.int4"), "CAST(a AS integer)");
  EXPECT_EQ(expr_text("a::int[]"), "CAST(a AS integer[])");
  EXPECT_EQ(expr_text("a::mytype"), "CAST(a AS mytype)");
}

TEST(ParserTest, TypedLiterals) {
  EXPECT_EQ(expr_text("date '2020-01-01'"), "CAST('2020-01-01' AS date)");
  EXPECT_EQ(expr_text("timestamp '2020-01-01 10:00'"), "CAST('2020-01-01 10:00' AS timestamp)");
  EXPECT_EQ(expr_text("interval '90' day"), "CAST('90' AS interval day)");
  EXPECT_EQ(expr_text("interval '1 day 2 hours'"), "CAST('1 day 2 hours' AS interval)");
  EXPECT_EQ(expr_text("int '42'"), "CAST('42' AS integer)");
  EXPECT_EQ(expr_text("double precision '1.5'"), "CAST('1.5' AS double precision)");
  EXPECT_EQ(expr_text("text 'x'"), "CAST('x' AS text)");
  EXPECT_EQ(expr_text("date '2020-01-01' - interval '3' month"),
            "(CAST('2020-01-01' AS date) - CAST('3' AS interval month))");
}

TEST(ParserTest, UnreservedAndColumnNameKeywordsAsIdentifiers) {
  EXPECT_EQ(query_text("SELECT key, name, type, text, date, value, timestamp, int FROM t"),
            "SELECT key, name, type, text, date, value, timestamp, int FROM t");
  EXPECT_EQ(query_text("SELECT t.date FROM t"), "SELECT t.date FROM t");
}

TEST(ParserTest, QuotedIdentifiers) {
  auto statement = parse_one("SELECT \"Mixed Case\", \"select\".\"From\" FROM \"T\" \"Alias\"");
  const auto& select = select_of(statement);
  EXPECT_EQ(select.targets[0].expr->as<ColumnRefExpr>().fields,
            (std::vector<std::string>{"Mixed Case"}));
  EXPECT_EQ(select.targets[1].expr->as<ColumnRefExpr>().fields,
            (std::vector<std::string>{"select", "From"}));
  const auto& table = select.from[0]->as<BaseTableRef>();
  EXPECT_EQ(table.name, (std::vector<std::string>{"T"}));
  EXPECT_EQ(table.alias->name, "Alias");
}

TEST(ParserTest, Constants) {
  auto statement = parse_one("SELECT 42, 1.5, 'it''s', E'a\\tb', TRUE, false, NULL, $2");
  const auto& targets = select_of(statement).targets;
  EXPECT_EQ(targets[0].expr->as<ConstantExpr>().int_value, 42);
  EXPECT_EQ(targets[1].expr->as<ConstantExpr>().text, "1.5");
  EXPECT_EQ(targets[2].expr->as<ConstantExpr>().text, "it's");
  EXPECT_EQ(targets[3].expr->as<ConstantExpr>().text, "a\tb");
  EXPECT_TRUE(targets[4].expr->as<ConstantExpr>().bool_value);
  EXPECT_EQ(targets[5].expr->as<ConstantExpr>().constant_kind, ConstantKind::kBoolean);
  EXPECT_FALSE(targets[5].expr->as<ConstantExpr>().bool_value);
  EXPECT_EQ(targets[6].expr->as<ConstantExpr>().constant_kind, ConstantKind::kNull);
  EXPECT_EQ(targets[7].expr->as<ParameterExpr>().index, 2);
}

TEST(ParserTest, BetweenInLike) {
  EXPECT_EQ(expr_text("x BETWEEN 1 AND 2 AND y"), "((x BETWEEN 1 AND 2) AND y)");
  EXPECT_EQ(expr_text("d NOT BETWEEN 110 AND 150"), "(d NOT BETWEEN 110 AND 150)");
  EXPECT_EQ(expr_text("d BETWEEN SYMMETRIC a + 1 AND b * 2"),
            "(d BETWEEN SYMMETRIC (a + 1) AND (b * 2))");
  EXPECT_EQ(expr_text("a IN (1,2,3)"), "(a IN (1, 2, 3))");
  EXPECT_EQ(expr_text("a NOT IN (1, b + 1)"), "(a NOT IN (1, (b + 1)))");
  EXPECT_EQ(expr_text("a + 1 IN (2) = TRUE"), "(((a + 1) IN (2)) = TRUE)");
  EXPECT_EQ(expr_text("a LIKE 'x%'"), "(a LIKE 'x%')");
  EXPECT_EQ(expr_text("a NOT ILIKE 'x%' ESCAPE '!'"), "(a NOT ILIKE 'x%' ESCAPE '!')");
  EXPECT_EQ(expr_text("a SIMILAR TO 'x'"), "(a SIMILAR TO 'x')");
  EXPECT_EQ(expr_text("a || 'x' LIKE b AND c"), "(((a || 'x') LIKE b) AND c)");
}

TEST(ParserTest, Subqueries) {
  EXPECT_EQ(expr_text("x NOT IN (SELECT y FROM t)"), "(NOT (x IN (SELECT y FROM t)))");
  EXPECT_EQ(expr_text("x IN (SELECT y FROM t)"), "(x IN (SELECT y FROM t))");
  EXPECT_EQ(expr_text("x = ANY (SELECT y FROM t)"), "(x = ANY (SELECT y FROM t))");
  EXPECT_EQ(expr_text("x < ALL (SELECT y FROM t)"), "(x < ALL (SELECT y FROM t))");
  EXPECT_EQ(expr_text("x > SOME (SELECT y FROM t)"), "(x > ANY (SELECT y FROM t))");
  EXPECT_EQ(expr_text("EXISTS (SELECT 1)"), "EXISTS (SELECT 1)");
  EXPECT_EQ(expr_text("NOT EXISTS (SELECT 1)"), "(NOT EXISTS (SELECT 1))");
  EXPECT_EQ(expr_text("(SELECT 1) + 1"), "((SELECT 1) + 1)");
  EXPECT_EQ(expr_text("((SELECT 1) + 1)"), "((SELECT 1) + 1)");
  EXPECT_EQ(expr_text("((SELECT 1))"), "(SELECT 1)");
  EXPECT_EQ(expr_text("((SELECT 1) UNION SELECT 2)"), "((SELECT 1) UNION (SELECT 2))");
}

TEST(ParserTest, CorrelatedSubqueries) {
  auto statement = parse_one(
      "SELECT (SELECT count(*) FROM t1 AS x WHERE x.b<t1.b) FROM t1 "
      "WHERE EXISTS(SELECT 1 FROM t1 AS x WHERE x.b<t1.b)");
  const auto& select = select_of(statement);
  const auto& scalar = select.targets[0].expr->as<SubLinkExpr>();
  EXPECT_EQ(scalar.sublink_kind, SubLinkKind::kScalar);
  EXPECT_EQ(scalar.location, 7);
  const auto& inner = *scalar.subquery;
  EXPECT_TRUE(inner.targets[0].expr->as<FuncCallExpr>().star);
  EXPECT_EQ(inner.from[0]->as<BaseTableRef>().alias->name, "x");
  EXPECT_EQ(expr_to_string(*inner.where), "(x.b < t1.b)");
  EXPECT_EQ(select.where->as<SubLinkExpr>().sublink_kind, SubLinkKind::kExists);
}

TEST(ParserTest, CaseExpressions) {
  EXPECT_EQ(expr_text("CASE a+1 WHEN b THEN 111 ELSE 555 END"),
            "CASE (a + 1) WHEN b THEN 111 ELSE 555 END");
  EXPECT_EQ(expr_text("CASE WHEN a > 0 THEN 'p' WHEN a < 0 THEN 'n' END"),
            "CASE WHEN (a > 0) THEN 'p' WHEN (a < 0) THEN 'n' END");
}

TEST(ParserTest, FunctionCalls) {
  EXPECT_EQ(expr_text("count(*)"), "count(*)");
  EXPECT_EQ(expr_text("count(DISTINCT a)"), "count(DISTINCT a)");
  EXPECT_EQ(expr_text("pg_catalog.now()"), "pg_catalog.now()");
  EXPECT_EQ(expr_text("string_agg(a, ',' ORDER BY b DESC)"), "string_agg(a, ',' ORDER BY b DESC)");
  EXPECT_EQ(expr_text("sum(a) FILTER (WHERE a > 0)"), "sum(a) FILTER (WHERE (a > 0))");
  EXPECT_EQ(expr_text("percentile_cont(0.5) WITHIN GROUP (ORDER BY a)"),
            "percentile_cont(0.5) WITHIN GROUP (ORDER BY a)");
  EXPECT_EQ(expr_text("left(s, 2)"), "left(s, 2)");
  EXPECT_EQ(expr_text("coalesce(a, b, 0)"), "coalesce(a, b, 0)");
  EXPECT_EQ(expr_text("nullif(a, 0)"), "nullif(a, 0)");
  EXPECT_EQ(expr_text("greatest(a, b)"), "greatest(a, b)");
  EXPECT_EQ(expr_text("EXTRACT(YEAR FROM d)"), "extract('year', d)");
  EXPECT_EQ(expr_text("SUBSTRING(s FROM 2 FOR 3)"), "substring(s, 2, 3)");
  EXPECT_EQ(expr_text("SUBSTRING(s FOR 3)"), "substring(s, 1, 3)");
  EXPECT_EQ(expr_text("substring(s, 2)"), "substring(s, 2)");
  EXPECT_EQ(expr_text("POSITION('b' IN s)"), "position(s, 'b')");
  EXPECT_EQ(expr_text("TRIM(s)"), "btrim(s)");
  EXPECT_EQ(expr_text("TRIM(LEADING 'x' FROM s)"), "ltrim(s, 'x')");
  EXPECT_EQ(expr_text("TRIM(TRAILING FROM s)"), "rtrim(s)");
  EXPECT_EQ(expr_text("OVERLAY(s PLACING 'x' FROM 2 FOR 1)"), "overlay(s, 'x', 2, 1)");
  EXPECT_EQ(expr_text("CURRENT_DATE"), "current_date");
  EXPECT_EQ(expr_text("CURRENT_TIMESTAMP(3)"), "current_timestamp(3)");
  EXPECT_EQ(expr_text("a AT TIME ZONE 'UTC'"), "timezone('UTC', a)");
  EXPECT_EQ(expr_text("ROW(1, 2)"), "ROW(1, 2)");
  EXPECT_EQ(expr_text("(1, 2)"), "ROW(1, 2)");
}

TEST(ParserTest, WindowFunctions) {
  EXPECT_EQ(expr_text("row_number() OVER (PARTITION BY a ORDER BY b DESC NULLS LAST)"),
            "row_number() OVER (PARTITION BY a ORDER BY b DESC NULLS LAST)");
  EXPECT_EQ(expr_text("sum(x) OVER (ORDER BY t ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)"),
            "sum(x) OVER (ORDER BY t ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)");
  EXPECT_EQ(expr_text("sum(x) OVER (RANGE UNBOUNDED PRECEDING)"),
            "sum(x) OVER (RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)");
  EXPECT_EQ(expr_text("sum(x) OVER w"), "sum(x) OVER w");
  auto statement = parse_one("SELECT sum(x) OVER w FROM t WINDOW w AS (PARTITION BY y)");
  const auto& select = select_of(statement);
  ASSERT_EQ(select.windows.size(), 1u);
  EXPECT_EQ(select.windows[0].name, "w");
  EXPECT_EQ(select.windows[0].partition_by.size(), 1u);
}

TEST(ParserTest, SelectWithEveryClause) {
  auto statement = parse_one(
      "WITH c (k) AS (SELECT 1) SELECT DISTINCT a AS x, b y, t.*, * FROM t, u AS v (p, q) "
      "WHERE a > 1 GROUP BY a, b HAVING count(*) > 1 ORDER BY 1 DESC, b NULLS FIRST "
      "LIMIT 10 OFFSET 5");
  const auto& select = select_of(statement);
  ASSERT_TRUE(select.with);
  EXPECT_EQ(select.with->ctes[0].name, "c");
  EXPECT_EQ(select.with->ctes[0].column_aliases, (std::vector<std::string>{"k"}));
  EXPECT_FALSE(select.with->recursive);
  EXPECT_TRUE(select.distinct);
  ASSERT_EQ(select.targets.size(), 4u);
  EXPECT_EQ(select.targets[0].alias, "x");
  EXPECT_EQ(select.targets[1].alias, "y");
  EXPECT_EQ(select.targets[2].expr->as<StarExpr>().qualifier, (std::vector<std::string>{"t"}));
  EXPECT_TRUE(select.targets[3].expr->as<StarExpr>().qualifier.empty());
  ASSERT_EQ(select.from.size(), 2u);
  const auto& v = select.from[1]->as<BaseTableRef>();
  EXPECT_EQ(v.alias->name, "v");
  EXPECT_EQ(v.alias->columns, (std::vector<std::string>{"p", "q"}));
  EXPECT_EQ(expr_to_string(*select.where), "(a > 1)");
  EXPECT_EQ(select.group_by.size(), 2u);
  EXPECT_EQ(expr_to_string(*select.having), "(count(*) > 1)");
  ASSERT_EQ(select.order_by.size(), 2u);
  EXPECT_EQ(select.order_by[0].direction, SortDirection::kDesc);
  EXPECT_EQ(select.order_by[0].nulls, NullsOrder::kDefault);
  EXPECT_EQ(select.order_by[1].direction, SortDirection::kDefault);
  EXPECT_EQ(select.order_by[1].nulls, NullsOrder::kFirst);
  EXPECT_EQ(select.limit->as<ConstantExpr>().int_value, 10);
  EXPECT_EQ(select.offset->as<ConstantExpr>().int_value, 5);
}

TEST(ParserTest, DistinctOnAndLimitForms) {
  auto statement = parse_one("SELECT DISTINCT ON (a, b) a FROM t OFFSET 2 ROWS FETCH FIRST 3 ROWS ONLY");
  const auto& select = select_of(statement);
  EXPECT_TRUE(select.distinct);
  EXPECT_EQ(select.distinct_on.size(), 2u);
  EXPECT_EQ(select.limit->as<ConstantExpr>().int_value, 3);
  EXPECT_EQ(select.offset->as<ConstantExpr>().int_value, 2);
  auto all = parse_one("SELECT 1 LIMIT ALL");
  EXPECT_EQ(select_of(all).limit, nullptr);
  auto fetch = parse_one("SELECT 1 FETCH NEXT ROW ONLY");
  EXPECT_EQ(select_of(fetch).limit->as<ConstantExpr>().int_value, 1);
  EXPECT_FALSE(select_of(fetch).limit_with_ties);
  auto ties = parse_one("SELECT a FROM t ORDER BY a OFFSET 1 ROW FETCH FIRST 2 ROWS WITH TIES");
  EXPECT_TRUE(select_of(ties).limit_with_ties);
  EXPECT_EQ(select_of(ties).limit->as<ConstantExpr>().int_value, 2);
  EXPECT_EQ(query_text("SELECT a FROM t ORDER BY a FETCH NEXT ROW WITH TIES"),
            "SELECT a FROM t ORDER BY a FETCH FIRST (1) ROWS WITH TIES");
  EXPECT_THROW(parse_one("SELECT a FROM t FETCH FIRST 2 ROWS WITH TIES"), SqlError);
}

TEST(ParserTest, EmptyTargetList) {
  EXPECT_EQ(query_text("SELECT FROM t"), "SELECT  FROM t");
  EXPECT_EQ(query_text("SELECT"), "SELECT ");
}

TEST(ParserTest, KeywordAliases) {
  auto statement = parse_one("SELECT 1 AS from, 2 AS \"Select\", 3 value, 4 AS year");
  const auto& targets = select_of(statement).targets;
  EXPECT_EQ(targets[0].alias, "from");
  EXPECT_EQ(targets[1].alias, "Select");
  EXPECT_EQ(targets[2].alias, "value");
  EXPECT_EQ(targets[3].alias, "year");
}

TEST(ParserTest, ValuesQuery) {
  auto statement = parse_one("VALUES (1, 'a'), (2, 'b') ORDER BY 1");
  const auto& select = select_of(statement);
  EXPECT_EQ(select.select_kind, SelectKind::kValues);
  ASSERT_EQ(select.values_lists.size(), 2u);
  EXPECT_EQ(select.values_lists[1].size(), 2u);
  EXPECT_EQ(select.order_by.size(), 1u);
}

TEST(ParserTest, TableQuery) { EXPECT_EQ(query_text("TABLE s.t"), "SELECT * FROM s.t"); }

TEST(ParserTest, SetOperations) {
  EXPECT_EQ(query_text("SELECT 1 UNION SELECT 2 INTERSECT SELECT 3"),
            "(SELECT 1) UNION ((SELECT 2) INTERSECT (SELECT 3))");
  EXPECT_EQ(query_text("SELECT 1 UNION ALL SELECT 2 EXCEPT SELECT 3"),
            "((SELECT 1) UNION ALL (SELECT 2)) EXCEPT (SELECT 3)");
  EXPECT_EQ(query_text("(SELECT 1 ORDER BY 1 LIMIT 1) UNION (SELECT 2) ORDER BY 1"),
            "(SELECT 1 ORDER BY 1 LIMIT 1) UNION (SELECT 2) ORDER BY 1");
  auto statement = parse_one("SELECT a FROM t UNION DISTINCT SELECT b FROM u ORDER BY 1 LIMIT 3");
  const auto& select = select_of(statement);
  EXPECT_EQ(select.select_kind, SelectKind::kSetOp);
  EXPECT_EQ(select.set_op, SetOpKind::kUnion);
  EXPECT_FALSE(select.set_all);
  EXPECT_EQ(select.order_by.size(), 1u);
  EXPECT_TRUE(select.limit);
  EXPECT_TRUE(select.larg->order_by.empty());
  // A parenthesized query accepts the outer LIMIT.
  EXPECT_EQ(query_text("(SELECT 1 ORDER BY 1) LIMIT 2"), "SELECT 1 ORDER BY 1 LIMIT 2");
}

TEST(ParserTest, Joins) {
  EXPECT_EQ(query_text("SELECT * FROM a JOIN b ON a.x = b.x LEFT JOIN c USING (y)"),
            "SELECT * FROM ((a JOIN b ON (a.x = b.x)) LEFT JOIN c USING (y))");
  EXPECT_EQ(query_text("SELECT * FROM a CROSS JOIN b LEFT OUTER JOIN c ON a.x = c.x"),
            "SELECT * FROM ((a CROSS JOIN b) LEFT JOIN c ON (a.x = c.x))");
  EXPECT_EQ(query_text("SELECT * FROM a JOIN b JOIN c ON p ON q"),
            "SELECT * FROM (a JOIN (b JOIN c ON p) ON q)");
  EXPECT_EQ(query_text("SELECT * FROM a NATURAL FULL JOIN b, c RIGHT JOIN d ON TRUE"),
            "SELECT * FROM (a NATURAL FULL JOIN b), (c RIGHT JOIN d ON TRUE)");
  EXPECT_EQ(query_text("SELECT * FROM (a INNER JOIN b ON p) AS j"),
            "SELECT * FROM (a JOIN b ON p) AS j");
  auto statement = parse_one("SELECT * FROM a NATURAL JOIN b");
  const auto& join = select_of(statement).from[0]->as<JoinRef>();
  EXPECT_TRUE(join.natural);
  EXPECT_EQ(join.join_type, JoinType::kInner);
  EXPECT_EQ(join.on, nullptr);
}

TEST(ParserTest, SubqueriesAndFunctionsInFrom) {
  EXPECT_EQ(query_text("SELECT * FROM (SELECT 1) AS s (x), LATERAL (SELECT 2) l"),
            "SELECT * FROM (SELECT 1) AS s(x), LATERAL (SELECT 2) AS l");
  EXPECT_EQ(query_text("SELECT * FROM ((SELECT 1) UNION (SELECT 2)) u"),
            "SELECT * FROM ((SELECT 1) UNION (SELECT 2)) AS u");
  EXPECT_EQ(query_text("SELECT * FROM (VALUES (1), (2)) v (x)"),
            "SELECT * FROM (VALUES (1), (2)) AS v(x)");
  EXPECT_EQ(query_text("SELECT * FROM generate_series(1, 3) AS g (i)"),
            "SELECT * FROM generate_series(1, 3) AS g(i)");
  EXPECT_EQ(query_text("SELECT * FROM ((SELECT 1) s JOIN t ON TRUE)"),
            "SELECT * FROM ((SELECT 1) AS s JOIN t ON TRUE)");
}

TEST(ParserTest, GroupingSets) {
  EXPECT_EQ(query_text("SELECT a FROM t GROUP BY ROLLUP (a, (b, c)), CUBE (d), GROUPING SETS ((a), ())"),
            "SELECT a FROM t GROUP BY ROLLUP(a, ROW(b, c)), CUBE(d), GROUPING SETS(a, ())");
  EXPECT_EQ(query_text("SELECT a FROM t GROUP BY DISTINCT ROLLUP (a), ()"), "SELECT a FROM t GROUP BY DISTINCT ROLLUP(a), ()");
}

TEST(ParserTest, WithRecursive) {
  auto statement = parse_one(
      "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT * FROM r");
  const auto& select = select_of(statement);
  ASSERT_TRUE(select.with);
  EXPECT_TRUE(select.with->recursive);
  EXPECT_EQ(select.with->ctes[0].query->select_kind, SelectKind::kSetOp);
}

TEST(ParserTest, ExpressionLocations) {
  auto statement = parse_one("SELECT a + b, f(x) FROM t WHERE y IS NULL");
  const auto& select = select_of(statement);
  const auto& plus = select.targets[0].expr->as<BinaryOpExpr>();
  EXPECT_EQ(plus.location, 9);
  EXPECT_EQ(plus.left->location, 7);
  EXPECT_EQ(plus.right->location, 11);
  EXPECT_EQ(select.targets[1].expr->location, 14);
  EXPECT_EQ(select.from[0]->location, 24);
  EXPECT_EQ(select.where->location, 34);
}

TEST(ParserTest, MultiStatementSplittingAndText) {
  auto statements = parse_sql("  SELECT 1 ;\n-- c\n SELECT 'a;b' /* ; */ ; ; SELECT 3");
  ASSERT_EQ(statements.size(), 3u);
  EXPECT_EQ(statements[0]->text, "SELECT 1");
  EXPECT_EQ(statements[0]->location, 2);
  EXPECT_EQ(statements[1]->text, "SELECT 'a;b'");
  EXPECT_EQ(statements[2]->text, "SELECT 3");
  EXPECT_TRUE(parse_sql("").empty());
  EXPECT_TRUE(parse_sql("  ;; -- nothing\n /* x */ ").empty());
}

}  // namespace
}  // namespace tessera::planner
