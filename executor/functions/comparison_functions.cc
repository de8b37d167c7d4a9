// Comparison operators = <> < <= > >= and IS [NOT] DISTINCT FROM over boolean, smallint,
// integer, bigint, double precision and text. Numeric comparisons also have a filter fast path
// (SIMD selection kernels) that WHERE clauses use directly.

#include <optional>
#include <vector>

#include "executor/functions/builtin_functions.h"
#include "executor/functions/registration.h"
#include "executor/functions/vector_loops.h"
#include "executor/kernels/compare.h"

namespace tessera::executor {

namespace {

template <CompareOp OP>
constexpr bool holds(int c) {
  switch (OP) {
    case CompareOp::kEq: return c == 0;
    case CompareOp::kNe: return c != 0;
    case CompareOp::kLt: return c < 0;
    case CompareOp::kLe: return c <= 0;
    case CompareOp::kGt: return c > 0;
    case CompareOp::kGe: return c >= 0;
  }
  return false;
}

template <class T, CompareOp OP>
void compare_kernel(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  binary_strict<T, T, uint8_t>(*args[0], *args[1], sel, count, result,
                               [](const T& x, const T& y) { return static_cast<uint8_t>(holds<OP>(compare_values(x, y))); });
}

/// The filter path of a numeric comparison of a flat vector with a constant or another flat
/// vector; nullopt for other representations.
template <class T, CompareOp OP>
std::optional<size_t> compare_select(std::span<const Vector* const> args, const sel_t* sel, size_t count, sel_t* true_sel,
                                     const catalog::FunctionData*) {
  const Vector* left = args[0];
  const Vector* right = args[1];
  CompareOp op = OP;
  if (left->vector_type() == VectorType::kConstant && right->vector_type() != VectorType::kConstant) {
    std::swap(left, right);
    op = flip(op);
  }
  if (left->vector_type() != VectorType::kFlat) return std::nullopt;
  const bool right_constant = right->vector_type() == VectorType::kConstant;
  if (!right_constant && right->vector_type() != VectorType::kFlat) return std::nullopt;
  if (right_constant && !right->validity().row_is_valid(0)) return 0;  // x op NULL is never true

  // NULLs never compare true: narrow the selection to rows valid on both sides.
  std::vector<sel_t> valid;
  const bool has_nulls = !left->validity().all_valid() || (!right_constant && !right->validity().all_valid());
  if (has_nulls) {
    valid.reserve(count);
    for (size_t i = 0; i < count; i++) {
      sel_t r = sel ? sel[i] : static_cast<sel_t>(i);
      if (left->validity().row_is_valid(r) && (right_constant || right->validity().row_is_valid(r))) valid.push_back(r);
    }
    sel = valid.data();
    count = valid.size();
  }
  if (right_constant) return select_compare_constant(op, left->values<T>(), right->values<T>()[0], count, sel, true_sel);
  return select_compare_vectors(op, left->values<T>(), right->values<T>(), count, sel, true_sel);
}

template <class T, bool DISTINCT>
void distinct_kernel(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  UnifiedVectorFormat ua, ub;
  args[0]->to_unified(count, ua);
  args[1]->to_unified(count, ub);
  const T* av = ua.values<T>();
  const T* bv = ub.values<T>();
  uint8_t* out = result.mutable_values<uint8_t>();
  for_each_row(sel, count, [&](sel_t r) {
    sel_t ia = ua.sel.get_index(r), ib = ub.sel.get_index(r);
    bool va = ua.validity->row_is_valid(ia), vb = ub.validity->row_is_valid(ib);
    bool same = (!va && !vb) || (va && vb && compare_values(av[ia], bv[ib]) == 0);
    out[r] = DISTINCT ? !same : same;
  });
}

template <class T, CompareOp OP>
void add_comparison(catalog::FunctionRegistry& registry, const char* name, const LogicalType& t) {
  auto f = make_operator(name, {t, t}, LogicalType::boolean(), compare_kernel<T, OP>);
  f.hashable = OP == CompareOp::kEq;
  if constexpr (!std::is_same_v<T, string_t> && !std::is_same_v<T, uint8_t> && !std::is_same_v<T, Interval> &&
                !std::is_same_v<T, float> && !std::is_same_v<T, Numeric>) {
    f.select = compare_select<T, OP>;
  }
  registry.add(std::move(f));
}

template <class T>
void register_type(catalog::FunctionRegistry& registry, const LogicalType& t) {
  add_comparison<T, CompareOp::kEq>(registry, "=", t);
  add_comparison<T, CompareOp::kNe>(registry, "<>", t);
  add_comparison<T, CompareOp::kLt>(registry, "<", t);
  add_comparison<T, CompareOp::kLe>(registry, "<=", t);
  add_comparison<T, CompareOp::kGt>(registry, ">", t);
  add_comparison<T, CompareOp::kGe>(registry, ">=", t);
  auto distinct = make_operator("IS DISTINCT FROM", {t, t}, LogicalType::boolean(), distinct_kernel<T, true>);
  distinct.strict = false;
  registry.add(std::move(distinct));
  auto not_distinct = make_operator("IS NOT DISTINCT FROM", {t, t}, LogicalType::boolean(), distinct_kernel<T, false>);
  not_distinct.strict = false;
  registry.add(std::move(not_distinct));
}

// ---- real (float4) ----

/// real vs double precision (either order), compared in double precision: a real widens exactly.
template <class A, class B, CompareOp OP>
void mixed_float_compare_kernel(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result,
                                const catalog::FunctionData*) {
  binary_strict<A, B, uint8_t>(*args[0], *args[1], sel, count, result, [](A x, B y) {
    return static_cast<uint8_t>(holds<OP>(compare_values<double>(static_cast<double>(x), static_cast<double>(y))));
  });
}

template <class A, class B>
void register_mixed_float(catalog::FunctionRegistry& registry, const LogicalType& a, const LogicalType& b) {
  const LogicalType boolean = LogicalType::boolean();
  registry.add(make_operator("=", {a, b}, boolean, mixed_float_compare_kernel<A, B, CompareOp::kEq>));
  registry.add(make_operator("<>", {a, b}, boolean, mixed_float_compare_kernel<A, B, CompareOp::kNe>));
  registry.add(make_operator("<", {a, b}, boolean, mixed_float_compare_kernel<A, B, CompareOp::kLt>));
  registry.add(make_operator("<=", {a, b}, boolean, mixed_float_compare_kernel<A, B, CompareOp::kLe>));
  registry.add(make_operator(">", {a, b}, boolean, mixed_float_compare_kernel<A, B, CompareOp::kGt>));
  registry.add(make_operator(">=", {a, b}, boolean, mixed_float_compare_kernel<A, B, CompareOp::kGe>));
}

void register_real(catalog::FunctionRegistry& registry) {
  register_type<float>(registry, LogicalType::real());
  register_mixed_float<float, double>(registry, LogicalType::real(), LogicalType::double_precision());
  register_mixed_float<double, float>(registry, LogicalType::double_precision(), LogicalType::real());
}

}  // namespace

void register_comparison_functions(catalog::FunctionRegistry& registry) {
  register_type<uint8_t>(registry, LogicalType::boolean());
  register_type<int16_t>(registry, LogicalType::smallint());
  register_type<int32_t>(registry, LogicalType::integer());
  register_type<int64_t>(registry, LogicalType::bigint());
  register_type<double>(registry, LogicalType::double_precision());
  register_real(registry);
  register_type<string_t>(registry, LogicalType::varchar());
  // bpchar: values are held without trailing blanks, so text's comparison is bpchar's.
  register_type<string_t>(registry, LogicalType::bpchar());
  // bytea and uuid: bytewise, as PostgreSQL's byteacmp and uuid_cmp.
  register_type<string_t>(registry, LogicalType::bytea());
  register_type<string_t>(registry, LogicalType::uuid());
  register_type<int32_t>(registry, LogicalType::date());
  register_type<int64_t>(registry, LogicalType::time());
  register_type<int64_t>(registry, LogicalType::timestamp());
  register_type<int64_t>(registry, LogicalType::timestamptz());
  register_type<Interval>(registry, LogicalType::interval());
  register_type<Numeric>(registry, LogicalType::numeric());
}

}  // namespace tessera::executor
