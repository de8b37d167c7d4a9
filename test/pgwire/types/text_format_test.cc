#include "pgwire/types/text_format.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "pgwire/codec/backend_encoder.h"
#include "test/pgwire/backend_stream.h"
#include "test/pgwire/frontend_bytes.h"

namespace tessera::pgwire {
namespace {

std::optional<std::string> text_of(const Value& value) {
  Vector vector(value.type(), 1);
  vector.set_value(0, value);
  return text_value(vector, 0);
}

TEST(TextFormatTest, Booleans) {
  EXPECT_EQ(text_of(Value::boolean(true)), "t");
  EXPECT_EQ(text_of(Value::boolean(false)), "f");
}

TEST(TextFormatTest, Integers) {
  EXPECT_EQ(text_of(Value::smallint(-32768)), "-32768");
  EXPECT_EQ(text_of(Value::smallint(0)), "0");
  EXPECT_EQ(text_of(Value::integer(2147483647)), "2147483647");
  EXPECT_EQ(text_of(Value::integer(-2147483647 - 1)), "-2147483648");
  EXPECT_EQ(text_of(Value::bigint(std::numeric_limits<int64_t>::min())), "-9223372036854775808");
  EXPECT_EQ(text_of(Value::bigint(std::numeric_limits<int64_t>::max())), "9223372036854775807");
}

TEST(TextFormatTest, DoublesAsPostgreSQLPrintsThem) {
  EXPECT_EQ(text_of(Value::double_precision(0.1)), "0.1");
  EXPECT_EQ(text_of(Value::double_precision(1.5)), "1.5");
  EXPECT_EQ(text_of(Value::double_precision(-2)), "-2");
  EXPECT_EQ(text_of(Value::double_precision(1e20)), "1e+20");
  EXPECT_EQ(text_of(Value::double_precision(1.0 / 3)), "0.3333333333333333");
  EXPECT_EQ(text_of(Value::double_precision(1e-5)), "1e-05");
  EXPECT_EQ(text_of(Value::double_precision(-0.0)), "-0");
  EXPECT_EQ(text_of(Value::double_precision(std::numeric_limits<double>::infinity())), "Infinity");
  EXPECT_EQ(text_of(Value::double_precision(-std::numeric_limits<double>::infinity())), "-Infinity");
  EXPECT_EQ(text_of(Value::double_precision(std::nan(""))), "NaN");
}

TEST(TextFormatTest, RealsAsPostgreSQLPrintsThem) {
  EXPECT_EQ(text_of(Value::real(1.1f)), "1.1");
  EXPECT_EQ(text_of(Value::real(1.0f / 3)), "0.33333334");
  EXPECT_EQ(text_of(Value::real(1e6f)), "1e+06");
  EXPECT_EQ(text_of(Value::real(123456.0f)), "123456");
  EXPECT_EQ(text_of(Value::real(-0.0f)), "-0");
  EXPECT_EQ(text_of(Value::real(std::numeric_limits<float>::infinity())), "Infinity");
  EXPECT_EQ(text_of(Value::real(std::nanf(""))), "NaN");
}

TEST(TextFormatTest, DateTimeTypesInDateStyleIsoAndTheSessionZone) {
  EXPECT_EQ(text_of(Value::date(datetime::parse_date("2024-01-31"))), "2024-01-31");
  EXPECT_EQ(text_of(Value::date(datetime::kDateInfinity)), "infinity");
  EXPECT_EQ(text_of(Value::time(datetime::parse_time("13:45:00.5"))), "13:45:00.5");
  EXPECT_EQ(text_of(Value::timestamp(datetime::parse_timestamp("0044-03-15 12:00 BC"))), "0044-03-15 12:00:00 BC");
  EXPECT_EQ(text_of(Value::interval(datetime::parse_interval("-1 days +02:00"))), "-1 days +02:00:00");
  DateTimeContext context;
  context.time_zone = find_time_zone("Asia/Kolkata");
  ScopedDateTimeContext scope(&context);
  EXPECT_EQ(text_of(Value::timestamptz(datetime::parse_timestamptz("2024-01-31 12:00+00"))), "2024-01-31 17:30:00+05:30");
  EXPECT_EQ(Value::date(0).type().pg_oid(), 1082u);
  EXPECT_EQ(Value::timestamptz(0).type().pg_oid(), 1184u);
  EXPECT_EQ(Value::interval(Interval{}).type().pg_oid(), 1186u);
}

TEST(TextFormatTest, TextAsIs) {
  EXPECT_EQ(text_of(Value::varchar("")), "");
  EXPECT_EQ(text_of(Value::varchar("short")), "short");
  EXPECT_EQ(text_of(Value::varchar("a string longer than the inline twelve bytes")),
            "a string longer than the inline twelve bytes");
  EXPECT_EQ(text_of(Value::varchar("naïve ✓")), "naïve ✓");
}

TEST(TextFormatTest, Nulls) {
  EXPECT_EQ(text_of(Value::null(LogicalType::integer())), std::nullopt);
  Vector untyped(LogicalType::sql_null(), 4);
  EXPECT_EQ(text_value(untyped, 2), std::nullopt);
}

TEST(TextFormatTest, ConstantAndDictionaryVectors) {
  Vector constant(Value::integer(42));
  EXPECT_EQ(text_value(constant, 0), "42");
  EXPECT_EQ(text_value(constant, 1000), "42");

  Vector flat(LogicalType::varchar(), 4);
  flat.set_value(0, Value::varchar("zero"));
  flat.set_value(1, Value::null(LogicalType::varchar()));
  flat.set_value(2, Value::varchar("two, which is longer than twelve"));
  flat.set_value(3, Value::varchar("three"));
  SelectionVector sel(3);
  sel.set_index(0, 2);
  sel.set_index(1, 1);
  sel.set_index(2, 0);
  Vector dictionary;
  dictionary.slice(flat, sel, 3);
  EXPECT_EQ(text_value(dictionary, 0), "two, which is longer than twelve");
  EXPECT_EQ(text_value(dictionary, 1), std::nullopt);
  EXPECT_EQ(text_value(dictionary, 2), "zero");
}

DataChunk sample_chunk() {
  DataChunk chunk;
  chunk.initialize({LogicalType::integer(), LogicalType::varchar(), LogicalType::boolean(), LogicalType::sql_null()});
  chunk.set_value(0, 0, Value::integer(1));
  chunk.set_value(1, 0, Value::varchar("a"));
  chunk.set_value(2, 0, Value::boolean(true));
  chunk.set_value(0, 1, Value::null(LogicalType::integer()));
  chunk.set_value(1, 1, Value::varchar("bc"));
  chunk.set_value(2, 1, Value::boolean(false));
  chunk.set_size(2);
  return chunk;
}

TEST(TextFormatTest, DataRowEncoderByteExact) {
  DataChunk chunk = sample_chunk();
  std::string out;
  DataRowEncoder encoder;
  encoder.encode(chunk, out);
  using B = FrontendBytes;
  // The untyped NULL column is NULL in every row, whatever its buffer holds.
  EXPECT_EQ(out, B::hex("44 00000019 0004 00000001 31 00000001 61 00000001 74 ffffffff") +
                     B::hex("44 00000019 0004 ffffffff 00000002 6263 00000001 66 ffffffff"));
}

TEST(TextFormatTest, DataRowEncoderMatchesGenericEncoder) {
  DataChunk chunk;
  chunk.initialize({LogicalType::bigint(), LogicalType::double_precision(), LogicalType::varchar(), LogicalType::smallint()});
  for (size_t i = 0; i < kVectorSize; i++) {
    chunk.set_value(0, i, i % 7 == 0 ? Value::null(LogicalType::bigint()) : Value::bigint(static_cast<int64_t>(i * i) - 1000));
    chunk.set_value(1, i, Value::double_precision(static_cast<double>(i) / 8));
    chunk.set_value(2, i, i % 5 == 0 ? Value::null(LogicalType::varchar()) : Value::varchar(std::string(i % 40, 'x')));
    chunk.set_value(3, i, Value::smallint(static_cast<int16_t>(i)));
  }
  chunk.set_size(kVectorSize);
  // Also through a dictionary: every other row, reversed.
  SelectionVector sel(kVectorSize / 2);
  for (size_t i = 0; i < kVectorSize / 2; i++) sel.set_index(i, static_cast<sel_t>(kVectorSize - 1 - 2 * i));
  DataChunk sliced;
  sliced.slice(chunk, sel, kVectorSize / 2);

  for (const DataChunk* c : {&chunk, &sliced}) {
    std::string fast;
    DataRowEncoder encoder;
    encoder.encode(*c, fast);
    std::string generic;
    for (size_t row = 0; row < c->size(); row++) {
      DataRow data_row;
      for (size_t col = 0; col < c->column_count(); col++) data_row.values.push_back(text_value(c->column(col), row));
      encode(data_row, generic);
    }
    EXPECT_EQ(fast, generic);
    EXPECT_EQ(BackendStream::split(fast).size(), c->size());
  }
}

TEST(TextFormatTest, EmptyChunkEncodesNothing) {
  DataChunk chunk;
  chunk.initialize({LogicalType::integer()});
  std::string out;
  DataRowEncoder encoder;
  encoder.encode(chunk, out);
  EXPECT_TRUE(out.empty());
}

}  // namespace
}  // namespace tessera::pgwire
