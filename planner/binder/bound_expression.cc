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
  if (value.type().id() == LogicalTypeId::kChar) return "'" + value.to_string() + "'::" + value.type().name();
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
  std::vector<BoundExprPtr> copied;
  for (const auto& a : args) copied.push_back(a->copy());
  auto out = std::make_unique<BoundAggregate>(type, *function, std::move(copied), distinct);
  if (filter) out->filter = filter->copy();
  for (const auto& o : orders) out->orders.push_back(BoundWindowOrder{o.expression->copy(), o.descending, o.nulls_first});
  return with_alias(std::move(out), *this);
}

std::string BoundAggregate::to_string() const {
  if (args.empty()) return function->name + "(*)" + (filter ? " FILTER (WHERE " + filter->to_string() + ")" : "");
  std::string order;
  for (const auto& o : orders) {
    order += (order.empty() ? "" : ", ") + o.expression->to_string();
    if (o.descending) order += " DESC";
    if (o.nulls_first != o.descending) order += o.nulls_first ? " NULLS FIRST" : " NULLS LAST";
  }
  const bool within_group = function->ordered_set != nullptr;
  std::string out = function->name + "(" + (distinct ? "DISTINCT " : "");
  const size_t num_listed = within_group ? args.size() - 1 : args.size();
  for (size_t i = 0; i < num_listed; i++) out += (i > 0 ? ", " : "") + args[i]->to_string();
  if (!order.empty() && !within_group) out += " ORDER BY " + order;
  out += ")";
  if (within_group) out += " WITHIN GROUP (ORDER BY " + order + ")";
  if (filter) out += " FILTER (WHERE " + filter->to_string() + ")";
  return out;
}

bool BoundAggregate::equals(const BoundExpression& other) const {
  if (other.kind != kind) return false;
  const auto& o = static_cast<const BoundAggregate&>(other);
  if (o.function != function || o.distinct != distinct || !equal_all(o.args, args) || !equal_ptrs(o.filter, filter) ||
      o.orders.size() != orders.size()) {
    return false;
  }
  for (size_t i = 0; i < orders.size(); i++) {
    if (o.orders[i].descending != orders[i].descending || o.orders[i].nulls_first != orders[i].nulls_first ||
        !equal_ptrs(o.orders[i].expression, orders[i].expression)) {
      return false;
    }
  }
  return true;
}

BoundExprPtr BoundGrouping::copy() const {
  std::vector<BoundExprPtr> copied;
  for (const auto& a : args) copied.push_back(a->copy());
  return with_alias(std::make_unique<BoundGrouping>(std::move(copied)), *this);
}

std::string BoundGrouping::to_string() const {
  std::string out = "GROUPING(";
  for (size_t i = 0; i < args.size(); i++) out += (i > 0 ? ", " : "") + args[i]->to_string();
  return out + ")";
}

bool BoundGrouping::equals(const BoundExpression& other) const {
  return other.kind == kind && equal_all(static_cast<const BoundGrouping&>(other).args, args);
}

const char* window_function_name(WindowFunction function) {
  switch (function) {
    case WindowFunction::kAggregate: return "";
    case WindowFunction::kRowNumber: return "row_number";
    case WindowFunction::kRank: return "rank";
    case WindowFunction::kDenseRank: return "dense_rank";
    case WindowFunction::kPercentRank: return "percent_rank";
    case WindowFunction::kCumeDist: return "cume_dist";
    case WindowFunction::kNtile: return "ntile";
    case WindowFunction::kLag: return "lag";
    case WindowFunction::kLead: return "lead";
    case WindowFunction::kFirstValue: return "first_value";
    case WindowFunction::kLastValue: return "last_value";
    case WindowFunction::kNthValue: return "nth_value";
  }
  return "";
}

BoundExprPtr BoundWindow::copy() const {
  auto c = std::make_unique<BoundWindow>(type, function);
  c->aggregate = aggregate;
  c->args = copy_all(args);
  c->filter = filter ? filter->copy() : nullptr;
  c->partitions = copy_all(partitions);
  for (const auto& o : orders) c->orders.push_back(BoundWindowOrder{o.expression->copy(), o.descending, o.nulls_first});
  c->frame.unit = frame.unit;
  c->frame.start = frame.start;
  c->frame.end = frame.end;
  c->frame.start_offset = frame.start_offset ? frame.start_offset->copy() : nullptr;
  c->frame.end_offset = frame.end_offset ? frame.end_offset->copy() : nullptr;
  c->frame.exclusion = frame.exclusion;
  return with_alias(std::move(c), *this);
}

namespace {

std::string frame_bound_string(WindowFrameBoundKind kind, const BoundExprPtr& offset) {
  switch (kind) {
    case WindowFrameBoundKind::kUnboundedPreceding: return "UNBOUNDED PRECEDING";
    case WindowFrameBoundKind::kPreceding: return offset->to_string() + " PRECEDING";
    case WindowFrameBoundKind::kCurrentRow: return "CURRENT ROW";
    case WindowFrameBoundKind::kFollowing: return offset->to_string() + " FOLLOWING";
    case WindowFrameBoundKind::kUnboundedFollowing: return "UNBOUNDED FOLLOWING";
  }
  return "";
}

}  // namespace

std::string BoundWindow::to_string() const {
  std::string out = function == WindowFunction::kAggregate ? aggregate->name : window_function_name(function);
  out += "(";
  if (function == WindowFunction::kAggregate && args.empty()) out += "*";
  for (size_t i = 0; i < args.size(); i++) out += (i ? ", " : "") + args[i]->to_string();
  out += ")";
  if (filter) out += " FILTER (WHERE " + filter->to_string() + ")";
  out += " OVER (";
  std::string spec;
  if (!partitions.empty()) {
    spec += "PARTITION BY ";
    for (size_t i = 0; i < partitions.size(); i++) spec += (i ? ", " : "") + partitions[i]->to_string();
  }
  if (!orders.empty()) {
    spec += spec.empty() ? "ORDER BY " : " ORDER BY ";
    for (size_t i = 0; i < orders.size(); i++) {
      spec += (i ? ", " : "") + orders[i].expression->to_string();
      if (orders[i].descending) spec += " DESC";
      if (orders[i].nulls_first != orders[i].descending) spec += orders[i].nulls_first ? " NULLS FIRST" : " NULLS LAST";
    }
  }
  const char* unit = frame.unit == WindowFrameUnit::kRows ? "ROWS" : frame.unit == WindowFrameUnit::kRange ? "RANGE" : "GROUPS";
  spec += std::string(spec.empty() ? "" : " ") + unit + " BETWEEN " + frame_bound_string(frame.start, frame.start_offset) + " AND " +
          frame_bound_string(frame.end, frame.end_offset);
  switch (frame.exclusion) {
    case WindowFrameExclusion::kNoOthers: break;
    case WindowFrameExclusion::kCurrentRow: spec += " EXCLUDE CURRENT ROW"; break;
    case WindowFrameExclusion::kGroup: spec += " EXCLUDE GROUP"; break;
    case WindowFrameExclusion::kTies: spec += " EXCLUDE TIES"; break;
  }
  return out + spec + ")";
}

bool BoundWindow::same_ordering(const BoundWindow& o) const {
  if (o.partitions.size() != partitions.size() || o.orders.size() != orders.size()) return false;
  for (size_t i = 0; i < partitions.size(); i++) {
    if (!o.partitions[i]->equals(*partitions[i])) return false;
  }
  for (size_t i = 0; i < orders.size(); i++) {
    if (!o.orders[i].expression->equals(*orders[i].expression) || o.orders[i].descending != orders[i].descending ||
        o.orders[i].nulls_first != orders[i].nulls_first) {
      return false;
    }
  }
  return true;
}

bool BoundWindow::equals(const BoundExpression& other) const {
  if (other.kind != kind) return false;
  const auto& o = static_cast<const BoundWindow&>(other);
  if (o.function != function || o.aggregate != aggregate || o.args.size() != args.size() || !equal_ptrs(o.filter, filter) ||
      !same_ordering(o) || o.frame.unit != frame.unit || o.frame.start != frame.start || o.frame.end != frame.end ||
      o.frame.exclusion != frame.exclusion || !equal_ptrs(o.frame.start_offset, frame.start_offset) ||
      !equal_ptrs(o.frame.end_offset, frame.end_offset)) {
    return false;
  }
  for (size_t i = 0; i < args.size(); i++) {
    if (!o.args[i]->equals(*args[i])) return false;
  }
  return true;
}

void BoundWindow::for_each_child(const std::function<void(BoundExprPtr&)>& f) {
  for (auto& a : args) f(a);
  if (filter) f(filter);
  for (auto& p : partitions) f(p);
  for (auto& o : orders) f(o.expression);
  if (frame.start_offset) f(frame.start_offset);
  if (frame.end_offset) f(frame.end_offset);
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

void ParameterTypes::declare_type(uint32_t index, const LogicalType& type) {
  declare(index);
  types_[index - 1] = type;
  if (declared_.size() < index) declared_.resize(index);
  declared_[index - 1] = true;
}

std::vector<LogicalType> ParameterTypes::resolved() const {
  std::vector<LogicalType> out;
  for (const auto& t : types_) out.push_back(t ? *t : LogicalType::varchar());
  return out;
}

}  // namespace tessera::planner
