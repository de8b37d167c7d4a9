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
  return with_alias(std::make_unique<BoundFunction>(type, *function, copy_all(children), bind_data), *this);
}

std::string BoundFunction::to_string() const {
  if (function->kind == catalog::FunctionKind::kOperator && children.size() == 2) {
    return "(" + children[0]->to_string() + " " + function->name + " " + children[1]->to_string() + ")";
  }
  std::string out = function->name + "(";
  for (size_t i = 0; i < children.size(); i++) {
    if (i) out += ", ";
    out += children[i]->to_string();
  }
  return out + ")";
}

bool BoundFunction::equals(const BoundExpression& other) const {
  if (other.kind != kind) return false;
  const auto& o = static_cast<const BoundFunction&>(other);
  return o.function == function && o.type == type && equal_all(o.children, children);
}

BoundExprPtr BoundBooleanTest::copy() const { return with_alias(std::make_unique<BoundBooleanTest>(test, child->copy()), *this); }

std::string BoundBooleanTest::to_string() const {
  if (test == BooleanTest::kNot) return "(NOT " + child->to_string() + ")";
  return "(" + child->to_string() + " " + boolean_test_name(test) + ")";
}

bool BoundBooleanTest::equals(const BoundExpression& other) const {
  if (other.kind != kind) return false;
  const auto& o = static_cast<const BoundBooleanTest&>(other);
  return o.test == test && child->equals(*o.child);
}

BoundExprPtr BoundCoalesce::copy() const { return with_alias(std::make_unique<BoundCoalesce>(type, copy_all(children)), *this); }

std::string BoundCoalesce::to_string() const {
  std::string out = "COALESCE(";
  for (size_t i = 0; i < children.size(); i++) {
    if (i) out += ", ";
    out += children[i]->to_string();
  }
  return out + ")";
}

bool BoundCoalesce::equals(const BoundExpression& other) const {
  if (other.kind != kind) return false;
  const auto& o = static_cast<const BoundCoalesce&>(other);
  return o.type == type && equal_all(o.children, children);
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
  return with_alias(std::make_unique<BoundAggregate>(type, *function, child ? child->copy() : nullptr, distinct), *this);
}

std::string BoundAggregate::to_string() const {
  if (!child) return function->name + "(*)";
  return function->name + "(" + (distinct ? "DISTINCT " : "") + child->to_string() + ")";
}

bool BoundAggregate::equals(const BoundExpression& other) const {
  if (other.kind != kind) return false;
  const auto& o = static_cast<const BoundAggregate&>(other);
  return o.function == function && o.distinct == distinct && equal_ptrs(o.child, child);
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
    case SubqueryKind::kAny: return "(" + left->to_string() + " " + comparison->name + " ANY(SubPlan))";
    case SubqueryKind::kAll: return "(" + left->to_string() + " " + comparison->name + " ALL(SubPlan))";
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

const char* boolean_test_name(BooleanTest test) {
  switch (test) {
    case BooleanTest::kNot: return "NOT";
    case BooleanTest::kIsNull: return "IS NULL";
    case BooleanTest::kIsNotNull: return "IS NOT NULL";
    case BooleanTest::kIsTrue: return "IS TRUE";
    case BooleanTest::kIsNotTrue: return "IS NOT TRUE";
    case BooleanTest::kIsFalse: return "IS FALSE";
    case BooleanTest::kIsNotFalse: return "IS NOT FALSE";
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
