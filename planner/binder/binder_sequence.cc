// CREATE SEQUENCE and the sequences of serial and identity columns.

#include <limits>

#include "catalog/catalog.h"
#include "planner/binder/binder.h"
#include "planner/binder/type_rules.h"
#include "src/common/sql_error.h"

namespace tessera::planner {

namespace {

/// The range of a sequence's data type.
std::pair<int64_t, int64_t> type_range(const LogicalType& type) {
  switch (type.id()) {
    case LogicalTypeId::kSmallint: return {std::numeric_limits<int16_t>::min(), std::numeric_limits<int16_t>::max()};
    case LogicalTypeId::kInteger: return {std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max()};
    default: return {std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()};
  }
}

bool is_integer_type(const LogicalType& type) {
  return type.id() == LogicalTypeId::kSmallint || type.id() == LogicalTypeId::kInteger ||
         type.id() == LogicalTypeId::kBigint;
}

/// `name` as a regclass text inside a SQL string literal: quoted when it is not a plain
/// lower-case identifier, quotes doubled.
std::string regclass_literal(const std::string& name) {
  bool plain = !name.empty() && !(name[0] >= '0' && name[0] <= '9');
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) plain = false;
  }
  std::string text;
  if (!plain) text += '"';
  for (char c : name) {
    if (c == '"') text += '"';
    text += c;
  }
  if (!plain) text += '"';
  std::string literal = "'";
  for (char c : text) {
    if (c == '\'') literal += '\'';
    literal += c;
  }
  return literal + "'";
}

}  // namespace

void Binder::check_sequence_limits(const catalog::SequenceOptions& o) {
  if (o.min_value >= o.max_value) {
    throw SqlError(SqlState::kInvalidParameterValue, "MINVALUE (" + std::to_string(o.min_value) +
                                                         ") must be less than MAXVALUE (" +
                                                         std::to_string(o.max_value) + ")");
  }
  if (o.start < o.min_value) {
    throw SqlError(SqlState::kInvalidParameterValue, "START value (" + std::to_string(o.start) +
                                                         ") cannot be less than MINVALUE (" +
                                                         std::to_string(o.min_value) + ")");
  }
  if (o.start > o.max_value) {
    throw SqlError(SqlState::kInvalidParameterValue, "START value (" + std::to_string(o.start) +
                                                         ") cannot be greater than MAXVALUE (" +
                                                         std::to_string(o.max_value) + ")");
  }
}

catalog::SequenceOptions Binder::bind_sequence_options(const std::vector<SequenceOption>& options,
                                                       LogicalType type) const {
  const SequenceOption* found[7] = {};
  static const char* const kNames[7] = {"as", "increment", "minvalue", "maxvalue", "start", "cache", "cycle"};
  for (const auto& option : options) {
    for (int i = 0; i < 7; i++) {
      if (option.name == kNames[i]) found[i] = &option;
    }
  }
  const auto* as = found[0];
  const auto* increment = found[1];
  const auto* min_value = found[2];
  const auto* max_value = found[3];
  const auto* start = found[4];
  const auto* cache = found[5];
  const auto* cycle = found[6];
  catalog::SequenceOptions o;
  if (as) {
    try {
      type = resolve_type_name(as->type);
    } catch (SqlError& e) {
      e.with_position(position(as->type.location));
      throw;
    }
    if (!is_integer_type(type)) {
      throw_at(SqlState::kInvalidParameterValue, "sequence type must be smallint, integer, or bigint", as->location);
    }
  }
  o.type = type;
  auto [type_min, type_max] = type_range(type);
  o.increment = increment ? *increment->value : 1;
  if (o.increment == 0) throw_at(SqlState::kInvalidParameterValue, "INCREMENT must not be zero", increment->location);
  o.cycle = cycle && *cycle->value != 0;
  o.max_value = max_value && max_value->value ? *max_value->value : o.increment > 0 ? type_max : -1;
  o.min_value = min_value && min_value->value ? *min_value->value : o.increment > 0 ? 1 : type_min;
  const std::string type_name = type.name();
  if (o.max_value < type_min || o.max_value > type_max) {
    throw_at(SqlState::kInvalidParameterValue,
             "MAXVALUE (" + std::to_string(o.max_value) + ") is out of range for sequence data type " + type_name,
             max_value->location);
  }
  if (o.min_value < type_min || o.min_value > type_max) {
    throw_at(SqlState::kInvalidParameterValue,
             "MINVALUE (" + std::to_string(o.min_value) + ") is out of range for sequence data type " + type_name,
             min_value->location);
  }
  o.start = start ? *start->value : o.increment > 0 ? o.min_value : o.max_value;
  check_sequence_limits(o);
  o.cache = cache ? *cache->value : 1;
  if (o.cache <= 0) {
    throw SqlError(SqlState::kInvalidParameterValue,
                   "CACHE (" + std::to_string(o.cache) + ") must be greater than zero");
  }
  return o;
}

BoundStatement Binder::bind_create_sequence(const CreateSequenceStatement& stmt) {
  check_creation_in_public(stmt.name, stmt.location);
  auto create = std::make_unique<LogicalCreateSequence>();
  create->name = stmt.name.back();
  create->if_not_exists = stmt.if_not_exists;
  create->options = bind_sequence_options(stmt.options, LogicalType::bigint());
  BoundStatement result;
  result.plan = std::move(create);
  result.properties.command = CommandKind::kCreateSequence;
  result.properties.read_only = false;
  return result;
}

catalog::SequenceDefinition Binder::bind_owned_sequence(const std::string& table, const ColumnDef& col,
                                                        catalog::ColumnDefinition& def,
                                                        std::set<std::string>& taken) const {
  // A column default names its sequence unqualified, and sequences live in public so far.
  if (creation_schema_oid_ != catalog::kPublicSchemaOid) {
    throw_at(SqlState::kFeatureNotSupported,
             "serial and identity columns of tables outside schema public are not supported yet", col.location);
  }
  if (col.identity) {
    if (col.default_value) {
      throw_at(SqlState::kSyntaxError,
               "both default and identity specified for column \"" + col.name + "\" of table \"" + table + "\"",
               col.location);
    }
    if (!is_integer_type(def.type)) {
      throw_at(SqlState::kInvalidParameterValue, "identity column type must be smallint, integer, or bigint",
               col.location);
    }
  } else if (col.default_value) {
    throw_at(SqlState::kSyntaxError,
             "multiple default values specified for column \"" + col.name + "\" of table \"" + table + "\"",
             col.location);
  }
  catalog::SequenceDefinition sequence;
  sequence.name = choose_relation_name(creation_schema_oid_, table + "_" + col.name + "_seq", taken);
  sequence.options = bind_sequence_options(col.identity_options, def.type);
  sequence.column = col.name;
  def.default_expression = "nextval(" + regclass_literal(sequence.name) + ")";
  def.not_null = true;
  def.identity = col.identity;
  return sequence;
}

}  // namespace tessera::planner
