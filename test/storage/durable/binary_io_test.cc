#include "storage/durable/binary_io.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "test/support/sqlstate_of.h"

namespace tessera::storage {
namespace {

using test_support::sqlstate_of;

TEST(BinaryIoTest, RoundTripsEveryKind) {
  BinaryWriter w;
  w.put_u8(0xAB);
  w.put_u32(0xDEADBEEF);
  w.put_u64(0x0123456789ABCDEFull);
  w.put_i64(std::numeric_limits<int64_t>::min());
  w.put_double(-0.0);
  w.put_double(std::numeric_limits<double>::quiet_NaN());
  for (uint64_t v : {uint64_t{0}, uint64_t{127}, uint64_t{128}, uint64_t{300}, ~uint64_t{0}}) w.put_varint(v);
  w.put_string("");
  w.put_string(std::string(1000, 'x'));
  w.put_string(std::string("a\0b", 3));

  BinaryReader r(w.data(), "test data");
  EXPECT_EQ(0xAB, r.get_u8());
  EXPECT_EQ(0xDEADBEEFu, r.get_u32());
  EXPECT_EQ(0x0123456789ABCDEFull, r.get_u64());
  EXPECT_EQ(std::numeric_limits<int64_t>::min(), r.get_i64());
  const double negative_zero = r.get_double();
  EXPECT_EQ(0.0, negative_zero);
  EXPECT_TRUE(std::signbit(negative_zero));
  EXPECT_TRUE(std::isnan(r.get_double()));
  for (uint64_t v : {uint64_t{0}, uint64_t{127}, uint64_t{128}, uint64_t{300}, ~uint64_t{0}}) EXPECT_EQ(v, r.get_varint());
  EXPECT_EQ("", r.get_string());
  EXPECT_EQ(std::string(1000, 'x'), r.get_string());
  EXPECT_EQ(std::string("a\0b", 3), r.get_string());
  EXPECT_TRUE(r.at_end());
}

TEST(BinaryIoTest, LittleEndianOnDisk) {
  BinaryWriter w;
  w.put_u32(0x04030201);
  EXPECT_EQ(std::string("\x01\x02\x03\x04", 4), w.data());
  BinaryWriter v;
  v.put_varint(300);
  EXPECT_EQ(std::string("\xAC\x02", 2), v.data());
}

TEST(BinaryIoTest, ReadingPastTheEndIsDataCorrupted) {
  BinaryWriter w;
  w.put_u32(7);
  w.put_string("abc");
  const std::string bytes = w.data();
  EXPECT_EQ("XX001", sqlstate_of([&] {
              BinaryReader r(std::string_view(bytes).substr(0, 3), "f");
              r.get_u32();
            }));
  // A length beyond the data.
  BinaryWriter long_length;
  long_length.put_varint(1000);
  long_length.put_bytes("ab", 2);
  EXPECT_EQ("XX001", sqlstate_of([&] {
              BinaryReader r(long_length.data(), "f");
              r.get_string();
            }));
  // A varint longer than ten bytes.
  const std::string overlong(11, '\x80');
  EXPECT_EQ("XX001", sqlstate_of([&] {
              BinaryReader r(overlong, "f");
              r.get_varint();
            }));
  try {
    BinaryReader r("", "data file \"x\"");
    r.get_u8();
    FAIL();
  } catch (const SqlError& e) {
    EXPECT_EQ("data file \"x\": unexpected end of data", e.message());
  }
}

}  // namespace
}  // namespace tessera::storage
