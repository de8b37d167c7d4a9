#pragma once

#include <cstddef>
#include <span>
#include <tuple>
#include <utility>

#include "executor/functions/vector_loops.h"
#include "src/common/string_t.h"
#include "src/common/vector.h"

namespace tessera::executor {

// Row loops over any number of arguments for the string and pattern functions: the values are
// read through each argument's unified format (no per-row Value), `op(row, args...)` returns
// the result of row `row`. Like the *_strict loops, rows already invalid in `result` (a NULL
// argument of a strict function) are skipped.

namespace internal {
template <class R, class... A, size_t... I, class OP>
void nary_strict_impl(std::index_sequence<I...>, std::span<const Vector* const> args, const sel_t* sel, size_t count,
                      Vector& result, OP& op) {
  UnifiedVectorFormat formats[sizeof...(A)];
  ((args[I]->to_unified(count, formats[I])), ...);
  const std::tuple<const A*...> values{formats[I].template values<A>()...};
  R* out = result.mutable_values<R>();
  const ValidityMask& rv = std::as_const(result).validity();
  const bool all_valid = rv.all_valid();
  for_each_row(sel, count, [&](sel_t r) {
    if (!all_valid && !rv.row_is_valid(r)) return;
    out[r] = op(r, std::get<I>(values)[formats[I].sel.get_index(r)]...);
  });
}
}  // namespace internal

/// result[r] = op(r, a0[r], a1[r], ...) over the rows valid in `result`; the argument types A...
/// are the physical value types (string_t, int32_t, int64_t, ...).
template <class R, class... A, class OP>
void nary_strict(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, OP&& op) {
  internal::nary_strict_impl<R, A...>(std::index_sequence_for<A...>{}, args, sel, count, result, op);
}

}  // namespace tessera::executor
