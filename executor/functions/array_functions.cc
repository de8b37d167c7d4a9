// Array operators and functions over one-dimensional arrays (src/common/array_value.h): the
// ARRAY[...] constructor, subscripts and slices, comparisons, x op ANY/ALL (array), ||, @>, <@,
// &&, and array_length, cardinality, array_upper/lower, array_ndims, array_dims,
// array_to_string, string_to_array, array_position(s), array_append/prepend/cat, array_remove.
// They work a row at a time on decoded values: arrays are small and these are not hot loops.

#include <algorithm>
#include <climits>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "executor/functions/builtin_functions.h"
#include "executor/functions/registration.h"
#include "executor/functions/vector_loops.h"
#include "executor/kernels/compare.h"
#include "src/common/array_value.h"
#include "src/common/sql_error.h"

namespace tessera::executor {

namespace {

using catalog::ParamType;
using Args = std::span<const Vector* const>;

/// result[r] = f(argument values of row r) for every selected row; a std::nullopt result is NULL.
/// Strict functions see no NULL argument (those rows are NULL already).
template <class F>
void each_row(Args args, const sel_t* sel, size_t count, Vector& result, bool strict, F&& f) {
  std::vector<Value> values(args.size());
  for_each_row(sel, count, [&](sel_t r) {
    bool any_null = false;
    for (size_t i = 0; i < args.size(); i++) {
      values[i] = args[i]->get_value(r);
      any_null = any_null || values[i].is_null();
    }
    if (strict && any_null) {
      result.set_value(r, Value::null(result.type()));
      return;
    }
    std::optional<Value> v = f(values);
    result.set_value(r, v ? *v : Value::null(result.type()));
  });
}

/// Whether two element values (NULLs allowed) are not distinct.
bool same_element(const Value& a, const Value& b) {
  if (a.is_null() || b.is_null()) return a.is_null() && b.is_null();
  return array::compare_elements(a, b) == 0;
}

// ---- construction, subscripts --------------------------------------------------------------

void construct_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  const LogicalType element = result.type().element_type();
  each_row(args, sel, count, result, false, [&](const std::vector<Value>& v) -> std::optional<Value> {
    return array::make(element, v);
  });
}

void subscript_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  each_row(args, sel, count, result, true, [&](const std::vector<Value>& v) -> std::optional<Value> {
    const std::vector<Value> elements = array::elements(v[0]);
    const int64_t i = v[1].get_int64();
    if (i < 1 || i > static_cast<int64_t>(elements.size())) return std::nullopt;
    return elements[static_cast<size_t>(i - 1)];
  });
}

void slice_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  const LogicalType element = result.type().element_type();
  each_row(args, sel, count, result, true, [&](const std::vector<Value>& v) -> std::optional<Value> {
    const std::vector<Value> elements = array::elements(v[0]);
    const int64_t lower = std::max<int64_t>(v[1].get_int64(), 1);
    const int64_t upper = std::min<int64_t>(v[2].get_int64(), static_cast<int64_t>(elements.size()));
    std::vector<Value> out;
    for (int64_t i = lower; i <= upper; i++) out.push_back(elements[static_cast<size_t>(i - 1)]);
    return array::make(element, out);
  });
}

// ---- comparisons -----------------------------------------------------------------------------

bool holds(CompareOp op, int c) {
  switch (op) {
    case CompareOp::kEq: return c == 0;
    case CompareOp::kNe: return c != 0;
    case CompareOp::kLt: return c < 0;
    case CompareOp::kLe: return c <= 0;
    case CompareOp::kGt: return c > 0;
    case CompareOp::kGe: return c >= 0;
  }
  return false;
}

template <CompareOp OP>
void compare_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  const LogicalType element = args[0]->type().element_type();
  each_row(args, sel, count, result, true, [&](const std::vector<Value>& v) -> std::optional<Value> {
    return Value::boolean(holds(OP, array::compare(element, v[0].get_string(), v[1].get_string())));
  });
}

template <bool DISTINCT>
void distinct_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  const LogicalType element = args[0]->type().element_type();
  each_row(args, sel, count, result, false, [&](const std::vector<Value>& v) -> std::optional<Value> {
    bool same = v[0].is_null() && v[1].is_null();
    if (!v[0].is_null() && !v[1].is_null()) same = array::compare(element, v[0].get_string(), v[1].get_string()) == 0;
    return Value::boolean(DISTINCT ? !same : same);
  });
}

/// x op ANY (array) / x op ALL (array), PostgreSQL's ScalarArrayOpExpr: NULL when no element
/// decides the result and some comparison is NULL.
template <CompareOp OP, bool ALL>
void any_all_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  each_row(args, sel, count, result, false, [&](const std::vector<Value>& v) -> std::optional<Value> {
    if (v[1].is_null()) return std::nullopt;
    const std::vector<Value> elements = array::elements(v[1]);
    if (elements.empty()) return Value::boolean(ALL);
    bool saw_null = false;
    for (const Value& e : elements) {
      if (v[0].is_null() || e.is_null()) {
        saw_null = true;
        continue;
      }
      const bool h = holds(OP, array::compare_elements(v[0], e));
      if (ALL ? !h : h) return Value::boolean(!ALL);
    }
    if (saw_null) return std::nullopt;
    return Value::boolean(ALL);
  });
}

/// Whether every element of `a` occurs in `b` (PostgreSQL's array_contain_compare:
/// a NULL element never matches).
bool contained(const std::vector<Value>& a, const std::vector<Value>& b) {
  for (const Value& x : a) {
    if (x.is_null()) return false;
    bool found = false;
    for (const Value& y : b) {
      if (!y.is_null() && array::compare_elements(x, y) == 0) {
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}

template <int KIND>  // 0: a @> b, 1: a <@ b, 2: a && b
void containment_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  each_row(args, sel, count, result, true, [&](const std::vector<Value>& v) -> std::optional<Value> {
    const std::vector<Value> a = array::elements(v[0]);
    const std::vector<Value> b = array::elements(v[1]);
    if (KIND == 0) return Value::boolean(contained(b, a));
    if (KIND == 1) return Value::boolean(contained(a, b));
    for (const Value& x : a) {
      if (x.is_null()) continue;
      for (const Value& y : b) {
        if (!y.is_null() && array::compare_elements(x, y) == 0) return Value::boolean(true);
      }
    }
    return Value::boolean(false);
  });
}

// ---- functions -------------------------------------------------------------------------------

template <int KIND>  // 0 array_length, 1 array_upper, 2 array_lower
void bound_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  each_row(args, sel, count, result, true, [&](const std::vector<Value>& v) -> std::optional<Value> {
    const size_t n = array::elements(v[0]).size();
    if (n == 0 || v[1].get_int64() != 1) return std::nullopt;
    return Value::integer(KIND == 2 ? 1 : static_cast<int32_t>(n));
  });
}

void cardinality_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  each_row(args, sel, count, result, true, [&](const std::vector<Value>& v) -> std::optional<Value> {
    return Value::integer(static_cast<int32_t>(array::elements(v[0]).size()));
  });
}

void ndims_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  each_row(args, sel, count, result, true, [&](const std::vector<Value>& v) -> std::optional<Value> {
    if (array::elements(v[0]).empty()) return std::nullopt;
    return Value::integer(1);
  });
}

void dims_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  each_row(args, sel, count, result, true, [&](const std::vector<Value>& v) -> std::optional<Value> {
    const size_t n = array::elements(v[0]).size();
    if (n == 0) return std::nullopt;
    return Value::varchar("[1:" + std::to_string(n) + "]");
  });
}

std::string element_text(const Value& v) {
  if (v.type().id() == LogicalTypeId::kBoolean) return v.get_bool() ? "t" : "f";
  return v.to_string();
}

void array_to_string_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  each_row(args, sel, count, result, false, [&](const std::vector<Value>& v) -> std::optional<Value> {
    if (v[0].is_null() || v[1].is_null()) return std::nullopt;
    const bool has_null_string = v.size() > 2 && !v[2].is_null();
    std::string out;
    bool first = true;
    for (const Value& e : array::elements(v[0])) {
      if (e.is_null() && !has_null_string) continue;
      if (!first) out += v[1].get_string();
      first = false;
      out += e.is_null() ? v[2].get_string() : element_text(e);
    }
    return Value::varchar(std::move(out));
  });
}

void string_to_array_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  const LogicalType text = LogicalType::varchar();
  each_row(args, sel, count, result, false, [&](const std::vector<Value>& v) -> std::optional<Value> {
    if (v[0].is_null()) return std::nullopt;
    const std::string& s = v[0].get_string();
    std::vector<std::string> parts;
    if (s.empty()) {
      // An empty input gives an empty array.
    } else if (v[1].is_null()) {
      // A NULL delimiter splits into characters.
      size_t i = 0;
      while (i < s.size()) {
        size_t len = 1;
        const auto lead = static_cast<unsigned char>(s[i]);
        if (lead >= 0xF0) len = 4;
        else if (lead >= 0xE0) len = 3;
        else if (lead >= 0xC0) len = 2;
        parts.push_back(s.substr(i, len));
        i += len;
      }
    } else if (v[1].get_string().empty()) {
      parts.push_back(s);
    } else {
      const std::string& d = v[1].get_string();
      size_t start = 0;
      while (true) {
        const size_t at = s.find(d, start);
        if (at == std::string::npos) {
          parts.push_back(s.substr(start));
          break;
        }
        parts.push_back(s.substr(start, at - start));
        start = at + d.size();
      }
    }
    const bool has_null_string = v.size() > 2 && !v[2].is_null();
    std::vector<Value> elements;
    for (std::string& p : parts) {
      if (has_null_string && p == v[2].get_string()) {
        elements.push_back(Value::null(text));
      } else {
        elements.push_back(Value::varchar(std::move(p)));
      }
    }
    return array::make(text, elements);
  });
}

template <bool ALL_POSITIONS>
void position_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  each_row(args, sel, count, result, false, [&](const std::vector<Value>& v) -> std::optional<Value> {
    if (v[0].is_null()) return std::nullopt;
    const std::vector<Value> elements = array::elements(v[0]);
    size_t start = 0;
    if (v.size() > 2) {
      if (v[2].is_null()) {
        throw SqlError(SqlState::kNullValueNotAllowed, "initial position must not be null");
      }
      start = static_cast<size_t>(std::max<int64_t>(v[2].get_int64(), 1) - 1);
    }
    std::vector<Value> found;
    for (size_t i = start; i < elements.size(); i++) {
      if (same_element(elements[i], v[1])) {
        if (!ALL_POSITIONS) return Value::integer(static_cast<int32_t>(i + 1));
        found.push_back(Value::integer(static_cast<int32_t>(i + 1)));
      }
    }
    if (!ALL_POSITIONS) return std::nullopt;
    return array::make(LogicalType::integer(), found);
  });
}

template <int KIND>  // 0 array_append(a, x), 1 array_prepend(x, a), 2 array_cat(a, b)
void combine_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  const LogicalType element = result.type().element_type();
  each_row(args, sel, count, result, false, [&](const std::vector<Value>& v) -> std::optional<Value> {
    std::vector<Value> out;
    if (KIND == 0) {
      if (!v[0].is_null()) out = array::elements(v[0]);
      out.push_back(v[1]);
    } else if (KIND == 1) {
      out.push_back(v[0]);
      if (!v[1].is_null()) {
        for (Value& e : array::elements(v[1])) out.push_back(std::move(e));
      }
    } else {
      if (v[0].is_null() && v[1].is_null()) return std::nullopt;
      if (v[0].is_null()) return v[1];
      if (v[1].is_null()) return v[0];
      out = array::elements(v[0]);
      for (Value& e : array::elements(v[1])) out.push_back(std::move(e));
    }
    return array::make(element, out);
  });
}

void remove_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  const LogicalType element = result.type().element_type();
  each_row(args, sel, count, result, false, [&](const std::vector<Value>& v) -> std::optional<Value> {
    if (v[0].is_null()) return std::nullopt;
    std::vector<Value> out;
    for (Value& e : array::elements(v[0])) {
      if (!same_element(e, v[1])) out.push_back(std::move(e));
    }
    return array::make(element, out);
  });
}

// ---- array_agg -------------------------------------------------------------------------------

/// The elements gathered so far, encoded, in a buffer of the aggregate's StringHeap (a full
/// buffer is replaced by one twice as large; the old one stays in the heap until it is freed).
struct ArrayAggState {
  char* data;
  uint32_t size;
  uint32_t capacity;
  uint64_t rows;
};

void array_agg_append(ArrayAggState& s, std::string_view bytes, StringHeap& heap) {
  if (s.size + bytes.size() > s.capacity) {
    size_t capacity = std::max<size_t>(64, static_cast<size_t>(s.capacity) * 2);
    while (capacity < s.size + bytes.size()) capacity *= 2;
    if (capacity > UINT32_MAX) throw SqlError(SqlState::kProgramLimitExceeded, "array size exceeds the maximum allowed");
    char* data = heap.allocate(capacity);
    if (s.size > 0) std::memcpy(data, s.data, s.size);
    s.data = data;
    s.capacity = static_cast<uint32_t>(capacity);
  }
  if (!bytes.empty()) std::memcpy(s.data + s.size, bytes.data(), bytes.size());
  s.size += static_cast<uint32_t>(bytes.size());
}

void array_agg_init(catalog::AggregateState* const* states, size_t offset, size_t count) {
  for (size_t i = 0; i < count; i++) std::memset(states[i] + offset, 0, sizeof(ArrayAggState));
}

void array_agg_update(std::span<const Vector> args, size_t count, catalog::AggregateState* const* states, size_t offset,
                      StringHeap& heap) {
  const LogicalType element = args[0].type();
  std::string bytes;
  for (size_t i = 0; i < count; i++) {
    auto& s = *reinterpret_cast<ArrayAggState*>(states[i] + offset);
    bytes.clear();
    array::append_element(bytes, element, args[0].get_value(i));
    array_agg_append(s, bytes, heap);
    s.rows++;
  }
}

void array_agg_combine(const catalog::AggregateState* const* sources, catalog::AggregateState* const* targets,
                       size_t offset, size_t count, StringHeap& heap) {
  for (size_t i = 0; i < count; i++) {
    const auto& s = *reinterpret_cast<const ArrayAggState*>(sources[i] + offset);
    auto& t = *reinterpret_cast<ArrayAggState*>(targets[i] + offset);
    if (s.rows == 0) continue;
    array_agg_append(t, std::string_view(s.data, s.size), heap);
    t.rows += s.rows;
  }
}

void array_agg_finalize(const catalog::AggregateState* const* states, size_t offset, size_t count, Vector& result) {
  for (size_t i = 0; i < count; i++) {
    const auto& s = *reinterpret_cast<const ArrayAggState*>(states[i] + offset);
    if (s.rows == 0) {
      result.set_value(i, Value::null(result.type()));
      continue;
    }
    std::string bytes(s.data, s.size);
    array::append_end(bytes);
    result.set_value(i, Value::array(result.type(), std::move(bytes)));
  }
}

catalog::ScalarFunction poly(std::string name, catalog::FunctionKind kind, std::vector<ParamType> params,
                             ParamType result, catalog::ScalarKernel kernel, bool strict = true) {
  catalog::ScalarFunction f;
  f.name = std::move(name);
  f.kind = kind;
  f.params = std::move(params);
  f.result = result;
  f.execute = kernel;
  f.strict = strict;
  return f;
}

template <CompareOp OP>
void add_any_all(catalog::FunctionRegistry& registry, const std::string& symbol) {
  constexpr auto kOp = catalog::FunctionKind::kOperator;
  const ParamType boolean = ParamType::of(LogicalType::boolean());
  registry.add(poly(symbol + " ANY", kOp, {ParamType::any_compatible(), ParamType::any_array()}, boolean,
                    any_all_kernel<OP, false>, false));
  registry.add(poly(symbol + " ALL", kOp, {ParamType::any_compatible(), ParamType::any_array()}, boolean,
                    any_all_kernel<OP, true>, false));
  registry.add(poly(symbol, kOp, {ParamType::any_array_exact(), ParamType::any_array_exact()}, boolean, compare_kernel<OP>));
}

}  // namespace

void register_array_functions(catalog::FunctionRegistry& registry) {
  constexpr auto kOp = catalog::FunctionKind::kOperator;
  constexpr auto kFn = catalog::FunctionKind::kFunction;
  const ParamType arr = ParamType::any_array();
  const ParamType any_arr = ParamType::any_array_exact();
  const ParamType elem = ParamType::any_compatible();
  const ParamType integer = ParamType::of(LogicalType::integer());
  const ParamType text = ParamType::of(LogicalType::varchar());
  const ParamType boolean = ParamType::of(LogicalType::boolean());

  // Internal operators the binder calls for ARRAY[...], a[i] and a[i:j] (names no SQL spells).
  catalog::ScalarFunction construct = poly("ARRAY[]", kOp, {elem}, arr, construct_kernel, false);
  construct.variadic = true;
  registry.add(std::move(construct));
  registry.add(poly("[]", kOp, {arr, integer}, elem, subscript_kernel));
  registry.add(poly("[:]", kOp, {arr, integer, integer}, arr, slice_kernel));

  add_any_all<CompareOp::kEq>(registry, "=");
  add_any_all<CompareOp::kNe>(registry, "<>");
  add_any_all<CompareOp::kLt>(registry, "<");
  add_any_all<CompareOp::kLe>(registry, "<=");
  add_any_all<CompareOp::kGt>(registry, ">");
  add_any_all<CompareOp::kGe>(registry, ">=");
  registry.add(poly("IS DISTINCT FROM", kOp, {any_arr, any_arr}, boolean, distinct_kernel<true>, false));
  registry.add(poly("IS NOT DISTINCT FROM", kOp, {any_arr, any_arr}, boolean, distinct_kernel<false>, false));
  registry.add(poly("@>", kOp, {any_arr, any_arr}, boolean, containment_kernel<0>));
  registry.add(poly("<@", kOp, {any_arr, any_arr}, boolean, containment_kernel<1>));
  registry.add(poly("&&", kOp, {any_arr, any_arr}, boolean, containment_kernel<2>));
  registry.add(poly("||", kOp, {arr, arr}, arr, combine_kernel<2>, false));
  registry.add(poly("||", kOp, {arr, elem}, arr, combine_kernel<0>, false));
  registry.add(poly("||", kOp, {elem, arr}, arr, combine_kernel<1>, false));

  registry.add(poly("array_length", kFn, {any_arr, integer}, integer, bound_kernel<0>));
  registry.add(poly("array_upper", kFn, {any_arr, integer}, integer, bound_kernel<1>));
  registry.add(poly("array_lower", kFn, {any_arr, integer}, integer, bound_kernel<2>));
  registry.add(poly("cardinality", kFn, {any_arr}, integer, cardinality_kernel));
  registry.add(poly("array_ndims", kFn, {any_arr}, integer, ndims_kernel));
  registry.add(poly("array_dims", kFn, {any_arr}, text, dims_kernel));
  auto to_string2 = poly("array_to_string", kFn, {any_arr, text}, text, array_to_string_kernel);
  to_string2.volatility = catalog::Volatility::kStable;
  registry.add(std::move(to_string2));
  auto to_string3 = poly("array_to_string", kFn, {any_arr, text, text}, text, array_to_string_kernel, false);
  to_string3.volatility = catalog::Volatility::kStable;
  registry.add(std::move(to_string3));
  const ParamType text_array = ParamType::of(LogicalType::array_of(LogicalType::varchar()));
  registry.add(poly("string_to_array", kFn, {text, text}, text_array, string_to_array_kernel, false));
  registry.add(poly("string_to_array", kFn, {text, text, text}, text_array, string_to_array_kernel, false));
  registry.add(poly("array_position", kFn, {arr, elem}, integer, position_kernel<false>, false));
  registry.add(poly("array_position", kFn, {arr, elem, integer}, integer, position_kernel<false>, false));
  registry.add(poly("array_positions", kFn, {arr, elem}, ParamType::of(LogicalType::array_of(LogicalType::integer())),
                    position_kernel<true>, false));
  registry.add(poly("array_append", kFn, {arr, elem}, arr, combine_kernel<0>, false));
  registry.add(poly("array_prepend", kFn, {elem, arr}, arr, combine_kernel<1>, false));
  registry.add(poly("array_cat", kFn, {arr, arr}, arr, combine_kernel<2>, false));
  registry.add(poly("array_remove", kFn, {arr, elem}, arr, remove_kernel, false));

  catalog::AggregateFunction agg;
  agg.name = "array_agg";
  agg.params = {ParamType::any_non_array()};
  agg.result = arr;
  agg.state_size = sizeof(ArrayAggState);
  agg.state_alignment = alignof(ArrayAggState);
  agg.init = array_agg_init;
  agg.update = array_agg_update;
  agg.combine = array_agg_combine;
  agg.finalize = array_agg_finalize;
  registry.add(std::move(agg));
}

}  // namespace tessera::executor
