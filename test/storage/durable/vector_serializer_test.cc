#include "storage/durable/vector_serializer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "src/common/array_value.h"
#include "src/common/datetime.h"
#include "src/common/numeric.h"
#include "test/support/sqlstate_of.h"

namespace tessera::storage {
namespace {

using test_support::sqlstate_of;

// One column per physical layout, with edge values and NULLs.
std::vector<LogicalType> all_types() {
  return {LogicalType::boolean(),     LogicalType::smallint(),    LogicalType::integer(),
          LogicalType::bigint(),      LogicalType::double_precision(), LogicalType::real(),
          LogicalType::varchar(),     LogicalType(LogicalTypeId::kVarchar, 14), LogicalType::date(),
          LogicalType::timestamptz(), LogicalType::interval(),   LogicalType(LogicalTypeId::kNumeric, -1),
          LogicalType(LogicalTypeId::kUuid), LogicalType::array_of(LogicalType::integer())};
}

Value random_value(const LogicalType& type, std::mt19937_64& rng) {
  if (rng() % 5 == 0) return Value::null(type);
  switch (type.id()) {
    case LogicalTypeId::kBoolean: return Value::boolean(rng() % 2);
    case LogicalTypeId::kSmallint: return Value::smallint(static_cast<int16_t>(rng()));
    case LogicalTypeId::kInteger: return Value::integer(rng() % 3 == 0 ? std::numeric_limits<int32_t>::min() : static_cast<int32_t>(rng()));
    case LogicalTypeId::kBigint: return Value::bigint(static_cast<int64_t>(rng()));
    case LogicalTypeId::kDouble: {
      const double specials[] = {-0.0, std::numeric_limits<double>::infinity(), std::nan(""), 1e308, 1.5};
      return Value::double_precision(specials[rng() % 5]);
    }
    case LogicalTypeId::kReal: return Value::real(static_cast<float>(rng() % 1000) / 7.0f);
    case LogicalTypeId::kVarchar: {
      const size_t len = rng() % 3 == 0 ? 0 : rng() % 40;  // inlined and heap strings
      std::string s;
      for (size_t i = 0; i < len; i++) s.push_back(static_cast<char>('a' + rng() % 26));
      if (rng() % 4 == 0) s += "é\t\n";
      return Value::varchar(s, type.modifier());
    }
    case LogicalTypeId::kDate: return Value::date(static_cast<int32_t>(rng() % 100000) - 50000);
    case LogicalTypeId::kTimestampTz: return Value::timestamptz(static_cast<int64_t>(rng()));
    case LogicalTypeId::kInterval: {
      Interval i;
      i.micros = static_cast<int64_t>(rng());
      i.days = -static_cast<int32_t>(rng() % 1000);
      i.months = static_cast<int32_t>(rng() % 100);
      return Value::interval(i);
    }
    case LogicalTypeId::kNumeric: {
      const auto coefficient = static_cast<__int128>(static_cast<int64_t>(rng())) * 1000003;
      return Value::numeric(Numeric::make(coefficient, static_cast<int>(rng() % 8)));
    }
    case LogicalTypeId::kUuid: {
      std::string bytes(16, '\0');
      for (char& c : bytes) c = static_cast<char>(rng());
      return Value::uuid(bytes);
    }
    case LogicalTypeId::kArray:
      return array::make(LogicalType::integer(), {Value::integer(static_cast<int32_t>(rng() % 100)),
                                                         Value::null(LogicalType::integer())});
    default: return Value::null(type);
  }
}

std::string value_text(const Value& v) {
  if (v.is_null()) return "NULL";
  return v.to_string();
}

TEST(VectorSerializerTest, TypesRoundTrip) {
  for (const LogicalType& type : all_types()) {
    BinaryWriter w;
    write_type(w, type);
    BinaryReader r(w.data(), "t");
    EXPECT_EQ(type, read_type(r));
    EXPECT_TRUE(r.at_end());
  }
  BinaryWriter bad;
  bad.put_u8(99);
  bad.put_u32(0);
  bad.put_u8(0);
  EXPECT_EQ("XX001", sqlstate_of([&] {
              BinaryReader r(bad.data(), "t");
              read_type(r);
            }));
}

// Random chunks of every type, flat and as dictionaries and constants, sizes 0 to a full
// vector: what is read equals what was written, value for value.
TEST(VectorSerializerTest, ChunksRoundTrip) {
  std::mt19937_64 rng(11);
  const auto types = all_types();
  for (size_t size : {size_t{0}, size_t{1}, size_t{7}, size_t{64}, size_t{1000}, kVectorSize}) {
    DataChunk chunk;
    chunk.initialize(types);
    for (size_t c = 0; c < types.size(); c++) {
      for (size_t r = 0; r < size; r++) chunk.column(c).set_value(r, random_value(types[c], rng));
    }
    chunk.set_size(size);
    // Column 0 as a dictionary over itself in reverse; column 1 constant.
    if (size > 0) {
      SelectionVector sel(size);
      for (size_t r = 0; r < size; r++) sel.set_index(r, size - 1 - r);
      Vector flat = chunk.column(0);
      chunk.column(0).slice(flat, sel, size);
      chunk.column(1).reference(Vector(Value::smallint(-7)));
    }
    BinaryWriter w;
    write_chunk(w, chunk);
    BinaryReader r(w.data(), "chunk");
    DataChunk back;
    read_chunk(r, types, back);
    EXPECT_TRUE(r.at_end());
    ASSERT_EQ(size, back.size());
    for (size_t c = 0; c < types.size(); c++) {
      for (size_t row = 0; row < size; row++) {
        ASSERT_EQ(value_text(chunk.column(c).get_value(row)), value_text(back.column(c).get_value(row)))
            << "column " << c << " row " << row << " size " << size;
      }
    }
  }
}

TEST(VectorSerializerTest, ShapeMismatchAndTruncationAreDataCorrupted) {
  DataChunk chunk;
  chunk.initialize({LogicalType::integer(), LogicalType::varchar()});
  chunk.column(0).set_value(0, Value::integer(5));
  chunk.column(1).set_value(0, Value::varchar("a string longer than twelve bytes"));
  chunk.set_size(1);
  BinaryWriter w;
  write_chunk(w, chunk);
  const std::string bytes = w.data();
  EXPECT_EQ("XX001", sqlstate_of([&] {
              BinaryReader r(bytes, "chunk");
              DataChunk out;
              read_chunk(r, {LogicalType::integer()}, out);
            }));
  for (size_t cut = 0; cut < bytes.size(); cut++) {
    EXPECT_EQ("XX001", sqlstate_of([&] {
                BinaryReader r(std::string_view(bytes).substr(0, cut), "chunk");
                DataChunk out;
                read_chunk(r, {LogicalType::integer(), LogicalType::varchar()}, out);
              }))
        << "cut at " << cut;
  }
}

}  // namespace
}  // namespace tessera::storage
