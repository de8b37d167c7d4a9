#include "catalog/function_registry.h"

#include <algorithm>
#include <optional>

#include "src/common/assert.h"
#include "src/common/sql_error.h"
#include "src/common/value_cast.h"

namespace tessera::catalog {

// ---- types ---------------------------------------------------------------------------------

char type_category(const LogicalType& type) {
  switch (type.id()) {
    case LogicalTypeId::kSqlNull: return 'X';
    case LogicalTypeId::kBoolean: return 'B';
    case LogicalTypeId::kSmallint:
    case LogicalTypeId::kInteger:
    case LogicalTypeId::kBigint:
    case LogicalTypeId::kDouble:
    case LogicalTypeId::kReal:
    case LogicalTypeId::kNumeric: return 'N';
    case LogicalTypeId::kVarchar:
    case LogicalTypeId::kChar: return 'S';
    case LogicalTypeId::kDate:
    case LogicalTypeId::kTime:
    case LogicalTypeId::kTimestamp:
    case LogicalTypeId::kTimestampTz: return 'D';
    case LogicalTypeId::kInterval: return 'T';
    case LogicalTypeId::kBytea:
    case LogicalTypeId::kUuid: return 'U';
    case LogicalTypeId::kArray: return 'A';
    case LogicalTypeId::kInvalid: break;
  }
  return 'P';
}

bool is_preferred_type(const LogicalType& type) {
  return type.id() == LogicalTypeId::kDouble || type == LogicalType::varchar() || type.id() == LogicalTypeId::kBoolean ||
         type.id() == LogicalTypeId::kTimestampTz || type.id() == LogicalTypeId::kInterval;
}

std::string signature_type_name(const LogicalType& type) {
  if (type.is_array()) return signature_type_name(type.element_type()) + "[]";
  if (type.id() == LogicalTypeId::kVarchar && type.modifier() >= 0) return "character varying";
  if (type.id() == LogicalTypeId::kNumeric) return "numeric";
  if (type.id() == LogicalTypeId::kChar) return "character";
  return type.name();
}

std::string ParamType::name() const {
  switch (kind) {
    case ParamKind::kConcrete: return signature_type_name(type);
    case ParamKind::kAny: return "\"any\"";
    case ParamKind::kAnyNonArray: return "anynonarray";
    case ParamKind::kAnyCompatible: return "anycompatible";
    case ParamKind::kAnyArray: return "anycompatiblearray";
    case ParamKind::kAnyArrayExact: return "anyarray";
  }
  return "?";
}

namespace {

std::string param_list(const std::vector<ParamType>& params, bool variadic) {
  std::string out;
  for (size_t i = 0; i < params.size(); i++) {
    if (i) out += ", ";
    if (variadic && i + 1 == params.size()) out += "VARIADIC ";
    out += params[i].name();
  }
  return out;
}

}  // namespace

std::string ScalarFunction::signature() const { return name + "(" + param_list(params, variadic) + ")"; }

std::string TableFunction::signature() const { return name + "(" + param_list(params, false) + ")"; }

std::string AggregateFunction::signature() const {
  return name + "(" + (params.empty() ? std::string("*") : param_list(params, false)) + ")";
}

// ---- registration ----------------------------------------------------------------------------

Oid FunctionRegistry::assign_oid(Oid requested, const std::string& signature) {
  if (requested != 0) {
    TS_CHECK(!oids_.count(requested), "function oid " + std::to_string(requested) + " is taken");
    oids_[requested] = signature;
    return requested;
  }
  // Oids of built-in objects lie below FirstNormalObjectId (16384), above the bootstrap range.
  // Derived from the signature, so an entry keeps its oid whatever else is registered.
  uint32_t h = 2166136261u;
  for (unsigned char c : signature) h = (h ^ c) * 16777619u;
  constexpr Oid kFirst = 10000, kCount = 6384;
  Oid oid = kFirst + h % kCount;
  while (oids_.count(oid)) oid = kFirst + (oid - kFirst + 1) % kCount;
  oids_[oid] = signature;
  return oid;
}

const ScalarFunction& FunctionRegistry::add(ScalarFunction function) {
  TS_CHECK(function.execute != nullptr, "function without an implementation: " + function.name);
  TS_CHECK(!function.variadic || !function.params.empty(), "variadic function without parameters");
  auto& index = function.kind == FunctionKind::kOperator ? operators_by_name_ : functions_by_name_;
  auto [begin, end] = index.equal_range(function.name);
  for (auto it = begin; it != end; ++it) {
    const auto& p = it->second->params;
    bool same = p.size() == function.params.size() && it->second->variadic == function.variadic;
    for (size_t i = 0; same && i < p.size(); i++) same = p[i].kind == function.params[i].kind && p[i].type == function.params[i].type;
    TS_CHECK(!same, "duplicate function " + function.signature());
  }
  std::string key = std::string(function.kind == FunctionKind::kOperator ? "operator " : "") + function.signature();
  function.oid = assign_oid(function.oid, key);
  const ScalarFunction& entry = scalars_.emplace_back(std::move(function));
  index.emplace(entry.name, &entry);
  return entry;
}

const AggregateFunction& FunctionRegistry::add(AggregateFunction aggregate) {
  TS_CHECK(aggregate.init && (aggregate.ordered_set || (aggregate.update && aggregate.combine && aggregate.finalize)),
           "aggregate without init/update/combine/finalize: " + aggregate.name);
  TS_CHECK(aggregate.state_size > 0 && aggregate.state_alignment > 0, "aggregate without a state: " + aggregate.name);
  aggregate.oid = assign_oid(aggregate.oid, "aggregate " + aggregate.signature());
  const AggregateFunction& entry = aggregates_.emplace_back(std::move(aggregate));
  aggregates_by_name_.emplace(entry.name, &entry);
  return entry;
}

const TableFunction& FunctionRegistry::add(TableFunction function) {
  TS_CHECK(function.bind && function.init, "table function without bind/init: " + function.name);
  function.oid = assign_oid(function.oid, "table function " + function.signature());
  const TableFunction& entry = table_functions_.emplace_back(std::move(function));
  table_functions_by_name_.emplace(entry.name, &entry);
  return entry;
}

std::vector<const TableFunction*> FunctionRegistry::table_functions(std::string_view name) const {
  std::vector<const TableFunction*> out;
  auto [first, last] = table_functions_by_name_.equal_range(name);
  for (auto it = first; it != last; ++it) out.push_back(it->second);
  return out;
}

std::vector<const TableFunction*> FunctionRegistry::all_table_functions() const {
  std::vector<const TableFunction*> out;
  for (const auto& f : table_functions_) out.push_back(&f);
  return out;
}

std::vector<const ScalarFunction*> FunctionRegistry::functions(std::string_view name) const {
  std::vector<const ScalarFunction*> out;
  auto [begin, end] = functions_by_name_.equal_range(name);
  for (auto it = begin; it != end; ++it) out.push_back(it->second);
  return out;
}

std::vector<const ScalarFunction*> FunctionRegistry::operators(std::string_view name) const {
  std::vector<const ScalarFunction*> out;
  auto [begin, end] = operators_by_name_.equal_range(name);
  for (auto it = begin; it != end; ++it) out.push_back(it->second);
  return out;
}

std::vector<const AggregateFunction*> FunctionRegistry::aggregates(std::string_view name) const {
  std::vector<const AggregateFunction*> out;
  auto [begin, end] = aggregates_by_name_.equal_range(name);
  for (auto it = begin; it != end; ++it) out.push_back(it->second);
  return out;
}

bool FunctionRegistry::is_aggregate(std::string_view name) const { return aggregates_by_name_.count(name) > 0; }

std::vector<const ScalarFunction*> FunctionRegistry::all_functions() const {
  std::vector<const ScalarFunction*> out;
  for (const auto& f : scalars_) out.push_back(&f);
  return out;
}

std::vector<const AggregateFunction*> FunctionRegistry::all_aggregates() const {
  std::vector<const AggregateFunction*> out;
  for (const auto& a : aggregates_) out.push_back(&a);
  return out;
}

// ---- resolution ------------------------------------------------------------------------------

namespace {

/// Text and varchar(n) are one type here (varchar(n) reaches text by a binary-coercible cast).
/// numeric(p,s) matches numeric parameters the same way.
LogicalType base_type(const LogicalType& t) {
  if (t.is_array()) return LogicalType::array_of(base_type(t.element_type()));
  if (t.id() == LogicalTypeId::kNumeric) return LogicalType::numeric();
  if (t.id() == LogicalTypeId::kChar) return LogicalType::bpchar();
  return t.id() == LogicalTypeId::kVarchar ? LogicalType::varchar() : t;
}

bool is_unknown(const LogicalType& t) { return t.id() == LogicalTypeId::kSqlNull; }

/// select_common_type over known types: same type, or numeric promotion; nullopt otherwise.
std::optional<LogicalType> common_type(const LogicalType& a, const LogicalType& b) {
  if (a == b) return a;
  if (a.is_numeric() && b.is_numeric()) return base_type(a.numeric_rank() >= b.numeric_rank() ? a : b);
  return std::nullopt;
}

/// One overload seen with exactly as many parameters as the call has arguments.
struct Candidate {
  size_t index;  ///< into the caller's overload list
  std::vector<ParamType> params;
};

char param_category(const ParamType& p) { return p.kind == ParamKind::kConcrete ? type_category(p.type) : 'P'; }
bool param_preferred(const ParamType& p) { return p.kind == ParamKind::kConcrete && is_preferred_type(p.type); }
bool same_type(const ParamType& p, const LogicalType& input) {
  return p.kind == ParamKind::kConcrete && !is_unknown(input) && base_type(p.type) == base_type(input);
}

/// The types polymorphic parameters take for these inputs, or nullopt when inconsistent.
struct Polymorphic {
  std::optional<LogicalType> non_array;
  std::optional<LogicalType> compatible;
};

std::optional<Polymorphic> resolve_polymorphic(const std::vector<ParamType>& params, std::span<const LogicalType> inputs) {
  Polymorphic out;
  bool has_array_param = false;
  for (const auto& p : params) {
    has_array_param = has_array_param || p.kind == ParamKind::kAnyArray || p.kind == ParamKind::kAnyArrayExact;
  }
  std::optional<LogicalType> exact_array;
  for (size_t i = 0; i < params.size(); i++) {
    if (is_unknown(inputs[i])) continue;
    LogicalType t = base_type(inputs[i]);
    ParamKind kind = params[i].kind;
    if (kind == ParamKind::kAnyArrayExact) {
      if (exact_array && *exact_array != t) return std::nullopt;
      exact_array = t;
      kind = ParamKind::kAnyArray;
    }
    if (kind == ParamKind::kAnyArray) {
      if (!t.is_array()) return std::nullopt;
      t = t.element_type();
    }
    if (kind == ParamKind::kAnyNonArray) {
      if (t.is_array()) return std::nullopt;
      if (out.non_array && *out.non_array != t) return std::nullopt;
      out.non_array = t;
    } else if (kind == ParamKind::kAnyCompatible || kind == ParamKind::kAnyArray) {
      if (has_array_param && kind == ParamKind::kAnyCompatible && t.is_array()) return std::nullopt;
      if (out.compatible) {
        auto c = common_type(*out.compatible, t);
        if (!c) return std::nullopt;
        out.compatible = *c;
      } else {
        out.compatible = t;
      }
    }
  }
  return out;
}

/// can_coerce_type(COERCION_IMPLICIT) for a whole argument list.
bool can_coerce(const std::vector<ParamType>& params, std::span<const LogicalType> inputs) {
  for (size_t i = 0; i < params.size(); i++) {
    if (is_unknown(inputs[i]) || params[i].kind != ParamKind::kConcrete) continue;
    const LogicalType from = base_type(inputs[i]);
    const LogicalType to = base_type(params[i].type);
    if (from != to && !can_cast_implicitly(from, to)) return false;
  }
  return resolve_polymorphic(params, inputs).has_value();
}

bool exact_match(const std::vector<ParamType>& params, std::span<const LogicalType> inputs) {
  for (size_t i = 0; i < params.size(); i++) {
    if (!same_type(params[i], inputs[i])) return false;
  }
  return true;
}

/// Keeps the candidates with the highest score; returns whether any were dropped.
template <class Score>
void keep_best(std::vector<Candidate>& candidates, Score&& score) {
  int best = -1;
  std::vector<int> scores;
  for (const auto& c : candidates) {
    scores.push_back(score(c));
    best = std::max(best, scores.back());
  }
  std::vector<Candidate> kept;
  for (size_t i = 0; i < candidates.size(); i++) {
    if (scores[i] == best) kept.push_back(std::move(candidates[i]));
  }
  candidates = std::move(kept);
}

/// func_select_candidate: narrows several implicitly reachable candidates to one; nullopt when
/// no rule decides (ambiguous).
std::optional<Candidate> select_candidate(std::vector<Candidate> candidates, std::span<const LogicalType> inputs) {
  const size_t nargs = inputs.size();
  // Most exact matches on known inputs. A varchar(n) input is PostgreSQL's varchar, which is
  // not text: `varchar_col = bpchar` compares as bpchar.
  keep_best(candidates, [&](const Candidate& c) {
    int n = 0;
    for (size_t i = 0; i < nargs; i++) {
      const bool varchar = inputs[i].id() == LogicalTypeId::kVarchar && inputs[i].modifier() >= 0;
      n += same_type(c.params[i], inputs[i]) && !varchar;
    }
    return n;
  });
  if (candidates.size() == 1) return candidates[0];
  // Most exact-or-preferred types (preferred within the input's own category) where casts apply.
  keep_best(candidates, [&](const Candidate& c) {
    int n = 0;
    for (size_t i = 0; i < nargs; i++) {
      if (is_unknown(inputs[i])) continue;
      if (same_type(c.params[i], inputs[i]) ||
          (param_preferred(c.params[i]) && param_category(c.params[i]) == type_category(inputs[i]))) {
        n++;
      }
    }
    return n;
  });
  if (candidates.size() == 1) return candidates[0];
  // Unknown inputs: pick a category per position (string wins; else all must agree) and prefer
  // candidates taking that category's preferred type.
  size_t unknowns = 0;
  bool resolved = true;
  std::vector<char> slot_category(nargs, 0);
  std::vector<bool> slot_preferred(nargs, false);
  for (size_t i = 0; i < nargs; i++) {
    if (!is_unknown(inputs[i])) continue;
    unknowns++;
    bool conflict = false;
    for (const auto& c : candidates) {
      const char cat = param_category(c.params[i]);
      const bool pref = param_preferred(c.params[i]);
      if (slot_category[i] == 0) {
        slot_category[i] = cat;
        slot_preferred[i] = pref;
      } else if (cat == slot_category[i]) {
        slot_preferred[i] = slot_preferred[i] || pref;
      } else if (cat == 'S') {
        slot_category[i] = cat;
        slot_preferred[i] = pref;
      } else {
        conflict = true;
      }
    }
    if (conflict && slot_category[i] != 'S') {
      resolved = false;
      break;
    }
  }
  if (resolved && unknowns > 0) {
    std::vector<Candidate> kept;
    for (const auto& c : candidates) {
      bool keep = true;
      for (size_t i = 0; i < nargs && keep; i++) {
        if (!is_unknown(inputs[i])) continue;
        if (param_category(c.params[i]) != slot_category[i]) keep = false;
        if (slot_preferred[i] && !param_preferred(c.params[i])) keep = false;
      }
      if (keep) kept.push_back(c);
    }
    if (!kept.empty()) candidates = std::move(kept);
    if (candidates.size() == 1) return candidates[0];
  }
  // Last resort: unknowns assumed to have the type of the known inputs when those all agree.
  if (unknowns > 0 && unknowns < nargs) {
    std::optional<LogicalType> known;
    bool agree = true;
    for (size_t i = 0; i < nargs; i++) {
      if (is_unknown(inputs[i])) continue;
      if (known && *known != base_type(inputs[i])) agree = false;
      known = base_type(inputs[i]);
    }
    if (agree && known) {
      std::vector<LogicalType> assumed(nargs, *known);
      const Candidate* only = nullptr;
      size_t matches = 0;
      for (const auto& c : candidates) {
        if (can_coerce(c.params, assumed)) {
          only = &c;
          matches++;
        }
      }
      if (matches == 1) return *only;
    }
  }
  return std::nullopt;
}

enum class Outcome : uint8_t { kFound, kMissing, kAmbiguous };

/// Resolves among overloads given by their parameter lists (and variadic flags).
Outcome choose(const std::vector<std::pair<const std::vector<ParamType>*, bool>>& overloads,
               std::span<const LogicalType> inputs, bool is_binary_operator, Candidate& chosen) {
  const size_t nargs = inputs.size();
  std::vector<Candidate> all;
  for (size_t k = 0; k < overloads.size(); k++) {
    const auto& [params, variadic] = overloads[k];
    if (variadic ? nargs < params->size() : nargs != params->size()) continue;
    Candidate c{k, *params};
    while (c.params.size() < nargs) c.params.push_back(params->back());
    all.push_back(std::move(c));
  }
  // An exact match wins outright; a binary operator with one unknown side first tries the
  // other side's type for it (binary_oper_exact).
  for (const auto& c : all) {
    if (exact_match(c.params, inputs)) {
      chosen = c;
      return Outcome::kFound;
    }
  }
  if (is_binary_operator && nargs == 2 && is_unknown(inputs[0]) != is_unknown(inputs[1])) {
    const LogicalType known = is_unknown(inputs[0]) ? inputs[1] : inputs[0];
    const LogicalType both[2] = {known, known};
    for (const auto& c : all) {
      if (exact_match(c.params, both)) {
        chosen = c;
        return Outcome::kFound;
      }
    }
  }
  std::vector<Candidate> reachable;
  for (auto& c : all) {
    if (can_coerce(c.params, inputs)) reachable.push_back(std::move(c));
  }
  if (reachable.empty()) return Outcome::kMissing;
  if (reachable.size() == 1) {
    chosen = std::move(reachable[0]);
    return Outcome::kFound;
  }
  auto best = select_candidate(std::move(reachable), inputs);
  if (!best) return Outcome::kAmbiguous;
  chosen = std::move(*best);
  return Outcome::kFound;
}

/// The argument and result types of a chosen candidate.
void concrete_types(const Candidate& c, const ParamType& result, std::span<const LogicalType> inputs,
                    std::vector<LogicalType>& arg_types, LogicalType& return_type) {
  auto poly = resolve_polymorphic(c.params, inputs);
  TS_CHECK(poly.has_value(), "chosen candidate with inconsistent polymorphic arguments");
  const LogicalType non_array = poly->non_array.value_or(LogicalType::varchar());
  const LogicalType compatible = poly->compatible.value_or(LogicalType::varchar());
  const LogicalType array_element = poly->compatible ? *poly->compatible : non_array;
  auto concrete = [&](const ParamType& p, const LogicalType& input) {
    switch (p.kind) {
      case ParamKind::kConcrete: return p.type;
      case ParamKind::kAny: return input;
      case ParamKind::kAnyNonArray: return non_array;
      case ParamKind::kAnyCompatible: return compatible;
      case ParamKind::kAnyArray:
      case ParamKind::kAnyArrayExact: return LogicalType::array_of(array_element);
    }
    return p.type;
  };
  arg_types.clear();
  for (size_t i = 0; i < inputs.size(); i++) {
    LogicalType t = concrete(c.params[i], inputs[i]);
    // An argument already of a varchar(n) type keeps it where text is expected.
    if (c.params[i].kind == ParamKind::kConcrete && t == LogicalType::varchar() && inputs[i].id() == LogicalTypeId::kVarchar) {
      t = inputs[i];
    }
    // Likewise character(n) where bpchar is expected (octet_length needs n).
    if (c.params[i].kind == ParamKind::kConcrete && t == LogicalType::bpchar() && inputs[i].id() == LogicalTypeId::kChar) {
      t = inputs[i];
    }
    arg_types.push_back(t);
  }
  TS_CHECK(result.kind != ParamKind::kAny, "a function cannot return \"any\"");
  return_type = concrete(result, LogicalType());
}

std::string argument_list(std::span<const LogicalType> args) {
  std::string out;
  for (size_t i = 0; i < args.size(); i++) {
    if (i) out += ", ";
    out += signature_type_name(args[i]);
  }
  return out;
}

[[noreturn]] void throw_function_error(Outcome outcome, std::string_view name, std::span<const LogicalType> args) {
  const std::string call = std::string(name) + "(" + argument_list(args) + ")";
  if (outcome == Outcome::kAmbiguous) {
    throw SqlError(SqlState::kAmbiguousFunction, "function " + call + " is not unique")
        .with_hint("Could not choose a best candidate function. You might need to add explicit type casts.");
  }
  throw SqlError(SqlState::kUndefinedFunction, "function " + call + " does not exist")
      .with_hint("No function matches the given name and argument types. You might need to add explicit type casts.");
}

}  // namespace

ResolvedFunction FunctionRegistry::resolve_function(std::string_view name, std::span<const LogicalType> args) const {
  auto overloads = functions(name);
  std::vector<std::pair<const std::vector<ParamType>*, bool>> lists;
  for (const auto* f : overloads) lists.emplace_back(&f->params, f->variadic);
  Candidate chosen;
  Outcome outcome = choose(lists, args, false, chosen);
  if (outcome != Outcome::kFound) throw_function_error(outcome, name, args);
  ResolvedFunction out;
  out.function = overloads[chosen.index];
  concrete_types(chosen, out.function->result, args, out.arg_types, out.return_type);
  return out;
}

ResolvedFunction FunctionRegistry::resolve_operator(std::string_view name, std::span<const LogicalType> args) const {
  auto overloads = operators(name);
  std::vector<std::pair<const std::vector<ParamType>*, bool>> lists;
  for (const auto* f : overloads) lists.emplace_back(&f->params, f->variadic);
  Candidate chosen;
  Outcome outcome = choose(lists, args, true, chosen);
  if (outcome != Outcome::kFound) {
    std::string shown = args.size() == 1 ? std::string(name) + " " + signature_type_name(args[0])
                                         : signature_type_name(args[0]) + " " + std::string(name) + " " +
                                               signature_type_name(args[1]);
    if (outcome == Outcome::kAmbiguous) {
      throw SqlError(SqlState::kAmbiguousFunction, "operator is not unique: " + shown)
          .with_hint(args.size() == 1
                         ? "Could not choose a best candidate operator. You might need to add an explicit type cast."
                         : "Could not choose a best candidate operator. You might need to add explicit type casts.");
    }
    throw SqlError(SqlState::kUndefinedFunction, "operator does not exist: " + shown)
        .with_hint(args.size() == 1
                       ? "No operator matches the given name and argument type. You might need to add an explicit type cast."
                       : "No operator matches the given name and argument types. You might need to add explicit type casts.");
  }
  ResolvedFunction out;
  out.function = overloads[chosen.index];
  concrete_types(chosen, out.function->result, args, out.arg_types, out.return_type);
  return out;
}

ResolvedAggregate FunctionRegistry::resolve_aggregate(std::string_view name, std::span<const LogicalType> args) const {
  auto overloads = aggregates(name);
  std::vector<std::pair<const std::vector<ParamType>*, bool>> lists;
  for (const auto* a : overloads) lists.emplace_back(&a->params, false);
  Candidate chosen;
  Outcome outcome = choose(lists, args, false, chosen);
  if (outcome != Outcome::kFound) throw_function_error(outcome, name, args);
  ResolvedAggregate out;
  out.function = overloads[chosen.index];
  concrete_types(chosen, out.function->result, args, out.arg_types, out.return_type);
  return out;
}

ResolvedTableFunction FunctionRegistry::resolve_table_function(std::string_view name,
                                                               std::span<const LogicalType> args) const {
  auto overloads = table_functions(name);
  std::vector<std::pair<const std::vector<ParamType>*, bool>> lists;
  for (const auto* f : overloads) lists.emplace_back(&f->params, false);
  Candidate chosen;
  Outcome outcome = choose(lists, args, false, chosen);
  if (outcome != Outcome::kFound) throw_function_error(outcome, name, args);
  ResolvedTableFunction out;
  out.function = overloads[chosen.index];
  LogicalType unused;
  concrete_types(chosen, ParamType::of(LogicalType::boolean()), args, out.arg_types, unused);
  return out;
}

}  // namespace tessera::catalog
