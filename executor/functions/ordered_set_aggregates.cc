// Ordered-set aggregates, `f(direct) WITHIN GROUP (ORDER BY x)`: percentile_cont and
// percentile_disc with a scalar fraction, and mode(). The hash aggregate sorts each group's rows
// and hands the function the sorted run of non-NULL values (catalog::AggregateOrderedSet); the
// fraction is the group's direct argument. percentile_cont interpolates over double precision
// or interval; percentile_disc and mode return one of the values. The array-fraction forms need
// array types, which Tessera does not have.

#include <cmath>
#include <cstdio>
#include <string>

#include "executor/functions/builtin_functions.h"
#include "executor/functions/registration.h"
#include "executor/functions/vector_loops.h"
#include "src/common/datetime.h"
#include "src/common/sql_error.h"

namespace tessera::executor {

namespace {

/// Ordered-set aggregates keep no per-group state; the registry's layout still wants one.
struct NoState {
  uint8_t unused;
};

void no_state_init(catalog::AggregateState* const* states, size_t offset, size_t count) {
  for (size_t i = 0; i < count; i++) states[i][offset] = std::byte{0};
}

/// The group's fraction; false when it is NULL (the result is then NULL). Raises 22003 outside
/// [0, 1], with PostgreSQL's message.
bool fraction_of(const Vector& direct, size_t row, double& out) {
  if (!direct.validity().row_is_valid(row)) return false;
  out = direct.values<double>()[row];
  if (out < 0 || out > 1 || std::isnan(out)) {
    char text[64];
    std::snprintf(text, sizeof(text), "%g", out);
    throw SqlError(SqlState::kNumericValueOutOfRange, std::string("percentile value ") + text + " is not between 0 and 1");
  }
  return true;
}

/// percentile_disc: the first value whose position in the order reaches the fraction.
template <class T>
void percentile_disc(const Vector& direct, size_t direct_row, const Vector& values, const sel_t* rows, size_t count,
                     Vector& result, size_t row) {
  double fraction;
  if (!fraction_of(direct, direct_row, fraction) || count == 0) {
    result.mutable_validity().set_invalid(row);
    return;
  }
  auto position = static_cast<size_t>(std::ceil(fraction * static_cast<double>(count)));
  if (position < 1) position = 1;
  if (position > count) position = count;
  result.mutable_values<T>()[row] = values.values<T>()[rows[position - 1]];
}

double lerp(double lo, double hi, double fraction) { return lo + (hi - lo) * fraction; }

Interval lerp(const Interval& lo, const Interval& hi, double fraction) {
  return datetime::interval_add(datetime::interval_multiply(datetime::interval_add(hi, datetime::interval_negate(lo)), fraction), lo);
}

/// percentile_cont: interpolates linearly between the two values around the fraction.
template <class T>
void percentile_cont(const Vector& direct, size_t direct_row, const Vector& values, const sel_t* rows, size_t count,
                     Vector& result, size_t row) {
  double fraction;
  if (!fraction_of(direct, direct_row, fraction) || count == 0) {
    result.mutable_validity().set_invalid(row);
    return;
  }
  const double position = fraction * static_cast<double>(count - 1);
  const auto first = static_cast<size_t>(std::floor(position));
  const auto second = static_cast<size_t>(std::ceil(position));
  const T* v = values.values<T>();
  const T lo = v[rows[first]];
  result.mutable_values<T>()[row] = first == second ? lo : lerp(lo, v[rows[second]], position - static_cast<double>(first));
}

/// mode: the most frequent value; among equally frequent ones the first in the order.
template <class T>
void mode(const Vector&, size_t, const Vector& values, const sel_t* rows, size_t count, Vector& result, size_t row) {
  if (count == 0) {
    result.mutable_validity().set_invalid(row);
    return;
  }
  const T* v = values.values<T>();
  size_t best = 0;
  size_t best_count = 0;
  for (size_t begin = 0; begin < count;) {
    size_t end = begin + 1;
    while (end < count && compare_values(v[rows[begin]], v[rows[end]]) == 0) end++;
    if (end - begin > best_count) {
      best = begin;
      best_count = end - begin;
    }
    begin = end;
  }
  result.mutable_values<T>()[row] = v[rows[best]];
}

catalog::AggregateFunction ordered_set(const char* name, std::vector<LogicalType> params, LogicalType result,
                                       catalog::AggregateOrderedSet fn) {
  catalog::AggregateFunction a;
  a.name = name;
  for (const auto& p : params) a.params.push_back(catalog::ParamType::of(p));
  a.result = catalog::ParamType::of(result);
  a.state_size = sizeof(NoState);
  a.state_alignment = alignof(NoState);
  a.init = no_state_init;
  a.ordered_set = fn;
  return a;
}

template <class T>
void register_discrete(catalog::FunctionRegistry& registry, const LogicalType& t) {
  registry.add(ordered_set("percentile_disc", {LogicalType::double_precision(), t}, t, percentile_disc<T>));
  registry.add(ordered_set("mode", {t}, t, mode<T>));
}

}  // namespace

void register_ordered_set_aggregates(catalog::FunctionRegistry& registry) {
  const LogicalType d = LogicalType::double_precision();
  registry.add(ordered_set("percentile_cont", {d, d}, d, percentile_cont<double>));
  registry.add(ordered_set("percentile_cont", {d, LogicalType::interval()}, LogicalType::interval(), percentile_cont<Interval>));
  register_discrete<double>(registry, d);
  register_discrete<float>(registry, LogicalType::real());
  register_discrete<int16_t>(registry, LogicalType::smallint());
  register_discrete<int32_t>(registry, LogicalType::integer());
  register_discrete<int64_t>(registry, LogicalType::bigint());
  register_discrete<Numeric>(registry, LogicalType::numeric());
  register_discrete<string_t>(registry, LogicalType::varchar());
  register_discrete<uint8_t>(registry, LogicalType::boolean());
  register_discrete<int32_t>(registry, LogicalType::date());
  register_discrete<int64_t>(registry, LogicalType::time());
  register_discrete<int64_t>(registry, LogicalType::timestamp());
  register_discrete<int64_t>(registry, LogicalType::timestamptz());
  register_discrete<Interval>(registry, LogicalType::interval());
}

}  // namespace tessera::executor
