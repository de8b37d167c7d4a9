#include "planner/optimizer/constant_folding.h"

#include <vector>

#include "catalog/function_entry.h"
#include "src/common/stack_guard.h"
#include "src/common/value_cast.h"
#include "src/common/vector.h"

namespace tessera::planner {

namespace {

/// The value of `expr` when it is a constant usable at plan time (not a `$n` stand-in).
const Value* constant_value(const BoundExpression& expr) {
  if (expr.kind != BoundExprKind::kConstant) return nullptr;
  const auto& c = static_cast<const BoundConstant&>(expr);
  return c.parameter_types == nullptr ? &c.value : nullptr;
}

/// A constant replacing `original`: same type (typmod included) and output name.
BoundExprPtr make_constant(Value value, const BoundExpression& original) {
  if (value.type().id() != original.type.id()) value = cast_value(value, original.type);
  auto c = std::make_unique<BoundConstant>(std::move(value));
  c->type = original.type;
  c->alias = original.alias;
  return c;
}

BoundExprPtr null_constant(const BoundExpression& original) { return make_constant(Value::null(original.type), original); }

/// `replacement` (a surviving argument) in place of `original`, keeping the output name.
BoundExprPtr replace(BoundExprPtr replacement, const BoundExpression& original) {
  if (!original.alias.empty()) replacement->alias = original.alias;
  return replacement;
}

Value evaluate_function(const BoundFunction& f) {
  std::vector<Vector> args;
  args.reserve(f.children.size());
  for (const auto& child : f.children) args.emplace_back(*constant_value(*child));
  std::vector<const Vector*> pointers;
  for (const auto& a : args) pointers.push_back(&a);
  Vector out(f.type, 1);
  f.function->execute(pointers, nullptr, 1, out, f.bind_data.get());
  return out.get_value(0);
}

std::optional<Value> evaluate_test(BooleanTest test, const Value& v) {
  const bool null = v.is_null();
  switch (test) {
    case BooleanTest::kNot: return null ? Value::null(LogicalType::boolean()) : Value::boolean(!v.get_bool());
    case BooleanTest::kIsNull: return Value::boolean(null);
    case BooleanTest::kIsNotNull: return Value::boolean(!null);
    case BooleanTest::kIsTrue: return Value::boolean(!null && v.get_bool());
    case BooleanTest::kIsNotTrue: return Value::boolean(null || !v.get_bool());
    case BooleanTest::kIsFalse: return Value::boolean(!null && !v.get_bool());
    case BooleanTest::kIsNotFalse: return Value::boolean(null || v.get_bool());
  }
  return std::nullopt;
}

void fold_all(ConstantFolder& folder, std::vector<BoundExprPtr>& exprs) {
  for (auto& e : exprs) e = folder.fold(std::move(e));
}

}  // namespace

BoundExprPtr ConstantFolder::fold(BoundExprPtr expr) {
  check_stack_depth();
  switch (expr->kind) {
    case BoundExprKind::kConstant:
    case BoundExprKind::kColumnRef:
    case BoundExprKind::kReference:
    case BoundExprKind::kParameter:
    case BoundExprKind::kSubquery:
      return expr;
    case BoundExprKind::kCast: {
      auto& cast = static_cast<BoundCast&>(*expr);
      cast.child = fold(std::move(cast.child));
      if (const Value* v = constant_value(*cast.child)) return make_constant(cast_value(*v, cast.type), cast);
      return expr;
    }
    case BoundExprKind::kFunction: {
      auto& f = static_cast<BoundFunction&>(*expr);
      fold_all(*this, f.children);
      bool all_constant = true;
      for (const auto& child : f.children) {
        const Value* v = constant_value(*child);
        if (v && v->is_null() && f.function->strict) return null_constant(f);
        if (!v) all_constant = false;
      }
      if (all_constant && f.function->volatility == catalog::Volatility::kImmutable) {
        return make_constant(evaluate_function(f), f);
      }
      return expr;
    }
    case BoundExprKind::kConjunction: {
      auto& conj = static_cast<BoundConjunction&>(*expr);
      // AND: FALSE decides, TRUE is dropped; OR the reverse.
      const bool decisive = !conj.is_and;
      std::vector<BoundExprPtr> kept;
      bool had_null = false;
      for (auto& child : conj.children) {
        BoundExprPtr c = fold(std::move(child));
        if (const Value* v = constant_value(*c)) {
          if (v->is_null()) {
            had_null = true;
          } else if (v->get_bool() == decisive) {
            return make_constant(Value::boolean(decisive), conj);
          }
          continue;
        }
        // Nested conjunctions of the same kind flatten into this one.
        if (c->kind == BoundExprKind::kConjunction && static_cast<BoundConjunction&>(*c).is_and == conj.is_and) {
          for (auto& grandchild : static_cast<BoundConjunction&>(*c).children) kept.push_back(std::move(grandchild));
          continue;
        }
        kept.push_back(std::move(c));
      }
      if (kept.empty()) return make_constant(had_null ? Value::null(LogicalType::boolean()) : Value::boolean(!decisive), conj);
      if (had_null) kept.push_back(std::make_unique<BoundConstant>(Value::null(LogicalType::boolean())));
      if (kept.size() == 1) return replace(std::move(kept[0]), conj);
      conj.children = std::move(kept);
      return expr;
    }
    case BoundExprKind::kBooleanTest: {
      auto& test = static_cast<BoundBooleanTest&>(*expr);
      test.child = fold(std::move(test.child));
      if (const Value* v = constant_value(*test.child)) {
        if (auto result = evaluate_test(test.test, *v)) return make_constant(*result, test);
      }
      return expr;
    }
    case BoundExprKind::kCase: {
      auto& c = static_cast<BoundCase&>(*expr);
      std::vector<BoundCase::When> kept;
      for (auto& when : c.whens) {
        BoundExprPtr condition = fold(std::move(when.condition));
        if (const Value* v = constant_value(*condition)) {
          // A FALSE or NULL arm is never taken: dropped without simplifying its result.
          if (v->is_null() || !v->get_bool()) continue;
          // A TRUE arm is taken whenever reached: it becomes the ELSE and ends the CASE.
          c.else_result = fold(std::move(when.result));
          c.whens = std::move(kept);
          if (c.whens.empty()) return replace(std::move(c.else_result), c);
          return expr;
        }
        kept.push_back(BoundCase::When{std::move(condition), fold(std::move(when.result))});
      }
      c.whens = std::move(kept);
      c.else_result = fold(std::move(c.else_result));
      if (c.whens.empty()) return replace(std::move(c.else_result), c);
      return expr;
    }
    case BoundExprKind::kCoalesce: {
      auto& co = static_cast<BoundCoalesce&>(*expr);
      std::vector<BoundExprPtr> kept;
      for (auto& child : co.children) {
        BoundExprPtr c = fold(std::move(child));
        if (const Value* v = constant_value(*c)) {
          if (v->is_null()) continue;
          // A non-NULL constant ends the list: later arguments are never evaluated.
          if (kept.empty()) return replace(std::move(c), co);
          kept.push_back(std::move(c));
          break;
        }
        kept.push_back(std::move(c));
      }
      if (kept.empty()) return null_constant(co);
      if (kept.size() == 1) return replace(std::move(kept[0]), co);
      co.children = std::move(kept);
      return expr;
    }
    case BoundExprKind::kAggregate:
    case BoundExprKind::kWindow:
    case BoundExprKind::kGrouping:
      expr->for_each_child([&](BoundExprPtr& child) { child = fold(std::move(child)); });
      return expr;
  }
  return expr;
}

void ConstantFolder::fold_plan(LogicalOperator& op) {
  check_stack_depth();
  switch (op.kind) {
    case LogicalOperatorKind::kGet: fold_all(*this, static_cast<LogicalGet&>(op).filters); break;
    case LogicalOperatorKind::kFilter: fold_all(*this, static_cast<LogicalFilter&>(op).conjuncts); break;
    case LogicalOperatorKind::kProjection: fold_all(*this, static_cast<LogicalProjection&>(op).expressions); break;
    case LogicalOperatorKind::kAggregate: {
      auto& agg = static_cast<LogicalAggregate&>(op);
      fold_all(*this, agg.groups);
      fold_all(*this, agg.aggregates);
      break;
    }
    case LogicalOperatorKind::kJoin: fold_all(*this, static_cast<LogicalJoin&>(op).conditions); break;
    case LogicalOperatorKind::kDependentJoin: fold_all(*this, static_cast<LogicalDependentJoin&>(op).correlated); break;
    case LogicalOperatorKind::kWindow: fold_all(*this, static_cast<LogicalWindow&>(op).windows); break;
    case LogicalOperatorKind::kOrder:
      for (auto& o : static_cast<LogicalOrder&>(op).orders) o.expression = fold(std::move(o.expression));
      break;
    case LogicalOperatorKind::kLimit: {
      auto& limit = static_cast<LogicalLimit&>(op);
      if (limit.limit) limit.limit = fold(std::move(limit.limit));
      if (limit.offset) limit.offset = fold(std::move(limit.offset));
      break;
    }
    case LogicalOperatorKind::kValues:
      for (auto& row : static_cast<LogicalValues&>(op).rows) fold_all(*this, row);
      break;
    case LogicalOperatorKind::kTableFunction:
      fold_all(*this, static_cast<LogicalTableFunction&>(op).arguments);
      break;
    default: break;
  }
  for (auto& child : op.children) fold_plan(*child);
}

}  // namespace tessera::planner
