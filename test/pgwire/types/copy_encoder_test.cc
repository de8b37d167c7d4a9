#include "pgwire/types/copy_encoder.h"

#include <gtest/gtest.h>

#include <string>

namespace tessera::pgwire {
namespace {

CopyFormat csv_format() {
  CopyFormat format;
  format.format = CopyFileFormat::kCsv;
  format.delimiter = ',';
  format.null_string = "";
  return format;
}

std::string encode(const CopyFormat& format, const std::vector<Value>& values) {
  DataChunk chunk;
  std::vector<LogicalType> types;
  for (const Value& v : values) types.push_back(v.type());
  chunk.initialize(types, 1);
  for (size_t c = 0; c < values.size(); c++) chunk.column(c).set_value(0, values[c]);
  chunk.set_size(1);
  CopyEncoder encoder(format);
  std::string out;
  encoder.begin_chunk(chunk);
  encoder.encode_row(chunk, 0, out);
  return out;
}

TEST(CopyEncoderTest, TextEscapes) {
  CopyFormat format;
  EXPECT_EQ(encode(format, {Value::integer(1), Value::varchar("a\tb\nc\\d\r\b\f\v"), Value::null(LogicalType::varchar())}),
            "1\ta\\tb\\nc\\\\d\\r\\b\\f\\v\t\\N\n");
  format.delimiter = '|';
  EXPECT_EQ(encode(format, {Value::varchar("a|b"), Value::boolean(true)}), "a\\|b|t\n");
}

TEST(CopyEncoderTest, CsvQuoting) {
  CopyFormat format = csv_format();
  EXPECT_EQ(encode(format, {Value::varchar("plain"), Value::varchar("a,b"), Value::varchar("say \"hi\""),
                            Value::varchar(""), Value::null(LogicalType::varchar()), Value::varchar("x\ny")}),
            "plain,\"a,b\",\"say \"\"hi\"\"\",\"\",,\"x\ny\"\n");
  // A lone \. in a single-column COPY is quoted so it cannot read as the end marker.
  EXPECT_EQ(encode(format, {Value::varchar("\\.")}), "\"\\.\"\n");
  EXPECT_EQ(encode(format, {Value::varchar("\\."), Value::integer(1)}), "\\.,1\n");
}

TEST(CopyEncoderTest, CsvForceQuoteAndEscape) {
  CopyFormat format = csv_format();
  format.force_quote = {true, false};
  format.escape = '\\';
  EXPECT_EQ(encode(format, {Value::integer(1), Value::varchar("a\"b\\c")}), "\"1\",\"a\\\"b\\\\c\"\n");
  EXPECT_EQ(encode(format, {Value::null(LogicalType::integer()), Value::integer(2)}), ",2\n");
  format.null_string = "NULL";
  EXPECT_EQ(encode(format, {Value::varchar("NULL"), Value::varchar("NULL")}), "\"NULL\",\"NULL\"\n");
}

TEST(CopyEncoderTest, Header) {
  CopyFormat format = csv_format();
  format.force_quote = {true, true};
  CopyEncoder encoder(format);
  std::string out;
  encoder.encode_header({"a", "b,c"}, out);
  EXPECT_EQ(out, "a,\"b,c\"\n");
}

}  // namespace
}  // namespace tessera::pgwire
