#include "storage/zone_map.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace tessera::storage {
namespace {

TEST(ZoneMapTest, IntegersAndNulls) {
  ZoneMap zone(LogicalType::integer());
  EXPECT_TRUE(zone.min().is_null());
  zone.add_integer(5);
  zone.add_null(3);
  zone.add_integer(-7);
  zone.add_integer(2);
  EXPECT_EQ(Value::integer(-7), zone.min());
  EXPECT_EQ(Value::integer(5), zone.max());
  EXPECT_EQ(3u, zone.null_count());
  EXPECT_EQ(3u, zone.value_count());
}

TEST(ZoneMapTest, DoublesOrderNaNLast) {
  ZoneMap zone(LogicalType::double_precision());
  zone.add_double(std::nan(""));
  zone.add_double(1.5);
  zone.add_double(-std::numeric_limits<double>::infinity());
  EXPECT_EQ(Value::double_precision(-std::numeric_limits<double>::infinity()), zone.min());
  EXPECT_TRUE(std::isnan(zone.max().get_double()));
}

TEST(ZoneMapTest, RealsKeepFloatValuesInFloat8Order) {
  ZoneMap zone(LogicalType::real());
  zone.add_double(0.1f);
  zone.add_double(std::nanf(""));
  zone.add_double(-2.5f);
  EXPECT_EQ(Value::real(-2.5f), zone.min());
  EXPECT_TRUE(std::isnan(zone.max().get_double()));
  EXPECT_EQ(zone.max().type(), LogicalType::real());
  ZoneMap other(LogicalType::real());
  other.add_double(-3.0f);
  zone.merge(other);
  EXPECT_EQ(Value::real(-3.0f), zone.min());
}

TEST(ZoneMapTest, MergeKeepsExtremesAndCounts) {
  ZoneMap a(LogicalType::varchar()), b(LogicalType::varchar()), empty(LogicalType::varchar());
  a.add_string("m");
  a.add_null();
  b.add_string("b");
  b.add_string("z");
  empty.add_null(2);
  a.merge(b);
  a.merge(empty);
  EXPECT_EQ(Value::varchar("b"), a.min());
  EXPECT_EQ(Value::varchar("z"), a.max());
  EXPECT_EQ(3u, a.null_count());
  EXPECT_EQ(3u, a.value_count());
  empty.merge(a);
  EXPECT_EQ(5u, empty.null_count());
  EXPECT_EQ(Value::varchar("b"), empty.min());
}

}  // namespace
}  // namespace tessera::storage
