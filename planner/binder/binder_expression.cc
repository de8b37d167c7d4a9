#include <limits>

#include "catalog/catalog.h"
#include "catalog/function_registry.h"
#include "planner/binder/binder.h"
#include "planner/binder/type_rules.h"
#include "planner/optimizer/optimizer.h"
#include "src/common/array_value.h"
#include "src/common/assert.h"
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

bool is_comparison(const std::string& op) {
  return op == "=" || op == "<>" || op == "<" || op == "<=" || op == ">" || op == ">=";
}

BoundExprPtr make_not(BoundExprPtr e) { return std::make_unique<BoundBooleanTest>(BooleanTest::kNot, std::move(e)); }

/// The call of a resolved overload: arguments cast to its parameter types (an unknown argument
/// of an "any" parameter stays as it is), its bind hook run.
BoundExprPtr make_call(const catalog::ResolvedFunction& resolved, std::vector<BoundExprPtr> args) {
  for (size_t i = 0; i < args.size(); i++) {
    const LogicalType& param = resolved.arg_types[i];
    if (param.id() == LogicalTypeId::kSqlNull) continue;
    // Parameters of functions and operators have no type modifier (PostgreSQL): `g = 'abc'`
    // with g varchar(2) compares with 'abc', not a cut 'ab'. A polymorphic parameter keeps its
    // argument's type as it is.
    if (param.modifier() >= 0 && args[i]->type == param && !is_unknown_literal(*args[i])) continue;
    args[i] = cast_to(std::move(args[i]), param.is_array() ? LogicalType::array_of(LogicalType(param.element_type().id()))
                                                           : LogicalType(param.id()));
  }
  std::shared_ptr<const catalog::FunctionData> data;
  if (resolved.function->bind) data = resolved.function->bind(resolved.arg_types);
  return std::make_unique<BoundFunction>(resolved.return_type, *resolved.function, std::move(args), std::move(data));
}

BoundExprPtr call_operator(const catalog::FunctionRegistry& functions, const std::string& op, BoundExprPtr left,
                           BoundExprPtr right) {
  std::vector<BoundExprPtr> args;
  args.push_back(std::move(left));
  args.push_back(std::move(right));
  auto resolved = functions.resolve_operator(op, resolution_types(args));
  return make_call(resolved, std::move(args));
}

BoundExprPtr make_conjunction(bool is_and, BoundExprPtr a, BoundExprPtr b) {
  std::vector<BoundExprPtr> children;
  children.push_back(std::move(a));
  children.push_back(std::move(b));
  return std::make_unique<BoundConjunction>(is_and, std::move(children));
}

}  // namespace

// ---- names ------------------------------------------------------------------------------------

namespace {

/// Whether the qualifier of a column reference or `*` ([[database.]schema.]table) names another
/// database.
bool names_other_database(const std::vector<std::string>& qualifier) {
  return qualifier.size() == 3 && qualifier[0] != catalog::kDatabaseName;
}

/// Whether it names a schema other than the one of FROM item relation `schema`.
bool names_other_schema(const std::vector<std::string>& qualifier, const std::string& schema) {
  return qualifier.size() >= 2 && qualifier[qualifier.size() - 2] != schema;
}

}  // namespace

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
  const std::vector<std::string> qualifier(fields.begin(), fields.end() - 1);
  if (names_other_database(qualifier)) {
    throw_at(SqlState::kFeatureNotSupported, "cross-database references are not implemented: " + join_names(fields),
             location);
  }
  for (const auto& entry : scope_.entries) {
    if (entry.alias != table) continue;
    if (names_other_schema(qualifier, entry.schema) || (qualifier.size() >= 2 && !entry.relation_name)) {
      throw_at(SqlState::kUndefinedTable, "invalid reference to FROM-clause entry for table \"" + table + "\"",
               location);
    }
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
  throw_if_invisible_reference(fields, location);
  if (fields.size() >= 2) {
    const std::string& table = fields[fields.size() - 2];
    throw_at(SqlState::kUndefinedTable, "missing FROM-clause entry for table \"" + table + "\"", location);
  }
  throw_at(SqlState::kUndefinedColumn, "column \"" + fields[0] + "\" does not exist", location);
}

void Binder::throw_if_invisible_reference(const std::vector<std::string>& fields, int location) const {
  for (const Binder* b = parent_; b; b = b->parent_) {
    for (const auto& entry : b->scope_.entries) {
      if (fields.size() >= 2) {
        const std::string& table = fields[fields.size() - 2];
        if (entry.alias != table) continue;
        throw SqlError(SqlState::kUndefinedTable, "invalid reference to FROM-clause entry for table \"" + table + "\"")
            .with_position(position(location))
            .with_hint("There is an entry for table \"" + table + "\", but it cannot be referenced from this part of the query.");
      }
      for (size_t c = 0; c < entry.names.size(); c++) {
        if (entry.hidden[c] || entry.names[c] != fields[0] || entry.alias.empty()) continue;
        throw SqlError(SqlState::kUndefinedColumn, "column \"" + fields[0] + "\" does not exist")
            .with_position(position(location))
            .with_hint("There is a column named \"" + fields[0] + "\" in table \"" + entry.alias +
                       "\", but it cannot be referenced from this part of the query.");
      }
    }
  }
}

BoundExprPtr Binder::resolve_outer(const std::vector<std::string>& fields, int location) {
  BoundExprPtr outer = skip_parent_scope_ ? nullptr : parent_->lookup_local(fields, location);
  if (!outer && parent_->correlated_ && parent_->parent_) outer = parent_->resolve_outer(fields, location);
  if (!outer) return nullptr;
  for (size_t i = 0; i < correlated_inputs_.size(); i++) {
    if (correlated_inputs_[i]->equals(*outer)) return std::make_unique<BoundParameter>(outer->type, static_cast<uint32_t>(i));
  }
  LogicalType type = outer->type;
  correlated_inputs_.push_back(std::move(outer));
  correlated_locations_.push_back(location);
  return std::make_unique<BoundParameter>(type, static_cast<uint32_t>(correlated_inputs_.size() - 1));
}

std::vector<BoundExprPtr> Binder::expand_star(const StarExpr& star) {
  std::vector<BoundExprPtr> result;
  bool matched = false;
  if (star.qualifier.size() > 3) {
    throw_at(SqlState::kSyntaxError, "improper qualified name (too many dotted names): " +
                                         join_names(star.qualifier) + ".*", star.location);
  }
  if (names_other_database(star.qualifier)) {
    throw_at(SqlState::kFeatureNotSupported,
             "cross-database references are not implemented: " + join_names(star.qualifier) + ".*", star.location);
  }
  for (const auto& entry : scope_.entries) {
    if (!star.qualifier.empty() && entry.alias != star.qualifier.back()) continue;
    if (names_other_schema(star.qualifier, entry.schema) || (star.qualifier.size() >= 2 && !entry.relation_name)) {
      throw_at(SqlState::kUndefinedTable,
               "invalid reference to FROM-clause entry for table \"" + star.qualifier.back() + "\"", star.location);
    }
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
  std::string name;
  return column_name_strength(expr, name) == 0 ? "?column?" : name;
}

int Binder::column_name_strength(const Expr& expr, std::string& name) const {
  switch (expr.kind) {
    case ExprKind::kColumnRef: name = expr.as<ColumnRefExpr>().fields.back(); return 2;
    case ExprKind::kFuncCall: name = expr.as<FuncCallExpr>().name.back(); return 2;
    case ExprKind::kTypeCast: {
      // The operand's name unless that is only a type's or CASE's: then the target type's.
      const int strength = column_name_strength(*expr.as<TypeCastExpr>().arg, name);
      if (strength == 2) return 2;
      const std::string& t = expr.as<TypeCastExpr>().type.name;
      if (t == "integer") name = "int4";
      else if (t == "bigint") name = "int8";
      else if (t == "smallint") name = "int2";
      else if (t == "double precision") name = "float8";
      else if (t == "real") name = "float4";
      else if (t == "boolean") name = "bool";
      else name = t;
      return 1;
    }
    case ExprKind::kCase: {
      // Named by its ELSE result when that has a name of its own.
      const auto& else_result = expr.as<CaseExpr>().else_result;
      if (else_result && column_name_strength(*else_result, name) == 2) return 2;
      name = "case";
      return 1;
    }
    case ExprKind::kArray: name = "array"; return 2;
    case ExprKind::kSubscript: return column_name_strength(*expr.as<SubscriptExpr>().arg, name);
    case ExprKind::kSubLink: {
      const auto& s = expr.as<SubLinkExpr>();
      if (s.sublink_kind == SubLinkKind::kExists) {
        name = "exists";
        return 2;
      }
      if (s.sublink_kind == SubLinkKind::kScalar && s.subquery->select_kind == SelectKind::kSimple &&
          !s.subquery->targets.empty()) {
        const auto& t = s.subquery->targets[0];
        if (t.alias.empty()) return column_name_strength(*t.expr, name);
        name = t.alias;
        return 2;
      }
      return 0;
    }
    default: return 0;
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
        // ARRAY[] takes its type from the cast.
        if (cast.arg->kind == ExprKind::kArray && target.is_array()) {
          const auto& array = cast.arg->as<ArrayExpr>();
          if (array.elements.empty() && !array.subquery) {
            return std::make_unique<BoundConstant>(array::make(target.element_type(), {}));
          }
        }
        BoundExprPtr arg = bind_expr(*cast.arg);
        if (!cast.type.interval_fields.empty()) return bind_interval_with_fields(std::move(arg), cast.type, expr.location);
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
        return std::make_unique<BoundBooleanTest>(t.is_not ? BooleanTest::kIsNotNull : BooleanTest::kIsNull, bind_expr(*t.expr));
      }
      case ExprKind::kBoolTest: {
        const auto& t = expr.as<BoolTestExpr>();
        BoundExprPtr arg = bind_boolean(*t.expr, "IS TRUE");
        BooleanTest test;
        switch (t.test) {
          case BoolTestKind::kIsTrue: test = BooleanTest::kIsTrue; break;
          case BoolTestKind::kIsNotTrue: test = BooleanTest::kIsNotTrue; break;
          case BoolTestKind::kIsFalse: test = BooleanTest::kIsFalse; break;
          case BoolTestKind::kIsNotFalse: test = BooleanTest::kIsNotFalse; break;
          case BoolTestKind::kIsUnknown: test = BooleanTest::kIsNull; break;
          default: test = BooleanTest::kIsNotNull; break;
        }
        return std::make_unique<BoundBooleanTest>(test, std::move(arg));
      }
      case ExprKind::kLike: return bind_like(expr.as<LikeExpr>());
      case ExprKind::kIsDistinct: {
        // Typed as the = operator would be (its errors included), then the distinctness test
        // over the same argument types.
        const auto& d = expr.as<IsDistinctExpr>();
        std::vector<BoundExprPtr> args;
        args.push_back(bind_expr(*d.left));
        args.push_back(bind_expr(*d.right));
        auto equality = functions_.resolve_operator("=", resolution_types(args));
        auto resolved = functions_.resolve_operator(d.negated ? "IS NOT DISTINCT FROM" : "IS DISTINCT FROM", equality.arg_types);
        return make_call(resolved, std::move(args));
      }
      case ExprKind::kStar: throw_at(SqlState::kSyntaxError, "syntax error at or near \"*\"", expr.location);
      case ExprKind::kParameter: return bind_parameter(expr.as<ParameterExpr>());
      case ExprKind::kRow: throw_at(SqlState::kFeatureNotSupported, "row constructors are not supported yet", expr.location);
      case ExprKind::kGroupingSet:
        throw_at(SqlState::kFeatureNotSupported, "grouping sets are not supported yet", expr.location);
      case ExprKind::kDefault: throw_at(SqlState::kSyntaxError, "DEFAULT is not allowed in this context", expr.location);
      case ExprKind::kArray: return bind_array(expr.as<ArrayExpr>());
      case ExprKind::kSubscript: return bind_subscript(expr.as<SubscriptExpr>());
      case ExprKind::kArrayOp: return bind_array_op(expr.as<ArrayOpExpr>());
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
      // Decimal literals and integer literals beyond bigint are numeric, as in PostgreSQL.
      try {
        return std::make_unique<BoundConstant>(Value::numeric(numeric::parse_or_throw(constant.text)));
      } catch (const SqlError& e) {
        // A literal beyond numeric's bound (35 significant digits, docs/numeric.md), such as
        // 1e300, is double precision when a double holds it.
        double d;
        bool out_of_range;
        if (e.state() != SqlState::kNumericValueOutOfRange || !parse_double(constant.text, d, out_of_range)) throw;
        return std::make_unique<BoundConstant>(Value::double_precision(d));
      }
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
    return call_operator(functions_, op, std::move(left), std::move(right));
  } catch (SqlError& e) {
    e.with_position(position(location));
    throw;
  }
}

BoundExprPtr Binder::make_arithmetic(const std::string& op, BoundExprPtr left, BoundExprPtr right, int location) {
  bool lu = is_unknown_literal(*left) || left->type.id() == LogicalTypeId::kSqlNull;
  bool ru = is_unknown_literal(*right) || right->type.id() == LogicalTypeId::kSqlNull;
  if (lu && ru && op != "||") {
    // PostgreSQL also has these operators over dates, times, intervals, money and network
    // types, so two unknown operands match candidates of several categories.
    throw_at(SqlState::kAmbiguousFunction, "operator is not unique: unknown " + op + " unknown", location);
  }
  try {
    return call_operator(functions_, op, std::move(left), std::move(right));
  } catch (SqlError& e) {
    if (e.position() == 0) e.with_position(position(location));
    throw;
  }
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
  // LIKE as its operators (~~, !~~, ~~*, !~~*) and every other operator symbol.
  try {
    return call_operator(functions_, op, std::move(l), std::move(r));
  } catch (SqlError& e) {
    if (e.position() == 0) e.with_position(position(expr.location));
    throw;
  }
}

BoundExprPtr Binder::bind_unary(const UnaryOpExpr& expr) {
  if (expr.op == "NOT") return make_not(bind_boolean(*expr.operand, "NOT"));
  BoundExprPtr operand = bind_expr(*expr.operand);
  if (expr.op == "+" || expr.op == "-") {
    if (is_unknown_literal(*operand)) {
      // PostgreSQL resolves -'1' by the only numeric candidate it prefers (numeric); we use double.
      operand = cast_to(std::move(operand), LogicalType::double_precision());
    }
    if (operand->type.id() == LogicalTypeId::kSqlNull) operand = cast_to(std::move(operand), LogicalType::integer());
    if (expr.op == "-" && operand->kind == BoundExprKind::kConstant) {
      const Value& v = static_cast<BoundConstant&>(*operand).value;
      if (v.is_null()) return operand;
      if (v.type().id() == LogicalTypeId::kDouble) return std::make_unique<BoundConstant>(Value::double_precision(-v.get_double()));
      if (v.type().id() == LogicalTypeId::kReal) return std::make_unique<BoundConstant>(Value::real(-v.get_float()));
    }
  }
  std::vector<BoundExprPtr> args;
  args.push_back(std::move(operand));
  catalog::ResolvedFunction resolved;
  try {
    resolved = functions_.resolve_operator(expr.op, resolution_types(args));
  } catch (SqlError& e) {
    e.with_position(position(expr.location));
    throw;
  }
  // Unary plus is the identity of its (resolved) operand type.
  if (expr.op == "+") return cast_to(std::move(args[0]), resolved.arg_types[0]);
  return make_call(resolved, std::move(args));
}

BoundExprPtr Binder::bind_case(const CaseExpr& expr) {
  const char* saved_construct = no_set_functions_construct_;
  no_set_functions_construct_ = "CASE";
  struct Restore {
    const char*& slot;
    const char* value;
    ~Restore() { slot = value; }
  } restore{no_set_functions_construct_, saved_construct};
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
  // PostgreSQL considers the ELSE branch first: it decides between bpchar and text.
  consider(else_result, expr.else_result ? expr.else_result->location : expr.location);
  for (size_t i = 0; i < results.size(); i++) consider(results[i], expr.whens[i].result->location);
  if (all_unknown) type = LogicalType::varchar();
  {
    std::vector<LogicalType> inputs;
    for (const auto& r : results) inputs.push_back(is_unknown_literal(*r) ? LogicalType::sql_null() : r->type);
    inputs.push_back(is_unknown_literal(*else_result) ? LogicalType::sql_null() : else_result->type);
    type = common_typmod(type, inputs);
  }
  for (size_t i = 0; i < results.size(); i++) {
    whens.push_back(BoundCase::When{std::move(conditions[i]), cast_to(std::move(results[i]), type)});
  }
  return std::make_unique<BoundCase>(type, std::move(whens), cast_to(std::move(else_result), type));
}

BoundExprPtr Binder::bind_in_list(const InListExpr& expr) {
  // x IN (a, b) is (x = a OR x = b), with PostgreSQL's NULL semantics preserved by the OR.
  BoundExprPtr left = bind_expr(*expr.expr);
  std::vector<BoundExprPtr> items;
  for (const auto& item : expr.list) items.push_back(bind_expr(*item));
  // As PostgreSQL's transformAExprIn: several constant items are first brought to the common
  // type of the left side and themselves (the left side's type first, so `bpchar_col IN
  // ('a'::text, 'b'::text)` compares as bpchar), then compared with the left side; items that
  // are not constants, or no common type, compare one by one.
  std::vector<size_t> constants;
  for (size_t i = 0; i < items.size(); i++) {
    if (items[i]->kind == BoundExprKind::kConstant) constants.push_back(i);
  }
  if (constants.size() > 1) {
    std::optional<LogicalType> common = is_unknown_literal(*left) ? LogicalType::sql_null() : left->type;
    std::vector<LogicalType> inputs{*common};
    for (size_t i : constants) {
      const LogicalType t = is_unknown_literal(*items[i]) ? LogicalType::sql_null() : items[i]->type;
      inputs.push_back(t);
      if (common) common = common_supertype(*common, t);
    }
    if (common && common->id() != LogicalTypeId::kSqlNull) {
      const LogicalType target = common_typmod(*common, inputs);
      for (size_t i : constants) items[i] = cast_to(std::move(items[i]), target);
    }
  }
  std::vector<BoundExprPtr> terms;
  for (size_t i = 0; i < items.size(); i++) {
    terms.push_back(make_comparison(expr.negated ? "<>" : "=", left->copy(), std::move(items[i]), expr.list[i]->location));
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
  BoundExprPtr l = bind_expr(*expr.expr);
  BoundExprPtr r = bind_expr(*expr.pattern);
  const char* op = expr.case_insensitive ? (expr.negated ? "!~~*" : "~~*") : (expr.negated ? "!~~" : "~~");
  if (expr.similar) {
    // x SIMILAR TO p [ESCAPE e] is x ~ similar_to_escape(p [, e]), as in PostgreSQL.
    op = expr.negated ? "!~" : "~";
    if (is_unknown_literal(*r) || r->type.id() == LogicalTypeId::kSqlNull) r = cast_to(std::move(r), LogicalType::varchar());
    std::vector<BoundExprPtr> args;
    args.push_back(std::move(r));
    if (expr.escape) args.push_back(bind_expr(*expr.escape));
    try {
      auto resolved = functions_.resolve_function("similar_to_escape", resolution_types(args));
      r = make_call(resolved, std::move(args));
    } catch (SqlError& e) {
      e.with_position(position(expr.escape ? expr.escape->location : expr.location));
      throw;
    }
  } else if (expr.escape) {
    // x LIKE p ESCAPE e is x ~~ like_escape(p, e), as in PostgreSQL.
    BoundExprPtr escape = bind_expr(*expr.escape);
    if (is_unknown_literal(*r) || r->type.id() == LogicalTypeId::kSqlNull) r = cast_to(std::move(r), LogicalType::varchar());
    std::vector<BoundExprPtr> args;
    args.push_back(std::move(r));
    args.push_back(std::move(escape));
    try {
      auto resolved = functions_.resolve_function("like_escape", resolution_types(args));
      r = make_call(resolved, std::move(args));
    } catch (SqlError& e) {
      e.with_position(position(expr.escape->location));
      throw;
    }
  }
  try {
    return call_operator(functions_, op, std::move(l), std::move(r));
  } catch (SqlError& e) {
    e.with_position(position(expr.location));
    throw;
  }
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
  // x <> ALL (q) (NOT IN) is NOT (x = ANY (q)) in three-valued logic: an equality, which a
  // hash join can compare.
  std::string op = expr.op;
  const bool negated = kind == SubqueryKind::kAll && op == "<>";
  if (negated) {
    kind = SubqueryKind::kAny;
    op = "=";
  }
  BoundExprPtr left;
  const catalog::ScalarFunction* comparison = nullptr;
  if (kind == SubqueryKind::kAny || kind == SubqueryKind::kAll) {
    if (types.size() != 1) {
      throw_at(SqlState::kSyntaxError, types.size() > 1 ? "subquery has too many columns" : "subquery has too few columns", expr.location);
    }
    if (!is_comparison(op)) throw_at(SqlState::kFeatureNotSupported, "operator " + op + " with ANY/ALL is not supported yet", expr.location);
    left = bind_expr(*expr.test_expr);
    // Typed as the comparison of the left operand with a value of the subquery's column type.
    std::vector<LogicalType> operand_types{is_unknown_literal(*left) ? LogicalType::sql_null() : left->type, types[0]};
    catalog::ResolvedFunction resolved;
    try {
      resolved = functions_.resolve_operator(op, operand_types);
    } catch (SqlError& e) {
      e.with_position(position(expr.location));
      throw;
    }
    comparison = resolved.function;
    left = cast_to(std::move(left), resolved.arg_types[0]);
    if (resolved.arg_types[1] != types[0]) {
      // The subquery's column must be cast: wrap the plan in a projection.
      auto projection = std::make_unique<LogicalProjection>(next_table_index());
      auto bindings = plan->output_bindings();
      projection->expressions.push_back(
          cast_to(std::make_unique<BoundColumnRef>(types[0], bindings[0], names[0]), resolved.arg_types[1]));
      projection->children.push_back(std::move(plan));
      plan = std::move(projection);
    }
  }
  plan = Optimizer(&functions_, table_index_counter_).optimize(std::move(plan));
  auto subquery = std::make_unique<BoundSubquery>(type, kind, std::shared_ptr<LogicalOperator>(std::move(plan)));
  subquery->left = std::move(left);
  subquery->comparison = comparison;
  subquery->correlated = std::move(child.correlated_inputs_);
  if (negated) return std::make_unique<BoundBooleanTest>(BooleanTest::kNot, std::move(subquery));
  return subquery;
}

// ---- functions --------------------------------------------------------------------------------

BoundExprPtr Binder::bind_grouping(const FuncCallExpr& call) {
  if (no_aggregates_clause_) {
    throw_at(SqlState::kGroupingError, std::string("grouping operations are not allowed in ") + no_aggregates_clause_, call.location);
  }
  if (!select_context_) throw_at(SqlState::kGroupingError, "grouping operations are not allowed here", call.location);
  if (select_context_->inside_aggregate) throw_at(SqlState::kGroupingError, "aggregate function calls cannot be nested", call.location);
  if (call.args.size() >= 32) throw_at(SqlState::kTooManyArguments, "GROUPING must have fewer than 32 arguments", call.location);
  std::vector<BoundExprPtr> args;
  for (const auto& a : call.args) args.push_back(bind_expr(*a));
  return std::make_unique<BoundGrouping>(std::move(args));
}

BoundExprPtr Binder::bind_aggregate(const FuncCallExpr& call) {
  const std::string& name = call.name.back();
  if (no_aggregates_clause_) {
    throw_at(SqlState::kGroupingError, std::string("aggregate functions are not allowed in ") + no_aggregates_clause_, call.location);
  }
  if (!select_context_) throw_at(SqlState::kGroupingError, "aggregate functions are not allowed here", call.location);
  if (select_context_->inside_aggregate) throw_at(SqlState::kGroupingError, "aggregate function calls cannot be nested", call.location);
  if (call.agg_within_group && call.distinct) {
    throw_at(SqlState::kSyntaxError, "cannot use DISTINCT with WITHIN GROUP", call.location);
  }
  std::vector<BoundExprPtr> args;
  std::vector<BoundWindowOrder> orders;
  if (call.star) {
    bool takes_star = false;
    for (const auto* a : functions_.aggregates(name)) takes_star = takes_star || a->params.empty();
    if (!takes_star) throw_at(SqlState::kSyntaxError, name + "(*) specified, but " + name + " is not an aggregate function", call.location);
  } else {
    select_context_->inside_aggregate = true;
    try {
      for (const auto& a : call.args) args.push_back(bind_expr(*a));
      for (const auto& o : call.agg_order_by) {
        BoundWindowOrder order;
        order.expression = bind_expr(*o.expr);
        order.descending = o.direction == SortDirection::kDesc;
        order.nulls_first = o.nulls == NullsOrder::kDefault ? order.descending : o.nulls == NullsOrder::kFirst;
        orders.push_back(std::move(order));
      }
    } catch (...) {
      select_context_->inside_aggregate = false;
      throw;
    }
    select_context_->inside_aggregate = false;
  }
  if (name == "array_agg") {
    // DISTINCT would drop NULL elements and give an unsorted array; arrays of arrays are
    // multidimensional.
    if (call.distinct) throw_at(SqlState::kFeatureNotSupported, "array_agg(DISTINCT ...) is not supported yet", call.location);
    if (args.size() == 1 && args[0]->type.is_array()) {
      throw_at(SqlState::kFeatureNotSupported, "multidimensional arrays are not supported", call.location);
    }
    if (args.size() == 1 && args[0]->type.id() != LogicalTypeId::kSqlNull && !is_unknown_literal(*args[0]) &&
        !array::is_valid_element_type(args[0]->type)) {
      throw_at(SqlState::kFeatureNotSupported, "arrays of type " + args[0]->type.name() + " are not supported", call.location);
    }
  }
  // WITHIN GROUP (ORDER BY x): x is the aggregated argument, after the direct ones.
  if (call.agg_within_group) {
    for (const auto& o : orders) args.push_back(o.expression->copy());
  }
  if (call.distinct && !orders.empty()) {
    // PostgreSQL: DISTINCT keeps one row per argument list, so the order must come from it.
    for (size_t i = 0; i < orders.size(); i++) {
      bool listed = false;
      for (const auto& a : args) listed = listed || a->equals(*orders[i].expression);
      if (!listed) {
        throw_at(SqlState::kInvalidColumnReference, "in an aggregate with DISTINCT, ORDER BY expressions must appear in argument list",
                 call.agg_order_by[i].expr->location);
      }
    }
  }
  catalog::ResolvedAggregate resolved;
  try {
    resolved = functions_.resolve_aggregate(name, resolution_types(args));
  } catch (SqlError& e) {
    e.with_position(position(call.location));
    throw;
  }
  // PostgreSQL finds the overload first, then checks that WITHIN GROUP matches its kind.
  if (call.agg_within_group && !resolved.function->ordered_set) {
    throw_at(SqlState::kWrongObjectType, name + " is not an ordered-set aggregate, so it cannot have WITHIN GROUP", call.location);
  }
  if (!call.agg_within_group && resolved.function->ordered_set) {
    throw_at(SqlState::kWrongObjectType, "WITHIN GROUP is required for ordered-set aggregate " + name, call.location);
  }
  for (size_t i = 0; i < args.size(); i++) {
    if (resolved.arg_types[i].id() != LogicalTypeId::kSqlNull) args[i] = cast_to(std::move(args[i]), resolved.arg_types[i]);
  }
  // The WITHIN GROUP rows are sorted by the aggregated value as the aggregate sees it (every
  // ordered-set aggregate takes one).
  if (call.agg_within_group) orders[0].expression = args.back()->copy();
  // DISTINCT does not change min, max, bool_and or bool_or.
  const bool distinct = call.distinct && !resolved.function->distinct_insensitive;
  // Nor does the order of the rows change an aggregate that DISTINCT does not.
  if (resolved.function->distinct_insensitive) orders.clear();
  auto aggregate = std::make_unique<BoundAggregate>(resolved.return_type, *resolved.function, std::move(args), distinct);
  aggregate->orders = std::move(orders);
  if (call.filter) {
    // PostgreSQL: neither aggregates nor window functions may appear in FILTER.
    const char* saved = no_aggregates_clause_;
    no_aggregates_clause_ = "FILTER";
    try {
      aggregate->filter = bind_boolean(*call.filter, "FILTER");
    } catch (...) {
      no_aggregates_clause_ = saved;
      throw;
    }
    no_aggregates_clause_ = saved;
  }
  return aggregate;
}

BoundExprPtr Binder::bind_interval_with_fields(BoundExprPtr arg, const TypeName& type, int location) {
  // INTERVAL '1' DAY: the field restriction gives a bare number its unit and truncates the
  // lower fields. Applied to literals; other expressions would need the typmod on the type.
  if (!is_unknown_literal(*arg) && !(arg->kind == BoundExprKind::kConstant && arg->type.id() == LogicalTypeId::kVarchar)) {
    throw_at(SqlState::kFeatureNotSupported, "interval field restrictions are supported on literals only", location);
  }
  const Value& v = static_cast<const BoundConstant&>(*arg).value;
  if (v.is_null()) return std::make_unique<BoundConstant>(Value::null(LogicalType::interval()));
  return std::make_unique<BoundConstant>(Value::interval(datetime::parse_interval(v.get_string(), type.interval_fields)));
}

BoundExprPtr Binder::bind_function(const FuncCallExpr& call) {
  std::string name = call.name.back();
  if (call.name.size() > 1 && call.name[call.name.size() - 2] != "pg_catalog") {
    throw_at(SqlState::kUndefinedFunction, "function " + call.name[0] + "." + name + " does not exist", call.location);
  }
  if (name == "grouping" && call.name.size() == 1 && !call.over && !call.star && !call.distinct) return bind_grouping(call);
  if (call.over) return bind_window(call);
  if (is_window_function_name(name)) {
    throw_at(SqlState::kWrongObjectType, "window function " + name + " requires an OVER clause", call.location);
  }
  if (call.sql_value_function && name == "current_time") {
    // CURRENT_TIME is time with time zone, a type Tessera does not have yet.
    throw_at(SqlState::kFeatureNotSupported, "type time with time zone is not supported yet (CURRENT_TIME)", call.location);
  }
  if (functions_.is_aggregate(name)) return bind_aggregate(call);
  if (call.distinct || call.star) {
    throw_at(SqlState::kWrongObjectType, "DISTINCT specified, but " + name + " is not an aggregate function", call.location);
  }
  if (call.filter) {
    throw_at(SqlState::kWrongObjectType, "FILTER specified, but " + name + " is not an aggregate function", call.location);
  }
  // string_to_table and generate_subscripts are table functions the binder spells with others.
  if ((functions_.functions(name).empty() && !functions_.table_functions(name).empty()) || name == "string_to_table" ||
      name == "generate_subscripts") {
    return bind_set_function(call);
  }
  std::vector<BoundExprPtr> args;
  {
    const char* saved = no_set_functions_construct_;
    if (name == "coalesce") no_set_functions_construct_ = "COALESCE";
    for (const auto& a : call.args) args.push_back(bind_expr(*a));
    no_set_functions_construct_ = saved;
  }
  if (!args.empty() && (name == "coalesce" || name == "greatest" || name == "least" || name == "nullif")) {
    // Expression syntax in PostgreSQL: the arguments take their common type
    // (select_common_type), with the construct's own error.
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
    // NULLIF compares with an operator, whose parameters carry no type modifier.
    if (name != "nullif") {
      type = common_typmod(type, resolution_types(args));
    } else if (type.is_array()) {
      type = LogicalType::array_of(LogicalType(type.element_type().id()));
    } else {
      type = LogicalType(type.id());
    }
    // NULLIF returns its first argument as promoted for the comparison (PostgreSQL:
    // NULLIF(1, 2.2) is numeric), so all four take the common type.
    for (auto& a : args) a = cast_to(std::move(a), type);
    if (name == "coalesce") return std::make_unique<BoundCoalesce>(type, std::move(args));
  }
  catalog::ResolvedFunction resolved;
  try {
    resolved = functions_.resolve_function(name, resolution_types(args));
  } catch (SqlError& e) {
    e.with_position(position(call.location));
    throw;
  }
  // GREATEST and LEAST are expressions of their common type, type modifier included.
  if ((name == "greatest" || name == "least") && !args.empty() && resolved.return_type.id() == args[0]->type.id()) {
    resolved.return_type = args[0]->type;
  }
  return make_call(resolved, std::move(args));
}

BoundExprPtr Binder::call_function(const std::string& name, std::vector<BoundExprPtr> args, int location) {
  catalog::ResolvedFunction resolved;
  try {
    resolved = functions_.resolve_function(name, resolution_types(args));
  } catch (SqlError& e) {
    e.with_position(position(location));
    throw;
  }
  return make_call(resolved, std::move(args));
}

// ---- arrays ------------------------------------------------------------------------------------

BoundExprPtr Binder::bind_array(const ArrayExpr& expr) {
  if (expr.subquery) return bind_array_subquery(expr);
  if (expr.nested) throw_at(SqlState::kFeatureNotSupported, "multidimensional arrays are not supported", expr.location);
  if (expr.elements.empty()) {
    throw SqlError(SqlState::kIndeterminateDatatype, "cannot determine type of empty array")
        .with_hint("Explicitly cast to the desired type, for example ARRAY[]::integer[].")
        .with_position(position(expr.location));
  }
  std::vector<BoundExprPtr> elements;
  for (const auto& e : expr.elements) elements.push_back(bind_expr(*e));
  const std::vector<LogicalType> types = resolution_types(elements);
  // select_common_type over the elements; all unknown: text.
  LogicalType common = LogicalType::sql_null();
  for (size_t i = 0; i < types.size(); i++) {
    if (types[i].is_array()) {
      throw_at(SqlState::kFeatureNotSupported, "multidimensional arrays are not supported", expr.elements[i]->location);
    }
    auto next = common_supertype(common, types[i]);
    if (!next) {
      throw_at(SqlState::kDatatypeMismatch,
               "ARRAY types " + common.name() + " and " + types[i].name() + " cannot be matched",
               expr.elements[i]->location);
    }
    common = *next;
  }
  if (common.id() == LogicalTypeId::kSqlNull) common = LogicalType::varchar();
  common = common_typmod(common, types);
  if (!array::is_valid_element_type(common)) {
    throw_at(SqlState::kFeatureNotSupported, "arrays of type " + common.name() + " are not supported", expr.location);
  }
  for (auto& e : elements) e = cast_to(std::move(e), common);
  const auto constructors = functions_.operators("ARRAY[]");
  TS_CHECK(constructors.size() == 1, "the ARRAY[] constructor is not registered");
  return std::make_unique<BoundFunction>(LogicalType::array_of(common), *constructors[0], std::move(elements));
}

BoundExprPtr Binder::bind_array_subquery(const ArrayExpr& expr) {
  Binder child(*this, true);
  std::vector<std::string> names;
  LogicalPtr plan = child.bind_query(*expr.subquery, names);
  const auto types = plan->output_types();
  if (types.size() != 1) throw_at(SqlState::kSyntaxError, "subquery must return only one column", expr.location);
  const LogicalType element = result_column_type(types[0]);
  if (element.is_array()) throw_at(SqlState::kFeatureNotSupported, "multidimensional arrays are not supported", expr.location);
  if (!array::is_valid_element_type(element)) {
    throw_at(SqlState::kFeatureNotSupported, "arrays of type " + element.name() + " are not supported", expr.location);
  }
  // One group over the subquery's rows in their order: array_agg of its column.
  const LogicalType element_types[1] = {element};
  const auto resolved = functions_.resolve_aggregate("array_agg", element_types);
  BoundExprPtr column = cast_to(std::make_unique<BoundColumnRef>(types[0], plan->output_bindings()[0], names[0]), element);
  auto aggregate = std::make_unique<LogicalAggregate>(next_table_index(), next_table_index());
  std::vector<BoundExprPtr> arguments;
  arguments.push_back(std::move(column));
  aggregate->aggregates.push_back(
      std::make_unique<BoundAggregate>(LogicalType::array_of(element), *resolved.function, std::move(arguments), false));
  aggregate->children.push_back(std::move(plan));
  LogicalPtr optimized = Optimizer(&functions_, table_index_counter_).optimize(std::move(aggregate));
  const LogicalType type = LogicalType::array_of(element);
  auto subquery = std::make_unique<BoundSubquery>(type, SubqueryKind::kScalar, std::shared_ptr<LogicalOperator>(std::move(optimized)));
  subquery->correlated = std::move(child.correlated_inputs_);
  // No rows: an empty array rather than array_agg's NULL.
  std::vector<BoundExprPtr> alternatives;
  alternatives.push_back(std::move(subquery));
  alternatives.push_back(std::make_unique<BoundConstant>(array::make(element, {})));
  return std::make_unique<BoundCoalesce>(type, std::move(alternatives));
}

namespace {

/// An array subscript as an integer (numbers are rounded, as by an assignment cast); 42804 for
/// other types.
BoundExprPtr subscript_index(BoundExprPtr index) {
  if (!is_unknown_literal(*index) && index->type.id() != LogicalTypeId::kSqlNull && !index->type.is_numeric()) {
    throw SqlError(SqlState::kDatatypeMismatch, "array subscript must have type integer");
  }
  return cast_to(std::move(index), LogicalType::integer());
}

}  // namespace

BoundExprPtr Binder::bind_subscript(const SubscriptExpr& expr) {
  BoundExprPtr arg = bind_expr(*expr.arg);
  if (!arg->type.is_array()) {
    throw_at(SqlState::kDatatypeMismatch,
             "cannot subscript type " + arg->type.name() + " because it does not support subscripting", expr.location);
  }
  std::vector<BoundExprPtr> args;
  const LogicalType type = arg->type;
  args.push_back(std::move(arg));
  if (!expr.is_slice) {
    args.push_back(subscript_index(bind_expr(*expr.lower)));
    const auto subscript = functions_.operators("[]");
    TS_CHECK(subscript.size() == 1, "the [] operator is not registered");
    return std::make_unique<BoundFunction>(type.element_type(), *subscript[0], std::move(args));
  }
  // An omitted bound is the array's own: 1, or past any length.
  args.push_back(expr.lower ? subscript_index(bind_expr(*expr.lower))
                            : std::make_unique<BoundConstant>(Value::integer(1)));
  args.push_back(expr.upper ? subscript_index(bind_expr(*expr.upper))
                            : std::make_unique<BoundConstant>(Value::integer(std::numeric_limits<int32_t>::max())));
  const auto slice = functions_.operators("[:]");
  TS_CHECK(slice.size() == 1, "the [:] operator is not registered");
  return std::make_unique<BoundFunction>(type, *slice[0], std::move(args));
}

BoundExprPtr Binder::bind_array_op(const ArrayOpExpr& expr) {
  std::vector<BoundExprPtr> args;
  args.push_back(bind_expr(*expr.left));
  args.push_back(bind_expr(*expr.array));
  const std::string kind = expr.all ? "ALL" : "ANY";
  if (!is_unknown_literal(*args[1]) && args[1]->type.id() != LogicalTypeId::kSqlNull && !args[1]->type.is_array()) {
    throw_at(SqlState::kWrongObjectType, "op " + kind + "/" + kind + " (array) requires array on right side",
             expr.location);
  }
  if (!is_comparison(expr.op)) {
    throw_at(SqlState::kFeatureNotSupported, "operator " + expr.op + " with " + kind + " (array) is not supported",
             expr.location);
  }
  if (args[1]->type.id() == LogicalTypeId::kSqlNull && !is_unknown_literal(*args[1])) {
    // A bare NULL array: typed from the left operand.
    LogicalType element = args[0]->type.id() == LogicalTypeId::kSqlNull ? LogicalType::varchar() : args[0]->type;
    args[1] = cast_to(std::move(args[1]), LogicalType::array_of(element));
  }
  const std::vector<LogicalType> types = resolution_types(args);
  catalog::ResolvedFunction resolved;
  try {
    resolved = functions_.resolve_operator(expr.op + " " + kind, types);
  } catch (SqlError& e) {
    if (e.state() != SqlState::kUndefinedFunction || !types[1].is_array()) throw;
    // Reported as PostgreSQL does: the operator over the left type and the element type.
    const LogicalType element_types[2] = {types[0], types[1].element_type()};
    functions_.resolve_operator(expr.op, element_types);
    throw;
  }
  return make_call(resolved, std::move(args));
}

}  // namespace tessera::planner
