// real (float4): text output and input, range checks, casts through Value and Vector storage.

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>

#include "src/common/sql_error.h"
#include "src/common/value.h"
#include "src/common/value_cast.h"
#include "src/common/vector.h"

namespace tessera {
namespace {

SqlState state_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const SqlError& e) {
    return e.state();
  }
  return SqlState::kSuccessfulCompletion;
}

TEST(RealTypeTest, LayoutAndWireIdentity) {
  const LogicalType r = LogicalType::real();
  EXPECT_EQ(r.physical_type(), PhysicalType::kFloat);
  EXPECT_EQ(r.physical_size(), 4u);
  EXPECT_EQ(r.pg_oid(), pg_oid::kFloat4);
  EXPECT_EQ(r.pg_typlen(), 4);
  EXPECT_EQ(r.name(), "real");
  EXPECT_TRUE(r.is_numeric());
  EXPECT_FALSE(r.is_integral());
  // bigint < real < double precision in the implicit promotion order.
  EXPECT_LT(LogicalType::bigint().numeric_rank(), r.numeric_rank());
  EXPECT_LT(r.numeric_rank(), LogicalType::double_precision().numeric_rank());
  EXPECT_TRUE(can_cast_implicitly(LogicalType::integer(), r));
  EXPECT_TRUE(can_cast_implicitly(r, LogicalType::double_precision()));
  EXPECT_FALSE(can_cast_implicitly(LogicalType::double_precision(), r));
  EXPECT_FALSE(can_cast_implicitly(r, LogicalType::integer()));
  EXPECT_TRUE(can_cast_assignment(LogicalType::double_precision(), r));
}

TEST(RealTypeTest, TextOutputIsShortestRoundTrip) {
  EXPECT_EQ(format_real(1.1f), "1.1");
  EXPECT_EQ(format_real(1.0f / 3.0f), "0.33333334");
  EXPECT_EQ(format_real(0.1f + 0.2f), "0.3");
  EXPECT_EQ(format_real(1.1f + 2.2f), "3.3000002");
  EXPECT_EQ(format_real(123456.0f), "123456");
  EXPECT_EQ(format_real(1e6f), "1e+06");
  EXPECT_EQ(format_real(1234567.0f), "1.234567e+06");
  EXPECT_EQ(format_real(0.0001f), "0.0001");
  EXPECT_EQ(format_real(0.00001f), "1e-05");
  EXPECT_EQ(format_real(3.4028235e38f), "3.4028235e+38");
  EXPECT_EQ(format_real(-0.0f), "-0");
  EXPECT_EQ(format_real(0.0f), "0");
  EXPECT_EQ(format_real(std::numeric_limits<float>::infinity()), "Infinity");
  EXPECT_EQ(format_real(-std::numeric_limits<float>::infinity()), "-Infinity");
  EXPECT_EQ(format_real(std::numeric_limits<float>::quiet_NaN()), "NaN");
  EXPECT_EQ(Value::real(2.5f).to_string(), "2.5");
  // The same value as double precision shows the float's exact binary value.
  EXPECT_EQ(Value::double_precision(1.1f).to_string(), "1.100000023841858");
}

TEST(RealTypeTest, TextInput) {
  float f = 0;
  bool oor = false;
  EXPECT_TRUE(parse_real("  1.5 ", f, oor));
  EXPECT_EQ(f, 1.5f);
  EXPECT_TRUE(parse_real("-Infinity", f, oor));
  EXPECT_TRUE(std::isinf(f) && f < 0);
  EXPECT_TRUE(parse_real("inf", f, oor));
  EXPECT_TRUE(std::isinf(f) && f > 0);
  EXPECT_TRUE(parse_real("NaN", f, oor));
  EXPECT_TRUE(std::isnan(f));
  EXPECT_TRUE(parse_real("1e-40", f, oor));  // a denormal is accepted
  EXPECT_GT(f, 0);
  EXPECT_FALSE(parse_real("1e39", f, oor));
  EXPECT_TRUE(oor);
  EXPECT_FALSE(parse_real("1e-50", f, oor));
  EXPECT_TRUE(oor);
  EXPECT_FALSE(parse_real("abc", f, oor));
  EXPECT_FALSE(oor);
  EXPECT_FALSE(parse_real("", f, oor));
  EXPECT_FALSE(parse_real("1.5x", f, oor));
  EXPECT_FALSE(parse_real("infx", f, oor));

  EXPECT_EQ(cast_value(Value::varchar("0.1"), LogicalType::real()), Value::real(0.1f));
  EXPECT_EQ(state_of([] { cast_value(Value::varchar("x"), LogicalType::real()); }), SqlState::kInvalidTextRepresentation);
  EXPECT_EQ(state_of([] { cast_value(Value::varchar("1e39"), LogicalType::real()); }), SqlState::kNumericValueOutOfRange);
}

TEST(RealTypeTest, Casts) {
  EXPECT_EQ(state_of([] { double_to_real(1e300); }), SqlState::kNumericValueOutOfRange);
  EXPECT_EQ(state_of([] { double_to_real(1e-300); }), SqlState::kNumericValueOutOfRange);
  EXPECT_EQ(double_to_real(std::numeric_limits<double>::infinity()), std::numeric_limits<float>::infinity());
  EXPECT_TRUE(std::isnan(double_to_real(std::numeric_limits<double>::quiet_NaN())));
  EXPECT_EQ(cast_value(Value::integer(16777217), LogicalType::real()), Value::real(16777216.0f));
  EXPECT_EQ(cast_value(Value::real(2.5f), LogicalType::integer()), Value::integer(2));
  EXPECT_EQ(cast_value(Value::real(3.5f), LogicalType::bigint()), Value::bigint(4));
  EXPECT_EQ(cast_value(Value::real(1.1f), LogicalType::double_precision()), Value::double_precision(static_cast<double>(1.1f)));
  EXPECT_EQ(cast_value(Value::real(1.1f), LogicalType::varchar()), Value::varchar("1.1"));
  EXPECT_EQ(state_of([] { cast_value(Value::real(1e10f), LogicalType::integer()); }), SqlState::kNumericValueOutOfRange);
  EXPECT_EQ(state_of([] { cast_value(Value::real(std::numeric_limits<float>::quiet_NaN()), LogicalType::bigint()); }),
            SqlState::kNumericValueOutOfRange);
}

TEST(RealTypeTest, VectorStoresFourBytes) {
  Vector v(LogicalType::real(), 8);
  v.set_value(0, Value::real(1.5f));
  v.set_value(1, Value::null(LogicalType::real()));
  v.set_value(2, Value::real(-0.0f));
  EXPECT_EQ(v.values<float>()[0], 1.5f);
  EXPECT_EQ(v.get_value(0), Value::real(1.5f));
  EXPECT_TRUE(v.get_value(1).is_null());
  EXPECT_TRUE(std::signbit(v.get_value(2).get_double()));
  EXPECT_EQ(Value::real(std::nanf("")), Value::real(std::nanf("")));
}

}  // namespace
}  // namespace tessera
