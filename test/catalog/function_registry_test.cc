#include "catalog/function_registry.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "src/common/sql_error.h"

namespace tessera::catalog {
namespace {

const LogicalType kInt2 = LogicalType::smallint();
const LogicalType kInt4 = LogicalType::integer();
const LogicalType kInt8 = LogicalType::bigint();
const LogicalType kFloat8 = LogicalType::double_precision();
const LogicalType kText = LogicalType::varchar();
const LogicalType kBool = LogicalType::boolean();
const LogicalType kUnknown = LogicalType::sql_null();

void no_op(std::span<const Vector* const>, const sel_t*, size_t, Vector&, const FunctionData*) {}

ScalarFunction function(std::string name, std::vector<LogicalType> params, LogicalType result,
                        FunctionKind kind = FunctionKind::kFunction) {
  ScalarFunction f;
  f.name = std::move(name);
  f.kind = kind;
  for (const auto& p : params) f.params.push_back(ParamType::of(p));
  f.result = ParamType::of(result);
  f.execute = no_op;
  return f;
}

/// The SQLSTATE, message and hint of the error `f` raises.
template <class F>
std::vector<std::string> error_of(F&& f) {
  try {
    f();
  } catch (const SqlError& e) {
    return {std::string(sqlstate_code(e.state())), e.message(), e.hint().value_or("")};
  }
  return {"none"};
}

class FunctionRegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Overloads shaped like PostgreSQL's abs, length, the + operator and ||.
    for (const auto& t : {kInt2, kInt4, kInt8, kFloat8}) registry_.add(function("abs", {t}, t));
    registry_.add(function("length", {kText}, kInt4));
    for (const auto& t : {kInt4, kInt8, kFloat8}) registry_.add(function("+", {t, t}, t, FunctionKind::kOperator));
    registry_.add(function("||", {kText, kText}, kText, FunctionKind::kOperator));
    ScalarFunction cat = function("||", {}, kText, FunctionKind::kOperator);
    cat.params = {ParamType::of(kText), ParamType::any_non_array()};
    registry_.add(cat);
    cat.params = {ParamType::any_non_array(), ParamType::of(kText)};
    registry_.add(cat);
    // Two numeric overloads with no preferred type between them.
    registry_.add(function("pick", {kInt4}, kInt4));
    registry_.add(function("pick", {kInt8}, kInt8));
    // A numeric and a string overload.
    registry_.add(function("shape", {kInt4}, kInt4));
    registry_.add(function("shape", {kText}, kText));
  }

  const ScalarFunction* resolve(const std::string& name, std::vector<LogicalType> args) {
    return registry_.resolve_function(name, args).function;
  }

  FunctionRegistry registry_;
};

TEST_F(FunctionRegistryTest, RegistersOverloadsWithStableOids) {
  EXPECT_EQ(registry_.functions("abs").size(), 4u);
  EXPECT_EQ(registry_.operators("+").size(), 3u);
  EXPECT_TRUE(registry_.functions("+").empty());
  EXPECT_TRUE(registry_.functions("nope").empty());
  const ScalarFunction* abs_int = resolve("abs", {kInt4});
  EXPECT_EQ(abs_int->signature(), "abs(integer)");
  EXPECT_GE(abs_int->oid, 10000u);
  EXPECT_LT(abs_int->oid, 16384u);
  // The oid follows from the signature, not from what else was registered before.
  FunctionRegistry other;
  other.add(function("length", {kText}, kInt4));
  const ScalarFunction& abs_other = other.add(function("abs", {kInt4}, kInt4));
  EXPECT_EQ(abs_other.oid, abs_int->oid);
  // The same signature twice is a programming error.
  EXPECT_EQ(error_of([&] { other.add(function("abs", {kInt4}, kInt4)); })[0], "XX000");
}

TEST_F(FunctionRegistryTest, ExactMatchWins) {
  EXPECT_EQ(resolve("abs", {kInt2})->signature(), "abs(smallint)");
  EXPECT_EQ(resolve("abs", {kInt8})->signature(), "abs(bigint)");
  EXPECT_EQ(resolve("abs", {kFloat8})->signature(), "abs(double precision)");
  auto r = registry_.resolve_operator("+", std::vector<LogicalType>{kInt8, kInt8});
  EXPECT_EQ(r.return_type, kInt8);
}

TEST_F(FunctionRegistryTest, ImplicitCastsReachOverloads) {
  // length(text) is the only candidate of a varchar(n) argument.
  auto r = registry_.resolve_function("length", std::vector<LogicalType>{LogicalType(LogicalTypeId::kVarchar, 5)});
  EXPECT_EQ(r.function->signature(), "length(text)");
  // integer + bigint: int4 -> int8 is implicit; int8 + int8 matches one argument exactly.
  r = registry_.resolve_operator("+", std::vector<LogicalType>{kInt4, kInt8});
  EXPECT_EQ(r.return_type, kInt8);
  EXPECT_EQ(r.arg_types, (std::vector<LogicalType>{kInt8, kInt8}));
  // smallint + integer: int4 + int4 matches one argument exactly, int8 + int8 none.
  r = registry_.resolve_operator("+", std::vector<LogicalType>{kInt2, kInt4});
  EXPECT_EQ(r.return_type, kInt4);
  // integer + double precision reaches float8 + float8 only.
  r = registry_.resolve_operator("+", std::vector<LogicalType>{kInt4, kFloat8});
  EXPECT_EQ(r.return_type, kFloat8);
}

TEST_F(FunctionRegistryTest, PreferredTypeDecidesAmongCasts) {
  // smallint + smallint: int4, int8 and float8 candidates, no exact match; float8 is the
  // preferred numeric type.
  auto r = registry_.resolve_operator("+", std::vector<LogicalType>{kInt2, kInt2});
  EXPECT_EQ(r.return_type, kFloat8);
}

TEST_F(FunctionRegistryTest, UnknownLiteralsResolveByCategory) {
  // abs('1'): every candidate is numeric, float8 is preferred.
  EXPECT_EQ(resolve("abs", {kUnknown})->signature(), "abs(double precision)");
  // shape('x'): the string category wins over numeric.
  EXPECT_EQ(resolve("shape", {kUnknown})->signature(), "shape(text)");
  // 'a' || 'b' is text || text; 1 || 'a' is anynonarray || text with the known type kept.
  auto r = registry_.resolve_operator("||", std::vector<LogicalType>{kUnknown, kUnknown});
  EXPECT_EQ(r.function->signature(), "||(text, text)");
  r = registry_.resolve_operator("||", std::vector<LogicalType>{kInt4, kUnknown});
  EXPECT_EQ(r.function->signature(), "||(anynonarray, text)");
  EXPECT_EQ(r.arg_types, (std::vector<LogicalType>{kInt4, kText}));
  // integer + unknown: the unknown side takes the known side's type (binary_oper_exact).
  r = registry_.resolve_operator("+", std::vector<LogicalType>{kInt4, kUnknown});
  EXPECT_EQ(r.arg_types, (std::vector<LogicalType>{kInt4, kInt4}));
}

TEST_F(FunctionRegistryTest, AmbiguousCallsRaise42725) {
  auto e = error_of([&] { resolve("pick", {kUnknown}); });
  EXPECT_EQ(e, (std::vector<std::string>{"42725", "function pick(unknown) is not unique",
                                         "Could not choose a best candidate function. You might need to add explicit type casts."}));
  // pick(smallint) reaches both, neither exact nor preferred.
  EXPECT_EQ(error_of([&] { resolve("pick", {kInt2}); })[0], "42725");
}

TEST_F(FunctionRegistryTest, MissingFunctionsRaise42883) {
  auto e = error_of([&] { resolve("abs", {kText}); });
  EXPECT_EQ(e, (std::vector<std::string>{"42883", "function abs(text) does not exist",
                                         "No function matches the given name and argument types. You might need to add "
                                         "explicit type casts."}));
  EXPECT_EQ(error_of([&] { resolve("nope", {kInt4, LogicalType(LogicalTypeId::kVarchar, 3)}); })[1],
            "function nope(integer, character varying) does not exist");
  EXPECT_EQ(error_of([&] { resolve("abs", {kInt4, kInt4}); })[1], "function abs(integer, integer) does not exist");
  e = error_of([&] { registry_.resolve_operator("+", std::vector<LogicalType>{kInt4, kText}); });
  EXPECT_EQ(e, (std::vector<std::string>{"42883", "operator does not exist: integer + text",
                                         "No operator matches the given name and argument types. You might need to add "
                                         "explicit type casts."}));
  e = error_of([&] { registry_.resolve_operator("+", std::vector<LogicalType>{kBool}); });
  EXPECT_EQ(e, (std::vector<std::string>{"42883", "operator does not exist: + boolean",
                                         "No operator matches the given name and argument type. You might need to add an "
                                         "explicit type cast."}));
  // || needs a text side.
  EXPECT_EQ(error_of([&] { registry_.resolve_operator("||", std::vector<LogicalType>{kInt4, kInt4}); })[1],
            "operator does not exist: integer || integer");
}

TEST_F(FunctionRegistryTest, PolymorphicParameters) {
  ScalarFunction typeof_fn = function("typeof", {}, kText);
  typeof_fn.params = {ParamType::any()};
  registry_.add(typeof_fn);
  auto r = registry_.resolve_function("typeof", std::vector<LogicalType>{kUnknown});
  EXPECT_EQ(r.arg_types[0], kUnknown);  // "any" takes an unknown literal as it is
  ScalarFunction greatest = function("greatest", {}, kText);
  greatest.params = {ParamType::any_compatible()};
  greatest.variadic = true;
  greatest.result = ParamType::any_compatible();
  registry_.add(greatest);
  r = registry_.resolve_function("greatest", std::vector<LogicalType>{kInt4, kInt8, kInt2});
  EXPECT_EQ(r.return_type, kInt8);
  EXPECT_EQ(r.arg_types, (std::vector<LogicalType>{kInt8, kInt8, kInt8}));
  EXPECT_EQ(registry_.resolve_function("greatest", std::vector<LogicalType>{kUnknown, kUnknown}).return_type, kText);
  EXPECT_EQ(error_of([&] { registry_.resolve_function("greatest", std::vector<LogicalType>{kInt4, kText}); })[0], "42883");
  EXPECT_EQ(error_of([&] { registry_.resolve_function("greatest", std::vector<LogicalType>{}); })[0], "42883");
}

TEST_F(FunctionRegistryTest, AggregatesResolveLikeFunctions) {
  auto make = [](std::vector<ParamType> params, LogicalType result) {
    AggregateFunction a;
    a.name = "count";
    a.params = std::move(params);
    a.result = ParamType::of(result);
    a.state_size = 8;
    a.state_alignment = 8;
    a.init = [](AggregateState* const*, size_t, size_t) {};
    a.update = [](std::span<const Vector>, size_t, AggregateState* const*, size_t, StringHeap&) {};
    a.combine = [](const AggregateState* const*, AggregateState* const*, size_t, size_t, StringHeap&) {};
    a.finalize = [](const AggregateState* const*, size_t, size_t, Vector&) {};
    return a;
  };
  registry_.add(make({}, kInt8));
  registry_.add(make({ParamType::any()}, kInt8));
  EXPECT_TRUE(registry_.is_aggregate("count"));
  EXPECT_FALSE(registry_.is_aggregate("abs"));
  EXPECT_EQ(registry_.resolve_aggregate("count", std::vector<LogicalType>{}).function->signature(), "count(*)");
  EXPECT_EQ(registry_.resolve_aggregate("count", std::vector<LogicalType>{kText}).function->signature(), "count(\"any\")");
  EXPECT_EQ(error_of([&] { registry_.resolve_aggregate("count", std::vector<LogicalType>{kInt4, kInt4}); })[1],
            "function count(integer, integer) does not exist");
}

}  // namespace
}  // namespace tessera::catalog
