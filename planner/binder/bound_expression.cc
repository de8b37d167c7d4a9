#include "planner/binder/bound_expression.h"

#include "planner/logical/logical_operator.h"
#include "src/common/sql_error.h"
#include "src/common/stack_guard.h"

namespace tessera::planner {

namespace {

std::vector<BoundExprPtr> copy_all(const std::vector<BoundExprPtr>& exprs) {
  check_stack_depth();
  std::vector<BoundExprPtr> result;
  result.reserve(exprs.size());
  for (const auto& e : exprs) result.push_back(e ? e->copy() : nullptr);
  return result;
}

bool equal_ptrs(const BoundExprPtr& a, const BoundExprPtr& b) {
  if (!a || !b) return !a && !b;
  return a->equals(*b);
}

bool equal_all(const std::vector<BoundExprPtr>& a, const std::vector<BoundExprPtr>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); i++) {
    if (!equal_ptrs(a[i], b[i])) return false;
  }
  return true;
}

template <class T>
BoundExprPtr with_alias(std::unique_ptr<T> copy, const BoundExpression& from) {
  copy->alias = from.alias;
  return copy;
}

}  // namespace

BoundExprPtr BoundColumnRef::copy() const { return with_alias(std::make_unique<BoundColumnRef>(type, binding, name), *this); }

bool BoundColumnRef::equals(const BoundExpression& other) const {
  return other.kind == kind && static_cast<const BoundColumnRef&>(other).binding == binding;
}

BoundExprPtr BoundReference::copy() const { return with_alias(std::make_unique<BoundReference>(type, index, name), *this); }

bool BoundReference::equals(const BoundExpression& other) const {
  return other.kind == kind && static_cast<const BoundReference&>(other).index == index;
}

BoundExprPtr BoundConstant::copy() const {
  auto c = std::make_unique<BoundConstant>(value);
  c->unknown_literal = unknown_literal;
  c->parameter_types = parameter_types;
  c->parameter_index = parameter_index;
  return with_alias(std::move(c), *this);
}

std::string BoundConstant::to_string() const {
  if (value.is_null()) return "NULL";
  if (value.type().id() == LogicalTypeId::kVarchar) return "'" + value.get_string() + "'::text";
  return value.to_string();
}

bool BoundConstant::equals(const BoundExpression& other) const {
  return other.kind == kind && static_cast<const BoundConstant&>(other).value == value;
}

BoundExprPtr BoundParameter::copy() const { return with_alias(std::make_unique<BoundParameter>(type, index), *this); }

bool BoundParameter::equals(const BoundExpression& other) const {
  return other.kind == kind && static_cast<const BoundParameter&>(other).index == index && other.type == type;
}

BoundExprPtr BoundCast::copy() const { return with_alias(std::make_unique<BoundCast>(type, child->copy()), *this); }

std::string BoundCast::to_string() const { return "(" + child->to_string() + ")::" + type.name(); }

bool BoundCast::equals(const BoundExpression& other) const {
  return other.kind == kind && other.type == type && child->equals(*static_cast<const BoundCast&>(other).child);
}

BoundExprPtr BoundFunction::copy() const {
  return with_alias(std::make_unique<BoundFunction>(type, id, copy_all(children)), *this);
}

std::string BoundFunction::to_string() const {
  std::string name = function_name(id);
  bool infix = id <= FunctionId::kIsNotDistinctFrom && id != FunctionId::kNegate && children.size() == 2;
  if (infix || id == FunctionId::kConcat || id == FunctionId::kLike || id == FunctionId::kNotLike ||
      id == FunctionId::kILike || id == FunctionId::kNotILike) {
    return "(" + children[0]->to_string() + " " + name + " " + children[1]->to_string() + ")";
  }
  if (id == FunctionId::kIsNull || id == FunctionId::kIsNotNull || (id >= FunctionId::kIsTrue && id <= FunctionId::kIsNotFalse)) {
    return "(" + children[0]->to_string() + " " + name + ")";
  }
  std::string out = name + "(";
  for (size_t i = 0; i < children.size(); i++) {
    if (i) out += ", ";
    out += children[i]->to_string();
  }
  return out + ")";
}

bool BoundFunction::equals(const BoundExpression& other) const {
  if (other.kind != kind) return false;
  const auto& o = static_cast<const BoundFunction&>(other);
  return o.id == id && o.type == type && equal_all(o.children, children);
}

BoundExprPtr BoundConjunction::copy() const {
  return with_alias(std::make_unique<BoundConjunction>(is_and, copy_all(children)), *this);
}

std::string BoundConjunction::to_string() const {
  std::string out = "(";
  for (size_t i = 0; i < children.size(); i++) {
    if (i) out += is_and ? " AND " : " OR ";
    out += children[i]->to_string();
  }
  return out + ")";
}

bool BoundConjunction::equals(const BoundExpression& other) const {
  if (other.kind != kind) return false;
  const auto& o = static_cast<const BoundConjunction&>(other);
  return o.is_and == is_and && equal_all(o.children, children);
}

BoundExprPtr BoundCase::copy() const {
  std::vector<When> w;
  for (const auto& x : whens) w.push_back(When{x.condition->copy(), x.result->copy()});
  return with_alias(std::make_unique<BoundCase>(type, std::move(w), else_result->copy()), *this);
}

std::string BoundCase::to_string() const {
  std::string out = "CASE";
  for (const auto& w : whens) out += " WHEN " + w.condition->to_string() + " THEN " + w.result->to_string();
  return out + " ELSE " + else_result->to_string() + " END";
}

bool BoundCase::equals(const BoundExpression& other) const {
  if (other.kind != kind) return false;
  const auto& o = static_cast<const BoundCase&>(other);
  if (o.whens.size() != whens.size() || !equal_ptrs(o.else_result, else_result)) return false;
  for (size_t i = 0; i < whens.size(); i++) {
    if (!equal_ptrs(o.whens[i].condition, whens[i].condition) || !equal_ptrs(o.whens[i].result, whens[i].result)) {
      return false;
    }
  }
  return true;
}

BoundExprPtr BoundAggregate::copy() const {
  return with_alias(std::make_unique<BoundAggregate>(type, id, child ? child->copy() : nullptr, distinct), *this);
}

std::string BoundAggregate::to_string() const {
  if (id == AggregateId::kCountStar) return "count(*)";
  return std::string(aggregate_name(id)) + "(" + (distinct ? "DISTINCT " : "") + child->to_string() + ")";
}

bool BoundAggregate::equals(const BoundExpression& other) const {
  if (other.kind != kind) return false;
  const auto& o = static_cast<const BoundAggregate&>(other);
  return o.id == id && o.distinct == distinct && equal_ptrs(o.child, child);
}

BoundSubquery::BoundSubquery(LogicalType type, SubqueryKind subquery_kind, std::shared_ptr<LogicalOperator> plan)
    : BoundExpression(BoundExprKind::kSubquery, type), subquery_kind(subquery_kind), plan(std::move(plan)) {}

BoundExprPtr BoundSubquery::copy() const {
  auto c = std::make_unique<BoundSubquery>(type, subquery_kind, plan);
  c->left = left ? left->copy() : nullptr;
  c->comparison = comparison;
  c->correlated = copy_all(correlated);
  c->prepared = prepared;
  return with_alias(std::move(c), *this);
}

std::string BoundSubquery::to_string() const {
  switch (subquery_kind) {
    case SubqueryKind::kScalar: return "(SubPlan)";
    case SubqueryKind::kExists: return "EXISTS(SubPlan)";
    case SubqueryKind::kAny: return "(" + left->to_string() + " " + function_name(comparison) + " ANY(SubPlan))";
    case SubqueryKind::kAll: return "(" + left->to_string() + " " + function_name(comparison) + " ALL(SubPlan))";
  }
  return "(SubPlan)";
}

void visit_expression(const BoundExpression& expr, const std::function<void(const BoundExpression&)>& f) {
  check_stack_depth();
  f(expr);
  const_cast<BoundExpression&>(expr).for_each_child([&](BoundExprPtr& child) { visit_expression(*child, f); });
}

bool contains_expression(const BoundExpression& expr, BoundExprKind kind) {
  bool found = false;
  visit_expression(expr, [&](const BoundExpression& e) { found = found || e.kind == kind; });
  return found;
}

void rewrite_expression(BoundExprPtr& expr, const std::function<BoundExprPtr(BoundExpression&)>& f) {
  check_stack_depth();
  expr->for_each_child([&](BoundExprPtr& child) { rewrite_expression(child, f); });
  if (auto replacement = f(*expr)) expr = std::move(replacement);
}

const char* function_name(FunctionId id) {
  switch (id) {
    case FunctionId::kAdd: return "+";
    case FunctionId::kSubtract: return "-";
    case FunctionId::kMultiply: return "*";
    case FunctionId::kDivide: return "/";
    case FunctionId::kModulo: return "%";
    case FunctionId::kNegate: return "-";
    case FunctionId::kPower: return "^";
    case FunctionId::kEqual: return "=";
    case FunctionId::kNotEqual: return "<>";
    case FunctionId::kLess: return "<";
    case FunctionId::kLessEqual: return "<=";
    case FunctionId::kGreater: return ">";
    case FunctionId::kGreaterEqual: return ">=";
    case FunctionId::kIsDistinctFrom: return "IS DISTINCT FROM";
    case FunctionId::kIsNotDistinctFrom: return "IS NOT DISTINCT FROM";
    case FunctionId::kNot: return "NOT";
    case FunctionId::kIsNull: return "IS NULL";
    case FunctionId::kIsNotNull: return "IS NOT NULL";
    case FunctionId::kIsTrue: return "IS TRUE";
    case FunctionId::kIsNotTrue: return "IS NOT TRUE";
    case FunctionId::kIsFalse: return "IS FALSE";
    case FunctionId::kIsNotFalse: return "IS NOT FALSE";
    case FunctionId::kConcat: return "||";
    case FunctionId::kLike: return "~~";
    case FunctionId::kNotLike: return "!~~";
    case FunctionId::kILike: return "~~*";
    case FunctionId::kNotILike: return "!~~*";
    case FunctionId::kLower: return "lower";
    case FunctionId::kUpper: return "upper";
    case FunctionId::kLength: return "length";
    case FunctionId::kAbs: return "abs";
    case FunctionId::kCoalesce: return "COALESCE";
    case FunctionId::kNullIf: return "NULLIF";
    case FunctionId::kGreatest: return "GREATEST";
    case FunctionId::kLeast: return "LEAST";
    case FunctionId::kRound: return "round";
    case FunctionId::kFloor: return "floor";
    case FunctionId::kCeil: return "ceil";
    case FunctionId::kSqrt: return "sqrt";
    case FunctionId::kVersion: return "version";
    case FunctionId::kCurrentDatabase: return "current_database";
    case FunctionId::kCurrentSchema: return "current_schema";
    case FunctionId::kCurrentUser: return "current_user";
  }
  return "?";
}

const char* aggregate_name(AggregateId id) {
  switch (id) {
    case AggregateId::kCountStar:
    case AggregateId::kCount: return "count";
    case AggregateId::kSum: return "sum";
    case AggregateId::kAvg: return "avg";
    case AggregateId::kMin: return "min";
    case AggregateId::kMax: return "max";
    case AggregateId::kBoolAnd: return "bool_and";
    case AggregateId::kBoolOr: return "bool_or";
  }
  return "?";
}

void ParameterTypes::declare(uint32_t index) {
  if (types_.size() < index) types_.resize(index);
}

void ParameterTypes::infer(uint32_t index, const LogicalType& type) {
  declare(index);
  auto& slot = types_[index - 1];
  if (slot && !(*slot == type)) {
    throw SqlError(SqlState::kAmbiguousParameter, "inconsistent types deduced for parameter $" + std::to_string(index))
        .with_detail(slot->name() + " versus " + type.name());
  }
  slot = type;
}

std::vector<LogicalType> ParameterTypes::resolved() const {
  std::vector<LogicalType> out;
  for (const auto& t : types_) out.push_back(t ? *t : LogicalType::varchar());
  return out;
}

}  // namespace tessera::planner
