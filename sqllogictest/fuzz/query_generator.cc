#include "sqllogictest/fuzz/query_generator.h"

#include <algorithm>

namespace tessera::fuzz {

namespace {

const std::vector<TableDef>& tables() {
  static const std::vector<TableDef> defs = {
      {"t1",
       {{"a", SqlType::kInt},
        {"b", SqlType::kInt},
        {"c", SqlType::kBigint},
        {"d", SqlType::kDouble},
        {"e", SqlType::kText},
        {"f", SqlType::kBool}}},
      {"t2", {{"a", SqlType::kInt}, {"b", SqlType::kText}, {"c", SqlType::kInt}}},
      {"t3", {{"a", SqlType::kInt}, {"b", SqlType::kInt}}},
      {"t4",
       {{"a", SqlType::kInt},
        {"n", SqlType::kNumeric},
        {"ch", SqlType::kChar},
        {"by", SqlType::kBytea},
        {"u", SqlType::kUuid},
        {"arr", SqlType::kIntArray}}},
  };
  return defs;
}

/// The indexed tables: read only by index_query(), which keeps the other sides small.
struct IndexedTable {
  TableDef def;
  /// The columns of each index, in key order.
  std::vector<std::vector<size_t>> keys;
};

const std::vector<IndexedTable>& indexed_tables() {
  static const std::vector<IndexedTable> defs = {
      {{"k1", {{"id", SqlType::kInt}, {"v", SqlType::kText}, {"w", SqlType::kBigint}}}, {{0}}},
      // s is varchar(5).
      {{"k2", {{"a", SqlType::kInt}, {"s", SqlType::kText}, {"x", SqlType::kInt}}}, {{0, 1}}},
      {{"k3", {{"g", SqlType::kBigint}, {"ch", SqlType::kChar}, {"n", SqlType::kNumeric}}}, {{0}, {1}, {2}}},
  };
  return defs;
}

constexpr int kMaxDepth = 3;

}  // namespace

const char* type_name(SqlType type) {
  switch (type) {
    case SqlType::kInt: return "integer";
    case SqlType::kBigint: return "bigint";
    case SqlType::kDouble: return "double precision";
    case SqlType::kText: return "text";
    case SqlType::kBool: return "boolean";
    case SqlType::kNumeric: return "numeric";
    case SqlType::kChar: return "character(3)";
    case SqlType::kBytea: return "bytea";
    case SqlType::kUuid: return "uuid";
    case SqlType::kIntArray: return "integer[]";
  }
  return "text";
}

QueryGenerator::QueryGenerator(uint64_t seed) : rng_(seed) {}

std::vector<std::string> QueryGenerator::schema_sql() {
  return {
      "DROP TABLE IF EXISTS t1",
      "DROP TABLE IF EXISTS t2",
      "DROP TABLE IF EXISTS t3",
      "CREATE TABLE t1(a integer, b integer, c bigint, d double precision, e text, f boolean)",
      "INSERT INTO t1 VALUES (1, 2, 10, 1.5, 'abc', true), (2, 2, -5, -2.25, 'a', false), "
      "(3, NULL, 10, 0, '', NULL), (NULL, 7, NULL, 100.125, 'ABC', true), "
      "(5, -3, 9223372036854775807, NULL, NULL, false), (2, 0, -9223372036854775808, 1e10, 'abc ', true), "
      "(-1, 1, 3, 3.0, 'x_y%', false), (0, 100, 42, -0.5, 'b', NULL), (7, 7, 7, 7.75, 'abc', true), "
      "(2147483647, -2147483648, 0, 2.5, 'zz', false), (1, 2, 10, 1.5, 'abc', true), "
      "(NULL, NULL, NULL, NULL, NULL, NULL)",
      "CREATE TABLE t2(a integer, b text, c integer)",
      "INSERT INTO t2 VALUES (1, 'a', 1), (2, 'abc', NULL), (3, NULL, 3), (NULL, 'b', 2), (2, 'abc', 5), "
      "(10, '', 10), (1, 'A', -1), (7, 'x_y%', 7)",
      "CREATE TABLE t3(a integer, b integer)",
      "DROP TABLE IF EXISTS t4",
      "CREATE TABLE t4(a integer, n numeric(12,3), ch character(3), by bytea, u uuid, arr integer[])",
      "INSERT INTO t4 VALUES (1, 1.5, 'ab', '\\x0102', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{1,2}'), "
      "(2, -0.125, 'a', '\\x', '00000000-0000-0000-0000-000000000000', '{}'), "
      "(2, 123456789.999, 'abc', '\\xff', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '{1,NULL}'), "
      "(NULL, NULL, NULL, NULL, NULL, NULL), (3, 0, '', '\\x00', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{3}'), "
      "(1, 1.5, 'ab', '\\x0102', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{1,2}'), "
      "(7, -99.5, 'zz', '\\x61', '12345678-1234-1234-1234-123456789abc', '{2,1,0}'), "
      "(-1, 2.5, 'b ', NULL, NULL, '{NULL}')",
      // Indexed tables, large enough that the planner probes their indexes in joins.
      "DROP TABLE IF EXISTS k1",
      "CREATE TABLE k1(id integer PRIMARY KEY, v text, w bigint)",
      "INSERT INTO k1 VALUES (1, 'abc', 10), (2, 'a', -5), (3, NULL, 10), (7, 'ABC', NULL), (-1, 'zz', 3), "
      "(0, '', 42), (10, 'abc ', 7), (2147483647, 'b', 0)",
      "INSERT INTO k1 SELECT g, 'v' || g, g * 3 FROM generate_series(100, 299) AS s(g)",
      "DROP TABLE IF EXISTS k2",
      "CREATE TABLE k2(a integer, s varchar(5), x integer, UNIQUE (a, s))",
      "INSERT INTO k2 VALUES (1, 'a', 1), (1, 'abc', 2), (2, 'abc', 3), (NULL, 'a', 4), (NULL, 'a', 5), "
      "(2, NULL, 6), (2, NULL, 7), (7, 'x_y%', 8), (10, '', 9), (3, 'b', NULL), (-1, 'abc ', 10)",
      "INSERT INTO k2 SELECT g % 100 + 100, CAST(g / 100 AS text), g FROM generate_series(0, 199) AS s(g)",
      "DROP TABLE IF EXISTS k3",
      "CREATE TABLE k3(g bigint, ch character(3), n numeric(12,3))",
      "INSERT INTO k3 VALUES (1, 'ab', 1.5), (1, 'ab', 2), (10, 'abc', NULL), (NULL, 'a', 0), (NULL, NULL, 3), "
      "(-5, 'zz', -7), (2, 'a', 1.5), (9223372036854775807, '', 0), (2, 'b ', 0.001)",
      "INSERT INTO k3 SELECT g / 2, CAST('c' || (g % 50) AS character(3)), CAST(g AS numeric) / 4 "
      "FROM generate_series(20, 219) AS s(g)",
      "CREATE INDEX k3_g ON k3 (g)",
      "CREATE INDEX k3_ch ON k3 (ch)",
      "CREATE INDEX k3_n ON k3 (n)",
  };
}

SqlType QueryGenerator::random_type() {
  if (chance(8)) {
    static const SqlType kRare[] = {SqlType::kChar, SqlType::kBytea, SqlType::kUuid, SqlType::kIntArray};
    return kRare[pick(std::size(kRare))];
  }
  static const SqlType kTypes[] = {SqlType::kInt,  SqlType::kInt,  SqlType::kBigint, SqlType::kDouble,
                                   SqlType::kText, SqlType::kBool, SqlType::kNumeric};
  return kTypes[pick(std::size(kTypes))];
}

std::string QueryGenerator::literal(SqlType type) {
  if (chance(5)) return std::string("NULL::") + type_name(type);
  switch (type) {
    case SqlType::kInt: {
      static const char* kValues[] = {"0", "1", "2", "3", "-1", "7", "10", "42", "100", "-100", "2147483647"};
      return kValues[pick(std::size(kValues))];
    }
    case SqlType::kBigint: {
      static const char* kValues[] = {"0::bigint", "5::bigint", "-3::bigint", "10000000000", "-10000000000"};
      return kValues[pick(std::size(kValues))];
    }
    case SqlType::kDouble: {
      static const char* kValues[] = {"0.5::float8", "1.5::float8", "-2.25::float8", "3::float8", "1e10::float8",
                                      "100.125::float8"};
      return kValues[pick(std::size(kValues))];
    }
    case SqlType::kText: {
      static const char* kValues[] = {"'abc'", "'a'", "''", "'ABC'", "'b'", "'abc '", "'x_y%'", "'zz'"};
      return kValues[pick(std::size(kValues))];
    }
    case SqlType::kBool: return chance(50) ? "true" : "false";
    case SqlType::kNumeric: {
      static const char* kValues[] = {"0::numeric", "1.5", "-0.125", "2.50", "123456789.999", "0.001", "-7"};
      return kValues[pick(std::size(kValues))];
    }
    case SqlType::kChar: {
      static const char* kValues[] = {"'ab'::character(3)", "'a'::character(3)", "''::character(3)", "'abc'::character(3)",
                                      "'zz '::character(3)"};
      return kValues[pick(std::size(kValues))];
    }
    case SqlType::kBytea: {
      static const char* kValues[] = {"'\\x0102'::bytea", "'\\x'::bytea", "'\\xff'::bytea", "'\\x61'::bytea"};
      return kValues[pick(std::size(kValues))];
    }
    case SqlType::kUuid: {
      static const char* kValues[] = {"'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid", "'00000000-0000-0000-0000-000000000000'::uuid",
                                      "'12345678-1234-1234-1234-123456789abc'::uuid"};
      return kValues[pick(std::size(kValues))];
    }
    case SqlType::kIntArray: {
      static const char* kValues[] = {"ARRAY[1, 2]", "'{}'::integer[]", "ARRAY[3]", "ARRAY[1, NULL]::integer[]", "ARRAY[2, 1, 0]"};
      return kValues[pick(std::size(kValues))];
    }
  }
  return "NULL";
}

std::string QueryGenerator::column_of(SqlType type, const Scope& scope, bool* found) {
  std::vector<const ScopeColumn*> candidates;
  for (const auto& c : scope.columns) {
    if (c.type == type) candidates.push_back(&c);
  }
  // Outer columns now and then: correlated subqueries.
  if (chance(30)) {
    for (const auto& c : scope.outer) {
      if (c.type == type) candidates.push_back(&c);
    }
  }
  *found = !candidates.empty();
  return candidates.empty() ? "" : candidates[pick(candidates.size())]->name;
}

std::string QueryGenerator::aggregate(SqlType type, const Scope& outer_scope, int depth) {
  // Arguments read this level's columns only: PostgreSQL assigns an aggregate over outer
  // columns alone to the outer query (not supported by Tessera yet).
  Scope scope;
  scope.columns = outer_scope.columns;
  auto arg = [&](SqlType t) { return expr(t, scope, depth + 1, false); };
  // Ordered-set aggregates and ORDER BY inside an aggregate sort by the aggregated value
  // itself, so ties are equal values and the result is determined.
  auto sort_spec = [&]() { return std::string(chance(30) ? " DESC" : "") + (chance(20) ? " NULLS FIRST" : ""); };
  auto within_group = [&](const std::string& call, SqlType t) {
    std::string e = arg(t);
    // A bare string literal is of unknown type, which PostgreSQL rejects as the argument of
    // a polymorphic aggregate (42804); Tessera takes it as text. Not generated.
    if (e.front() == '\'' && e.back() == '\'') e = "CAST(" + e + " AS text)";
    return call + " WITHIN GROUP (ORDER BY " + e + sort_spec() + ")";
  };
  static const char* kFractions[] = {"0", "0.25", "0.5", "0.9", "1"};
  static const char* kVariance[] = {"var_pop(", "var_samp(", "variance(", "stddev_pop(", "stddev_samp(", "stddev("};
  std::string call;
  std::string wrap_after;
  switch (type) {
    case SqlType::kBigint:
      switch (pick(3)) {
        case 0: call = "count(*)"; break;
        case 1: call = "count(" + std::string(chance(20) ? "DISTINCT " : "") + arg(random_type()) + ")"; break;
        default: call = "sum(" + arg(SqlType::kInt) + ")"; break;
      }
      break;
    case SqlType::kDouble:
      switch (pick(4)) {
        case 0: call = (chance(50) ? "sum(" : "avg(") + arg(SqlType::kDouble) + ")"; break;
        case 1: call = kVariance[pick(std::size(kVariance))] + arg(SqlType::kDouble) + ")"; break;
        case 2: call = within_group(std::string("percentile_cont(") + kFractions[pick(std::size(kFractions))] + ")", SqlType::kDouble); break;
        default: call = (chance(50) ? "sum(" : "avg(") + arg(SqlType::kDouble) + ")"; break;
      }
      break;
    case SqlType::kNumeric:
      switch (pick(5)) {
        case 0: call = (chance(50) ? "sum(" : "avg(") + arg(SqlType::kNumeric) + ")"; break;
        case 1: call = kVariance[pick(std::size(kVariance))] + arg(chance(50) ? SqlType::kInt : SqlType::kNumeric) + ")"; break;
        case 2: call = within_group(std::string("percentile_disc(") + kFractions[pick(std::size(kFractions))] + ")", SqlType::kNumeric); break;
        case 3: call = "avg(" + arg(SqlType::kInt) + ")"; break;
        default: call = (chance(50) ? "min(" : "max(") + arg(SqlType::kNumeric) + ")"; break;
      }
      break;
    case SqlType::kBool:
      call = (chance(50) ? "bool_and(" : chance(50) ? "bool_or(" : "every(") + arg(SqlType::kBool) + ")";
      break;
    case SqlType::kText:
      if (chance(30)) {
        const std::string e = arg(SqlType::kText);
        // With DISTINCT, PostgreSQL takes a bare literal argument as text but its copy in ORDER
        // BY as unknown and rejects the pair (42P10); Tessera accepts it. Not generated.
        const bool literal_arg = e.front() == '\'' && e.back() == '\'';
        call = "string_agg(" + std::string(!literal_arg && chance(20) ? "DISTINCT " : "") + e + ", " + (chance(50) ? "','" : "''") +
               " ORDER BY " + e + sort_spec() + ")";
        break;
      }
      [[fallthrough]];
    case SqlType::kInt:
      if (chance(20)) {
        call = chance(50) ? within_group(std::string("percentile_disc(") + kFractions[pick(std::size(kFractions))] + ")", type)
                          : within_group("mode()", type);
        break;
      }
      call = (chance(50) ? "min(" : "max(") + std::string(chance(20) ? "DISTINCT " : "") + arg(type) + ")";
      break;
    case SqlType::kChar:
      // Cast back to character(3): see expr() on the lost blank padding of unconstrained bpchar.
      call = std::string("CAST(") + (chance(50) ? "min(" : "max(") + arg(type) + ")";
      wrap_after = " AS character(3))";
      break;
    case SqlType::kIntArray:
      if (chance(50)) {
        const std::string e = arg(SqlType::kInt);
        call = "array_agg(" + e + " ORDER BY " + e + sort_spec() + ")";
      } else {
        call = (chance(50) ? "min(" : "max(") + arg(type) + ")";
      }
      break;
    case SqlType::kBytea:
    case SqlType::kUuid:
      // No min/max for these types in PostgreSQL 15, and Tessera has no arrays of them
      // (array_agg raises 0A000): min/max of the text forms, which sort alike (hex digits).
      call = std::string("CAST(") + (chance(50) ? "min(" : "max(") + "CAST(" + arg(type) + " AS text))";
      wrap_after = std::string(" AS ") + type_name(type) + ")";
      break;
  }
  if (chance(15)) call += " FILTER (WHERE " + bool_expr(scope, depth + 2, false) + ")";
  return call + wrap_after;
}

std::string QueryGenerator::subquery(SqlType type, const Scope& scope, int depth) {
  Scope outer_scope;
  outer_scope.outer = scope.columns;
  outer_scope.outer.insert(outer_scope.outer.end(), scope.outer.begin(), scope.outer.end());
  SqlType t = type;
  scalar_next_ = true;
  return "(" + select_statement(&outer_scope, depth + 1, true, &t) + ")";
}

std::string QueryGenerator::expr(SqlType type, const Scope& scope, int depth, bool allow_aggregates) {
  if (type == SqlType::kBool) return bool_expr(scope, depth, allow_aggregates);
  const bool leaf = depth >= kMaxDepth || chance(35);
  if (leaf) {
    bool found = false;
    if (chance(70)) {
      std::string column = column_of(type, scope, &found);
      if (found) return column;
    }
    return literal(type);
  }
  if (allow_aggregates && chance(25)) return aggregate(type, scope, depth);
  if (depth < 2 && chance(6)) return subquery(type, scope, depth);
  const int d = depth + 1;
  auto sub = [&](SqlType t) { return expr(t, scope, d, allow_aggregates); };
  // Not for character(n): Tessera holds bpchar values without their blank padding and pads
  // on output to the type's length, so where PostgreSQL's result type loses the length
  // (CASE, COALESCE and NULLIF over differing lengths, min/max) the padding is lost:
  // NULLIF('ab'::character(3), 'x') prints 'ab ' in PostgreSQL and 'ab' in Tessera.
  switch (type == SqlType::kChar ? 3 + pick(3) : pick(6)) {
    case 0: return "CASE WHEN " + bool_expr(scope, d, allow_aggregates) + " THEN " + sub(type) + " ELSE " + sub(type) + " END";
    case 1: return "COALESCE(" + sub(type) + ", " + sub(type) + ")";
    case 2: return "NULLIF(" + sub(type) + ", " + sub(type) + ")";
    default: break;
  }
  switch (type) {
    case SqlType::kInt:
      switch (pick(8)) {
        case 0: return "(" + sub(type) + " + " + sub(type) + ")";
        case 1: return "(" + sub(type) + " - " + sub(type) + ")";
        case 2: return "(" + sub(type) + " * " + sub(type) + ")";
        case 3: return "(" + sub(type) + " / NULLIF(" + sub(type) + ", 0))";
        case 4: return "(" + sub(type) + " % NULLIF(" + sub(type) + ", 0))";
        case 5: return "(- " + sub(type) + ")";
        case 6: return "abs(" + sub(type) + ")";
        default:
          switch (pick(7)) {
            case 0: return "position(" + sub(SqlType::kText) + " IN " + sub(SqlType::kText) + ")";
            case 1: return "strpos(" + sub(SqlType::kText) + ", " + sub(SqlType::kText) + ")";
            case 2: return "length(" + sub(SqlType::kBytea) + ")";
            case 3: return "cardinality(" + sub(SqlType::kIntArray) + ")";
            case 4: return "(" + sub(SqlType::kIntArray) + ")[" + small_int() + "]";
            case 5: return "octet_length(" + sub(SqlType::kChar) + ")";
            default: return "length(" + sub(SqlType::kText) + ")";
          }
      }
    case SqlType::kBigint:
      switch (pick(5)) {
        case 0: return "(" + sub(type) + " + " + sub(SqlType::kInt) + ")";
        case 1: return "(" + sub(type) + " - " + sub(type) + ")";
        case 2: return "(" + sub(SqlType::kInt) + " * " + sub(type) + ")";
        case 3: return "CAST(" + sub(SqlType::kInt) + " AS bigint)";
        default: return "(" + sub(type) + " / NULLIF(" + sub(type) + ", 0))";
      }
    case SqlType::kDouble:
      switch (pick(5)) {
        case 0: return "(" + sub(type) + " + " + sub(type) + ")";
        case 1: return "(" + sub(type) + " - " + sub(SqlType::kInt) + ")";
        case 2: return "(" + sub(type) + " * " + sub(type) + ")";
        case 3: return "CAST(" + sub(chance(50) ? SqlType::kInt : SqlType::kNumeric) + " AS double precision)";
        default: return "(" + sub(type) + " / NULLIF(" + sub(type) + ", 0))";
      }
    case SqlType::kNumeric:
      switch (pick(8)) {
        case 0: return "(" + sub(type) + " + " + sub(chance(50) ? type : SqlType::kInt) + ")";
        case 1: return "(" + sub(type) + " - " + sub(type) + ")";
        case 2: return "(" + sub(type) + " * " + sub(chance(50) ? type : SqlType::kInt) + ")";
        case 3: return "CAST(" + sub(chance(50) ? SqlType::kInt : SqlType::kBigint) + " AS numeric)";
        case 4: return "round(" + sub(type) + ", " + small_int() + ")";
        case 5: return "abs(" + sub(type) + ")";
        case 6: return "(" + sub(type) + " / NULLIF(" + sub(type) + ", 0))";
        default: return "(- " + sub(type) + ")";
      }
    case SqlType::kChar:
      if (chance(50)) return "CAST(" + sub(SqlType::kText) + " AS character(3))";
      return literal(type);
    case SqlType::kBytea:
      // Text without backslashes converts to bytea byte for byte.
      if (chance(50)) return "CAST(" + sub(SqlType::kText) + " AS bytea)";
      return literal(type);
    case SqlType::kUuid: return literal(type);
    case SqlType::kIntArray:
      switch (pick(3)) {
        case 0: return "ARRAY[" + sub(SqlType::kInt) + ", " + sub(SqlType::kInt) + "]";
        case 1: return "(" + sub(type) + " || " + sub(SqlType::kInt) + ")";
        default: return literal(type);
      }
    case SqlType::kText:
      switch (pick(11)) {
        case 0: return "(" + sub(type) + " || " + sub(type) + ")";
        case 1: return "lower(" + sub(type) + ")";
        case 2: return "upper(" + sub(type) + ")";
        case 3: return "CAST(" + sub(chance(70) ? SqlType::kInt : SqlType::kNumeric) + " AS text)";
        case 4: return "substring(" + sub(type) + " FROM " + small_int() + (chance(50) ? " FOR " + small_int() : "") + ")";
        case 5: return "replace(" + sub(type) + ", " + sub(type) + ", " + sub(type) + ")";
        case 6: return std::string(chance(50) ? "trim(" : "btrim(") + sub(type) + ")";
        case 7: return std::string(chance(50) ? "left(" : "right(") + sub(type) + ", " + small_int() + ")";
        case 8: return "lpad(" + sub(type) + ", " + small_int() + ", " + sub(type) + ")";
        case 9: return "reverse(" + sub(type) + ")";
        default: return "(" + sub(type) + " || " + sub(SqlType::kInt) + ")";
      }
    case SqlType::kBool: break;
  }
  return literal(type);
}

std::string QueryGenerator::bool_expr(const Scope& scope, int depth, bool allow_aggregates) {
  const bool leaf = depth >= kMaxDepth || chance(25);
  if (leaf) {
    bool found = false;
    if (chance(50)) {
      std::string column = column_of(SqlType::kBool, scope, &found);
      if (found) return column;
    }
    SqlType t = random_type();
    if (t == SqlType::kBool) t = SqlType::kInt;
    static const char* kOps[] = {"=", "<>", "<", "<=", ">", ">="};
    return "(" + expr(t, scope, kMaxDepth, false) + " " + kOps[pick(std::size(kOps))] + " " + expr(t, scope, kMaxDepth, false) + ")";
  }
  const int d = depth + 1;
  SqlType t = random_type();
  if (t == SqlType::kBool) t = SqlType::kInt;
  auto sub = [&](SqlType s) { return expr(s, scope, d, allow_aggregates); };
  switch (pick(12)) {
    case 0: return "(" + bool_expr(scope, d, allow_aggregates) + " AND " + bool_expr(scope, d, allow_aggregates) + ")";
    case 1: return "(" + bool_expr(scope, d, allow_aggregates) + " OR " + bool_expr(scope, d, allow_aggregates) + ")";
    case 2: return "(NOT " + bool_expr(scope, d, allow_aggregates) + ")";
    case 3: return "(" + sub(t) + (chance(50) ? " IS NULL)" : " IS NOT NULL)");
    case 4: return "(" + sub(t) + (chance(30) ? " NOT" : "") + " BETWEEN " + sub(t) + " AND " + sub(t) + ")";
    case 5: {
      std::string list = sub(t);
      const size_t n = 1 + pick(3);
      for (size_t i = 0; i < n; i++) list += ", " + literal(t);
      return "(" + sub(t) + (chance(30) ? " NOT" : "") + " IN (" + list + "))";
    }
    case 6: {
      static const char* kPatterns[] = {"'a%'", "'%b%'", "'_bc'", "'%'", "'abc'", "'x\\_y%'", "'A%'"};
      return "(" + sub(SqlType::kText) + (chance(30) ? " NOT" : "") + " LIKE " + kPatterns[pick(std::size(kPatterns))] + ")";
    }
    case 7:
      if (depth < 2) {
        Scope inner;
        inner.outer = scope.columns;
        inner.outer.insert(inner.outer.end(), scope.outer.begin(), scope.outer.end());
        SqlType any = random_type();
        return std::string(chance(30) ? "(NOT " : "(") + "EXISTS (" + select_statement(&inner, depth + 1, false, &any) + "))";
      }
      [[fallthrough]];
    case 8:
      if (depth < 2) {
        Scope inner;
        inner.outer = scope.columns;
        inner.outer.insert(inner.outer.end(), scope.outer.begin(), scope.outer.end());
        SqlType s = t;
        return "(" + sub(t) + (chance(30) ? " NOT" : "") + " IN (" + select_statement(&inner, depth + 1, true, &s) + "))";
      }
      [[fallthrough]];
    case 9: return "(" + sub(t) + (chance(50) ? " IS DISTINCT FROM " : " IS NOT DISTINCT FROM ") + sub(t) + ")";
    default: {
      static const char* kOps[] = {"=", "<>", "<", "<=", ">", ">="};
      // Now and then against a scalar aggregate subquery, often correlated.
      const std::string right = depth < 2 && chance(15) ? subquery(t, scope, depth) : sub(t);
      return "(" + sub(t) + " " + kOps[pick(std::size(kOps))] + " " + right + ")";
    }
  }
}

std::string QueryGenerator::select_statement(const Scope* outer, int depth, bool single_column, SqlType* out_type) {
  Scope scope;
  if (outer) scope.outer = outer->outer;
  const bool scalar = scalar_next_;
  scalar_next_ = false;
  const std::vector<SqlType> forced = std::move(forced_types_);
  forced_types_.clear();
  const bool branch = in_branch_;
  in_branch_ = false;
  // FROM: one table, or two joined.
  std::string from;
  const size_t n_tables = depth == 0 && chance(40) ? 2 : 1;
  std::vector<std::string> aliases;
  for (size_t i = 0; i < n_tables; i++) {
    if (i > 0 && chance(25)) {
      from += lateral_item(scope, depth);
      continue;
    }
    const TableDef& t = tables()[pick(tables().size())];
    const std::string alias = "x" + std::to_string(alias_counter_++);
    aliases.push_back(alias);
    std::vector<ScopeColumn> columns;
    for (const auto& c : t.columns) columns.push_back({alias + "." + c.name, c.type});
    if (i == 0) {
      from = t.name + " AS " + alias;
    } else {
      // Join on an equality of two columns of one type when there is one.
      std::string condition;
      for (const auto& left : scope.columns) {
        for (const auto& right : columns) {
          if (condition.empty() && left.type == right.type && left.type != SqlType::kBool && chance(60)) {
            condition = left.name + " = " + right.name;
          }
        }
      }
      switch (pick(4)) {
        case 0: from += " CROSS JOIN " + t.name + " AS " + alias; break;
        case 1:
          // FULL JOIN needs a hash- or merge-joinable condition in PostgreSQL.
          if (!condition.empty()) {
            from += " FULL JOIN " + t.name + " AS " + alias + " ON " + condition;
            break;
          }
          [[fallthrough]];
        case 2: from += " LEFT JOIN " + t.name + " AS " + alias + " ON " + (condition.empty() ? "true" : condition); break;
        default: from += " JOIN " + t.name + " AS " + alias + " ON " + (condition.empty() ? "true" : condition); break;
      }
    }
    scope.columns.insert(scope.columns.end(), columns.begin(), columns.end());
  }
  std::string where;
  if (chance(60)) where = " WHERE " + bool_expr(scope, 1, false);

  // GROUP BY some columns (then the select list is group columns and aggregates), or an
  // aggregate-only select list, or plain expressions.
  const int shape = scalar ? 3 : static_cast<int>(pick(10));
  std::vector<std::string> items;
  std::vector<SqlType> item_types;
  std::string group_by;
  std::string having;
  const size_t n_items = single_column ? 1 : !forced.empty() ? forced.size() : 1 + pick(3);
  auto item_type = [&](size_t i) { return single_column ? *out_type : !forced.empty() ? forced[i] : random_type(); };
  if (shape < 3) {
    std::vector<ScopeColumn> groups;
    for (const auto& c : scope.columns) {
      if (chance(30)) groups.push_back(c);
    }
    if (groups.empty()) groups.push_back(scope.columns[pick(scope.columns.size())]);
    Scope grouped;
    grouped.outer = scope.outer;
    grouped.columns = groups;
    std::string names;
    for (size_t i = 0; i < groups.size(); i++) names += (i ? ", " : "") + groups[i].name;
    // Grouping sets now and then (CUBE of at most three columns: eight sets).
    const bool grouping_sets = chance(20);
    if (!grouping_sets) {
      group_by = " GROUP BY " + names;
    } else {
      switch (groups.size() <= 3 ? pick(3) : pick(2)) {
        case 0: group_by = " GROUP BY ROLLUP (" + names + ")"; break;
        case 1: {
          group_by = " GROUP BY GROUPING SETS (";
          for (size_t i = 0; i < groups.size(); i++) group_by += (i ? ", (" : "(") + groups[i].name + ")";
          group_by += chance(50) ? ", ())" : ")";
          break;
        }
        default: group_by = " GROUP BY CUBE (" + names + ")"; break;
      }
    }
    for (size_t i = 0; i < n_items; i++) {
      SqlType t = item_type(i);
      // Aggregates over the ungrouped scope; plain references to group columns.
      if (grouping_sets && t == SqlType::kInt && chance(40)) {
        items.push_back("grouping(" + names + ")");
      } else {
        items.push_back(chance(50) ? aggregate(t, scope, 1) : expr(t, grouped, 1, false));
      }
      item_types.push_back(t);
    }
    if (chance(30)) having = " HAVING " + bool_expr(grouped, 2, false);
  } else if (shape < 5) {
    for (size_t i = 0; i < n_items; i++) {
      SqlType t = item_type(i);
      items.push_back(aggregate(t, scope, 1));
      item_types.push_back(t);
    }
  } else {
    for (size_t i = 0; i < n_items; i++) {
      SqlType t = item_type(i);
      // At most one set-returning function per select list (several run in lockstep).
      const bool srf = depth == 0 && !single_column && i == 0 && !scalar && chance(8) &&
                       (t == SqlType::kInt || t == SqlType::kText);
      items.push_back(srf ? set_returning_item(t, scope) : expr(t, scope, 1, false));
      item_types.push_back(t);
    }
  }
  std::string sql = "SELECT ";
  if (!scalar && chance(15)) sql += "DISTINCT ";
  for (size_t i = 0; i < items.size(); i++) sql += (i ? ", " : "") + items[i] + " AS c" + std::to_string(i);
  sql += " FROM " + from + where + group_by + having;
  // ORDER BY every output column, so LIMIT keeps determined rows.
  // Not over an aggregate without GROUP BY: PostgreSQL 15 turns min/max there into an
  // InitPlan that inherits WITH TIES and fails with 21000 ("more than one row returned by a
  // subquery used as an expression") for SELECT min(0) FROM t1 ORDER BY 1 FETCH FIRST 2 ROWS
  // WITH TIES.
  if (depth == 0 && !branch && (shape < 3 || shape >= 5) && chance(6)) {
    // WITH TIES over the first column: the rows are determined, their order within ties is not.
    sql += " ORDER BY 1" + std::string(chance(30) ? " DESC" : "") + " FETCH FIRST " + std::to_string(pick(4)) +
           " ROWS WITH TIES";
  } else if (depth == 0 && !branch && chance(40)) {
    ordered_ = true;
    sql += " ORDER BY ";
    for (size_t i = 0; i < items.size(); i++) {
      sql += (i ? ", " : "") + std::to_string(i + 1) + (chance(30) ? " DESC" : "") + (chance(20) ? " NULLS FIRST" : "");
    }
    if (chance(50)) sql += " LIMIT " + std::to_string(pick(5)) + (chance(30) ? " OFFSET 1" : "");
  }
  if (single_column) *out_type = item_types[0];
  last_item_types_ = item_types;
  return sql;
}

std::string QueryGenerator::lateral_item(Scope& scope, int depth) {
  const std::string alias = "x" + std::to_string(alias_counter_++);
  auto int_column = [&]() {
    bool found = false;
    std::string c = column_of(SqlType::kInt, scope, &found);
    return found ? c : literal(SqlType::kInt);
  };
  switch (pick(4)) {
    case 0: {
      // generate_series over at most four values; none for NULL or negative bounds.
      const bool ordinality = chance(30);
      std::string sql = " CROSS JOIN LATERAL generate_series(0, " + int_column() + " % 4)" +
                        (ordinality ? " WITH ORDINALITY" : "") + " AS " + alias + "(v" + (ordinality ? ", o)" : ")");
      scope.columns.push_back({alias + ".v", SqlType::kInt});
      if (ordinality) scope.columns.push_back({alias + ".o", SqlType::kBigint});
      return sql;
    }
    case 1: {
      const SqlType t = chance(50) ? SqlType::kInt : SqlType::kText;
      std::string list;
      for (int i = 0; i < 3; i++) list += (i ? ", " : "") + expr(t, scope, kMaxDepth - 1, false);
      scope.columns.push_back({alias + ".v", t});
      const bool left = chance(40);
      return std::string(left ? " LEFT JOIN LATERAL" : " CROSS JOIN LATERAL") + " unnest(ARRAY[" + list + "]) AS " + alias +
             "(v)" + (left ? " ON true" : "");
    }
    default: {
      // A subquery reading the columns on its left.
      Scope inner;
      inner.outer = scope.columns;
      inner.outer.insert(inner.outer.end(), scope.outer.begin(), scope.outer.end());
      SqlType any = random_type();
      const bool left = chance(40);
      const std::string sub = select_statement(&inner, depth + 1, false, &any);
      for (size_t i = 0; i < last_item_types_.size(); i++) {
        scope.columns.push_back({alias + ".c" + std::to_string(i), last_item_types_[i]});
      }
      return std::string(left ? " LEFT JOIN LATERAL (" : " CROSS JOIN LATERAL (") + sub + ") AS " + alias +
             (left ? " ON true" : "");
    }
  }
}

std::string QueryGenerator::set_returning_item(SqlType type, const Scope& scope) {
  if (type == SqlType::kInt && chance(50)) {
    bool found = false;
    std::string c = column_of(SqlType::kInt, scope, &found);
    return "generate_series(0, " + (found ? c : literal(SqlType::kInt)) + " % 3)";
  }
  std::string list;
  for (int i = 0; i < 2; i++) list += (i ? ", " : "") + expr(type, scope, kMaxDepth - 1, false);
  return "unnest(ARRAY[" + list + "])";
}

std::string QueryGenerator::key_literal(SqlType type) {
  // Values present and absent, NULL, out of the column's range, and constants of a narrower,
  // wider or unknown type that the binder coerces.
  switch (type) {
    case SqlType::kInt: {
      static const char* kValues[] = {"1",       "2",         "7",           "-1",          "0",    "150",  "2147483647",
                                      "NULL",    "2::bigint", "7::bigint",   "10000000000", "2.0",  "1.5",  "'7'",
                                      "2::smallint", "150::numeric", "-2147483649"};
      return kValues[pick(std::size(kValues))];
    }
    case SqlType::kBigint: {
      static const char* kValues[] = {"1",     "10",          "-5",   "50",          "9223372036854775807", "10::bigint",
                                      "2.0",   "10.5",        "'10'", "NULL::bigint", "3::smallint",         "2::integer",
                                      "100.0", "9223372036854775808"};
      return kValues[pick(std::size(kValues))];
    }
    case SqlType::kText: {
      static const char* kValues[] = {"'abc'",          "'a'",          "''",           "'abc '",
                                      "'v150'",         "'0'",          "'1'",          "'abc'::text",
                                      "'abc'::varchar", "'a'::varchar(5)", "'abc'::character(3)", "'abc '::character(4)",
                                      "NULL",           "'x_y%'"};
      return kValues[pick(std::size(kValues))];
    }
    case SqlType::kChar: {
      static const char* kValues[] = {"'ab'",          "'ab '",         "'a'",    "'c7'",         "'c7 '::text",
                                      "'ab'::varchar", "'ab'::character(3)", "'zz'::text", "''", "NULL::character(3)",
                                      "'b'",           "'b '::text"};
      return kValues[pick(std::size(kValues))];
    }
    case SqlType::kNumeric: {
      static const char* kValues[] = {"1.5", "1.50", "2", "0", "-7", "0.001", "25.25", "30::bigint", "1.5::float8",
                                      "'1.5'", "NULL::numeric", "1.5000"};
      return kValues[pick(std::size(kValues))];
    }
    default: return literal(type);
  }
}

std::string QueryGenerator::index_query() {
  const IndexedTable& inner = indexed_tables()[pick(indexed_tables().size())];
  const std::vector<size_t>& key = inner.keys[pick(inner.keys.size())];
  const std::string ia = "x" + std::to_string(alias_counter_++);
  Scope inner_scope;
  for (const auto& c : inner.def.columns) inner_scope.columns.push_back({ia + "." + c.name, c.type});
  auto key_name = [&](size_t k) { return ia + "." + inner.def.columns[key[k]].name; };
  auto key_type = [&](size_t k) { return inner.def.columns[key[k]].type; };
  // `column = value` in either order.
  auto equals = [&](const std::string& column, const std::string& value) {
    return chance(25) ? value + " = " + column : column + " = " + value;
  };
  // Conditions fixing every key column with literals (an IN list now and then); or, rarely,
  // all but the last column of a multi-column key.
  auto literal_key = [&]() {
    std::string cond;
    const size_t n = key.size() > 1 && chance(10) ? key.size() - 1 : key.size();
    for (size_t k = 0; k < n; k++) {
      std::string c;
      if (chance(25)) {
        c = key_name(k) + (chance(15) ? " NOT" : "") + " IN (" + key_literal(key_type(k));
        for (size_t i = pick(3); i > 0; i--) c += ", " + key_literal(key_type(k));
        c += ")";
      } else {
        c = equals(key_name(k), key_literal(key_type(k)));
      }
      cond += (k ? " AND " : "") + c;
    }
    return cond;
  };
  auto items = [&](const Scope& scope) {
    std::string list;
    const size_t n = 1 + pick(3);
    for (size_t i = 0; i < n; i++) list += (i ? ", " : "") + expr(random_type(), scope, 1, false) + " AS c" + std::to_string(i);
    return list;
  };

  if (chance(25)) {
    // A lookup on the indexed table alone.
    std::string sql = "SELECT " + items(inner_scope) + " FROM " + inner.def.name + " AS " + ia + " WHERE " + literal_key();
    if (chance(30)) sql += " AND " + bool_expr(inner_scope, 2, false);
    return sql;
  }

  // The other side: a small table; its columns matched with the key's.
  const TableDef& outer_table = tables()[pick(tables().size())];
  const std::string oa = "x" + std::to_string(alias_counter_++);
  Scope outer_scope;
  for (const auto& c : outer_table.columns) outer_scope.columns.push_back({oa + "." + c.name, c.type});
  auto outer_column = [&](SqlType type) {
    std::vector<SqlType> accepted = {type};
    switch (type) {
      case SqlType::kInt: accepted = {SqlType::kInt, SqlType::kInt, SqlType::kBigint}; break;
      case SqlType::kBigint: accepted = {SqlType::kBigint, SqlType::kInt, SqlType::kInt}; break;
      case SqlType::kText: accepted = {SqlType::kText, SqlType::kText, SqlType::kChar}; break;
      case SqlType::kChar: accepted = {SqlType::kChar, SqlType::kText}; break;
      case SqlType::kNumeric: accepted = {SqlType::kNumeric, SqlType::kNumeric, SqlType::kInt}; break;
      default: break;
    }
    const bool number = type == SqlType::kInt || type == SqlType::kBigint || type == SqlType::kNumeric;
    if (number && chance(10)) accepted = {SqlType::kInt, SqlType::kBigint, SqlType::kNumeric};
    std::vector<std::string> candidates;
    for (const auto& c : outer_scope.columns) {
      if (std::find(accepted.begin(), accepted.end(), c.type) != accepted.end()) candidates.push_back(c.name);
    }
    return candidates.empty() ? key_literal(type) : candidates[pick(candidates.size())];
  };
  // Conditions fixing every key column with the outer side's columns (now and then one with a
  // literal), plus now and then a filter of the inner side.
  auto join_key = [&]() {
    std::string cond;
    for (size_t k = 0; k < key.size(); k++) {
      const std::string value = k > 0 && chance(20) ? key_literal(key_type(k)) : outer_column(key_type(k));
      cond += (k ? " AND " : "") + equals(key_name(k), value);
    }
    if (chance(20)) cond += " AND " + bool_expr(inner_scope, 2, false);
    return cond;
  };
  const std::string inner_from = inner.def.name + " AS " + ia;
  const std::string outer_from = outer_table.name + " AS " + oa;
  switch (pick(5)) {
    case 0: {
      // A join on the key.
      Scope both = outer_scope;
      both.columns.insert(both.columns.end(), inner_scope.columns.begin(), inner_scope.columns.end());
      const bool left = chance(40);
      std::string sql = "SELECT " + items(both) + " FROM " + outer_from + (left ? " LEFT JOIN " : " JOIN ") + inner_from +
                        " ON " + join_key();
      if (chance(30)) sql += " WHERE " + bool_expr(both, 2, false);
      return sql;
    }
    case 1: {
      if (key.size() == 1) {
        // [NOT] IN (SELECT key ...).
        std::string sub = "SELECT " + key_name(0) + " FROM " + inner_from;
        if (chance(30)) sub += " WHERE " + bool_expr(inner_scope, 2, false);
        return "SELECT " + items(outer_scope) + " FROM " + outer_from + " WHERE " + outer_column(key_type(0)) +
               (chance(30) ? " NOT" : "") + " IN (" + sub + ")";
      }
      [[fallthrough]];
    }
    case 2:
      // [NOT] EXISTS of a correlated lookup.
      return "SELECT " + items(outer_scope) + " FROM " + outer_from + " WHERE " + (chance(40) ? "NOT " : "") +
             "EXISTS (SELECT 1 FROM " + inner_from + " WHERE " + join_key() + ")";
    case 3: {
      // A correlated scalar subquery in the select list: an aggregate, or the row of a unique key.
      std::string value;
      if (&inner == &indexed_tables()[0] && chance(50)) {
        value = ia + ".v";
      } else {
        static const char* kAggs[] = {"count(*)", "max(%)", "min(%)", "sum(%)"};
        std::string agg = kAggs[pick(std::size(kAggs))];
        const ScopeColumn& c = inner_scope.columns[pick(inner_scope.columns.size())];
        if (auto p = agg.find('%'); p != std::string::npos) {
          agg.replace(p, 1, c.type == SqlType::kText || c.type == SqlType::kChar ? "length(" + c.name + ")" : c.name);
        }
        value = agg;
      }
      return "SELECT " + items(outer_scope) + ", (SELECT " + value + " FROM " + inner_from + " WHERE " + join_key() +
             ") AS s FROM " + outer_from;
    }
    default: {
      // A correlated aggregate compared in WHERE.
      std::string sql = "SELECT " + items(outer_scope) + " FROM " + outer_from + " WHERE " + outer_column(SqlType::kInt) +
                        (chance(50) ? " = " : " < ") + "(SELECT count(*) FROM " + inner_from + " WHERE " + join_key() + ")";
      return sql;
    }
  }
}

std::string QueryGenerator::small_int() {
  static const char* kValues[] = {"0", "1", "2", "3", "5", "-1"};
  return kValues[pick(std::size(kValues))];
}

std::string QueryGenerator::next_query() {
  alias_counter_ = 0;
  ordered_ = false;
  SqlType unused = SqlType::kInt;
  if (chance(12)) return index_query();
  if (!chance(15)) return select_statement(nullptr, 0, false, &unused);
  // A set operation of two queries with the same column types.
  in_branch_ = true;
  const std::string left = select_statement(nullptr, 0, false, &unused);
  const std::vector<SqlType> types = last_item_types_;
  forced_types_ = types;
  in_branch_ = true;
  const std::string right = select_statement(nullptr, 0, false, &unused);
  static const char* kOps[] = {"UNION", "UNION ALL", "INTERSECT", "INTERSECT ALL", "EXCEPT", "EXCEPT ALL"};
  std::string sql = "(" + left + ") " + kOps[pick(std::size(kOps))] + " (" + right + ")";
  if (chance(40)) {
    ordered_ = true;
    sql += " ORDER BY ";
    for (size_t i = 0; i < types.size(); i++) sql += (i ? ", " : "") + std::to_string(i + 1) + (chance(30) ? " DESC" : "");
    if (chance(50)) sql += " LIMIT " + std::to_string(pick(5));
  }
  return sql;
}

}  // namespace tessera::fuzz
