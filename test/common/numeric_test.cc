#include "src/common/numeric.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>

#include "src/common/sql_error.h"

namespace tessera {
namespace {

Numeric N(const char* text) { return numeric::parse_or_throw(text); }
std::string S(const Numeric& n) { return numeric::format(n); }

SqlState state_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const SqlError& e) {
    return e.state();
  }
  ADD_FAILURE() << "no error raised";
  return SqlState::kInternalError;
}

TEST(NumericTest, LayoutPacksCoefficientAndScale) {
  const Numeric n = Numeric::make(-12345, 3);
  EXPECT_EQ(sizeof(Numeric), 16u);
  EXPECT_EQ(n.coefficient(), -12345);
  EXPECT_EQ(n.scale(), 3);
  EXPECT_FALSE(n.is_nan());
  EXPECT_TRUE(Numeric::nan().is_nan());
  const __int128 big = numeric::pow10(35) - 1;
  EXPECT_EQ(Numeric::make(big, 0).coefficient(), big);
  EXPECT_EQ(Numeric::make(-big, 200).coefficient(), -big);
  EXPECT_EQ(state_of([&] { Numeric::make(big + 1, 0); }), SqlState::kNumericValueOutOfRange);
  EXPECT_EQ(state_of([] { Numeric::make(1, 201); }), SqlState::kNumericValueOutOfRange);
}

TEST(NumericTest, ParsesAndPrintsWithDisplayScale) {
  EXPECT_EQ(S(N("  12.340 ")), "12.340");
  EXPECT_EQ(S(N("-0.5")), "-0.5");
  EXPECT_EQ(S(N("1e3")), "1000");
  EXPECT_EQ(S(N("1.5e-3")), "0.0015");
  EXPECT_EQ(S(N("+.5")), "0.5");
  EXPECT_EQ(S(N("5.")), "5");
  EXPECT_EQ(S(N("-0.00")), "0.00");
  EXPECT_EQ(S(N("000123.4500")), "123.4500");
  EXPECT_EQ(S(N(" NaN ")), "NaN");
  EXPECT_EQ(S(N("-12345678901234567890123456789012345")), "-12345678901234567890123456789012345");
  Numeric out;
  for (const char* bad : {"x", "", " ", ".", "1.2.3", "1e", "1e+", "--1", "1 2", "NaNx"}) {
    EXPECT_FALSE(numeric::parse(bad, out)) << bad;
  }
  EXPECT_EQ(state_of([] { N("x"); }), SqlState::kInvalidTextRepresentation);
  EXPECT_EQ(state_of([] { N("123456789012345678901234567890123456"); }), SqlState::kNumericValueOutOfRange);
  EXPECT_EQ(state_of([] { N("Infinity"); }), SqlState::kFeatureNotSupported);
}

TEST(NumericTest, ArithmeticScalesFollowPostgres) {
  EXPECT_EQ(S(numeric::add(N("1.1"), N("2.22"))), "3.32");
  EXPECT_EQ(S(numeric::sub(N("1.1"), N("2.22"))), "-1.12");
  EXPECT_EQ(S(numeric::mul(N("2.5"), N("1.25"))), "3.125");
  EXPECT_EQ(S(numeric::mul(N("1.10"), N("2.0"))), "2.200");
  EXPECT_EQ(S(numeric::div(N("1"), N("3"))), "0.33333333333333333333");
  EXPECT_EQ(S(numeric::div(N("2"), N("3.0"))), "0.66666666666666666667");
  EXPECT_EQ(S(numeric::div(N("100000"), N("3.0"))), "33333.333333333333");
  EXPECT_EQ(S(numeric::div(N("10.00"), N("4"))), "2.5000000000000000");
  EXPECT_EQ(S(numeric::div(N("0.0000001"), N("7"))), "0.000000014285714285714286");
  EXPECT_EQ(S(numeric::div(N("-1.5"), N("2"))), "-0.75000000000000000000");
  EXPECT_EQ(S(numeric::mod(N("-7.5"), N("2"))), "-1.5");
  EXPECT_EQ(S(numeric::negate(N("1.50"))), "-1.50");
  EXPECT_EQ(S(numeric::add(N("NaN"), N("1"))), "NaN");
  EXPECT_EQ(state_of([] { numeric::div(N("1"), N("0.0")); }), SqlState::kDivisionByZero);
  EXPECT_EQ(state_of([] { numeric::mod(N("1"), N("0")); }), SqlState::kDivisionByZero);
  EXPECT_EQ(state_of([] { numeric::mul(N("1e20"), N("1e20")); }), SqlState::kNumericValueOutOfRange);
}

TEST(NumericTest, RoundingIsHalfAwayFromZero) {
  EXPECT_EQ(S(numeric::round(N("2.5"), 0)), "3");
  EXPECT_EQ(S(numeric::round(N("-2.5"), 0)), "-3");
  EXPECT_EQ(S(numeric::round(N("1.2345"), 2)), "1.23");
  EXPECT_EQ(S(numeric::round(N("1.5"), 3)), "1.500");
  EXPECT_EQ(S(numeric::round(N("1234.5678"), -2)), "1200");
  EXPECT_EQ(S(numeric::round(N("-1250"), -2)), "-1300");
  EXPECT_EQ(S(numeric::trunc(N("-2.9"), 0)), "-2");
  EXPECT_EQ(S(numeric::trunc(N("1234.5"), -2)), "1200");
  EXPECT_EQ(S(numeric::ceil(N("-1.1"))), "-1");
  EXPECT_EQ(S(numeric::ceil(N("1.1"))), "2");
  EXPECT_EQ(S(numeric::floor(N("-1.1"))), "-2");
  EXPECT_EQ(S(numeric::floor(N("1.9"))), "1");
  int64_t v;
  ASSERT_TRUE(numeric::to_int64(N("-2.5"), v));
  EXPECT_EQ(v, -3);
  EXPECT_FALSE(numeric::to_int64(N("1e19"), v));
  EXPECT_FALSE(numeric::to_int64(Numeric::nan(), v));
}

TEST(NumericTest, CompareAndHashIgnoreScale) {
  EXPECT_EQ(numeric::compare(N("1.0"), N("1.00")), 0);
  EXPECT_EQ(numeric::hash(N("1.0")), numeric::hash(N("1.00")));
  EXPECT_EQ(numeric::hash(N("0")), numeric::hash(N("0.000")));
  EXPECT_LT(numeric::compare(N("-2"), N("-1.5")), 0);
  EXPECT_LT(numeric::compare(N("0.001"), N("1000")), 0);
  EXPECT_GT(numeric::compare(N("NaN"), N("1e30")), 0);
  EXPECT_EQ(numeric::compare(N("NaN"), N("nan")), 0);
  EXPECT_EQ(S(numeric::normalize(N("12.3400"))), "12.34");
}

TEST(NumericTest, TypmodCoercion) {
  const int32_t t52 = numeric::make_typmod(5, 2);
  EXPECT_EQ(t52, (5 << 16 | 2) + 4);
  EXPECT_EQ(numeric::typmod_precision(t52), 5);
  EXPECT_EQ(numeric::typmod_scale(t52), 2);
  EXPECT_EQ(numeric::typmod_scale(numeric::make_typmod(3, -1)), -1);
  EXPECT_EQ(S(numeric::apply_typmod(N("1.005"), t52)), "1.01");
  EXPECT_EQ(S(numeric::apply_typmod(N("1.5"), t52)), "1.50");
  EXPECT_EQ(S(numeric::apply_typmod(N("1234"), numeric::make_typmod(3, -1))), "1230");
  EXPECT_EQ(S(numeric::apply_typmod(N("NaN"), t52)), "NaN");
  try {
    numeric::apply_typmod(N("999.995"), t52);
    FAIL();
  } catch (const SqlError& e) {
    EXPECT_EQ(e.state(), SqlState::kNumericValueOutOfRange);
    EXPECT_EQ(e.message(), "numeric field overflow");
    EXPECT_EQ(*e.detail(), "A field with precision 5, scale 2 must round to an absolute value less than 10^3.");
  }
  const int32_t mods[] = {0};
  EXPECT_EQ(state_of([&] { numeric::typmod_from_modifiers(mods, 1); }), SqlState::kInvalidParameterValue);
}

TEST(NumericTest, DoubleConversionsUseFifteenDigits) {
  EXPECT_EQ(S(numeric::from_double(0.1)), "0.1");
  EXPECT_EQ(S(numeric::from_double(1e20)), "100000000000000000000");
  EXPECT_EQ(S(numeric::from_double(1.0 / 3)), "0.333333333333333");
  EXPECT_DOUBLE_EQ(numeric::to_double(N("1.25")), 1.25);
}

TEST(NumericTest, FastPathsAgreeWithTheGeneralOnesAtTheirEdges) {
  // to_double: a division for coefficients below 2^53, the decimal text otherwise.
  for (const char* text : {"0.1", "123456.78", "-9007199254740991", "9007199254740993", "1.00000000000000000001",
                           "0.0000000000000000000001", "12345678901234567890.123"}) {
    EXPECT_EQ(std::strtod(text, nullptr), numeric::to_double(numeric::parse_or_throw(text))) << text;
  }
  // mul: coefficients on both sides of 2^62, and the bound.
  const Numeric big = numeric::parse_or_throw("4611686018427387904");  // 2^62
  EXPECT_THROW(numeric::mul(big, big), SqlError);  // 2^124 has 38 digits: beyond 35
  EXPECT_EQ("11529215046068469757.5",
            numeric::format(numeric::mul(numeric::parse_or_throw("4611686018427387903"), numeric::parse_or_throw("2.5"))));
  EXPECT_EQ("13835058055282163715",
            numeric::format(numeric::mul(numeric::parse_or_throw("4611686018427387905"), numeric::parse_or_throw("3"))));
  EXPECT_EQ("-0.000006", numeric::format(numeric::mul(numeric::parse_or_throw("-0.002"), numeric::parse_or_throw("0.003"))));
  // add / sub with different scales scale up the coefficient: near 10^18 and the bound.
  EXPECT_EQ("999999999999999999.01", numeric::format(numeric::add(numeric::parse_or_throw("999999999999999999"),
                                                                  numeric::parse_or_throw("0.01"))));
  EXPECT_EQ("1000000000000000000.1", numeric::format(numeric::add(numeric::parse_or_throw("1000000000000000000"),
                                                                  numeric::parse_or_throw("0.1"))));
  EXPECT_THROW(numeric::add(numeric::parse_or_throw("99999999999999999999999999999999"), numeric::parse_or_throw("0.0001")),
               SqlError);
  EXPECT_EQ("3.50", numeric::format(numeric::sub(numeric::parse_or_throw("4.25"), numeric::parse_or_throw("0.75"))));
  EXPECT_EQ("0.95", numeric::format(numeric::sub(numeric::parse_or_throw("1"), numeric::parse_or_throw("0.05"))));
  EXPECT_EQ("-10000000000000000.00000000000000001",
            numeric::format(numeric::sub(numeric::parse_or_throw("-0.00000000000000001"),
                                         numeric::parse_or_throw("10000000000000000"))));
  EXPECT_EQ("99999999999999999.000000000000000001",
            numeric::format(numeric::add(numeric::parse_or_throw("99999999999999999"),
                                         numeric::parse_or_throw("0.000000000000000001"))));
  EXPECT_EQ("NaN", numeric::format(numeric::add(Numeric::nan(), numeric::parse_or_throw("1.5"))));
}

TEST(NumericTest, SqrtRoundsToTheRequestedScale) {
  EXPECT_EQ(S(numeric::sqrt(N("2"), 16)), "1.4142135623730950");
  EXPECT_EQ(S(numeric::sqrt(N("0.000000500000000000000000"), 24)), "0.000707106781186547524401");
  EXPECT_EQ(S(numeric::sqrt(N("49.0000000000000000"), 16)), "7.0000000000000000");
  EXPECT_EQ(S(numeric::sqrt(N("0"), 3)), "0.000");
  EXPECT_EQ(S(numeric::sqrt(N("98000000000000000000"), 0)), "9899494937");
  // 0.25 rounds up at scale 0 (0.5), 0.2025 is exact at scale 2.
  EXPECT_EQ(S(numeric::sqrt(N("0.25"), 0)), "1");
  EXPECT_EQ(S(numeric::sqrt(N("0.2025"), 2)), "0.45");
  EXPECT_TRUE(numeric::sqrt(Numeric::nan(), 4).is_nan());
  EXPECT_EQ(state_of([&] { numeric::sqrt(N("-1"), 2); }), SqlState::kInvalidArgumentForPowerFunction);
  EXPECT_EQ(state_of([&] { numeric::sqrt(N("1"), 40); }), SqlState::kNumericValueOutOfRange);
}

}  // namespace
}  // namespace tessera
