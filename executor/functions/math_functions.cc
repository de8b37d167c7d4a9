// Mathematical functions: abs over every numeric type; round, floor, ceil (ceiling) and sqrt
// over double precision.

#include <cmath>
#include <limits>

#include "executor/functions/builtin_functions.h"
#include "executor/functions/registration.h"
#include "executor/functions/vector_loops.h"
#include "src/common/sql_error.h"
#include "src/common/value_cast.h"

namespace tessera::executor {

namespace {

template <class T>
void abs_kernel(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  const LogicalType type = result.type();
  unary_strict<T, T>(*args[0], sel, count, result, [&](T x) -> T {
    if constexpr (std::is_same_v<T, double> || std::is_same_v<T, float>) {
      return std::fabs(x);
    } else {
      if (x >= 0) return x;
      if (x == std::numeric_limits<T>::min()) throw_out_of_range(type);
      return static_cast<T>(-x);
    }
  });
}

enum class Rounding : uint8_t { kRound, kFloor, kCeil, kSqrt };

template <Rounding OP>
void double_math_kernel(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result,
                        const catalog::FunctionData*) {
  unary_strict<double, double>(*args[0], sel, count, result, [](double x) {
    if constexpr (OP == Rounding::kRound) {
      return std::nearbyint(x);
    } else if constexpr (OP == Rounding::kFloor) {
      return std::floor(x);
    } else if constexpr (OP == Rounding::kCeil) {
      return std::ceil(x);
    } else {
      if (x < 0) throw SqlError(SqlState::kInvalidArgumentForPowerFunction, "cannot take square root of a negative number");
      return std::sqrt(x);
    }
  });
}

}  // namespace

void register_math_functions(catalog::FunctionRegistry& registry) {
  registry.add(make_function("abs", {LogicalType::smallint()}, LogicalType::smallint(), abs_kernel<int16_t>));
  registry.add(make_function("abs", {LogicalType::integer()}, LogicalType::integer(), abs_kernel<int32_t>));
  registry.add(make_function("abs", {LogicalType::bigint()}, LogicalType::bigint(), abs_kernel<int64_t>));
  const LogicalType d = LogicalType::double_precision();
  registry.add(make_function("abs", {d}, d, abs_kernel<double>));
  registry.add(make_function("abs", {LogicalType::real()}, LogicalType::real(), abs_kernel<float>));
  registry.add(make_function("round", {d}, d, double_math_kernel<Rounding::kRound>));
  registry.add(make_function("floor", {d}, d, double_math_kernel<Rounding::kFloor>));
  registry.add(make_function("ceil", {d}, d, double_math_kernel<Rounding::kCeil>));
  registry.add(make_function("ceiling", {d}, d, double_math_kernel<Rounding::kCeil>));
  registry.add(make_function("sqrt", {d}, d, double_math_kernel<Rounding::kSqrt>));
}

}  // namespace tessera::executor
