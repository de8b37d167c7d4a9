// Window function calls and window specifications (PostgreSQL's transformWindowFuncCall and
// transformWindowDefinitions): named windows of the WINDOW clause and their refinement rules,
// frame clause validation, and the resolution of the built-in window functions' signatures.

#include <cctype>

#include "catalog/function_registry.h"
#include "planner/binder/binder.h"
#include "planner/binder/type_rules.h"
#include "src/common/sql_error.h"

namespace tessera::planner {

namespace {

struct BuiltinWindowFunction {
  const char* name;
  WindowFunction function;
};

constexpr BuiltinWindowFunction kBuiltins[] = {
    {"row_number", WindowFunction::kRowNumber},     {"rank", WindowFunction::kRank},
    {"dense_rank", WindowFunction::kDenseRank},     {"percent_rank", WindowFunction::kPercentRank},
    {"cume_dist", WindowFunction::kCumeDist},       {"ntile", WindowFunction::kNtile},
    {"lag", WindowFunction::kLag},                  {"lead", WindowFunction::kLead},
    {"first_value", WindowFunction::kFirstValue},   {"last_value", WindowFunction::kLastValue},
    {"nth_value", WindowFunction::kNthValue},
};

const BuiltinWindowFunction* find_builtin(const std::string& name) {
  for (const auto& b : kBuiltins) {
    if (name == b.name) return &b;
  }
  return nullptr;
}

bool is_null_input(const BoundExpression& e) { return is_unknown_literal(e) || e.type.id() == LogicalTypeId::kSqlNull; }

std::string type_list(const std::vector<BoundExprPtr>& args) {
  std::string out;
  for (size_t i = 0; i < args.size(); i++) {
    if (i) out += ", ";
    out += is_null_input(*args[i]) ? "unknown" : catalog::signature_type_name(args[i]->type);
  }
  return out;
}

WindowFrameBoundKind bound_kind(FrameBoundKind kind) {
  switch (kind) {
    case FrameBoundKind::kUnboundedPreceding: return WindowFrameBoundKind::kUnboundedPreceding;
    case FrameBoundKind::kPreceding: return WindowFrameBoundKind::kPreceding;
    case FrameBoundKind::kCurrentRow: return WindowFrameBoundKind::kCurrentRow;
    case FrameBoundKind::kFollowing: return WindowFrameBoundKind::kFollowing;
    case FrameBoundKind::kUnboundedFollowing: return WindowFrameBoundKind::kUnboundedFollowing;
  }
  return WindowFrameBoundKind::kCurrentRow;
}

bool is_integer_type(LogicalTypeId id) {
  return id == LogicalTypeId::kSmallint || id == LogicalTypeId::kInteger || id == LogicalTypeId::kBigint;
}

}  // namespace

bool Binder::is_window_function_name(const std::string& name) { return find_builtin(name) != nullptr; }

void Binder::resolve_named_windows(const SelectStmt& select, SelectContext& context) {
  for (const WindowDef& def : select.windows) {
    for (const auto& seen : context.named_windows) {
      if (seen.name == def.name) throw_at(SqlState::kWindowingError, "window \"" + def.name + "\" is already defined", def.location);
    }
    // An entry may refine an earlier one.
    ResolvedWindowSpec spec = merge_window_spec(def, context, false);
    spec.name = def.name;
    context.named_windows.push_back(spec);
  }
}

Binder::ResolvedWindowSpec Binder::merge_window_spec(const WindowDef& def, const SelectContext& context, bool in_over) {
  ResolvedWindowSpec spec;
  spec.frame = &def;
  spec.partition_by = &def.partition_by;
  spec.order_by = &def.order_by;
  spec.location = def.location;
  if (def.ref_name.empty()) return spec;
  const ResolvedWindowSpec* base = nullptr;
  for (const auto& w : context.named_windows) {
    if (w.name == def.ref_name) base = &w;
  }
  if (!base) throw_at(SqlState::kUndefinedObject, "window \"" + def.ref_name + "\" does not exist", def.location);
  if (!def.partition_by.empty()) {
    throw_at(SqlState::kWindowingError, "cannot override PARTITION BY clause of window \"" + def.ref_name + "\"", def.location);
  }
  spec.partition_by = base->partition_by;
  if (!base->order_by->empty()) {
    if (!def.order_by.empty()) {
      throw_at(SqlState::kWindowingError, "cannot override ORDER BY clause of window \"" + def.ref_name + "\"", def.location);
    }
    spec.order_by = base->order_by;
  }
  if (base->frame->frame_mode != FrameMode::kDefault) {
    try {
      throw_at(SqlState::kWindowingError, "cannot copy window \"" + def.ref_name + "\" because it has a frame clause", def.location);
    } catch (SqlError& e) {
      if (in_over) e.with_hint("Omit the parentheses in this OVER clause.");
      throw;
    }
  }
  return spec;
}

BoundExprPtr Binder::bind_window(const FuncCallExpr& call) {
  const std::string& name = call.name.back();
  if (!select_context_ || select_context_->no_windows_clause || no_aggregates_clause_) {
    const char* clause = no_aggregates_clause_ ? no_aggregates_clause_
                         : select_context_     ? select_context_->no_windows_clause
                                               : nullptr;
    throw_at(SqlState::kWindowingError,
             clause ? std::string("window functions are not allowed in ") + clause : "window functions are not allowed here",
             call.location);
  }
  SelectContext& context = *select_context_;
  if (context.inside_window_definition) {
    throw_at(SqlState::kWindowingError, "window functions are not allowed in window definitions", call.location);
  }
  if (context.inside_window) throw_at(SqlState::kWindowingError, "window function calls cannot be nested", call.location);
  if (context.inside_aggregate) {
    throw_at(SqlState::kGroupingError, "aggregate function calls cannot contain window function calls", call.location);
  }

  // The function and its arguments.
  const BuiltinWindowFunction* builtin = find_builtin(name);
  const bool is_aggregate = !builtin && functions_.is_aggregate(name);
  if (!builtin && !is_aggregate) {
    if (functions_.functions(name).empty()) {
      throw_at(SqlState::kUndefinedFunction, "function " + name + "() does not exist", call.location);
    }
    throw_at(SqlState::kWrongObjectType,
             "OVER specified, but " + name + " is not a window function nor an aggregate function", call.location);
  }
  if (call.distinct) throw_at(SqlState::kFeatureNotSupported, "DISTINCT is not implemented for window functions", call.location);
  if (call.agg_within_group) {
    throw_at(SqlState::kFeatureNotSupported, "OVER is not supported for ordered-set aggregate " + name, call.location);
  }
  if (!call.agg_order_by.empty()) {
    throw_at(SqlState::kFeatureNotSupported, "aggregate ORDER BY is not implemented for window functions", call.location);
  }
  if (call.filter && !is_aggregate) {
    throw_at(SqlState::kFeatureNotSupported, "FILTER is not implemented for non-aggregate window functions", call.location);
  }
  if (call.star && !is_aggregate) {
    throw_at(SqlState::kSyntaxError, name + "(*) specified, but " + name + " is not an aggregate function", call.location);
  }

  std::vector<BoundExprPtr> args;
  BoundExprPtr filter;
  context.inside_window = true;
  try {
    for (const auto& a : call.args) args.push_back(bind_expr(*a));
    if (call.filter) filter = bind_boolean(*call.filter, "FILTER");
  } catch (...) {
    context.inside_window = false;
    throw;
  }
  context.inside_window = false;

  std::unique_ptr<BoundWindow> window;
  if (is_aggregate) {
    if (call.star) {
      bool takes_star = false;
      for (const auto* a : functions_.aggregates(name)) takes_star = takes_star || a->params.empty();
      if (!takes_star) throw_at(SqlState::kSyntaxError, name + "(*) specified, but " + name + " is not an aggregate function", call.location);
    }
    std::vector<LogicalType> types;
    for (const auto& a : args) types.push_back(is_null_input(*a) ? LogicalType::sql_null() : a->type);
    catalog::ResolvedAggregate resolved;
    try {
      resolved = functions_.resolve_aggregate(name, types);
    } catch (SqlError& e) {
      e.with_position(position(call.location));
      throw;
    }
    if (resolved.function->ordered_set) {
      throw_at(SqlState::kWrongObjectType, "WITHIN GROUP is required for ordered-set aggregate " + name, call.location);
    }
    if (!resolved.function->combine) {
      throw_at(SqlState::kFeatureNotSupported, "aggregate " + name + " is not supported as a window function yet", call.location);
    }
    window = std::make_unique<BoundWindow>(resolved.return_type, WindowFunction::kAggregate);
    window->aggregate = resolved.function;
    for (size_t i = 0; i < args.size(); i++) {
      if (resolved.arg_types[i].id() != LogicalTypeId::kSqlNull) args[i] = cast_to(std::move(args[i]), resolved.arg_types[i]);
    }
  } else {
    const WindowFunction f = builtin->function;
    auto undefined = [&] {
      throw_at(SqlState::kUndefinedFunction, "function " + name + "(" + type_list(args) + ") does not exist", call.location);
    };
    // An integer parameter accepts smallint, integer and untyped literals (implicit casts).
    auto integer_arg = [&](size_t i) {
      if (!is_null_input(*args[i]) && args[i]->type.id() != LogicalTypeId::kSmallint && args[i]->type.id() != LogicalTypeId::kInteger) {
        undefined();
      }
      args[i] = cast_to(std::move(args[i]), LogicalType::integer());
    };
    LogicalType type;
    switch (f) {
      case WindowFunction::kRowNumber:
      case WindowFunction::kRank:
      case WindowFunction::kDenseRank:
      case WindowFunction::kPercentRank:
      case WindowFunction::kCumeDist:
        if (!args.empty()) {
          // With arguments these name PostgreSQL's hypothetical-set aggregates.
          if (f == WindowFunction::kRowNumber) undefined();
          throw_at(SqlState::kWrongObjectType, "OVER is not supported for ordered-set aggregate " + name, call.location);
        }
        type = f == WindowFunction::kPercentRank || f == WindowFunction::kCumeDist ? LogicalType::double_precision()
                                                                                 : LogicalType::bigint();
        break;
      case WindowFunction::kNtile:
        if (args.size() != 1) undefined();
        integer_arg(0);
        type = LogicalType::integer();
        break;
      case WindowFunction::kLag:
      case WindowFunction::kLead: {
        if (args.empty() || args.size() > 3) undefined();
        if (args.size() >= 2) integer_arg(1);
        // lag(anycompatible, integer, anycompatible): the value and the default share a type.
        type = LogicalType::sql_null();
        bool all_unknown = true;
        for (size_t i : {size_t{0}, size_t{2}}) {
          if (i >= args.size() || is_null_input(*args[i])) continue;
          all_unknown = false;
          auto common = common_supertype(type, args[i]->type);
          if (!common) undefined();
          type = *common;
        }
        if (all_unknown) type = LogicalType::varchar();
        args[0] = cast_to(std::move(args[0]), type);
        if (args.size() == 3) args[2] = cast_to(std::move(args[2]), type);
        break;
      }
      case WindowFunction::kFirstValue:
      case WindowFunction::kLastValue:
      case WindowFunction::kNthValue:
        if (args.size() != (f == WindowFunction::kNthValue ? 2u : 1u)) undefined();
        if (f == WindowFunction::kNthValue) integer_arg(1);
        type = is_null_input(*args[0]) ? LogicalType::varchar() : args[0]->type;
        args[0] = cast_to(std::move(args[0]), type);
        break;
      case WindowFunction::kAggregate: break;
    }
    window = std::make_unique<BoundWindow>(type, f);
  }
  window->args = std::move(args);
  window->filter = std::move(filter);

  // The window specification.
  ResolvedWindowSpec spec;
  if (!call.over->name.empty()) {
    // OVER name: the named window as it is, frame included.
    const ResolvedWindowSpec* named = nullptr;
    for (const auto& w : context.named_windows) {
      if (w.name == call.over->name) named = &w;
    }
    if (!named) throw_at(SqlState::kUndefinedObject, "window \"" + call.over->name + "\" does not exist", call.over->location);
    spec = *named;
  } else {
    spec = merge_window_spec(*call.over, context, true);
  }
  bind_window_spec(spec, *window);
  return window;
}

void Binder::bind_window_spec(const ResolvedWindowSpec& spec, BoundWindow& window) {
  SelectContext& context = *select_context_;
  context.inside_window_definition = true;
  try {
    for (const auto& p : *spec.partition_by) window.partitions.push_back(bind_expr(*p));
    for (const auto& o : *spec.order_by) {
      BoundWindowOrder order;
      order.expression = bind_expr(*o.expr);
      order.descending = o.direction == SortDirection::kDesc;
      order.nulls_first = o.nulls == NullsOrder::kDefault ? order.descending : o.nulls == NullsOrder::kFirst;
      window.orders.push_back(std::move(order));
    }
  } catch (...) {
    context.inside_window_definition = false;
    throw;
  }
  context.inside_window_definition = false;

  const WindowDef& def = *spec.frame;
  BoundWindowFrame& frame = window.frame;
  if (def.frame_mode == FrameMode::kDefault) return;  // RANGE UNBOUNDED PRECEDING .. CURRENT ROW
  frame.unit = def.frame_mode == FrameMode::kRows    ? WindowFrameUnit::kRows
               : def.frame_mode == FrameMode::kRange ? WindowFrameUnit::kRange
                                                     : WindowFrameUnit::kGroups;
  frame.start = bound_kind(def.frame_start.kind);
  frame.end = bound_kind(def.frame_end.kind);
  frame.exclusion = static_cast<WindowFrameExclusion>(def.exclusion);
  const int location = def.location;
  // The frame rules of PostgreSQL's grammar.
  if (frame.start == WindowFrameBoundKind::kUnboundedFollowing) {
    throw_at(SqlState::kWindowingError, "frame start cannot be UNBOUNDED FOLLOWING", location);
  }
  if (frame.end == WindowFrameBoundKind::kUnboundedPreceding) {
    throw_at(SqlState::kWindowingError, "frame end cannot be UNBOUNDED PRECEDING", location);
  }
  if (frame.start == WindowFrameBoundKind::kCurrentRow && frame.end == WindowFrameBoundKind::kPreceding) {
    throw_at(SqlState::kWindowingError, "frame starting from current row cannot have preceding rows", location);
  }
  if (frame.start == WindowFrameBoundKind::kFollowing &&
      (frame.end == WindowFrameBoundKind::kPreceding || frame.end == WindowFrameBoundKind::kCurrentRow)) {
    throw_at(SqlState::kWindowingError, "frame starting from following row cannot have preceding rows", location);
  }
  const bool has_offset = def.frame_start.offset || def.frame_end.offset;
  if (frame.unit == WindowFrameUnit::kRange && has_offset && window.orders.size() != 1) {
    throw_at(SqlState::kWindowingError, "RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY column", location);
  }
  if (frame.unit == WindowFrameUnit::kGroups && window.orders.empty()) {
    throw_at(SqlState::kWindowingError, "GROUPS mode requires an ORDER BY clause", location);
  }
  auto bind_offset = [&](const ExprPtr& expr) -> BoundExprPtr {
    if (!expr) return nullptr;
    const char* unit = frame.unit == WindowFrameUnit::kRows ? "ROWS" : frame.unit == WindowFrameUnit::kRange ? "RANGE" : "GROUPS";
    // The offset sees no columns of the query.
    Scope saved = std::move(scope_);
    scope_ = Scope();
    SelectContext* saved_context = select_context_;
    select_context_ = nullptr;
    BoundExprPtr bound;
    try {
      bound = bind_expr(*expr);
    } catch (SqlError& e) {
      scope_ = std::move(saved);
      select_context_ = saved_context;
      if (e.state() == SqlState::kUndefinedColumn) {
        throw_at(SqlState::kInvalidColumnReference, std::string("argument of ") + unit + " must not contain variables", expr->location);
      }
      throw;
    } catch (...) {
      scope_ = std::move(saved);
      select_context_ = saved_context;
      throw;
    }
    scope_ = std::move(saved);
    select_context_ = saved_context;
    if (frame.unit != WindowFrameUnit::kRange) {
      if (!is_null_input(*bound) && !is_integer_type(bound->type.id())) {
        throw_at(SqlState::kDatatypeMismatch,
                 std::string("argument of ") + unit + " must be type bigint, not type " + bound->type.name(), expr->location);
      }
      return cast_to(std::move(bound), LogicalType::bigint());
    }
    // RANGE: the in_range support of the ORDER BY key's type decides the offset type.
    const LogicalType& key = window.orders[0].expression->type;
    LogicalType offset_type;
    bool key_supported = true;
    bool offset_ok = is_null_input(*bound);
    switch (key.id()) {
      case LogicalTypeId::kSmallint:
      case LogicalTypeId::kInteger:
      case LogicalTypeId::kBigint:
        offset_type = LogicalType::bigint();
        offset_ok = offset_ok || is_integer_type(bound->type.id());
        break;
      case LogicalTypeId::kDouble:
        offset_type = LogicalType::double_precision();
        offset_ok = offset_ok || bound->type.is_numeric();
        break;
      case LogicalTypeId::kDate:
      case LogicalTypeId::kTime:
      case LogicalTypeId::kTimestamp:
      case LogicalTypeId::kTimestampTz:
      case LogicalTypeId::kInterval:
        offset_type = LogicalType::interval();
        offset_ok = offset_ok || bound->type.id() == LogicalTypeId::kInterval;
        break;
      default: key_supported = false; break;
    }
    if (!key_supported) {
      throw_at(SqlState::kFeatureNotSupported,
               "RANGE with offset PRECEDING/FOLLOWING is not supported for column type " + key.name(), expr->location);
    }
    if (!offset_ok) {
      try {
        throw_at(SqlState::kFeatureNotSupported,
                 "RANGE with offset PRECEDING/FOLLOWING is not supported for column type " + key.name() + " and offset type " +
                     bound->type.name(),
                 expr->location);
      } catch (SqlError& e) {
        e.with_hint("Cast the offset value to an appropriate type.");
        throw;
      }
    }
    return cast_to(std::move(bound), offset_type);
  };
  frame.start_offset = bind_offset(def.frame_start.offset);
  frame.end_offset = bind_offset(def.frame_end.offset);
}

}  // namespace tessera::planner
