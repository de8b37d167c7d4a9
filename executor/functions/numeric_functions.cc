// The numeric type's operators and functions: + - * / % and prefix - +, abs, sign, round and
// trunc (with or without a scale), ceil/ceiling, floor, mod. Result scales follow PostgreSQL
// (src/common/numeric.h); division by zero is 22012, a result beyond the numeric bound 22003.
// sqrt, exp, ln, log, log10 and power over numeric compute PostgreSQL's exact-scale results in
// PostgreSQL; they raise 0A000 here rather than print a double's digits.

#include "executor/functions/builtin_functions.h"
#include "executor/functions/registration.h"
#include "executor/functions/vector_loops.h"
#include "src/common/numeric.h"
#include "src/common/sql_error.h"

namespace tessera::executor {

namespace {

template <Numeric (*OP)(const Numeric&, const Numeric&)>
void numeric_binary(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result,
                    const catalog::FunctionData*) {
  binary_strict<Numeric, Numeric, Numeric>(*args[0], *args[1], sel, count, result,
                                           [](const Numeric& x, const Numeric& y) { return OP(x, y); });
}

template <Numeric (*OP)(const Numeric&)>
void numeric_unary(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result,
                   const catalog::FunctionData*) {
  unary_strict<Numeric, Numeric>(*args[0], sel, count, result, [](const Numeric& x) { return OP(x); });
}

Numeric identity(const Numeric& x) { return x; }
Numeric round0(const Numeric& x) { return numeric::round(x, 0); }
Numeric trunc0(const Numeric& x) { return numeric::trunc(x, 0); }

template <Numeric (*OP)(const Numeric&, int)>
void numeric_with_scale(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result,
                        const catalog::FunctionData*) {
  binary_strict<Numeric, int32_t, Numeric>(*args[0], *args[1], sel, count, result,
                                           [](const Numeric& x, int32_t s) { return OP(x, s); });
}

void not_supported_kernel(std::span<const Vector* const>, const sel_t*, size_t, Vector& result,
                          const catalog::FunctionData*) {
  throw SqlError(SqlState::kFeatureNotSupported,
                 "this function is not supported for type numeric yet; cast the argument to double precision");
}

}  // namespace

void register_numeric_functions(catalog::FunctionRegistry& registry) {
  const LogicalType n = LogicalType::numeric();
  const LogicalType i = LogicalType::integer();
  registry.add(make_operator("+", {n, n}, n, numeric_binary<numeric::add>));
  registry.add(make_operator("-", {n, n}, n, numeric_binary<numeric::sub>));
  registry.add(make_operator("*", {n, n}, n, numeric_binary<numeric::mul>));
  registry.add(make_operator("/", {n, n}, n, numeric_binary<numeric::div>));
  registry.add(make_operator("%", {n, n}, n, numeric_binary<numeric::mod>));
  registry.add(make_operator("-", {n}, n, numeric_unary<numeric::negate>));
  registry.add(make_operator("+", {n}, n, numeric_unary<identity>));
  registry.add(make_function("mod", {n, n}, n, numeric_binary<numeric::mod>));
  registry.add(make_function("abs", {n}, n, numeric_unary<numeric::abs>));
  registry.add(make_function("sign", {n}, n, numeric_unary<numeric::sign>));
  registry.add(make_function("round", {n}, n, numeric_unary<round0>));
  registry.add(make_function("round", {n, i}, n, numeric_with_scale<numeric::round>));
  registry.add(make_function("trunc", {n}, n, numeric_unary<trunc0>));
  registry.add(make_function("trunc", {n, i}, n, numeric_with_scale<numeric::trunc>));
  registry.add(make_function("ceil", {n}, n, numeric_unary<numeric::ceil>));
  registry.add(make_function("ceiling", {n}, n, numeric_unary<numeric::ceil>));
  registry.add(make_function("floor", {n}, n, numeric_unary<numeric::floor>));
  for (const char* name : {"sqrt", "exp", "ln", "log", "log10"}) {
    registry.add(make_function(name, {n}, n, not_supported_kernel));
  }
  registry.add(make_function("power", {n, n}, n, not_supported_kernel));
  registry.add(make_operator("^", {n, n}, n, not_supported_kernel));
}

}  // namespace tessera::executor
