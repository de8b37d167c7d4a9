#include "planner/binder/type_rules.h"

#include "src/common/array_value.h"
#include "src/common/numeric.h"
#include "src/common/sql_error.h"
#include "src/common/value_cast.h"

namespace tessera::planner {

namespace {

/// The longest character(n) / varchar(n) PostgreSQL accepts (MaxAttrSize).
constexpr int32_t kMaxStringLength = 10485760;

}  // namespace

LogicalType resolve_type_name(const TypeName& name) {
  if (name.array_dims > 0) {
    // int[], int[3] and int[][] all name the same type in PostgreSQL (sizes are not enforced).
    TypeName element_name = name;
    element_name.array_dims = 0;
    const LogicalType element = resolve_type_name(element_name);
    if (!array::is_valid_element_type(element)) {
      throw SqlError(SqlState::kFeatureNotSupported, "arrays of type " + element.name() + " are not supported");
    }
    return LogicalType::array_of(element);
  }
  const std::string& n = name.name;
  if (n == "integer") return LogicalType::integer();
  if (n == "bigint") return LogicalType::bigint();
  if (n == "smallint") return LogicalType::smallint();
  if (n == "double precision") return LogicalType::double_precision();
  if (n == "real") return LogicalType::real();
  if (n == "boolean") return LogicalType::boolean();
  if (n == "text") return LogicalType::varchar();
  if (n == "varchar") {
    if (name.modifiers.empty()) return LogicalType::varchar();
    if (name.modifiers[0] < 1) {
      throw SqlError(SqlState::kInvalidParameterValue, "length for type varchar must be at least 1");
    }
    return LogicalType(LogicalTypeId::kVarchar, name.modifiers[0]);
  }
  if (n == "char") {
    // `character` alone is character(1) (the parser supplies it); `bpchar` alone is unconstrained.
    if (name.modifiers.empty()) return LogicalType::bpchar();
    if (name.modifiers[0] < 1) {
      throw SqlError(SqlState::kInvalidParameterValue, "length for type char must be at least 1");
    }
    if (name.modifiers[0] > kMaxStringLength) {
      throw SqlError(SqlState::kInvalidParameterValue,
                     "length for type char cannot exceed " + std::to_string(kMaxStringLength));
    }
    return LogicalType::bpchar(name.modifiers[0]);
  }
  if (n == "date" || n == "time" || n == "timestamp" || n == "timestamptz" || n == "interval") {
    if (!name.modifiers.empty()) {
      throw SqlError(SqlState::kFeatureNotSupported, "precision for type " + n + " is not supported yet");
    }
    if (n == "date") return LogicalType::date();
    if (n == "time") return LogicalType::time();
    if (n == "timestamp") return LogicalType::timestamp();
    if (n == "timestamptz") return LogicalType::timestamptz();
    return LogicalType::interval();
  }
  if (n == "numeric") {
    return LogicalType::numeric(numeric::typmod_from_modifiers(name.modifiers.data(), name.modifiers.size()));
  }
  if (n == "bytea") return LogicalType::bytea();
  if (n == "uuid") return LogicalType::uuid();
  if (n == "timetz" || n == "json" ||
      n == "jsonb") {
    throw SqlError(SqlState::kFeatureNotSupported, "type " + n + " is not supported yet");
  }
  throw SqlError(SqlState::kUndefinedObject, "type \"" + n + "\" does not exist");
}

bool is_unknown_literal(const BoundExpression& expr) {
  return expr.kind == BoundExprKind::kConstant && static_cast<const BoundConstant&>(expr).unknown_literal;
}

BoundExprPtr cast_to(BoundExprPtr expr, const LogicalType& target) {
  if (expr->type == target && !is_unknown_literal(*expr)) return expr;
  if (expr->kind == BoundExprKind::kConstant) {
    auto& c = static_cast<BoundConstant&>(*expr);
    // A `$n` whose type is open takes the type its context asks for.
    if (c.unknown_literal && c.parameter_types) c.parameter_types->infer(c.parameter_index, target);
    auto folded = std::make_unique<BoundConstant>(cast_value(c.value, target));
    folded->alias = expr->alias;
    return folded;
  }
  if (expr->type == target) return expr;
  if (!can_cast(expr->type, target)) {
    throw SqlError(SqlState::kCannotCoerce, "cannot cast type " + expr->type.name() + " to " + target.name());
  }
  std::string alias = expr->alias;
  auto cast = std::make_unique<BoundCast>(target, std::move(expr));
  cast->alias = alias;
  return cast;
}

std::optional<LogicalType> common_supertype(const LogicalType& a, const LogicalType& b) {
  if (a.id() == LogicalTypeId::kSqlNull) return b;
  if (b.id() == LogicalTypeId::kSqlNull) return a;
  if (a.is_array() || b.is_array()) {
    if (!a.is_array() || !b.is_array()) return std::nullopt;
    auto element = common_supertype(a.element_type(), b.element_type());
    if (!element) return std::nullopt;
    return LogicalType::array_of(*element);
  }
  if (a.id() == b.id()) {
    // varchar(n) and text mix to text
    if (a.id() == LogicalTypeId::kVarchar && a != b) return LogicalType::varchar();
    if (a.id() == LogicalTypeId::kNumeric && a != b) return LogicalType::numeric();
    if (a.id() == LogicalTypeId::kChar && a != b) return LogicalType::bpchar();
    return a;
  }
  // bpchar and text/varchar: the first one's type, as each reaches the other implicitly (CASE
  // puts its ELSE branch first, as PostgreSQL does).
  if (a.is_string() && b.is_string()) return LogicalType(a.id());
  if (a.is_numeric() && b.is_numeric()) {
    const LogicalType& t = a.numeric_rank() >= b.numeric_rank() ? a : b;
    return t.id() == LogicalTypeId::kNumeric ? LogicalType::numeric() : t;
  }
  // date < timestamp < timestamptz (the datetime category, timestamptz preferred).
  auto datetime_rank = [](const LogicalType& t) {
    return t.id() == LogicalTypeId::kDate ? 1 : t.id() == LogicalTypeId::kTimestamp ? 2 : t.id() == LogicalTypeId::kTimestampTz ? 3 : 0;
  };
  if (datetime_rank(a) > 0 && datetime_rank(b) > 0) return datetime_rank(a) >= datetime_rank(b) ? a : b;
  return std::nullopt;
}

}  // namespace tessera::planner

namespace tessera::planner {

LogicalType common_typmod(const LogicalType& common, std::span<const LogicalType> inputs) {
  if (common.modifier() < 0) return common;
  for (const LogicalType& t : inputs) {
    if (t != common) {
      return common.is_array() ? LogicalType::array_of(LogicalType(common.element_type().id())) : LogicalType(common.id());
    }
  }
  return common;
}

std::vector<LogicalType> resolution_types(const std::vector<BoundExprPtr>& args) {
  std::vector<LogicalType> types;
  types.reserve(args.size());
  for (const auto& a : args) types.push_back(is_unknown_literal(*a) ? LogicalType::sql_null() : a->type);
  return types;
}

}  // namespace tessera::planner
