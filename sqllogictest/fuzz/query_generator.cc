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
  };
}

SqlType QueryGenerator::random_type() {
  static const SqlType kTypes[] = {SqlType::kInt, SqlType::kInt, SqlType::kBigint, SqlType::kDouble,
                                   SqlType::kText, SqlType::kBool};
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
  switch (type) {
    case SqlType::kBigint:
      switch (pick(3)) {
        case 0: return "count(*)";
        case 1: return "count(" + expr(random_type(), scope, depth + 1, false) + ")";
        default: return "sum(" + expr(SqlType::kInt, scope, depth + 1, false) + ")";
      }
    case SqlType::kDouble:
      return (chance(50) ? "sum(" : "avg(") + expr(SqlType::kDouble, scope, depth + 1, false) + ")";
    case SqlType::kBool:
      return (chance(50) ? "bool_and(" : "bool_or(") + expr(SqlType::kBool, scope, depth + 1, false) + ")";
    default:
      return (chance(50) ? "min(" : "max(") + std::string(chance(20) ? "DISTINCT " : "") + expr(type, scope, depth + 1, false) +
             ")";
  }
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
  switch (pick(6)) {
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
          switch (pick(3)) {
            case 0: return "position(" + sub(SqlType::kText) + " IN " + sub(SqlType::kText) + ")";
            case 1: return "strpos(" + sub(SqlType::kText) + ", " + sub(SqlType::kText) + ")";
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
        case 3: return "CAST(" + sub(SqlType::kInt) + " AS double precision)";
        default: return "(" + sub(type) + " / NULLIF(" + sub(type) + ", 0))";
      }
    case SqlType::kText:
      switch (pick(11)) {
        case 0: return "(" + sub(type) + " || " + sub(type) + ")";
        case 1: return "lower(" + sub(type) + ")";
        case 2: return "upper(" + sub(type) + ")";
        case 3: return "CAST(" + sub(SqlType::kInt) + " AS text)";
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
      return "(" + sub(t) + " " + kOps[pick(std::size(kOps))] + " " + sub(t) + ")";
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
      switch (pick(3)) {
        case 0: from += " CROSS JOIN " + t.name + " AS " + alias; break;
        case 1: from += " LEFT JOIN " + t.name + " AS " + alias + " ON " + (condition.empty() ? "true" : condition); break;
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
    for (size_t i = 0; i < groups.size(); i++) group_by += (i ? ", " : " GROUP BY ") + groups[i].name;
    for (size_t i = 0; i < n_items; i++) {
      SqlType t = item_type(i);
      // Aggregates over the ungrouped scope; plain references to group columns.
      items.push_back(chance(50) ? aggregate(t, scope, 1) : expr(t, grouped, 1, false));
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
      items.push_back(expr(t, scope, 1, false));
      item_types.push_back(t);
    }
  }
  std::string sql = "SELECT ";
  if (!scalar && chance(15)) sql += "DISTINCT ";
  for (size_t i = 0; i < items.size(); i++) sql += (i ? ", " : "") + items[i] + " AS c" + std::to_string(i);
  sql += " FROM " + from + where + group_by + having;
  // ORDER BY every output column, so LIMIT keeps determined rows.
  if (depth == 0 && !branch && chance(40)) {
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

std::string QueryGenerator::small_int() {
  static const char* kValues[] = {"0", "1", "2", "3", "5", "-1"};
  return kValues[pick(std::size(kValues))];
}

std::string QueryGenerator::next_query() {
  alias_counter_ = 0;
  SqlType unused = SqlType::kInt;
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
    sql += " ORDER BY ";
    for (size_t i = 0; i < types.size(); i++) sql += (i ? ", " : "") + std::to_string(i + 1) + (chance(30) ? " DESC" : "");
    if (chance(50)) sql += " LIMIT " + std::to_string(pick(5));
  }
  return sql;
}

}  // namespace tessera::fuzz
