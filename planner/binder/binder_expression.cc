#include <limits>

#include "planner/binder/binder.h"
#include "planner/binder/type_rules.h"
#include "planner/optimizer/optimizer.h"
#include "src/common/sql_error.h"
#include "src/common/stack_guard.h"
#include "src/common/value_cast.h"

namespace tessera::planner {

namespace {

std::string join_names(const std::vector<std::string>& fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); i++) {
    if (i) out += ".";
    out += fields[i];
  }
  return out;
}

FunctionId comparison_id(const std::string& op) {
  if (op == "=") return FunctionId::kEqual;
  if (op == "<>") return FunctionId::kNotEqual;
  if (op == "<") return FunctionId::kLess;
  if (op == "<=") return FunctionId::kLessEqual;
  if (op == ">") return FunctionId::kGreater;
  return FunctionId::kGreaterEqual;
}

bool is_comparison(const std::string& op) {
  return op == "=" || op == "<>" || op == "<" || op == "<=" || op == ">" || op == ">=";
}

BoundExprPtr make_not(BoundExprPtr e) {
  std::vector<BoundExprPtr> args;
  args.push_back(std::move(e));
  return std::make_unique<BoundFunction>(LogicalType::boolean(), FunctionId::kNot, std::move(args));
}

BoundExprPtr make_conjunction(bool is_and, BoundExprPtr a, BoundExprPtr b) {
  std::vector<BoundExprPtr> children;
  children.push_back(std::move(a));
  children.push_back(std::move(b));
  return std::make_unique<BoundConjunction>(is_and, std::move(children));
}

}  // namespace

// ---- names ------------------------------------------------------------------------------------

BoundExprPtr Binder::lookup_local(const std::vector<std::string>& fields, int location) {
  if (fields.size() == 1) {
    const std::string& name = fields[0];
    const ScopeEntry* found = nullptr;
    size_t found_col = 0;
    for (const auto& entry : scope_.entries) {
      for (size_t c = 0; c < entry.names.size(); c++) {
        if (entry.hidden[c] || entry.names[c] != name) continue;
        if (found) throw_at(SqlState::kAmbiguousColumn, "column reference \"" + name + "\" is ambiguous", location);
        found = &entry;
        found_col = c;
      }
    }
    if (!found) return nullptr;
    return std::make_unique<BoundColumnRef>(found->types[found_col], found->bindings[found_col],
                                            found->alias.empty() ? name : found->alias + "." + name);
  }
  // table.column (a schema or database prefix must name ours)
  const std::string& table = fields[fields.size() - 2];
  const std::string& column = fields.back();
  if (fields.size() > 4) {
    throw_at(SqlState::kSyntaxError, "improper qualified name (too many dotted names): " + join_names(fields), location);
  }
  for (const auto& entry : scope_.entries) {
    if (entry.alias != table) continue;
    for (size_t c = 0; c < entry.names.size(); c++) {
      if (entry.names[c] == column) {
        return std::make_unique<BoundColumnRef>(entry.types[c], entry.bindings[c], table + "." + column);
      }
    }
    throw_at(SqlState::kUndefinedColumn, "column " + table + "." + column + " does not exist", location);
  }
  return nullptr;
}

BoundExprPtr Binder::resolve_column(const std::vector<std::string>& fields, int location) {
  if (auto local = lookup_local(fields, location)) return local;
  if (correlated_ && parent_) {
    if (auto outer = resolve_outer(fields, location)) return outer;
  }
  if (fields.size() >= 2) {
    const std::string& table = fields[fields.size() - 2];
    throw_at(SqlState::kUndefinedTable, "missing FROM-clause entry for table \"" + table + "\"", location);
  }
  throw_at(SqlState::kUndefinedColumn, "column \"" + fields[0] + "\" does not exist", location);
}

BoundExprPtr Binder::resolve_outer(const std::vector<std::string>& fields, int location) {
  BoundExprPtr outer = parent_->lookup_local(fields, location);
  if (!outer && parent_->correlated_ && parent_->parent_) outer = parent_->resolve_outer(fields, location);
  if (!outer) return nullptr;
  for (size_t i = 0; i < correlated_inputs_.size(); i++) {
    if (correlated_inputs_[i]->equals(*outer)) return std::make_unique<BoundParameter>(outer->type, static_cast<uint32_t>(i));
  }
  LogicalType type = outer->type;
  correlated_inputs_.push_back(std::move(outer));
  return std::make_unique<BoundParameter>(type, static_cast<uint32_t>(correlated_inputs_.size() - 1));
}

std::vector<BoundExprPtr> Binder::expand_star(const StarExpr& star) {
  std::vector<BoundExprPtr> result;
  bool matched = false;
  for (const auto& entry : scope_.entries) {
    if (!star.qualifier.empty() && entry.alias != star.qualifier.back()) continue;
    matched = true;
    for (size_t c = 0; c < entry.names.size(); c++) {
      if (entry.hidden[c] && star.qualifier.empty()) continue;
      std::string qualified = entry.alias.empty() ? entry.names[c] : entry.alias + "." + entry.names[c];
      auto ref = std::make_unique<BoundColumnRef>(entry.types[c], entry.bindings[c], qualified);
      ref->alias = entry.names[c];
      result.push_back(std::move(ref));
    }
  }
  if (!star.qualifier.empty() && !matched) {
    throw_at(SqlState::kUndefinedTable, "missing FROM-clause entry for table \"" + star.qualifier.back() + "\"", star.location);
  }
  if (star.qualifier.empty() && scope_.entries.empty()) {
    throw_at(SqlState::kSyntaxError, "SELECT * with no tables specified is not valid", star.location);
  }
  return result;
}

std::string Binder::column_name_of(const Expr& expr) const {
  switch (expr.kind) {
    case ExprKind::kColumnRef: return expr.as<ColumnRefExpr>().fields.back();
    case ExprKind::kFuncCall: return expr.as<FuncCallExpr>().name.back();
    case ExprKind::kTypeCast: {
      std::string inner = column_name_of(*expr.as<TypeCastExpr>().arg);
      if (inner != "?column?") return inner;
      const std::string& t = expr.as<TypeCastExpr>().type.name;
      if (t == "integer") return "int4";
      if (t == "bigint") return "int8";
      if (t == "smallint") return "int2";
      if (t == "double precision") return "float8";
      if (t == "boolean") return "bool";
      return t;
    }
    case ExprKind::kCase: return "case";
    case ExprKind::kSubLink: {
      const auto& s = expr.as<SubLinkExpr>();
      if (s.sublink_kind == SubLinkKind::kExists) return "exists";
      if (s.sublink_kind == SubLinkKind::kScalar && s.subquery->select_kind == SelectKind::kSimple &&
          !s.subquery->targets.empty()) {
        const auto& t = s.subquery->targets[0];
        return t.alias.empty() ? column_name_of(*t.expr) : t.alias;
      }
      return "?column?";
    }
    case ExprKind::kConstant:
      if (expr.as<ConstantExpr>().constant_kind == ConstantKind::kBoolean) return "bool";
      return "?column?";
    default: return "?column?";
  }
}

// ---- expressions ------------------------------------------------------------------------------

BoundExprPtr Binder::bind_expr(const Expr& expr) {
  check_stack_depth();
  try {
    switch (expr.kind) {
      case ExprKind::kColumnRef: return bind_column_ref(expr.as<ColumnRefExpr>());
      case ExprKind::kConstant: return bind_constant(expr.as<ConstantExpr>());
      case ExprKind::kTypeCast: {
        const auto& cast = expr.as<TypeCastExpr>();
        LogicalType target;
        try {
          target = resolve_type_name(cast.type);
        } catch (SqlError& e) {
          e.with_position(position(cast.type.location >= 0 ? cast.type.location : expr.location));
          throw;
        }
        BoundExprPtr arg = bind_expr(*cast.arg);
        if (!can_cast(arg->type, target) && !is_unknown_literal(*arg)) {
          throw_at(SqlState::kCannotCoerce, "cannot cast type " + arg->type.name() + " to " + target.name(), expr.location);
        }
        return cast_to(std::move(arg), target);
      }
      case ExprKind::kUnaryOp: return bind_unary(expr.as<UnaryOpExpr>());
      case ExprKind::kBinaryOp: return bind_binary(expr.as<BinaryOpExpr>());
      case ExprKind::kFuncCall: return bind_function(expr.as<FuncCallExpr>());
      case ExprKind::kCase: return bind_case(expr.as<CaseExpr>());
      case ExprKind::kSubLink: return bind_sublink(expr.as<SubLinkExpr>());
      case ExprKind::kInList: return bind_in_list(expr.as<InListExpr>());
      case ExprKind::kBetween: return bind_between(expr.as<BetweenExpr>());
      case ExprKind::kNullTest: {
        const auto& t = expr.as<NullTestExpr>();
        std::vector<BoundExprPtr> args;
        args.push_back(bind_expr(*t.expr));
        return std::make_unique<BoundFunction>(LogicalType::boolean(), t.is_not ? FunctionId::kIsNotNull : FunctionId::kIsNull,
                                               std::move(args));
      }
      case ExprKind::kBoolTest: {
        const auto& t = expr.as<BoolTestExpr>();
        std::vector<BoundExprPtr> args;
        args.push_back(bind_boolean(*t.expr, "IS TRUE"));
        FunctionId id;
        switch (t.test) {
          case BoolTestKind::kIsTrue: id = FunctionId::kIsTrue; break;
          case BoolTestKind::kIsNotTrue: id = FunctionId::kIsNotTrue; break;
          case BoolTestKind::kIsFalse: id = FunctionId::kIsFalse; break;
          case BoolTestKind::kIsNotFalse: id = FunctionId::kIsNotFalse; break;
          case BoolTestKind::kIsUnknown: id = FunctionId::kIsNull; break;
          default: id = FunctionId::kIsNotNull; break;
        }
        return std::make_unique<BoundFunction>(LogicalType::boolean(), id, std::move(args));
      }
      case ExprKind::kLike: return bind_like(expr.as<LikeExpr>());
      case ExprKind::kIsDistinct: {
        const auto& d = expr.as<IsDistinctExpr>();
        BoundExprPtr l = bind_expr(*d.left);
        BoundExprPtr r = bind_expr(*d.right);
        coerce_comparison("=", l, r);
        std::vector<BoundExprPtr> args;
        args.push_back(std::move(l));
        args.push_back(std::move(r));
        return std::make_unique<BoundFunction>(LogicalType::boolean(),
                                               d.negated ? FunctionId::kIsNotDistinctFrom : FunctionId::kIsDistinctFrom,
                                               std::move(args));
      }
      case ExprKind::kStar: throw_at(SqlState::kSyntaxError, "syntax error at or near \"*\"", expr.location);
      case ExprKind::kParameter: return bind_parameter(expr.as<ParameterExpr>());
      case ExprKind::kRow: throw_at(SqlState::kFeatureNotSupported, "row constructors are not supported yet", expr.location);
      case ExprKind::kGroupingSet:
        throw_at(SqlState::kFeatureNotSupported, "grouping sets are not supported yet", expr.location);
      case ExprKind::kDefault: throw_at(SqlState::kSyntaxError, "DEFAULT is not allowed in this context", expr.location);
    }
  } catch (SqlError& e) {
    if (e.position() == 0 && expr.location >= 0) e.with_position(position(expr.location));
    throw;
  }
  throw_at(SqlState::kFeatureNotSupported, "unsupported expression", expr.location);
}

BoundExprPtr Binder::bind_column_ref(const ColumnRefExpr& ref) { return resolve_column(ref.fields, ref.location); }

BoundExprPtr Binder::bind_constant(const ConstantExpr& constant) {
  switch (constant.constant_kind) {
    case ConstantKind::kInteger: {
      int64_t v = constant.int_value;
      if (v >= std::numeric_limits<int32_t>::min() && v <= std::numeric_limits<int32_t>::max()) {
        return std::make_unique<BoundConstant>(Value::integer(static_cast<int32_t>(v)));
      }
      return std::make_unique<BoundConstant>(Value::bigint(v));
    }
    case ConstantKind::kNumeric: {
      // numeric is not implemented yet: decimal literals are double precision.
      double d;
      bool out_of_range;
      if (!parse_double(constant.text, d, out_of_range)) {
        throw_invalid_input(LogicalType::double_precision(), constant.text, out_of_range);
      }
      return std::make_unique<BoundConstant>(Value::double_precision(d));
    }
    case ConstantKind::kString: {
      auto c = std::make_unique<BoundConstant>(Value::varchar(constant.text));
      c->unknown_literal = true;
      return c;
    }
    case ConstantKind::kBoolean: return std::make_unique<BoundConstant>(Value::boolean(constant.bool_value));
    case ConstantKind::kNull: return std::make_unique<BoundConstant>(Value());
  }
  return std::make_unique<BoundConstant>(Value());
}

BoundExprPtr Binder::bind_boolean(const Expr& expr, const char* context) {
  BoundExprPtr e = bind_expr(expr);
  if (e->type.id() == LogicalTypeId::kBoolean && !is_unknown_literal(*e)) return e;
  if (is_unknown_literal(*e) || e->type.id() == LogicalTypeId::kSqlNull) return cast_to(std::move(e), LogicalType::boolean());
  throw_at(SqlState::kDatatypeMismatch, std::string("argument of ") + context + " must be type boolean, not type " + e->type.name(),
           expr.location);
}

BoundExprPtr Binder::make_comparison(const std::string& op, BoundExprPtr left, BoundExprPtr right, int location) {
  try {
    coerce_comparison(op, left, right);
  } catch (SqlError& e) {
    e.with_position(position(location));
    throw;
  }
  std::vector<BoundExprPtr> args;
  args.push_back(std::move(left));
  args.push_back(std::move(right));
  return std::make_unique<BoundFunction>(LogicalType::boolean(), comparison_id(op), std::move(args));
}

BoundExprPtr Binder::make_arithmetic(const std::string& op, BoundExprPtr left, BoundExprPtr right, int location) {
  bool lu = is_unknown_literal(*left) || left->type.id() == LogicalTypeId::kSqlNull;
  bool ru = is_unknown_literal(*right) || right->type.id() == LogicalTypeId::kSqlNull;
  if (op == "||") {
    // text || anything: the other operand goes through its text output.
    bool l_text = left->type.id() == LogicalTypeId::kVarchar || lu;
    bool r_text = right->type.id() == LogicalTypeId::kVarchar || ru;
    if (!l_text && !r_text) throw_at(SqlState::kUndefinedFunction, "operator does not exist: " + left->type.name() + " || " + right->type.name(), location);
    left = cast_to(std::move(left), LogicalType::varchar());
    right = cast_to(std::move(right), LogicalType::varchar());
    std::vector<BoundExprPtr> args;
    args.push_back(std::move(left));
    args.push_back(std::move(right));
    return std::make_unique<BoundFunction>(LogicalType::varchar(), FunctionId::kConcat, std::move(args));
  }
  if (lu && ru) {
    throw_at(SqlState::kAmbiguousFunction, "operator is not unique: unknown " + op + " unknown", location);
  }
  LogicalType target;
  if (lu) {
    target = right->type;
  } else if (ru) {
    target = left->type;
  } else {
    if (!left->type.is_numeric() || !right->type.is_numeric()) throw_no_operator(op, left->type, right->type);
    target = *common_supertype(left->type, right->type);
  }
  if (!target.is_numeric()) {
    throw SqlError(SqlState::kUndefinedFunction,
                   "operator does not exist: " + operand_type_name(*left) + " " + op + " " + operand_type_name(*right))
        .with_hint("No operator matches the given name and argument types. You might need to add explicit type casts.")
        .with_position(position(location));
  }
  FunctionId id;
  if (op == "+") {
    id = FunctionId::kAdd;
  } else if (op == "-") {
    id = FunctionId::kSubtract;
  } else if (op == "*") {
    id = FunctionId::kMultiply;
  } else if (op == "/") {
    id = FunctionId::kDivide;
  } else if (op == "%") {
    id = FunctionId::kModulo;
  } else {
    id = FunctionId::kPower;
    target = LogicalType::double_precision();
  }
  left = cast_to(std::move(left), target);
  right = cast_to(std::move(right), target);
  std::vector<BoundExprPtr> args;
  args.push_back(std::move(left));
  args.push_back(std::move(right));
  return std::make_unique<BoundFunction>(target, id, std::move(args));
}

BoundExprPtr Binder::bind_binary(const BinaryOpExpr& expr) {
  const std::string& op = expr.op;
  if (op == "AND" || op == "OR") {
    // A chain `a OR b OR c ...` nests one level per operator; gather its operands without
    // recursion (generated queries have thousands of them) into one flat conjunction.
    std::vector<const Expr*> operands;
    std::vector<const Expr*> pending{&expr};
    while (!pending.empty()) {
      const Expr* e = pending.back();
      pending.pop_back();
      if (e->kind == ExprKind::kBinaryOp && e->as<BinaryOpExpr>().op == op) {
        pending.push_back(e->as<BinaryOpExpr>().right.get());
        pending.push_back(e->as<BinaryOpExpr>().left.get());
      } else {
        operands.push_back(e);
      }
    }
    const bool is_and = op == "AND";
    std::vector<BoundExprPtr> children;
    for (const Expr* operand : operands) {
      BoundExprPtr bound = bind_boolean(*operand, op.c_str());
      if (bound->kind == BoundExprKind::kConjunction && static_cast<BoundConjunction&>(*bound).is_and == is_and) {
        for (auto& c : static_cast<BoundConjunction&>(*bound).children) children.push_back(std::move(c));
      } else {
        children.push_back(std::move(bound));
      }
    }
    return std::make_unique<BoundConjunction>(is_and, std::move(children));
  }
  BoundExprPtr l = bind_expr(*expr.left);
  BoundExprPtr r = bind_expr(*expr.right);
  if (is_comparison(op)) return make_comparison(op, std::move(l), std::move(r), expr.location);
  if (op == "+" || op == "-" || op == "*" || op == "/" || op == "%" || op == "^" || op == "||") {
    return make_arithmetic(op, std::move(l), std::move(r), expr.location);
  }
  if (op == "~~" || op == "!~~" || op == "~~*" || op == "!~~*") {
    FunctionId id = op == "~~" ? FunctionId::kLike : op == "!~~" ? FunctionId::kNotLike : op == "~~*" ? FunctionId::kILike : FunctionId::kNotILike;
    l = cast_to(std::move(l), LogicalType::varchar());
    r = cast_to(std::move(r), LogicalType::varchar());
    std::vector<BoundExprPtr> args;
    args.push_back(std::move(l));
    args.push_back(std::move(r));
    return std::make_unique<BoundFunction>(LogicalType::boolean(), id, std::move(args));
  }
  throw SqlError(SqlState::kUndefinedFunction,
                 "operator does not exist: " + operand_type_name(*l) + " " + op + " " + operand_type_name(*r))
      .with_hint("No operator matches the given name and argument types. You might need to add explicit type casts.")
      .with_position(position(expr.location));
}

BoundExprPtr Binder::bind_unary(const UnaryOpExpr& expr) {
  if (expr.op == "NOT") return make_not(bind_boolean(*expr.operand, "NOT"));
  BoundExprPtr operand = bind_expr(*expr.operand);
  if (expr.op == "+" || expr.op == "-") {
    if (is_unknown_literal(*operand)) {
      // PostgreSQL resolves -'1' by the only numeric candidate it prefers (numeric); we use double.
      operand = cast_to(std::move(operand), LogicalType::double_precision());
    }
    if (!operand->type.is_numeric() && operand->type.id() != LogicalTypeId::kSqlNull) {
      throw SqlError(SqlState::kUndefinedFunction, "operator does not exist: " + expr.op + " " + operand->type.name())
          .with_hint("No operator matches the given name and argument type. You might need to add an explicit type cast.")
          .with_position(position(expr.location));
    }
    if (operand->type.id() == LogicalTypeId::kSqlNull) operand = cast_to(std::move(operand), LogicalType::integer());
    if (expr.op == "+") return operand;
    if (operand->kind == BoundExprKind::kConstant) {
      const Value& v = static_cast<BoundConstant&>(*operand).value;
      if (v.is_null()) return operand;
      if (v.type().id() == LogicalTypeId::kDouble) return std::make_unique<BoundConstant>(Value::double_precision(-v.get_double()));
    }
    LogicalType type = operand->type;
    std::vector<BoundExprPtr> args;
    args.push_back(std::move(operand));
    return std::make_unique<BoundFunction>(type, FunctionId::kNegate, std::move(args));
  }
  throw SqlError(SqlState::kUndefinedFunction, "operator does not exist: " + expr.op + " " + operand_type_name(*operand))
      .with_hint("No operator matches the given name and argument type. You might need to add an explicit type cast.")
      .with_position(position(expr.location));
}

BoundExprPtr Binder::bind_case(const CaseExpr& expr) {
  std::vector<BoundCase::When> whens;
  std::vector<BoundExprPtr> results;
  std::vector<BoundExprPtr> conditions;
  for (const auto& w : expr.whens) {
    if (expr.arg) {
      conditions.push_back(make_comparison("=", bind_expr(*expr.arg), bind_expr(*w.condition), w.condition->location));
    } else {
      conditions.push_back(bind_boolean(*w.condition, "CASE/WHEN"));
    }
    results.push_back(bind_expr(*w.result));
  }
  BoundExprPtr else_result = expr.else_result ? bind_expr(*expr.else_result) : std::make_unique<BoundConstant>(Value());
  // The result type: PostgreSQL's select_common_type over THEN and ELSE branches.
  LogicalType type = LogicalType::sql_null();
  bool all_unknown = true;
  auto consider = [&](const BoundExprPtr& r, int location) {
    if (is_unknown_literal(*r) || r->type.id() == LogicalTypeId::kSqlNull) return;
    all_unknown = false;
    auto common = common_supertype(type, r->type);
    if (!common) throw_at(SqlState::kDatatypeMismatch, "CASE types " + type.name() + " and " + r->type.name() + " cannot be matched", location);
    type = *common;
  };
  for (size_t i = 0; i < results.size(); i++) consider(results[i], expr.whens[i].result->location);
  consider(else_result, expr.else_result ? expr.else_result->location : expr.location);
  if (all_unknown) type = LogicalType::varchar();
  for (size_t i = 0; i < results.size(); i++) {
    whens.push_back(BoundCase::When{std::move(conditions[i]), cast_to(std::move(results[i]), type)});
  }
  return std::make_unique<BoundCase>(type, std::move(whens), cast_to(std::move(else_result), type));
}

BoundExprPtr Binder::bind_in_list(const InListExpr& expr) {
  // x IN (a, b) is (x = a OR x = b), with PostgreSQL's NULL semantics preserved by the OR.
  BoundExprPtr left = bind_expr(*expr.expr);
  std::vector<BoundExprPtr> terms;
  for (const auto& item : expr.list) {
    terms.push_back(make_comparison(expr.negated ? "<>" : "=", left->copy(), bind_expr(*item), item->location));
  }
  if (terms.size() == 1) return std::move(terms[0]);
  return std::make_unique<BoundConjunction>(expr.negated, std::move(terms));
}

BoundExprPtr Binder::bind_between(const BetweenExpr& expr) {
  BoundExprPtr x = bind_expr(*expr.expr);
  BoundExprPtr low = bind_expr(*expr.low);
  BoundExprPtr high = bind_expr(*expr.high);
  auto range = [&](BoundExprPtr lo, BoundExprPtr hi) {
    if (expr.negated) {
      return make_conjunction(false, make_comparison("<", x->copy(), std::move(lo), expr.location),
                              make_comparison(">", x->copy(), std::move(hi), expr.location));
    }
    return make_conjunction(true, make_comparison(">=", x->copy(), std::move(lo), expr.location),
                            make_comparison("<=", x->copy(), std::move(hi), expr.location));
  };
  if (!expr.symmetric) return range(std::move(low), std::move(high));
  BoundExprPtr a = range(low->copy(), high->copy());
  BoundExprPtr b = range(std::move(high), std::move(low));
  // x BETWEEN SYMMETRIC l AND h: either order of the bounds; NOT: neither.
  return make_conjunction(expr.negated, std::move(a), std::move(b));
}

BoundExprPtr Binder::bind_like(const LikeExpr& expr) {
  if (expr.similar) throw_at(SqlState::kFeatureNotSupported, "SIMILAR TO is not supported yet", expr.location);
  BoundExprPtr l = bind_expr(*expr.expr);
  BoundExprPtr r = bind_expr(*expr.pattern);
  const char* op = expr.case_insensitive ? (expr.negated ? "!~~*" : "~~*") : (expr.negated ? "!~~" : "~~");
  auto is_texty = [](const BoundExpression& e) {
    return e.type.id() == LogicalTypeId::kVarchar || e.type.id() == LogicalTypeId::kSqlNull;
  };
  if (!is_texty(*l) || !is_texty(*r)) {
    throw SqlError(SqlState::kUndefinedFunction, std::string("operator does not exist: ") + operand_type_name(*l) + " " + op + " " +
                                                     operand_type_name(*r))
        .with_hint("No operator matches the given name and argument types. You might need to add explicit type casts.")
        .with_position(position(expr.location));
  }
  FunctionId id = expr.case_insensitive ? (expr.negated ? FunctionId::kNotILike : FunctionId::kILike)
                                        : (expr.negated ? FunctionId::kNotLike : FunctionId::kLike);
  std::vector<BoundExprPtr> args;
  args.push_back(cast_to(std::move(l), LogicalType::varchar()));
  args.push_back(cast_to(std::move(r), LogicalType::varchar()));
  if (expr.escape) {
    BoundExprPtr escape = bind_expr(*expr.escape);
    if (!is_texty(*escape)) {
      throw SqlError(SqlState::kUndefinedFunction, "function like_escape(text, " + operand_type_name(*escape) + ") does not exist")
          .with_position(position(expr.escape->location));
    }
    args.push_back(cast_to(std::move(escape), LogicalType::varchar()));
  }
  return std::make_unique<BoundFunction>(LogicalType::boolean(), id, std::move(args));
}

BoundExprPtr Binder::bind_sublink(const SubLinkExpr& expr) {
  Binder child(*this, true);
  std::vector<std::string> names;
  LogicalPtr plan = child.bind_query(*expr.subquery, names);
  auto types = plan->output_types();
  SubqueryKind kind = SubqueryKind::kScalar;
  LogicalType type = LogicalType::boolean();
  switch (expr.sublink_kind) {
    case SubLinkKind::kExists: kind = SubqueryKind::kExists; break;
    case SubLinkKind::kScalar:
      kind = SubqueryKind::kScalar;
      if (types.size() != 1) throw_at(SqlState::kSyntaxError, "subquery must return only one column", expr.location);
      type = result_column_type(types[0]);
      break;
    case SubLinkKind::kAny: kind = SubqueryKind::kAny; break;
    case SubLinkKind::kAll: kind = SubqueryKind::kAll; break;
  }
  BoundExprPtr left;
  FunctionId comparison = FunctionId::kEqual;
  if (kind == SubqueryKind::kAny || kind == SubqueryKind::kAll) {
    if (types.size() != 1) {
      throw_at(SqlState::kSyntaxError, types.size() > 1 ? "subquery has too many columns" : "subquery has too few columns", expr.location);
    }
    if (!is_comparison(expr.op)) throw_at(SqlState::kFeatureNotSupported, "operator " + expr.op + " with ANY/ALL is not supported yet", expr.location);
    comparison = comparison_id(expr.op);
    left = bind_expr(*expr.test_expr);
    // Type the comparison as if against a value of the subquery's column type.
    BoundExprPtr probe = std::make_unique<BoundConstant>(Value::null(types[0]));
    LogicalType column_type = types[0];
    BoundExprPtr l2 = left->copy();
    if (column_type.id() == LogicalTypeId::kSqlNull) column_type = LogicalType::varchar();
    probe = std::make_unique<BoundConstant>(Value::null(column_type));
    try {
      coerce_comparison(expr.op, l2, probe);
    } catch (SqlError& e) {
      e.with_position(position(expr.location));
      throw;
    }
    left = std::move(l2);
    if (probe->type != column_type) {
      // The subquery's column must be cast: wrap the plan in a projection.
      auto projection = std::make_unique<LogicalProjection>(next_table_index());
      auto bindings = plan->output_bindings();
      projection->expressions.push_back(
          cast_to(std::make_unique<BoundColumnRef>(types[0], bindings[0], names[0]), probe->type));
      projection->estimated_rows = plan->estimated_rows;
      projection->children.push_back(std::move(plan));
      plan = std::move(projection);
    }
  }
  plan = Optimizer().optimize(std::move(plan));
  auto subquery = std::make_unique<BoundSubquery>(type, kind, std::shared_ptr<LogicalOperator>(std::move(plan)));
  subquery->left = std::move(left);
  subquery->comparison = comparison;
  subquery->correlated = std::move(child.correlated_inputs_);
  return subquery;
}

// ---- functions --------------------------------------------------------------------------------

BoundExprPtr Binder::bind_aggregate(const FuncCallExpr& call) {
  const std::string& name = call.name.back();
  if (no_aggregates_clause_) {
    throw_at(SqlState::kGroupingError, std::string("aggregate functions are not allowed in ") + no_aggregates_clause_, call.location);
  }
  if (!select_context_) throw_at(SqlState::kGroupingError, "aggregate functions are not allowed here", call.location);
  if (select_context_->inside_aggregate) throw_at(SqlState::kGroupingError, "aggregate function calls cannot be nested", call.location);
  if (call.filter) throw_at(SqlState::kFeatureNotSupported, "FILTER is not supported yet", call.location);
  if (!call.agg_order_by.empty()) throw_at(SqlState::kFeatureNotSupported, "ordered aggregates are not supported yet", call.location);
  if (call.star) {
    if (name != "count") throw_at(SqlState::kSyntaxError, name + "(*) specified, but " + name + " is not an aggregate function", call.location);
    return std::make_unique<BoundAggregate>(LogicalType::bigint(), AggregateId::kCountStar, nullptr, false);
  }
  if (call.args.size() != 1) {
    throw_at(SqlState::kUndefinedFunction, "function " + name + " with " + std::to_string(call.args.size()) + " arguments does not exist",
             call.location);
  }
  select_context_->inside_aggregate = true;
  BoundExprPtr arg;
  try {
    arg = bind_expr(*call.args[0]);
  } catch (...) {
    select_context_->inside_aggregate = false;
    throw;
  }
  select_context_->inside_aggregate = false;
  if (is_unknown_literal(*arg)) arg = cast_to(std::move(arg), LogicalType::varchar());
  const LogicalType t = arg->type;
  auto no_function = [&]() {
    throw SqlError(SqlState::kUndefinedFunction, "function " + name + "(" + t.name() + ") does not exist")
        .with_hint("No function matches the given name and argument types. You might need to add explicit type casts.")
        .with_position(position(call.location));
  };
  AggregateId id;
  LogicalType result;
  if (name == "count") {
    id = AggregateId::kCount;
    result = LogicalType::bigint();
  } else if (name == "sum") {
    id = AggregateId::kSum;
    if (t.is_integral()) {
      result = LogicalType::bigint();
    } else if (t.id() == LogicalTypeId::kDouble) {
      result = t;
    } else if (t.id() == LogicalTypeId::kSqlNull) {
      arg = cast_to(std::move(arg), LogicalType::double_precision());
      result = LogicalType::double_precision();
    } else {
      no_function();
    }
  } else if (name == "avg") {
    id = AggregateId::kAvg;
    if (t.is_numeric()) {
      result = LogicalType::double_precision();
    } else if (t.id() == LogicalTypeId::kSqlNull) {
      arg = cast_to(std::move(arg), LogicalType::double_precision());
      result = LogicalType::double_precision();
    } else {
      no_function();
    }
  } else if (name == "min" || name == "max") {
    id = name == "min" ? AggregateId::kMin : AggregateId::kMax;
    if (t.id() == LogicalTypeId::kSqlNull) arg = cast_to(std::move(arg), LogicalType::varchar());
    result = arg->type;
  } else {
    id = name == "bool_and" || name == "every" ? AggregateId::kBoolAnd : AggregateId::kBoolOr;
    if (t.id() != LogicalTypeId::kBoolean) no_function();
    result = LogicalType::boolean();
  }
  if (call.distinct && (id == AggregateId::kBoolAnd || id == AggregateId::kBoolOr || id == AggregateId::kMin || id == AggregateId::kMax)) {
    // DISTINCT does not change these results.
    return std::make_unique<BoundAggregate>(result, id, std::move(arg), false);
  }
  return std::make_unique<BoundAggregate>(result, id, std::move(arg), call.distinct);
}

BoundExprPtr Binder::bind_function(const FuncCallExpr& call) {
  if (call.over) throw_at(SqlState::kFeatureNotSupported, "window functions are not supported yet", call.location);
  std::string name = call.name.back();
  if (call.name.size() > 1 && call.name[call.name.size() - 2] != "pg_catalog") {
    throw_at(SqlState::kUndefinedFunction, "function " + call.name[0] + "." + name + " does not exist", call.location);
  }
  static const char* kAggregates[] = {"count", "sum", "avg", "min", "max", "bool_and", "bool_or", "every"};
  for (const char* a : kAggregates) {
    if (name == a) return bind_aggregate(call);
  }
  if (call.distinct || call.star) {
    throw_at(SqlState::kWrongObjectType, "DISTINCT specified, but " + name + " is not an aggregate function", call.location);
  }
  std::vector<BoundExprPtr> args;
  for (const auto& a : call.args) args.push_back(bind_expr(*a));
  auto signature = [&]() {
    std::string s = name + "(";
    for (size_t i = 0; i < args.size(); i++) {
      if (i) s += ", ";
      s += operand_type_name(*args[i]);
    }
    return s + ")";
  };
  auto no_function = [&]() {
    throw SqlError(SqlState::kUndefinedFunction, "function " + signature() + " does not exist")
        .with_hint("No function matches the given name and argument types. You might need to add explicit type casts.")
        .with_position(position(call.location));
  };
  auto make = [&](LogicalType type, FunctionId id) -> BoundExprPtr {
    return std::make_unique<BoundFunction>(type, id, std::move(args));
  };
  if (name == "coalesce" || name == "greatest" || name == "least" || name == "nullif") {
    if (args.empty() || (name == "nullif" && args.size() != 2)) no_function();
    LogicalType type = LogicalType::sql_null();
    bool all_unknown = true;
    for (size_t i = 0; i < args.size(); i++) {
      if (is_unknown_literal(*args[i]) || args[i]->type.id() == LogicalTypeId::kSqlNull) continue;
      all_unknown = false;
      auto common = common_supertype(type, args[i]->type);
      if (!common) {
        std::string upper = name;
        for (auto& ch : upper) ch = static_cast<char>(std::toupper(ch));
        throw_at(SqlState::kDatatypeMismatch, upper + " types " + type.name() + " and " + args[i]->type.name() + " cannot be matched",
                 call.args[i]->location);
      }
      type = *common;
    }
    if (all_unknown) type = LogicalType::varchar();
    // NULLIF returns its first argument as promoted for the comparison (PostgreSQL:
    // NULLIF(1, 2.2) is numeric), so all four functions take the common type.
    for (auto& a : args) a = cast_to(std::move(a), type);
    FunctionId id = name == "coalesce" ? FunctionId::kCoalesce
                    : name == "greatest" ? FunctionId::kGreatest
                    : name == "least" ? FunctionId::kLeast
                                      : FunctionId::kNullIf;
    return make(type, id);
  }
  if (name == "abs") {
    if (args.size() != 1) no_function();
    if (is_unknown_literal(*args[0])) args[0] = cast_to(std::move(args[0]), LogicalType::double_precision());
    if (args[0]->type.id() == LogicalTypeId::kSqlNull) args[0] = cast_to(std::move(args[0]), LogicalType::double_precision());
    if (!args[0]->type.is_numeric()) no_function();
    LogicalType type = args[0]->type;
    return make(type, FunctionId::kAbs);
  }
  if (name == "lower" || name == "upper" || name == "length" || name == "char_length" || name == "character_length") {
    if (args.size() != 1) no_function();
    if (args[0]->type.id() != LogicalTypeId::kVarchar && !is_unknown_literal(*args[0]) &&
        args[0]->type.id() != LogicalTypeId::kSqlNull) {
      no_function();
    }
    args[0] = cast_to(std::move(args[0]), LogicalType::varchar());
    if (name == "lower") return make(LogicalType::varchar(), FunctionId::kLower);
    if (name == "upper") return make(LogicalType::varchar(), FunctionId::kUpper);
    return make(LogicalType::integer(), FunctionId::kLength);
  }
  if (name == "round" || name == "floor" || name == "ceil" || name == "ceiling" || name == "sqrt") {
    if (args.size() != 1) {
      throw_at(SqlState::kFeatureNotSupported, "function " + signature() + " is not supported yet", call.location);
    }
    if (!args[0]->type.is_numeric() && !is_unknown_literal(*args[0]) && args[0]->type.id() != LogicalTypeId::kSqlNull) no_function();
    args[0] = cast_to(std::move(args[0]), LogicalType::double_precision());
    FunctionId id = name == "round" ? FunctionId::kRound
                    : name == "floor" ? FunctionId::kFloor
                    : name == "sqrt" ? FunctionId::kSqrt
                                     : FunctionId::kCeil;
    return make(LogicalType::double_precision(), id);
  }
  if (args.empty()) {
    if (name == "version") return make(LogicalType::varchar(), FunctionId::kVersion);
    if (name == "current_database" || name == "current_catalog") return make(LogicalType::varchar(), FunctionId::kCurrentDatabase);
    if (name == "current_schema") return make(LogicalType::varchar(), FunctionId::kCurrentSchema);
    if (name == "current_user" || name == "session_user" || name == "user" || name == "current_role") {
      return make(LogicalType::varchar(), FunctionId::kCurrentUser);
    }
  }
  no_function();
  __builtin_unreachable();
}

}  // namespace tessera::planner
