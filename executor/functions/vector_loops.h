#pragma once

#include <cmath>
#include <type_traits>
#include <utility>

#include "src/common/datetime.h"
#include "src/common/string_t.h"
#include "src/common/vector.h"

namespace tessera::executor {

// Row loops the scalar function kernels are written with. Rows are sel[0..count) (0..count
// when sel is null); row r of the result corresponds to row r of the arguments. The *_strict
// loops rely on the caller's NULL handling for strict functions: rows already invalid in the
// result are skipped, so the operation never sees a NULL argument.

template <class F>
inline void for_each_row(const sel_t* sel, size_t count, F&& f) {
  if (sel) {
    for (size_t i = 0; i < count; i++) f(sel[i]);
  } else {
    for (size_t i = 0; i < count; i++) f(static_cast<sel_t>(i));
  }
}

/// result[r] = op(a[r]) for the rows valid in `result`.
template <class A, class R, class OP>
void unary_strict(const Vector& a, const sel_t* sel, size_t count, Vector& result, OP&& op) {
  UnifiedVectorFormat ua;
  a.to_unified(count, ua);
  const A* av = ua.values<A>();
  R* out = result.mutable_values<R>();
  const ValidityMask& rv = std::as_const(result).validity();
  if (rv.all_valid()) {
    for_each_row(sel, count, [&](sel_t r) { out[r] = op(av[ua.sel.get_index(r)]); });
    return;
  }
  for_each_row(sel, count, [&](sel_t r) {
    if (rv.row_is_valid(r)) out[r] = op(av[ua.sel.get_index(r)]);
  });
}

/// result[r] = op(a[r], b[r]) for the rows valid in `result`.
template <class A, class B, class R, class OP>
void binary_strict(const Vector& a, const Vector& b, const sel_t* sel, size_t count, Vector& result, OP&& op) {
  UnifiedVectorFormat ua, ub;
  a.to_unified(count, ua);
  b.to_unified(count, ub);
  const A* av = ua.values<A>();
  const B* bv = ub.values<B>();
  R* out = result.mutable_values<R>();
  const ValidityMask& rv = std::as_const(result).validity();
  if (rv.all_valid()) {
    for_each_row(sel, count, [&](sel_t r) { out[r] = op(av[ua.sel.get_index(r)], bv[ub.sel.get_index(r)]); });
    return;
  }
  for_each_row(sel, count, [&](sel_t r) {
    if (rv.row_is_valid(r)) out[r] = op(av[ua.sel.get_index(r)], bv[ub.sel.get_index(r)]);
  });
}

/// Three-way comparison in PostgreSQL's order: NaN above every other float/double and equal to itself;
/// strings bytewise (the C collation).
template <class T>
inline int compare_values(const T& a, const T& b) {
  if constexpr (std::is_same_v<T, double> || std::is_same_v<T, float>) {
    bool an = std::isnan(a), bn = std::isnan(b);
    if (an || bn) return an && bn ? 0 : (an ? 1 : -1);
    return a < b ? -1 : (a > b ? 1 : 0);
  } else if constexpr (std::is_same_v<T, string_t>) {
    return compare(a, b);
  } else if constexpr (std::is_same_v<T, Interval>) {
    return compare_intervals(a, b);
  } else if constexpr (std::is_same_v<T, Numeric>) {
    return numeric::compare(a, b);
  } else {
    return a < b ? -1 : (a > b ? 1 : 0);
  }
}

/// Fills the selected rows of `result` with one string.
inline void fill_string(std::string_view s, const sel_t* sel, size_t count, Vector& result) {
  string_t v = result.string_heap().add(s);
  string_t* out = result.mutable_values<string_t>();
  for_each_row(sel, count, [&](sel_t r) { out[r] = v; });
}

}  // namespace tessera::executor
