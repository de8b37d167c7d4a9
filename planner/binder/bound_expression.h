#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "catalog/function_entry.h"
#include "src/common/logical_type.h"
#include "src/common/value.h"

namespace tessera::planner {

class LogicalOperator;

/// Names one column produced by a logical operator: the operator's table index and the
/// column's position within it. Bindings survive plan rewrites (pushdown, pruning); the
/// physical planner turns them into chunk positions.
struct ColumnBinding {
  uint32_t table_index = 0;
  uint32_t column_index = 0;
  friend bool operator==(const ColumnBinding& a, const ColumnBinding& b) {
    return a.table_index == b.table_index && a.column_index == b.column_index;
  }
  friend bool operator<(const ColumnBinding& a, const ColumnBinding& b) {
    return a.table_index != b.table_index ? a.table_index < b.table_index : a.column_index < b.column_index;
  }
};

enum class BoundExprKind : uint8_t {
  kColumnRef,
  kReference,    ///< column `index` of the evaluating operator's input chunk (physical plans)
  kConstant,
  kParameter,    ///< a value supplied per execution: correlated outer column of a subquery
  kCast,
  kFunction,     ///< operators and scalar functions (entries of the FunctionRegistry)
  kConjunction,  ///< AND / OR over any number of children
  kCase,
  kBooleanTest,  ///< NOT, IS [NOT] NULL, IS [NOT] TRUE / FALSE
  kCoalesce,
  kAggregate,    ///< only inside LogicalAggregate
  kSubquery,
  kWindow,       ///< only inside LogicalWindow
  kGrouping,     ///< grouping(...): only while binding a grouped query's expressions
};

/// The tests PostgreSQL writes as expression syntax rather than functions (BoolExpr NOT,
/// NullTest, BooleanTest). Values are frozen: they may be persisted in view definitions later.
enum class BooleanTest : uint8_t {
  kNot = 0,
  kIsNull = 1,
  kIsNotNull = 2,
  kIsTrue = 3,
  kIsNotTrue = 4,
  kIsFalse = 5,
  kIsNotFalse = 6,
};

enum class SubqueryKind : uint8_t { kScalar, kExists, kAny /* x op ANY(subquery), IN */, kAll };

/// A bound, typed expression. Owned by the plan node that evaluates it.
class BoundExpression {
 public:
  BoundExpression(BoundExprKind kind, LogicalType type) : kind(kind), type(type) {}
  virtual ~BoundExpression() = default;
  virtual std::unique_ptr<BoundExpression> copy() const = 0;
  /// Readable form for EXPLAIN and errors.
  virtual std::string to_string() const = 0;
  /// Structural equality (used to match GROUP BY expressions).
  virtual bool equals(const BoundExpression& other) const = 0;
  /// Calls `f` on each direct child slot.
  virtual void for_each_child(const std::function<void(std::unique_ptr<BoundExpression>&)>& f) {}

  BoundExprKind kind;
  LogicalType type;
  /// Output column name when this is a select-list item (PostgreSQL's naming rules).
  std::string alias;
};

using BoundExprPtr = std::unique_ptr<BoundExpression>;

class BoundColumnRef : public BoundExpression {
 public:
  BoundColumnRef(LogicalType type, ColumnBinding binding, std::string name)
      : BoundExpression(BoundExprKind::kColumnRef, type), binding(binding), name(std::move(name)) {}
  BoundExprPtr copy() const override;
  std::string to_string() const override { return name; }
  bool equals(const BoundExpression& other) const override;

  ColumnBinding binding;
  std::string name;
};

/// A column of the input chunk by position; the physical planner replaces BoundColumnRefs with these.
class BoundReference : public BoundExpression {
 public:
  BoundReference(LogicalType type, uint32_t index, std::string name)
      : BoundExpression(BoundExprKind::kReference, type), index(index), name(std::move(name)) {}
  BoundExprPtr copy() const override;
  std::string to_string() const override { return name.empty() ? "#" + std::to_string(index) : name; }
  bool equals(const BoundExpression& other) const override;

  uint32_t index;
  std::string name;
};

class BoundConstant : public BoundExpression {
 public:
  explicit BoundConstant(Value value) : BoundExpression(BoundExprKind::kConstant, value.type()), value(std::move(value)) {}
  BoundExprPtr copy() const override;
  std::string to_string() const override;
  bool equals(const BoundExpression& other) const override;

  Value value;
  /// A quoted string literal whose type is still open ('unknown' in PostgreSQL).
  bool unknown_literal = false;
  /// For `$n` bound while preparing a statement (value unknown, type open): the table its type
  /// is inferred into when the context casts it, and n. Valid while binding; such a constant
  /// is never executed (bind() binds again with the values).
  class ParameterTypes* parameter_types = nullptr;
  uint32_t parameter_index = 0;
};

/// The types of a statement's `$n` parameters, inferred while it is prepared: a parameter
/// takes the type its context casts it to (compared with, assigned to, combined with a typed
/// expression, or an explicit `$1::int`); one the context leaves open is text.
class ParameterTypes {
 public:
  /// Notes that `$index` (1-based) occurs.
  void declare(uint32_t index);
  /// Fixes `$index` to `type`; raises 42P08 when it was already fixed to another type.
  void infer(uint32_t index, const LogicalType& type);
  /// The types of $1..$n, n the highest index seen; open ones are text.
  std::vector<LogicalType> resolved() const;
  /// PREPARE name(type, ...): `$index` has `type`, whatever its contexts say.
  void declare_type(uint32_t index, const LogicalType& type);
  /// Whether `$index` has a declared type (see declare_type).
  bool is_declared(uint32_t index) const { return index <= declared_.size() && declared_[index - 1]; }

 private:
  std::vector<std::optional<LogicalType>> types_;
  std::vector<bool> declared_;
};

class BoundParameter : public BoundExpression {
 public:
  BoundParameter(LogicalType type, uint32_t index) : BoundExpression(BoundExprKind::kParameter, type), index(index) {}
  BoundExprPtr copy() const override;
  std::string to_string() const override { return "$" + std::to_string(index + 1); }
  bool equals(const BoundExpression& other) const override;

  uint32_t index;
};

class BoundCast : public BoundExpression {
 public:
  BoundCast(LogicalType type, BoundExprPtr child) : BoundExpression(BoundExprKind::kCast, type), child(std::move(child)) {}
  BoundExprPtr copy() const override;
  std::string to_string() const override;
  bool equals(const BoundExpression& other) const override;
  void for_each_child(const std::function<void(BoundExprPtr&)>& f) override { f(child); }

  BoundExprPtr child;
};

/// A call of a scalar function or operator overload of the FunctionRegistry. The arguments are
/// already cast to the overload's resolved parameter types.
class BoundFunction : public BoundExpression {
 public:
  BoundFunction(LogicalType type, const catalog::ScalarFunction& function, std::vector<BoundExprPtr> children,
                std::shared_ptr<const catalog::FunctionData> bind_data = nullptr)
      : BoundExpression(BoundExprKind::kFunction, type),
        function(&function),
        children(std::move(children)),
        bind_data(std::move(bind_data)) {}
  BoundExprPtr copy() const override;
  std::string to_string() const override;
  bool equals(const BoundExpression& other) const override;
  void for_each_child(const std::function<void(BoundExprPtr&)>& f) override {
    for (auto& c : children) f(c);
  }

  /// The overload called; owned by the registry, which outlives every plan.
  const catalog::ScalarFunction* function;
  std::vector<BoundExprPtr> children;
  /// What the function's bind hook computed for this call site (null when it has none).
  std::shared_ptr<const catalog::FunctionData> bind_data;
};

/// NOT x, x IS [NOT] NULL, x IS [NOT] TRUE / FALSE (IS UNKNOWN is IS NULL).
class BoundBooleanTest : public BoundExpression {
 public:
  BoundBooleanTest(BooleanTest test, BoundExprPtr child)
      : BoundExpression(BoundExprKind::kBooleanTest, LogicalType::boolean()), test(test), child(std::move(child)) {}
  BoundExprPtr copy() const override;
  std::string to_string() const override;
  bool equals(const BoundExpression& other) const override;
  void for_each_child(const std::function<void(BoundExprPtr&)>& f) override { f(child); }

  BooleanTest test;
  BoundExprPtr child;
};

/// COALESCE(a, b, ...): each argument is evaluated only for the rows all earlier ones left NULL.
class BoundCoalesce : public BoundExpression {
 public:
  BoundCoalesce(LogicalType type, std::vector<BoundExprPtr> children)
      : BoundExpression(BoundExprKind::kCoalesce, type), children(std::move(children)) {}
  BoundExprPtr copy() const override;
  std::string to_string() const override;
  bool equals(const BoundExpression& other) const override;
  void for_each_child(const std::function<void(BoundExprPtr&)>& f) override {
    for (auto& c : children) f(c);
  }

  std::vector<BoundExprPtr> children;
};

class BoundConjunction : public BoundExpression {
 public:
  BoundConjunction(bool is_and, std::vector<BoundExprPtr> children)
      : BoundExpression(BoundExprKind::kConjunction, LogicalType::boolean()), is_and(is_and), children(std::move(children)) {}
  BoundExprPtr copy() const override;
  std::string to_string() const override;
  bool equals(const BoundExpression& other) const override;
  void for_each_child(const std::function<void(BoundExprPtr&)>& f) override {
    for (auto& c : children) f(c);
  }

  bool is_and;
  std::vector<BoundExprPtr> children;
};

class BoundCase : public BoundExpression {
 public:
  struct When {
    BoundExprPtr condition;
    BoundExprPtr result;
  };
  BoundCase(LogicalType type, std::vector<When> whens, BoundExprPtr else_result)
      : BoundExpression(BoundExprKind::kCase, type), whens(std::move(whens)), else_result(std::move(else_result)) {}
  BoundExprPtr copy() const override;
  std::string to_string() const override;
  bool equals(const BoundExpression& other) const override;
  void for_each_child(const std::function<void(BoundExprPtr&)>& f) override {
    for (auto& w : whens) {
      f(w.condition);
      f(w.result);
    }
    f(else_result);
  }

  std::vector<When> whens;
  BoundExprPtr else_result;  ///< never null: a NULL constant when ELSE is absent
};

/// One ORDER BY key of a window specification or of an aggregate call.
struct BoundWindowOrder {
  std::unique_ptr<BoundExpression> expression;
  bool descending = false;
  bool nulls_first = false;
};

/// An aggregate call of the FunctionRegistry; only inside LogicalAggregate.
class BoundAggregate : public BoundExpression {
 public:
  BoundAggregate(LogicalType type, const catalog::AggregateFunction& function, std::vector<BoundExprPtr> args, bool distinct)
      : BoundExpression(BoundExprKind::kAggregate, type), function(&function), args(std::move(args)), distinct(distinct) {}
  BoundExprPtr copy() const override;
  std::string to_string() const override;
  bool equals(const BoundExpression& other) const override;
  void for_each_child(const std::function<void(BoundExprPtr&)>& f) override {
    for (auto& a : args) f(a);
    if (filter) f(filter);
    for (auto& o : orders) f(o.expression);
  }

  /// The overload called; owned by the registry.
  const catalog::AggregateFunction* function;
  /// The arguments, cast to the overload's parameter types; empty for count(*). For an
  /// ordered-set aggregate: the direct arguments, then the WITHIN GROUP argument.
  std::vector<BoundExprPtr> args;
  bool distinct;
  /// `FILTER (WHERE ...)`: a boolean over the same input as `args`; only rows where it is
  /// true reach the aggregate. Null without FILTER.
  BoundExprPtr filter;
  /// `f(args ORDER BY ...)`, or the WITHIN GROUP order of an ordered-set aggregate: the order
  /// in which the rows reach the aggregate. Empty: any order.
  std::vector<BoundWindowOrder> orders;
};

/// `grouping(a, b, ...)` of a grouped query, from binding until the grouped rewrite turns it
/// into a column of the LogicalAggregate (never evaluated).
class BoundGrouping : public BoundExpression {
 public:
  explicit BoundGrouping(std::vector<BoundExprPtr> args)
      : BoundExpression(BoundExprKind::kGrouping, LogicalType::integer()), args(std::move(args)) {}
  BoundExprPtr copy() const override;
  std::string to_string() const override;
  bool equals(const BoundExpression& other) const override;

  /// The arguments, as bound; each must equal a GROUP BY expression. Not visited as children:
  /// they are matched against the groups, never evaluated.
  std::vector<BoundExprPtr> args;
};

/// The functions a window expression computes: an aggregate of the registry over the frame, or
/// one of PostgreSQL's built-in window functions.
enum class WindowFunction : uint8_t {
  kAggregate,
  kRowNumber,
  kRank,
  kDenseRank,
  kPercentRank,
  kCumeDist,
  kNtile,
  kLag,
  kLead,
  kFirstValue,
  kLastValue,
  kNthValue,
};

/// The SQL name of a built-in window function ("row_number"); "" for kAggregate.
const char* window_function_name(WindowFunction function);

enum class WindowFrameUnit : uint8_t { kRows, kRange, kGroups };
enum class WindowFrameBoundKind : uint8_t { kUnboundedPreceding, kPreceding, kCurrentRow, kFollowing, kUnboundedFollowing };
enum class WindowFrameExclusion : uint8_t { kNoOthers, kCurrentRow, kGroup, kTies };

/// A window frame. The offsets are expressions without column references (PostgreSQL
/// evaluates them once per query): bigint for ROWS and GROUPS; for RANGE the offset type of
/// the ORDER BY key (the key type for numbers, interval for dates and timestamps).
struct BoundWindowFrame {
  WindowFrameUnit unit = WindowFrameUnit::kRange;
  WindowFrameBoundKind start = WindowFrameBoundKind::kUnboundedPreceding;
  WindowFrameBoundKind end = WindowFrameBoundKind::kCurrentRow;
  std::unique_ptr<BoundExpression> start_offset;
  std::unique_ptr<BoundExpression> end_offset;
  WindowFrameExclusion exclusion = WindowFrameExclusion::kNoOthers;
};

/// A window function call `f(args) [FILTER (WHERE filter)] OVER (PARTITION BY ... ORDER BY ...
/// frame)`; only inside LogicalWindow. Arguments are cast to the resolved parameter types.
class BoundWindow : public BoundExpression {
 public:
  BoundWindow(LogicalType type, WindowFunction function) : BoundExpression(BoundExprKind::kWindow, type), function(function) {}
  BoundExprPtr copy() const override;
  std::string to_string() const override;
  bool equals(const BoundExpression& other) const override;
  void for_each_child(const std::function<void(BoundExprPtr&)>& f) override;

  /// Whether `other` has the same PARTITION BY and ORDER BY (so one sort serves both).
  bool same_ordering(const BoundWindow& other) const;

  WindowFunction function;
  /// For kAggregate: the overload called; owned by the registry.
  const catalog::AggregateFunction* aggregate = nullptr;
  std::vector<BoundExprPtr> args;
  BoundExprPtr filter;  ///< aggregates only; null when absent
  std::vector<BoundExprPtr> partitions;
  std::vector<BoundWindowOrder> orders;
  BoundWindowFrame frame;
};

/// What the execution layer attaches to a subquery once it has a physical plan for it
/// (opaque here: the executor sits above the planner).
class PreparedSubplan {
 public:
  virtual ~PreparedSubplan() = default;
};

/// A subquery used as an expression. Its plan refers to outer values only through
/// BoundParameter(i), whose values are `correlated[i]` evaluated in the outer row.
class BoundSubquery : public BoundExpression {
 public:
  BoundSubquery(LogicalType type, SubqueryKind subquery_kind, std::shared_ptr<LogicalOperator> plan);
  BoundExprPtr copy() const override;
  std::string to_string() const override;
  bool equals(const BoundExpression& other) const override { return this == &other; }
  void for_each_child(const std::function<void(BoundExprPtr&)>& f) override {
    if (left) f(left);
    for (auto& c : correlated) f(c);
  }

  SubqueryKind subquery_kind;
  /// The subquery's plan; shared because expressions are copied (the plan itself is not mutated).
  std::shared_ptr<LogicalOperator> plan;
  /// For ANY/ALL: the left operand and the comparison operator (left type, column type).
  BoundExprPtr left;
  const catalog::ScalarFunction* comparison = nullptr;
  /// Outer-query expressions whose values become the subquery's parameters.
  std::vector<BoundExprPtr> correlated;
  /// Set by the physical planner.
  std::shared_ptr<PreparedSubplan> prepared;
};

/// Whether the tree rooted at `expr` holds a node of `kind`.
bool contains_expression(const BoundExpression& expr, BoundExprKind kind);
/// Applies `f` to every expression node of the tree rooted at `expr` (pre-order).
void visit_expression(const BoundExpression& expr, const std::function<void(const BoundExpression&)>& f);
/// Replaces nodes bottom-up: `f` returns a replacement or nullptr to keep the node.
void rewrite_expression(BoundExprPtr& expr, const std::function<BoundExprPtr(BoundExpression&)>& f);

/// The SQL spelling of a boolean test ("NOT", "IS NULL", ...).
const char* boolean_test_name(BooleanTest test);

}  // namespace tessera::planner
