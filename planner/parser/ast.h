#pragma once

// The abstract syntax tree produced by the parser (planner/parser/parser.h) and consumed by the
// binder. It mirrors PostgreSQL's raw parse tree closely but is simplified for Tessera:
//
// - Every node has a `kind` (an enum class) and a `location`: the 0-based byte offset of the
//   node's first token in the *whole* query string handed to `parse_sql` (as PostgreSQL reports
//   positions relative to the whole query string), or -1 when unknown. Use
//   `error_position(sql, location)` (planner/parser/error_position.h) to turn it into the
//   1-based character position of an ErrorResponse.
// - Visit a node by switching on `kind` and `static_cast`-ing to the struct whose `kKind`
//   matches (or `node.as<T>()`, which checks the kind in debug builds). No RTTI is needed.
// - Children are owned through `std::unique_ptr`; optional children are null when absent.
// - Identifiers are already case-folded (unquoted names lower-cased, quoted names verbatim).
//
// Nodes are plain data, not thread-safe for concurrent mutation; a parsed tree is immutable by
// convention once `parse_sql` returns.

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "planner/join_type.h"
#include "src/common/assert.h"

namespace tessera::planner {

struct SelectStmt;
struct WindowDef;

// ---------------------------------------------------------------------------------------------
// Type names
// ---------------------------------------------------------------------------------------------

/// A type as written in SQL (`CAST(x AS varchar(10))`, `x::int`, a column definition).
struct TypeName {
  /// Canonical name for built-in types: "integer", "bigint", "smallint", "real",
  /// "double precision", "numeric", "text", "varchar", "char", "boolean", "date", "time",
  /// "timetz", "timestamp", "timestamptz", "interval". Aliases are mapped (int, int4, int8, int2,
  /// float4, float8, float, float(p), decimal, dec, bool, character varying, character, bpchar,
  /// timestamp with/without time zone, pg_catalog.xxx, ...). Any other type name is kept as
  /// written (lower-cased unless quoted; qualified names joined with '.', e.g. "myschema.t"),
  /// so the binder can raise `type "x" does not exist`.
  std::string name;
  /// Type modifiers in parentheses: varchar(10) -> {10}, numeric(10,2) -> {10, 2},
  /// timestamp(3) -> {3}, interval(2) -> {2}. A bare `char`/`character` gets {1} as in
  /// PostgreSQL, while `bpchar` (no length limit) gets {}.
  std::vector<int> modifiers;
  /// Interval field restriction as written, lower-cased: "day", "hour to minute",
  /// "second", ... Empty when absent. Only set for "interval".
  std::string interval_fields;
  /// Number of array dimensions (`int[]`, `int[3][]`); 0 for a scalar type.
  int array_dims = 0;
  int location = -1;
};

// ---------------------------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------------------------

enum class ExprKind : uint8_t {
  kColumnRef,    ///< ColumnRefExpr: a, t.a, s.t.a
  kStar,         ///< StarExpr: * or t.* (only in target lists and count(*)-like places)
  kConstant,     ///< ConstantExpr
  kParameter,    ///< ParameterExpr: $1
  kTypeCast,     ///< TypeCastExpr: x::t, CAST(x AS t), t 'literal'
  kUnaryOp,      ///< UnaryOpExpr: -x, +x, NOT x, ~x
  kBinaryOp,     ///< BinaryOpExpr: arithmetic, comparison, ||, AND, OR, other operators
  kFuncCall,     ///< FuncCallExpr, including aggregates and window functions
  kCase,         ///< CaseExpr
  kSubLink,      ///< SubLinkExpr: EXISTS, scalar subquery, IN/ANY/ALL (subquery)
  kInList,       ///< InListExpr: x [NOT] IN (a, b, c)
  kBetween,      ///< BetweenExpr
  kNullTest,     ///< NullTestExpr: IS [NOT] NULL, ISNULL, NOTNULL
  kBoolTest,     ///< BoolTestExpr: IS [NOT] TRUE/FALSE/UNKNOWN
  kLike,         ///< LikeExpr: [NOT] LIKE / ILIKE / SIMILAR TO [ESCAPE e]
  kIsDistinct,   ///< IsDistinctExpr: IS [NOT] DISTINCT FROM
  kRow,          ///< RowExpr: (a, b) or ROW(a, b)
  kGroupingSet,  ///< GroupingSetExpr: only in GROUP BY: (), ROLLUP, CUBE, GROUPING SETS
  kDefault,      ///< DefaultExpr: the DEFAULT keyword (INSERT VALUES, UPDATE SET)
  kArray,        ///< ArrayExpr: ARRAY[a, b], ARRAY(subquery)
  kSubscript,    ///< SubscriptExpr: a[i], a[i:j]
  kArrayOp,      ///< ArrayOpExpr: x op ANY (array), x op ALL (array)
};

/// Base of all expression nodes.
struct Expr {
  Expr(ExprKind kind, int location) : kind(kind), location(location) {}
  virtual ~Expr() = default;
  Expr(const Expr&) = delete;
  Expr& operator=(const Expr&) = delete;

  /// Downcast after checking `kind` (debug-checked).
  template <typename T>
  const T& as() const {
    TS_DCHECK(kind == T::kKind, "wrong expression kind in Expr::as");
    return static_cast<const T&>(*this);
  }
  template <typename T>
  T& as() {
    TS_DCHECK(kind == T::kKind, "wrong expression kind in Expr::as");
    return static_cast<T&>(*this);
  }

  const ExprKind kind;
  int location;
};

using ExprPtr = std::unique_ptr<Expr>;

/// A column reference: `a`, `t.a`, `s.t.a`. Names are case-folded.
struct ColumnRefExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kColumnRef;
  explicit ColumnRefExpr(int location) : Expr(kKind, location) {}
  std::vector<std::string> fields;
};

/// `*` (empty qualifier) or `t.*` / `s.t.*`.
struct StarExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kStar;
  explicit StarExpr(int location) : Expr(kKind, location) {}
  std::vector<std::string> qualifier;
};

enum class ConstantKind : uint8_t {
  /// An integer literal that fits in int64 (`int_value`). The binder types it as PostgreSQL
  /// does: integer when it fits int32, else bigint. `text` holds the digits.
  kInteger,
  /// A numeric literal kept as text in `text`: `1.5`, `.5`, `1e10`, `2.`, or an integer too
  /// large for int64. Typed numeric by the binder.
  kNumeric,
  /// A string literal (unknown-typed until the binder resolves it); value in `text`.
  kString,
  /// TRUE / FALSE; value in `bool_value`.
  kBoolean,
  /// NULL.
  kNull,
};

/// A literal. A unary minus applied directly to a numeric literal is folded into the literal at
/// parse time, as PostgreSQL does (so `-2147483648` is one kInteger constant whose location is
/// that of the '-').
struct ConstantExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kConstant;
  ConstantExpr(ConstantKind constant_kind, int location)
      : Expr(kKind, location), constant_kind(constant_kind) {}
  ConstantKind constant_kind;
  int64_t int_value = 0;
  bool bool_value = false;
  std::string text;
};

/// `$n` (1-based).
struct ParameterExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kParameter;
  ParameterExpr(int index, int location) : Expr(kKind, location), index(index) {}
  int index;
};

/// `arg::type`, `CAST(arg AS type)`, or a typed literal `type 'text'` (then `arg` is a kString
/// constant).
struct TypeCastExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kTypeCast;
  explicit TypeCastExpr(int location) : Expr(kKind, location) {}
  ExprPtr arg;
  TypeName type;
};

/// A prefix operator: "-", "+", "NOT" (upper case), or another operator symbol such as "~".
struct UnaryOpExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kUnaryOp;
  explicit UnaryOpExpr(int location) : Expr(kKind, location) {}
  std::string op;
  ExprPtr operand;
};

/// An infix operator. `op` is the symbol ("+", "-", "*", "/", "%", "^", "||", "=", "<>", "<",
/// ">", "<=", ">=", or any other operator symbol such as "~~" or "@>"; "!=" is normalized to
/// "<>") or "AND" / "OR" (upper case). `location` is that of the operator token, as in
/// PostgreSQL.
struct BinaryOpExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kBinaryOp;
  explicit BinaryOpExpr(int location) : Expr(kKind, location) {}
  std::string op;
  ExprPtr left;
  ExprPtr right;
};

enum class SortDirection : uint8_t { kDefault, kAsc, kDesc };
enum class NullsOrder : uint8_t { kDefault, kFirst, kLast };

/// One ORDER BY item (also used in window definitions and ordered-set aggregates).
struct SortBy {
  ExprPtr expr;
  SortDirection direction = SortDirection::kDefault;
  NullsOrder nulls = NullsOrder::kDefault;
  int location = -1;
};

/// A function call, aggregate, or window function.
///
/// SQL-standard special forms are mapped to plain calls, the way PostgreSQL 15 does:
/// EXTRACT(f FROM x) -> extract('f', x); SUBSTRING(x FROM a FOR b) -> substring(x, a, b)
/// (FOR only: substring(x, 1, b)); POSITION(a IN b) -> position(b, a);
/// TRIM([BOTH|LEADING|TRAILING] [c] FROM s) -> btrim/ltrim/rtrim(s [, c]);
/// OVERLAY(a PLACING b FROM c [FOR d]) -> overlay(a, b, c [, d]); x AT TIME ZONE z ->
/// timezone(z, x). COALESCE, NULLIF, GREATEST, LEAST and GROUPING become calls of those names
/// (the binder must treat them specially). The SQL value functions CURRENT_DATE, CURRENT_TIME,
/// CURRENT_TIMESTAMP, LOCALTIME, LOCALTIMESTAMP (optionally with a precision argument),
/// CURRENT_USER, SESSION_USER, USER, CURRENT_ROLE, CURRENT_CATALOG and CURRENT_SCHEMA become
/// calls of their lower-case names with `sql_value_function` set.
struct FuncCallExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kFuncCall;
  explicit FuncCallExpr(int location) : Expr(kKind, location) {}
  /// Possibly schema-qualified name, case-folded: {"count"}, {"pg_catalog", "now"}.
  std::vector<std::string> name;
  std::vector<ExprPtr> args;
  /// `f(*)`, e.g. count(*); `args` is then empty.
  bool star = false;
  /// `f(DISTINCT ...)`.
  bool distinct = false;
  /// `f(args ORDER BY ...)`, or the ORDER BY of `WITHIN GROUP (ORDER BY ...)`.
  std::vector<SortBy> agg_order_by;
  /// The ORDER BY came from WITHIN GROUP (an ordered-set aggregate).
  bool agg_within_group = false;
  /// `FILTER (WHERE ...)`, or null.
  ExprPtr filter;
  /// `OVER (...)` or `OVER name`, or null for a plain call.
  std::unique_ptr<WindowDef> over;
  /// A keyword-only SQL value function such as CURRENT_DATE (no parentheses were written).
  bool sql_value_function = false;
};

/// `CASE [arg] WHEN w THEN t ... [ELSE e] END`.
struct CaseExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kCase;
  explicit CaseExpr(int location) : Expr(kKind, location) {}
  struct When {
    ExprPtr condition;  ///< The WHEN expression (compared with `arg` when `arg` is set).
    ExprPtr result;
  };
  ExprPtr arg;  ///< Null for a searched CASE.
  std::vector<When> whens;
  ExprPtr else_result;  ///< Null when absent (NULL).
};

enum class SubLinkKind : uint8_t {
  kExists,  ///< EXISTS (subquery)
  kScalar,  ///< (subquery) used as a value
  kAny,     ///< test_expr op ANY/SOME (subquery); `x IN (subquery)` is kAny with op "="
  kAll,     ///< test_expr op ALL (subquery)
};

/// A subquery in an expression. `x NOT IN (subquery)` is represented as
/// UnaryOpExpr("NOT", SubLinkExpr(kAny, "=")) exactly as PostgreSQL does.
struct SubLinkExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kSubLink;
  explicit SubLinkExpr(int location) : Expr(kKind, location) {}
  SubLinkKind sublink_kind = SubLinkKind::kExists;
  /// The comparison operator for kAny / kAll ("=" for IN), else empty.
  std::string op;
  /// The left operand for kAny / kAll (may be a RowExpr), else null.
  ExprPtr test_expr;
  /// True when written as `IN (subquery)` rather than `= ANY (subquery)`.
  bool is_in = false;
  std::unique_ptr<SelectStmt> subquery;
};

/// `ARRAY[e1, e2, ...]` (`elements`) or `ARRAY(subquery)` (`subquery`).
struct ArrayExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kArray;
  explicit ArrayExpr(int location) : Expr(kKind, location) {}
  std::vector<ExprPtr> elements;
  std::unique_ptr<SelectStmt> subquery;
  /// A nested `[...]` element list (a multidimensional array literal) was written.
  bool nested = false;
};

/// `arg[index]`, or the slice `arg[lower:upper]` with either bound optional.
struct SubscriptExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kSubscript;
  explicit SubscriptExpr(int location) : Expr(kKind, location) {}
  ExprPtr arg;
  ExprPtr lower;  ///< the index when not a slice; may be null in a slice
  ExprPtr upper;  ///< slices only; may be null
  bool is_slice = false;
};

/// `left op ANY (array)`, `left op SOME (array)` or `left op ALL (array)` over an array value.
struct ArrayOpExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kArrayOp;
  explicit ArrayOpExpr(int location) : Expr(kKind, location) {}
  std::string op;
  bool all = false;
  ExprPtr left;
  ExprPtr array;
};

/// `expr [NOT] IN (v1, v2, ...)`.
struct InListExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kInList;
  explicit InListExpr(int location) : Expr(kKind, location) {}
  ExprPtr expr;
  std::vector<ExprPtr> list;
  bool negated = false;
};

/// `expr [NOT] BETWEEN [SYMMETRIC|ASYMMETRIC] low AND high`.
struct BetweenExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kBetween;
  explicit BetweenExpr(int location) : Expr(kKind, location) {}
  ExprPtr expr;
  ExprPtr low;
  ExprPtr high;
  bool negated = false;
  bool symmetric = false;
};

/// `expr IS [NOT] NULL`, `expr ISNULL`, `expr NOTNULL`.
struct NullTestExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kNullTest;
  explicit NullTestExpr(int location) : Expr(kKind, location) {}
  ExprPtr expr;
  bool is_not = false;
};

enum class BoolTestKind : uint8_t {
  kIsTrue,
  kIsNotTrue,
  kIsFalse,
  kIsNotFalse,
  kIsUnknown,
  kIsNotUnknown,
};

/// `expr IS [NOT] TRUE | FALSE | UNKNOWN`.
struct BoolTestExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kBoolTest;
  explicit BoolTestExpr(int location) : Expr(kKind, location) {}
  ExprPtr expr;
  BoolTestKind test = BoolTestKind::kIsTrue;
};

/// `expr [NOT] LIKE | ILIKE | SIMILAR TO pattern [ESCAPE escape]`.
struct LikeExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kLike;
  explicit LikeExpr(int location) : Expr(kKind, location) {}
  ExprPtr expr;
  ExprPtr pattern;
  ExprPtr escape;  ///< Null when absent.
  bool negated = false;
  bool case_insensitive = false;  ///< ILIKE
  bool similar = false;           ///< SIMILAR TO
};

/// `left IS [NOT] DISTINCT FROM right`.
struct IsDistinctExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kIsDistinct;
  explicit IsDistinctExpr(int location) : Expr(kKind, location) {}
  ExprPtr left;
  ExprPtr right;
  bool negated = false;  ///< IS NOT DISTINCT FROM
};

/// A row constructor: `(a, b, ...)` (two or more items) or `ROW(...)` (any number).
struct RowExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kRow;
  explicit RowExpr(int location) : Expr(kKind, location) {}
  std::vector<ExprPtr> args;
  bool explicit_row = false;  ///< Written with the ROW keyword.
};

enum class GroupingSetKind : uint8_t {
  kEmpty,   ///< ()
  kRollup,  ///< ROLLUP (a, (b, c))
  kCube,    ///< CUBE (a, b)
  kSets,    ///< GROUPING SETS (a, (b, c), ROLLUP(...), ())
};

/// A grouping-set construct inside GROUP BY. Items of ROLLUP/CUBE that were parenthesized
/// lists appear as RowExpr; items of GROUPING SETS may themselves be GroupingSetExpr.
struct GroupingSetExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kGroupingSet;
  explicit GroupingSetExpr(int location) : Expr(kKind, location) {}
  GroupingSetKind set_kind = GroupingSetKind::kEmpty;
  std::vector<ExprPtr> items;
};

/// The DEFAULT keyword used as a value.
struct DefaultExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kDefault;
  explicit DefaultExpr(int location) : Expr(kKind, location) {}
};

// ---------------------------------------------------------------------------------------------
// Windows
// ---------------------------------------------------------------------------------------------

enum class FrameMode : uint8_t { kDefault, kRows, kRange, kGroups };

enum class FrameBoundKind : uint8_t {
  kUnboundedPreceding,
  kPreceding,  ///< offset PRECEDING
  kCurrentRow,
  kFollowing,  ///< offset FOLLOWING
  kUnboundedFollowing,
};

struct FrameBound {
  FrameBoundKind kind = FrameBoundKind::kUnboundedPreceding;
  ExprPtr offset;  ///< For kPreceding / kFollowing.
};

enum class FrameExclusion : uint8_t { kNoOthers, kCurrentRow, kGroup, kTies };

/// A window specification: `OVER (...)`, `OVER name`, or an entry of the WINDOW clause.
struct WindowDef {
  /// For a WINDOW clause entry: its name. For `OVER name`: the referenced name (and nothing
  /// else is set).
  std::string name;
  /// `OVER (base_name PARTITION BY ...)`: the existing window this one refines, or empty.
  std::string ref_name;
  std::vector<ExprPtr> partition_by;
  std::vector<SortBy> order_by;
  /// kDefault when no frame clause was written (then start/end are meaningless).
  FrameMode frame_mode = FrameMode::kDefault;
  FrameBound frame_start;
  /// Without BETWEEN, the end is kCurrentRow as in SQL.
  FrameBound frame_end{FrameBoundKind::kCurrentRow, nullptr};
  FrameExclusion exclusion = FrameExclusion::kNoOthers;
  int location = -1;
};

// ---------------------------------------------------------------------------------------------
// FROM clause
// ---------------------------------------------------------------------------------------------

/// `AS name (col1, col2, ...)`.
struct Alias {
  std::string name;
  std::vector<std::string> columns;
};

enum class TableRefKind : uint8_t {
  kBaseTable,  ///< BaseTableRef: a named table or view (or CTE)
  kSubquery,   ///< SubqueryRef: (SELECT ...) AS x
  kJoin,       ///< JoinRef
  kFunction,   ///< FunctionRef: generate_series(1, 10) AS g(x)
};

struct TableRef {
  TableRef(TableRefKind kind, int location) : kind(kind), location(location) {}
  virtual ~TableRef() = default;
  TableRef(const TableRef&) = delete;
  TableRef& operator=(const TableRef&) = delete;

  template <typename T>
  const T& as() const {
    TS_DCHECK(kind == T::kKind, "wrong table reference kind in TableRef::as");
    return static_cast<const T&>(*this);
  }
  template <typename T>
  T& as() {
    TS_DCHECK(kind == T::kKind, "wrong table reference kind in TableRef::as");
    return static_cast<T&>(*this);
  }

  const TableRefKind kind;
  int location;
};

using TableRefPtr = std::unique_ptr<TableRef>;

struct BaseTableRef final : TableRef {
  static constexpr TableRefKind kKind = TableRefKind::kBaseTable;
  explicit BaseTableRef(int location) : TableRef(kKind, location) {}
  /// {"t"} or {"schema", "t"} (or {"db", "schema", "t"}), case-folded.
  std::vector<std::string> name;
  std::optional<Alias> alias;
  bool only = false;  ///< Written with ONLY (no inheritance in Tessera; recorded only).
};

struct SubqueryRef final : TableRef {
  static constexpr TableRefKind kKind = TableRefKind::kSubquery;
  explicit SubqueryRef(int location) : TableRef(kKind, location) {}
  std::unique_ptr<SelectStmt> subquery;
  /// Always present (PostgreSQL 15 requires an alias on a subquery in FROM).
  std::optional<Alias> alias;
  bool lateral = false;
};

struct JoinRef final : TableRef {
  static constexpr TableRefKind kKind = TableRefKind::kJoin;
  explicit JoinRef(int location) : TableRef(kKind, location) {}
  JoinType join_type = JoinType::kInner;
  TableRefPtr left;
  TableRefPtr right;
  bool natural = false;
  ExprPtr on;                       ///< ON condition, or null.
  std::vector<std::string> using_columns;  ///< USING (a, b), or empty.
  /// `(a JOIN b ON ...) AS j`, or `USING (a) AS j`: the alias of the join, when written.
  std::optional<Alias> alias;
};

struct FunctionRef final : TableRef {
  static constexpr TableRefKind kKind = TableRefKind::kFunction;
  explicit FunctionRef(int location) : TableRef(kKind, location) {}
  /// The call; null for ROWS FROM (...), whose calls are `rows_from`.
  std::unique_ptr<FuncCallExpr> function;
  std::vector<std::unique_ptr<FuncCallExpr>> rows_from;
  std::optional<Alias> alias;
  bool lateral = false;
  bool with_ordinality = false;
};

// ---------------------------------------------------------------------------------------------
// SELECT
// ---------------------------------------------------------------------------------------------

/// One entry of a SELECT target list (or RETURNING list).
struct ResultTarget {
  ExprPtr expr;   ///< May be a StarExpr.
  std::string alias;  ///< Empty when no alias was written.
  int location = -1;
};

enum class CteMaterialize : uint8_t { kDefault, kMaterialized, kNotMaterialized };

/// `name [(columns)] AS [[NOT] MATERIALIZED] (query)`.
struct CommonTableExpr {
  std::string name;
  std::vector<std::string> column_aliases;
  std::unique_ptr<SelectStmt> query;
  CteMaterialize materialize = CteMaterialize::kDefault;
  int location = -1;
};

struct WithClause {
  bool recursive = false;
  std::vector<CommonTableExpr> ctes;
  int location = -1;
};

enum class SelectKind : uint8_t {
  kSimple,  ///< SELECT ... FROM ... WHERE ... GROUP BY ... HAVING ... WINDOW ...
  kValues,  ///< VALUES (...), (...)
  kSetOp,   ///< larg UNION/INTERSECT/EXCEPT [ALL] rarg
};

enum class SetOpKind : uint8_t { kUnion, kIntersect, kExcept };

/// A query (PostgreSQL's SelectStmt): a simple SELECT, a VALUES list or a set operation, plus
/// the clauses that apply to the whole query (WITH, ORDER BY, LIMIT/OFFSET). `TABLE t` is
/// parsed as `SELECT * FROM t`. Clauses of other kinds are empty.
struct SelectStmt {
  SelectKind select_kind = SelectKind::kSimple;
  int location = -1;

  std::unique_ptr<WithClause> with;  ///< Null when absent.

  // kSimple.
  bool distinct = false;               ///< DISTINCT or DISTINCT ON.
  std::vector<ExprPtr> distinct_on;    ///< DISTINCT ON (...) expressions.
  std::vector<ResultTarget> targets;   ///< May be empty (`SELECT FROM t` is legal).
  std::vector<TableRefPtr> from;       ///< Comma-separated FROM items.
  ExprPtr where;
  std::vector<ExprPtr> group_by;       ///< Items may be GroupingSetExpr.
  bool group_by_distinct = false;      ///< GROUP BY DISTINCT ...
  ExprPtr having;
  std::vector<WindowDef> windows;      ///< WINDOW w AS (...), named.

  // kValues.
  std::vector<std::vector<ExprPtr>> values_lists;

  // kSetOp.
  SetOpKind set_op = SetOpKind::kUnion;
  bool set_all = false;
  std::unique_ptr<SelectStmt> larg;
  std::unique_ptr<SelectStmt> rarg;

  // Any kind.
  std::vector<SortBy> order_by;
  ExprPtr limit;   ///< Null for none or LIMIT ALL (and FETCH FIRST n ROWS ONLY sets it).
  bool limit_with_ties = false;  ///< FETCH FIRST n ROWS WITH TIES (`limit` is n).
  ExprPtr offset;  ///< Null for none.
};

// ---------------------------------------------------------------------------------------------
// Statements
// ---------------------------------------------------------------------------------------------

enum class StatementKind : uint8_t {
  kSelect,
  kInsert,
  kUpdate,
  kDelete,
  kCreateTable,
  kCreateView,    ///< Also CREATE MATERIALIZED VIEW.
  kCreateIndex,
  kCreateSequence,
  kDrop,          ///< DROP TABLE / VIEW / MATERIALIZED VIEW / INDEX / SCHEMA.
  kTruncate,
  kRefreshMatView,
  kTransaction,   ///< BEGIN / START TRANSACTION / COMMIT / END / ROLLBACK / ABORT / SAVEPOINT ...
  kExplain,
  kVariableSet,   ///< SET / RESET
  kVariableShow,  ///< SHOW
  kCopy,
  kPrepare,
  kExecute,
  kDeallocate,
  kCall,
  kAlterTable,
  kAlterSequence,
  kComment,
  kSchema,  ///< CREATE SCHEMA / ALTER SCHEMA (DROP SCHEMA is a kDrop)
  kCheckpoint,
  kVacuum,  ///< VACUUM / ANALYZE
};

/// Base of all statements.
struct Statement {
  Statement(StatementKind kind, int location) : kind(kind), location(location) {}
  virtual ~Statement() = default;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  template <typename T>
  const T& as() const {
    TS_DCHECK(kind == T::kKind, "wrong statement kind in Statement::as");
    return static_cast<const T&>(*this);
  }
  template <typename T>
  T& as() {
    TS_DCHECK(kind == T::kKind, "wrong statement kind in Statement::as");
    return static_cast<T&>(*this);
  }

  const StatementKind kind;
  /// Byte offset of the statement's first token in the whole query string.
  int location;
  /// This statement's own source text: from its first to its last token (comments around it
  /// and the ';' excluded).
  std::string text;
};

using StatementPtr = std::unique_ptr<Statement>;

struct SelectStatement final : Statement {
  static constexpr StatementKind kKind = StatementKind::kSelect;
  explicit SelectStatement(int location) : Statement(kKind, location) {}
  std::unique_ptr<SelectStmt> select;
};

/// One `column = expr` of UPDATE ... SET.
struct SetClause {
  std::string column;
  ExprPtr value;  ///< May be a DefaultExpr.
  int location = -1;
};

/// `ON CONFLICT [(columns) [WHERE predicate] | ON CONSTRAINT name] DO NOTHING | DO UPDATE SET
/// ... [WHERE condition]` of INSERT.
struct OnConflictClause {
  bool has_target = false;           ///< a column list or ON CONSTRAINT was written
  std::vector<std::string> columns;  ///< the inference columns
  ExprPtr index_predicate;           ///< WHERE of the inference specification, or null
  std::string constraint;            ///< ON CONSTRAINT name, or empty
  bool do_update = false;
  std::vector<SetClause> set;        ///< DO UPDATE SET
  ExprPtr where;                     ///< DO UPDATE ... WHERE, or null
  int location = -1;                 ///< the ON of ON CONFLICT
  int target_location = -1;
  int update_location = -1;          ///< the UPDATE of DO UPDATE
};

struct InsertStatement final : Statement {
  static constexpr StatementKind kKind = StatementKind::kInsert;
  explicit InsertStatement(int location) : Statement(kKind, location) {}
  std::unique_ptr<WithClause> with;  ///< WITH ... INSERT, or null.
  std::vector<std::string> table;    ///< Possibly qualified name.
  std::string alias;                 ///< INSERT INTO t AS x, or empty.
  std::vector<std::string> columns;  ///< Empty when no column list was written.
  /// The rows: a VALUES query or any SELECT. Null when `default_values`.
  std::unique_ptr<SelectStmt> source;
  bool default_values = false;       ///< INSERT ... DEFAULT VALUES.
  /// OVERRIDING SYSTEM VALUE: 's'; OVERRIDING USER VALUE: 'u'; otherwise 0.
  char overriding = 0;
  std::unique_ptr<OnConflictClause> on_conflict;  ///< null without ON CONFLICT
  std::vector<ResultTarget> returning;
};

struct UpdateStatement final : Statement {
  static constexpr StatementKind kKind = StatementKind::kUpdate;
  explicit UpdateStatement(int location) : Statement(kKind, location) {}
  std::unique_ptr<WithClause> with;
  std::vector<std::string> table;
  std::string alias;
  std::vector<SetClause> set;
  std::vector<TableRefPtr> from;
  ExprPtr where;
  std::vector<ResultTarget> returning;
};

struct DeleteStatement final : Statement {
  static constexpr StatementKind kKind = StatementKind::kDelete;
  explicit DeleteStatement(int location) : Statement(kKind, location) {}
  std::unique_ptr<WithClause> with;
  std::vector<std::string> table;
  std::string alias;
  std::vector<TableRefPtr> using_tables;  ///< DELETE ... USING a, b
  ExprPtr where;
  std::vector<ResultTarget> returning;
};

/// `REFERENCES table [(columns)] [MATCH ...] [ON DELETE ...] [ON UPDATE ...]`.
struct ForeignKeyRef {
  std::vector<std::string> table;
  std::vector<std::string> columns;
  /// MATCH SIMPLE 's' (the default), FULL 'f', PARTIAL 'p'.
  char match = 's';
  /// ON DELETE / ON UPDATE: NO ACTION 'a' (the default), RESTRICT 'r', CASCADE 'c',
  /// SET NULL 'n', SET DEFAULT 'd' (pg_constraint.confdeltype's letters).
  char on_delete = 'a';
  char on_update = 'a';
  /// `SET NULL (columns)` / `SET DEFAULT (columns)` of ON DELETE and of ON UPDATE (which
  /// PostgreSQL refuses).
  std::vector<std::string> delete_set_columns;
  std::vector<std::string> update_set_columns;
  /// A column constraint's CONSTRAINT name; empty when unnamed (table constraints keep theirs).
  std::string name;
  int location = -1;
};

/// One option of CREATE SEQUENCE or of an identity column's sequence: `name` is "as",
/// "increment", "minvalue", "maxvalue", "start", "cache" or "cycle"; `value` is the number given
/// (nullopt for NO MINVALUE / NO MAXVALUE; 1 for CYCLE and 0 for NO CYCLE); `type` for AS.
struct SequenceOption {
  std::string name;
  std::optional<int64_t> value;
  TypeName type;
  int location = -1;
};

struct ColumnDef {
  std::string name;
  TypeName type;
  bool not_null = false;
  bool primary_key = false;
  bool unique = false;
  std::string primary_key_name;     ///< CONSTRAINT name of the PRIMARY KEY; empty when unnamed.
  std::string unique_name;          ///< CONSTRAINT name of the UNIQUE constraint; empty when unnamed.
  ExprPtr default_value;            ///< DEFAULT expr, or null.
  std::string default_text;         ///< The DEFAULT expression's source text.
  std::vector<ExprPtr> checks;      ///< Column CHECK (expr) constraints.
  std::vector<std::string> check_texts;  ///< Their source texts.
  std::vector<std::string> check_names;  ///< Their CONSTRAINT names; empty when unnamed.
  std::optional<ForeignKeyRef> references;
  /// GENERATED ALWAYS AS IDENTITY: 'a'; GENERATED BY DEFAULT AS IDENTITY: 'd'; otherwise 0.
  char identity = 0;
  std::vector<SequenceOption> identity_options;  ///< The identity's ( sequence options ).
  int location = -1;
};

enum class TableConstraintKind : uint8_t { kPrimaryKey, kUnique, kCheck, kForeignKey };

/// A table-level constraint: `[CONSTRAINT name] PRIMARY KEY (a, b)` etc.
struct TableConstraint {
  TableConstraintKind constraint_kind = TableConstraintKind::kPrimaryKey;
  std::string name;                  ///< Empty when unnamed.
  std::vector<std::string> columns;  ///< PRIMARY KEY / UNIQUE / FOREIGN KEY columns.
  ExprPtr check;                     ///< kCheck only.
  std::string check_text;            ///< kCheck: the expression's source text.
  std::optional<ForeignKeyRef> references;  ///< kForeignKey only.
  int location = -1;
};

/// `LIKE source [INCLUDING | EXCLUDING option ...]` in CREATE TABLE's element list.
struct TableLikeClause {
  std::vector<std::string> table;
  /// The options in effect (INCLUDING ALL sets every one; EXCLUDING clears one), lower-case:
  /// "comments", "compression", "constraints", "defaults", "generated", "identity",
  /// "indexes", "statistics", "storage".
  std::set<std::string> including;
  /// How many column definitions come before it.
  size_t position = 0;
  int location = -1;
};

struct CreateTableStatement final : Statement {
  static constexpr StatementKind kKind = StatementKind::kCreateTable;
  explicit CreateTableStatement(int location) : Statement(kKind, location) {}
  std::vector<std::string> name;
  bool if_not_exists = false;
  bool temporary = false;
  std::vector<ColumnDef> columns;
  std::vector<TableConstraint> constraints;
  std::vector<TableLikeClause> likes;
  /// CREATE TABLE ... [(col names)] AS query: the query (then `columns` is empty and
  /// `as_column_names` holds the optional names).
  std::unique_ptr<SelectStmt> as_query;
  std::vector<std::string> as_column_names;
  bool with_no_data = false;  ///< ... AS query WITH NO DATA.
};

struct CreateViewStatement final : Statement {
  static constexpr StatementKind kKind = StatementKind::kCreateView;
  explicit CreateViewStatement(int location) : Statement(kKind, location) {}
  std::vector<std::string> name;
  bool or_replace = false;
  bool materialized = false;
  bool if_not_exists = false;  ///< Materialized views only.
  bool temporary = false;
  std::vector<std::string> column_names;
  std::unique_ptr<SelectStmt> query;
  /// The source text of the query (after AS, up to its last token), for storing the definition.
  std::string query_text;
  bool with_no_data = false;  ///< Materialized views: WITH NO DATA.
};

/// One index column: a column name, or an expression in parentheses.
struct IndexElem {
  std::string column;  ///< Empty when `expr` is set.
  ExprPtr expr;
  SortDirection direction = SortDirection::kDefault;
  NullsOrder nulls = NullsOrder::kDefault;
};

struct CreateIndexStatement final : Statement {
  static constexpr StatementKind kKind = StatementKind::kCreateIndex;
  explicit CreateIndexStatement(int location) : Statement(kKind, location) {}
  std::string name;  ///< Empty when no name was given.
  std::vector<std::string> table;
  std::vector<IndexElem> columns;
  bool unique = false;
  bool if_not_exists = false;
  std::string method;  ///< USING method, lower-cased; empty when absent.
  ExprPtr where;       ///< Partial index predicate, or null.
};

/// CREATE SEQUENCE [IF NOT EXISTS] name [options].
struct CreateSequenceStatement final : Statement {
  static constexpr StatementKind kKind = StatementKind::kCreateSequence;
  explicit CreateSequenceStatement(int location) : Statement(kKind, location) {}
  std::vector<std::string> name;
  bool if_not_exists = false;
  std::vector<SequenceOption> options;
};

enum class ObjectType : uint8_t { kTable, kView, kMaterializedView, kIndex, kSchema, kSequence };

enum class AlterTableActionKind : uint8_t {
  kRenameTable,       ///< RENAME TO new_name
  kRenameColumn,      ///< RENAME [COLUMN] name TO new_name
  kAddColumn,         ///< ADD [COLUMN] [IF NOT EXISTS] column
  kDropColumn,        ///< DROP [COLUMN] [IF EXISTS] name [CASCADE | RESTRICT]
  kSetDefault,        ///< ALTER [COLUMN] name SET DEFAULT expr
  kDropDefault,       ///< ALTER [COLUMN] name DROP DEFAULT
  kSetNotNull,        ///< ALTER [COLUMN] name SET NOT NULL
  kDropNotNull,       ///< ALTER [COLUMN] name DROP NOT NULL
  kAlterType,         ///< ALTER [COLUMN] name [SET DATA] TYPE type [USING expr]
  kAddConstraint,     ///< ADD table_constraint
  kDropConstraint,    ///< DROP CONSTRAINT [IF EXISTS] name [CASCADE | RESTRICT]
  kRenameConstraint,  ///< RENAME CONSTRAINT name TO new_name
  kAddIdentity,       ///< ALTER [COLUMN] name ADD GENERATED ... AS IDENTITY [(options)] (in `column`)
  kDropIdentity,      ///< ALTER [COLUMN] name DROP IDENTITY [IF EXISTS]
  kUnsupported,       ///< another action: `text` names it (the binder raises 0A000)
  kSetSchema,         ///< SET SCHEMA new_name
};

/// One action of ALTER TABLE.
struct AlterTableAction {
  AlterTableActionKind action_kind = AlterTableActionKind::kUnsupported;
  std::string name;      ///< The column or constraint acted on.
  std::string new_name;  ///< RENAME ... TO new_name
  ColumnDef column;      ///< kAddColumn; kAddIdentity: the name, identity kind and options
  bool if_exists = false;      ///< DROP ... IF EXISTS
  bool if_not_exists = false;  ///< ADD COLUMN IF NOT EXISTS
  bool cascade = false;
  TypeName type;         ///< kAlterType
  ExprPtr expr;          ///< kSetDefault: the default; kAlterType: USING expr (or null)
  std::string expr_text; ///< Its source text.
  TableConstraint constraint;  ///< kAddConstraint
  std::string text;      ///< kUnsupported: what the action is, for the message
  int location = -1;
};

/// ALTER TABLE [IF EXISTS] [ONLY] name action [, ...].
struct AlterTableStatement final : Statement {
  static constexpr StatementKind kKind = StatementKind::kAlterTable;
  explicit AlterTableStatement(int location) : Statement(kKind, location) {}
  std::vector<std::string> name;
  bool if_exists = false;
  std::vector<AlterTableAction> actions;
};

/// ALTER SEQUENCE [IF EXISTS] name options (`restart` an option with the value given, or
/// nullopt for RESTART alone; `owned_by` the column, or empty names for OWNED BY NONE).
struct AlterSequenceStatement final : Statement {
  static constexpr StatementKind kKind = StatementKind::kAlterSequence;
  explicit AlterSequenceStatement(int location) : Statement(kKind, location) {}
  std::vector<std::string> name;
  bool if_exists = false;
  std::vector<SequenceOption> options;
  bool restart = false;
  std::optional<int64_t> restart_value;
  bool has_owned_by = false;
  std::vector<std::string> owned_by;  ///< table.column (possibly qualified); empty for NONE
};

/// COMMENT ON TABLE / COLUMN / VIEW / SEQUENCE / INDEX name IS 'text' | NULL.
struct CommentStatement final : Statement {
  static constexpr StatementKind kKind = StatementKind::kComment;
  explicit CommentStatement(int location) : Statement(kKind, location) {}
  std::string object_type;        ///< "table", "column", "view", "sequence", "index", ...
  std::vector<std::string> name;  ///< For a column: [schema.]table.column
  std::optional<std::string> comment;  ///< nullopt for IS NULL
};

/// CREATE SCHEMA [IF NOT EXISTS] name [AUTHORIZATION role], CREATE SCHEMA AUTHORIZATION role,
/// ALTER SCHEMA name RENAME TO new_name, ALTER SCHEMA name OWNER TO role.
struct SchemaStatement final : Statement {
  static constexpr StatementKind kKind = StatementKind::kSchema;
  explicit SchemaStatement(int location) : Statement(kKind, location) {}
  enum class Action : uint8_t { kCreate, kRename, kOwner };
  Action action = Action::kCreate;
  std::string name;  ///< empty for CREATE SCHEMA AUTHORIZATION role (named after the role)
  bool if_not_exists = false;
  /// AUTHORIZATION / OWNER TO: the role's name, or with role_keyword, "current_user",
  /// "session_user" or "current_role".
  std::optional<std::string> role;
  bool role_keyword = false;
  std::string new_name;  ///< kRename
};

struct DropStatement final : Statement {
  static constexpr StatementKind kKind = StatementKind::kDrop;
  explicit DropStatement(int location) : Statement(kKind, location) {}
  ObjectType object_type = ObjectType::kTable;
  std::vector<std::vector<std::string>> names;
  bool if_exists = false;
  bool cascade = false;
};

struct TruncateStatement final : Statement {
  static constexpr StatementKind kKind = StatementKind::kTruncate;
  explicit TruncateStatement(int location) : Statement(kKind, location) {}
  std::vector<std::vector<std::string>> tables;
  bool cascade = false;
  bool restart_identity = false;
};

struct RefreshMatViewStatement final : Statement {
  static constexpr StatementKind kKind = StatementKind::kRefreshMatView;
  explicit RefreshMatViewStatement(int location) : Statement(kKind, location) {}
  std::vector<std::string> name;
  bool concurrently = false;
  bool with_no_data = false;
};

enum class TransactionKind : uint8_t {
  kBegin,     ///< BEGIN [WORK | TRANSACTION], START TRANSACTION
  kCommit,    ///< COMMIT [WORK | TRANSACTION], END
  kRollback,  ///< ROLLBACK [WORK | TRANSACTION], ABORT
  kSavepoint,            ///< SAVEPOINT name
  kRelease,              ///< RELEASE [SAVEPOINT] name
  kRollbackToSavepoint,  ///< ROLLBACK [WORK] TO [SAVEPOINT] name
};

struct TransactionStatement final : Statement {
  static constexpr StatementKind kKind = StatementKind::kTransaction;
  explicit TransactionStatement(int location) : Statement(kKind, location) {}
  TransactionKind transaction_kind = TransactionKind::kBegin;
  std::string savepoint_name;
  /// ISOLATION LEVEL, lower-case ("serializable", "repeatable read", "read committed",
  /// "read uncommitted"), or empty.
  std::string isolation_level;
  std::optional<bool> read_only;   ///< READ ONLY / READ WRITE
  std::optional<bool> deferrable;  ///< [NOT] DEFERRABLE
  bool chain = false;              ///< COMMIT/ROLLBACK AND CHAIN
};

/// An EXPLAIN option: `ANALYZE`, `VERBOSE`, `(COSTS OFF, FORMAT JSON)`.
struct ExplainOption {
  std::string name;   ///< Lower-case.
  std::string value;  ///< Lower-case value as written, or empty.
};

struct ExplainStatement final : Statement {
  static constexpr StatementKind kKind = StatementKind::kExplain;
  explicit ExplainStatement(int location) : Statement(kKind, location) {}
  bool analyze = false;
  bool verbose = false;
  std::vector<ExplainOption> options;  ///< All options written, including analyze/verbose.
  StatementPtr statement;
};

enum class VariableSetKind : uint8_t {
  kValue,     ///< SET name TO/= values
  kDefault,   ///< SET name TO DEFAULT, SET TIME ZONE LOCAL/DEFAULT
  kReset,     ///< RESET name
  kResetAll,  ///< RESET ALL
};

struct VariableSetStatement final : Statement {
  static constexpr StatementKind kKind = StatementKind::kVariableSet;
  explicit VariableSetStatement(int location) : Statement(kKind, location) {}
  VariableSetKind set_kind = VariableSetKind::kValue;
  /// Lower-case, possibly dotted ("search_path", "myext.opt"). SET TIME ZONE sets "timezone";
  /// SET [SESSION CHARACTERISTICS AS] TRANSACTION ISOLATION LEVEL x sets
  /// "[default_]transaction_isolation" (and READ ONLY "[default_]transaction_read_only").
  std::string name;
  /// The values: ConstantExpr nodes. Words and identifiers become kString constants
  /// (ON/OFF/TRUE/FALSE too, lower-cased unless quoted), numbers kInteger/kNumeric.
  std::vector<ExprPtr> values;
  bool local = false;  ///< SET LOCAL
};

struct VariableShowStatement final : Statement {
  static constexpr StatementKind kKind = StatementKind::kVariableShow;
  explicit VariableShowStatement(int location) : Statement(kKind, location) {}
  /// Lower-case name; "all" for SHOW ALL; "timezone" for SHOW TIME ZONE;
  /// "transaction_isolation" for SHOW TRANSACTION ISOLATION LEVEL.
  std::string name;
};

/// A COPY option (`FORMAT csv`, `HEADER`, `DELIMITER ','`); legacy spellings are mapped to
/// the same names (`CSV` -> format=csv, `BINARY` -> format=binary).
struct CopyOption {
  std::string name;   ///< Lower-case.
  std::string value;  ///< The value as written (strings unquoted; words lower-cased), or empty.
};

struct CopyStatement final : Statement {
  static constexpr StatementKind kKind = StatementKind::kCopy;
  explicit CopyStatement(int location) : Statement(kKind, location) {}
  std::vector<std::string> table;    ///< Empty when `query` is set.
  std::vector<std::string> columns;
  std::unique_ptr<SelectStmt> query;  ///< COPY (query) TO ...
  bool is_from = false;               ///< COPY ... FROM (else TO).
  bool is_program = false;            ///< FROM/TO PROGRAM 'cmd'
  /// The file name, or empty for STDIN / STDOUT.
  std::string filename;
  std::vector<CopyOption> options;
  ExprPtr where;  ///< COPY FROM ... WHERE
};

struct PrepareStatement final : Statement {
  static constexpr StatementKind kKind = StatementKind::kPrepare;
  explicit PrepareStatement(int location) : Statement(kKind, location) {}
  std::string name;
  std::vector<TypeName> param_types;
  StatementPtr statement;
};

struct ExecuteStatement final : Statement {
  static constexpr StatementKind kKind = StatementKind::kExecute;
  explicit ExecuteStatement(int location) : Statement(kKind, location) {}
  std::string name;
  std::vector<ExprPtr> params;
};

struct DeallocateStatement final : Statement {
  static constexpr StatementKind kKind = StatementKind::kDeallocate;
  explicit DeallocateStatement(int location) : Statement(kKind, location) {}
  std::string name;  ///< Empty when `all`.
  bool all = false;
};

/// `CHECKPOINT`: the session runs it (Database::checkpoint).
struct CheckpointStatement final : Statement {
  static constexpr StatementKind kKind = StatementKind::kCheckpoint;
  explicit CheckpointStatement(int location) : Statement(kKind, location) {}
};

/// One relation of VACUUM / ANALYZE, with its column list (empty: every column).
struct VacuumRelation {
  std::vector<std::string> name;  ///< possibly schema-qualified, case-folded
  std::vector<std::string> columns;
  int location = 0;
};

/// `VACUUM [FULL] [FREEZE] [VERBOSE] [ANALYZE] [relation [(columns)] [, ...]]`, `VACUUM (options)
/// ...`, and `ANALYZE [VERBOSE] ...` / `ANALYZE (options) ...` (`vacuum` false). The parser
/// checks the option names and values as PostgreSQL's ExecVacuum does.
struct VacuumStatement final : Statement {
  static constexpr StatementKind kKind = StatementKind::kVacuum;
  explicit VacuumStatement(int location) : Statement(kKind, location) {}
  bool vacuum = true;   ///< VACUUM (false: ANALYZE alone)
  bool full = false;
  bool freeze = false;
  bool verbose = false;
  bool analyze = false;  ///< VACUUM ANALYZE, and every ANALYZE
  bool skip_locked = false;
  std::vector<VacuumRelation> relations;  ///< empty: every table
};

/// `CALL name(args)`: runs a procedure.
struct CallStatement final : Statement {
  static constexpr StatementKind kKind = StatementKind::kCall;
  explicit CallStatement(int location) : Statement(kKind, location) {}
  std::vector<std::string> name;  ///< possibly schema-qualified, case-folded
  std::vector<ExprPtr> args;
};

}  // namespace tessera::planner
