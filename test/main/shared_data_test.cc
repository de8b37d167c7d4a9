// Stored data is never written through the vectors a scan hands out: every expression, cast,
// aggregate and insert runs over scan output that references storage segments, and the table
// must read back unchanged afterwards.

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "catalog/function_registry.h"
#include "src/common/sql_error.h"
#include "src/main/database.h"
#include "src/main/session.h"

namespace tessera {
namespace {

class RowCollector : public ResultReceiver {
 public:
  void on_columns(const std::vector<ResultColumn>&) override {}
  void on_chunk(const DataChunk& chunk) override {
    for (size_t r = 0; r < chunk.size(); r++) {
      std::string row;
      for (size_t c = 0; c < chunk.column_count(); c++) {
        if (c) row += "|";
        row += chunk.get_value(c, r).to_string();
      }
      rows.push_back(std::move(row));
    }
  }
  void on_complete(std::string_view) override {}
  void on_empty_query() override {}
  void on_error(const SqlError& error) override {
    errors.push_back(error.message());
    codes.emplace_back(sqlstate_code(error.state()));
  }

  std::vector<std::string> rows, errors, codes;
};

class SharedDataTest : public ::testing::Test {
 protected:
  SharedDataTest() {
    pgwire::StartupParameters params;
    params.user = "tessera";
    params.database = "tessera";
    session_ = db_.open_session(params);
  }

  RowCollector run(const std::string& sql) {
    RowCollector c;
    session_->execute_simple(sql, c);
    return c;
  }
  void run_ok(const std::string& sql) {
    auto c = run(sql);
    ASSERT_TRUE(c.errors.empty()) << sql << ": " << c.errors.front();
  }
  /// Every row of `table`, sorted, so that two reads compare as multisets.
  std::vector<std::string> contents(const std::string& table) {
    auto c = run("SELECT * FROM " + table);
    EXPECT_TRUE(c.errors.empty()) << table;
    std::sort(c.rows.begin(), c.rows.end());
    return c.rows;
  }

  /// Fails with the first row where `actual` differs from `expected`.
  static void expect_same_rows(const std::vector<std::string>& actual, const std::vector<std::string>& expected,
                               const std::string& what) {
    EXPECT_EQ(actual.size(), expected.size()) << what;
    auto diff = std::mismatch(actual.begin(), actual.end(), expected.begin(), expected.end());
    if (diff.first != actual.end() && diff.second != expected.end()) {
      ADD_FAILURE() << what << ": row " << *diff.first << " where " << *diff.second << " was stored";
    }
  }

  Database db_{DatabaseConfig{"./unused", 2}};
  std::unique_ptr<pgwire::BackendSession> session_;
};

// Storing a varchar(n) value cut to n characters (only spaces beyond the limit) must write into
// the insert's own copy of the column, not into the source table's segment.
TEST_F(SharedDataTest, VarcharAssignmentDoesNotRewriteTheSourceTable) {
  run_ok("CREATE TABLE a(s text)");
  run_ok("INSERT INTO a VALUES ('ab   ')");
  for (int i = 0; i < 12; i++) run_ok("INSERT INTO a SELECT s FROM a");  // 4096 rows: two sealed segments
  run_ok("CREATE TABLE b(s varchar(2))");
  EXPECT_EQ(run("SELECT count(*) FROM a WHERE s = 'ab   '").rows, std::vector<std::string>{"4096"});
  run_ok("INSERT INTO b SELECT s FROM a");
  EXPECT_EQ(run("SELECT count(*) FROM a WHERE s = 'ab   '").rows, std::vector<std::string>{"4096"});
  EXPECT_EQ(run("SELECT count(*), min(s), max(s) FROM b").rows, std::vector<std::string>{"4096|ab|ab"});
}

/// The column of table `src` (below) holding `type`, for calls generated from the registry.
std::string column_of_type(const LogicalType& type) {
  switch (type.id()) {
    case LogicalTypeId::kBoolean: return "b";
    case LogicalTypeId::kSmallint: return "s";
    case LogicalTypeId::kInteger: return "i";
    case LogicalTypeId::kBigint: return "l";
    case LogicalTypeId::kDouble: return "d";
    case LogicalTypeId::kVarchar: return "t";
    case LogicalTypeId::kDate: return "dt";
    case LogicalTypeId::kTime: return "tm";
    case LogicalTypeId::kTimestamp: return "ts";
    case LogicalTypeId::kTimestampTz: return "tz";
    case LogicalTypeId::kInterval: return "iv";
    // Types src has no column of: a value computed from its columns.
    case LogicalTypeId::kChar: return "CAST(v AS char(8))";
    case LogicalTypeId::kBytea: return "CAST(t AS bytea)";
    case LogicalTypeId::kUuid: return "CAST(md5(t) AS uuid)";
    default: return "i";
  }
}

/// A call of `f` over columns of `src`, in the SQL form that reaches this overload.
std::string call_of(const catalog::ScalarFunction& f) {
  std::vector<std::string> args;
  for (size_t k = 0; k < f.params.size(); k++) {
    const catalog::ParamType& p = f.params[k];
    // Polymorphic parameters: the same column everywhere, so anycompatible/anynonarray agree;
    // a second argument of a two-argument text function gets the other text column.
    const bool array_param = p.kind == catalog::ParamKind::kAnyArray || p.kind == catalog::ParamKind::kAnyArrayExact;
    std::string column = array_param ? "ARRAY[v]" : p.is_polymorphic() ? "v" : column_of_type(p.type);
    if (column == "t" && k > 0) column = "v";
    args.push_back(column);
  }
  if (f.variadic && !args.empty()) args.push_back(args.back());
  // position(haystack, needle) is written position(needle IN haystack).
  if (f.kind == catalog::FunctionKind::kFunction && f.name == "position" && args.size() == 2) {
    return "position(" + args[1] + " IN " + args[0] + ")";
  }
  // SQL's syntax forms: EXTRACT(field FROM x) and the precision of CURRENT_TIMESTAMP(p), which
  // the grammar takes as a literal only.
  if (f.name == "extract" && args.size() == 2) return "extract(epoch FROM " + args[1] + ")";
  if ((f.name == "current_timestamp" || f.name == "localtimestamp" || f.name == "localtime") && args.size() == 1) {
    return f.name + "(3)";
  }
  if (f.kind != catalog::FunctionKind::kOperator) {
    std::string call = f.name + "(";
    for (size_t k = 0; k < args.size(); k++) call += (k ? ", " : "") + args[k];
    return call + ")";
  }
  static const std::map<std::string, std::string> sql_forms = {
      {"~~", "LIKE"}, {"!~~", "NOT LIKE"}, {"~~*", "ILIKE"}, {"!~~*", "NOT ILIKE"}};
  auto form = sql_forms.find(f.name);
  const std::string op = form == sql_forms.end() ? f.name : form->second;
  // The array constructor, subscripts and x op ANY/ALL (array) have syntax of their own.
  if (op == "ARRAY[]") {
    std::string call = "ARRAY[";
    for (size_t k = 0; k < args.size(); k++) call += (k ? ", " : "") + args[k];
    return call + "]";
  }
  if (op == "[]") return "(" + args[0] + ")[" + args[1] + "]";
  if (op == "[:]") return "(" + args[0] + ")[" + args[1] + ":" + args[2] + "]";
  if (op.size() > 4 && (op.ends_with(" ANY") || op.ends_with(" ALL"))) {
    return "(" + args[0] + " " + op + " (" + args[1] + "))";
  }
  if (args.size() == 1) return "(" + op + " " + args[0] + ")";
  return "(" + args[0] + " " + op + " " + args[1] + ")";
}

// A table with a column of every type, NULLs included, spanning sealed segments and an open one.
// Every expression below reads the scan's vectors (which reference the segments); none may
// change what the table holds.
TEST_F(SharedDataTest, NoExpressionOrCastWritesIntoScannedStorage) {
  run_ok("CREATE TABLE src(b boolean, s smallint, i integer, l bigint, d double precision, "
         "t text, v varchar(8), dt date, tm time, ts timestamp, tz timestamptz, iv interval)");
  run_ok("INSERT INTO src VALUES (true, 1, 10, 100, 1.5, 'ab   ', 'x  ', '2024-02-29', '13:45', "
         "'2024-01-31 13:45:00.5', '2024-03-31 01:30+00', '1 day 02:00'), "
         "(false, -2, -20, -200, -2.25, 'a longer string value', 'yy', '0044-03-15 BC', '00:00', "
         "'-infinity', 'infinity', '-3 hours'), "
         "(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL), "
         "(true, 0, 0, 0, 0, '', '', 'infinity', '24:00', '2000-01-01', '1999-12-31 23:59:59.999999+00', '00:00'), "
         "(false, 7, 2147483647, 9223372036854775807, 1e300, '12', '3 ', '5874897-12-31', '23:59:59.999999', "
         "'294276-12-31 23:59:59', '4714-11-24 00:00+00 BC', '45 minutes')");
  for (int i = 0; i < 10; i++) {
    run_ok("INSERT INTO src SELECT NOT b, s + 1, i / 2 + 1, l / 3 - 1, d * 0.5, t || 'z', v, dt, "
           "tm + interval '1 minute', ts, tz, iv * 2 FROM src");
  }
  run_ok("INSERT INTO src VALUES (NULL, 5, 5, 5, 5, 'tail  ', 'tail  ', '2024-01-01', '12:00', "
         "'2024-01-01 12:00', '2024-01-01 12:00+00', '1 second')");  // the open segment
  const std::vector<std::string> before = contents("src");
  ASSERT_GT(before.size(), size_t{4096});

  const std::vector<std::string> expressions = {
      // arithmetic and comparison on every numeric type
      "s + s", "s - 1", "s * s", "s / NULLIF(s, 0)", "s % 3", "-s", "i + 1", "i - i", "i * 2",
      "i / NULLIF(i, 0)", "i % 7", "-i", "l + 1", "l * 2", "l / 3", "l % 5", "-l", "d + 1", "d * d",
      "d / 3", "-d", "d ^ 2", "s < i", "i = l", "l >= d", "d <> 1.5", "t = v", "t < v", "t >= 'a'",
      "b = true", "i IS DISTINCT FROM l", "t IS NOT DISTINCT FROM v",
      // logic and null tests
      "NOT b", "b AND i > 0", "b OR l < 0", "b IS TRUE", "b IS NOT FALSE", "b IS UNKNOWN",
      "i IS NULL", "t IS NOT NULL",
      // strings
      "t || v", "t || i", "lower(t)", "upper(v)", "length(t)", "char_length(v)", "t LIKE 'a%'",
      "v NOT LIKE '%y'", "t ILIKE 'A%'", "t NOT ILIKE '%Z'",
      // functions
      "abs(i)", "abs(d)", "round(d)", "floor(d)", "ceil(d)", "sqrt(abs(d))", "coalesce(t, v, 'none')",
      "coalesce(i, s)", "nullif(t, 'ab   ')", "nullif(s, 1)", "greatest(i, l, s)", "least(t, v)",
      "CASE WHEN b THEN t ELSE v END", "CASE i WHEN 10 THEN 'ten' ELSE t END",
      "i IN (1, 10, 20)", "t IN ('ab   ', 'yy')", "l BETWEEN -100 AND 100", "d NOT BETWEEN 0 AND 1",
      // casts between every pair of types
      "CAST(b AS integer)", "CAST(b AS text)", "CAST(s AS bigint)", "CAST(s AS double precision)",
      "CAST(s AS text)", "CAST(i AS smallint)", "CAST(i AS boolean)", "CAST(i AS varchar(2))",
      "CAST(l AS integer)", "CAST(l AS double precision)", "CAST(l AS text)", "CAST(d AS integer)",
      "CAST(d AS bigint)", "CAST(d AS text)", "CAST(t AS varchar(2))", "CAST(t AS integer)",
      "CAST(t AS boolean)", "CAST(v AS text)", "CAST(v AS char(1))", "CAST(v AS varchar(1))",
      "t::varchar(3)", "v::text::varchar(1)",
      // date/time conversions, arithmetic and text output
      "dt::timestamp", "dt::timestamptz", "ts::date", "ts::time", "tz::timestamp", "tz::date", "tm::interval",
      "iv::time", "dt::text", "tm::text", "ts::text", "tz::text", "iv::text", "t::date", "v::interval",
      "dt + 1", "dt - dt", "ts + iv", "tz - iv", "ts - ts", "iv * d", "dt < ts", "ts = tz", "iv > iv",
      "date_trunc('day', tz)", "extract(year from ts)", "greatest(iv, iv * 2)", "coalesce(ts, dt)",
  };
  for (const std::string& e : expressions) {
    // Errors (overflow, bad input, division by zero) are fine: the point is what they leave.
    run("SELECT " + e + " FROM src");
    run("SELECT " + e + " FROM src WHERE " + "i IS NOT NULL OR t IS NOT NULL");
  }
  // Every function and operator overload of the registry, and every aggregate, called over the
  // stored columns. A call may fail on the data (22xxx: overflow, division by zero, bad input),
  // but it must bind: a generated call that does not reach its function would test nothing.
  const catalog::FunctionRegistry& registry = db_.functions();
  size_t calls = 0;
  for (const catalog::ScalarFunction* f : registry.all_functions()) {
    std::string call = call_of(*f);
    auto c = run("SELECT " + call + " FROM src");
    if (f->params.empty() && !c.codes.empty() && c.codes[0] == "42601") {
      // SQL's special functions (current_user, session_user, ...) are written without parentheses.
      call = f->name;
      c = run("SELECT " + call + " FROM src");
    }
    if (!c.codes.empty()) {
      // Data errors (22xxx), limits the data reaches (54000: lpad or repeat to 2147483647
      // characters), and 0A000 for what the data asks of a feature not built (a regular
      // expression flag, a function returning an array).
      // A sequence function finds no sequence named by the data (42P01) or none used yet (55000).
      const bool expected = c.codes[0].substr(0, 2) == "22" || c.codes[0] == "54000" || c.codes[0] == "0A000" ||
                            c.codes[0] == "42P01" || c.codes[0] == "55000";
      EXPECT_TRUE(expected) << call << " (" << f->signature() << "): " << c.codes[0] << " " << c.errors[0];
    }
    calls++;
  }
  for (const catalog::AggregateFunction* a : registry.all_aggregates()) {
    std::string call = a->name + "(";
    if (a->ordered_set) {
      // f(direct) WITHIN GROUP (ORDER BY column): the direct arguments (fractions) are constants.
      for (size_t k = 0; k + 1 < a->params.size(); k++) call += (k ? ", " : "") + std::string("0.5");
      call += ") WITHIN GROUP (ORDER BY " + column_of_type(a->params.back().type) + ")";
    } else {
      for (size_t k = 0; k < a->params.size(); k++) {
        call += (k ? ", " : "") + (a->params[k].is_polymorphic() ? std::string("v") : column_of_type(a->params[k].type));
      }
      call += a->params.empty() ? "*)" : ")";
    }
    for (const std::string& q : {"SELECT " + call + " FROM src", "SELECT t, " + call + " FROM src GROUP BY t"}) {
      auto c = run(q);
      if (!c.codes.empty()) {
        EXPECT_EQ(c.codes[0].substr(0, 2), "22") << q << ": " << c.errors[0];
      }
    }
    calls++;
  }
  EXPECT_GT(calls, size_t{50});
  // Aggregates, grouping, sorting, joins and DISTINCT over the same vectors.
  for (const std::string& q : {
           std::string("SELECT t, count(*), min(v), max(d), sum(l), avg(i), bool_and(b) FROM src GROUP BY t"),
           std::string("SELECT DISTINCT v, s FROM src"),
           std::string("SELECT iv, count(*), min(dt), max(ts), min(tz), max(tm), sum(iv) FROM src GROUP BY iv"),
           std::string("SELECT * FROM src ORDER BY iv, tz DESC, dt LIMIT 10"),
           std::string("SELECT x.dt FROM src x JOIN src y ON x.iv = y.iv AND x.tz = y.tz WHERE x.ts < '2100-01-01'"),
           std::string("SELECT * FROM src ORDER BY t, v LIMIT 10"),
           std::string("SELECT * FROM src ORDER BY d DESC, i"),
           std::string("SELECT x.t, y.v FROM src x JOIN src y ON x.i = y.i WHERE x.s < 3"),
           std::string("SELECT x.t FROM src x LEFT JOIN (SELECT v FROM src WHERE s = 1) y ON x.t = y.v"),
           std::string("SELECT t FROM src WHERE v IN (SELECT t FROM src)"),
       }) {
    run(q);
  }
  // Inserts that check or cut values on their way into other tables.
  run_ok("CREATE TABLE sink(b boolean, s smallint, i integer, l bigint, d double precision, "
         "t varchar(2), v varchar(1) NOT NULL, dt date, tm time, ts timestamp, tz timestamptz, iv interval)");
  run("INSERT INTO sink SELECT * FROM src");
  run("INSERT INTO sink SELECT b, s, i, l, d, v, v, dt, tm, ts, tz, iv FROM src WHERE v IS NOT NULL");
  run_ok("CREATE TABLE copy AS SELECT * FROM src");
  run_ok("INSERT INTO src SELECT * FROM src WHERE false");

  expect_same_rows(contents("src"), before, "src after the expressions");
  expect_same_rows(contents("copy"), before, "CREATE TABLE AS copy");
}

}  // namespace
}  // namespace tessera
