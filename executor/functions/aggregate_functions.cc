// Aggregates: count(*), count("any"), sum, avg, min, max, bool_and / every, bool_or, and the
// variance family (var_samp / variance, var_pop, stddev_samp / stddev, stddev_pop), string_agg,
// bit_and / bit_or / bit_xor, and the two-variable statistics (corr, covar_*, regr_*). Integer
// sums are exact (128-bit state; sum(smallint|integer) must fit bigint, sum(bigint) and avg over
// integers are numeric, as in PostgreSQL). sum, avg, min and max over numeric keep the numeric
// value (add with PostgreSQL's scales; avg divides with numeric division's). count, and sum and avg over
// integers, have a retract (the inverse of update); over double precision they have none, as in
// PostgreSQL (a float sum cannot be undone exactly). Ungrouped count and sum fold whole chunks
// with the SIMD kernels.

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "executor/functions/builtin_functions.h"
#include "executor/functions/registration.h"
#include "executor/functions/vector_loops.h"
#include "executor/kernels/aggregate.h"
#include "src/common/sql_error.h"

namespace tessera::executor {

namespace {

using catalog::AggregateState;

struct CountState {
  int64_t count;
};
struct IntSumState {
  __int128 sum;
  int64_t count;  ///< values folded in; the sum is NULL while 0
};
struct DoubleSumState {
  double sum;
  int64_t count;
};
template <class T>
struct ExtremumState {
  T value;
  uint8_t has_value;
  uint8_t dirty;  ///< string states only: value still points into the input chunk
};
struct BoolState {
  uint8_t value;
  uint8_t has_value;
};

template <class S>
inline S& state(AggregateState* p) {
  return *reinterpret_cast<S*>(p);
}
template <class S>
inline const S& state(const AggregateState* p) {
  return *reinterpret_cast<const S*>(p);
}

/// The finalize of states holding an optional value (`value`, `has_value`): the value, or NULL
/// for a group that saw no non-NULL input (min/max, bool_and/bool_or, the bit aggregates).
template <class S, class T>
void optional_value_finalize(const AggregateState* const* states, size_t offset, size_t count, Vector& result) {
  T* out = result.mutable_values<T>();
  ValidityMask& validity = result.mutable_validity();
  for (size_t i = 0; i < count; i++) {
    const auto& s = state<S>(states[i] + offset);
    if (s.has_value) {
      out[i] = s.value;
    } else {
      validity.set_invalid(i);
    }
  }
}

/// Calls fn(row, value) for the valid rows [0, count) of `v`.
template <class T, class F>
inline void for_each_valid(const Vector& v, size_t count, F&& fn) {
  UnifiedVectorFormat f;
  v.to_unified(count, f);
  const T* values = f.values<T>();
  if (f.validity->all_valid()) {
    if (!f.sel.is_set()) {
      for (size_t i = 0; i < count; i++) fn(i, values[i]);
    } else {
      for (size_t i = 0; i < count; i++) fn(i, values[f.sel.get_index(i)]);
    }
    return;
  }
  for (size_t i = 0; i < count; i++) {
    const sel_t idx = f.sel.get_index(i);
    if (f.validity->row_is_valid(idx)) fn(i, values[idx]);
  }
}

/// Calls fn(row) for the valid rows [0, count) of `v`.
template <class F>
inline void for_each_valid_row(const Vector& v, size_t count, F&& fn) {
  UnifiedVectorFormat f;
  v.to_unified(count, f);
  if (f.validity->all_valid()) {
    for (size_t i = 0; i < count; i++) fn(i);
    return;
  }
  for (size_t i = 0; i < count; i++) {
    if (f.validity->row_is_valid(f.sel.get_index(i))) fn(i);
  }
}

template <class S>
void zero_init(AggregateState* const* states, size_t offset, size_t count) {
  for (size_t i = 0; i < count; i++) std::memset(states[i] + offset, 0, sizeof(S));
}

[[noreturn]] void bigint_out_of_range() { throw SqlError(SqlState::kNumericValueOutOfRange, "bigint out of range"); }

// ---- count ---------------------------------------------------------------------------------

void count_star_update(std::span<const Vector>, size_t count, AggregateState* const* states, size_t offset, StringHeap&) {
  for (size_t i = 0; i < count; i++) state<CountState>(states[i] + offset).count++;
}

void count_star_simple(std::span<const Vector>, size_t count, AggregateState* s, StringHeap&) {
  state<CountState>(s).count += static_cast<int64_t>(count);
}

void count_star_retract(std::span<const Vector>, size_t count, AggregateState* const* states, size_t offset) {
  for (size_t i = 0; i < count; i++) state<CountState>(states[i] + offset).count--;
}

void count_update(std::span<const Vector> args, size_t count, AggregateState* const* states, size_t offset, StringHeap&) {
  UnifiedVectorFormat f;
  args[0].to_unified(count, f);
  if (f.validity->all_valid()) {
    for (size_t i = 0; i < count; i++) state<CountState>(states[i] + offset).count++;
  } else {
    for (size_t i = 0; i < count; i++) state<CountState>(states[i] + offset).count += f.validity->row_is_valid(f.sel.get_index(i)) ? 1 : 0;
  }
}

void count_simple(std::span<const Vector> args, size_t count, AggregateState* s, StringHeap&) {
  const Vector& v = args[0];
  if (v.vector_type() != VectorType::kFlat) {
    int64_t n = 0;
    for_each_valid_row(v, count, [&](size_t) { n++; });
    state<CountState>(s).count += n;
    return;
  }
  const uint64_t* validity = v.validity().all_valid() ? nullptr : v.validity().data();
  state<CountState>(s).count += static_cast<int64_t>(count_valid(validity, count));
}

void count_retract(std::span<const Vector> args, size_t count, AggregateState* const* states, size_t offset) {
  UnifiedVectorFormat f;
  args[0].to_unified(count, f);
  for (size_t i = 0; i < count; i++) state<CountState>(states[i] + offset).count -= f.validity->row_is_valid(f.sel.get_index(i)) ? 1 : 0;
}

void count_combine(const AggregateState* const* sources, AggregateState* const* targets, size_t offset, size_t count, StringHeap&) {
  for (size_t i = 0; i < count; i++) state<CountState>(targets[i] + offset).count += state<CountState>(sources[i] + offset).count;
}

void count_finalize(const AggregateState* const* states, size_t offset, size_t count, Vector& result) {
  int64_t* out = result.mutable_values<int64_t>();
  for (size_t i = 0; i < count; i++) out[i] = state<CountState>(states[i] + offset).count;
}

// ---- sum and avg ---------------------------------------------------------------------------

template <class T>
void int_sum_update(std::span<const Vector> args, size_t count, AggregateState* const* states, size_t offset, StringHeap&) {
  for_each_valid<T>(args[0], count, [&](size_t i, T v) {
    auto& s = state<IntSumState>(states[i] + offset);
    s.sum += static_cast<int64_t>(v);
    s.count++;
  });
}

template <class T>
bool sum_kernel(const T* values, size_t count, const uint64_t* validity, int64_t* sum) {
  if constexpr (std::is_same_v<T, int16_t>) {
    return sum_i16(values, count, validity, sum);
  } else if constexpr (std::is_same_v<T, int32_t>) {
    return sum_i32(values, count, validity, sum);
  } else {
    return sum_i64(values, count, validity, sum);
  }
}

template <class T>
void int_sum_simple(std::span<const Vector> args, size_t count, AggregateState* s, StringHeap&) {
  const Vector& v = args[0];
  if (v.vector_type() == VectorType::kFlat) {
    const uint64_t* validity = v.validity().all_valid() ? nullptr : v.validity().data();
    int64_t sum = 0;
    // A chunk whose own sum leaves int64 takes the exact 128-bit row-at-a-time path.
    if (!sum_kernel<T>(v.values<T>(), count, validity, &sum)) {
      auto& st = state<IntSumState>(s);
      st.sum += sum;
      st.count += static_cast<int64_t>(count_valid(validity, count));
      return;
    }
  }
  // Other representations, and chunks whose own sum leaves int64: exact, row at a time.
  __int128 sum = 0;
  int64_t n = 0;
  for_each_valid<T>(v, count, [&](size_t, T x) {
    sum += static_cast<int64_t>(x);
    n++;
  });
  auto& st = state<IntSumState>(s);
  st.sum += sum;
  st.count += n;
}

template <class T>
void int_sum_retract(std::span<const Vector> args, size_t count, AggregateState* const* states, size_t offset) {
  for_each_valid<T>(args[0], count, [&](size_t i, T v) {
    auto& s = state<IntSumState>(states[i] + offset);
    s.sum -= static_cast<int64_t>(v);
    s.count--;
  });
}

void int_sum_combine(const AggregateState* const* sources, AggregateState* const* targets, size_t offset, size_t count, StringHeap&) {
  for (size_t i = 0; i < count; i++) {
    auto& t = state<IntSumState>(targets[i] + offset);
    const auto& s = state<IntSumState>(sources[i] + offset);
    t.sum += s.sum;
    t.count += s.count;
  }
}

void int_sum_finalize(const AggregateState* const* states, size_t offset, size_t count, Vector& result) {
  int64_t* out = result.mutable_values<int64_t>();
  ValidityMask& validity = result.mutable_validity();
  for (size_t i = 0; i < count; i++) {
    const auto& s = state<IntSumState>(states[i] + offset);
    if (s.count == 0) {
      validity.set_invalid(i);
      continue;
    }
    if (s.sum > std::numeric_limits<int64_t>::max() || s.sum < std::numeric_limits<int64_t>::min()) bigint_out_of_range();
    out[i] = static_cast<int64_t>(s.sum);
  }
}

/// sum(bigint) is numeric in PostgreSQL: the exact 128-bit sum.
void int_sum_numeric_finalize(const AggregateState* const* states, size_t offset, size_t count, Vector& result) {
  Numeric* out = result.mutable_values<Numeric>();
  ValidityMask& validity = result.mutable_validity();
  for (size_t i = 0; i < count; i++) {
    const auto& s = state<IntSumState>(states[i] + offset);
    if (s.count == 0) {
      validity.set_invalid(i);
    } else {
      out[i] = Numeric::make(s.sum, 0);
    }
  }
}

/// avg over integers is numeric in PostgreSQL: sum / count with numeric division's scale.
void int_avg_finalize(const AggregateState* const* states, size_t offset, size_t count, Vector& result) {
  Numeric* out = result.mutable_values<Numeric>();
  ValidityMask& validity = result.mutable_validity();
  for (size_t i = 0; i < count; i++) {
    const auto& s = state<IntSumState>(states[i] + offset);
    if (s.count == 0) {
      validity.set_invalid(i);
    } else {
      out[i] = numeric::div(Numeric::make(s.sum, 0), numeric::from_int64(s.count));
    }
  }
}

void double_sum_update(std::span<const Vector> args, size_t count, AggregateState* const* states, size_t offset, StringHeap&) {
  for_each_valid<double>(args[0], count, [&](size_t i, double v) {
    auto& s = state<DoubleSumState>(states[i] + offset);
    s.sum += v;
    s.count++;
  });
}

void double_sum_simple(std::span<const Vector> args, size_t count, AggregateState* s, StringHeap&) {
  const Vector& v = args[0];
  if (v.vector_type() != VectorType::kFlat) {
    auto& st = state<DoubleSumState>(s);
    for_each_valid<double>(v, count, [&](size_t, double x) {
      st.sum += x;
      st.count++;
    });
    return;
  }
  const uint64_t* validity = v.validity().all_valid() ? nullptr : v.validity().data();
  auto& st = state<DoubleSumState>(s);
  sum_f64(v.values<double>(), count, validity, &st.sum);
  st.count += static_cast<int64_t>(count_valid(validity, count));
}

void double_sum_combine(const AggregateState* const* sources, AggregateState* const* targets, size_t offset, size_t count, StringHeap&) {
  for (size_t i = 0; i < count; i++) {
    auto& t = state<DoubleSumState>(targets[i] + offset);
    const auto& s = state<DoubleSumState>(sources[i] + offset);
    t.sum += s.sum;
    t.count += s.count;
  }
}

template <bool AVG>
void double_sum_finalize(const AggregateState* const* states, size_t offset, size_t count, Vector& result) {
  double* out = result.mutable_values<double>();
  ValidityMask& validity = result.mutable_validity();
  for (size_t i = 0; i < count; i++) {
    const auto& s = state<DoubleSumState>(states[i] + offset);
    if (s.count == 0) {
      validity.set_invalid(i);
    } else {
      out[i] = AVG ? s.sum / static_cast<double>(s.count) : s.sum;
    }
  }
}

// ---- sum and avg over real ----------------------------------------------------------------

// sum(real) adds in single precision with real's overflow check (PostgreSQL's float4pl as the
// transition); avg(real) accumulates in double precision (float4_accum) into a DoubleSumState.
struct RealSumState {
  float sum;
  int64_t count;
};

inline float real_add(float x, float y) {
  const float r = x + y;
  if (std::isinf(r) && !std::isinf(x) && !std::isinf(y)) {
    throw SqlError(SqlState::kNumericValueOutOfRange, "value out of range: overflow");
  }
  return r;
}

void real_sum_update(std::span<const Vector> args, size_t count, AggregateState* const* states, size_t offset, StringHeap&) {
  for_each_valid<float>(args[0], count, [&](size_t i, float v) {
    auto& s = state<RealSumState>(states[i] + offset);
    s.sum = real_add(s.sum, v);
    s.count++;
  });
}

void real_sum_combine(const AggregateState* const* sources, AggregateState* const* targets, size_t offset, size_t count, StringHeap&) {
  for (size_t i = 0; i < count; i++) {
    auto& t = state<RealSumState>(targets[i] + offset);
    const auto& s = state<RealSumState>(sources[i] + offset);
    t.sum = real_add(t.sum, s.sum);
    t.count += s.count;
  }
}

void real_sum_finalize(const AggregateState* const* states, size_t offset, size_t count, Vector& result) {
  float* out = result.mutable_values<float>();
  ValidityMask& validity = result.mutable_validity();
  for (size_t i = 0; i < count; i++) {
    const auto& s = state<RealSumState>(states[i] + offset);
    if (s.count == 0) {
      validity.set_invalid(i);
    } else {
      out[i] = s.sum;
    }
  }
}

void real_avg_update(std::span<const Vector> args, size_t count, AggregateState* const* states, size_t offset, StringHeap&) {
  for_each_valid<float>(args[0], count, [&](size_t i, float v) {
    auto& s = state<DoubleSumState>(states[i] + offset);
    s.sum += v;
    s.count++;
  });
}

// ---- min and max ---------------------------------------------------------------------------

template <class T, bool MIN>
inline bool better(const T& candidate, const T& current) {
  const int c = compare_values(candidate, current);
  return MIN ? c < 0 : c > 0;
}

template <class T, bool MIN>
void extremum_update(std::span<const Vector> args, size_t count, AggregateState* const* states, size_t offset, StringHeap& heap) {
  if constexpr (std::is_same_v<T, string_t>) {
    // Winners point into the input until the end of the chunk; then each changed state's
    // winner is copied once into the heap.
    std::vector<ExtremumState<T>*> changed;
    for_each_valid<T>(args[0], count, [&](size_t i, const T& v) {
      auto& s = state<ExtremumState<T>>(states[i] + offset);
      if (s.has_value && !better<T, MIN>(v, s.value)) return;
      s.value = v;
      s.has_value = 1;
      if (!s.dirty) {
        s.dirty = 1;
        changed.push_back(&s);
      }
    });
    for (auto* s : changed) {
      s->value = heap.add(s->value);
      s->dirty = 0;
    }
  } else {
    for_each_valid<T>(args[0], count, [&](size_t i, T v) {
      auto& s = state<ExtremumState<T>>(states[i] + offset);
      if (!s.has_value || better<T, MIN>(v, s.value)) s.value = v;
      s.has_value = 1;
    });
  }
}

template <class T, bool MIN>
void extremum_combine(const AggregateState* const* sources, AggregateState* const* targets, size_t offset, size_t count, StringHeap& heap) {
  for (size_t i = 0; i < count; i++) {
    const auto& s = state<ExtremumState<T>>(sources[i] + offset);
    auto& t = state<ExtremumState<T>>(targets[i] + offset);
    if (!s.has_value) continue;
    if (t.has_value && !better<T, MIN>(s.value, t.value)) continue;
    if constexpr (std::is_same_v<T, string_t>) {
      t.value = heap.add(s.value);
    } else {
      t.value = s.value;
    }
    t.has_value = 1;
  }
}

// ---- bool_and / bool_or --------------------------------------------------------------------

template <bool AND>
void bool_update(std::span<const Vector> args, size_t count, AggregateState* const* states, size_t offset, StringHeap&) {
  for_each_valid<uint8_t>(args[0], count, [&](size_t i, uint8_t v) {
    auto& s = state<BoolState>(states[i] + offset);
    const uint8_t b = v != 0;
    s.value = s.has_value ? (AND ? (s.value & b) : (s.value | b)) : b;
    s.has_value = 1;
  });
}

template <bool AND>
void bool_combine(const AggregateState* const* sources, AggregateState* const* targets, size_t offset, size_t count, StringHeap&) {
  for (size_t i = 0; i < count; i++) {
    const auto& s = state<BoolState>(sources[i] + offset);
    auto& t = state<BoolState>(targets[i] + offset);
    if (!s.has_value) continue;
    t.value = t.has_value ? (AND ? (t.value & s.value) : (t.value | s.value)) : s.value;
    t.has_value = 1;
  }
}

// ---- sum / avg over numeric ----------------------------------------------------------------

struct NumericSumState {
  Numeric sum;
  int64_t count;  ///< values folded in; the sum is NULL while 0
};

void numeric_sum_update(std::span<const Vector> args, size_t count, AggregateState* const* states, size_t offset,
                        StringHeap&) {
  for_each_valid<Numeric>(args[0], count, [&](size_t i, const Numeric& v) {
    auto& s = state<NumericSumState>(states[i] + offset);
    s.sum = s.count == 0 ? v : numeric::add(s.sum, v);
    s.count++;
  });
}

void numeric_sum_combine(const AggregateState* const* sources, AggregateState* const* targets, size_t offset,
                         size_t count, StringHeap&) {
  for (size_t i = 0; i < count; i++) {
    const auto& s = state<NumericSumState>(sources[i] + offset);
    auto& t = state<NumericSumState>(targets[i] + offset);
    if (s.count == 0) continue;
    t.sum = t.count == 0 ? s.sum : numeric::add(t.sum, s.sum);
    t.count += s.count;
  }
}

/// sum is the exact sum (scale: the largest input scale); avg is sum / count with numeric
/// division's result scale, as PostgreSQL's numeric_avg.
template <bool AVG>
void numeric_sum_finalize(const AggregateState* const* states, size_t offset, size_t count, Vector& result) {
  Numeric* out = result.mutable_values<Numeric>();
  ValidityMask& validity = result.mutable_validity();
  for (size_t i = 0; i < count; i++) {
    const auto& s = state<NumericSumState>(states[i] + offset);
    if (s.count == 0) {
      validity.set_invalid(i);
    } else {
      out[i] = AVG ? numeric::div(s.sum, numeric::from_int64(s.count)) : s.sum;
    }
  }
}

// ---- registration --------------------------------------------------------------------------

template <class S>
catalog::AggregateFunction aggregate(const char* name, std::vector<LogicalType> params, LogicalType result) {
  catalog::AggregateFunction a;
  a.name = name;
  for (const auto& p : params) a.params.push_back(catalog::ParamType::of(p));
  a.result = catalog::ParamType::of(result);
  a.state_size = sizeof(S);
  a.state_alignment = alignof(S);
  a.init = zero_init<S>;
  return a;
}

template <class T>
void register_integer(catalog::FunctionRegistry& registry, const LogicalType& t) {
  for (bool avg : {false, true}) {
    // PostgreSQL: sum(smallint|integer) is bigint, sum(bigint) and avg(any integer) numeric.
    const bool numeric_sum = std::is_same_v<T, int64_t>;
    const LogicalType result = avg || numeric_sum ? LogicalType::numeric() : LogicalType::bigint();
    auto a = aggregate<IntSumState>(avg ? "avg" : "sum", {t}, result);
    a.update = int_sum_update<T>;
    a.simple_update = int_sum_simple<T>;
    a.combine = int_sum_combine;
    a.finalize = avg ? int_avg_finalize : numeric_sum ? int_sum_numeric_finalize : int_sum_finalize;
    a.retract = int_sum_retract<T>;
    registry.add(std::move(a));
  }
}

template <class T>
void register_extremum(catalog::FunctionRegistry& registry, const LogicalType& t) {
  for (bool is_min : {true, false}) {
    auto a = aggregate<ExtremumState<T>>(is_min ? "min" : "max", {t}, t);
    a.distinct_insensitive = true;
    a.update = is_min ? extremum_update<T, true> : extremum_update<T, false>;
    a.combine = is_min ? extremum_combine<T, true> : extremum_combine<T, false>;
    a.finalize = optional_value_finalize<ExtremumState<T>, T>;
    registry.add(std::move(a));
  }
}

// min/max(anyarray): arrays are stored as byte strings that sort as PostgreSQL compares arrays.
void register_array_extremum(catalog::FunctionRegistry& registry) {
  for (bool is_min : {true, false}) {
    auto a = aggregate<ExtremumState<string_t>>(is_min ? "min" : "max", {}, LogicalType());
    a.params = {catalog::ParamType::any_array()};
    a.result = catalog::ParamType::any_array();
    a.distinct_insensitive = true;
    a.update = is_min ? extremum_update<string_t, true> : extremum_update<string_t, false>;
    a.combine = is_min ? extremum_combine<string_t, true> : extremum_combine<string_t, false>;
    a.finalize = optional_value_finalize<ExtremumState<string_t>, string_t>;
    registry.add(std::move(a));
  }
}

// ---- string_agg ----------------------------------------------------------------------------

// string_agg(text, text): the values joined by the delimiters. Each value is stored with the
// delimiter of its row in front; the first row's delimiter is dropped at the end (as PostgreSQL
// drops it), so partial states concatenate. A NULL value is skipped, a NULL delimiter is
// empty. The bytes grow by doubling inside the StringHeap (amortized linear).
struct StringAggState {
  char* data;
  uint32_t size;
  uint32_t capacity;
  uint32_t first_delimiter;  ///< length of the leading delimiter to drop
  uint8_t has_value;
};

void string_agg_append(StringAggState& s, std::string_view bytes, StringHeap& heap) {
  const size_t needed = static_cast<size_t>(s.size) + bytes.size();
  if (needed > std::numeric_limits<uint32_t>::max() / 2) {
    throw SqlError(SqlState::kProgramLimitExceeded, "string_agg result exceeds the maximum string length");
  }
  if (needed > s.capacity) {
    const size_t capacity = std::max<size_t>(needed, std::max<size_t>(64, 2 * static_cast<size_t>(s.capacity)));
    char* grown = heap.allocate(capacity);
    if (s.size > 0) std::memcpy(grown, s.data, s.size);
    s.data = grown;
    s.capacity = static_cast<uint32_t>(capacity);
  }
  if (!bytes.empty()) std::memcpy(s.data + s.size, bytes.data(), bytes.size());
  s.size = static_cast<uint32_t>(needed);
}

void string_agg_update(std::span<const Vector> args, size_t count, AggregateState* const* states, size_t offset, StringHeap& heap) {
  UnifiedVectorFormat values;
  UnifiedVectorFormat delimiters;
  args[0].to_unified(count, values);
  args[1].to_unified(count, delimiters);
  const string_t* v = values.values<string_t>();
  const string_t* d = delimiters.values<string_t>();
  for (size_t i = 0; i < count; i++) {
    const sel_t vi = values.sel.get_index(i);
    if (!values.validity->row_is_valid(vi)) continue;
    const sel_t di = delimiters.sel.get_index(i);
    const std::string_view delimiter = delimiters.validity->row_is_valid(di) ? d[di].view() : std::string_view();
    auto& s = state<StringAggState>(states[i] + offset);
    if (!s.has_value) {
      s.first_delimiter = static_cast<uint32_t>(delimiter.size());
      s.has_value = 1;
    }
    string_agg_append(s, delimiter, heap);
    string_agg_append(s, v[vi].view(), heap);
  }
}

void string_agg_combine(const AggregateState* const* sources, AggregateState* const* targets, size_t offset, size_t count,
                        StringHeap& heap) {
  for (size_t i = 0; i < count; i++) {
    const auto& s = state<StringAggState>(sources[i] + offset);
    auto& t = state<StringAggState>(targets[i] + offset);
    if (!s.has_value) continue;
    if (!t.has_value) {
      // The source's bytes may live in a heap that dies with it: copy them.
      t = StringAggState{nullptr, 0, 0, s.first_delimiter, 1};
    }
    string_agg_append(t, std::string_view(s.data, s.size), heap);
  }
}

void string_agg_finalize(const AggregateState* const* states, size_t offset, size_t count, Vector& result) {
  string_t* out = result.mutable_values<string_t>();
  ValidityMask& validity = result.mutable_validity();
  for (size_t i = 0; i < count; i++) {
    const auto& s = state<StringAggState>(states[i] + offset);
    if (!s.has_value) {
      validity.set_invalid(i);
      continue;
    }
    // The bytes stay in the aggregate's heap, which the result vector references.
    out[i] = string_t(s.data + s.first_delimiter, s.size - s.first_delimiter);
  }
}

// ---- variance and standard deviation ----------------------------------------------------

// var_samp, var_pop, stddev_samp, stddev_pop (variance and stddev are the _samp forms).
// Over integers and numeric the result is numeric, computed exactly from N, sum(x) and sum(x*x)
// as PostgreSQL's numeric_stddev_internal does: numerator N * sum(x*x) - sum(x)^2, divided by
// N * (N - 1) or N * N with numeric division's scale, the square root at that same scale.
// Over real and double precision the result is double precision from the Youngs-Cramer
// running sums (PostgreSQL's float8_accum and float8_combine).

enum class VarianceKind : uint8_t { kVarSamp, kVarPop, kStddevSamp, kStddevPop };

constexpr bool is_sample(VarianceKind k) { return k == VarianceKind::kVarSamp || k == VarianceKind::kStddevSamp; }
constexpr bool is_stddev(VarianceKind k) { return k == VarianceKind::kStddevSamp || k == VarianceKind::kStddevPop; }

struct IntVarianceState {
  __int128 sum;
  __int128 sum_squares;
  int64_t count;
};
struct NumericVarianceState {
  Numeric sum;
  Numeric sum_squares;
  int64_t count;
  int64_t nan_count;
};
struct DoubleVarianceState {
  double n;
  double sum;
  double sum_sq_dev;  ///< sum of squared deviations from the mean (Sxx)
};

[[noreturn]] void variance_out_of_range() {
  throw SqlError(SqlState::kNumericValueOutOfRange, "numeric value out of range: sum of squares exceeds 128 bits");
}

inline void add_checked(__int128& into, __int128 v) {
  if (__builtin_add_overflow(into, v, &into)) variance_out_of_range();
}

/// The numeric result from N, sum(x) and sum(x*x) (all finite); false for NULL.
bool numeric_variance(int64_t count, const Numeric& sum, const Numeric& sum_squares, VarianceKind kind, Numeric& out) {
  if (count <= (is_sample(kind) ? 1 : 0)) return false;
  const Numeric n = numeric::from_int64(count);
  const Numeric numerator = numeric::sub(numeric::mul(n, sum_squares), numeric::mul(sum, sum));
  if (numerator.coefficient() <= 0) {
    // Rounding cannot make it negative here, but PostgreSQL's guard also gives a plain 0.
    out = Numeric::make(0, 0);
    return true;
  }
  const __int128 denominator = static_cast<__int128>(count) * (is_sample(kind) ? count - 1 : count);
  out = numeric::div(numerator, Numeric::make(denominator, 0));
  if (is_stddev(kind)) out = numeric::sqrt(out, out.scale());
  return true;
}

template <class T>
void int_variance_update(std::span<const Vector> args, size_t count, AggregateState* const* states, size_t offset, StringHeap&) {
  for_each_valid<T>(args[0], count, [&](size_t i, T v) {
    auto& s = state<IntVarianceState>(states[i] + offset);
    const auto x = static_cast<__int128>(v);
    s.sum += x;
    add_checked(s.sum_squares, x * x);
    s.count++;
  });
}

void int_variance_combine(const AggregateState* const* sources, AggregateState* const* targets, size_t offset, size_t count,
                          StringHeap&) {
  for (size_t i = 0; i < count; i++) {
    auto& t = state<IntVarianceState>(targets[i] + offset);
    const auto& s = state<IntVarianceState>(sources[i] + offset);
    t.sum += s.sum;
    add_checked(t.sum_squares, s.sum_squares);
    t.count += s.count;
  }
}

template <VarianceKind K>
void int_variance_finalize(const AggregateState* const* states, size_t offset, size_t count, Vector& result) {
  Numeric* out = result.mutable_values<Numeric>();
  ValidityMask& validity = result.mutable_validity();
  for (size_t i = 0; i < count; i++) {
    const auto& s = state<IntVarianceState>(states[i] + offset);
    if (s.count == 0 || !numeric_variance(s.count, Numeric::make(s.sum, 0), Numeric::make(s.sum_squares, 0), K, out[i])) {
      validity.set_invalid(i);
    }
  }
}

void numeric_variance_update(std::span<const Vector> args, size_t count, AggregateState* const* states, size_t offset,
                             StringHeap&) {
  for_each_valid<Numeric>(args[0], count, [&](size_t i, const Numeric& v) {
    auto& s = state<NumericVarianceState>(states[i] + offset);
    if (v.is_nan()) {
      s.nan_count++;
      return;
    }
    s.sum = numeric::add(s.sum, v);
    s.sum_squares = numeric::add(s.sum_squares, numeric::mul(v, v));
    s.count++;
  });
}

void numeric_variance_combine(const AggregateState* const* sources, AggregateState* const* targets, size_t offset,
                              size_t count, StringHeap&) {
  for (size_t i = 0; i < count; i++) {
    auto& t = state<NumericVarianceState>(targets[i] + offset);
    const auto& s = state<NumericVarianceState>(sources[i] + offset);
    t.sum = numeric::add(t.sum, s.sum);
    t.sum_squares = numeric::add(t.sum_squares, s.sum_squares);
    t.count += s.count;
    t.nan_count += s.nan_count;
  }
}

template <VarianceKind K>
void numeric_variance_finalize(const AggregateState* const* states, size_t offset, size_t count, Vector& result) {
  Numeric* out = result.mutable_values<Numeric>();
  ValidityMask& validity = result.mutable_validity();
  for (size_t i = 0; i < count; i++) {
    const auto& s = state<NumericVarianceState>(states[i] + offset);
    if (s.count + s.nan_count == 0) {
      validity.set_invalid(i);
    } else if (s.nan_count > 0) {
      out[i] = Numeric::nan();
    } else if (!numeric_variance(s.count, s.sum, s.sum_squares, K, out[i])) {
      validity.set_invalid(i);
    }
  }
}

[[noreturn]] void double_overflow() { throw SqlError(SqlState::kNumericValueOutOfRange, "value out of range: overflow"); }

inline void double_variance_add(DoubleVarianceState& s, double x) {
  const double previous_n = s.n;
  const double previous_sum = s.sum;
  s.n += 1.0;
  s.sum += x;
  if (previous_n > 0.0) {
    const double d = x * s.n - s.sum;
    s.sum_sq_dev += d * d / (s.n * previous_n);
    if (std::isinf(s.sum) || std::isinf(s.sum_sq_dev)) {
      if (!std::isinf(previous_sum) && !std::isinf(x)) double_overflow();
      s.sum_sq_dev = std::numeric_limits<double>::quiet_NaN();
    }
  } else if (std::isnan(x) || std::isinf(x)) {
    // A lone infinite or NaN input has no variance of 0.
    s.sum_sq_dev = std::numeric_limits<double>::quiet_NaN();
  }
}

template <class T>
void double_variance_update(std::span<const Vector> args, size_t count, AggregateState* const* states, size_t offset,
                            StringHeap&) {
  for_each_valid<T>(args[0], count, [&](size_t i, T v) {
    double_variance_add(state<DoubleVarianceState>(states[i] + offset), static_cast<double>(v));
  });
}

void double_variance_combine(const AggregateState* const* sources, AggregateState* const* targets, size_t offset,
                             size_t count, StringHeap&) {
  for (size_t i = 0; i < count; i++) {
    auto& t = state<DoubleVarianceState>(targets[i] + offset);
    const auto& s = state<DoubleVarianceState>(sources[i] + offset);
    if (s.n == 0.0) continue;
    if (t.n == 0.0) {
      t = s;
      continue;
    }
    const double n = t.n + s.n;
    const double sum = t.sum + s.sum;
    if (std::isinf(sum) && !std::isinf(t.sum) && !std::isinf(s.sum)) double_overflow();
    const double d = t.sum / t.n - s.sum / s.n;
    const double sxx = t.sum_sq_dev + s.sum_sq_dev + t.n * s.n * d * d / n;
    if (std::isinf(sxx) && !std::isinf(t.sum_sq_dev) && !std::isinf(s.sum_sq_dev)) double_overflow();
    t.n = n;
    t.sum = sum;
    t.sum_sq_dev = sxx;
  }
}

template <VarianceKind K>
void double_variance_finalize(const AggregateState* const* states, size_t offset, size_t count, Vector& result) {
  double* out = result.mutable_values<double>();
  ValidityMask& validity = result.mutable_validity();
  for (size_t i = 0; i < count; i++) {
    const auto& s = state<DoubleVarianceState>(states[i] + offset);
    if (s.n <= (is_sample(K) ? 1.0 : 0.0)) {
      validity.set_invalid(i);
      continue;
    }
    const double v = s.sum_sq_dev / (is_sample(K) ? s.n - 1.0 : s.n);
    out[i] = is_stddev(K) ? std::sqrt(v) : v;
  }
}

template <VarianceKind K>
void register_variance(catalog::FunctionRegistry& registry, const char* name) {
  const LogicalType n = LogicalType::numeric();
  const LogicalType d = LogicalType::double_precision();
  auto add_int = [&](const LogicalType& t, catalog::AggregateUpdate update) {
    auto a = aggregate<IntVarianceState>(name, {t}, n);
    a.update = update;
    a.combine = int_variance_combine;
    a.finalize = int_variance_finalize<K>;
    registry.add(std::move(a));
  };
  add_int(LogicalType::smallint(), int_variance_update<int16_t>);
  add_int(LogicalType::integer(), int_variance_update<int32_t>);
  add_int(LogicalType::bigint(), int_variance_update<int64_t>);
  auto num = aggregate<NumericVarianceState>(name, {n}, n);
  num.update = numeric_variance_update;
  num.combine = numeric_variance_combine;
  num.finalize = numeric_variance_finalize<K>;
  registry.add(std::move(num));
  auto add_float = [&](const LogicalType& t, catalog::AggregateUpdate update) {
    auto a = aggregate<DoubleVarianceState>(name, {t}, d);
    a.update = update;
    a.combine = double_variance_combine;
    a.finalize = double_variance_finalize<K>;
    registry.add(std::move(a));
  };
  add_float(LogicalType::real(), double_variance_update<float>);
  add_float(d, double_variance_update<double>);
}

// ---- bit_and, bit_or, bit_xor --------------------------------------------------------------

template <class T>
struct BitState {
  T value;
  uint8_t has_value;
};

enum class BitOp : uint8_t { kAnd, kOr, kXor };

template <class T, BitOp OP>
inline T bit_apply(T a, T b) {
  if constexpr (OP == BitOp::kAnd) {
    return static_cast<T>(a & b);
  } else if constexpr (OP == BitOp::kOr) {
    return static_cast<T>(a | b);
  } else {
    return static_cast<T>(a ^ b);
  }
}

template <class T, BitOp OP>
void bit_update(std::span<const Vector> args, size_t count, AggregateState* const* states, size_t offset, StringHeap&) {
  for_each_valid<T>(args[0], count, [&](size_t i, T v) {
    auto& s = state<BitState<T>>(states[i] + offset);
    s.value = s.has_value ? bit_apply<T, OP>(s.value, v) : v;
    s.has_value = 1;
  });
}

template <class T, BitOp OP>
void bit_combine(const AggregateState* const* sources, AggregateState* const* targets, size_t offset, size_t count, StringHeap&) {
  for (size_t i = 0; i < count; i++) {
    const auto& s = state<BitState<T>>(sources[i] + offset);
    auto& t = state<BitState<T>>(targets[i] + offset);
    if (!s.has_value) continue;
    t.value = t.has_value ? bit_apply<T, OP>(t.value, s.value) : s.value;
    t.has_value = 1;
  }
}

template <class T>
void register_bit(catalog::FunctionRegistry& registry, const LogicalType& t) {
  auto add = [&](const char* name, catalog::AggregateUpdate update, catalog::AggregateCombine combine, bool idempotent) {
    auto a = aggregate<BitState<T>>(name, {t}, t);
    a.distinct_insensitive = idempotent;
    a.update = update;
    a.combine = combine;
    a.finalize = optional_value_finalize<BitState<T>, T>;
    registry.add(std::move(a));
  };
  add("bit_and", bit_update<T, BitOp::kAnd>, bit_combine<T, BitOp::kAnd>, true);
  add("bit_or", bit_update<T, BitOp::kOr>, bit_combine<T, BitOp::kOr>, true);
  add("bit_xor", bit_update<T, BitOp::kXor>, bit_combine<T, BitOp::kXor>, false);
}

// ---- corr, covar_*, regr_* ------------------------------------------------------------------

// Two-variable statistics over (Y, X) pairs of double precision, rows with a NULL in either
// skipped, from the Youngs-Cramer running sums of PostgreSQL's float8_regr_accum and
// float8_regr_combine.
struct RegrState {
  double n;
  double sx;
  double sxx;
  double sy;
  double syy;
  double sxy;
};

void regr_add(RegrState& s, double y, double x) {
  const double previous_n = s.n;
  const double previous_sx = s.sx;
  const double previous_sy = s.sy;
  s.n += 1.0;
  s.sx += x;
  s.sy += y;
  if (previous_n > 0.0) {
    const double dx = x * s.n - s.sx;
    const double dy = y * s.n - s.sy;
    const double scale = 1.0 / (s.n * previous_n);
    s.sxx += dx * dx * scale;
    s.syy += dy * dy * scale;
    s.sxy += dx * dy * scale;
    if (std::isinf(s.sx) || std::isinf(s.sxx) || std::isinf(s.sy) || std::isinf(s.syy) || std::isinf(s.sxy)) {
      if (((std::isinf(s.sx) || std::isinf(s.sxx)) && !std::isinf(previous_sx) && !std::isinf(x)) ||
          ((std::isinf(s.sy) || std::isinf(s.syy)) && !std::isinf(previous_sy) && !std::isinf(y)) ||
          (std::isinf(s.sxy) && !std::isinf(previous_sx) && !std::isinf(x) && !std::isinf(previous_sy) && !std::isinf(y))) {
        double_overflow();
      }
      if (std::isinf(s.sxx)) s.sxx = std::numeric_limits<double>::quiet_NaN();
      if (std::isinf(s.syy)) s.syy = std::numeric_limits<double>::quiet_NaN();
      if (std::isinf(s.sxy)) s.sxy = std::numeric_limits<double>::quiet_NaN();
    }
  } else {
    if (std::isnan(x) || std::isinf(x)) s.sxx = s.sxy = std::numeric_limits<double>::quiet_NaN();
    if (std::isnan(y) || std::isinf(y)) s.syy = s.sxy = std::numeric_limits<double>::quiet_NaN();
  }
}

void regr_update(std::span<const Vector> args, size_t count, AggregateState* const* states, size_t offset, StringHeap&) {
  UnifiedVectorFormat fy;
  UnifiedVectorFormat fx;
  args[0].to_unified(count, fy);
  args[1].to_unified(count, fx);
  const double* ys = fy.values<double>();
  const double* xs = fx.values<double>();
  for (size_t i = 0; i < count; i++) {
    const sel_t iy = fy.sel.get_index(i);
    const sel_t ix = fx.sel.get_index(i);
    if (!fy.validity->row_is_valid(iy) || !fx.validity->row_is_valid(ix)) continue;
    regr_add(state<RegrState>(states[i] + offset), ys[iy], xs[ix]);
  }
}

/// a + b with float8_pl's overflow check.
inline double checked_sum(double a, double b) {
  const double r = a + b;
  if (std::isinf(r) && !std::isinf(a) && !std::isinf(b)) double_overflow();
  return r;
}

void regr_combine(const AggregateState* const* sources, AggregateState* const* targets, size_t offset, size_t count,
                  StringHeap&) {
  for (size_t i = 0; i < count; i++) {
    const auto& s = state<RegrState>(sources[i] + offset);
    auto& t = state<RegrState>(targets[i] + offset);
    if (s.n == 0.0) continue;
    if (t.n == 0.0) {
      t = s;
      continue;
    }
    RegrState r;
    r.n = t.n + s.n;
    r.sx = checked_sum(t.sx, s.sx);
    const double dx = t.sx / t.n - s.sx / s.n;
    r.sxx = t.sxx + s.sxx + t.n * s.n * dx * dx / r.n;
    if (std::isinf(r.sxx) && !std::isinf(t.sxx) && !std::isinf(s.sxx)) double_overflow();
    r.sy = checked_sum(t.sy, s.sy);
    const double dy = t.sy / t.n - s.sy / s.n;
    r.syy = t.syy + s.syy + t.n * s.n * dy * dy / r.n;
    if (std::isinf(r.syy) && !std::isinf(t.syy) && !std::isinf(s.syy)) double_overflow();
    r.sxy = t.sxy + s.sxy + t.n * s.n * dx * dy / r.n;
    if (std::isinf(r.sxy) && !std::isinf(t.sxy) && !std::isinf(s.sxy)) double_overflow();
    t = r;
  }
}

enum class RegrKind : uint8_t {
  kCorr, kCovarPop, kCovarSamp, kAvgX, kAvgY, kIntercept, kR2, kSlope, kSxx, kSxy, kSyy
};

/// The statistic from the sums; false for NULL (PostgreSQL's float8_corr, float8_covar_pop, ...).
template <RegrKind K>
bool regr_result(const RegrState& s, double& out) {
  if (s.n < (K == RegrKind::kCovarSamp ? 2.0 : 1.0)) return false;
  switch (K) {
    case RegrKind::kCorr:
      if (s.sxx == 0 || s.syy == 0) return false;
      out = s.sxy / std::sqrt(s.sxx * s.syy);
      return true;
    case RegrKind::kCovarPop: out = s.sxy / s.n; return true;
    case RegrKind::kCovarSamp: out = s.sxy / (s.n - 1.0); return true;
    case RegrKind::kAvgX: out = s.sx / s.n; return true;
    case RegrKind::kAvgY: out = s.sy / s.n; return true;
    case RegrKind::kIntercept:
      if (s.sxx == 0) return false;
      out = (s.sy - s.sx * s.sxy / s.sxx) / s.n;
      return true;
    case RegrKind::kR2:
      if (s.sxx == 0) return false;
      out = s.syy == 0 ? 1.0 : (s.sxy * s.sxy) / (s.sxx * s.syy);
      return true;
    case RegrKind::kSlope:
      if (s.sxx == 0) return false;
      out = s.sxy / s.sxx;
      return true;
    case RegrKind::kSxx: out = s.sxx; return true;
    case RegrKind::kSxy: out = s.sxy; return true;
    case RegrKind::kSyy: out = s.syy; return true;
  }
  return false;
}

template <RegrKind K>
void regr_finalize(const AggregateState* const* states, size_t offset, size_t count, Vector& result) {
  double* out = result.mutable_values<double>();
  ValidityMask& validity = result.mutable_validity();
  for (size_t i = 0; i < count; i++) {
    if (!regr_result<K>(state<RegrState>(states[i] + offset), out[i])) validity.set_invalid(i);
  }
}

/// regr_count: the number of pairs without NULLs (0, not NULL, for none).
void regr_count_finalize(const AggregateState* const* states, size_t offset, size_t count, Vector& result) {
  int64_t* out = result.mutable_values<int64_t>();
  for (size_t i = 0; i < count; i++) out[i] = static_cast<int64_t>(state<RegrState>(states[i] + offset).n);
}

void register_regression(catalog::FunctionRegistry& registry) {
  const LogicalType d = LogicalType::double_precision();
  auto add = [&](const char* name, LogicalType result, catalog::AggregateFinalize finalize) {
    auto a = aggregate<RegrState>(name, {d, d}, result);
    a.update = regr_update;
    a.combine = regr_combine;
    a.finalize = finalize;
    registry.add(std::move(a));
  };
  add("corr", d, regr_finalize<RegrKind::kCorr>);
  add("covar_pop", d, regr_finalize<RegrKind::kCovarPop>);
  add("covar_samp", d, regr_finalize<RegrKind::kCovarSamp>);
  add("regr_avgx", d, regr_finalize<RegrKind::kAvgX>);
  add("regr_avgy", d, regr_finalize<RegrKind::kAvgY>);
  add("regr_count", LogicalType::bigint(), regr_count_finalize);
  add("regr_intercept", d, regr_finalize<RegrKind::kIntercept>);
  add("regr_r2", d, regr_finalize<RegrKind::kR2>);
  add("regr_slope", d, regr_finalize<RegrKind::kSlope>);
  add("regr_sxx", d, regr_finalize<RegrKind::kSxx>);
  add("regr_sxy", d, regr_finalize<RegrKind::kSxy>);
  add("regr_syy", d, regr_finalize<RegrKind::kSyy>);
}

}  // namespace

void register_aggregate_functions(catalog::FunctionRegistry& registry) {
  auto count_star = aggregate<CountState>("count", {}, LogicalType::bigint());
  count_star.update = count_star_update;
  count_star.simple_update = count_star_simple;
  count_star.combine = count_combine;
  count_star.finalize = count_finalize;
  count_star.retract = count_star_retract;
  registry.add(std::move(count_star));

  auto count = aggregate<CountState>("count", {}, LogicalType::bigint());
  count.params = {catalog::ParamType::any()};
  count.update = count_update;
  count.simple_update = count_simple;
  count.combine = count_combine;
  count.finalize = count_finalize;
  count.retract = count_retract;
  registry.add(std::move(count));

  register_integer<int16_t>(registry, LogicalType::smallint());
  register_integer<int32_t>(registry, LogicalType::integer());
  register_integer<int64_t>(registry, LogicalType::bigint());
  const LogicalType d = LogicalType::double_precision();
  for (bool avg : {false, true}) {
    auto a = aggregate<DoubleSumState>(avg ? "avg" : "sum", {d}, d);
    a.update = double_sum_update;
    a.simple_update = double_sum_simple;
    a.combine = double_sum_combine;
    a.finalize = avg ? double_sum_finalize<true> : double_sum_finalize<false>;
    registry.add(std::move(a));
  }

  register_extremum<int16_t>(registry, LogicalType::smallint());
  register_extremum<int32_t>(registry, LogicalType::integer());
  register_extremum<int64_t>(registry, LogicalType::bigint());
  register_extremum<double>(registry, d);
  register_extremum<string_t>(registry, LogicalType::varchar());
  register_array_extremum(registry);
  register_extremum<float>(registry, LogicalType::real());
  auto real_sum = aggregate<RealSumState>("sum", {LogicalType::real()}, LogicalType::real());
  real_sum.update = real_sum_update;
  real_sum.combine = real_sum_combine;
  real_sum.finalize = real_sum_finalize;
  registry.add(std::move(real_sum));
  auto real_avg = aggregate<DoubleSumState>("avg", {LogicalType::real()}, d);
  real_avg.update = real_avg_update;
  real_avg.combine = double_sum_combine;
  real_avg.finalize = double_sum_finalize<true>;
  registry.add(std::move(real_avg));
  register_extremum<int32_t>(registry, LogicalType::date());
  register_extremum<int64_t>(registry, LogicalType::time());
  register_extremum<int64_t>(registry, LogicalType::timestamp());
  register_extremum<int64_t>(registry, LogicalType::timestamptz());
  register_extremum<Interval>(registry, LogicalType::interval());

  // numeric: sum, avg, min, max.
  const LogicalType n = LogicalType::numeric();
  for (bool avg : {false, true}) {
    auto a = aggregate<NumericSumState>(avg ? "avg" : "sum", {n}, n);
    a.update = numeric_sum_update;
    a.combine = numeric_sum_combine;
    a.finalize = avg ? numeric_sum_finalize<true> : numeric_sum_finalize<false>;
    registry.add(std::move(a));
  }
  register_extremum<Numeric>(registry, n);

  for (const char* name : {"bool_and", "every", "bool_or"}) {
    const bool is_and = std::string_view(name) != "bool_or";
    auto a = aggregate<BoolState>(name, {LogicalType::boolean()}, LogicalType::boolean());
    a.distinct_insensitive = true;
    a.update = is_and ? bool_update<true> : bool_update<false>;
    a.combine = is_and ? bool_combine<true> : bool_combine<false>;
    a.finalize = optional_value_finalize<BoolState, uint8_t>;
    registry.add(std::move(a));
  }

  auto string_agg = aggregate<StringAggState>("string_agg", {LogicalType::varchar(), LogicalType::varchar()}, LogicalType::varchar());
  string_agg.update = string_agg_update;
  string_agg.combine = string_agg_combine;
  string_agg.finalize = string_agg_finalize;
  registry.add(std::move(string_agg));

  register_bit<int16_t>(registry, LogicalType::smallint());
  register_bit<int32_t>(registry, LogicalType::integer());
  register_bit<int64_t>(registry, LogicalType::bigint());
  register_regression(registry);

  register_variance<VarianceKind::kVarSamp>(registry, "var_samp");
  register_variance<VarianceKind::kVarSamp>(registry, "variance");
  register_variance<VarianceKind::kVarPop>(registry, "var_pop");
  register_variance<VarianceKind::kStddevSamp>(registry, "stddev_samp");
  register_variance<VarianceKind::kStddevSamp>(registry, "stddev");
  register_variance<VarianceKind::kStddevPop>(registry, "stddev_pop");
}

}  // namespace tessera::executor
