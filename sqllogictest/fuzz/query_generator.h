#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace tessera::fuzz {

/// The SQL types the generator writes expressions of.
enum class SqlType : uint8_t {
  kInt,
  kBigint,
  kDouble,
  kText,
  kBool,
  kNumeric,
  /// The remaining types are only compared, grouped, sorted, aggregated and passed through
  /// CASE / COALESCE / NULLIF; few functions produce them.
  kChar,  ///< character(3)
  kBytea,
  kUuid,
  kIntArray,
};

/// A column the generated query may name: "alias.column" and its type.
struct ScopeColumn {
  std::string name;
  SqlType type;
};

/// One table of the seeded schema.
struct TableDef {
  std::string name;
  std::vector<ScopeColumn> columns;  ///< bare column names
};

/// Writes random but valid (type-correct) SELECT statements over a fixed schema, from a seed:
/// the same seed gives the same statements. The grammar covers what both engines are expected
/// to answer alike: expressions of integer, bigint, double precision, text and boolean type
/// (arithmetic, comparisons, AND/OR/NOT, IS [NOT] NULL, BETWEEN, IN lists, LIKE, CASE,
/// COALESCE, NULLIF, casts, string functions), joins (inner, left, cross), WHERE, GROUP BY with
/// aggregates and HAVING, DISTINCT, ORDER BY (by every output column when LIMIT is used, so
/// the rows are determined), scalar, EXISTS and IN subqueries, correlated or not, and
/// UNION / INTERSECT / EXCEPT [ALL] of two such queries. Also numeric, character(n), bytea, uuid
/// and integer[] values; FULL JOIN on an equality; LATERAL subqueries, generate_series and
/// unnest; set-returning functions in the select list; GROUPING SETS / ROLLUP / CUBE with
/// grouping(); aggregates with FILTER, DISTINCT and ORDER BY (string_agg, array_agg), the
/// variance family and the ordered-set aggregates (percentile_cont/disc, mode); and
/// FETCH FIRST n ROWS WITH TIES. Now and then a query over the indexed tables (a primary key, a
/// two-column unique key with NULLs, non-unique indexes over bigint, character(3) and numeric)
/// in the shapes the planner answers through an index (index_query()).
class QueryGenerator {
 public:
  explicit QueryGenerator(uint64_t seed);

  /// The statements that create and fill the schema (the same for every seed).
  static std::vector<std::string> schema_sql();
  /// The next query.
  std::string next_query();
  /// Whether the last query's rows come in a determined order (an ORDER BY over every output
  /// column at the outermost level); otherwise they are compared as multisets.
  bool last_ordered() const { return ordered_; }

 private:
  struct Scope {
    std::vector<ScopeColumn> columns;
    /// Columns of enclosing queries (correlated references).
    std::vector<ScopeColumn> outer;
  };

  std::string select_statement(const Scope* outer, int depth, bool single_column, SqlType* out_type);
  std::string expr(SqlType type, const Scope& scope, int depth, bool allow_aggregates);
  std::string bool_expr(const Scope& scope, int depth, bool allow_aggregates);
  std::string literal(SqlType type);
  std::string column_of(SqlType type, const Scope& scope, bool* found);
  std::string aggregate(SqlType type, const Scope& scope, int depth);
  std::string subquery(SqlType type, const Scope& scope, int depth);
  /// A second FROM item reading the first one's columns (LATERAL); appends its columns to
  /// `scope`.
  std::string lateral_item(Scope& scope, int depth);
  /// A query of the shapes the planner answers through an index: full-key equalities and IN
  /// lists against literals of the key's or another type, joins, IN / EXISTS / NOT EXISTS and
  /// correlated subqueries whose inner side is an indexed table matched on its whole key.
  std::string index_query();
  /// A literal compared with an index key column of `type`, often of another type.
  std::string key_literal(SqlType type);
  /// A set-returning function call as a whole select-list item.
  std::string set_returning_item(SqlType type, const Scope& scope);
  SqlType random_type();
  bool chance(int percent) { return static_cast<int>(rng_() % 100) < percent; }
  size_t pick(size_t n) { return static_cast<size_t>(rng_() % n); }

  std::mt19937_64 rng_;
  int alias_counter_ = 0;
  /// The next select_statement is a scalar subquery: an aggregate without GROUP BY, so it
  /// returns one row.
  bool scalar_next_ = false;
  /// The next select_statement's output column types (empty: random), for a set operation's
  /// second branch; and the types the last finished select_statement produced.
  std::vector<SqlType> forced_types_;
  std::vector<SqlType> last_item_types_;
  /// Generating a set operation's branch: no ORDER BY / LIMIT of its own.
  bool in_branch_ = false;
  /// Whether the query being written is ordered (see last_ordered()).
  bool ordered_ = false;
  /// A small integer literal (lengths and counts of string functions).
  std::string small_int();
};

/// PostgreSQL's name of `type`.
const char* type_name(SqlType type);

}  // namespace tessera::fuzz
